//! Reminders on government tasks (任务催办与督办): the office's urges (督办) on a live task,
//! and what a body's users and the office read — the current 临期/超期 alerts and the urges
//! on the open tasks a body leads (or all), and how many of those tasks are 临期 or 超期.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::ids::BodyId;

use crate::error::StoreResult;

/// An urge (督办) to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUrge {
    pub task: i64,
    /// Who urged, as shown (name of the office's user).
    pub author: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// A recorded urge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUrge {
    pub id: i64,
    pub task: i64,
    pub author: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// What a reminder line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderKind {
    /// The scanner's 临期催办 or 超期督办 that still holds for the task.
    Alert,
    /// The office's urge (督办).
    Urge,
}

/// One line of a body's (or the office's) reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub task: i64,
    pub title: String,
    pub kind: ReminderKind,
    /// The alert's message, or the urge's note.
    pub message: String,
    /// 0 正常, 1 临期, 2 超期: the alert's level; for an urge, the task's timing now.
    pub timing: i64,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait TaskReminderStore: Send + Sync {
    /// Records an urge on a live task that is neither done nor closed; `Stale` otherwise.
    async fn add_urge(&self, urge: &NewUrge) -> StoreResult<i64>;
    /// A task's urges, oldest first.
    async fn urges(&self, task: i64) -> StoreResult<Vec<StoredUrge>>;
    /// The reminders on open live tasks (led by `body`, or all), newest first: the alerts
    /// the task's clocks still stand at, and every urge.
    async fn task_reminders(&self, body: Option<BodyId>, limit: i64) -> StoreResult<Vec<Reminder>>;
    /// How many open live tasks (led by `body`, or all) are 临期 or 超期.
    async fn tasks_needing_attention(&self, body: Option<BodyId>) -> StoreResult<i64>;
}
