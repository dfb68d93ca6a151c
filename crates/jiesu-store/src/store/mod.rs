//! The storage interface (存储接口): one [`Store`], made of one trait per area of what jiesu
//! keeps, so that each area's contract (and each backend's SQL for it) reads on its own.

mod accounts;
mod appeals;
mod assessment;
mod attachments;
mod bodies;
mod campaigns;
mod citizen_messages;
mod intake;
mod knowledge;
mod models;
mod notices;
mod points;
mod replies;
mod settings;
mod stations;
mod task_follow;
mod task_reminders;
mod tasks;
mod workflow;

pub use accounts::{AccountStore, ApiToken, Credentials};
pub use appeals::AppealStore;
pub use assessment::{AssessmentStore, CostlyCase, NewDispute, RebuiltFacts};
pub use attachments::AttachmentStore;
pub use bodies::BodyStore;
pub use campaigns::{
    CampaignStore, GroupAnswer, NewGroup, StoredCampaign, StoredGroup, StoredProposal, TaskChange,
};
pub use citizen_messages::{CitizenMessage, CitizenMessageStore, MessageState, NewMessage};
pub use intake::{
    IDEMPOTENCY_KEY_LIFETIME, IdempotencyKey, ImportedAppeal, IntakeStore, Registered,
    Registration, SpotAnswer,
};
pub use knowledge::KnowledgeStore;
pub use models::{ModelRecord, ModelStore};
pub use notices::{Delivery, InboxItem, NoticeStore};
pub use points::{ComplainedPoint, PointFilter, PointStore};
pub use replies::{BodyReplyMean, ReplyReviewStore, ReplyScore};
pub use settings::SettingStore;
pub use stations::{
    StationItem, StationStore, StoredIssue, StoredMeeting, StoredReception, StoredStation,
};
pub use task_follow::{
    BoardRow, ClockChange, DocumentRow, NewReport, StoredAlert, StoredMilestone, StoredReport,
    TaskAssignment, TaskClocks, TaskFilter, TaskFollowStore, TaskStanding, Verdict, alert_key,
};
pub use task_reminders::{NewUrge, Reminder, ReminderKind, StoredUrge, TaskReminderStore};
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
    + StationStore
    + TaskFollowStore
    + TaskReminderStore
    + AssessmentStore
    + CitizenMessageStore
    + PointStore
    + CampaignStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is ("sqlite", "postgres").
    fn backend(&self) -> &'static str;
}
