//! Hot issues (热点问题): the appeals of a period grouped by subject and place and ranked by
//! heat. One analysis is reused for ten minutes by the API and the hot page.

use std::sync::Mutex;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use jiesu_domain::deadline::china_local;
use jiesu_store::AppealFilter;
/// A group's heat and its parts, and the window concentration is measured in, for the edges
/// that explain a group.
pub use jiesu_text::hot::heat::{CONCENTRATION_DAYS, Heat};
use jiesu_text::hot::{HotDetector, HotGroup, HotMessage};
use serde::Serialize;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::listing::each_appeal;

/// Most appeals read for one analysis.
const HOT_MAX_APPEALS: i64 = 100_000;
/// How long one analysis is reused.
const HOT_CACHE: StdDuration = StdDuration::from_secs(600);

/// The hot issues over the last `days`.
#[derive(Serialize, Clone)]
pub struct HotReport {
    pub days: i64,
    pub appeals: usize,
    pub groups: Vec<HotGroup>,
}

/// The last analysis, with the period it covers and when it was made.
#[derive(Default)]
pub(crate) struct HotCache(Mutex<Option<(i64, Instant, HotReport)>>);

impl HotCache {
    fn get(&self, days: i64) -> Option<HotReport> {
        let cache = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .as_ref()
            .filter(|(d, at, _)| *d == days && at.elapsed() < HOT_CACHE)
            .map(|(_, _, report)| report.clone())
    }

    fn put(&self, days: i64, report: HotReport) {
        let mut cache = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *cache = Some((days, Instant::now(), report));
    }
}

impl App {
    /// Hot issues over the last `days`, reused for ten minutes.
    pub async fn hot_issues(&self, days: i64) -> AppResult<HotReport> {
        if let Some(report) = self.hot.get(days) {
            return Ok(report);
        }
        let report = self.analyse_hot(days).await?;
        self.hot.put(days, report.clone());
        Ok(report)
    }

    async fn analyse_hot(&self, days: i64) -> AppResult<HotReport> {
        let filter = AppealFilter {
            from: Some(Utc::now() - Duration::days(days)),
            ..AppealFilter::default()
        };
        self.analyse_hot_in(filter, days, HOT_MAX_APPEALS).await
    }

    /// Hot issues among the appeals registered in `[from, to)` (a month's report), reading
    /// at most `max` of them, newest first.
    pub async fn hot_issues_between(
        &self,
        from: chrono::DateTime<Utc>,
        to: chrono::DateTime<Utc>,
        max: i64,
    ) -> AppResult<HotReport> {
        let filter = AppealFilter {
            from: Some(from),
            to: Some(to),
            ..AppealFilter::default()
        };
        self.analyse_hot_in(filter, (to - from).num_days(), max)
            .await
    }

    async fn analyse_hot_in(
        &self,
        filter: AppealFilter,
        days: i64,
        max: i64,
    ) -> AppResult<HotReport> {
        let mut messages = Vec::new();
        each_appeal(&*self.store, &filter, Some(max), |a| {
            messages.push(HotMessage {
                id: a.number.0,
                user: a
                    .citizen
                    .phone
                    .or(a.citizen.name)
                    .unwrap_or_else(|| format!("匿名{}", a.id)),
                title: a.title,
                text: format!("{} {}", a.place.address, a.text),
                time: china_local(a.created_at),
                likes: 0,
                dislikes: 0,
            })
        })
        .await?;
        let appeals = messages.len();
        let groups =
            tokio::task::spawn_blocking(move || HotDetector::default().discover(&messages))
                .await
                .map_err(|e| AppError::Internal(format!("hot-issue analysis: {e}")))?;
        Ok(HotReport {
            days,
            appeals,
            groups,
        })
    }
}
