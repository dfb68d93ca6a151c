//! The storage interface (存储接口).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft};
use jiesu_domain::body::{Body, NewBody};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, UserId};
use jiesu_domain::status::Status;
use jiesu_domain::user::{Actor, NewUser, User};

use crate::error::StoreResult;
use crate::filter::{AppealFilter, AppealPage, Page};

/// An intake to record: the validated draft, the citizen's query code (查询码) and, for
/// retried submissions, the client's idempotency key.
#[derive(Debug, Clone)]
pub struct Registration {
    pub draft: AppealDraft,
    pub query_code: String,
    pub idempotency_key: Option<String>,
    pub actor: Actor,
    pub at: DateTime<Utc>,
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
/// its query code. The appeal's id and events' ids are assigned by the store.
#[derive(Debug, Clone)]
pub struct ImportedAppeal {
    pub appeal: Appeal,
    pub events: Vec<Event>,
    pub query_code: String,
}

/// Everything jiesu keeps. Implementations: SQLite (embedded default) and PostgreSQL.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    // --- appeals ---
    /// Records an intake: numbers it (date + serial of the day), stores the appeal and its
    /// registration event in one transaction. A known idempotency key returns the first appeal.
    async fn register(&self, registration: Registration) -> StoreResult<Registered>;
    /// Appends an event to an appeal whose stored version is `expected_version`, and stores
    /// `after` (the appeal with the event applied). Another write since → `Conflict`.
    async fn record(
        &self,
        expected_version: i64,
        kind: &EventKind,
        actor: &Actor,
        at: DateTime<Utc>,
        after: &Appeal,
    ) -> StoreResult<Event>;
    async fn appeal(&self, id: AppealId) -> StoreResult<Appeal>;
    /// The appeal with this number and its query code.
    async fn appeal_by_number(&self, number: &str) -> StoreResult<(Appeal, String)>;
    async fn events(&self, id: AppealId) -> StoreResult<Vec<Event>>;
    async fn list_appeals(&self, filter: &AppealFilter, page: Page) -> StoreResult<AppealPage>;
    async fn count_by_status(&self, filter: &AppealFilter) -> StoreResult<Vec<(Status, i64)>>;
    /// Writes many whole appeals in one transaction (demo data, imports); returns their ids.
    async fn import_appeals(&self, batch: &[ImportedAppeal]) -> StoreResult<Vec<AppealId>>;

    // --- bodies and users ---
    async fn create_body(&self, body: &NewBody) -> StoreResult<Body>;
    async fn bodies(&self) -> StoreResult<Vec<Body>>;
    async fn create_user(&self, user: &NewUser, password_hash: &str) -> StoreResult<User>;
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// The user and their password hash, for sign-in.
    async fn credentials(&self, username: &str) -> StoreResult<(User, String)>;

    // --- sessions ---
    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        expires: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<User>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;

    // --- settings (taxonomy, calendar years, time-limit rules…) ---
    /// Saves a named setting, replacing any earlier value.
    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()>;
    /// A named setting, or `None` before one is saved.
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    /// Every setting whose key starts with `prefix`, in key order.
    async fn settings_with_prefix(&self, prefix: &str) -> StoreResult<Vec<(String, String)>>;
}
