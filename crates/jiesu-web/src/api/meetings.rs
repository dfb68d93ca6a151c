//! Meetings (协商会议, 月调度, 季协调, 年对接): recorded with their issues, each of which
//! becomes a task; each issue's task status and the answer given back (反馈).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use jiesu_domain::station::{MeetingDraft, MeetingKind};
use jiesu_store::StoredMeeting;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/meetings", get(list).post(create))
        .route("/api/meetings/{id}", get(one))
        .route("/api/meetings/{id}/issues/{issue}/feedback", post(feedback))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Paging {
    offset: Option<i64>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct Summary {
    id: i64,
    kind: MeetingKind,
    held_on: NaiveDate,
    title: String,
    issues: usize,
}

fn summary(m: StoredMeeting) -> Summary {
    Summary {
        id: m.id,
        kind: m.draft.kind,
        held_on: m.draft.held_on,
        title: m.draft.title,
        issues: m.issues.len(),
    }
}

async fn list(
    State(state): State<AppState>,
    Query(p): Query<Paging>,
) -> Result<Json<Vec<Summary>>, ApiError> {
    let page = super::paging::page(p.offset, p.limit)?;
    Ok(Json(
        state
            .meetings(page)
            .await?
            .into_iter()
            .map(summary)
            .collect(),
    ))
}

#[derive(Serialize)]
struct Saved {
    id: i64,
    tasks: Vec<i64>,
    unknown_bodies: Vec<String>,
}

async fn create(
    State(state): State<AppState>,
    JsonBody(draft): JsonBody<MeetingDraft>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let saved = jiesu_app::meetings::save(state.store.as_ref(), draft).await?;
    Ok((
        StatusCode::CREATED,
        Json(Saved {
            id: saved.id,
            tasks: saved.tasks,
            unknown_bodies: saved.unknown_bodies,
        }),
    ))
}

#[derive(Serialize)]
struct Issue {
    id: i64,
    text: String,
    raised_by: String,
    lead_body: String,
    task: Option<i64>,
    task_status: Option<&'static str>,
    feedback: String,
    feedback_at: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct Meeting {
    id: i64,
    kind: MeetingKind,
    held_on: NaiveDate,
    title: String,
    participants: Vec<String>,
    minutes: String,
    issues: Vec<Issue>,
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Meeting>, ApiError> {
    let view = state.meeting_view(id).await?;
    let draft = view.meeting.draft;
    Ok(Json(Meeting {
        id: view.meeting.id,
        kind: draft.kind,
        held_on: draft.held_on,
        title: draft.title,
        participants: draft.participants,
        minutes: draft.minutes,
        issues: view
            .issues
            .into_iter()
            .map(|i| Issue {
                id: i.issue.id,
                text: i.issue.text,
                raised_by: i.issue.raised_by,
                lead_body: i.issue.lead_body,
                task: i.issue.task,
                task_status: i.status.map(|s| s.label()),
                feedback: i.issue.feedback,
                feedback_at: i.issue.feedback_at,
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Feedback {
    feedback: String,
}

async fn feedback(
    State(state): State<AppState>,
    Path((id, issue)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<Feedback>,
) -> Result<StatusCode, ApiError> {
    state.give_feedback(id, issue, &body.feedback).await?;
    Ok(StatusCode::NO_CONTENT)
}
