//! The task side of the deadline scanner (任务时限扫描): every open live task's three clocks —
//! the next progress report on its cadence, its next milestone, its deadline — are judged on
//! the working-day calendar; a clock turning 临期 gets an automatic reminder (临期催办), one
//! turning 超期 an overdue notice (超期督办). Each alert is stored once (keyed by task, clock,
//! due date and level), so passes and processes may repeat without sending one twice; only
//! tasks whose alerts changed are written.

use chrono::{DateTime, Utc};
use jiesu_domain::calendar::Calendar;
use jiesu_domain::task::ClockFacts;
use jiesu_store::{ClockChange, Store, StoreResult, alert_key};

use super::follow::day_of;

/// What one pass over the tasks did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskScanReport {
    /// Open live tasks looked at.
    pub checked: usize,
    /// Tasks whose timing or alerts changed.
    pub changed: usize,
    /// Reminders and overdue notices recorded.
    pub alerts: u64,
}

/// One pass at `now`.
pub async fn scan_tasks(
    store: &dyn Store,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> StoreResult<TaskScanReport> {
    let today = day_of(now);
    let clocks = store.task_clocks().await?;
    let changes: Vec<ClockChange> = clocks
        .iter()
        .filter_map(|task| {
            let facts = ClockFacts {
                cadence: task.cadence,
                since: day_of(task.last_report_at.unwrap_or(task.published_at)),
                next_milestone: task.next_milestone,
                due: task.due,
                done: task.done,
            };
            let (timing, alerts) = facts.alerts(today, calendar);
            let alerted = alert_key(&alerts);
            (timing != task.timing || alerted != task.alerted).then(|| ClockChange {
                task: task.id,
                timing,
                alerts: alerts
                    .iter()
                    .map(|a| (*a, a.message(&task.title)))
                    .collect(),
                alerted,
            })
        })
        .collect();
    let alerts = if changes.is_empty() {
        0
    } else {
        store.record_clocks(&changes, now).await?
    };
    Ok(TaskScanReport {
        checked: clocks.len(),
        changed: changes.len(),
        alerts,
    })
}
