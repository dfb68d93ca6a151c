//! Text normalization (文本规范化): every model and index sees text through [`normalize`], so
//! full-width letters, stray whitespace and line breaks never split one word into two.

use unicode_normalization::UnicodeNormalization;

/// Folds compatibility forms (full-width ASCII, circled digits…) with NFKC, lowercases
/// ASCII letters, turns every run of whitespace or control characters into one space and
/// trims the ends.
pub fn normalize(text: &str) -> String {
    let mut out = fold(text);
    out.make_ascii_lowercase();
    out
}

/// [`normalize`] without the lowercasing: the form place extraction works on, so `A3区`
/// stays readable.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfkc() {
        if ch.is_whitespace() || ch.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    out
}

/// True for characters that carry no meaning on their own: punctuation and symbols of
/// either width.
pub fn is_punctuation(ch: char) -> bool {
    ch.is_ascii_punctuation()
        || matches!(
            ch,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '？'
                | '！'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '（'
                | '）'
                | '【'
                | '】'
                | '《'
                | '》'
                | '…'
                | '—'
                | '·'
                | '～'
                | '「'
                | '」'
                | '『'
                | '』'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_whitespace() {
        assert_eq!(
            normalize("  ＡＢＣ１２３\r\n 小区\t停水 "),
            "abc123 小区 停水"
        );
    }

    #[test]
    fn drops_control_characters() {
        assert_eq!(normalize("路灯\u{0007}不亮"), "路灯 不亮");
    }

    #[test]
    fn empty_stays_empty() {
        assert_eq!(normalize(" \n\t "), "");
    }
}
