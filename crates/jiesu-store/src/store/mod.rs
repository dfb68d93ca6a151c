//! The storage interface (存储接口): one [`Store`], made of one trait per area of what jiesu
//! keeps, so that each area's contract (and each backend's SQL for it) reads on its own.

mod accounts;
mod appeals;
mod assessment;
mod attachments;
mod bodies;
mod intake;
mod knowledge;
mod models;
mod notices;
mod replies;
mod settings;
mod tasks;
mod workflow;

pub use accounts::{AccountStore, ApiToken, Credentials};
pub use appeals::AppealStore;
pub use assessment::{AssessmentStore, CostlyCase, NewDispute, RebuiltFacts};
pub use attachments::AttachmentStore;
pub use bodies::BodyStore;
pub use intake::{
    IDEMPOTENCY_KEY_LIFETIME, IdempotencyKey, ImportedAppeal, IntakeStore, Registered,
    Registration, SpotAnswer,
};
pub use knowledge::KnowledgeStore;
pub use models::{ModelRecord, ModelStore};
pub use notices::{Delivery, InboxItem, NoticeStore};
pub use replies::{BodyReplyMean, ReplyReviewStore, ReplyScore};
pub use settings::SettingStore;
pub use tasks::{StoredTask, TaskStore};
pub use workflow::{Recording, WorkflowStore};

/// Everything jiesu keeps. Implementations: SQLite (embedded default) and PostgreSQL; both
/// pass the one conformance suite (`jiesu-store-conformance`).
pub trait Store:
    IntakeStore
    + WorkflowStore
    + AppealStore
    + BodyStore
    + AccountStore
    + ModelStore
    + KnowledgeStore
    + NoticeStore
    + SettingStore
    + ReplyReviewStore
    + AttachmentStore
    + TaskStore
    + AssessmentStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is ("sqlite", "postgres").
    fn backend(&self) -> &'static str;
}
