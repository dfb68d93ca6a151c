//! What follows a published task: its milestones (节点), the bodies' progress reports
//! (进展报送) and the deadline clocks (时限) the scanner watches.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Cadence, ReportTiming};
use crate::appeal::clean_text;
use crate::calendar::Calendar;
use crate::error::DomainError;

/// A milestone (节点) as written: its date and the result expected by then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneDraft {
    pub due: NaiveDate,
    pub expected: String,
}

impl MilestoneDraft {
    pub fn validated(mut self) -> Result<MilestoneDraft, DomainError> {
        self.expected = clean_text("expected", &self.expected, 500, true)?;
        Ok(self)
    }
}

/// A progress report (进展报送) as a body sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub text: String,
    /// How far the task is, 0 to 100.
    pub percent: u8,
    /// The names of the attached files (附件名).
    #[serde(default)]
    pub attachments: Vec<String>,
    /// The milestone this report says is reached, if any.
    #[serde(default)]
    pub milestone: Option<i64>,
}

impl ReportDraft {
    pub fn validated(mut self) -> Result<ReportDraft, DomainError> {
        self.text = clean_text("text", &self.text, 5_000, true)?;
        super::check_percent(i64::from(self.percent))?;
        if self.attachments.len() > 20 {
            return Err(DomainError::InvalidField {
                field: "attachments",
                reason: "附件最多 20 个".into(),
            });
        }
        let mut names = Vec::with_capacity(self.attachments.len());
        for name in &self.attachments {
            let name = clean_text("attachments", name, 200, false)?;
            if !name.is_empty() {
                names.push(name);
            }
        }
        self.attachments = names;
        Ok(self)
    }
}

/// The three clocks of a live task: the next progress report, the next open milestone and
/// the task's own deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskClock {
    Report,
    Milestone,
    Due,
}

impl TaskClock {
    pub fn keyword(self) -> &'static str {
        match self {
            TaskClock::Report => "report",
            TaskClock::Milestone => "milestone",
            TaskClock::Due => "due",
        }
    }

    pub fn parse(text: &str) -> Option<TaskClock> {
        [TaskClock::Report, TaskClock::Milestone, TaskClock::Due]
            .into_iter()
            .find(|c| c.keyword() == text)
    }

    /// "进展报送", "节点", "任务期限".
    pub fn label(self) -> &'static str {
        match self {
            TaskClock::Report => "进展报送",
            TaskClock::Milestone => "节点",
            TaskClock::Due => "任务期限",
        }
    }
}

/// Where a task stands against its clocks (时限状态), the worst of them: stored by the
/// scanner, counted by the board.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    #[default]
    OnTime,
    DueSoon,
    Late,
}

impl Timing {
    pub fn of(timing: ReportTiming) -> Timing {
        match timing {
            ReportTiming::OnTime => Timing::OnTime,
            ReportTiming::DueSoon => Timing::DueSoon,
            ReportTiming::Late => Timing::Late,
        }
    }

    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn from_code(code: i64) -> Timing {
        match code {
            1 => Timing::DueSoon,
            2 => Timing::Late,
            _ => Timing::OnTime,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Timing::OnTime => "正常",
            Timing::DueSoon => "临期",
            Timing::Late => "超期",
        }
    }
}

/// What the scanner knows of an open, live task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockFacts {
    pub cadence: Cadence,
    /// The day of the last progress report, or the day the task went live.
    pub since: NaiveDate,
    /// The earliest milestone not yet reached.
    pub next_milestone: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// Whether an accepted report says the task is done (no more reports or deadline).
    pub done: bool,
}

/// One clock that is 临期 or 超期: an automatic reminder (临期催办) or an overdue notice
/// (超期督办) for the task's lead bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockAlert {
    pub clock: TaskClock,
    pub due: NaiveDate,
    pub timing: Timing,
}

impl ClockAlert {
    /// "临期催办：进展报送应于2026-05-28前完成".
    pub fn message(&self, title: &str) -> String {
        let head = match self.timing {
            Timing::Late => "超期督办",
            _ => "临期催办",
        };
        format!(
            "{head}：任务「{title}」的{}应于{}前完成",
            self.clock.label(),
            self.due
        )
    }
}

impl ClockFacts {
    /// The day each clock is next due: the next report on the cadence, the next milestone,
    /// the deadline.
    fn dues(&self, calendar: &Calendar) -> [(TaskClock, Option<NaiveDate>); 3] {
        [
            (
                TaskClock::Report,
                self.cadence.next_due(self.since, calendar),
            ),
            (TaskClock::Milestone, self.next_milestone),
            (TaskClock::Due, self.due),
        ]
    }

    /// The clocks that are 临期 or 超期 on `today`, and the task's timing (the worst).
    pub fn alerts(&self, today: NaiveDate, calendar: &Calendar) -> (Timing, Vec<ClockAlert>) {
        if self.done {
            return (Timing::OnTime, Vec::new());
        }
        let alerts: Vec<ClockAlert> = self
            .dues(calendar)
            .into_iter()
            .filter_map(|(clock, due)| {
                let due = due?;
                let timing = Timing::of(ReportTiming::of(due, today, calendar));
                (timing != Timing::OnTime).then_some(ClockAlert { clock, due, timing })
            })
            .collect();
        let worst = alerts.iter().map(|a| a.timing).max().unwrap_or_default();
        (worst, alerts)
    }

    /// The first day after `today`, at most `horizon` days on, on which the task's timing or
    /// alerts differ from today's; `None` when none does by then. The clocks' due days do
    /// not move with the day, so only each clock's level is compared: no alert is built.
    pub fn next_change(
        &self,
        today: NaiveDate,
        calendar: &Calendar,
        horizon: u64,
    ) -> Option<NaiveDate> {
        if self.done {
            return None;
        }
        let dues = self.dues(calendar);
        let levels = |day: NaiveDate| {
            dues.map(|(_, due)| due.map(|due| ReportTiming::of(due, day, calendar)))
        };
        let now = levels(today);
        (1..=horizon)
            .filter_map(|n| today.checked_add_days(chrono::Days::new(n)))
            .find(|day| levels(*day) != now)
    }
}

/// Whether something due on `due` and done on `done` was on time (按时).
pub fn on_time(due: Option<NaiveDate>, done: NaiveDate) -> bool {
    due.is_none_or(|due| done <= due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn each_clock_is_due_soon_then_late_and_a_done_task_has_none() {
        let calendar = Calendar::weekdays_only();
        let facts = ClockFacts {
            cadence: Cadence::Monthly { day: 28 },
            since: date("2026-04-30"),
            next_milestone: Some(date("2026-06-30")),
            due: Some(date("2026-12-31")),
            done: false,
        };
        assert_eq!(
            facts.alerts(date("2026-05-20"), &calendar).0,
            Timing::OnTime
        );
        let (timing, alerts) = facts.alerts(date("2026-05-27"), &calendar);
        assert_eq!(timing, Timing::DueSoon);
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].clock, TaskClock::Report);
        assert_eq!(alerts[0].due, date("2026-05-28"));
        let (timing, alerts) = facts.alerts(date("2026-07-01"), &calendar);
        assert_eq!(timing, Timing::Late);
        assert_eq!(
            alerts.iter().map(|a| a.clock).collect::<Vec<_>>(),
            [TaskClock::Report, TaskClock::Milestone]
        );
        assert!(alerts[1].message("示范任务").starts_with("超期督办"));
        let done = ClockFacts {
            done: true,
            ..facts
        };
        assert_eq!(done.alerts(date("2027-07-01"), &calendar).1, vec![]);
        assert!(on_time(Some(date("2026-05-28")), date("2026-05-28")));
        assert!(!on_time(Some(date("2026-05-28")), date("2026-05-29")));
    }

    #[test]
    fn reports_and_milestones_are_checked() {
        let report = ReportDraft {
            text: " 已完成选址 ".into(),
            percent: 40,
            attachments: vec!["照片.jpg".into(), " ".into()],
            milestone: None,
        }
        .validated()
        .unwrap();
        assert_eq!(report.text, "已完成选址");
        assert_eq!(report.attachments, ["照片.jpg"]);
        assert!(
            ReportDraft {
                percent: 101,
                ..report.clone()
            }
            .validated()
            .is_err()
        );
        assert!(
            ReportDraft {
                text: "".into(),
                ..report
            }
            .validated()
            .is_err()
        );
        assert!(
            MilestoneDraft {
                due: date("2026-06-30"),
                expected: " ".into()
            }
            .validated()
            .is_err()
        );
    }
}
