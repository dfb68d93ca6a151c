//! Storage errors that carry meaning, not driver types.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The named thing does not exist.
    #[error("{0}不存在")]
    NotFound(&'static str),
    /// Someone else changed it first, or a unique value is taken (the constraint is named).
    #[error("冲突：{0}")]
    Conflict(String),
    /// An idempotency key its caller already used with a different request.
    #[error("此幂等键已用于内容不同的请求")]
    KeyReused,
    /// Anything else: the database is unreachable, a row is corrupt… The detail is for logs.
    #[error("存储错误：{0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;
