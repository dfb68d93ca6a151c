//! Drafts awaiting publication (待发布草稿): the supervisor reads what an import or a
//! meeting proposed, edits or discards rows, and maps the body names jiesu does not know
//! before publishing ([`publish_with_bodies`](super::publish_with_bodies)). Drafts are kept
//! until published or discarded.

use jiesu_domain::DomainError;
use jiesu_domain::task::TaskDraft;
use jiesu_store::{Page, Store, StoreError, StoredTask};

use crate::error::AppResult;

/// Most drafts listed at once.
pub const MAX_DRAFTS: i64 = 1_000;

/// The drafts (of one document, or all), in id order, with the body names they give that
/// are no body jiesu knows.
#[derive(Debug, Clone, PartialEq)]
pub struct Drafts {
    pub tasks: Vec<StoredTask>,
    pub unknown_bodies: Vec<String>,
}

/// The drafts awaiting publication, of `document` when given.
pub async fn drafts(store: &dyn Store, document: Option<&str>) -> AppResult<Drafts> {
    let tasks: Vec<StoredTask> = store
        .tasks(Some(false), Page::new(0, MAX_DRAFTS))
        .await?
        .into_iter()
        .filter(|t| document.is_none_or(|d| t.draft.document == d))
        .collect();
    let written: Vec<TaskDraft> = tasks.iter().map(|t| t.draft.clone()).collect();
    let unknown_bodies = super::unknown_bodies(store, &written).await?;
    Ok(Drafts {
        tasks,
        unknown_bodies,
    })
}

/// Replaces a draft's fields after checking them; a live task is not a draft any more.
pub async fn edit_draft(store: &dyn Store, id: i64, draft: TaskDraft) -> AppResult<()> {
    let draft = draft.validated()?;
    match store.update_task_draft(id, &draft).await {
        Err(StoreError::Stale) => Err(not_a_draft(store, id, "修改").await),
        other => Ok(other?),
    }
}

/// Discards a draft; one a meeting issue or a station's item is linked to stays (map its
/// body and publish it instead).
pub async fn discard_draft(store: &dyn Store, id: i64) -> AppResult<()> {
    match store.discard_task_draft(id).await {
        Err(StoreError::Stale) => Err(not_a_draft(store, id, "删除").await),
        Err(StoreError::MissingReference { .. }) => Err(DomainError::Refused(
            "该草稿来自会议议题或联络站事项，不能删除；请指定牵头单位后发布".into(),
        )
        .into()),
        other => Ok(other?),
    }
}

/// Why `id` could not be changed as a draft: it is no task, or it is live.
async fn not_a_draft(store: &dyn Store, id: i64, action: &'static str) -> crate::AppError {
    match store.task(id).await {
        Ok(_) => DomainError::IllegalTransition {
            state: "已发布",
            action,
        }
        .into(),
        Err(e) => e.into(),
    }
}
