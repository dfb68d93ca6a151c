//! Followers of a lead (随主件答复): once a lead's answer is given, every appeal still merged
//! into it records [`EventKind::FollowLead`](jiesu_domain::event::EventKind::FollowLead) as
//! the system and waits for its own callback. The rules are [`jiesu_domain::merge`]'s.
//!
//! A follower follows in one of three ways, all idempotent — a follower that already
//! followed, or was unmerged meanwhile, is left alone:
//!
//! 1. With its lead: the action that gives the lead its answer (审核通过, 直办) is recorded
//!    together with the followers' events, all or none ([`Store::record_all`], from
//!    [`crate::workflow::act`]). A follower that moved on makes the action a conflict; the
//!    retry sees the new state.
//! 2. Right after it is merged into a lead whose answer is already given ([`follow`]).
//! 3. The deadline scanner's pass ([`catch_up`]) finds any follower left behind — merged
//!    while the lead's approval was being committed, or a crash between a merge and its
//!    following — so none waits longer than one scan interval.

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::logs_by_appeal;
use jiesu_domain::ids::AppealId;
use jiesu_domain::merge::ANSWER_GIVEN;
use jiesu_domain::user::Actor;

use jiesu_store::{Recording, Store, StoreError, StoreResult};

use crate::workflow::prepare;

/// Leads one catch-up pass looks at.
const CATCH_UP_LEADS: i64 = 1_000;

/// The recordings by which `lead`'s waiting followers follow its answer (none before the
/// answer is given).
pub async fn recordings(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    lead: &Appeal,
    at: DateTime<Utc>,
) -> StoreResult<Vec<Recording>> {
    if lead.answer().is_none() {
        return Ok(vec![]);
    }
    let waiting: Vec<Appeal> = store
        .followers(lead.id)
        .await?
        .into_iter()
        .filter(|f| f.follow(lead).is_some())
        .collect();
    if waiting.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<AppealId> = waiting.iter().map(|f| f.id).collect();
    let mut logs = logs_by_appeal(store.events_for(&ids).await?);
    let system = Actor::system();
    waiting
        .into_iter()
        .filter_map(|follower| {
            let kind = follower.follow(lead)?;
            follower.check(&kind, &system, at).ok()?;
            let log = logs.remove(&follower.id).unwrap_or_default();
            Some(prepare(timekeeper, follower, &log, kind, &system, at))
        })
        .collect()
}

/// Records the following of `lead`'s waiting followers, each on its own (one that moved on
/// meanwhile is skipped); returns how many followed.
pub async fn follow(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    lead: AppealId,
    at: DateTime<Utc>,
) -> StoreResult<usize> {
    let lead = store.appeal(lead).await?;
    let recordings = recordings(store, timekeeper, &lead, at).await?;
    if recordings.is_empty() {
        return Ok(0);
    }
    let mut followed = 0;
    for result in store.record_many(&recordings).await? {
        match result {
            Ok(_) => followed += 1,
            Err(StoreError::Stale) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(followed)
}

/// Makes the followers left behind by answered leads follow them; returns how many did.
pub async fn catch_up(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    at: DateTime<Utc>,
) -> StoreResult<usize> {
    let mut followed = 0;
    for lead in store
        .leads_with_merged(&ANSWER_GIVEN, CATCH_UP_LEADS)
        .await?
    {
        followed += follow(store, timekeeper, lead, at).await?;
    }
    Ok(followed)
}
