//! The workflow (流转): an action on an appeal becomes a recorded event — load the appeal,
//! let the domain decide, re-project the deadline, record event, new state and notices in
//! one optimistic transaction.

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::attachment::NewAttachment;
use jiesu_domain::deadline::{Alert, Deadline, Timekeeper, china_local};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::merge::check_merge;
use jiesu_domain::notice::notices_for;
use jiesu_domain::user::Actor;
use jiesu_store::{Recording, Store, StoreResult};

use crate::error::{AppError, AppResult};
use crate::following;

/// Applies `kind` to `appeal` (whose full log is `events`) and prepares its recording: the
/// new state with its deadline re-projected, and the notices. The domain must have allowed
/// the action already.
pub fn prepare(
    timekeeper: &Timekeeper,
    appeal: Appeal,
    events: &[Event],
    kind: EventKind,
    actor: &Actor,
    at: DateTime<Utc>,
) -> StoreResult<Recording> {
    let prev_hash = events
        .iter()
        .find(|e| e.seq == appeal.version)
        .map(|e| e.hash.clone())
        .unwrap_or_default();
    let mut log = events.to_vec();
    prepare_on(appeal, &prev_hash, kind, actor, at, |after, event| {
        log.push(event.clone());
        timekeeper.deadline(after, &log)
    })
}

/// Prepares the recording of an automatic alert (催办, 上报) from the stored state alone:
/// `head` is the hash of the appeal's last event, and the deadline moves on from the stored
/// projection (which must be current — see [`crate::scanner`]) by [`Timekeeper::after_alert`].
pub fn prepare_alert(
    timekeeper: &Timekeeper,
    appeal: Appeal,
    head: String,
    alert: Alert,
    kind: EventKind,
    at: DateTime<Utc>,
) -> StoreResult<Recording> {
    let deadline = appeal.deadline.map(|d| timekeeper.after_alert(&d, alert));
    prepare_on(appeal, &head, kind, &Actor::system(), at, |_, _| deadline)
}

/// The recording of `kind` linked to the chain head `prev_hash`, with the deadline
/// `deadline_after` gives for the appeal as it is after the event.
fn prepare_on(
    mut appeal: Appeal,
    prev_hash: &str,
    kind: EventKind,
    actor: &Actor,
    at: DateTime<Utc>,
    deadline_after: impl FnOnce(&Appeal, &Event) -> Option<Deadline>,
) -> StoreResult<Recording> {
    let before = appeal.clone();
    let event = Event::new(
        appeal.id,
        before.version + 1,
        kind,
        actor.clone(),
        at,
        prev_hash,
    );
    appeal.apply(&event);
    appeal.deadline = deadline_after(&appeal, &event);
    let notices = notices_for(&event.kind, &appeal);
    Recording::new(before, event, appeal, notices)
}

/// Does `kind` on appeal `id` as `actor`. With `seen_version`, the action is refused with a
/// conflict if the appeal changed since the actor saw it. Returns the appeal as it now stands
/// and the event the action recorded.
///
/// Merged appeals follow their lead (see [`crate::following`]): the action that gives an
/// appeal its answer is recorded together with its waiting followers' 随主件答复, all or
/// none; an appeal merged into a lead whose answer is already given follows it right after.
pub async fn act(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    id: AppealId,
    kind: EventKind,
    actor: &Actor,
    at: DateTime<Utc>,
    seen_version: Option<i64>,
) -> AppResult<(Appeal, Event)> {
    act_with_attachments(
        store,
        timekeeper,
        id,
        kind,
        actor,
        at,
        seen_version,
        Vec::new(),
    )
    .await
}

/// [`act`] with files whose bytes are stored, recorded with the event in its transaction.
#[allow(clippy::too_many_arguments)]
pub async fn act_with_attachments(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    id: AppealId,
    kind: EventKind,
    actor: &Actor,
    at: DateTime<Utc>,
    seen_version: Option<i64>,
    attachments: Vec<NewAttachment>,
) -> AppResult<(Appeal, Event)> {
    let appeal = store.appeal(id).await?;
    if let Some(seen) = seen_version
        && seen != appeal.version
    {
        return Err(AppError::Changed);
    }
    appeal.check(&kind, actor, at)?;
    check_references(store, &appeal, &kind, at).await?;
    let events = store.events(id).await?;
    let recording =
        prepare(timekeeper, appeal, &events, kind, actor, at)?.with_attachments(attachments);
    if recording.before().answer().is_none() && recording.after().answer().is_some() {
        // The answer is given now: the waiting followers follow in the same transaction.
        let followers = following::recordings(store, timekeeper, recording.after(), at).await?;
        if !followers.is_empty() {
            let mut all = vec![recording];
            all.extend(followers);
            let mut events = store.record_all(&all).await?;
            return Ok((all.swap_remove(0).into_after(), events.swap_remove(0)));
        }
    }
    let event = store.record(&recording).await?;
    if let EventKind::Merge { into, .. } = &event.kind {
        // Merged into a lead whose answer is already given: follow it now. Should this
        // fail, the scanner's catch-up does it.
        match following::follow(store, timekeeper, *into, at).await {
            Ok(0) => {}
            Ok(_) => return Ok((store.appeal(id).await?, event)),
            Err(e) => {
                tracing::warn!(appeal = %id, error = %e, "following the lead after a merge failed")
            }
        }
    }
    Ok((recording.into_after(), event))
}

/// Checks what an action names beyond the appeal: the lead it is merged into, the bodies it
/// is dispatched to, the knowledge article an answer on the spot cites.
pub(crate) async fn check_references(
    store: &dyn Store,
    appeal: &Appeal,
    kind: &EventKind,
    at: DateTime<Utc>,
) -> AppResult<()> {
    match kind {
        EventKind::Merge { into, .. } => {
            let lead = store.appeal(*into).await?;
            check_merge(&lead, &store.followers(appeal.id).await?)?;
        }
        EventKind::Dispatch { lead, co, .. } => {
            let bodies = store.bodies().await?;
            if let Some(missing) = std::iter::once(lead)
                .chain(co)
                .find(|b| !bodies.iter().any(|x| x.id == **b))
            {
                return Err(DomainError::InvalidField {
                    field: "lead",
                    reason: format!("承办单位 {missing} 不存在"),
                }
                .into());
            }
        }
        EventKind::AnswerDirectly {
            article: Some(article),
            ..
        } => {
            let cited = store.article(*article).await?;
            cited.draft.check_citable(china_local(at).date())?;
        }
        _ => {}
    }
    Ok(())
}
