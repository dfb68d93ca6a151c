//! Notices (站内消息): inboxes and webhook delivery.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::ids::AppealId;
use jiesu_domain::notice::Recipient;
use jiesu_domain::user::User;

use crate::error::StoreResult;
use crate::filter::Page;

/// A notice as kept for a recipient (站内消息).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InboxItem {
    pub id: i64,
    pub appeal: AppealId,
    pub recipient: Recipient,
    pub kind: String,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A notice claimed for delivery to the webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub item: InboxItem,
    pub attempts: i64,
}

#[async_trait]
pub trait NoticeStore: Send + Sync {
    /// The notices for `user` (their body's and their role's), newest first.
    async fn inbox(
        &self,
        user: &User,
        unread_only: bool,
        page: Page,
    ) -> StoreResult<Vec<InboxItem>>;
    async fn mark_read(&self, user: &User, notice: i64) -> StoreResult<()>;
    /// Claims up to `limit` notices due for webhook delivery at `now` under `claim` (a claim
    /// older than a minute is taken over, so a crashed process loses nothing).
    async fn claim_deliveries(
        &self,
        claim: &str,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Delivery>>;
    /// Marks a claimed notice delivered, or schedules another try at `retry_at` (`None`:
    /// give up).
    async fn finish_delivery(
        &self,
        id: i64,
        delivered: bool,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
}
