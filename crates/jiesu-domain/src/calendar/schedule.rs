//! One year's holiday schedule (年度节假日安排) and its text file format.
//!
//! The format, shared by the shipped files under `calendar/` and the files an admin imports:
//!
//! ```text
//! # comments start with '#', anywhere on a line; blank lines are ignored
//! year 2024                              # required, once, before any entry
//! 2024-01-01 off 元旦                    # a statutory holiday (法定节假日)
//! 2024-02-04 work 春节调休               # an adjusted working day (调休上班), Sat or Sun
//! 2024-02-10..2024-02-17 off 春节        # an inclusive range
//! ```
//!
//! Entries must be in chronological order, must not overlap or repeat, and every date must
//! lie in the declared year. A `work` day must be a Saturday or Sunday (a weekday already is
//! a working day). The trailing name is free text and may be empty.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use super::error::CalendarError;

/// Years a schedule may declare (支持的年份范围).
pub const MIN_YEAR: i32 = 2000;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i32 = 2100;

/// Whether an entry's days are rest days or worked days (安排类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A statutory holiday (法定节假日), keyword `off`.
    Off,
    /// A weekend day worked instead (调休上班), keyword `work`.
    Work,
}

impl EntryKind {
    /// The keyword used in the file.
    pub fn keyword(self) -> &'static str {
        match self {
            EntryKind::Off => "off",
            EntryKind::Work => "work",
        }
    }
}

/// One line of a schedule: an inclusive date range and what those days are (节假日安排条目).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScheduleEntry {
    /// First day of the range.
    pub first: NaiveDate,
    /// Last day of the range (inclusive; equal to `first` for a single day).
    pub last: NaiveDate,
    /// Rest or work.
    pub kind: EntryKind,
    /// The festival's name, e.g. 春节 or 春节调休; may be empty.
    pub name: String,
}

impl ScheduleEntry {
    /// Every day of the range, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.first.iter_days().take_while(move |d| *d <= self.last)
    }
}

impl fmt::Display for ScheduleEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)?;
        } else {
            write!(f, "{}..{}", self.first, self.last)?;
        }
        write!(f, " {}", self.kind.keyword())?;
        if !self.name.is_empty() {
            write!(f, " {}", self.name)?;
        }
        Ok(())
    }
}

/// A validated holiday schedule for one year (年度节假日安排), as published by the State
/// Council. Built only by [`Schedule::parse`], so every value is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    year: i32,
    entries: Vec<ScheduleEntry>,
}

impl Schedule {
    /// Parses and validates a year file (format in the module docs). Any error names the
    /// line; on error nothing is returned, so a caller never holds a half-read schedule.
    pub fn parse(text: &str) -> Result<Schedule, CalendarError> {
        let mut year: Option<i32> = None;
        // (line number, entry) of every accepted entry, in file order.
        let mut accepted: Vec<(usize, ScheduleEntry)> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let malformed = |reason: &str| CalendarError::Malformed {
                line,
                content: content.to_string(),
                reason: reason.to_string(),
            };
            let mut words = content.split_whitespace();
            let head = words.next().unwrap_or("");
            if head == "year" {
                if year.is_some() {
                    return Err(malformed("年份已声明过，只能声明一次"));
                }
                if !accepted.is_empty() {
                    return Err(malformed("年份声明必须在所有条目之前"));
                }
                let (Some(value), None) = (words.next(), words.next()) else {
                    return Err(malformed("应为「year YYYY」"));
                };
                let value: i32 = value.parse().map_err(|_| malformed("年份应为四位数字"))?;
                if !(MIN_YEAR..=MAX_YEAR).contains(&value) {
                    return Err(CalendarError::YearOutOfRange {
                        line,
                        year: value,
                        min: MIN_YEAR,
                        max: MAX_YEAR,
                    });
                }
                year = Some(value);
                continue;
            }
            let declared = year.ok_or(CalendarError::MissingYear)?;
            let entry = parse_entry(line, content, head, words)?;
            check_entry(line, content, declared, &entry, &accepted)?;
            accepted.push((line, entry));
        }
        let year = year.ok_or(CalendarError::MissingYear)?;
        Ok(Schedule {
            year,
            entries: accepted.into_iter().map(|(_, e)| e).collect(),
        })
    }

    /// The year this schedule declares.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The entries, in chronological order.
    pub fn entries(&self) -> &[ScheduleEntry] {
        &self.entries
    }

    /// The schedule as file text (the format [`Schedule::parse`] reads), for the store to
    /// persist an imported year. `parse(to_text())` gives back an equal schedule.
    pub fn to_text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "# Format: DATE[..DATE] off|work NAME — off 放假, work 调休上班; '#' starts a comment."
        )?;
        writeln!(f, "year {}", self.year)?;
        for entry in &self.entries {
            writeln!(f, "{entry}")?;
        }
        Ok(())
    }
}

fn parse_entry<'a>(
    line: usize,
    content: &str,
    range: &str,
    mut words: impl Iterator<Item = &'a str>,
) -> Result<ScheduleEntry, CalendarError> {
    let malformed = |reason: String| CalendarError::Malformed {
        line,
        content: content.to_string(),
        reason,
    };
    let date = |text: &str| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| malformed(format!("「{text}」不是有效日期（应为 YYYY-MM-DD）")))
    };
    let (first, last) = match range.split_once("..") {
        Some((a, b)) => (date(a)?, date(b)?),
        None => {
            let d = date(range)?;
            (d, d)
        }
    };
    let keyword = words
        .next()
        .ok_or_else(|| malformed("缺少类型 off（放假）或 work（调休上班）".to_string()))?;
    let kind = match keyword {
        "off" => EntryKind::Off,
        "work" => EntryKind::Work,
        other => {
            return Err(CalendarError::UnknownKeyword {
                line,
                content: content.to_string(),
                keyword: other.to_string(),
            });
        }
    };
    let name = words.collect::<Vec<_>>().join(" ");
    Ok(ScheduleEntry {
        first,
        last,
        kind,
        name,
    })
}

fn check_entry(
    line: usize,
    content: &str,
    declared: i32,
    entry: &ScheduleEntry,
    accepted: &[(usize, ScheduleEntry)],
) -> Result<(), CalendarError> {
    let content = content.to_string();
    if entry.first.year() != declared || entry.last.year() != declared {
        return Err(CalendarError::WrongYear {
            line,
            content,
            declared,
        });
    }
    if entry.last < entry.first {
        return Err(CalendarError::OutOfOrder {
            line,
            content,
            reason: format!("结束日期 {} 早于开始日期 {}", entry.last, entry.first),
        });
    }
    if entry.kind == EntryKind::Work
        && let Some(day) = entry
            .days()
            .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
    {
        return Err(CalendarError::WorkOnWeekday {
            line,
            content,
            date: day.to_string(),
        });
    }
    for (other_line, other) in accepted {
        let same_days = other.first == entry.first && other.last == entry.last;
        if same_days {
            return Err(CalendarError::Duplicate {
                line,
                content,
                other_line: *other_line,
            });
        }
        if other.first <= entry.last && entry.first <= other.last {
            return Err(CalendarError::Overlap {
                line,
                content,
                other_line: *other_line,
            });
        }
    }
    if let Some((prev_line, prev)) = accepted.last()
        && entry.first < prev.first
    {
        return Err(CalendarError::OutOfOrder {
            line,
            content,
            reason: format!("应排在第 {prev_line} 行（{}）之前", prev.first),
        });
    }
    Ok(())
}
