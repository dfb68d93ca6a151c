//! Assessment of bodies (考核): a period's rates and score for every body, ranked within
//! tiers against the admin's weights, with month-on-month change; the cases that cost a body
//! points; the weights (versioned); and disputes of a case's counting (申诉).

use std::collections::HashMap;

use chrono::Utc;
use jiesu_domain::DomainError;
use jiesu_domain::assessment::dispute::{Dispute, DisputeStatus, clean_note, clean_reason};
use jiesu_domain::assessment::period::Period;
use jiesu_domain::assessment::rates::{Counts, Rate};
use jiesu_domain::assessment::score::{TierRanking, rank, score};
use jiesu_domain::assessment::weights::{WeightSet, Weights};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::user::Actor;
use jiesu_store::{CostlyCase, NewDispute, StoreError};
use serde::Serialize;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::tasks::follow::day_of;

/// Most cases listed in a body's drill-down.
pub const COSTLY_CASES_SHOWN: i64 = 200;

/// A period's assessment of every body (考核结果).
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub period: Period,
    pub period_label: String,
    /// The period the change is measured against (环比).
    pub previous: Period,
    /// The weights used, with their version.
    pub weights: Weights,
    /// The whole city's counts and rates.
    pub city: Counts,
    pub city_rates: Vec<Rate>,
    pub city_score: Option<f64>,
    pub tiers: Vec<TierRanking>,
}

/// The sum of every body's counts.
fn total(counts: &HashMap<BodyId, Counts>) -> Counts {
    let mut sum = Counts::default();
    for c in counts.values() {
        sum += *c;
    }
    sum
}

impl App {
    /// The weights in force: the latest saved, or the built-in default (version 0).
    pub async fn assessment_weights(&self) -> AppResult<Weights> {
        Ok(self.store.current_weights().await?.unwrap_or_default())
    }

    /// Saves a new version of the weights after checking them.
    pub async fn save_assessment_weights(&self, set: WeightSet, by: &Actor) -> AppResult<Weights> {
        let set = set.validated()?;
        Ok(self.store.save_weights(&set, by.user, Utc::now()).await?)
    }

    /// The counts of every body over a period: its appeals' and its government tasks'
    /// (任务按期完成、进展按时报送), the tasks' decided as of today.
    pub async fn period_counts(&self, period: &Period) -> AppResult<HashMap<BodyId, Counts>> {
        let today = day_of(Utc::now());
        let (appeals, tasks) = tokio::try_join!(
            self.store.assessment_counts(period.from(), period.to()),
            self.store.task_counts(period, today),
        )?;
        let mut counts: HashMap<BodyId, Counts> = appeals.into_iter().collect();
        for (body, c) in tasks {
            *counts.entry(body).or_default() += c;
        }
        Ok(counts)
    }

    /// The assessment of every body over `period`, with the change since the period before.
    pub async fn assessment(&self, period: &Period) -> AppResult<Assessment> {
        let weights = self.assessment_weights().await?;
        let previous = period.previous();
        let (current, before, bodies) = tokio::try_join!(
            self.period_counts(period),
            self.period_counts(&previous),
            async { Ok::<_, AppError>(self.store.bodies().await?) },
        )?;
        let city = total(&current);
        let tiers = rank(&bodies, &current, &before, &weights.set);
        Ok(Assessment {
            period: *period,
            period_label: period.label(),
            previous,
            city_rates: Rate::all(&city),
            city_score: score(&city, &weights.set),
            tiers,
            city,
            weights,
        })
    }

    /// The cases of `body` in `period` that cost it points, newest first.
    pub async fn costly_cases(&self, body: BodyId, period: &Period) -> AppResult<Vec<CostlyCase>> {
        Ok(self
            .store
            .costly_cases(body, period.from(), period.to(), COSTLY_CASES_SHOWN)
            .await?)
    }

    /// A handler's body disputes the counting of one of its cases (申诉).
    pub async fn file_dispute(
        &self,
        actor: &Actor,
        appeal: AppealId,
        reason: &str,
    ) -> AppResult<Dispute> {
        let Some(body) = actor.body else {
            return Err(DomainError::Refused("只有承办单位的人员可以申诉".into()).into());
        };
        let dispute = NewDispute {
            appeal,
            body,
            reason: clean_reason(reason)?,
            by: actor.user,
            at: Utc::now(),
        };
        match self.store.file_dispute(&dispute).await {
            Err(StoreError::Unique { .. }) => Err(DomainError::IllegalTransition {
                state: DisputeStatus::Pending.label(),
                action: "再次申诉",
            }
            .into()),
            Err(StoreError::NotFound(_)) => {
                Err(DomainError::Refused("该诉求未派给您的单位承办，不能申诉".into()).into())
            }
            other => Ok(other?),
        }
    }

    /// The supervisor accepts (the case leaves the body's rates) or rejects a pending dispute.
    pub async fn decide_dispute(
        &self,
        actor: &Actor,
        id: i64,
        accept: bool,
        note: &str,
    ) -> AppResult<Dispute> {
        let note = clean_note(note)?;
        match self
            .store
            .decide_dispute(id, accept, &note, actor.user, Utc::now())
            .await
        {
            Err(StoreError::Stale) => {
                let dispute = self.store.dispute(id).await?;
                Err(DomainError::IllegalTransition {
                    state: dispute.status.label(),
                    action: "审核申诉",
                }
                .into())
            }
            other => Ok(other?),
        }
    }

    /// Disputes, newest first: the pending ones, or all.
    pub async fn disputes(&self, status: Option<DisputeStatus>) -> AppResult<Vec<Dispute>> {
        Ok(self.store.disputes(status, 500).await?)
    }
}
