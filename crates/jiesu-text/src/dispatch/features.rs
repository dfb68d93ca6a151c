//! Features of an appeal's text: jieba words and word bigrams, character n-grams and the
//! title's words in a namespace of their own, weighted by sublinear TF-IDF and indexed by a
//! vocabulary learned from the training history.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::normalize::{is_punctuation, normalize};
use crate::segment::Segmenter;

/// Longest appeal text (after normalization, in characters) that is read; the rest is cut.
/// Appeals run to a few hundred characters; the first 2,000 always say what it is about,
/// and the cap bounds suggestion latency.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Longest title (in characters) that is read.
pub const MAX_TITLE_CHARS: usize = 200;

/// Feature blocks (namespaces). Each block is L2-normalized on its own, then scaled.
pub(crate) const BLOCK_WORD: u8 = 0;
pub(crate) const BLOCK_BIGRAM: u8 = 1;
pub(crate) const BLOCK_CHAR: u8 = 2;
pub(crate) const BLOCK_TITLE_WORD: u8 = 3;
pub(crate) const BLOCK_TITLE_CHAR: u8 = 4;
pub(crate) const N_BLOCKS: usize = 5;

/// Which features are extracted and how each block weighs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Weight of jieba words of title + text (0 switches the block off).
    pub word_weight: f32,
    /// Weight of adjacent word pairs.
    pub bigram_weight: f32,
    /// Weight of character n-grams of title + text.
    pub char_weight: f32,
    /// Weight of the title's words, kept apart from the text's.
    pub title_word_weight: f32,
    /// Weight of the title's character n-grams.
    pub title_char_weight: f32,
    /// Shortest and longest character n-gram.
    pub char_min: usize,
    pub char_max: usize,
    /// A feature must occur in at least this many training documents.
    pub min_df: u32,
    /// `1 + ln(tf)` instead of raw counts.
    pub sublinear_tf: bool,
    /// Drop anonymized place codes (`a市`, `k9县`, `a3区`…): they name where, not what.
    pub strip_place_codes: bool,
    /// Read at most this many characters of the text (0: up to [`MAX_TEXT_CHARS`]); the
    /// opening sentences say what an appeal is about.
    pub text_chars: usize,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            word_weight: 1.0,
            bigram_weight: 0.6,
            char_weight: 1.5,
            title_word_weight: 0.6,
            title_char_weight: 0.6,
            char_min: 1,
            char_max: 3,
            min_df: 2,
            sublinear_tf: true,
            strip_place_codes: true,
            text_chars: 300,
        }
    }
}

impl FeatureConfig {
    /// The classical baseline: TF-IDF of jieba word unigrams only.
    pub fn baseline() -> Self {
        FeatureConfig {
            word_weight: 1.0,
            bigram_weight: 0.0,
            char_weight: 0.0,
            title_word_weight: 0.0,
            title_char_weight: 0.0,
            char_min: 1,
            char_max: 1,
            min_df: 1,
            sublinear_tf: false,
            strip_place_codes: false,
            text_chars: 0,
        }
    }

    fn block_weight(&self, block: u8) -> f32 {
        match block {
            BLOCK_WORD => self.word_weight,
            BLOCK_BIGRAM => self.bigram_weight,
            BLOCK_CHAR => self.char_weight,
            BLOCK_TITLE_WORD => self.title_word_weight,
            BLOCK_TITLE_CHAR => self.title_char_weight,
            _ => 0.0,
        }
    }
}

/// A hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Stable 64-bit key of a feature string in a block: FNV-1a, then a SplitMix64 finalizer.
/// Stable across builds and platforms, so saved models stay valid.
pub(crate) fn feature_key(block: u8, parts: &[&str]) -> u64 {
    let mut h: u64 = FNV_OFFSET;
    let mut eat = |b: u8| h = fnv_step(h, b);
    eat(block);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            eat(0x1f);
        }
        for &b in part.as_bytes() {
            eat(b);
        }
    }
    mix(h)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// An appeal's title and text, normalized and cut to the documented lengths.
pub(crate) struct Prepared {
    pub title: String,
    pub text: String,
    /// True when the title or the text was cut.
    pub truncated: bool,
}

impl Prepared {
    pub fn new(title: &str, text: &str) -> Prepared {
        let (title, cut_title) = truncate_chars(normalize(title), MAX_TITLE_CHARS);
        let (text, cut_text) = truncate_chars(normalize(text), MAX_TEXT_CHARS);
        Prepared {
            title,
            text,
            truncated: cut_title || cut_text,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.text.is_empty()
    }

    /// True when the title or text holds at least one Chinese character.
    pub fn has_han(&self) -> bool {
        self.title.chars().chain(self.text.chars()).any(is_han)
    }
}

/// A Chinese (Han) character: the CJK unified ideographs, extension A and the compatibility
/// ideographs. (A terminal shows one in two columns.)
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn truncate_chars(mut s: String, max: usize) -> (String, bool) {
    match s.char_indices().nth(max) {
        Some((idx, _)) => {
            s.truncate(idx);
            (s, true)
        }
        None => (s, false),
    }
}

/// Token for word features: runs of digits fold into one token, so phone numbers and house
/// numbers do not each become a feature.
fn word_token(w: &str) -> &str {
    if w.chars().all(|c| c.is_ascii_digit()) {
        "<num>"
    } else {
        w
    }
}

/// Raw counts of an appeal's features, keyed by [`feature_key`]; `words` lists the word
/// features with their text, for explanations.
#[derive(Default)]
pub(crate) struct RawFeatures {
    /// (key, block, count), sorted by key.
    pub counts: Vec<(u64, u8, f32)>,
    pub words: Vec<(u64, String)>,
}

impl FeatureConfig {
    /// Counts every feature of an appeal. With `want_words` the word features' text is kept.
    pub(crate) fn extract(&self, seg: &Segmenter, p: &Prepared, want_words: bool) -> RawFeatures {
        let title = self.clean(&p.title);
        let text = if self.text_chars > 0 {
            truncate_chars(self.clean(&p.text), self.text_chars).0
        } else {
            self.clean(&p.text)
        };
        let p = &Prepared {
            title,
            text,
            truncated: p.truncated,
        };
        let mut counts: KeyMap<(u8, f32)> = KeyMap::default();
        let mut words_out: Vec<(u64, String)> = Vec::new();
        let mut add = |key: u64, block: u8| counts.entry(key).or_insert((block, 0.0)).1 += 1.0;

        let need_words = self.word_weight > 0.0 || self.bigram_weight > 0.0;
        let title_words = if need_words || self.title_word_weight > 0.0 {
            seg.words(&p.title)
        } else {
            Vec::new()
        };
        let text_words = if need_words {
            seg.words(&p.text)
        } else {
            Vec::new()
        };

        if need_words {
            for words in [&title_words, &text_words] {
                let toks: Vec<&str> = words.iter().map(|w| word_token(w)).collect();
                if self.word_weight > 0.0 {
                    for t in &toks {
                        let key = feature_key(BLOCK_WORD, &[t]);
                        add(key, BLOCK_WORD);
                        if want_words {
                            words_out.push((key, (*t).to_string()));
                        }
                    }
                }
                if self.bigram_weight > 0.0 {
                    for pair in toks.windows(2) {
                        add(feature_key(BLOCK_BIGRAM, &[pair[0], pair[1]]), BLOCK_BIGRAM);
                    }
                }
            }
        }
        if self.title_word_weight > 0.0 {
            for w in &title_words {
                let t = word_token(w);
                let key = feature_key(BLOCK_TITLE_WORD, &[t]);
                add(key, BLOCK_TITLE_WORD);
                if want_words {
                    words_out.push((key, t.to_string()));
                }
            }
        }
        if self.char_weight > 0.0 {
            char_ngrams(&p.title, self.char_min, self.char_max, BLOCK_CHAR, &mut add);
            char_ngrams(&p.text, self.char_min, self.char_max, BLOCK_CHAR, &mut add);
        }
        if self.title_char_weight > 0.0 {
            char_ngrams(
                &p.title,
                self.char_min,
                self.char_max,
                BLOCK_TITLE_CHAR,
                &mut add,
            );
        }
        let mut counts: Vec<(u64, u8, f32)> =
            counts.into_iter().map(|(k, (b, c))| (k, b, c)).collect();
        counts.sort_unstable_by_key(|&(k, _, _)| k);
        RawFeatures {
            counts,
            words: words_out,
        }
    }
}

impl FeatureConfig {
    /// The text features are read from: without place codes, if so configured.
    fn clean(&self, s: &str) -> String {
        if self.strip_place_codes {
            strip_place_codes(s)
        } else {
            s.to_string()
        }
    }
}

/// Removes anonymized place codes: a latin letter, optional digits, then 市, 县, 区 or 州
/// (normalized text is lowercase).
fn strip_place_codes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_lowercase() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j < chars.len() && matches!(chars[j], '市' | '县' | '区' | '州') {
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Character n-grams of `text`, never across whitespace or punctuation; digits fold to `0`.
/// Keys equal `feature_key(block, &[gram])`, computed incrementally without allocating.
fn char_ngrams(text: &str, min: usize, max: usize, block: u8, add: &mut impl FnMut(u64, u8)) {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect();
    let mut utf8 = [0u8; 4];
    for start in 0..chars.len() {
        let mut h: u64 = FNV_OFFSET;
        h = fnv_step(h, block);
        for n in 1..=max {
            let Some(&c) = chars.get(start + n - 1) else {
                break;
            };
            if c.is_whitespace() || is_punctuation(c) {
                break;
            }
            for &b in c.encode_utf8(&mut utf8).as_bytes() {
                h = fnv_step(h, b);
            }
            if n >= min {
                add(mix(h), block);
            }
        }
    }
}

/// Sparse vector: sorted feature indices with their values.
pub type SparseVec = Vec<(u32, f32)>;

/// The learned vocabulary with IDF weights: turns raw counts into TF-IDF vectors.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vectorizer {
    pub config: FeatureConfig,
    /// Feature keys in index order.
    keys: Vec<u64>,
    idf: Vec<f32>,
    block: Vec<u8>,
    #[serde(skip)]
    index: KeyMap<u32>,
}

impl Vectorizer {
    /// Learns the vocabulary and IDF from the raw features of the training documents.
    pub(crate) fn fit(config: &FeatureConfig, docs: &[&RawFeatures]) -> Self {
        let mut df: KeyMap<(u8, u32)> = KeyMap::default();
        for d in docs {
            for &(k, b, _) in &d.counts {
                df.entry(k).or_insert((b, 0)).1 += 1;
            }
        }
        let n = docs.len() as f32;
        let mut kept: Vec<(u64, u8, u32)> = df
            .into_iter()
            .filter(|&(_, (_, c))| c >= config.min_df)
            .map(|(k, (b, c))| (k, b, c))
            .collect();
        kept.sort_unstable_by_key(|&(k, _, _)| k);
        let mut v = Vectorizer {
            config: config.clone(),
            keys: Vec::with_capacity(kept.len()),
            idf: Vec::with_capacity(kept.len()),
            block: Vec::with_capacity(kept.len()),
            index: KeyMap::default(),
        };
        for (k, b, c) in kept {
            v.keys.push(k);
            v.idf.push(((1.0 + n) / (1.0 + c as f32)).ln() + 1.0);
            v.block.push(b);
        }
        v.rebuild_index();
        v
    }

    /// Rebuilds the key → index map (after deserialization).
    pub(crate) fn rebuild_index(&mut self) {
        self.index = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub(crate) fn index_of(&self, key: u64) -> Option<u32> {
        self.index.get(&key).copied()
    }

    /// TF-IDF vector of raw counts; each block L2-normalized and scaled by its weight.
    pub(crate) fn transform(&self, raw: &RawFeatures) -> SparseVec {
        let mut out: SparseVec = Vec::with_capacity(raw.counts.len());
        let mut norms = [0f32; N_BLOCKS];
        for &(k, _, tf) in &raw.counts {
            if let Some(i) = self.index_of(k) {
                let tf = if self.config.sublinear_tf {
                    1.0 + tf.ln()
                } else {
                    tf
                };
                let v = tf * self.idf[i as usize];
                norms[self.block[i as usize] as usize] += v * v;
                out.push((i, v));
            }
        }
        let mut scale = [0f32; N_BLOCKS];
        for (b, s) in scale.iter_mut().enumerate() {
            if norms[b] > 0.0 {
                *s = self.config.block_weight(b as u8) / norms[b].sqrt();
            }
        }
        for (i, v) in &mut out {
            *v *= scale[self.block[*i as usize] as usize];
        }
        out.retain(|&(_, v)| v != 0.0);
        out.sort_unstable_by_key(|&(i, _)| i);
        out
    }
}

/// Extracts raw features of many appeals on all cores.
pub(crate) fn extract_all(
    config: &FeatureConfig,
    seg: &Segmenter,
    docs: &[Prepared],
) -> Vec<RawFeatures> {
    docs.par_iter()
        .map(|p| config.extract(seg, p, false))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_codes_are_stripped_and_other_latin_kept() {
        assert_eq!(strip_place_codes("a市a3区幸福路路灯不亮"), "幸福路路灯不亮");
        assert_eq!(strip_place_codes("k9县wifi信号差"), "wifi信号差");
        assert_eq!(strip_place_codes("b超检查"), "b超检查");
    }
}
