//! Reminders on government tasks over JSON: the office's urge (督办) on a task, and the
//! 临期/超期 alerts and urges the caller reads (their body's, or every body's for the office).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use jiesu_app::tasks::remind;
use jiesu_domain::task::Timing;
use jiesu_store::ReminderKind;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tasks/reminders", get(reminders))
        .route("/api/tasks/{id}/urge", post(urge))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UrgeRequest {
    note: String,
}

#[derive(Serialize)]
struct Urged {
    id: i64,
}

async fn urge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<UrgeRequest>,
) -> Result<(StatusCode, Json<Urged>), ApiError> {
    let urge = remind::urge(state.store.as_ref(), &user.0, id, &body.note, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Urged { id: urge })))
}

#[derive(Serialize)]
struct ReminderLine {
    task: i64,
    title: String,
    /// `alert` (临期催办/超期督办 by the scanner) or `urge` (督办 by the office).
    kind: &'static str,
    message: String,
    timing: &'static str,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Reminders {
    /// Open tasks (the caller's body leads, or all) that are 临期 or 超期.
    attention: i64,
    reminders: Vec<ReminderLine>,
}

async fn reminders(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Reminders>, ApiError> {
    let (lines, attention) = remind::reminders(state.store.as_ref(), &user.0).await?;
    Ok(Json(Reminders {
        attention,
        reminders: lines
            .into_iter()
            .map(|r| ReminderLine {
                task: r.task,
                title: r.title,
                kind: match r.kind {
                    ReminderKind::Alert => "alert",
                    ReminderKind::Urge => "urge",
                },
                message: r.message,
                timing: Timing::from_code(r.timing).label(),
                created_at: r.created_at,
            })
            .collect(),
    }))
}
