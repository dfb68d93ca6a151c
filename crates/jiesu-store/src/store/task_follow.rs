//! Following published tasks (督查督办): which bodies carry each task, its milestones (节点),
//! the bodies' progress reports (进展报送) and the office's review, 销号, and what the
//! deadline scanner and the supervision office's board read.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{
    Cadence, ClockAlert, MilestoneDraft, ReportDraft, Review, TaskFacts, TaskStatus, Timing,
};

use crate::error::StoreResult;
use crate::filter::Page;

/// The bodies a draft goes live with: lead bodies (牵头单位) and co-bodies (责任单位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskAssignment {
    pub task: i64,
    pub lead: Vec<BodyId>,
    pub co: Vec<BodyId>,
}

/// A milestone (节点) as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMilestone {
    pub id: i64,
    pub task: i64,
    pub due: NaiveDate,
    pub expected: String,
    /// When an accepted report said it was reached, and whether that was by its date.
    pub done: Option<(DateTime<Utc>, bool)>,
}

/// A progress report (进展报送) as stored, with its review.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    pub id: i64,
    pub task: i64,
    pub body: Option<BodyId>,
    /// Who sent it (their display name).
    pub author: String,
    pub report: ReportDraft,
    /// The reporting day it answered (by the cadence), and whether it came by then.
    pub due: Option<NaiveDate>,
    pub on_time: bool,
    pub created_at: DateTime<Utc>,
    pub review: Review,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// A report about to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub task: i64,
    pub body: Option<BodyId>,
    pub author: String,
    pub report: ReportDraft,
    pub due: Option<NaiveDate>,
    pub on_time: bool,
    pub at: DateTime<Utc>,
}

/// The office's verdict on a report and what an accepted one establishes (decided by the
/// application from the task's dates).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub report: i64,
    pub review: Review,
    /// The milestone the accepted report reaches, and whether by its date.
    pub milestone: Option<(i64, bool)>,
    /// When the accepted report says 100%: whether the task was done by its deadline.
    pub done_on_time: Option<bool>,
}

/// Where a live task stands: its bodies, what its reports established, its clocks.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStanding {
    pub lead: Vec<BodyId>,
    pub co: Vec<BodyId>,
    pub last_report_at: Option<DateTime<Utc>>,
    /// The percent of the latest accepted report.
    pub accepted_percent: Option<u8>,
    /// When an accepted report said 100%.
    pub done_at: Option<DateTime<Utc>>,
    pub close_note: String,
    /// The worst clock as the scanner last saw it.
    pub timing: Timing,
}

impl TaskStanding {
    /// The facts the task's status is derived from.
    pub fn facts(&self, task: &crate::StoredTask) -> TaskFacts {
        TaskFacts {
            published: task.published_at.is_some(),
            closed: task.closed_at.is_some(),
            due: task.draft.due,
            accepted_percent: self.accepted_percent,
            reported: self.last_report_at.is_some(),
        }
    }
}

/// What the scanner reads of an open live task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskClocks {
    pub id: i64,
    pub title: String,
    pub cadence: Cadence,
    pub due: Option<NaiveDate>,
    pub published_at: DateTime<Utc>,
    pub last_report_at: Option<DateTime<Utc>>,
    pub next_milestone: Option<NaiveDate>,
    pub done: bool,
    pub timing: Timing,
    /// The alerts already sent for the current clocks (see [`alert_key`]).
    pub alerted: String,
}

/// What one task's scan changed: its timing, the key of its alerts and the alerts to record.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockChange {
    pub task: i64,
    pub timing: Timing,
    pub alerted: String,
    pub alerts: Vec<(ClockAlert, String)>,
    /// The first day the task may need judging again (下次检查日).
    pub next_check: NaiveDate,
}

/// The key of a set of alerts: the same clocks at the same levels need no new notice.
pub fn alert_key(alerts: &[ClockAlert]) -> String {
    alerts
        .iter()
        .map(|a| format!("{}:{}:{}", a.clock.keyword(), a.due, a.timing.code()))
        .collect::<Vec<_>>()
        .join("|")
}

/// A recorded reminder or overdue notice on a task.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAlert {
    pub task: i64,
    pub alert: ClockAlert,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

/// Which live tasks the board and the lists take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    /// Source document (exact title).
    pub document: Option<String>,
    /// Tasks this body leads or shares.
    pub body: Option<BodyId>,
    /// Tasks in this status on that day (未启动, 推进中, 已完成, 逾期, 已销号); the lists only,
    /// the per-body sums do not split by status.
    pub status: Option<(TaskStatus, NaiveDate)>,
}

/// One source document's line of the leader's view (按来源文件): its live tasks counted per
/// lead body, as the board's sums keep them (a task with two lead bodies counts under each).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentRow {
    pub document: String,
    pub tasks: i64,
    /// Done or closed.
    pub done: i64,
    pub closed: i64,
    pub due_soon: i64,
    pub late: i64,
}

/// One body's line on the supervision office's board (per-body completion), counting the
/// live tasks it leads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BoardRow {
    pub body: BodyId,
    pub tasks: i64,
    /// Done (an accepted report at 100%) or closed (已销号).
    pub done: i64,
    pub closed: i64,
    pub due_soon: i64,
    pub late: i64,
    pub done_on_time: i64,
    pub reports: i64,
    pub reports_on_time: i64,
    pub milestones_done: i64,
    pub milestones_on_time: i64,
}

#[async_trait]
pub trait TaskFollowStore: Send + Sync {
    /// Publishes drafts with their bodies in one transaction; `NotFound` (nothing changes)
    /// when one is no draft.
    async fn publish_assigned(
        &self,
        assignments: &[TaskAssignment],
        at: DateTime<Utc>,
    ) -> StoreResult<u64>;
    async fn task_standing(&self, task: i64) -> StoreResult<TaskStanding>;
    async fn add_milestones(
        &self,
        task: i64,
        milestones: &[MilestoneDraft],
    ) -> StoreResult<Vec<i64>>;
    /// A task's milestones by date.
    async fn milestones(&self, task: i64) -> StoreResult<Vec<StoredMilestone>>;
    async fn add_report(&self, report: &NewReport) -> StoreResult<i64>;
    /// A task's reports, oldest first.
    async fn reports(&self, task: i64) -> StoreResult<Vec<StoredReport>>;
    async fn report(&self, id: i64) -> StoreResult<StoredReport>;
    /// Records the office's verdict on a pending report (`Stale` when it was reviewed
    /// already) and, when accepted, what it establishes, in one transaction.
    async fn review_report(&self, verdict: &Verdict, at: DateTime<Utc>) -> StoreResult<()>;
    /// Closes a live open task (销号); `Stale` when it is closed or no live task.
    async fn close_task(&self, task: i64, note: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Every live task not closed whose next check is due `through` that day, with its
    /// clocks, in id order.
    async fn task_clocks(&self, through: NaiveDate) -> StoreResult<Vec<TaskClocks>>;
    /// Stores the scanner's changes in one transaction; each alert once.
    async fn record_clocks(&self, changes: &[ClockChange], at: DateTime<Utc>) -> StoreResult<u64>;
    /// A task's alerts, oldest first.
    async fn task_alerts(&self, task: i64) -> StoreResult<Vec<StoredAlert>>;
    /// Per-body completion of the live tasks the filter takes, by body id.
    async fn task_board(&self, filter: &TaskFilter) -> StoreResult<Vec<BoardRow>>;
    /// Per source document, its live tasks the filter's document and (lead) body take, by
    /// document.
    async fn document_board(&self, filter: &TaskFilter) -> StoreResult<Vec<DocumentRow>>;
    /// Live task ids the filter takes, in id order.
    async fn live_task_ids(&self, filter: &TaskFilter, page: Page) -> StoreResult<Vec<i64>>;
}
