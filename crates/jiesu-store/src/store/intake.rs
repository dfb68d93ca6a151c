//! Intake (受理): numbering and storing new appeals, and whole imported ones.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft};
use jiesu_domain::deadline::Deadline;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Actor;

use crate::error::{StoreError, StoreResult};

/// An intake to record: the validated draft, the citizen's query code (查询码) and, for
/// retried submissions, the client's idempotency key.
#[derive(Debug, Clone)]
pub struct Registration {
    pub draft: AppealDraft,
    pub query_code: String,
    pub idempotency_key: Option<String>,
    pub actor: Actor,
    pub at: DateTime<Utc>,
    /// The deadline that runs from intake (行政复议), if any.
    pub deadline: Option<Deadline>,
    /// Answered on the spot (直办): recorded as the appeal's second event in the intake's
    /// own transaction, so the appeal is never left registered and unanswered.
    pub answered: Option<SpotAnswer>,
}

/// An answer on the spot (直办) that an intake records with it: the event, which the
/// application has checked against the domain, and the deadline after it (the callback's).
#[derive(Debug, Clone)]
pub struct SpotAnswer {
    pub kind: EventKind,
    pub deadline: Option<Deadline>,
}

/// The outcome of a registration: the appeal, and whether it is new (false when an
/// idempotency key named an earlier one).
#[derive(Debug, Clone)]
pub struct Registered {
    pub appeal: Appeal,
    pub created: bool,
    /// The citizen's query code (the first one, for a retried intake).
    pub query_code: String,
}

/// A whole appeal written at once (demo data, imports): its final state, every event, and
/// its query code. The store assigns the appeal's id, and its number too when the number
/// is empty.
#[derive(Debug, Clone)]
pub struct ImportedAppeal {
    pub appeal: Appeal,
    pub events: Vec<Event>,
    pub query_code: String,
}

#[async_trait]
pub trait IntakeStore: Send + Sync {
    /// Records an intake: numbers it (date + serial of the day), stores the appeal and its
    /// registration event in one transaction. A known idempotency key returns the first appeal.
    async fn register(&self, registration: Registration) -> StoreResult<Registered> {
        self.register_many(std::slice::from_ref(&registration))
            .await?
            .pop()
            .unwrap_or(Err(StoreError::Other("no result".into())))
    }
    /// Many intakes in one transaction (see [`crate::intake_queue`]); each succeeds or fails
    /// on its own.
    async fn register_many(
        &self,
        registrations: &[Registration],
    ) -> StoreResult<Vec<StoreResult<Registered>>>;
    /// Writes many whole appeals in one transaction (demo data, imports); returns their ids.
    async fn import_appeals(&self, batch: &[ImportedAppeal]) -> StoreResult<Vec<AppealId>>;
}
