//! The knowledge base (知识库): answers an operator can give on the spot (直办), each with its
//! source and the period it is valid for.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;

/// An article as written by an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleDraft {
    pub question: String,
    pub answer: String,
    /// First-level category.
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    /// The document the answer rests on (政策依据).
    #[serde(default)]
    pub source: String,
}

impl ArticleDraft {
    /// Trims and checks every field.
    pub fn validated(mut self) -> Result<ArticleDraft, DomainError> {
        self.question = clean_text("question", &self.question, 500, true)?;
        self.answer = clean_text("answer", &self.answer, 10_000, true)?;
        self.source = clean_text("source", &self.source, 500, false)?;
        if let Some(c) = self.category.as_deref() {
            let c = clean_text("category", c, 50, false)?;
            self.category = (!c.is_empty()).then_some(c);
        }
        if let (Some(from), Some(to)) = (self.valid_from, self.valid_to)
            && to < from
        {
            return Err(DomainError::InvalidField {
                field: "valid_to",
                reason: "失效日期早于生效日期".into(),
            });
        }
        Ok(self)
    }

    /// Whether the article may be cited on `day`.
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_to.is_none_or(|t| day <= t)
    }

    /// Refuses to cite the article on `day` when it is not valid then (已失效 or 未生效).
    pub fn check_citable(&self, day: NaiveDate) -> Result<(), crate::DomainError> {
        if self.is_valid_on(day) {
            Ok(())
        } else {
            Err(crate::DomainError::InvalidField {
                field: "article",
                reason: "引用的知识条目已失效".into(),
            })
        }
    }
}

/// A stored article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    #[serde(flatten)]
    pub draft: ArticleDraft,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ArticleDraft {
        ArticleDraft {
            question: " 公积金如何提取？ ".into(),
            answer: "携带身份证到公积金中心办理。".into(),
            category: None,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1),
            valid_to: NaiveDate::from_ymd_opt(2026, 12, 31),
            source: String::new(),
        }
    }

    #[test]
    fn validity_and_checks() {
        let d = draft().validated().unwrap();
        assert_eq!(d.question, "公积金如何提取？");
        assert!(d.is_valid_on(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()));
        assert!(!d.is_valid_on(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
        let mut bad = draft();
        bad.valid_to = NaiveDate::from_ymd_opt(2025, 1, 1);
        assert!(bad.validated().is_err());
        let mut empty = draft();
        empty.answer = " ".into();
        assert!(empty.validated().is_err());
    }
}
