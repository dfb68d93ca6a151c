//! Assessment pages (考核): the leader's ranking per tier with each body's drill-down to the
//! cases that cost it points, disputes (申诉) filed by bodies and decided by supervisors, and
//! the admin's weights (考核权重). All call the same use cases as `/api/assessment`.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, Months, Utc};
use jiesu_domain::assessment::dispute::DisputeStatus;
use jiesu_domain::assessment::period::Period;
use jiesu_domain::assessment::rates::{Rate, RateKind};
use jiesu_domain::assessment::score::BodyAssessment;
use jiesu_domain::assessment::weights::WeightSet;
use jiesu_domain::deadline::china_local;
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::user::Role;
use serde::Deserialize;

use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// The month before the current one (the latest finished month), as `2026-11`.
pub fn last_month() -> Period {
    let today = china_local(Utc::now()).date();
    Period::month_of(today.with_day(1).expect("day 1") - Months::new(1))
}

fn period_or_last(text: Option<&str>) -> Result<Period, PageError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Period::parse(t)?),
        None => Ok(last_month()),
    }
}

/// A rate as shown: "92.5%" with its interval, or "—" without cases.
pub struct RateCell {
    pub value: String,
    pub interval: String,
    pub title: String,
}

pub fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

fn rate_cell(r: &Rate) -> RateCell {
    RateCell {
        value: percent(r.value),
        interval: match (r.low, r.high) {
            (Some(l), Some(h)) => format!("{:.0}–{:.0}%", l * 100.0, h * 100.0),
            _ => String::new(),
        },
        title: format!(
            "{}：{} / {}，95% 区间 {}",
            r.kind.label(),
            r.numerator,
            r.denominator,
            match (r.low, r.high) {
                (Some(l), Some(h)) => format!("{:.1}%–{:.1}%", l * 100.0, h * 100.0),
                _ => "—".into(),
            }
        ),
    }
}

pub struct BodyRow {
    pub rank: String,
    pub id: i64,
    pub name: String,
    pub cases: i64,
    pub score: String,
    pub change: String,
    pub change_class: &'static str,
    pub rates: Vec<RateCell>,
    pub reminders: i64,
    pub supervisions: i64,
}

pub fn score_text(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.1}")).unwrap_or_else(|| "—".into())
}

fn body_row(b: &BodyAssessment, min_cases: i64) -> BodyRow {
    BodyRow {
        rank: match b.rank {
            Some(r) => r.to_string(),
            None => format!("不排名（少于 {min_cases} 件）"),
        },
        id: b.body.0,
        name: b.name.clone(),
        cases: b.counts.cases,
        score: score_text(b.score),
        change: match b.change {
            Some(c) if c > 0.05 => format!("↑{c:.1}"),
            Some(c) if c < -0.05 => format!("↓{:.1}", -c),
            Some(_) => "持平".into(),
            None => "—".into(),
        },
        change_class: match b.change {
            Some(c) if c > 0.05 => "up",
            Some(c) if c < -0.05 => "down",
            _ => "",
        },
        rates: b.rates.iter().map(rate_cell).collect(),
        reminders: b.counts.reminders,
        supervisions: b.counts.supervisions,
    }
}

pub struct TierView {
    pub name: String,
    pub rows: Vec<BodyRow>,
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct RankingPage {
    shell: Shell,
    period: String,
    label: String,
    previous: String,
    weights_version: i64,
    rate_names: Vec<&'static str>,
    city_score: String,
    city_cases: i64,
    city_rates: Vec<(&'static str, RateCell)>,
    tiers: Vec<TierView>,
    month: String,
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    period: Option<String>,
}

/// The leader's ranking (`/assessment?period=2026-11`).
pub async fn ranking(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let period = period_or_last(q.period.as_deref())?;
    let a = state.assessment(&period).await?;
    let min = a.weights.set.min_cases;
    Ok(render(&RankingPage {
        shell: Shell::load(&state, &user.0, "考核排名", "/assessment").await,
        period: period.code(),
        label: a.period_label.clone(),
        previous: a.previous.label(),
        weights_version: a.weights.version,
        rate_names: RateKind::ALL.iter().map(|k| k.label()).collect(),
        city_score: score_text(a.city_score),
        city_cases: a.city.cases,
        city_rates: a
            .city_rates
            .iter()
            .map(|r| (r.kind.label(), rate_cell(r)))
            .collect(),
        tiers: a
            .tiers
            .iter()
            .map(|t| TierView {
                name: t.name.clone(),
                rows: t.bodies.iter().map(|b| body_row(b, min)).collect(),
            })
            .collect(),
        month: Period::month_of(period.start).code(),
    }))
}

pub struct CaseRow {
    pub appeal: i64,
    pub number: String,
    pub title: String,
    pub dispatched: String,
    pub losses: String,
    pub excluded: bool,
}

#[derive(Template)]
#[template(path = "assessment_body.html")]
struct BodyPage {
    shell: Shell,
    period: String,
    label: String,
    name: String,
    row: Option<BodyRow>,
    rate_names: Vec<&'static str>,
    cases: Vec<CaseRow>,
    may_dispute: bool,
}

/// A body's drill-down: its rates and the cases that cost it points, each linked to the
/// appeal; its own handlers may dispute a case's counting from here.
pub async fn body(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let body = BodyId(id);
    let own = user.0.body == Some(body);
    if user.0.role == Role::Handler && !own {
        return Err(PageError::forbidden("只能查看本单位的考核"));
    }
    let period = period_or_last(q.period.as_deref())?;
    let bodies = state.store.bodies().await?;
    let name = bodies
        .iter()
        .find(|b| b.id == body)
        .map(|b| b.name.clone())
        .ok_or_else(|| PageError::not_found("单位"))?;
    let a = state.assessment(&period).await?;
    let row = a
        .tiers
        .iter()
        .flat_map(|t| &t.bodies)
        .find(|b| b.body == body)
        .map(|b| body_row(b, a.weights.set.min_cases));
    let cases = state
        .costly_cases(body, &period)
        .await?
        .into_iter()
        .map(|c| CaseRow {
            appeal: c.stint.appeal.0,
            dispatched: china_local(c.stint.dispatched_at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            losses: c.stint.losses().join("、"),
            excluded: c.stint.excluded,
            number: c.number,
            title: c.title,
        })
        .collect();
    Ok(render(&BodyPage {
        shell: Shell::load(&state, &user.0, format!("{name} · 考核"), "/assessment").await,
        period: period.code(),
        label: period.label(),
        name,
        row,
        rate_names: RateKind::ALL.iter().map(|k| k.label()).collect(),
        cases,
        may_dispute: user.0.role == Role::Handler && own,
    }))
}

#[derive(Deserialize)]
pub struct DisputeForm {
    appeal: i64,
    reason: String,
    #[serde(default)]
    period: String,
}

/// A handler files a dispute from the drill-down.
pub async fn file_dispute(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<DisputeForm>,
) -> Result<Response, PageError> {
    let body = user.0.body.map(|b| b.0).unwrap_or_default();
    let back = format!("/assessment/bodies/{body}?period={}", encode(&form.period));
    state
        .file_dispute(&user.actor(), AppealId(form.appeal), &form.reason)
        .await
        .map_err(|e| PageError::from(e).back(back.clone()))?;
    Ok(redirect(&format!(
        "{back}&ok={}",
        encode("申诉已提交，等待督办员审核")
    )))
}

pub struct DisputeRow {
    pub id: i64,
    pub appeal: i64,
    pub body: String,
    pub reason: String,
    pub status: &'static str,
    pub pending: bool,
    pub filed: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "assessment_disputes.html")]
struct DisputesPage {
    shell: Shell,
    rows: Vec<DisputeRow>,
    may_decide: bool,
    all: bool,
}

#[derive(Deserialize, Default)]
pub struct DisputesQuery {
    #[serde(default)]
    all: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

/// The disputes to decide (申诉审核); with `?all=1` every dispute.
pub async fn disputes(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DisputesQuery>,
) -> Result<Response, PageError> {
    let all = q.all.is_some();
    let list = state
        .disputes((!all).then_some(DisputeStatus::Pending))
        .await?;
    let bodies = state.store.bodies().await?;
    let name = |id: BodyId| {
        bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name.clone())
            .unwrap_or_else(|| id.0.to_string())
    };
    Ok(render(&DisputesPage {
        shell: Shell::load(&state, &user.0, "申诉审核", "/assessment/disputes")
            .await
            .with_notice(q.ok),
        rows: list
            .into_iter()
            .map(|d| DisputeRow {
                id: d.id,
                appeal: d.appeal.0,
                body: name(d.body),
                reason: d.reason,
                status: d.status.label(),
                pending: d.status == DisputeStatus::Pending,
                filed: china_local(d.filed_at).format("%Y-%m-%d %H:%M").to_string(),
                note: d.note,
            })
            .collect(),
        may_decide: matches!(user.0.role, Role::Supervisor | Role::Admin),
        all,
    }))
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
}

/// The supervisor's decision on a dispute.
pub async fn decide_dispute(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let accept = form.decision == "accept";
    let back = |e: PageError| e.back("/assessment/disputes");
    state
        .decide_dispute(&user.actor(), id, accept, &form.note)
        .await
        .map_err(|e| back(e.into()))?;
    let done = if accept {
        "已采纳申诉，该案件不再计入考核"
    } else {
        "已驳回申诉"
    };
    Ok(redirect(&format!(
        "/assessment/disputes?ok={}",
        encode(done)
    )))
}

pub struct WeightField {
    pub code: &'static str,
    pub label: &'static str,
    pub value: String,
    pub lower_is_better: bool,
}

#[derive(Template)]
#[template(path = "admin_assessment.html")]
struct WeightsPage {
    shell: Shell,
    version: i64,
    fields: Vec<WeightField>,
    min_cases: i64,
    tiers: Vec<(String, String)>,
}

/// The admin's weights form (考核权重).
pub async fn weights(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DisputesQuery>,
) -> Result<Response, PageError> {
    let w = state.assessment_weights().await?;
    Ok(render(&WeightsPage {
        shell: Shell::load(&state, &user.0, "考核权重", "/admin/assessment")
            .await
            .with_notice(q.ok),
        version: w.version,
        fields: RateKind::ALL
            .iter()
            .map(|k| WeightField {
                code: k.code(),
                label: k.label(),
                value: w.set.weight(*k).to_string(),
                lower_is_better: k.lower_is_better(),
            })
            .collect(),
        min_cases: w.set.min_cases,
        tiers: w
            .set
            .tiers
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.kinds
                        .iter()
                        .map(|k| k.label())
                        .collect::<Vec<_>>()
                        .join("、"),
                )
            })
            .collect(),
    }))
}

/// Saves the form as a new version of the weights; the tiers are one per line,
/// `名称：类型、类型`.
pub async fn save_weights(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/assessment");
    let invalid = |m: String| back(PageError::invalid(m));
    let mut set = WeightSet {
        weights: Default::default(),
        min_cases: 0,
        tiers: Vec::new(),
    };
    for kind in RateKind::ALL {
        let text = form.get(kind.code()).map(|s| s.trim()).unwrap_or("0");
        let w: f64 = text
            .parse()
            .map_err(|_| invalid(format!("{}的权重「{text}」不是数字", kind.label())))?;
        set.weights.insert(kind, w);
    }
    let min = form.get("min_cases").map(|s| s.trim()).unwrap_or("");
    set.min_cases = min
        .parse()
        .map_err(|_| invalid(format!("最少件数「{min}」不是整数")))?;
    for line in form.get("tiers").map(String::as_str).unwrap_or("").lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (name, kinds) = line
            .split_once(['：', ':'])
            .ok_or_else(|| invalid(format!("分组「{line}」应写作「名称：类型、类型」")))?;
        let mut tier = jiesu_domain::assessment::weights::Tier {
            name: name.trim().to_string(),
            kinds: Vec::new(),
        };
        for kind in kinds
            .split(['、', ',', '，'])
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            tier.kinds
                .push(jiesu_domain::body::BodyKind::parse(kind).map_err(|e| back(e.into()))?);
        }
        set.tiers.push(tier);
    }
    let saved = state
        .save_assessment_weights(set, &user.actor())
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!(
        "/admin/assessment?ok={}",
        encode(&format!("已保存为第 {} 版", saved.version))
    )))
}

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    #[serde(default)]
    month: Option<String>,
}

fn month_or_last(text: Option<&str>) -> Result<Period, PageError> {
    let period = period_or_last(text)?;
    match period.kind {
        jiesu_domain::assessment::period::PeriodKind::Month => Ok(period),
        _ => Err(PageError::invalid("月报须指定月份，如 2026-11")),
    }
}

pub struct VolumeLine {
    pub key: String,
    pub count: i64,
    pub previous: i64,
    pub mom: String,
    pub year_before: i64,
    pub yoy: String,
}

fn volume_line(r: &jiesu_app::report::VolumeRow) -> VolumeLine {
    use jiesu_app::report::VolumeRow;
    VolumeLine {
        key: r.key.clone(),
        count: r.count,
        previous: r.previous,
        mom: percent(VolumeRow::change(r.count, r.previous)),
        year_before: r.year_before,
        yoy: percent(VolumeRow::change(r.count, r.year_before)),
    }
}

pub struct HotLine {
    pub description: String,
    pub place: String,
    pub count: usize,
    pub heat: String,
}

#[derive(Template)]
#[template(path = "assessment_report.html")]
struct ReportPage {
    shell: Shell,
    title: String,
    month: String,
    total: VolumeLine,
    volumes: Vec<(&'static str, Vec<VolumeLine>)>,
    rate_names: Vec<&'static str>,
    city_rates: Vec<(&'static str, RateCell)>,
    tiers: Vec<TierView>,
    hot: Vec<HotLine>,
    weakest: Vec<jiesu_app::report::WeakReply>,
}

/// The monthly report as a printable page (`/assessment/report?month=2026-11`).
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let month = month_or_last(q.month.as_deref())?;
    let r = jiesu_app::report::MonthlyReport::gather(&state, &month).await?;
    let a = &r.assessment;
    Ok(render(&ReportPage {
        shell: Shell::load(&state, &user.0, r.title.clone(), "/assessment").await,
        title: r.title.clone(),
        month: month.code(),
        total: volume_line(&r.total),
        volumes: r
            .volumes
            .iter()
            .map(|t| (t.title, t.rows.iter().map(volume_line).collect()))
            .collect(),
        rate_names: RateKind::ALL.iter().map(|k| k.label()).collect(),
        city_rates: a
            .city_rates
            .iter()
            .map(|x| (x.kind.label(), rate_cell(x)))
            .collect(),
        tiers: a
            .tiers
            .iter()
            .map(|t| TierView {
                name: t.name.clone(),
                rows: t
                    .bodies
                    .iter()
                    .map(|b| body_row(b, a.weights.set.min_cases))
                    .collect(),
            })
            .collect(),
        hot: r
            .hot
            .iter()
            .map(|g| HotLine {
                description: g.description.clone(),
                place: g.place.clone(),
                count: g.count,
                heat: format!("{:.1}", g.heat),
            })
            .collect(),
        weakest: r.weakest.clone(),
    }))
}

/// The monthly report as an Excel download, the same workbook as `jiesu report monthly`.
pub async fn report_xlsx(
    State(state): State<AppState>,
    Query(q): Query<MonthQuery>,
) -> Result<Response, PageError> {
    use axum::response::IntoResponse;
    let month = month_or_last(q.month.as_deref())?;
    let r = jiesu_app::report::MonthlyReport::gather(&state, &month).await?;
    let bytes = jiesu_app::report::xlsx::workbook(&r).map_err(|e| {
        tracing::error!(error = %e, "monthly report workbook");
        PageError::internal()
    })?;
    let name = format!("monthly-report-{}.xlsx", month.code());
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
