//! The workflow (流转): an action on an appeal becomes a recorded event — load the appeal,
//! let the domain decide, record event and new state in one optimistic transaction.

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Actor;
use thiserror::Error;

use crate::error::StoreError;
use crate::store::Store;

/// Why an action did not happen.
#[derive(Debug, Error)]
pub enum ActionError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Does `kind` on appeal `id` as `actor`. With `seen_version`, the action is refused with a
/// conflict if the appeal changed since the actor saw it.
pub async fn act(
    store: &dyn Store,
    id: AppealId,
    kind: EventKind,
    actor: &Actor,
    at: DateTime<Utc>,
    seen_version: Option<i64>,
) -> Result<(Appeal, Event), ActionError> {
    let mut appeal = store.appeal(id).await?;
    if let Some(seen) = seen_version
        && seen != appeal.version
    {
        return Err(StoreError::Conflict("此诉求已被他人处理，请刷新".into()).into());
    }
    if let EventKind::Merge { into, .. } = &kind {
        let lead = store.appeal(*into).await?;
        if !lead.status.is_open() || lead.merged_into.is_some() {
            return Err(
                DomainError::Refused("并案的主诉求必须是未办结且未被并案的诉求".into()).into(),
            );
        }
    }
    if let EventKind::Dispatch { lead, co, .. } = &kind {
        let bodies = store.bodies().await?;
        if let Some(missing) = std::iter::once(lead).chain(co).find(|b| !bodies.iter().any(|x| x.id == **b)) {
            return Err(DomainError::InvalidField { field: "lead", reason: format!("承办单位 {missing} 不存在") }.into());
        }
    }
    appeal.check(&kind, actor, at)?;
    let expected = appeal.version;
    let preview = Event::new(id, expected + 1, kind.clone(), actor.clone(), at, "");
    appeal.apply(&preview);
    let event = store.record(expected, &kind, actor, at, &appeal).await?;
    Ok((appeal, event))
}
