//! The period assessed (考核周期): a month (`2026-11`), a quarter (`2026-Q4`), a year
//! (`2026`) or a custom range of days (`2026-11-01..2026-11-15`, both days included), in
//! China's local calendar.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Serialize, Serializer};

use crate::deadline::from_china_local;
use crate::error::DomainError;

/// What kind of period it is: the previous one is of the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    Custom,
}

/// A period of whole days: `start` included, `end` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

fn invalid(text: &str) -> DomainError {
    DomainError::InvalidField {
        field: "period",
        reason: format!(
            "考核周期「{text}」格式不正确，应为 2026-11、2026-Q4、2026 或 2026-11-01..2026-11-15"
        ),
    }
}

fn date(y: i32, m: u32, d: u32, text: &str) -> Result<NaiveDate, DomainError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| invalid(text))
}

impl Period {
    /// The month holding `day`.
    pub fn month_of(day: NaiveDate) -> Period {
        let start = day.with_day(1).expect("day 1 exists");
        Period {
            kind: PeriodKind::Month,
            start,
            end: start + Months::new(1),
        }
    }

    /// Parses `2026-11`, `2026-Q4`, `2026` or `2026-11-01..2026-11-15`.
    pub fn parse(text: &str) -> Result<Period, DomainError> {
        let t = text.trim();
        let bad = || invalid(t);
        if let Some((a, b)) = t.split_once("..") {
            let start = NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d").map_err(|_| bad())?;
            let last = NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d").map_err(|_| bad())?;
            if last < start || (last - start).num_days() > 366 * 3 {
                return Err(DomainError::InvalidField {
                    field: "period",
                    reason: "自定义周期的结束日须不早于开始日，且不超过三年".into(),
                });
            }
            return Ok(Period {
                kind: PeriodKind::Custom,
                start,
                end: last.succ_opt().ok_or_else(bad)?,
            });
        }
        let year = |s: &str| -> Result<i32, DomainError> {
            match s.parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) && s.len() == 4 => Ok(y),
                _ => Err(bad()),
            }
        };
        if let Some((y, rest)) = t.split_once('-') {
            let y = year(y)?;
            if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                let q: u32 = q.parse().map_err(|_| bad())?;
                if !(1..=4).contains(&q) {
                    return Err(bad());
                }
                let start = date(y, 3 * q - 2, 1, t)?;
                return Ok(Period {
                    kind: PeriodKind::Quarter,
                    start,
                    end: start + Months::new(3),
                });
            }
            let m: u32 = rest.parse().map_err(|_| bad())?;
            return Ok(Period::month_of(date(y, m, 1, t)?));
        }
        let start = date(year(t)?, 1, 1, t)?;
        Ok(Period {
            kind: PeriodKind::Year,
            start,
            end: start + Months::new(12),
        })
    }

    /// The period just before, of the same kind and length (环比).
    pub fn previous(&self) -> Period {
        self.shifted_back(match self.kind {
            PeriodKind::Month => Some(1),
            PeriodKind::Quarter => Some(3),
            PeriodKind::Year => Some(12),
            PeriodKind::Custom => None,
        })
    }

    /// The same period a year before (同比).
    pub fn year_before(&self) -> Period {
        self.shifted_back(Some(12))
    }

    fn shifted_back(&self, months: Option<u32>) -> Period {
        match months {
            Some(m) => Period {
                kind: self.kind,
                start: self.start - Months::new(m),
                end: self.end - Months::new(m),
            },
            None => {
                let days = self.end - self.start;
                Period {
                    kind: self.kind,
                    start: self.start - days,
                    end: self.start,
                }
            }
        }
    }

    /// The first instant of the period.
    pub fn from(&self) -> DateTime<Utc> {
        from_china_local(self.start.and_hms_opt(0, 0, 0).expect("midnight exists"))
    }

    /// The first instant after the period.
    pub fn to(&self) -> DateTime<Utc> {
        from_china_local(self.end.and_hms_opt(0, 0, 0).expect("midnight exists"))
    }

    /// The period as parsed back by [`Period::parse`].
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month => self.start.format("%Y-%m").to_string(),
            PeriodKind::Quarter => {
                format!("{}-Q{}", self.start.year(), self.start.month0() / 3 + 1)
            }
            PeriodKind::Year => self.start.year().to_string(),
            PeriodKind::Custom => format!(
                "{}..{}",
                self.start,
                self.end.pred_opt().unwrap_or(self.end)
            ),
        }
    }

    /// The period in Chinese: 2026年11月, 2026年第4季度, 2026年, 2026-11-01至2026-11-15.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => self.start.format("%Y年%-m月").to_string(),
            PeriodKind::Quarter => {
                format!(
                    "{}年第{}季度",
                    self.start.year(),
                    self.start.month0() / 3 + 1
                )
            }
            PeriodKind::Year => format!("{}年", self.start.year()),
            PeriodKind::Custom => format!(
                "{}至{}",
                self.start,
                self.end.pred_opt().unwrap_or(self.end)
            ),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_and_steps_back() {
        let m = Period::parse("2026-01").unwrap();
        assert_eq!(m.previous().code(), "2025-12");
        assert_eq!(m.year_before().code(), "2025-01");
        assert_eq!(m.label(), "2026年1月");
        let q = Period::parse("2026-Q4").unwrap();
        assert_eq!((q.start.month(), q.end.month()), (10, 1));
        assert_eq!(q.previous().code(), "2026-Q3");
        assert_eq!(Period::parse("2026").unwrap().previous().code(), "2025");
        let c = Period::parse("2026-11-01..2026-11-10").unwrap();
        assert_eq!(c.previous().code(), "2026-10-22..2026-10-31");
        assert_eq!(c.to() - c.from(), chrono::Duration::days(10));
        for bad in [
            "2026-13",
            "26-11",
            "2026-Q5",
            "2026-11-10..2026-11-01",
            "十一月",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
