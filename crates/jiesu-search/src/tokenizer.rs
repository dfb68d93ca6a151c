//! The Chinese tokenizer registered as [`TOKENIZER_NAME`]: text is normalized with
//! [`jiesu_text::normalize::normalize`] and cut with [`Segmenter::search_words`].
//!
//! Two details matter for search quality:
//!
//! - **Offsets point into the original text.** Normalization folds full-width forms and
//!   collapses whitespace, which changes byte lengths; the snippet generator re-tokenizes the
//!   stored text and needs offsets into *that* text. So normalization is applied character by
//!   character while a map from normalized to original byte offsets is kept. (Per-character
//!   NFKC equals whole-string NFKC except for compositions across characters, which do not
//!   occur in Chinese appeal text.)
//! - **Sub-words share the position of their word.** `search_words` emits the 2- and
//!   3-character dictionary words inside a long word before the word itself
//!   (`中华`, `人民`, `共和国`, `中华人民共和国`). All of them get the position of the
//!   whole word, so a phrase query matches whichever of them the query produced.

use jiesu_text::normalize::normalize;
use jiesu_text::segment::Segmenter;
use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer};

/// The name the tokenizer is registered under in every jiesu index.
pub const TOKENIZER_NAME: &str = "jieba";

/// Tokens longer than this (in bytes) are dropped: they are noise (long digit runs, URLs).
const MAX_TOKEN_BYTES: usize = 60;

/// The analyzer jiesu registers for its text fields.
pub fn analyzer(segmenter: Segmenter) -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::new(segmenter))
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .build()
}

/// A tantivy tokenizer over jieba's search-mode segmentation.
#[derive(Clone, Debug)]
pub struct JiebaTokenizer {
    segmenter: Segmenter,
    normalized: String,
    /// `offsets[i]` is the original byte offset of normalized byte `i`; one extra entry
    /// holds the original length.
    offsets: Vec<usize>,
    tokens: Vec<Token>,
}

impl JiebaTokenizer {
    pub fn new(segmenter: Segmenter) -> JiebaTokenizer {
        JiebaTokenizer {
            segmenter,
            normalized: String::new(),
            offsets: Vec::new(),
            tokens: Vec::new(),
        }
    }
}

/// The tokens of one text, handed out one by one.
pub struct JiebaTokenStream<'a> {
    tokens: &'a mut [Token],
    /// One past the index of the current token; 0 before the first `advance`.
    next: usize,
    empty: Token,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream<'a> {
        self.tokens.clear();
        normalize_mapped(text, &mut self.normalized, &mut self.offsets);
        let norm = self.normalized.as_str();
        let words = self.segmenter.search_words(norm);
        let base = norm.as_ptr() as usize;
        let spans: Vec<(usize, usize)> = words
            .iter()
            .map(|w| {
                // `search_words` returns slices of `norm`; their address gives the offset.
                let start = w.as_ptr() as usize - base;
                (start, start + w.len())
            })
            .collect();
        let groups = group_positions(&spans);
        for ((word, &(start, end)), position) in words.iter().zip(&spans).zip(groups) {
            self.tokens.push(Token {
                offset_from: self.offsets[start],
                offset_to: original_end(&self.offsets, end),
                position,
                text: (*word).to_string(),
                position_length: 1,
            });
        }
        JiebaTokenStream {
            tokens: &mut self.tokens,
            next: 0,
            empty: Token::default(),
        }
    }
}

impl TokenStream for JiebaTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next {
            0 => &self.empty,
            n => &self.tokens[n - 1],
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next {
            0 => &mut self.empty,
            n => &mut self.tokens[n - 1],
        }
    }
}

/// The original end offset for a normalized end offset: the start of the next normalized
/// byte's source character (or the end of the text). A token ending inside the expansion
/// of one character (e.g. `㈱` → `(株)`) ends at that character's start.
fn original_end(offsets: &[usize], end: usize) -> usize {
    offsets[end.min(offsets.len() - 1)]
}

/// Assigns each token the index of the whole word it belongs to. Tokens come as runs of
/// sub-words followed by the word that contains them; walking backwards, every token
/// contained in the last seen whole word belongs to it.
fn group_positions(spans: &[(usize, usize)]) -> Vec<usize> {
    let mut group_from_end = vec![0usize; spans.len()];
    let mut groups = 0usize;
    let mut current: Option<(usize, usize)> = None;
    for (i, &(start, end)) in spans.iter().enumerate().rev() {
        match current {
            Some((cs, ce)) if start >= cs && end <= ce => {}
            _ => {
                groups += 1;
                current = Some((start, end));
            }
        }
        group_from_end[i] = groups;
    }
    group_from_end.into_iter().map(|g| groups - g).collect()
}

/// [`normalize`] applied character by character, recording for every normalized byte the
/// original byte offset of the character it came from.
fn normalize_mapped(text: &str, out: &mut String, offsets: &mut Vec<usize>) {
    out.clear();
    offsets.clear();
    let mut pending_space: Option<usize> = None;
    let mut buf = [0u8; 4];
    for (i, ch) in text.char_indices() {
        if ch.is_whitespace() || ch.is_control() {
            if !out.is_empty() && pending_space.is_none() {
                pending_space = Some(i);
            }
            continue;
        }
        if let Some(at) = pending_space.take() {
            out.push(' ');
            offsets.push(at);
        }
        let before = out.len();
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else if nfkc_stable(ch) {
            out.push(ch);
        } else {
            out.push_str(&normalize(ch.encode_utf8(&mut buf)));
        }
        offsets.resize(out.len(), i);
        debug_assert!(out.len() >= before);
    }
    offsets.push(text.len());
}

/// Characters NFKC leaves alone, checked first to skip the general path: CJK ideographs and
/// the common Chinese punctuation that has no compatibility mapping.
fn nfkc_stable(ch: char) -> bool {
    matches!(ch,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{3001}'..='\u{3002}'
        | '\u{3008}'..='\u{3011}'
        | '\u{2018}'..='\u{201D}'
        | '\u{2014}'
        | '\u{00B7}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut analyzer = analyzer(Segmenter::default());
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "ＡＢＣ小区\r\n  路灯不亮，请维修";
        for (word, _, from, to) in tokens(text) {
            let original = &text[from..to];
            assert_eq!(normalize(original), word, "{original:?}");
        }
    }

    #[test]
    fn sub_words_share_the_position_of_their_word() {
        let toks = tokens("中华人民共和国成立了");
        let pos = |w: &str| toks.iter().find(|t| t.0 == w).map(|t| t.1);
        assert_eq!(pos("共和国"), pos("中华人民共和国"));
        assert_eq!(pos("人民"), pos("中华人民共和国"));
        assert_eq!(pos("成立"), pos("中华人民共和国").map(|p| p + 1));
    }

    #[test]
    fn normalization_matches_the_shared_function() {
        let text = "  ＡＢＣ１２３\r\n 小区\t停水…（急） ";
        let mut out = String::new();
        let mut offsets = Vec::new();
        normalize_mapped(text, &mut out, &mut offsets);
        assert_eq!(out, normalize(text));
        assert_eq!(offsets.len(), out.len() + 1);
    }
}
