//! The monthly report (月度报告) a centre sends its leaders: volumes by channel, type,
//! category and district with month-on-month and year-on-year; the 三率 of the city and of
//! every body; the rankings per tier; overdue and reopened cases; the month's hot issues.
//! [`MonthlyReport::gather`] reads it; [`xlsx`] writes it as a workbook, the web layer as a
//! printable page.

pub mod xlsx;

use jiesu_domain::DomainError;
use jiesu_domain::assessment::period::{Period, PeriodKind};
use jiesu_store::{AppealFilter, CountGroup};
use jiesu_text::hot::HotGroup;
use serde::Serialize;

use crate::App;
use crate::assessment::Assessment;
use crate::error::AppResult;

/// Hot issues listed in the report.
const HOT_SHOWN: usize = 20;
/// Replies shown in the weakest-replies part.
const WEAKEST_SHOWN: i64 = 20;
/// Most appeals of the month the hot-issue analysis reads (the newest).
const HOT_MAX_APPEALS: i64 = 20_000;

/// One volume table: a key's count this month, the month before and a year before.
#[derive(Debug, Clone, Serialize)]
pub struct VolumeTable {
    pub title: &'static str,
    pub rows: Vec<VolumeRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VolumeRow {
    pub key: String,
    pub count: i64,
    pub previous: i64,
    pub year_before: i64,
}

impl VolumeRow {
    /// The change against `base` as a share (环比 / 同比); `None` without a base.
    pub fn change(count: i64, base: i64) -> Option<f64> {
        (base > 0).then(|| (count - base) as f64 / base as f64)
    }
}

/// Everything in a month's report.
#[derive(Debug, Clone, Serialize)]
pub struct MonthlyReport {
    pub month: Period,
    pub title: String,
    pub total: VolumeRow,
    pub volumes: Vec<VolumeTable>,
    pub assessment: Assessment,
    pub hot: Vec<HotGroup>,
    /// The month's lowest-scored replies (答复评价), lowest first.
    pub weakest: Vec<WeakReply>,
}

/// One of the month's weakest replies: which appeal, which body, its score and what it lacks.
#[derive(Debug, Clone, Serialize)]
pub struct WeakReply {
    pub number: String,
    pub body: String,
    pub overall: f64,
    pub gaps: Vec<String>,
}

impl MonthlyReport {
    /// Reads a month's report.
    pub async fn gather(app: &App, month: &Period) -> AppResult<MonthlyReport> {
        if month.kind != PeriodKind::Month {
            return Err(DomainError::InvalidField {
                field: "month",
                reason: "月报须指定月份，如 2026-11".into(),
            }
            .into());
        }
        let periods = [*month, month.previous(), month.year_before()];
        let filter = |p: &Period| AppealFilter {
            from: Some(p.from()),
            to: Some(p.to()),
            ..AppealFilter::default()
        };
        let groups = [
            ("按渠道", CountGroup::Channel),
            ("按类型", CountGroup::AppealType),
            ("按分类", CountGroup::CategoryL1),
            ("按区县", CountGroup::District),
        ];
        let mut volumes = Vec::new();
        let mut totals = [0i64; 3];
        for (title, group) in groups {
            let mut counts = Vec::new();
            for p in &periods {
                counts.push(self_count(app, &filter(p), group).await?);
            }
            if title == "按渠道" {
                for (t, c) in totals.iter_mut().zip(&counts) {
                    *t = c.iter().map(|(_, n)| n).sum();
                }
            }
            let rows = counts[0]
                .iter()
                .map(|(key, count)| VolumeRow {
                    key: key.clone(),
                    count: *count,
                    previous: lookup(&counts[1], key),
                    year_before: lookup(&counts[2], key),
                })
                .collect();
            volumes.push(VolumeTable { title, rows });
        }
        let assessment = app.assessment(month).await?;
        let mut hot = app
            .hot_issues_between(month.from(), month.to(), HOT_MAX_APPEALS)
            .await?
            .groups;
        hot.truncate(HOT_SHOWN);
        let weakest = weakest_replies(app, month).await?;
        Ok(MonthlyReport {
            month: *month,
            title: format!("12345 热线{}诉求办理情况月报", month.label()),
            total: VolumeRow {
                key: "受理总量".into(),
                count: totals[0],
                previous: totals[1],
                year_before: totals[2],
            },
            volumes,
            assessment,
            hot,
            weakest,
        })
    }
}

/// The month's lowest-scored replies with their appeal's number and the replying body's name.
async fn weakest_replies(app: &App, month: &Period) -> AppResult<Vec<WeakReply>> {
    let scores = app
        .store
        .weakest_replies(month.from(), month.to(), WEAKEST_SHOWN)
        .await?;
    let ids: Vec<_> = scores.iter().map(|s| s.appeal).collect();
    let (appeals, bodies) = tokio::try_join!(app.store.appeals_by_ids(&ids), app.store.bodies())?;
    Ok(scores
        .into_iter()
        .map(|s| WeakReply {
            number: appeals
                .iter()
                .find(|a| a.id == s.appeal)
                .map(|a| a.number.0.clone())
                .unwrap_or_default(),
            body: s
                .body
                .and_then(|b| bodies.iter().find(|x| x.id == b))
                .map(|b| b.name.clone())
                .unwrap_or_default(),
            overall: s.overall,
            gaps: s.gaps,
        })
        .collect())
}

async fn self_count(
    app: &App,
    filter: &AppealFilter,
    group: CountGroup,
) -> AppResult<Vec<(String, i64)>> {
    Ok(app.store.count_by(filter, group).await?)
}

fn lookup(counts: &[(String, i64)], key: &str) -> i64 {
    counts
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, n)| *n)
        .unwrap_or(0)
}
