//! Supervision settings and messages (督办): the inbox of notices, the time-limit rules and
//! the working-day calendar an admin maintains.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use jiesu_domain::calendar::Schedule;
use jiesu_domain::deadline::RuleBook;
use jiesu_store::InboxItem;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/inbox", get(inbox))
        .route("/api/inbox/{id}/read", post(mark_read))
        .route(
            "/api/time-limits",
            get(time_limits).put(replace_time_limits),
        )
        .route("/api/calendar/{year}", get(calendar_year))
        .route("/api/calendar", put(import_calendar_year))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InboxQuery {
    unread: Option<bool>,
    offset: Option<i64>,
    limit: Option<i64>,
}

async fn inbox(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<InboxQuery>,
) -> Result<Json<Vec<InboxItem>>, ApiError> {
    let page = super::paging::page(q.offset, q.limit)?;
    Ok(Json(
        state
            .store
            .inbox(&user.0, q.unread.unwrap_or(false), page)
            .await?,
    ))
}

async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.store.mark_read(&user.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn time_limits(State(state): State<AppState>) -> Json<serde_json::Value> {
    let rules = state.timekeeper().rules.to_json();
    Json(serde_json::from_str(&rules).unwrap_or_default())
}

/// Replaces the rules; a rule with a negative limit, duplicate conditions or no catch-all
/// rule is refused with the field named, and nothing changes.
async fn replace_time_limits(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let rules = RuleBook::from_json(&body.to_string()).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            e.to_string(),
        )
    })?;
    state.save_time_limits(&rules).await?;
    Ok(Json(body))
}

#[derive(Serialize)]
struct YearView {
    year: i32,
    official: bool,
    text: String,
}

async fn calendar_year(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> Result<Json<YearView>, ApiError> {
    let calendar = &state.timekeeper().calendar;
    let text = calendar
        .to_file_text(year)
        .ok_or_else(|| ApiError::not_found(&format!("{year} 年的节假日安排")))?;
    Ok(Json(YearView {
        year,
        official: calendar.covers(year),
        text,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    text: String,
}

/// Imports (or replaces) one year in the documented file format; errors name the line.
async fn import_calendar_year(
    State(state): State<AppState>,
    JsonBody(file): JsonBody<YearFile>,
) -> Result<Json<YearView>, ApiError> {
    let schedule = Schedule::parse(&file.text).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            e.to_string(),
        )
    })?;
    state.save_calendar_year(&schedule).await?;
    Ok(Json(YearView {
        year: schedule.year(),
        official: true,
        text: schedule.to_text(),
    }))
}
