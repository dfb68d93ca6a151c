//! The official working-day calendar (工作日历): which days are worked under the State
//! Council's holiday schedules, and arithmetic in working days and working hours.
//!
//! * [`Schedule`] — one year's published schedule, parsed from text (format documented in
//!   [`schedule`] and at the top of every shipped file under `calendar/`).
//! * [`WorkingHours`] — the counted intervals of a working day.
//! * [`Calendar`] — the schedules 2020–2026 built in ([`Calendar::official`]), years an
//!   admin imports ([`Calendar::with_year`]), and O(1) lookups backed by a precomputed day
//!   table with a prefix sum of working days.
//!
//! Years without a schedule fall back to Monday–Friday; [`Calendar::covers`] tells whether a
//! year is backed by a published schedule.

mod error;
mod hours;
pub mod schedule;
mod table;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

pub use error::CalendarError;
pub use hours::WorkingHours;
pub use schedule::{EntryKind, Schedule, ScheduleEntry};
use table::{DayTable, date_of, day_number};

/// The shipped schedules (国务院办公厅部分节假日安排的通知), one file per year.
const OFFICIAL_FILES: &[&str] = &[
    include_str!("../../calendar/2020.txt"),
    include_str!("../../calendar/2021.txt"),
    include_str!("../../calendar/2022.txt"),
    include_str!("../../calendar/2023.txt"),
    include_str!("../../calendar/2024.txt"),
    include_str!("../../calendar/2025.txt"),
    include_str!("../../calendar/2026.txt"),
];

/// What a day is (日期类型). Displays as `workday`, `holiday` or `weekend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    /// A working day (工作日): Monday–Friday, or a weekend day worked instead (调休上班).
    Workday,
    /// A statutory holiday (法定节假日), including weekend days inside a holiday range.
    Holiday,
    /// An ordinary Saturday or Sunday (周末).
    Weekend,
}

impl DayKind {
    /// The Chinese label: 工作日, 节假日 or 周末.
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Workday => "工作日",
            DayKind::Holiday => "节假日",
            DayKind::Weekend => "周末",
        }
    }
}

impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DayKind::Workday => "workday",
            DayKind::Holiday => "holiday",
            DayKind::Weekend => "weekend",
        })
    }
}

/// The working-day calendar (工作日历): holiday schedules by year plus the daily working
/// hours. Immutable; [`Calendar::with_year`] and [`Calendar::with_working_hours`] return a
/// new value, so a failed import never leaves a half-updated calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    schedules: BTreeMap<i32, Schedule>,
    hours: WorkingHours,
    table: DayTable,
}

impl Default for Calendar {
    /// The official calendar.
    fn default() -> Self {
        Calendar::official()
    }
}

impl Calendar {
    /// The built-in calendar: the State Council schedules for 2020–2026 and the default
    /// working hours (09:00–12:00, 13:30–17:30).
    pub fn official() -> Calendar {
        let schedules = OFFICIAL_FILES
            .iter()
            .map(|text| Schedule::parse(text).expect("the shipped calendar files are valid"));
        Calendar::from_schedules(schedules, WorkingHours::default())
    }

    /// A calendar with no schedule at all: every year is Monday–Friday.
    pub fn weekdays_only() -> Calendar {
        Calendar::from_schedules(std::iter::empty(), WorkingHours::default())
    }

    /// A calendar of the given schedules (a later schedule of the same year wins).
    pub fn from_schedules(
        schedules: impl IntoIterator<Item = Schedule>,
        hours: WorkingHours,
    ) -> Calendar {
        let schedules: BTreeMap<i32, Schedule> =
            schedules.into_iter().map(|s| (s.year(), s)).collect();
        let table = DayTable::build(schedules.values());
        Calendar {
            schedules,
            hours,
            table,
        }
    }

    /// This calendar with `schedule` replacing whatever it had for that year.
    pub fn with_year(self, schedule: Schedule) -> Calendar {
        let mut schedules = self.schedules;
        schedules.insert(schedule.year(), schedule);
        Calendar::from_schedules(schedules.into_values(), self.hours)
    }

    /// This calendar with other daily working hours.
    pub fn with_working_hours(self, hours: WorkingHours) -> Calendar {
        Calendar { hours, ..self }
    }

    /// The daily working hours.
    pub fn working_hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// Whether `year` is backed by a published schedule (otherwise it is counted as plain
    /// Monday–Friday weeks, which is wrong around holidays).
    pub fn covers(&self, year: i32) -> bool {
        self.schedules.contains_key(&year)
    }

    /// The years with a schedule, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.schedules.keys().copied().collect()
    }

    /// The schedule of `year`, if covered.
    pub fn schedule(&self, year: i32) -> Option<&Schedule> {
        self.schedules.get(&year)
    }

    /// The schedule of `year` as file text, for the store to persist; `None` if uncovered.
    pub fn to_file_text(&self, year: i32) -> Option<String> {
        self.schedule(year).map(Schedule::to_text)
    }

    /// What `date` is. O(1).
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        self.table.kind(day_number(date))
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date) == DayKind::Workday
    }

    /// The `n`-th working day after `date` (`date` itself is not counted; `n = 0` gives
    /// `date`). O(1). Saturates at chrono's last date for absurd `n`.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return date;
        }
        let k = self.table.before(day_number(date) + 1) + i64::from(n) - 1;
        date_of(self.table.nth(k))
    }

    /// Working days after `from` up to and including `to` (negative when `to < from`), so
    /// that `working_days_between(d, add_working_days(d, n)) == n`. O(1).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.table.before(day_number(to) + 1) - self.table.before(day_number(from) + 1)
    }

    /// The end of the working day on `date` (17:30 by default).
    pub fn end_of_working_day(&self, date: NaiveDate) -> NaiveDateTime {
        date.and_time(self.hours.day_end())
    }

    /// The moment when `seconds` of working time have passed after `at`. Time outside the
    /// working hours and on rest days does not count; a result that falls on the end of an
    /// interval is that end (12:00, 17:30), not the next start. `seconds = 0` gives `at`.
    pub fn add_working_seconds(&self, at: NaiveDateTime, seconds: u64) -> NaiveDateTime {
        if seconds == 0 {
            return at;
        }
        let seconds = i64::try_from(seconds).unwrap_or(i64::MAX).min(i64::MAX / 4);
        self.moment_at_working_ordinal(self.working_ordinal(at) + seconds)
    }

    /// [`Calendar::add_working_seconds`] in minutes.
    pub fn add_working_minutes(&self, at: NaiveDateTime, minutes: u32) -> NaiveDateTime {
        self.add_working_seconds(at, u64::from(minutes) * 60)
    }

    /// [`Calendar::add_working_seconds`] in (fractional) hours, rounded to the second;
    /// e.g. 11:00 + 2 h = 14:30 across the lunch break.
    pub fn add_working_hours(
        &self,
        at: NaiveDateTime,
        hours: f64,
    ) -> Result<NaiveDateTime, CalendarError> {
        if !hours.is_finite() || hours < 0.0 {
            return Err(CalendarError::InvalidAmount {
                value: hours.to_string(),
            });
        }
        let seconds = (hours * 3600.0).round();
        let seconds = if seconds >= u64::MAX as f64 {
            u64::MAX
        } else {
            seconds as u64
        };
        Ok(self.add_working_seconds(at, seconds))
    }

    /// Working seconds from `from` to `to` (negative when `to < from`).
    pub fn working_seconds_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        self.working_ordinal(to) - self.working_ordinal(from)
    }

    /// Whole working minutes from `from` to `to` (negative when `to < from`), e.g. to show
    /// the share of a limit already used.
    pub fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        self.working_seconds_between(from, to) / 60
    }

    /// Working seconds from a fixed origin up to `at`: a monotone clock that only runs
    /// during working hours. O(1).
    pub(crate) fn working_ordinal(&self, at: NaiveDateTime) -> i64 {
        let x = day_number(at.date());
        let per_day = i64::from(self.hours.seconds_per_day());
        let before = self.table.before(x) * per_day;
        if self.table.kind(x) == DayKind::Workday {
            before + i64::from(self.hours.elapsed_at(at.num_seconds_from_midnight()))
        } else {
            before
        }
    }

    /// The earliest moment whose [`Calendar::working_ordinal`] is `ordinal`.
    pub(crate) fn moment_at_working_ordinal(&self, ordinal: i64) -> NaiveDateTime {
        let per_day = i64::from(self.hours.seconds_per_day());
        let k = (ordinal - 1).div_euclid(per_day);
        let within = (ordinal - k * per_day) as u32;
        let date = date_of(self.table.nth(k));
        let second = self.hours.second_at(within);
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(second, 0)
            .expect("a second of the day");
        date.and_time(time)
    }
}
