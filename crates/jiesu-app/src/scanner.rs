//! The deadline scanner (时限扫描): finds the appeals whose warning, due or escalation point
//! has passed, and records the automatic reminder (临期催办), overdue notice (超期提醒) or
//! escalation to the superior (上报) as events. Everything it needs is in the database —
//! `next_check` columns, the stored deadline projections and the events — so a restart
//! misses nothing, and two processes on one database never send a reminder twice: each
//! alert is an event guarded by the appeal's version, and the loser of a race sees the
//! alert already sent.
//!
//! A pass works from the stored projections, not from the logs: an alert establishes no
//! deadline facts, so the deadline after it follows from the stored one
//! ([`Timekeeper::after_alert`]) and the event links to the stored chain head. That holds
//! while the projections were computed under the scanner's own rules and calendar: the
//! database records their [`Timekeeper::fingerprint`], and when it differs (an admin changed
//! the rules or the calendar, or the escalation threshold was configured otherwise) the pass
//! first re-projects every open appeal from its events.
//!
//! The clocks beside the stage's — an open supervision notice's reply date (督办单) and the
//! co-bodies' limit (协办时限) — are part of the stored projection and alerted the same way
//! (督办单临期/超期提醒, 协办临期/超期提醒).
//!
//! Each pass also lets merged appeals left behind follow their answered lead
//! ([`crate::following::catch_up`]).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::deadline::{Alert, Timekeeper};
use jiesu_domain::event::{EventKind, logs_by_appeal};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Actor;

use jiesu_store::{Recording, Store, StoreError, StoreResult};

use crate::settings::stored::{claim_reprojection, deadline_basis};
use crate::workflow::prepare_alert;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Appeals whose stored deadline was recomputed because the rules or calendar changed.
    pub reprojected: usize,
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
pub const BATCH: usize = 1_000;
/// How many due appeals one look at the queue takes.
const QUEUE_LOOK: i64 = 50_000;

/// What a batch calls for: alerts to record, and appeals to store with a fresh projection.
#[derive(Default)]
struct Decision {
    recordings: Vec<Recording>,
    refreshed: Vec<Appeal>,
}

/// One pass at `now`, until nothing is due. Batches are pipelined: while one batch's
/// alerts are written, the next batch is read and decided in a task of its own, so the
/// decoding and deciding run on another core beside the single writer.
pub async fn scan(
    store: &Arc<dyn Store>,
    timekeeper: &Timekeeper,
    now: DateTime<Utc>,
) -> StoreResult<ScanReport> {
    let mut report = ScanReport::default();
    let basis = deadline_basis(&**store).await?;
    if basis.as_deref() != Some(timekeeper.fingerprint().as_str())
        && let Some(claim) = claim_reprojection(
            &**store,
            basis.as_deref(),
            timekeeper,
            now.timestamp_millis(),
        )
        .await?
    {
        report.reprojected = reproject(&**store, timekeeper).await?;
        claim.finish(&**store, timekeeper).await?;
    }
    report.followed = crate::following::catch_up(&**store, timekeeper, now).await?;
    let context = Arc::new(Context {
        store: store.clone(),
        timekeeper: timekeeper.clone(),
        bodies: store.bodies().await?,
        now,
    });
    loop {
        let due = store.due_for_check(now, QUEUE_LOOK).await?;
        report.checked += due.len();
        let mut changed = false;
        let mut batches = due.chunks(BATCH);
        // Until the first batch is decided the writer has nothing to do: that batch is read
        // and decided in parts at once, one per core.
        let mut next = batches
            .next()
            .map(|ids| Deciding::start(&context, ids, cores()));
        while let Some(deciding) = next.take() {
            let decision = deciding.finish().await?;
            next = batches.next().map(|ids| Deciding::start(&context, ids, 1));
            changed |= write(&**store, decision, &mut report).await?;
        }
        if !changed || (due.len() as i64) < QUEUE_LOOK {
            return Ok(report);
        }
    }
}

/// What deciding a batch needs, shared by the batches' tasks.
struct Context {
    store: Arc<dyn Store>,
    timekeeper: Timekeeper,
    bodies: Vec<Body>,
    now: DateTime<Utc>,
}

/// A batch being read and decided, in one or more parts, each in a task of its own.
struct Deciding(Vec<tokio::task::JoinHandle<StoreResult<Decision>>>);

impl Deciding {
    fn start(context: &Arc<Context>, ids: &[AppealId], parts: usize) -> Deciding {
        let part_len = ids.len().div_ceil(parts.max(1)).max(1);
        Deciding(
            ids.chunks(part_len)
                .map(|part| {
                    let context = context.clone();
                    let part = part.to_vec();
                    tokio::spawn(async move { decide(&context, &part).await })
                })
                .collect(),
        )
    }

    /// The batch's decision, its parts joined in order.
    async fn finish(self) -> StoreResult<Decision> {
        let mut whole = Decision::default();
        for part in self.0 {
            let part = part
                .await
                .map_err(|e| StoreError::Other(format!("scanner batch failed: {e}")))??;
            whole.recordings.extend(part.recordings);
            whole.refreshed.extend(part.refreshed);
        }
        Ok(whole)
    }
}

/// How many cores the process may use.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Recomputes every open appeal's deadline from its events and stores the ones that
/// differ; returns how many changed.
async fn reproject(store: &dyn Store, timekeeper: &Timekeeper) -> StoreResult<usize> {
    let mut changed = 0;
    let mut after = AppealId(0);
    loop {
        let ids = store.open_appeal_ids(after, BATCH as i64).await?;
        let Some(last) = ids.last() else {
            return Ok(changed);
        };
        after = *last;
        let (appeals, events) = tokio::join!(store.appeals_by_ids(&ids), store.events_for(&ids));
        let mut logs = logs_by_appeal(events?);
        let refreshed: Vec<Appeal> = appeals?
            .into_iter()
            .filter_map(|mut appeal| {
                let log = logs.remove(&appeal.id).unwrap_or_default();
                let deadline = timekeeper.deadline(&appeal, &log);
                (deadline != appeal.deadline).then(|| {
                    appeal.deadline = deadline;
                    appeal
                })
            })
            .collect();
        changed += refreshed.len();
        store.refresh_deadlines(&refreshed).await?;
    }
}

/// Reads a batch of due appeals with their chain heads and decides each one's alert from
/// its stored deadline.
async fn decide(context: &Context, ids: &[AppealId]) -> StoreResult<Decision> {
    let Context {
        store,
        timekeeper,
        bodies,
        now,
    } = context;
    let now = *now;
    let system = Actor::system();
    let mut decision = Decision::default();
    for (mut appeal, head) in store.appeals_with_heads(ids).await? {
        // The first alert due that can be sent: an escalation without a superior, say,
        // leaves the side clocks' reminders to go.
        let chosen = appeal.deadline.and_then(|d| {
            timekeeper.alerts_due(&d, now).find_map(|alert| {
                let kind = alert_event(alert, &appeal, bodies, timekeeper)?;
                appeal
                    .check(&kind, &system, now)
                    .is_ok()
                    .then_some((alert, kind))
            })
        });
        match chosen {
            Some((alert, kind)) => {
                decision
                    .recordings
                    .push(prepare_alert(timekeeper, appeal, head, alert, kind, now)?);
            }
            None => {
                // Nothing to send (paused, no superior, alert not allowed in this state):
                // store the projection with only the checks still ahead so the appeal
                // leaves the queue.
                if let Some(d) = appeal.deadline.as_mut() {
                    d.next_check = timekeeper.next_check_after(d, now);
                }
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
        Alert::Side(clock, state) => Some(EventKind::ClockRemind { clock, state }),
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
            Ok(_) if matches!(recording.event().kind, EventKind::Escalate { .. }) => {
                report.escalated += 1
            }
            Ok(_) => report.reminded += 1,
            Err(StoreError::Stale) => report.conflicts += 1,
            Err(e) => return Err(e),
        }
    }
    store.refresh_deadlines(&decision.refreshed).await?;
    Ok(changed)
}
