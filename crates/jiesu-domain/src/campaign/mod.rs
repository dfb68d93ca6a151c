//! Suggestion campaigns (民生实事意见征集): the city asks the public, over a period, what it
//! should do next year; proposals come in by the web page, by mail and by letter, are grouped
//! by subject and place after the campaign closes, and each group is answered by a body.
//!
//! - [`CampaignDraft`] (征集活动): title, description, period, channels, topics, bodies.
//! - [`CampaignState`]: 未开始 → 征集中 → 已截止 → 已公布, derived from the dates and
//!   whether the outcomes were published.
//! - [`ProposalDraft`] (建议) and its [`ProposalChannel`].
//! - [`Answer`]: a body's [`Outcome`] for a group (采纳 / 部分采纳 / 不予采纳) and its reply.

mod outcome;
mod proposal;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;
use crate::kinds::labelled_enum;

pub use outcome::{Answer, Outcome};
pub use proposal::{ProposalChannel, ProposalDraft};

labelled_enum! {
    /// Where a campaign stands (征集状态).
    CampaignState, "state" {
        NotStarted => "未开始",
        Open => "征集中",
        Closed => "已截止",
        Published => "已公布",
    }
}

/// Most topics or answering bodies one campaign names.
pub const MAX_NAMES: usize = 50;

/// A campaign as written by the office (征集活动).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignDraft {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The first day proposals are taken.
    pub opens: NaiveDate,
    /// The last day proposals are taken.
    pub closes: NaiveDate,
    /// How proposals come in; at least one.
    pub channels: Vec<ProposalChannel>,
    /// The topics a proposal chooses from (e.g. 交通出行, 教育); none: any subject.
    #[serde(default)]
    pub topics: Vec<String>,
    /// The bodies that will answer (答复单位), by name.
    #[serde(default)]
    pub bodies: Vec<String>,
}

/// Trims a list of names, keeps each once and drops empty ones.
fn clean_names(field: &'static str, names: &[String]) -> Result<Vec<String>, DomainError> {
    let mut clean: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = clean_text(field, name, 100, false)?;
        if !name.is_empty() && !clean.contains(&name) {
            clean.push(name);
        }
    }
    if clean.len() > MAX_NAMES {
        return Err(DomainError::InvalidField {
            field,
            reason: format!("最多 {MAX_NAMES} 项"),
        });
    }
    Ok(clean)
}

impl CampaignDraft {
    /// Trims and checks every field: the period runs forwards and at least one channel is open.
    pub fn validated(mut self) -> Result<CampaignDraft, DomainError> {
        self.title = clean_text("title", &self.title, 200, true)?;
        self.description = clean_text("description", &self.description, 20_000, false)?;
        if self.closes < self.opens {
            return Err(DomainError::InvalidField {
                field: "closes",
                reason: "截止日期不能早于开始日期".into(),
            });
        }
        self.channels.sort_unstable();
        self.channels.dedup();
        if self.channels.is_empty() {
            return Err(DomainError::InvalidField {
                field: "channels",
                reason: "至少选择一个征集渠道".into(),
            });
        }
        self.topics = clean_names("topics", &self.topics)?;
        self.bodies = clean_names("bodies", &self.bodies)?;
        Ok(self)
    }

    /// Where the campaign stands on `today`, published or not.
    pub fn state(&self, published: bool, today: NaiveDate) -> CampaignState {
        if published {
            CampaignState::Published
        } else if today < self.opens {
            CampaignState::NotStarted
        } else if today <= self.closes {
            CampaignState::Open
        } else {
            CampaignState::Closed
        }
    }
}

impl CampaignState {
    /// Whether a proposal coming in by `channel` is taken now. The web form is open only
    /// during the period; staff may still type in letters and mails after it closed (the
    /// post takes days), until the outcomes are published.
    pub fn takes(self, channel: ProposalChannel) -> Result<(), DomainError> {
        let open = match channel {
            ProposalChannel::Web => self == CampaignState::Open,
            ProposalChannel::Mail | ProposalChannel::Letter => {
                matches!(self, CampaignState::Open | CampaignState::Closed)
            }
        };
        if open {
            Ok(())
        } else {
            Err(DomainError::IllegalTransition {
                state: self.label(),
                action: "提交建议",
            })
        }
    }

    /// Refused unless the campaign has closed and is not yet published: grouping and
    /// answering happen between the two.
    pub fn after_close(self, action: &'static str) -> Result<(), DomainError> {
        if self == CampaignState::Closed {
            Ok(())
        } else {
            Err(DomainError::IllegalTransition {
                state: self.label(),
                action,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    fn draft() -> CampaignDraft {
        CampaignDraft {
            title: " 2027年民生实事征集 ".into(),
            description: String::new(),
            opens: day(1),
            closes: day(20),
            channels: vec![
                ProposalChannel::Letter,
                ProposalChannel::Web,
                ProposalChannel::Web,
            ],
            topics: vec!["交通出行".into(), " 交通出行".into(), String::new()],
            bodies: vec!["市交通局".into()],
        }
    }

    #[test]
    fn a_draft_is_trimmed_and_its_period_runs_forwards() {
        let d = draft().validated().unwrap();
        assert_eq!(d.title, "2027年民生实事征集");
        assert_eq!(d.channels, [ProposalChannel::Web, ProposalChannel::Letter]);
        assert_eq!(d.topics, ["交通出行"]);
        let backwards = CampaignDraft {
            closes: day(1),
            opens: day(2),
            ..draft()
        };
        assert!(backwards.validated().is_err());
        let silent = CampaignDraft {
            channels: vec![],
            ..draft()
        };
        assert!(silent.validated().is_err());
    }

    #[test]
    fn the_state_follows_the_dates_and_the_web_form_only_the_open_period() {
        let d = draft();
        assert_eq!(
            d.state(
                false,
                NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default()
            ),
            CampaignState::NotStarted
        );
        assert_eq!(d.state(false, day(20)), CampaignState::Open);
        assert_eq!(d.state(false, day(21)), CampaignState::Closed);
        assert_eq!(d.state(true, day(5)), CampaignState::Published);
        assert!(CampaignState::Open.takes(ProposalChannel::Web).is_ok());
        assert!(CampaignState::Closed.takes(ProposalChannel::Web).is_err());
        assert!(CampaignState::Closed.takes(ProposalChannel::Letter).is_ok());
        assert!(
            CampaignState::Published
                .takes(ProposalChannel::Mail)
                .is_err()
        );
        assert!(CampaignState::Closed.after_close("分组").is_ok());
        assert!(CampaignState::Open.after_close("分组").is_err());
    }
}
