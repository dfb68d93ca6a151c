//! Suggestion campaigns (民生实事意见征集): the office opens a campaign; the public submits
//! proposals on the web and supports others' (once per voter); staff type in letters and
//! mails; after the close the proposals are grouped by subject and place and ranked, each
//! group given to a body, which answers 采纳 / 部分采纳 / 不予采纳 — an adopted group becomes
//! a task of next year's list — and the outcomes are published.
//!
//! - [`grouping`]: sorting the proposals into ranked groups (the hot-issue grouping).
//! - [`answer`]: giving groups to bodies, their answers, the tasks, publishing.
//! - [`export`]: the whole campaign as a workbook.

pub mod answer;
pub mod export;
pub mod grouping;

use chrono::Utc;
use jiesu_domain::DomainError;
use jiesu_domain::campaign::{CampaignDraft, CampaignState, ProposalDraft};
use jiesu_store::{Page, StoredCampaign, StoredProposal};
use sha2::{Digest, Sha256};

use crate::App;
use crate::error::AppResult;
use crate::stations::today;

/// A campaign with where it stands today and how many proposals it has.
#[derive(Debug, Clone)]
pub struct CampaignView {
    pub campaign: StoredCampaign,
    pub state: CampaignState,
    pub proposals: i64,
}

/// What a support did: whether it counted, and the proposal's support now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supported {
    pub counted: bool,
    pub supports: i64,
}

/// The key a voter's support is kept under: a hash of the token the voter's browser (or
/// program) keeps for its session, so the store never holds the token itself. A token is
/// 16 to 128 letters, digits, `-` or `_`.
pub fn voter_key(token: &str) -> Result<String, DomainError> {
    let token = token.trim();
    let fits = (16..=128).contains(&token.len())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if !fits {
        return Err(DomainError::InvalidField {
            field: "voter",
            reason: "投票凭证须为 16 到 128 位字母或数字".into(),
        });
    }
    Ok(format!("session:{}", hex::encode(Sha256::digest(token))))
}

fn state_of(campaign: &StoredCampaign) -> CampaignState {
    campaign
        .draft
        .state(campaign.published_at.is_some(), today())
}

impl App {
    /// Opens a campaign (saved; its state follows its dates).
    pub async fn create_campaign(&self, draft: CampaignDraft) -> AppResult<i64> {
        let draft = draft.validated()?;
        Ok(self.store.create_campaign(&draft, Utc::now()).await?)
    }

    /// Rewrites a campaign; refused once its outcomes are published.
    pub async fn update_campaign(&self, id: i64, draft: CampaignDraft) -> AppResult<()> {
        let draft = draft.validated()?;
        let state = state_of(&self.store.campaign(id).await?);
        if state == CampaignState::Published {
            return Err(DomainError::IllegalTransition {
                state: state.label(),
                action: "修改征集活动",
            }
            .into());
        }
        Ok(self.store.update_campaign(id, &draft).await?)
    }

    pub async fn campaign_view(&self, id: i64) -> AppResult<CampaignView> {
        let campaign = self.store.campaign(id).await?;
        Ok(CampaignView {
            state: state_of(&campaign),
            proposals: self.store.count_proposals(id).await?,
            campaign,
        })
    }

    /// Every campaign, latest opening first; only those the public may see (open, closed,
    /// published) with `public`.
    pub async fn campaign_list(&self, public: bool) -> AppResult<Vec<CampaignView>> {
        let mut out = Vec::new();
        for campaign in self.store.campaigns().await? {
            let state = state_of(&campaign);
            if public && state == CampaignState::NotStarted {
                continue;
            }
            out.push(CampaignView {
                proposals: self.store.count_proposals(campaign.id).await?,
                state,
                campaign,
            });
        }
        Ok(out)
    }

    /// Takes a proposal by its channel: the web form only while the campaign is open,
    /// letters and mails typed in by staff until the outcomes are published.
    pub async fn submit_proposal(&self, campaign: i64, draft: ProposalDraft) -> AppResult<i64> {
        let stored = self.store.campaign(campaign).await?;
        let draft = draft.validated(&stored.draft)?;
        state_of(&stored).takes(draft.channel)?;
        Ok(self
            .store
            .add_proposal(campaign, &draft, Utc::now())
            .await?)
    }

    /// A campaign's proposals, oldest first.
    pub async fn campaign_proposals(
        &self,
        campaign: i64,
        page: Page,
    ) -> AppResult<Vec<StoredProposal>> {
        self.store.campaign(campaign).await?;
        Ok(self.store.proposals(campaign, Some(page)).await?)
    }

    /// The voter with `token` supports a proposal, once: a repeat is not counted. Taken
    /// while the campaign is open or closed, not once it is published.
    pub async fn support_proposal(&self, proposal: i64, token: &str) -> AppResult<Supported> {
        let voter = voter_key(token)?;
        let stored = self.store.proposal(proposal).await?;
        let state = state_of(&self.store.campaign(stored.campaign).await?);
        if !matches!(state, CampaignState::Open | CampaignState::Closed) {
            return Err(DomainError::IllegalTransition {
                state: state.label(),
                action: "支持建议",
            }
            .into());
        }
        let counted = self
            .store
            .support_proposal(proposal, &voter, Utc::now())
            .await?;
        Ok(Supported {
            counted,
            supports: self.store.proposal(proposal).await?.supports,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voter_key_hides_the_token_and_refuses_short_ones() {
        let key = voter_key("abcdefgh12345678").unwrap();
        assert!(key.starts_with("session:") && !key.contains("abcdefgh"));
        assert_eq!(key, voter_key(" abcdefgh12345678 ").unwrap());
        assert!(voter_key("short").is_err());
        assert!(voter_key("abcdefgh12345678!").is_err());
    }
}
