//! Storage for jiesu (存储): the one interface both backends implement and its typed errors.
//! What the application does with it (the workflow, the scanner, intake) is `jiesu-app`'s;
//! the behaviour every backend must show is `jiesu-store-conformance`'s.
//!
//! - [`Store`]: the storage interface — one trait per area, object-safe so one web build
//!   serves every backend.
//! - [`StoreError`]: NotFound, Stale, Unique, MissingReference, KeyReused, Corrupt, Other —
//!   never a
//!   driver type, never a sentence for people.
//! - [`sql`]: the SQL implementation shared by the SQLite and PostgreSQL backends.
//! - [`stored_json`]: the compact JSON a row keeps of an appeal.

pub mod error;
pub mod filter;
pub mod prelude;
pub mod sql;
pub mod store;
pub mod stored_json;

pub use async_trait::async_trait;
pub use error::{StoreError, StoreResult};
pub use filter::{AppealFilter, AppealOrder, AppealPage, CountGroup, Page};
pub use store::{
    AccountStore, ApiToken, AppealStore, AssessmentStore, AttachmentStore, BodyReplyMean,
    BodyStore, CostlyCase, Credentials, Delivery, IDEMPOTENCY_KEY_LIFETIME, IdempotencyKey,
    ImportedAppeal, InboxItem, IntakeStore, KnowledgeStore, ModelRecord, ModelStore, NewDispute,
    NoticeStore, RebuiltFacts, Recording, Registered, Registration, ReplyReviewStore, ReplyScore,
    SettingStore, SpotAnswer, Store, StoredTask, TaskStore, WorkflowStore,
};
pub use store::{
    BoardRow, ClockChange, DocumentRow, NewReport, StoredAlert, StoredMilestone, StoredReport,
    TaskAssignment, TaskClocks, TaskFilter, TaskFollowStore, TaskStanding, Verdict, alert_key,
};
pub use store::{
    CampaignStore, GroupAnswer, NewGroup, StoredCampaign, StoredGroup, StoredProposal, TaskChange,
};
pub use store::{CitizenMessage, CitizenMessageStore, MessageState, NewMessage};
pub use store::{ComplainedPoint, PointFilter, PointStore};
pub use store::{NewUrge, Reminder, ReminderKind, StoredUrge, TaskReminderStore};
pub use store::{
    StationItem, StationStore, StoredIssue, StoredMeeting, StoredReception, StoredStation,
};
