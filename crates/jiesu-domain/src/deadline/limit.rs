//! One time limit (时限): a number of working days, working hours or clock hours.

use std::fmt;
use std::str::FromStr;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;

/// A time limit (时限), counted from a stage's start.
///
/// * `WorkingDays(n)` (工作日): due at the end of the working day (17:30 by default) of
///   the `n`-th working day after the start date — the start day itself is not counted.
/// * `WorkingHours(n)` (工作小时): due after `n` hours of working time.
/// * `ClockHours(n)` (自然小时): due `n` hours later by the clock, nights and holidays
///   included — for urgent cases.
///
/// Serde form: `{"working_days": 13}`, `{"working_hours": 8}`, `{"clock_hours": 2}`. Text
/// form ([`FromStr`]/[`fmt::Display`]): `13个工作日`, `8个工作小时`, `2小时`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    WorkingDays(u32),
    WorkingHours(u32),
    ClockHours(u32),
}

impl Limit {
    /// The largest accepted amount of each unit (a year).
    pub const MAX_WORKING_DAYS: u32 = 366;
    /// See [`Limit::MAX_WORKING_DAYS`].
    pub const MAX_HOURS: u32 = 24 * 366;

    /// The number, whatever the unit.
    pub fn amount(self) -> u32 {
        match self {
            Limit::WorkingDays(n) | Limit::WorkingHours(n) | Limit::ClockHours(n) => n,
        }
    }

    /// Whether the limit runs by the clock rather than in working time.
    pub fn is_clock(self) -> bool {
        matches!(self, Limit::ClockHours(_))
    }

    /// Checks the amount is positive and at most a year; the reason is in Chinese.
    pub(crate) fn check(self) -> Result<(), String> {
        let max = match self {
            Limit::WorkingDays(_) => Limit::MAX_WORKING_DAYS,
            Limit::WorkingHours(_) | Limit::ClockHours(_) => Limit::MAX_HOURS,
        };
        match self.amount() {
            0 => Err("时限不能为 0".to_string()),
            n if n > max => Err(format!("时限 {self} 过长（最多 {max}）")),
            _ => Ok(()),
        }
    }

    /// When a stage started at `start` is due under this limit.
    pub fn due_from(self, calendar: &Calendar, start: NaiveDateTime) -> NaiveDateTime {
        match self {
            Limit::WorkingDays(n) => {
                calendar.end_of_working_day(calendar.add_working_days(start.date(), n))
            }
            Limit::WorkingHours(n) => calendar.add_working_minutes(start, n.saturating_mul(60)),
            Limit::ClockHours(n) => start
                .checked_add_signed(Duration::hours(n.into()))
                .unwrap_or(NaiveDateTime::MAX),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::WorkingDays(n) => write!(f, "{n}个工作日"),
            Limit::WorkingHours(n) => write!(f, "{n}个工作小时"),
            Limit::ClockHours(n) => write!(f, "{n}小时"),
        }
    }
}

impl FromStr for Limit {
    type Err = String;

    /// Parses `13个工作日` / `13工作日`, `8个工作小时` / `8工作小时`, `2小时`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let unit = text[digits.len()..].trim().trim_start_matches('个');
        let bad = || format!("「{text}」应为如「13个工作日」「8个工作小时」「2小时」的时限");
        let n: u32 = digits.parse().map_err(|_| bad())?;
        let limit = match unit {
            "工作日" => Limit::WorkingDays(n),
            "工作小时" => Limit::WorkingHours(n),
            "小时" => Limit::ClockHours(n),
            _ => return Err(bad()),
        };
        limit.check().map(|()| limit)
    }
}
