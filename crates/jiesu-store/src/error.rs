//! Storage errors that carry meaning, not driver types (存储错误). The store never words a
//! message for people: the edge maps each variant to a status and a Chinese sentence.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The named thing does not exist (its Chinese name, e.g. "诉求").
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The row moved on since it was read: another writer stored a newer version first.
    #[error("stale version: the row was changed by another writer")]
    Stale,
    /// A unique value is taken; `constraint` names the index or constraint.
    #[error("unique constraint {constraint} violated")]
    Unique { constraint: String },
    /// A reference names a row that does not exist (a foreign key).
    #[error("foreign key {constraint} violated")]
    MissingReference { constraint: String },
    /// An idempotency key its caller already used with a different request.
    #[error("idempotency key reused with a different request")]
    KeyReused,
    /// A stored value cannot be read back (a time out of range, JSON that does not parse).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// Anything else: the database is unreachable, a statement failed… The detail is for logs.
    #[error("storage failure: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;
