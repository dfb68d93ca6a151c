//! Publishing drafts with their bodies (发布): every body name a draft gives becomes a known
//! body's id — by its exact name or by the supervisor's mapping — or the publication is
//! refused with the name, so no name is silently dropped.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::ids::BodyId;
use jiesu_store::{Store, TaskAssignment};

use crate::error::AppResult;

/// What the supervisor decided for names jiesu does not know, and for tasks without a lead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyMapping {
    /// A written name → the body it means, or `None` to leave that name out on purpose.
    pub names: BTreeMap<String, Option<BodyId>>,
    /// Lead bodies given to a task whose text names none (or names others).
    pub leads: BTreeMap<i64, Vec<BodyId>>,
}

/// Publishes drafts with their bodies resolved: all go live, or none does.
pub async fn publish_with_bodies(
    store: &dyn Store,
    ids: &[i64],
    mapping: &BodyMapping,
    at: DateTime<Utc>,
) -> AppResult<u64> {
    let bodies = store.bodies().await?;
    let known = |id: BodyId| bodies.iter().any(|b| b.id == id);
    let resolve = |name: &String| -> Result<Option<BodyId>, DomainError> {
        if let Some(choice) = mapping.names.get(name) {
            return match choice {
                Some(id) if !known(*id) => Err(DomainError::Refused(format!(
                    "「{name}」对应的单位编号 {} 不存在",
                    id.0
                ))),
                other => Ok(*other),
            };
        }
        bodies
            .iter()
            .find(|b| &b.name == name)
            .map(|b| Some(b.id))
            .ok_or_else(|| {
                DomainError::Refused(format!(
                    "单位「{name}」不是系统中的单位，请指定对应单位后再发布"
                ))
            })
    };
    // Every id is a draft before any name is judged: a wrong id is `NotFound` whatever else.
    let mut tasks = Vec::with_capacity(ids.len());
    for &id in ids {
        tasks.push(store.task(id).await?);
    }
    let mut assignments = Vec::with_capacity(ids.len());
    for task in tasks {
        let id = task.id;
        if task.published_at.is_some() {
            return Err(
                DomainError::Refused(format!("任务 {id}「{}」已发布", task.draft.title)).into(),
            );
        }
        let mut lead = Vec::new();
        for name in &task.draft.lead_bodies {
            lead.extend(resolve(name)?);
        }
        if let Some(given) = mapping.leads.get(&id) {
            for body in given {
                if !known(*body) {
                    return Err(DomainError::Refused(format!("单位编号 {} 不存在", body.0)).into());
                }
            }
            lead = given.clone();
        }
        if lead.is_empty() {
            return Err(DomainError::Refused(format!(
                "任务 {id}「{}」没有牵头单位，请指定",
                task.draft.title
            ))
            .into());
        }
        let mut co = Vec::new();
        for name in &task.draft.co_bodies {
            co.extend(resolve(name)?);
        }
        lead.dedup();
        co.retain(|b| !lead.contains(b));
        co.dedup();
        assignments.push(TaskAssignment { task: id, lead, co });
    }
    Ok(store.publish_assigned(&assignments, at).await?)
}
