//! A body's appeal against a case's counting (申诉): e.g. the citizen answered the callback
//! about something else. The supervisor accepts it (the case leaves the body's rates) or
//! rejects it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;
use crate::ids::{AppealId, BodyId, UserId};
use crate::kinds::labelled_enum;

labelled_enum! {
    /// Where a dispute stands (申诉状态).
    DisputeStatus, "status" {
        Pending => "待审核",
        Accepted => "已采纳",
        Rejected => "已驳回",
    }
}

impl DisputeStatus {
    /// The English snake-case name stored and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            DisputeStatus::Pending => "pending",
            DisputeStatus::Accepted => "accepted",
            DisputeStatus::Rejected => "rejected",
        }
    }
}

/// Longest reason or decision note, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// A dispute as filed and decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispute {
    pub id: i64,
    pub appeal: AppealId,
    pub body: BodyId,
    pub reason: String,
    pub status: DisputeStatus,
    pub filed_by: Option<UserId>,
    pub filed_at: DateTime<Utc>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: String,
}

/// Checks a dispute's reason: required, at most [`MAX_REASON_CHARS`].
pub fn clean_reason(reason: &str) -> Result<String, DomainError> {
    clean_text("reason", reason, MAX_REASON_CHARS, true)
}

/// Checks a decision's note: optional, at most [`MAX_REASON_CHARS`].
pub fn clean_note(note: &str) -> Result<String, DomainError> {
    clean_text("note", note, MAX_REASON_CHARS, false)
}
