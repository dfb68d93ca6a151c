//! Reply reviews (答复评价): the scores of each reply, kept with the reviewer's decision, and
//! each body's mean over a period for its assessment.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::ids::{AppealId, BodyId};
use serde::Serialize;

use crate::error::StoreResult;

/// The stored review of one reply (答复评价记录).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyScore {
    pub appeal: AppealId,
    /// The sequence of the reply's event (答复) in the appeal's log.
    pub reply_seq: i64,
    /// The body that replied (the lead body then), when any.
    pub body: Option<BodyId>,
    pub relevance: f64,
    pub completeness: f64,
    pub tone: f64,
    pub timeliness: f64,
    pub overall: f64,
    /// What the reply lacks, in Chinese, most important first.
    pub gaps: Vec<String>,
    pub replied_at: DateTime<Utc>,
    pub scored_at: DateTime<Utc>,
    /// The reviewer's decision (审核): approved or sent back; `None` until reviewed.
    pub approved: Option<bool>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// One body's mean reply scores over a period (答复评价均分).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyReplyMean {
    pub body: BodyId,
    /// How many of its replies were scored.
    pub replies: i64,
    pub relevance: f64,
    pub completeness: f64,
    pub tone: f64,
    pub timeliness: f64,
    pub overall: f64,
}

#[async_trait]
pub trait ReplyReviewStore: Send + Sync {
    /// Saves the scores of a reply; scores saved again for the same reply replace the
    /// earlier ones and keep the decision, if any.
    async fn save_reply_score(&self, score: &ReplyScore) -> StoreResult<()>;
    /// Records the reviewer's decision on a scored reply; `NotFound` when it was not scored.
    async fn decide_reply_score(
        &self,
        appeal: AppealId,
        reply_seq: i64,
        approved: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The scores of every reply of an appeal, latest reply first.
    async fn reply_scores(&self, appeal: AppealId) -> StoreResult<Vec<ReplyScore>>;
    /// Per body, the means of the scores of its replies given in `[from, to)`, by body id;
    /// bodies without a scored reply in the period are left out.
    async fn reply_review_mean_by_body(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BodyReplyMean>>;
    /// The `limit` lowest-scored replies given in `[from, to)`, lowest overall first.
    async fn weakest_replies(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<ReplyScore>>;
}
