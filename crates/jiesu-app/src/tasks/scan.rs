//! The task side of the deadline scanner (任务时限扫描): every open live task's three clocks —
//! the next progress report on its cadence, its next milestone, its deadline — are judged on
//! the working-day calendar; a clock turning 临期 gets an automatic reminder (临期催办), one
//! turning 超期 an overdue notice (超期督办). Each alert is stored once (keyed by task, clock,
//! due date and level), so passes and processes may repeat without sending one twice; each
//! task stores the day its clocks may next change, so a pass reads only the tasks whose day has
//! come.

use chrono::{DateTime, Days, NaiveDate, Utc};
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
    let clocks = store.task_clocks(today).await?;
    let mut changed = 0;
    let changes: Vec<ClockChange> = clocks
        .iter()
        .map(|task| {
            let facts = ClockFacts {
                cadence: task.cadence,
                since: day_of(task.last_report_at.unwrap_or(task.published_at)),
                next_milestone: task.next_milestone,
                due: task.due,
                done: task.done,
            };
            let (timing, alerts) = facts.alerts(today, calendar);
            let alerted = alert_key(&alerts);
            let next_check = next_change(&facts, today, calendar);
            let new = timing != task.timing || alerted != task.alerted;
            changed += usize::from(new);
            ClockChange {
                task: task.id,
                timing,
                alerts: if new {
                    alerts
                        .iter()
                        .map(|a| (*a, a.message(&task.title)))
                        .collect()
                } else {
                    Vec::new()
                },
                alerted,
                next_check,
            }
        })
        .collect();
    let alerts = if changes.is_empty() {
        0
    } else {
        store.record_clocks(&changes, now).await?
    };
    Ok(TaskScanReport {
        checked: clocks.len(),
        changed,
        alerts,
    })
}

/// The longest a task goes unread: its clocks are judged again at least this often.
const HORIZON_DAYS: u64 = 31;

/// The first day after `today` on which the task's timing or alerts differ from today's,
/// or the horizon when none does before it.
fn next_change(facts: &ClockFacts, today: NaiveDate, calendar: &Calendar) -> NaiveDate {
    facts
        .next_change(today, calendar, HORIZON_DAYS)
        .unwrap_or_else(|| today + Days::new(HORIZON_DAYS))
}
