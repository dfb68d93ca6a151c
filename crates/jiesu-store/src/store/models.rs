//! Model versions (模型版本).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::StoreResult;

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
    /// When it was last activated (启用); `None` if it never was.
    pub activated_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait ModelStore: Send + Sync {
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
    /// Makes `version` the one active model of its kind, active since `at` (activating the
    /// active version again keeps its time).
    async fn activate_model(&self, kind: &str, version: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// The active model of a kind: its record and bytes.
    async fn active_model(&self, kind: &str) -> StoreResult<Option<(ModelRecord, Vec<u8>)>>;
}
