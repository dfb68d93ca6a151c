//! Suggestion campaigns (民生实事意见征集): the campaigns, their proposals and the public's
//! support for them (one vote per voter and proposal, kept by a unique key), the groups the
//! proposals were sorted into and each group's body and answer.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::campaign::{Answer, CampaignDraft, ProposalDraft};
use jiesu_domain::ids::BodyId;

use crate::error::StoreResult;
use crate::filter::Page;

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCampaign {
    pub id: i64,
    pub draft: CampaignDraft,
    pub created_at: DateTime<Utc>,
    /// When the outcomes were published (公布); `None` until then.
    pub published_at: Option<DateTime<Utc>>,
}

/// A proposal as stored, with its public support and its group once grouped.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProposal {
    pub id: i64,
    pub campaign: i64,
    pub draft: ProposalDraft,
    pub supports: i64,
    pub group: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A group to store: what and where it is about, its proposals, and its rank by people and
/// support.
#[derive(Debug, Clone, PartialEq)]
pub struct NewGroup {
    pub rank: i64,
    pub subject: String,
    pub place: String,
    pub keywords: Vec<String>,
    /// How many people raised it (提出人数).
    pub people: i64,
    /// The proposals' support together.
    pub supports: i64,
    pub proposals: Vec<i64>,
}

/// A group as stored, with the body it was given to and that body's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredGroup {
    pub id: i64,
    pub campaign: i64,
    pub rank: i64,
    pub subject: String,
    pub place: String,
    pub keywords: Vec<String>,
    pub people: i64,
    pub supports: i64,
    /// How many proposals it holds.
    pub size: i64,
    pub body: Option<BodyId>,
    pub answer: Option<Answer>,
    /// The task an adopted group became.
    pub task: Option<i64>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// One answer a group was given (答复记录): the current one, or one a correction replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupAnswer {
    pub answer: Answer,
    /// The task the group was live as after this answer.
    pub task: Option<i64>,
    /// Who answered, as shown (the user's name); empty for answers older than the record.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What a corrected answer does to the live task the previous answer left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskChange {
    /// The task stays, with the text the new answer gives it (采纳 ⇄ 部分采纳).
    Retext { task: i64, text: String },
    /// The task is closed (销号) with a note saying why: the group is no longer adopted.
    Close { task: i64, note: String },
}

#[async_trait]
pub trait CampaignStore: Send + Sync {
    async fn create_campaign(&self, draft: &CampaignDraft, at: DateTime<Utc>) -> StoreResult<i64>;
    /// `NotFound` when there is no such campaign.
    async fn update_campaign(&self, id: i64, draft: &CampaignDraft) -> StoreResult<()>;
    async fn campaign(&self, id: i64) -> StoreResult<StoredCampaign>;
    /// Every campaign, latest opening first.
    async fn campaigns(&self) -> StoreResult<Vec<StoredCampaign>>;
    /// Marks the outcomes published; `NotFound` when there is no such campaign.
    async fn publish_campaign(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()>;

    /// `MissingReference` when there is no such campaign.
    async fn add_proposal(
        &self,
        campaign: i64,
        draft: &ProposalDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Stores many proposals in one transaction (the benchmark, the demo); their ids in order.
    async fn add_proposals(
        &self,
        campaign: i64,
        drafts: &[ProposalDraft],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    async fn proposal(&self, id: i64) -> StoreResult<StoredProposal>;
    /// A campaign's proposals, oldest first; all of them with `page` `None`.
    async fn proposals(
        &self,
        campaign: i64,
        page: Option<Page>,
    ) -> StoreResult<Vec<StoredProposal>>;
    /// A group's proposals, oldest first.
    async fn group_proposals(&self, group: i64, page: Page) -> StoreResult<Vec<StoredProposal>>;
    /// How many proposals a campaign has.
    async fn count_proposals(&self, campaign: i64) -> StoreResult<i64>;
    /// Records `voter`'s support for a proposal: false (nothing counted) when that voter
    /// already supported it. `NotFound` when there is no such proposal.
    async fn support_proposal(
        &self,
        proposal: i64,
        voter: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Replaces a campaign's groups with `groups`, in one transaction.
    async fn replace_groups(&self, campaign: i64, groups: &[NewGroup]) -> StoreResult<()>;
    /// A campaign's groups, by rank.
    async fn groups(&self, campaign: i64) -> StoreResult<Vec<StoredGroup>>;
    async fn group(&self, id: i64) -> StoreResult<StoredGroup>;
    /// Gives a group to a body; `NotFound` when there is no such group,
    /// `MissingReference` when no such body.
    async fn assign_group(&self, id: i64, body: BodyId) -> StoreResult<()>;
    /// Records a group's answer and the task it left live, adds it to the group's answers
    /// and applies `change` to the task, in one transaction. `previous` is when the answer
    /// it replaces was given (`None`: the group is unanswered); `Stale` when the group's
    /// answer is not that one any more, or a task to close is closed already. `NotFound` when
    /// there is no such group (or task to change).
    async fn answer_group(
        &self,
        id: i64,
        previous: Option<DateTime<Utc>>,
        answer: &GroupAnswer,
        change: Option<&TaskChange>,
    ) -> StoreResult<()>;
    /// A group's answers, oldest first (the current one last).
    async fn group_answers(&self, id: i64) -> StoreResult<Vec<GroupAnswer>>;
}
