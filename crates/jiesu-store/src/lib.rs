//! Storage for jiesu (存储): the one interface both backends implement, its typed errors,
//! the workflow that turns an action into a recorded event, and the conformance suite every
//! backend must pass.
//!
//! - [`Store`]: the storage interface, object-safe so one web build serves every backend.
//! - [`StoreError`]: NotFound, Conflict, KeyReused, Other — never a driver type.
//! - [`workflow`]: load → check in the domain → record, as one optimistic transaction.
//! - [`intake_queue`]: group commit of concurrent intakes (受理队列).
//! - [`following`]: merged appeals follow their lead's answer (随主件答复).
//! - [`scanner`]: the deadline scanner (时限扫描): automatic reminders and escalation.
//! - [`sql`]: the SQL implementation shared by the SQLite and PostgreSQL backends.
//! - [`stored_json`]: the compact JSON a row keeps of an appeal.
//! - [`conformance`]: the behaviour every backend must show, as a test-generating macro.

pub mod conformance;
pub mod error;
pub mod filter;
pub mod following;
pub mod intake_queue;
pub mod scanner;
pub mod settings;
pub mod sql;
pub mod store;
pub mod stored_json;
pub mod workflow;

pub use async_trait::async_trait;
pub use error::{StoreError, StoreResult};
pub use filter::{AppealFilter, AppealPage, CountGroup, Page};
pub use store::{
    ApiToken, Credentials, Delivery, IDEMPOTENCY_KEY_LIFETIME, IdempotencyKey, ImportedAppeal,
    InboxItem, ModelRecord, Recording, Registered, Registration, Store,
};
