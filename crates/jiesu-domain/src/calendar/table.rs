//! The precomputed day table behind [`super::Calendar`]: O(1) day kinds, working-day
//! ordinals and their inverse.
//!
//! Days are numbered `x = days since 0001-01-01`, a Monday, so `x mod 7` is the weekday
//! (0 = Monday). `W(x)` is the number of working days strictly before day `x`, counted
//! from a fixed origin; it may be negative. Outside the covered span every week has five
//! working days and `W` has a closed form; inside it a prefix sum is read. Because
//! adjusted days inside the span can make the span's working-day count differ from the
//! plain week's, the closed form after the span is shifted by a constant `delta`.

use chrono::{Datelike, NaiveDate};

use super::DayKind;
use super::schedule::{EntryKind, Schedule};

#[derive(Debug, Clone)]
pub(crate) struct DayTable {
    /// Day number of the first covered day (1 January of the first covered year).
    lo: i64,
    /// Kind of each day of the span `[lo, lo + kinds.len())`.
    kinds: Vec<DayKind>,
    /// `prefix[i]` = working days in `[lo, lo + i)`; `kinds.len() + 1` values.
    prefix: Vec<u32>,
    /// Offset from `lo` of each working day of the span, in order.
    workdays: Vec<u32>,
    /// `W(lo)`.
    w_lo: i64,
    /// `W(x) - plain(x)` for days after the span.
    delta: i64,
}

/// Working days before `x` in a plain Monday–Friday week.
fn plain(x: i64) -> i64 {
    5 * x.div_euclid(7) + x.rem_euclid(7).min(5)
}

/// The day with `plain(x) == k` that is a Monday–Friday.
fn plain_inverse(k: i64) -> i64 {
    7 * k.div_euclid(5) + k.rem_euclid(5)
}

fn plain_kind(x: i64) -> DayKind {
    if x.rem_euclid(7) < 5 {
        DayKind::Workday
    } else {
        DayKind::Weekend
    }
}

pub(crate) fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 1
}

/// The date of a day number, saturating at chrono's limits.
pub(crate) fn date_of(x: i64) -> NaiveDate {
    i32::try_from(x + 1)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(if x < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

impl DayTable {
    /// Builds the table over the span from the first to the last scheduled year. Years in
    /// between without a schedule follow the plain week.
    pub(crate) fn build<'a>(schedules: impl IntoIterator<Item = &'a Schedule>) -> DayTable {
        let schedules: Vec<&Schedule> = schedules.into_iter().collect();
        let (Some(first), Some(last)) = (
            schedules.iter().map(|s| s.year()).min(),
            schedules.iter().map(|s| s.year()).max(),
        ) else {
            return DayTable {
                lo: 0,
                kinds: Vec::new(),
                prefix: vec![0],
                workdays: Vec::new(),
                w_lo: 0,
                delta: 0,
            };
        };
        let start = NaiveDate::from_ymd_opt(first, 1, 1).expect("supported year");
        let end = NaiveDate::from_ymd_opt(last + 1, 1, 1).expect("supported year");
        let lo = day_number(start);
        let hi = day_number(end);
        let mut kinds: Vec<DayKind> = (lo..hi).map(plain_kind).collect();
        for schedule in schedules {
            for entry in schedule.entries() {
                let kind = match entry.kind {
                    EntryKind::Off => DayKind::Holiday,
                    EntryKind::Work => DayKind::Workday,
                };
                for day in entry.days() {
                    kinds[(day_number(day) - lo) as usize] = kind;
                }
            }
        }
        let mut prefix = Vec::with_capacity(kinds.len() + 1);
        let mut workdays = Vec::new();
        let mut count = 0u32;
        for (offset, kind) in kinds.iter().enumerate() {
            prefix.push(count);
            if *kind == DayKind::Workday {
                workdays.push(offset as u32);
                count += 1;
            }
        }
        prefix.push(count);
        let w_lo = plain(lo);
        let delta = w_lo + i64::from(count) - plain(hi);
        DayTable {
            lo,
            kinds,
            prefix,
            workdays,
            w_lo,
            delta,
        }
    }

    fn hi(&self) -> i64 {
        self.lo + self.kinds.len() as i64
    }

    pub(crate) fn kind(&self, x: i64) -> DayKind {
        if x >= self.lo && x < self.hi() {
            self.kinds[(x - self.lo) as usize]
        } else {
            plain_kind(x)
        }
    }

    /// `W(x)`: working days strictly before day `x`.
    pub(crate) fn before(&self, x: i64) -> i64 {
        if x <= self.lo {
            plain(x)
        } else if x <= self.hi() {
            self.w_lo + i64::from(self.prefix[(x - self.lo) as usize])
        } else {
            plain(x) + self.delta
        }
    }

    /// The working day `x` with `W(x) == k`.
    pub(crate) fn nth(&self, k: i64) -> i64 {
        let in_span = i64::from(self.prefix[self.kinds.len()]);
        if k < self.w_lo {
            plain_inverse(k)
        } else if k < self.w_lo + in_span {
            self.lo + i64::from(self.workdays[(k - self.w_lo) as usize])
        } else {
            plain_inverse(k - self.delta)
        }
    }
}
