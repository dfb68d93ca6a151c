//! Assessment of bodies (考核): the stints' facts (kept by the workflow's writes in the same
//! transaction as the events), the counts a period's assessment reads, the weights and the
//! disputes (申诉).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use jiesu_domain::assessment::dispute::{Dispute, DisputeStatus};
use jiesu_domain::assessment::facts::Stint;
use jiesu_domain::assessment::period::Period;
use jiesu_domain::assessment::rates::Counts;
use jiesu_domain::assessment::weights::{WeightSet, Weights};
use jiesu_domain::ids::{AppealId, BodyId, UserId};

use crate::error::StoreResult;

/// A stint that cost its body points, with the appeal's number and title for the list.
#[derive(Debug, Clone, PartialEq)]
pub struct CostlyCase {
    pub stint: Stint,
    pub number: String,
    pub title: String,
}

/// A dispute to file.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDispute {
    pub appeal: AppealId,
    pub body: BodyId,
    pub reason: String,
    pub by: Option<UserId>,
    pub at: DateTime<Utc>,
}

/// An appeal's stints rebuilt from its log (补建考核事实), for a database whose appeals
/// predate the facts.
#[derive(Debug, Clone, PartialEq)]
pub struct RebuiltFacts {
    /// When the appeal was registered: the cases it repeats closed in the 30 days before.
    pub registered_at: DateTime<Utc>,
    /// Its stints in order, all of one appeal.
    pub stints: Vec<Stint>,
}

#[async_trait]
pub trait AssessmentStore: Send + Sync {
    /// The counts of each lead body over the stints dispatched in `[from, to)`, leaving out
    /// stints an accepted dispute excluded, with its replies scored in `[from, to)` (答复评价).
    /// Bodies with neither are not listed; by body id.
    async fn assessment_counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(BodyId, Counts)>>;
    /// The government-task counts of each lead body over `period` (only the task fields of
    /// [`Counts`] are set): its live tasks due in the period and decided by `today` (done, or
    /// due before `today`) and those done on time (任务按期完成); the progress reports each body
    /// sent in the period that answered a reporting day and those on time (进展按时报送).
    /// Bodies with neither are not listed; by body id.
    async fn task_counts(
        &self,
        period: &Period,
        today: NaiveDate,
    ) -> StoreResult<Vec<(BodyId, Counts)>>;
    /// A body's stints dispatched in `[from, to)` that cost it points (late, unsolved,
    /// dissatisfied, invalid return, repeated), excluded ones too, newest first.
    async fn costly_cases(
        &self,
        body: BodyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<CostlyCase>>;
    /// Up to `limit` appeals without any stint (registered before the facts were kept, or
    /// never dispatched), in order of registration (then id) after `after`, each with its
    /// registration time.
    async fn appeals_without_facts(
        &self,
        after: Option<(DateTime<Utc>, AppealId)>,
        limit: i64,
    ) -> StoreResult<Vec<(DateTime<Utc>, AppealId)>>;
    /// Stores rebuilt stints and marks the closed cases each appeal repeats, in one
    /// transaction; an appeal that has stints by now is left as it is. Returns how many
    /// appeals got their stints.
    async fn restore_facts(&self, appeals: &[RebuiltFacts]) -> StoreResult<usize>;
    /// The stints of an appeal, in order.
    async fn stints(&self, appeal: AppealId) -> StoreResult<Vec<Stint>>;
    /// The latest saved weights, `None` before any.
    async fn current_weights(&self) -> StoreResult<Option<Weights>>;
    /// Saves a new version of the weights.
    async fn save_weights(
        &self,
        set: &WeightSet,
        by: Option<UserId>,
        at: DateTime<Utc>,
    ) -> StoreResult<Weights>;
    /// Files a dispute; one pending per appeal and body ([`StoreError::Unique`]); the
    /// appeal must have been dispatched to the body ([`StoreError::NotFound`]).
    ///
    /// [`StoreError::Unique`]: crate::StoreError::Unique
    /// [`StoreError::NotFound`]: crate::StoreError::NotFound
    async fn file_dispute(&self, dispute: &NewDispute) -> StoreResult<Dispute>;
    /// Decides a pending dispute; accepted, the body's stints of the appeal leave the
    /// counting in the same transaction. Not pending any more → [`StoreError::Stale`].
    ///
    /// [`StoreError::Stale`]: crate::StoreError::Stale
    async fn decide_dispute(
        &self,
        id: i64,
        accept: bool,
        note: &str,
        by: Option<UserId>,
        at: DateTime<Utc>,
    ) -> StoreResult<Dispute>;
    async fn dispute(&self, id: i64) -> StoreResult<Dispute>;
    /// Disputes, newest first, of one status or all.
    async fn disputes(
        &self,
        status: Option<DisputeStatus>,
        limit: i64,
    ) -> StoreResult<Vec<Dispute>>;
}
