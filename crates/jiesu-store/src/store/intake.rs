//! Intake (受理): numbering and storing new appeals, and whole imported ones.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft};
use jiesu_domain::attachment::NewAttachment;
use jiesu_domain::deadline::Deadline;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Actor;

use crate::error::{StoreError, StoreResult};

/// How long an idempotency key names its appeal; older keys are purged, and the same key
/// again is a new intake.
pub const IDEMPOTENCY_KEY_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// A client's idempotency key (幂等键) as kept: it belongs to the caller who sent it and to
/// the request it came with. The same key from another caller is another key; from the
/// same caller with another request it is refused ([`StoreError::KeyReused`]).
#[derive(Debug, Clone, PartialEq)]
pub struct IdempotencyKey {
    /// Who sent it: `user:ID` (a session or an API token), `public:ADDRESS` (the portal).
    pub caller: String,
    /// The `Idempotency-Key` header.
    pub key: String,
    /// sha256 (hex) of the canonical form of the validated request.
    pub request_hash: String,
    /// When it was sent; it expires [`IDEMPOTENCY_KEY_LIFETIME`] later.
    pub used_at: DateTime<Utc>,
}

/// An intake to record: the validated draft, the citizen's query code (查询码) and, for
/// retried submissions, the client's idempotency key.
#[derive(Debug, Clone)]
pub struct Registration {
    pub draft: AppealDraft,
    pub query_code: String,
    pub idempotency_key: Option<IdempotencyKey>,
    pub actor: Actor,
    pub at: DateTime<Utc>,
    /// The deadline that runs from intake (行政复议), if any.
    pub deadline: Option<Deadline>,
    /// Answered on the spot (直办): recorded as the appeal's second event in the intake's
    /// own transaction, so the appeal is never left registered and unanswered.
    pub answered: Option<SpotAnswer>,
    /// The files that came with the appeal (附件), their bytes already stored: recorded in
    /// the intake's transaction, owned by the appeal.
    pub attachments: Vec<NewAttachment>,
    /// The service point (便民点位) the appeal names, recorded in the intake's transaction
    /// (the application checks it exists; one deleted meanwhile is left out, so it never
    /// fails the other intakes of the batch).
    pub point: Option<i64>,
}

/// An answer on the spot (直办) that an intake records with it: the event, which the
/// application has checked against the domain, and the deadline after it (the callback's).
#[derive(Debug, Clone)]
pub struct SpotAnswer {
    pub kind: EventKind,
    pub deadline: Option<Deadline>,
}

/// The outcome of a registration: the appeal, and whether it is new (false when its
/// caller's idempotency key named an earlier one for the same request).
#[derive(Debug, Clone)]
pub struct Registered {
    pub appeal: Appeal,
    pub created: bool,
    /// The citizen's query code (the first one, for a retried intake: only ever given back
    /// to the caller who made it, for the same request).
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
    /// registration event in one transaction. A caller's unexpired idempotency key returns
    /// the first appeal for the same request and `KeyReused` for another; expired keys are
    /// purged.
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
