//! Returns judged by the dispatcher (退单审核): approved, the appeal is dispatched to another
//! body in the same step and the return is not held against the body that made it; rejected,
//! it goes back to the same body and counts as an invalid return (无效退单). Both are checked
//! in full before anything is recorded.

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::category::CategoryPath;
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::user::Actor;
use jiesu_store::{Store, StoreError};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::workflow::{act, check_references, prepare};

/// Where an approved return goes (改派): the new lead body and co-bodies, as a dispatch
/// names them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Redispatch {
    pub lead: BodyId,
    #[serde(default)]
    pub co: Vec<BodyId>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub category: Option<CategoryPath>,
}

impl Redispatch {
    /// The dispatch event (a co-body that is also the lead is dropped).
    pub fn into_event(self) -> EventKind {
        let lead = self.lead;
        EventKind::Dispatch {
            lead,
            co: self.co.into_iter().filter(|b| *b != lead).collect(),
            note: self.note,
            category: self.category,
            auto: None,
        }
    }
}

/// The dispatcher's judgement of a return.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnJudgement {
    pub approved: bool,
    pub reason: String,
    /// Required when approved, refused when rejected.
    pub redispatch: Option<Redispatch>,
}

fn invalid(field: &'static str, reason: &str) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.to_string(),
    }
}

/// Judges the return of appeal `id` as `actor`. Returns the appeal as it now stands and the
/// last event recorded (the re-dispatch of an approved return).
pub async fn judge_return(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    id: AppealId,
    judgement: ReturnJudgement,
    actor: &Actor,
    at: DateTime<Utc>,
    seen_version: Option<i64>,
) -> AppResult<(jiesu_domain::appeal::Appeal, Event)> {
    let judge = EventKind::JudgeReturn {
        approved: judgement.approved,
        reason: judgement.reason,
    };
    let redispatch = match (judgement.approved, judgement.redispatch) {
        (true, None) => return Err(invalid("lead", "批准退单须同时选择改派的承办单位").into()),
        (false, Some(_)) => return Err(invalid("lead", "驳回退单时不能改派").into()),
        (true, Some(r)) => Some(r.into_event()),
        (false, None) => None,
    };
    let appeal = store.appeal(id).await?;
    if let Some(seen) = seen_version
        && seen != appeal.version
    {
        return Err(AppError::Changed);
    }
    let Some(dispatch) = redispatch else {
        return act(store, timekeeper, id, judge, actor, at, seen_version).await;
    };
    appeal.check(&judge, actor, at)?;
    // The judgement and the re-dispatch are written together or not at all; the re-dispatch
    // is checked on the appeal as the judgement leaves it.
    let mut log = store.events(id).await?;
    let judged = prepare(timekeeper, appeal, &log, judge, actor, at)?;
    log.push(judged.event().clone());
    judged.after().check(&dispatch, actor, at)?;
    check_references(store, judged.after(), &dispatch, at).await?;
    let redispatched = prepare(
        timekeeper,
        judged.after().clone(),
        &log,
        dispatch,
        actor,
        at,
    )?;
    let mut events = store.record_chain(&[judged, redispatched.clone()]).await?;
    let event = events
        .pop()
        .ok_or(StoreError::Other("no event recorded".into()))?;
    Ok((redispatched.into_after(), event))
}
