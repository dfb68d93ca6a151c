//! A proposal (建议) and the channel it came in by.

use serde::{Deserialize, Serialize};

use crate::appeal::{clean_text, validate_phone};
use crate::error::DomainError;
use crate::kinds::labelled_enum;

use super::CampaignDraft;

labelled_enum! {
    /// How a proposal came in (征集渠道): the public web page, or a mail or letter typed in
    /// by staff.
    ProposalChannel, "channel" {
        Web => "网页",
        Mail => "邮件",
        Letter => "信件",
    }
}

/// A proposal as submitted or typed in (建议).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalDraft {
    pub title: String,
    pub text: String,
    /// One of the campaign's topics (any text when the campaign names none).
    #[serde(default)]
    pub topic: String,
    /// Where it is about (地点), as written.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// Whether the proposer's name stays off the public page (匿名).
    #[serde(default)]
    pub anonymous: bool,
    /// Set by the edge: the web page, or what staff say a typed-in proposal came by.
    #[serde(default = "web")]
    pub channel: ProposalChannel,
}

fn web() -> ProposalChannel {
    ProposalChannel::Web
}

impl ProposalDraft {
    /// Trims and checks every field against `campaign`: its channel must be one the
    /// campaign opened, its topic one the campaign names.
    pub fn validated(mut self, campaign: &CampaignDraft) -> Result<ProposalDraft, DomainError> {
        self.title = clean_text("title", &self.title, 100, true)?;
        self.text = clean_text("text", &self.text, 5000, true)?;
        self.topic = clean_text("topic", &self.topic, 100, false)?;
        self.place = clean_text("place", &self.place, 200, false)?;
        self.name = clean_text("name", &self.name, 50, false)?;
        self.phone = match self.phone.trim() {
            "" => String::new(),
            phone => validate_phone(phone)?,
        };
        if !campaign.channels.contains(&self.channel) {
            return Err(DomainError::InvalidField {
                field: "channel",
                reason: format!("本次征集不通过「{}」收集建议", self.channel.label()),
            });
        }
        if !campaign.topics.is_empty() && !campaign.topics.contains(&self.topic) {
            return Err(DomainError::InvalidField {
                field: "topic",
                reason: "请选择本次征集的一个主题".into(),
            });
        }
        Ok(self)
    }

    /// Who raised it, for counting people: the phone, else the name, else nobody known.
    pub fn person(&self) -> Option<String> {
        [&self.phone, &self.name]
            .into_iter()
            .find(|s| !s.is_empty())
            .cloned()
    }

    /// The name the public page shows.
    pub fn public_name(&self) -> &str {
        if self.anonymous || self.name.is_empty() {
            "匿名"
        } else {
            &self.name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_proposal_keeps_to_the_campaigns_channels_and_topics() {
        let campaign = CampaignDraft {
            title: "征集".into(),
            description: String::new(),
            opens: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            closes: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default(),
            channels: vec![ProposalChannel::Web],
            topics: vec!["教育".into()],
            bodies: vec![],
        };
        let p = ProposalDraft {
            title: " 增设校车 ".into(),
            text: "希望为城郊小学增设校车。".into(),
            topic: "教育".into(),
            place: String::new(),
            name: "赵某".into(),
            phone: "139-0000-1111".into(),
            anonymous: true,
            channel: ProposalChannel::Web,
        };
        let ok = p.clone().validated(&campaign).unwrap();
        assert_eq!(ok.title, "增设校车");
        assert_eq!(ok.phone, "13900001111");
        assert_eq!(ok.public_name(), "匿名");
        assert_eq!(ok.person().as_deref(), Some("13900001111"));
        let letter = ProposalDraft {
            channel: ProposalChannel::Letter,
            ..p.clone()
        };
        assert!(letter.validated(&campaign).is_err());
        let off_topic = ProposalDraft {
            topic: "养老".into(),
            ..p
        };
        assert!(off_topic.validated(&campaign).is_err());
    }
}
