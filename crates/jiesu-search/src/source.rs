//! Keeping the index in step with the database: the [`Watermark`] of what has been indexed
//! and the [`AppealSource`] that lists what changed after it.

use std::future::Future;

use jiesu_domain::appeal::Appeal;
use serde::{Deserialize, Serialize};

/// How far the index has read the source: the `(updated_at, id)` key of the last appeal
/// indexed from it. Keys are compared as a pair, so appeals sharing one millisecond are
/// paged through exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Watermark {
    /// `updated_at` of the last appeal, in milliseconds since the epoch.
    pub updated_ms: i64,
    /// Its id, to order appeals updated in the same millisecond.
    pub id: i64,
}

impl Watermark {
    /// Before every appeal: a catch-up from here indexes everything.
    pub const ZERO: Watermark = Watermark {
        updated_ms: i64::MIN,
        id: i64::MIN,
    };

    /// The key of `appeal`.
    pub fn of(appeal: &Appeal) -> Watermark {
        Watermark {
            updated_ms: appeal.updated_at.timestamp_millis(),
            id: appeal.id.0,
        }
    }

    /// The watermark `overlap_ms` earlier, for re-reading changes whose transactions committed
    /// out of order.
    pub fn minus(self, overlap_ms: i64) -> Watermark {
        if self == Watermark::ZERO || overlap_ms <= 0 {
            return self;
        }
        Watermark {
            updated_ms: self.updated_ms.saturating_sub(overlap_ms),
            id: i64::MIN,
        }
    }
}

/// The error a source reports; its text ends up in [`crate::SearchError::Source`].
pub type SourceError = Box<dyn std::error::Error + Send + Sync>;

/// Where appeals come from (the store). Implemented by the server over its database.
pub trait AppealSource: Send + Sync {
    /// Appeals whose `(updated_at millis, id)` is strictly greater than `after`, in ascending
    /// `(updated_at, id)` order, at most `limit` of them. An empty page means "caught up".
    ///
    /// In SQL: `WHERE (updated_at, id) > ($1, $2) ORDER BY updated_at, id LIMIT $3`
    /// (with `updated_at` compared in milliseconds).
    fn changed_since(
        &self,
        after: Watermark,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Appeal>, SourceError>> + Send;
}
