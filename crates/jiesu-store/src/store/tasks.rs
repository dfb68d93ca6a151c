//! Government tasks (任务, 督查督办): the task list imported from a policy document, kept as
//! drafts until a supervisor publishes it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::task::TaskDraft;

use crate::error::StoreResult;
use crate::filter::Page;

/// A task as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTask {
    pub id: i64,
    pub draft: TaskDraft,
    pub created_at: DateTime<Utc>,
    /// When the task went live (发布); `None` while it is a draft.
    pub published_at: Option<DateTime<Utc>>,
    /// When the task was closed (销号).
    pub closed_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait TaskStore: Send + Sync {
    /// Stores drafts in one transaction (all or none); their ids in order.
    async fn create_task_drafts(
        &self,
        drafts: &[TaskDraft],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// Publishes drafts in one transaction; `NotFound` (nothing published) when an id is no
    /// draft. Returns how many went live.
    async fn publish_tasks(&self, ids: &[i64], at: DateTime<Utc>) -> StoreResult<u64>;
    /// Replaces a draft's fields; `Stale` when the task is live (or none).
    async fn update_task_draft(&self, id: i64, draft: &TaskDraft) -> StoreResult<()>;
    /// Deletes a draft; `Stale` when the task is live (or none), `MissingReference` when a
    /// meeting issue or a station's item is linked to it.
    async fn discard_task_draft(&self, id: i64) -> StoreResult<()>;
    async fn task(&self, id: i64) -> StoreResult<StoredTask>;
    /// Tasks in id order: drafts only, live ones only, or all.
    async fn tasks(&self, published: Option<bool>, page: Page) -> StoreResult<Vec<StoredTask>>;
}
