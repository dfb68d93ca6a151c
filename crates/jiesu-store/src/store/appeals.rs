//! Reading appeals (诉求): one, many, their events, lists and counts, and the queues the
//! deadline scanner and the search index follow.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::event::Event;
use jiesu_domain::ids::AppealId;
use jiesu_domain::status::Status;

use crate::error::StoreResult;
use crate::filter::{AppealFilter, AppealPage, CountGroup, Page};

#[async_trait]
pub trait AppealStore: Send + Sync {
    async fn appeal(&self, id: AppealId) -> StoreResult<Appeal>;
    /// Every appeal merged into `lead` (并案), whatever its state now, by id.
    async fn followers(&self, lead: AppealId) -> StoreResult<Vec<Appeal>>;
    /// Up to `limit` leads whose state is one of `lead_statuses` and that still have appeals
    /// merged into them (状态「已并案」), by id: where followers may have been left behind.
    async fn leads_with_merged(
        &self,
        lead_statuses: &[Status],
        limit: i64,
    ) -> StoreResult<Vec<AppealId>>;
    /// The appeal with this number and its query code.
    async fn appeal_by_number(&self, number: &str) -> StoreResult<(Appeal, String)>;
    async fn events(&self, id: AppealId) -> StoreResult<Vec<Event>>;
    /// The appeals with these ids (missing ones are left out).
    async fn appeals_by_ids(&self, ids: &[AppealId]) -> StoreResult<Vec<Appeal>>;
    /// The events of these appeals, by appeal then sequence.
    async fn events_for(&self, ids: &[AppealId]) -> StoreResult<Vec<Event>>;
    /// Up to `limit` events of one action (its stored name, e.g. `dispatch`) recorded at
    /// or after `since`, oldest first: e.g. the automatic dispatches of a model.
    async fn events_with_action(
        &self,
        action: &str,
        since: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Event>>;
    /// The appeals with these ids, each with the hash of its last event — the chain head
    /// the next event links to — read together in one statement (missing ones left out).
    async fn appeals_with_heads(&self, ids: &[AppealId]) -> StoreResult<Vec<(Appeal, String)>>;
    /// Up to `limit` ids of open appeals after `after`, in id order.
    async fn open_appeal_ids(&self, after: AppealId, limit: i64) -> StoreResult<Vec<AppealId>>;
    /// Appeals changed after `(updated_ms, id)`, in `(updated, id)` order: the change feed
    /// derived stores (the search index) follow.
    async fn changed_since(&self, updated_ms: i64, id: i64, limit: i64)
    -> StoreResult<Vec<Appeal>>;
    /// Appeals whose deadline needs a look at `now` (a warning, due or escalation point has
    /// passed), oldest first.
    async fn due_for_check(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<AppealId>>;
    async fn list_appeals(&self, filter: &AppealFilter, page: Page) -> StoreResult<AppealPage>;
    async fn count_by_status(&self, filter: &AppealFilter) -> StoreResult<Vec<(Status, i64)>>;
    /// Matching appeals counted per group key, largest first.
    async fn count_by(
        &self,
        filter: &AppealFilter,
        group: CountGroup,
    ) -> StoreResult<Vec<(String, i64)>>;
}
