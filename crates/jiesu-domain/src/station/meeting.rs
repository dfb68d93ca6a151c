//! Meetings that raise issues to follow up: consultation meetings (协商会议) and the
//! recurring reviews (月调度, 季协调, 年对接).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;
use crate::kinds::labelled_enum;

labelled_enum! {
    /// What kind of meeting it is.
    MeetingKind, "kind" {
        Consultation => "协商会议",
        Monthly => "月调度",
        Quarterly => "季协调",
        Yearly => "年对接",
    }
}

/// One issue a meeting raised (议题): what, who raised it, the body that leads on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueDraft {
    pub text: String,
    /// Who raised it (提出人), to whom the answer is given back (反馈).
    #[serde(default)]
    pub raised_by: String,
    /// The lead body (牵头单位) by name.
    pub lead_body: String,
}

/// A meeting as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingDraft {
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub participants: Vec<String>,
    /// The minutes (会议纪要).
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub issues: Vec<IssueDraft>,
}

/// Most issues one meeting records.
pub const MAX_ISSUES: usize = 100;

impl MeetingDraft {
    /// Trims and checks every field; a meeting raises at least one issue, each with its
    /// text and lead body.
    pub fn validated(mut self) -> Result<MeetingDraft, DomainError> {
        self.title = clean_text("title", &self.title, 200, true)?;
        self.minutes = clean_text("minutes", &self.minutes, 20_000, false)?;
        let mut participants = Vec::with_capacity(self.participants.len());
        for p in &self.participants {
            let p = clean_text("participants", p, 100, false)?;
            if !p.is_empty() && !participants.contains(&p) {
                participants.push(p);
            }
        }
        if participants.len() > 200 {
            return Err(DomainError::InvalidField {
                field: "participants",
                reason: "参会人员最多 200 名".into(),
            });
        }
        self.participants = participants;
        if self.issues.is_empty() || self.issues.len() > MAX_ISSUES {
            return Err(DomainError::InvalidField {
                field: "issues",
                reason: format!("会议须有 1 到 {MAX_ISSUES} 个议题"),
            });
        }
        for issue in &mut self.issues {
            issue.text = clean_text("issues.text", &issue.text, 2000, true)?;
            issue.raised_by = clean_text("issues.raised_by", &issue.raised_by, 100, false)?;
            issue.lead_body = clean_text("issues.lead_body", &issue.lead_body, 100, true)?;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_needs_issues_with_a_lead_body() {
        let meeting = MeetingDraft {
            kind: MeetingKind::Monthly,
            held_on: "2026-11-28".parse().unwrap(),
            title: " 十一月月调度 ".into(),
            participants: vec!["甲".into(), "甲".into(), " ".into()],
            minutes: String::new(),
            issues: vec![IssueDraft {
                text: "加快青禾路修缮".into(),
                raised_by: "乙代表".into(),
                lead_body: "示范区住建局".into(),
            }],
        };
        let valid = meeting.clone().validated().unwrap();
        assert_eq!(valid.title, "十一月月调度");
        assert_eq!(valid.participants, ["甲"]);
        let no_issue = MeetingDraft {
            issues: vec![],
            ..meeting.clone()
        };
        assert!(no_issue.validated().is_err());
        let no_lead = MeetingDraft {
            issues: vec![IssueDraft {
                lead_body: " ".into(),
                ..meeting.issues[0].clone()
            }],
            ..meeting
        };
        assert!(no_lead.validated().is_err());
        assert_eq!(MeetingKind::parse("年对接").unwrap(), MeetingKind::Yearly);
    }
}
