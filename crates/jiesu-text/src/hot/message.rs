//! A message of the board (留言) as hot-issue discovery sees it, and the times it is written
//! with.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// One citizen message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotMessage {
    /// The message number (留言编号).
    pub id: String,
    /// The citizen who left it (留言用户); distinct users measure how many people care.
    pub user: String,
    /// Its title (留言主题).
    pub title: String,
    /// Its text (留言详情).
    pub text: String,
    /// When it was left (留言时间), local time.
    pub time: NaiveDateTime,
    /// Likes (点赞数).
    pub likes: u32,
    /// Dislikes (反对数): attention too.
    pub dislikes: u32,
}

/// Reads a local time written as `2019/4/25 9:32:09`, `2019-04-25 09:32:09`,
/// `2019-04-25T09:32`, `2019年4月25日 9:32` or a bare date (midnight). Full-width digits and
/// stray whitespace are tolerated. `None` when it is not a valid time.
pub fn parse_time(text: &str) -> Option<NaiveDateTime> {
    let folded = crate::place::fold(text);
    let mut numbers: Vec<u32> = Vec::with_capacity(6);
    let mut current: Option<u32> = None;
    for c in folded.chars() {
        if let Some(d) = c.to_digit(10) {
            current = Some(current.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
        } else {
            if let Some(n) = current.take() {
                numbers.push(n);
            }
            if !matches!(
                c,
                '/' | '-' | ':' | ' ' | 'T' | '.' | '年' | '月' | '日' | '时' | '分' | '秒'
            ) {
                return None;
            }
        }
    }
    numbers.extend(current);
    if !(3..=6).contains(&numbers.len()) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(numbers[0] as i32, numbers[1], numbers[2])?;
    let get = |i: usize| numbers.get(i).copied().unwrap_or(0);
    let time = NaiveTime::from_hms_opt(get(3), get(4), get(5))?;
    Some(NaiveDateTime::new(date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_forms() {
        let want = NaiveDate::from_ymd_opt(2019, 4, 25)
            .unwrap()
            .and_hms_opt(9, 32, 9)
            .unwrap();
        assert_eq!(parse_time("2019/4/25 9:32:09"), Some(want));
        assert_eq!(parse_time(" 2019-04-25 09:32:09 "), Some(want));
        assert_eq!(parse_time("２０１９/4/25　9:32:09"), Some(want));
        assert_eq!(parse_time("2019年4月25日 9时32分9秒"), Some(want));
        assert!(parse_time("2019/4/25").is_some());
        assert_eq!(parse_time("2019/2/30 1:00:00"), None);
        assert_eq!(parse_time("昨天"), None);
        assert_eq!(parse_time(""), None);
    }
}
