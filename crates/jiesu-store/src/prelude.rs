//! The store's area traits, for code that calls a backend's methods on its concrete type
//! (`use jiesu_store::prelude::*`); through `dyn Store` they need no import.

pub use crate::store::{
    AccountStore, AppealStore, AttachmentStore, BodyStore, IntakeStore, KnowledgeStore, ModelStore,
    NoticeStore, ReplyReviewStore, SettingStore, StationStore, Store, TaskStore, WorkflowStore,
};
pub use crate::store::{TaskFollowStore, TaskReminderStore};
