//! A task's status (任务状态), derived from what happened to it, and the review of its
//! progress reports.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 草稿 (imported, not yet published), 未启动, 推进中, 已完成, 逾期, 已销号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Draft,
    NotStarted,
    InProgress,
    Done,
    Overdue,
    Closed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 6] = [
        TaskStatus::Draft,
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Overdue,
        TaskStatus::Closed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Draft => "草稿",
            TaskStatus::NotStarted => "未启动",
            TaskStatus::InProgress => "推进中",
            TaskStatus::Done => "已完成",
            TaskStatus::Overdue => "逾期",
            TaskStatus::Closed => "已销号",
        }
    }

    /// The snake-case name used in the API and in query strings.
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Draft => "draft",
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Overdue => "overdue",
            TaskStatus::Closed => "closed",
        }
    }

    /// The status a [`code`](TaskStatus::code) names.
    pub fn from_code(code: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What a task's status is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskFacts {
    pub published: bool,
    pub closed: bool,
    pub due: Option<NaiveDate>,
    /// The percent of the latest accepted progress report, if any was accepted.
    pub accepted_percent: Option<u8>,
    /// Whether any progress report was received.
    pub reported: bool,
}

impl TaskFacts {
    /// The status on `today`: 销号 and completion (an accepted report at 100%) stand; a
    /// task past its deadline is 逾期; one with reports is 推进中.
    pub fn status(&self, today: NaiveDate) -> TaskStatus {
        if !self.published {
            TaskStatus::Draft
        } else if self.closed {
            TaskStatus::Closed
        } else if self.accepted_percent == Some(100) {
            TaskStatus::Done
        } else if self.due.is_some_and(|due| today > due) {
            TaskStatus::Overdue
        } else if self.reported {
            TaskStatus::InProgress
        } else {
            TaskStatus::NotStarted
        }
    }
}

/// The office's verdict on a progress report (审核).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Review {
    /// 待审核
    Pending,
    /// 已采纳
    Accepted,
    /// 已退回, with the reason the body sees.
    SentBack { reason: String },
}

impl Review {
    pub fn label(&self) -> &'static str {
        match self {
            Review::Pending => "待审核",
            Review::Accepted => "已采纳",
            Review::SentBack { .. } => "已退回",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_follows_the_facts() {
        let today: NaiveDate = "2026-06-01".parse().unwrap();
        let facts = TaskFacts {
            published: true,
            closed: false,
            due: Some("2026-12-31".parse().unwrap()),
            accepted_percent: None,
            reported: false,
        };
        assert_eq!(
            TaskFacts {
                published: false,
                ..facts
            }
            .status(today),
            TaskStatus::Draft
        );
        assert_eq!(facts.status(today), TaskStatus::NotStarted);
        assert_eq!(
            TaskFacts {
                reported: true,
                ..facts
            }
            .status(today),
            TaskStatus::InProgress
        );
        let late: NaiveDate = "2027-01-04".parse().unwrap();
        assert_eq!(facts.status(late), TaskStatus::Overdue);
        let done = TaskFacts {
            accepted_percent: Some(100),
            reported: true,
            ..facts
        };
        assert_eq!(done.status(late), TaskStatus::Done);
        assert_eq!(
            TaskFacts {
                closed: true,
                ..done
            }
            .status(late),
            TaskStatus::Closed
        );
    }
}
