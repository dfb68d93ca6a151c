//! Following published tasks (督查督办) over JSON: a task with its milestones, reports and
//! alerts; milestones set by the office; a body's progress report; the office's review and
//! 销号; the board of per-body completion with 临期/超期 counts.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use jiesu_app::tasks::board::Board;
use jiesu_app::tasks::follow::{self, TaskView};
use jiesu_domain::DomainError;
use jiesu_domain::body::Body;
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{MilestoneDraft, ReportDraft, Review, TaskDraft, TaskStatus};
use jiesu_store::TaskFilter;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tasks/board", get(board))
        .route("/api/tasks/live", get(live))
        .route(
            "/api/tasks/{id}",
            get(one)
                .put(super::tasks::edit_draft)
                .delete(super::tasks::discard_draft),
        )
        .route(
            "/api/tasks/{id}/milestones",
            get(milestones).post(add_milestones),
        )
        .route("/api/tasks/{id}/reports", post(report))
        .route("/api/tasks/{id}/close", post(close))
        .route("/api/task-reports/{id}/review", post(review))
}

#[derive(Serialize)]
pub struct BodyRef {
    id: i64,
    name: String,
}

fn body_refs(ids: &[BodyId], bodies: &[Body]) -> Vec<BodyRef> {
    ids.iter()
        .map(|id| BodyRef {
            id: id.0,
            name: bodies
                .iter()
                .find(|b| b.id == *id)
                .map_or_else(String::new, |b| b.name.clone()),
        })
        .collect()
}

#[derive(Serialize)]
struct Milestone {
    id: i64,
    due: NaiveDate,
    expected: String,
    done_at: Option<DateTime<Utc>>,
    /// 已完成, 逾期完成, 正常, 临期, 超期.
    state: &'static str,
}

#[derive(Serialize)]
struct Report {
    id: i64,
    body: Option<i64>,
    author: String,
    text: String,
    percent: u8,
    attachments: Vec<String>,
    milestone: Option<i64>,
    due: Option<NaiveDate>,
    on_time: bool,
    created_at: DateTime<Utc>,
    review: Review,
    review_label: &'static str,
    reviewed_at: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct Alert {
    clock: &'static str,
    due: NaiveDate,
    timing: &'static str,
    message: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct TaskDetail {
    id: i64,
    #[serde(flatten)]
    draft: TaskDraft,
    published: bool,
    status: jiesu_domain::task::TaskStatus,
    status_label: &'static str,
    timing: jiesu_domain::task::Timing,
    timing_label: &'static str,
    lead: Vec<BodyRef>,
    co: Vec<BodyRef>,
    accepted_percent: Option<u8>,
    next_report: Option<NaiveDate>,
    closed_at: Option<DateTime<Utc>>,
    close_note: String,
    milestones: Vec<Milestone>,
    reports: Vec<Report>,
    alerts: Vec<Alert>,
    urges: Vec<Urge>,
}

/// The office's urge (督办) on the task.
#[derive(Serialize)]
struct Urge {
    id: i64,
    author: String,
    note: String,
    created_at: DateTime<Utc>,
}

fn milestone_json(views: &[follow::MilestoneView]) -> Vec<Milestone> {
    views
        .iter()
        .map(|m| Milestone {
            id: m.milestone.id,
            due: m.milestone.due,
            expected: m.milestone.expected.clone(),
            done_at: m.milestone.done.map(|(at, _)| at),
            state: m.state,
        })
        .collect()
}

fn detail(view: TaskView, bodies: &[Body]) -> TaskDetail {
    let timing = follow::shown_timing(&view);
    TaskDetail {
        id: view.task.id,
        published: view.task.published_at.is_some(),
        status: view.status,
        status_label: view.status.label(),
        timing,
        timing_label: timing.label(),
        lead: body_refs(&view.standing.lead, bodies),
        co: body_refs(&view.standing.co, bodies),
        accepted_percent: view.standing.accepted_percent,
        next_report: view.next_report,
        closed_at: view.task.closed_at,
        close_note: view.standing.close_note.clone(),
        milestones: milestone_json(&view.milestones),
        reports: view
            .reports
            .into_iter()
            .map(|r| Report {
                id: r.id,
                body: r.body.map(|b| b.0),
                author: r.author,
                review_label: r.review.label(),
                text: r.report.text,
                percent: r.report.percent,
                attachments: r.report.attachments,
                milestone: r.report.milestone,
                due: r.due,
                on_time: r.on_time,
                created_at: r.created_at,
                review: r.review,
                reviewed_at: r.reviewed_at,
            })
            .collect(),
        alerts: view
            .alerts
            .into_iter()
            .map(|a| Alert {
                clock: a.alert.clock.keyword(),
                due: a.alert.due,
                timing: a.alert.timing.label(),
                message: a.message,
                created_at: a.created_at,
            })
            .collect(),
        urges: view
            .urges
            .into_iter()
            .map(|u| Urge {
                id: u.id,
                author: u.author,
                note: u.note,
                created_at: u.created_at,
            })
            .collect(),
        draft: view.task.draft,
    }
}

async fn view(state: &AppState, id: i64) -> Result<TaskView, ApiError> {
    let calendar = &state.app.timekeeper().calendar;
    Ok(follow::view(state.store.as_ref(), calendar, id, Utc::now()).await?)
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<TaskDetail>, ApiError> {
    let view = view(&state, id).await?;
    let bodies = state.store.bodies().await?;
    Ok(Json(detail(view, &bodies)))
}

async fn milestones(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Milestone>>, ApiError> {
    let view = view(&state, id).await?;
    Ok(Json(milestone_json(&view.milestones)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMilestones {
    milestones: Vec<MilestoneDraft>,
}

#[derive(Serialize)]
struct Created {
    ids: Vec<i64>,
}

async fn add_milestones(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewMilestones>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let ids = follow::add_milestones(state.store.as_ref(), &user.0, id, body.milestones).await?;
    Ok((StatusCode::CREATED, Json(Created { ids })))
}

#[derive(Serialize)]
struct CreatedOne {
    id: i64,
}

async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ReportDraft>,
) -> Result<(StatusCode, Json<CreatedOne>), ApiError> {
    let calendar = &state.app.timekeeper().calendar;
    let id = follow::report(
        state.store.as_ref(),
        calendar,
        &user.0,
        id,
        body,
        Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedOne { id })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewRequest {
    accept: bool,
    #[serde(default)]
    reason: String,
}

#[derive(Serialize)]
struct Done {
    ok: bool,
}

async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ReviewRequest>,
) -> Result<Json<Done>, ApiError> {
    follow::review(
        state.store.as_ref(),
        &user.0,
        id,
        body.accept,
        &body.reason,
        Utc::now(),
    )
    .await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseRequest {
    note: String,
}

async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CloseRequest>,
) -> Result<Json<Done>, ApiError> {
    follow::close(state.store.as_ref(), &user.0, id, &body.note, Utc::now()).await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    pub document: Option<String>,
    pub body: Option<i64>,
    /// not_started, in_progress, done, overdue or closed: the list's tasks in that status today.
    pub status: Option<String>,
}

impl BoardQuery {
    pub fn filter(&self) -> Result<TaskFilter, ApiError> {
        if self
            .document
            .as_ref()
            .is_some_and(|d| d.chars().count() > 200)
        {
            return Err(DomainError::InvalidField {
                field: "document",
                reason: "文件名过长".into(),
            }
            .into());
        }
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(code) => Some((
                TaskStatus::from_code(code)
                    .filter(|s| *s != TaskStatus::Draft)
                    .ok_or_else(|| DomainError::InvalidField {
                        field: "status",
                        reason: format!(
                            "「{code}」不是 not_started、in_progress、done、overdue 或 closed"
                        ),
                    })?,
                follow::day_of(Utc::now()),
            )),
        };
        Ok(TaskFilter {
            document: self.document.clone().filter(|d| !d.trim().is_empty()),
            body: self.body.map(BodyId),
            status,
        })
    }
}

async fn board(
    State(state): State<AppState>,
    Query(q): Query<BoardQuery>,
) -> Result<Json<Board>, ApiError> {
    let filter = q.filter()?;
    Ok(Json(
        jiesu_app::tasks::board::board(state.store.as_ref(), &filter).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LiveQuery {
    document: Option<String>,
    body: Option<i64>,
    status: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct LiveTask {
    id: i64,
    number: String,
    title: String,
    document: String,
    due: Option<NaiveDate>,
    lead: Vec<BodyRef>,
    status: TaskStatus,
    status_label: &'static str,
    timing_label: &'static str,
}

/// The live tasks the filter takes (by document, body, status today), in id order.
async fn live(
    State(state): State<AppState>,
    Query(q): Query<LiveQuery>,
) -> Result<Json<Vec<LiveTask>>, ApiError> {
    let page = super::paging::page(q.offset, q.limit)?;
    let filter = BoardQuery {
        document: q.document,
        body: q.body,
        status: q.status,
    }
    .filter()?;
    let ids = state.store.live_task_ids(&filter, page).await?;
    let bodies = state.store.bodies().await?;
    let mut tasks = Vec::with_capacity(ids.len());
    for id in ids {
        let v = view(&state, id).await?;
        tasks.push(LiveTask {
            id,
            timing_label: follow::shown_timing(&v).label(),
            lead: body_refs(&v.standing.lead, &bodies),
            status: v.status,
            status_label: v.status.label(),
            number: v.task.draft.number,
            title: v.task.draft.title,
            document: v.task.draft.document,
            due: v.task.draft.due,
        });
    }
    Ok(Json(tasks))
}
