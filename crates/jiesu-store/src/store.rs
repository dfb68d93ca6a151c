//! The storage interface (存储接口).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft};
use jiesu_domain::body::{Body, NewBody};
use jiesu_domain::deadline::Deadline;
use jiesu_domain::event::Event;
use jiesu_domain::ids::{AppealId, UserId};
use jiesu_domain::knowledge::{Article, ArticleDraft};
use jiesu_domain::notice::{Notice, Recipient};
use jiesu_domain::status::Status;
use jiesu_domain::user::{Actor, NewUser, User};

use crate::error::{StoreError, StoreResult};
use crate::filter::{AppealFilter, AppealPage, CountGroup, Page};
use crate::sql::RecordingRows;

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

/// One event to append (一次流转): the appeal as it was (whose version must still be stored),
/// the event linked to the appeal's chain head, the appeal with the event applied (and its
/// deadline re-projected), and the notices it calls for. The rows it writes are encoded when
/// it is made ([`Recording::new`]), so that the single writer only stores them; its parts
/// are read-only after that, so the rows cannot drift from them.
#[derive(Debug, Clone)]
pub struct Recording {
    before: Appeal,
    event: Event,
    after: Appeal,
    notices: Vec<Notice>,
    rows: RecordingRows,
}

impl Recording {
    pub fn new(
        before: Appeal,
        event: Event,
        after: Appeal,
        notices: Vec<Notice>,
    ) -> StoreResult<Recording> {
        let rows = RecordingRows::encode(&before, &event, &after)?;
        Ok(Recording {
            before,
            event,
            after,
            notices,
            rows,
        })
    }

    /// The appeal as the action found it: its version must still be the stored one.
    pub fn before(&self) -> &Appeal {
        &self.before
    }

    /// The event, its `prev_hash` the hash of the event the appeal is at (seq =
    /// `before.version`): valid whenever the version check passes.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The appeal with the event applied.
    pub fn after(&self) -> &Appeal {
        &self.after
    }

    /// The appeal with the event applied, taking the recording apart.
    pub fn into_after(self) -> Appeal {
        self.after
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The encoded rows, for the backends.
    pub fn rows(&self) -> &RecordingRows {
        &self.rows
    }
}

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

/// An API token for an integration (接口令牌): acts as its user, within its scope.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user: UserId,
    pub name: String,
    /// `read` (GET only) or `write`.
    pub scope: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What sign-in checks (登录凭据).
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: i64,
    /// Set while the account is locked after too many failed sign-ins.
    pub locked_until: Option<DateTime<Utc>>,
}

/// A stored model version (模型版本).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelRecord {
    pub version: i64,
    /// What the model does (`dispatch`).
    pub kind: String,
    /// The model's own description (JSON: trained at, on how many, metrics).
    pub meta: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub active: bool,
}

/// Everything jiesu keeps. Implementations: SQLite (embedded default) and PostgreSQL.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is ("sqlite", "postgres").
    fn backend(&self) -> &'static str;

    // --- appeals ---
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
    /// Appends an event to an appeal whose stored version is still `before`'s, stores
    /// the appeal as it is after, and its notices — one transaction. Another write since →
    /// `Conflict`.
    async fn record(&self, recording: &Recording) -> StoreResult<Event> {
        self.record_many(std::slice::from_ref(recording))
            .await?
            .pop()
            .unwrap_or(Err(StoreError::Other("no result".into())))
    }
    /// Many recordings in one transaction (the deadline scanner's batches); each succeeds
    /// or gets its own `Conflict`.
    async fn record_many(&self, recordings: &[Recording]) -> StoreResult<Vec<StoreResult<Event>>>;
    /// Several recordings on different appeals, all or none, in one transaction (a lead's
    /// approved review with its followers' 随主件答复): if any appeal moved on, nothing is
    /// written and the answer is `Conflict`.
    async fn record_all(&self, recordings: &[Recording]) -> StoreResult<Vec<Event>>;
    /// Stores re-projected deadlines without an event (e.g. after the rules changed), for
    /// appeals still at the given versions.
    async fn refresh_deadlines(&self, appeals: &[Appeal]) -> StoreResult<()>;
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
    /// Writes many whole appeals in one transaction (demo data, imports); returns their ids.
    async fn import_appeals(&self, batch: &[ImportedAppeal]) -> StoreResult<Vec<AppealId>>;

    // --- bodies and users ---
    async fn create_body(&self, body: &NewBody) -> StoreResult<Body>;
    async fn bodies(&self) -> StoreResult<Vec<Body>>;
    async fn create_user(&self, user: &NewUser, password_hash: &str) -> StoreResult<User>;
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// The user, their password hash and lock-out state, for sign-in.
    async fn credentials(&self, username: &str) -> StoreResult<Credentials>;
    /// Counts a failed sign-in; at `max_failures` in a row the account is locked until
    /// `lock_until`.
    async fn login_failed(
        &self,
        username: &str,
        max_failures: i64,
        lock_until: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Clears the failed sign-ins after a successful one.
    async fn login_succeeded(&self, username: &str) -> StoreResult<()>;

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

    // --- API tokens ---
    async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        scope: &str,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<ApiToken>;
    async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>>;
    /// Revokes one of `user`'s tokens; `NotFound` if it is not theirs.
    async fn revoke_api_token(&self, user: UserId, id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// The user and scope of an unrevoked token.
    async fn token_user(&self, token_hash: &str) -> StoreResult<(User, String)>;

    // --- models ---
    /// Stores a new version of a model of `kind` (not yet active); returns its version.
    async fn save_model(
        &self,
        kind: &str,
        meta: &serde_json::Value,
        bytes: &[u8],
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Every version of a model kind, newest first (without the bytes).
    async fn models(&self, kind: &str) -> StoreResult<Vec<ModelRecord>>;
    /// Makes `version` the one active model of its kind.
    async fn activate_model(&self, kind: &str, version: i64) -> StoreResult<()>;
    /// The active model of a kind: its record and bytes.
    async fn active_model(&self, kind: &str) -> StoreResult<Option<(ModelRecord, Vec<u8>)>>;

    // --- knowledge base ---
    async fn create_article(&self, draft: &ArticleDraft, at: DateTime<Utc>)
    -> StoreResult<Article>;
    async fn update_article(
        &self,
        id: i64,
        draft: &ArticleDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<Article>;
    async fn article(&self, id: i64) -> StoreResult<Article>;
    /// Articles whose question or answer contain every word, newest first.
    async fn find_articles(&self, words: &str, page: Page) -> StoreResult<Vec<Article>>;

    // --- notices ---
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

    // --- settings (taxonomy, calendar years, time-limit rules…) ---
    /// Saves a named setting, replacing any earlier value.
    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()>;
    /// A named setting, or `None` before one is saved.
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    /// Every setting whose key starts with `prefix`, in key order.
    async fn settings_with_prefix(&self, prefix: &str) -> StoreResult<Vec<(String, String)>>;
}
