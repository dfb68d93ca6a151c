//! The daily working hours (工作时间): the intervals of a working day that count.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;

/// The intervals of a working day during which working time runs (工作时间), e.g. the
/// default 09:00–12:00 and 13:30–17:30 (seven hours). Intervals are half-open, sorted,
/// disjoint and non-empty, with whole-minute bounds.
///
/// Text form (also the serde form, one string per interval): `09:00-12:00,13:30-17:30`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct WorkingHours {
    /// (start, end) in seconds after midnight.
    intervals: Vec<(u32, u32)>,
    total: u32,
}

impl Default for WorkingHours {
    /// 09:00–12:00 and 13:30–17:30.
    fn default() -> Self {
        WorkingHours::new(&[(hm(9, 0), hm(12, 0)), (hm(13, 30), hm(17, 30))])
            .expect("the default working hours are valid")
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

impl WorkingHours {
    /// Validates a list of `(start, end)` intervals: at least one, each with start < end,
    /// whole minutes, in increasing order and not overlapping.
    pub fn new(intervals: &[(NaiveTime, NaiveTime)]) -> Result<WorkingHours, CalendarError> {
        let content = intervals
            .iter()
            .map(|(a, b)| format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")))
            .collect::<Vec<_>>()
            .join(",");
        let error = |reason: String| CalendarError::WorkingHours {
            content: content.clone(),
            reason,
        };
        if intervals.is_empty() {
            return Err(error("至少需要一个时间段".to_string()));
        }
        let mut out = Vec::with_capacity(intervals.len());
        let mut previous_end = 0;
        for (i, (start, end)) in intervals.iter().enumerate() {
            let n = i + 1;
            if start.second() != 0
                || end.second() != 0
                || start.nanosecond() != 0
                || end.nanosecond() != 0
            {
                return Err(error(format!("第 {n} 个时间段须精确到分钟")));
            }
            let (a, b) = (
                start.num_seconds_from_midnight(),
                end.num_seconds_from_midnight(),
            );
            if a >= b {
                return Err(error(format!("第 {n} 个时间段的结束时间不晚于开始时间")));
            }
            if i > 0 && a < previous_end {
                return Err(error(format!("第 {n} 个时间段与前一段重叠或顺序颠倒")));
            }
            previous_end = b;
            out.push((a, b));
        }
        let total = out.iter().map(|(a, b)| b - a).sum();
        Ok(WorkingHours {
            intervals: out,
            total,
        })
    }

    /// The intervals as `(start, end)` times.
    pub fn intervals(&self) -> Vec<(NaiveTime, NaiveTime)> {
        self.intervals
            .iter()
            .map(|&(a, b)| (secs_to_time(a), secs_to_time(b)))
            .collect()
    }

    /// When the working day starts (the first interval's start).
    pub fn day_start(&self) -> NaiveTime {
        secs_to_time(self.intervals[0].0)
    }

    /// When the working day ends (the last interval's end).
    pub fn day_end(&self) -> NaiveTime {
        secs_to_time(self.intervals[self.intervals.len() - 1].1)
    }

    /// Working seconds in one working day (25,200 for the default).
    pub fn seconds_per_day(&self) -> u32 {
        self.total
    }

    /// Working minutes in one working day (420 for the default).
    pub fn minutes_per_day(&self) -> u32 {
        self.total / 60
    }

    /// Working seconds of a working day elapsed before `second_of_day`.
    pub(crate) fn elapsed_at(&self, second_of_day: u32) -> u32 {
        self.intervals
            .iter()
            .map(|&(a, b)| second_of_day.clamp(a, b) - a)
            .sum()
    }

    /// The earliest second of the day at which `elapsed` working seconds (in
    /// `1..=seconds_per_day`) have passed: an interval's end rather than the next start.
    pub(crate) fn second_at(&self, elapsed: u32) -> u32 {
        let mut before = 0;
        for &(a, b) in &self.intervals {
            let len = b - a;
            if elapsed <= before + len {
                return a + (elapsed - before);
            }
            before += len;
        }
        self.intervals[self.intervals.len() - 1].1
    }
}

fn secs_to_time(secs: u32) -> NaiveTime {
    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("second of day")
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.clone().into();
        f.write_str(&parts.join(","))
    }
}

impl FromStr for WorkingHours {
    type Err = CalendarError;

    /// Parses `09:00-12:00,13:30-17:30` (comma- or whitespace-separated intervals).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<String> = text
            .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        WorkingHours::try_from(parts)
    }
}

impl TryFrom<Vec<String>> for WorkingHours {
    type Error = CalendarError;

    fn try_from(parts: Vec<String>) -> Result<Self, Self::Error> {
        let content = parts.join(",");
        let mut intervals = Vec::with_capacity(parts.len());
        for part in &parts {
            let parsed = part.split_once('-').and_then(|(a, b)| {
                let a = NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
                let b = NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?;
                Some((a, b))
            });
            match parsed {
                Some(interval) => intervals.push(interval),
                None => {
                    return Err(CalendarError::WorkingHours {
                        content,
                        reason: format!("「{part}」应为「HH:MM-HH:MM」"),
                    });
                }
            }
        }
        WorkingHours::new(&intervals)
    }
}

impl From<WorkingHours> for Vec<String> {
    fn from(hours: WorkingHours) -> Self {
        hours
            .intervals()
            .iter()
            .map(|(a, b)| format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")))
            .collect()
    }
}
