//! The reporting cadence (报送周期) of a task and the timing of its next report.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::DomainError;

/// Working days before a report's due date when it is 临期.
pub const DUE_SOON_WORKING_DAYS: i64 = 2;

/// How often a task's bodies report progress: every month by a day of the month, every
/// quarter by a day of the quarter's first month, or only when asked (不定期).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "every", rename_all = "snake_case")]
pub enum Cadence {
    #[default]
    None,
    Monthly {
        day: u32,
    },
    Quarterly {
        day: u32,
    },
}

impl Cadence {
    /// The stored form: "none", "monthly:28", "quarterly:20".
    pub fn keyword(self) -> String {
        match self {
            Cadence::None => "none".into(),
            Cadence::Monthly { day } => format!("monthly:{day}"),
            Cadence::Quarterly { day } => format!("quarterly:{day}"),
        }
    }

    pub fn parse(text: &str) -> Result<Cadence, DomainError> {
        let invalid = || DomainError::InvalidField {
            field: "cadence",
            reason: format!("报送周期「{text}」不合法，应为 none、monthly:日 或 quarterly:日"),
        };
        let (kind, day) = match text.trim().split_once(':') {
            None if text.trim() == "none" || text.trim().is_empty() => return Ok(Cadence::None),
            None => return Err(invalid()),
            Some((kind, day)) => (kind, day.trim().parse::<u32>().map_err(|_| invalid())?),
        };
        if !(1..=31).contains(&day) {
            return Err(invalid());
        }
        match kind.trim() {
            "monthly" => Ok(Cadence::Monthly { day }),
            "quarterly" => Ok(Cadence::Quarterly { day }),
            _ => Err(invalid()),
        }
    }

    /// "每月28日前", "每季度首月20日前", "不定期".
    pub fn label(self) -> String {
        match self {
            Cadence::None => "不定期".into(),
            Cadence::Monthly { day } => format!("每月{day}日前"),
            Cadence::Quarterly { day } => format!("每季度首月{day}日前"),
        }
    }

    /// When the next report is due, counting from `since` (the last report, or the day the
    /// task went live): the first reporting day after it, moved to the next working day
    /// when it falls on a rest day (遇节假日顺延). `None` without a cadence.
    pub fn next_due(self, since: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
        let (day, months) = match self {
            Cadence::None => return None,
            Cadence::Monthly { day } => (day, 1),
            Cadence::Quarterly { day } => (day, 3),
        };
        let mut year = since.year();
        let mut month = since.month();
        if months == 3 {
            month = (month - 1) / 3 * 3 + 1;
        }
        loop {
            let nominal = day_in_month(year, month, day);
            if nominal > since {
                let mut due = nominal;
                while !calendar.is_working_day(due) {
                    due = due.succ_opt()?;
                }
                return Some(due);
            }
            month += months;
            if month > 12 {
                month -= 12;
                year += 1;
            }
        }
    }
}

/// Day `day` of the month, or its last day when the month is shorter.
fn day_in_month(year: i32, month: u32, day: u32) -> NaiveDate {
    (1..=day)
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
        .unwrap_or(NaiveDate::MIN)
}

/// Where a report stands against its due date (报送状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportTiming {
    /// 正常
    OnTime,
    /// 临期: due within [`DUE_SOON_WORKING_DAYS`] working days.
    DueSoon,
    /// 超期: the due date has passed without a report.
    Late,
}

impl ReportTiming {
    pub fn of(due: NaiveDate, today: NaiveDate, calendar: &Calendar) -> ReportTiming {
        if today > due {
            ReportTiming::Late
        } else if calendar.working_days_between(today, due) <= DUE_SOON_WORKING_DAYS {
            ReportTiming::DueSoon
        } else {
            ReportTiming::OnTime
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportTiming::OnTime => "正常",
            ReportTiming::DueSoon => "临期",
            ReportTiming::Late => "超期",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn monthly_reports_fall_due_on_the_day_or_the_next_working_day() {
        let calendar = Calendar::weekdays_only();
        let monthly = Cadence::parse("monthly:28").unwrap();
        // 2026-02-28 is a Saturday: due the Monday after.
        assert_eq!(
            monthly.next_due(date("2026-02-10"), &calendar),
            Some(date("2026-03-02"))
        );
        assert_eq!(
            monthly.next_due(date("2026-04-28"), &calendar),
            Some(date("2026-05-28"))
        );
        let quarterly = Cadence::parse("quarterly:20").unwrap();
        assert_eq!(
            quarterly.next_due(date("2026-02-10"), &calendar),
            Some(date("2026-04-20"))
        );
        assert_eq!(Cadence::None.next_due(date("2026-02-10"), &calendar), None);
        assert_eq!(Cadence::parse(&monthly.keyword()).unwrap(), monthly);
        assert!(Cadence::parse("weekly:3").is_err());
        assert!(Cadence::parse("monthly:40").is_err());
    }

    #[test]
    fn a_report_is_due_soon_then_late() {
        let calendar = Calendar::weekdays_only();
        let due = date("2026-05-28");
        assert_eq!(
            ReportTiming::of(due, date("2026-05-20"), &calendar),
            ReportTiming::OnTime
        );
        assert_eq!(
            ReportTiming::of(due, date("2026-05-26"), &calendar),
            ReportTiming::DueSoon
        );
        assert_eq!(
            ReportTiming::of(due, date("2026-05-29"), &calendar),
            ReportTiming::Late
        );
    }
}
