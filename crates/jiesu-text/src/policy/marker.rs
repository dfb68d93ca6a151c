//! The numbering that opens a part or a measure (编号): 一、 / （一） / 1. / (1) / ①.

/// A numbering found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// The place of this kind of numbering in the usual order of Chinese official
    /// documents: 0 for 一、, 1 for （一）, 2 for 1., 3 for (1), 4 for ①.
    pub rank: u8,
    /// The number itself (三 and 3 are both 3).
    pub n: u32,
    /// The numbering as it is shown, parentheses full-width: "二、", "（三）", "1.", "（2）", "①".
    pub label: String,
    /// The rest of the line after the numbering.
    pub rest: String,
}

pub(crate) fn parse(line: &str) -> Option<Marker> {
    let chars: Vec<char> = line.chars().collect();
    let first = *chars.first()?;
    if let Some(n) = circled(first) {
        return Some(marker(4, n, first.to_string(), &chars[1..]));
    }
    if first == '（' || first == '(' {
        let close = chars.iter().position(|&c| c == '）' || c == ')')?;
        let inner: String = chars[1..close].iter().collect();
        if let Some(n) = chinese_number(&inner) {
            return Some(marker(1, n, format!("（{inner}）"), &chars[close + 1..]));
        }
        if let Some(n) = arabic(&inner) {
            return Some(marker(3, n, format!("（{inner}）"), &chars[close + 1..]));
        }
        return None;
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        let n: u32 = chars[..digits].iter().collect::<String>().parse().ok()?;
        let delimiter = *chars.get(digits)?;
        let after = chars.get(digits + 1).copied();
        if digits > 2 || n == 0 || after.is_some_and(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        let (rank, label) = match delimiter {
            '.' | '、' => (2, format!("{n}{delimiter}")),
            '）' | ')' => (3, format!("{n}）")),
            _ => return None,
        };
        return Some(marker(rank, n, label, &chars[digits + 1..]));
    }
    let numeral = chars
        .iter()
        .take_while(|&&c| numeral_digit(c).is_some())
        .count();
    // "一、" and the rarer "一." (a decimal point never follows a Chinese numeral).
    if numeral > 0 && matches!(chars.get(numeral), Some('、' | '.')) {
        let text: String = chars[..numeral].iter().collect();
        let n = chinese_number(&text)?;
        return Some(marker(0, n, format!("{text}、"), &chars[numeral + 1..]));
    }
    None
}

fn marker(rank: u8, n: u32, label: String, rest: &[char]) -> Marker {
    Marker {
        rank,
        n,
        label,
        rest: rest.iter().collect::<String>().trim().to_string(),
    }
}

fn circled(ch: char) -> Option<u32> {
    match ch {
        '①'..='⑳' => Some(ch as u32 - '①' as u32 + 1),
        _ => None,
    }
}

fn arabic(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() || text.len() > 2 || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&n| n > 0)
}

fn numeral_digit(ch: char) -> Option<u32> {
    Some(match ch {
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    })
}

/// 一 … 九十九 as a number; `None` for anything else.
pub(crate) fn chinese_number(text: &str) -> Option<u32> {
    let digits: Vec<u32> = text.chars().map(numeral_digit).collect::<Option<_>>()?;
    match digits.as_slice() {
        [d] => Some(*d),
        [10, d] if *d < 10 => Some(10 + d),
        [d, 10] if *d < 10 => Some(d * 10),
        [a, 10, b] if *a < 10 && *b < 10 => Some(a * 10 + b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(line: &str) -> Option<(u8, u32, String, String)> {
        parse(line).map(|m| (m.rank, m.n, m.label, m.rest))
    }

    #[test]
    fn each_numbering_is_read() {
        assert_eq!(kind("二、强化引领").unwrap().0, 0);
        assert_eq!(kind("十二、其他").unwrap().1, 12);
        assert_eq!(kind("三.保障").unwrap().2, "三、");
        assert_eq!(kind("(三)加强").unwrap().2, "（三）");
        assert_eq!(kind("3.推进").unwrap().2, "3.");
        assert_eq!(kind("12、推进").unwrap().1, 12);
        assert_eq!(kind("（2）开展").unwrap().0, 3);
        assert_eq!(kind("2）开展").unwrap().0, 3);
        assert_eq!(kind("③落实").unwrap().1, 3);
    }

    #[test]
    fn numbers_in_running_text_are_not_numbering() {
        assert!(parse("34.6万名师生").is_none());
        assert!(parse("2024年上半年").is_none());
        assert!(parse("1.5亿元").is_none());
        assert!(parse("（含新区）").is_none());
        assert!(parse("一是加强").is_none());
    }
}
