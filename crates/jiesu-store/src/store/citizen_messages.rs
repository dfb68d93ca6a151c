//! Messages to citizens (通知): an outbox of texts for a phone or a mail address, claimed and
//! sent by a job, retried with back-off, and listed for staff when pending or failed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::ids::AppealId;

use crate::error::StoreResult;

/// Where a message stands (发送状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageState {
    Pending,
    Sent,
    /// Given up after the last attempt; staff may send it again.
    Failed,
}

impl MessageState {
    pub fn code(self) -> i64 {
        match self {
            MessageState::Pending => 0,
            MessageState::Sent => 1,
            MessageState::Failed => 2,
        }
    }

    pub fn from_code(code: i64) -> Option<MessageState> {
        [
            MessageState::Pending,
            MessageState::Sent,
            MessageState::Failed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A message to put in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub appeal: AppealId,
    /// What it tells (`received`, `dispatched`…): one message per appeal, event and
    /// channel.
    pub event: String,
    /// `sms` or `mail`.
    pub channel: String,
    /// The phone (`sms`) or the mail address (`mail`).
    pub recipient: String,
    /// A mail's subject (empty for an SMS).
    pub subject: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CitizenMessage {
    pub id: i64,
    pub appeal: AppealId,
    pub event: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub state: MessageState,
    pub attempts: i64,
    pub next_at: DateTime<Utc>,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait CitizenMessageStore: Send + Sync {
    /// Puts `message` in the outbox, due at once; false when the appeal already has a
    /// message for that event on that channel.
    async fn enqueue_message(&self, message: &NewMessage) -> StoreResult<bool>;
    /// Claims up to `limit` pending messages due at `now` under `claim` (a claim older than
    /// a minute is taken over), oldest first.
    async fn claim_messages(
        &self,
        claim: &str,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<CitizenMessage>>;
    /// Records an attempt: sent at `at`, or failed with `error` and tried again at
    /// `retry_at` (`None`: given up).
    async fn finish_message(
        &self,
        id: i64,
        at: DateTime<Utc>,
        error: Option<&str>,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// The messages in `state`, newest first.
    async fn messages(&self, state: MessageState, limit: i64) -> StoreResult<Vec<CitizenMessage>>;
    /// Makes a failed or pending message due again at `now`, with its attempts counted
    /// from zero.
    async fn retry_message(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;
}
