//! The deadline a measure names (完成时限), resolved against the document's year:
//! "2022年10月底前", "年底前", "6月30日前", "到2025年", "上半年"; "长期坚持" has none.

use chrono::NaiveDate;

/// Phrases that say a measure has no end date.
const ONGOING: [&str; 5] = ["长期坚持", "持续推进", "长期推进", "常态化推进", "持续开展"];
/// Labels of an explicit time limit; what follows one wins over dates in the running text.
const LIMIT_LABELS: [&str; 7] = [
    "完成时限",
    "完成时间",
    "时间节点",
    "时限要求",
    "截止时间",
    "时间要求",
    "时限",
];

/// The deadline of a measure: the date after a time-limit label, else the latest date the
/// text sets as a limit; `None` when the text names none or says the work is ongoing.
pub(crate) fn due(text: &str, year: i32) -> Option<NaiveDate> {
    for label in LIMIT_LABELS {
        if let Some(at) = text.find(label) {
            let value = text[at + label.len()..].trim_start_matches(['：', ':', ' ']);
            let end = value
                .find(['。', '；', ';', '\n', '）', ')'])
                .unwrap_or(value.len());
            let value = &value[..end];
            if ONGOING.iter().any(|o| value.contains(o)) || value.starts_with("长期") {
                return None;
            }
            if let Some(date) = limits(value, year, true).into_iter().max() {
                return Some(date);
            }
        }
    }
    limits(text, year, false).into_iter().max()
}

/// Every date the text sets as a limit. With `bare`, a date needs no "前"/"底" after it.
fn limits(text: &str, year: i32, bare: bool) -> Vec<NaiveDate> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match date_at(&chars, i, year) {
            Some((date, end)) => {
                let lead_in = preceded_by(&chars, i, &["到", "至", "截至", "截止"]);
                let whole_year = chars.get(end - 1) == Some(&'年');
                if bare
                    || lead_in
                    || cue_after(&chars, end)
                    || (whole_year && year_end_cue(&chars, end))
                {
                    found.push(date);
                }
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// A date starting at `i`: "2022年10月31日", "2022年10月底", "2022年", "2022年上半年",
/// "10月底", "6月30日", "年底"/"年内" (the document's year), "明年…".
fn date_at(chars: &[char], i: usize, year: i32) -> Option<(NaiveDate, usize)> {
    let (mut y, mut at) = (None, i);
    if let Some((n, end)) = number(chars, i)
        && chars.get(end) == Some(&'年')
        && (2000..2100).contains(&n)
    {
        y = Some(n as i32);
        at = end + 1;
    } else if starts(chars, i, "明年") {
        y = Some(year + 1);
        at = i + 2;
    } else if starts(chars, i, "今年") || starts(chars, i, "本年") {
        y = Some(year);
        at = i + 2;
    } else if starts(chars, i, "年底") || starts(chars, i, "年内") || starts(chars, i, "年末")
    {
        let before = i.checked_sub(1).map(|b| chars[b]);
        if before
            .is_some_and(|c| c.is_ascii_digit() || c == '明' || c == '今' || c == '本' || c == '当')
        {
            return None;
        }
        return Some((end_of(year, 12), i + 2));
    }
    let year_given = y.is_some();
    let y = y.unwrap_or(year);
    for (part, month) in [
        ("上半年", 6),
        ("下半年", 12),
        ("一季度", 3),
        ("第一季度", 3),
        ("二季度", 6),
        ("第二季度", 6),
        ("三季度", 9),
        ("第三季度", 9),
        ("四季度", 12),
        ("第四季度", 12),
        ("年底", 12),
        ("年末", 12),
        ("年内", 12),
        ("底", 12),
        ("末", 12),
    ] {
        if (year_given || part.chars().count() > 2) && starts(chars, at, part) {
            return Some((end_of(y, month), at + part.chars().count()));
        }
    }
    if let Some((month, end)) = number(chars, at).or_else(|| chinese_month(chars, at))
        && chars.get(end) == Some(&'月')
        && (1..=12).contains(&month)
    {
        let after_month = end + 1;
        if let Some((day, end)) = number(chars, after_month)
            && chars.get(end) == Some(&'日')
        {
            let date = NaiveDate::from_ymd_opt(y, month, day)?;
            return Some((date, end + 1));
        }
        return Some((end_of(y, month), after_month));
    }
    if year_given {
        return Some((end_of(y, 12), at));
    }
    None
}

/// "十月", "六月": a month written in Chinese numerals (the number and where it ends).
fn chinese_month(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let len = chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| "一二三四五六七八九十".contains(**c))
        .count();
    if len == 0
        || len > 2
        || i.checked_sub(1)
            .is_some_and(|b| "一二三四五六七八九十第".contains(chars[b]))
    {
        return None;
    }
    let text: String = chars[i..i + len].iter().collect();
    let month = super::marker::chinese_number(&text)?;
    Some((month, i + len))
}

fn end_of(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

fn number(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let len = chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if len == 0 || len > 4 {
        return None;
    }
    let n = chars[i..i + len].iter().collect::<String>().parse().ok()?;
    Some((n, i + len))
}

fn starts(chars: &[char], i: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(i + k) == Some(&w))
}

fn preceded_by(chars: &[char], i: usize, words: &[&str]) -> bool {
    words.iter().any(|w| {
        let len = w.chars().count();
        i >= len && starts(chars, i - len, w)
    })
}

/// "前", "之前", "以前", "底前", "完成", "止" right after a date make it a limit.
fn cue_after(chars: &[char], end: usize) -> bool {
    [
        "前",
        "之前",
        "以前",
        "底前",
        "末前",
        "底",
        "末",
        "完成",
        "止",
        "内完成",
        "全面完成",
        "基本完成",
    ]
    .iter()
    .any(|w| starts(chars, end, w))
}

/// A bare year followed by a target ("2025年，全市…达到") counts only after "到"; a year
/// alone with "底/末" is handled in [`date_at`].
fn year_end_cue(chars: &[char], end: usize) -> bool {
    starts(chars, end, "前") || starts(chars, end, "内")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Option<String> {
        due(text, 2022).map(|d| d.to_string())
    }

    #[test]
    fn deadlines_resolve_against_the_year() {
        assert_eq!(d("2022年10月底前完成").as_deref(), Some("2022-10-31"));
        assert_eq!(d("年底前全面完成").as_deref(), Some("2022-12-31"));
        assert_eq!(d("6月30日前上报").as_deref(), Some("2022-06-30"));
        assert_eq!(d("到2025年，覆盖率达到90%").as_deref(), Some("2025-12-31"));
        assert_eq!(d("上半年完成摸底").as_deref(), Some("2022-06-30"));
        assert_eq!(d("明年3月底前").as_deref(), Some("2023-03-31"));
        assert_eq!(d("十月底前完成").as_deref(), Some("2022-10-31"));
        assert_eq!(d("2022年十二月底前").as_deref(), Some("2022-12-31"));
        assert_eq!(
            d("2023年6月底前完成试点，2023年底前推开").as_deref(),
            Some("2023-12-31")
        );
    }

    #[test]
    fn dates_that_are_not_limits_are_left() {
        assert_eq!(d("10月17日，会议召开"), None);
        assert_eq!(d("2021年10月1日起施行"), None);
        assert_eq!(d("完成时限：长期坚持。2022年底前"), None);
        assert_eq!(d("完成时限：2022年9月").as_deref(), Some("2022-09-30"));
    }
}
