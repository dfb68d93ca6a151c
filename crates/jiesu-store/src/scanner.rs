//! The deadline scanner (时限扫描): finds the appeals whose warning, due or escalation point
//! has passed, and records the automatic reminder (临期催办), overdue notice (超期提醒) or
//! escalation to the superior (上报) as events. Everything it needs is in the database —
//! `next_check` columns and the events — so a restart misses nothing, and two processes on
//! one database never send a reminder twice: each alert is an event guarded by the appeal's
//! version, and the loser of a race sees the alert already sent.
//!
//! Each pass also lets merged appeals left behind follow their answered lead
//! ([`crate::following::catch_up`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::deadline::{Alert, Timekeeper};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Actor;

use crate::error::{StoreError, StoreResult};
use crate::store::{Recording, Store};
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
    /// Merged appeals that followed their answered lead (随主件答复) in this pass.
    pub followed: usize,
}

/// How many appeals one batch handles (one read, one write transaction).
pub const BATCH: usize = 2_000;
/// How many due appeals one look at the queue takes.
const QUEUE_LOOK: i64 = 50_000;

/// What a batch calls for: alerts to record, and appeals to store with a fresh projection.
struct Decision {
    recordings: Vec<Recording>,
    refreshed: Vec<Appeal>,
}

/// One pass at `now`, until nothing is due. Batches are pipelined: while one batch's
/// alerts are written, the next batch is read and decided.
pub async fn scan(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    now: DateTime<Utc>,
) -> StoreResult<ScanReport> {
    let bodies = store.bodies().await?;
    let mut report = ScanReport {
        followed: crate::following::catch_up(store, timekeeper, now).await?,
        ..ScanReport::default()
    };
    loop {
        let due = store.due_for_check(now, QUEUE_LOOK).await?;
        let mut changed = false;
        let mut pending: Option<Decision> = None;
        for ids in due.chunks(BATCH) {
            report.checked += ids.len();
            let next = decide(store, timekeeper, &bodies, ids, now);
            let decided = match pending.take() {
                Some(decision) => {
                    let (written, decided) =
                        tokio::join!(write(store, decision, &mut report), next);
                    changed |= written?;
                    decided?
                }
                None => next.await?,
            };
            pending = Some(decided);
        }
        if let Some(decision) = pending {
            changed |= write(store, decision, &mut report).await?;
        }
        if !changed || (due.len() as i64) < QUEUE_LOOK {
            return Ok(report);
        }
    }
}

/// Reads a batch of due appeals with their events and decides each one's alert.
async fn decide(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    bodies: &[Body],
    ids: &[AppealId],
    now: DateTime<Utc>,
) -> StoreResult<Decision> {
    let (appeals, events) = tokio::join!(store.appeals_by_ids(ids), store.events_for(ids));
    let mut logs: HashMap<AppealId, Vec<Event>> = HashMap::new();
    for event in events? {
        logs.entry(event.appeal).or_default().push(event);
    }
    let system = Actor::system();
    let mut decision = Decision {
        recordings: Vec::new(),
        refreshed: Vec::new(),
    };
    for mut appeal in appeals? {
        let log = logs.remove(&appeal.id).unwrap_or_default();
        let deadline = timekeeper.deadline(&appeal, &log);
        let kind = deadline
            .and_then(|d| timekeeper.alert_due(&d, now))
            .and_then(|alert| alert_event(alert, &appeal, bodies, timekeeper));
        match kind {
            Some(kind) if appeal.check(&kind, &system, now).is_ok() => {
                decision
                    .recordings
                    .push(prepare(timekeeper, appeal, &log, kind, &system, now));
            }
            _ => {
                // Nothing to send (paused, rules changed, alert not allowed in this state):
                // store the fresh projection so the appeal leaves the queue.
                let mut projected = deadline;
                if let Some(d) = projected.as_mut() {
                    d.next_check = d.next_check.filter(|at| *at > now);
                }
                appeal.deadline = projected;
                decision.refreshed.push(appeal);
            }
        }
    }
    Ok(decision)
}

/// The event an alert becomes: an automatic reminder, or the escalation to the lead body's
/// superior (none for a body without one: the overdue notice was the last alert).
fn alert_event(
    alert: Alert,
    appeal: &Appeal,
    bodies: &[Body],
    timekeeper: &Timekeeper,
) -> Option<EventKind> {
    match alert {
        Alert::Remind(state) => Some(EventKind::Remind {
            note: String::new(),
            auto: Some(state),
        }),
        Alert::Escalate => appeal
            .lead_body
            .and_then(|lead| bodies.iter().find(|b| b.id == lead))
            .and_then(|b| b.parent)
            .map(|to| EventKind::Escalate {
                to,
                note: format!(
                    "超期 {} 个工作日以上，自动上报",
                    timekeeper.escalate_after_days
                ),
            }),
    }
}

/// Records a batch's alerts (one transaction) and stores its refreshed projections; true if
/// anything changed.
async fn write(
    store: &dyn Store,
    decision: Decision,
    report: &mut ScanReport,
) -> StoreResult<bool> {
    let changed = !decision.recordings.is_empty() || !decision.refreshed.is_empty();
    let results = store.record_many(&decision.recordings).await?;
    for (recording, result) in decision.recordings.iter().zip(results) {
        match result {
            Ok(_) if matches!(recording.kind, EventKind::Escalate { .. }) => report.escalated += 1,
            Ok(_) => report.reminded += 1,
            Err(StoreError::Conflict(_)) => report.conflicts += 1,
            Err(e) => return Err(e),
        }
    }
    store.refresh_deadlines(&decision.refreshed).await?;
    Ok(changed)
}
