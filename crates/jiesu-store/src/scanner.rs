//! The deadline scanner (时限扫描): finds the appeals whose warning, due or escalation point
//! has passed, and records the automatic reminder (临期催办), overdue notice (超期提醒) or
//! escalation to the superior (上报) as events. Everything it needs is in the database —
//! `next_check` columns and the events — so a restart misses nothing, and two processes on
//! one database never send a reminder twice: each alert is an event guarded by the appeal's
//! version, and the loser of a race sees the alert already sent.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jiesu_domain::body::Body;
use jiesu_domain::deadline::{Alert, Timekeeper};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Actor;

use crate::error::{StoreError, StoreResult};
use crate::store::Store;
use crate::workflow::prepare;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Appeals looked at.
    pub checked: usize,
    /// Automatic reminders and overdue notices recorded.
    pub reminded: usize,
    /// Escalations recorded.
    pub escalated: usize,
    /// Alerts another process (or person) got to first.
    pub conflicts: usize,
}

/// How many appeals one batch handles.
pub const BATCH: i64 = 2_000;

/// One pass at `now`: batches until nothing is due.
pub async fn scan(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    now: DateTime<Utc>,
) -> StoreResult<ScanReport> {
    let bodies = store.bodies().await?;
    let mut report = ScanReport::default();
    loop {
        let ids = store.due_for_check(now, BATCH).await?;
        if ids.is_empty() {
            return Ok(report);
        }
        let progress = scan_batch(store, timekeeper, &bodies, &ids, now, &mut report).await?;
        if !progress || (ids.len() as i64) < BATCH {
            return Ok(report);
        }
    }
}

/// Handles one batch; false if nothing in it changed (to stop a pass that cannot advance).
async fn scan_batch(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    bodies: &[Body],
    ids: &[AppealId],
    now: DateTime<Utc>,
    report: &mut ScanReport,
) -> StoreResult<bool> {
    let appeals = store.appeals_by_ids(ids).await?;
    let mut logs: HashMap<AppealId, Vec<Event>> = HashMap::new();
    for event in store.events_for(ids).await? {
        logs.entry(event.appeal).or_default().push(event);
    }
    let system = Actor::system();
    let mut recordings = Vec::new();
    let mut refreshed = Vec::new();
    for mut appeal in appeals {
        report.checked += 1;
        let log = logs.remove(&appeal.id).unwrap_or_default();
        let deadline = timekeeper.deadline(&appeal, &log);
        let kind = deadline
            .and_then(|d| timekeeper.alert_due(&d, now))
            .and_then(|alert| match alert {
                Alert::Remind(state) => Some(EventKind::Remind {
                    note: String::new(),
                    auto: Some(state),
                }),
                Alert::Escalate => {
                    let superior = appeal
                        .lead_body
                        .and_then(|lead| bodies.iter().find(|b| b.id == lead))
                        .and_then(|b| b.parent);
                    // A body without a superior cannot be escalated: the overdue notice was the
                    // last alert (None → the appeal is refreshed out of the queue below).
                    superior.map(|to| EventKind::Escalate {
                        to,
                        note: format!(
                            "超期 {} 个工作日以上，自动上报",
                            timekeeper.escalate_after_days
                        ),
                    })
                }
            });
        match kind {
            Some(kind) if appeal.check(&kind, &system, now).is_ok() => {
                recordings.push(prepare(timekeeper, appeal, &log, kind, &system, now));
            }
            _ => {
                // Nothing to send (paused, rules changed, alert not allowed in this state):
                // store the fresh projection so the appeal leaves the queue.
                let mut projected = deadline;
                if let Some(d) = projected.as_mut() {
                    d.next_check = d.next_check.filter(|at| *at > now);
                }
                appeal.deadline = projected;
                refreshed.push(appeal);
            }
        }
    }
    let changed = !recordings.is_empty() || !refreshed.is_empty();
    for (recording, result) in recordings.iter().zip(store.record_many(&recordings).await?) {
        match result {
            Ok(_) if matches!(recording.kind, EventKind::Escalate { .. }) => report.escalated += 1,
            Ok(_) => report.reminded += 1,
            Err(StoreError::Conflict(_)) => report.conflicts += 1,
            Err(e) => return Err(e),
        }
    }
    store.refresh_deadlines(&refreshed).await?;
    Ok(changed)
}
