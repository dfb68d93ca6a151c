//! A body's answer to a group of proposals (答复): adopted, partly adopted or not adopted,
//! with its reply.

use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;
use crate::kinds::labelled_enum;

labelled_enum! {
    /// What became of a group of proposals (办理结果).
    Outcome, "outcome" {
        Adopted => "采纳",
        PartlyAdopted => "部分采纳",
        NotAdopted => "不予采纳",
    }
}

impl Outcome {
    /// Whether the group becomes a task of next year's list (民生实事): adopted, wholly or
    /// in part.
    pub fn becomes_task(self) -> bool {
        self != Outcome::NotAdopted
    }
}

/// A body's answer to a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub outcome: Outcome,
    /// What will be done, or why not (the reason is required when not adopted).
    #[serde(default)]
    pub reply: String,
}

impl Answer {
    /// Trims the reply; a group not adopted must say why, and any answer says something.
    pub fn validated(mut self) -> Result<Answer, DomainError> {
        self.reply = clean_text("reply", &self.reply, 5000, false)?;
        if self.reply.is_empty() {
            let reason = match self.outcome {
                Outcome::NotAdopted => "不予采纳须说明理由",
                _ => "请填写答复意见",
            };
            return Err(DomainError::InvalidField {
                field: "reply",
                reason: reason.into(),
            });
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_adopting_needs_a_reason() {
        let no_reason = Answer {
            outcome: Outcome::NotAdopted,
            reply: "  ".into(),
        };
        let e = no_reason.validated().unwrap_err();
        assert!(e.to_string().contains("理由"), "{e}");
        assert!(Outcome::PartlyAdopted.becomes_task());
        assert!(!Outcome::NotAdopted.becomes_task());
    }
}
