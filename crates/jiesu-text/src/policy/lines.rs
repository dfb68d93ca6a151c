//! The physical lines of a pasted document, cleaned: full-width digits folded, the spaces
//! newspaper typesetting puts between Chinese characters removed, markdown marks dropped,
//! and each line flagged `full` when it runs to the width of its column (so the text goes on
//! in the next line rather than ending a paragraph or a heading there).

/// One non-empty line of the document.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub text: String,
    /// The line reaches the width of its column: what follows continues it.
    pub full: bool,
}

/// How many lines either side set the width a line is compared with.
const WINDOW: usize = 6;
/// A line this close to the width of its column (in Chinese characters) counts as full.
const SLACK: f32 = 2.6;
/// Where lines are this wide (median of the neighbourhood), each line is a paragraph of its
/// own: the text is not set in narrow columns.
const PARAGRAPH_LINES: f32 = 45.0;

pub(crate) fn lines(text: &str) -> Vec<Line> {
    let cleaned: Vec<String> = text
        .lines()
        .map(clean)
        .filter(|line| !line.is_empty())
        .collect();
    let widths: Vec<f32> = cleaned.iter().map(|line| width(line)).collect();
    cleaned
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let from = i.saturating_sub(WINDOW);
            let to = (i + WINDOW + 1).min(widths.len());
            let mut near = widths[from..to].to_vec();
            near.sort_by(f32::total_cmp);
            let median = near[near.len() / 2];
            // Most lines of a column run to its width: the upper quartile is that width.
            let column = near[near.len() * 3 / 4];
            Line {
                full: median < PARAGRAPH_LINES && widths[i] + SLACK >= column,
                text,
            }
        })
        .collect()
}

/// The width of a line in Chinese characters: ASCII counts half.
fn width(text: &str) -> f32 {
    text.chars()
        .map(|ch| if ch.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// Folds full-width digits, letters and a few marks to ASCII, removes markdown heading and
/// emphasis marks, and drops the spaces next to a Chinese character.
pub(crate) fn clean(raw: &str) -> String {
    let folded: Vec<char> = raw
        .trim()
        .trim_start_matches('#')
        .replace("**", "")
        .chars()
        .map(fold_char)
        .collect();
    let mut out = String::with_capacity(raw.len());
    for (i, &ch) in folded.iter().enumerate() {
        if ch.is_whitespace() {
            let before = out.chars().last();
            let after = folded[i + 1..].iter().find(|c| !c.is_whitespace());
            let keep = matches!((before, after), (Some(b), Some(a)) if b.is_ascii() && a.is_ascii() && b != ' ');
            if keep {
                out.push(' ');
            }
            continue;
        }
        out.push(ch);
    }
    out.trim().to_string()
}

fn fold_char(ch: char) -> char {
    match ch {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch)
        }
        '．' => '.',
        '\u{3000}' | '\u{a0}' | '\t' => ' ',
        _ => ch,
    }
}

/// Joins two pieces of one paragraph: no space, except between two ASCII letters.
pub(crate) fn join(into: &mut String, next: &str) {
    let last = into.chars().last();
    let first = next.chars().next();
    if let (Some(a), Some(b)) = (last, first)
        && a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
    {
        into.push(' ');
    }
    into.push_str(next);
}

/// True when the text holds the end of a sentence.
pub(crate) fn has_sentence_end(text: &str) -> bool {
    text.contains(['。', '！', '？', '；'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_chinese_characters_go() {
        assert_eq!(clean(" 产 业 工 人 是 10 月 17"), "产业工人是10月17");
        assert_eq!(clean("## 二、Open Data 平台"), "二、Open Data平台");
        assert_eq!(clean("２０２２年１０月底前"), "2022年10月底前");
    }
}
