//! The application's errors (应用错误): what went wrong, typed; each edge (HTTP API, pages,
//! CLI) turns a variant into its status and Chinese message in one place.

use jiesu_domain::DomainError;
use jiesu_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    /// The domain refused: an invalid field, an illegal transition, an actor without the right.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The store failed or found nothing, or the appeal moved on meanwhile.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The appeal changed since the actor saw it (their page shows an older version).
    #[error("the appeal changed since it was seen")]
    Changed,
    /// This process runs without a full-text index (a test, a tool).
    #[error("the full-text index is not running")]
    SearchUnavailable,
    /// Training a model failed (too little history, a worker died…); the detail is for people.
    #[error("training failed: {0}")]
    Training(String),
    /// Work inside the process failed (a background task panicked); the detail is for logs.
    #[error("internal failure: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;
