//! Government tasks (任务, 督查督办): a policy document's text split into its proposed task
//! list, stored as drafts, published; the list of tasks.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Datelike, Utc};
use jiesu_app::tasks::ProposedTask;
use jiesu_domain::DomainError;
use jiesu_domain::deadline::china_local;
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::TaskDraft;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tasks", get(list))
        .route("/api/tasks/propose", post(propose_list))
        .route("/api/tasks/import", post(import))
        .route("/api/tasks/publish", post(publish))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    text: String,
    /// The year deadlines without one fall in; default: the document's, else this year.
    year: Option<i32>,
    /// The document's title the drafts cite.
    #[serde(default)]
    document: String,
}

impl Document {
    fn split(&self) -> Result<(i32, Vec<ProposedTask>), ApiError> {
        let this_year = china_local(Utc::now()).date().year();
        Ok(jiesu_app::tasks::propose(&self.text, self.year, this_year)?)
    }
}

#[derive(Serialize)]
struct Proposed {
    year: i32,
    tasks: Vec<ProposedTask>,
}

async fn propose_list(JsonBody(doc): JsonBody<Document>) -> Result<Json<Proposed>, ApiError> {
    let (year, tasks) = doc.split()?;
    Ok(Json(Proposed { year, tasks }))
}

#[derive(Serialize)]
struct Imported {
    ids: Vec<i64>,
    unknown_bodies: Vec<String>,
}

async fn import(
    State(state): State<AppState>,
    JsonBody(doc): JsonBody<Document>,
) -> Result<(StatusCode, Json<Imported>), ApiError> {
    let (_, tasks) = doc.split()?;
    let imported =
        jiesu_app::tasks::import_drafts(state.store.as_ref(), &doc.document, &tasks, Utc::now())
            .await?;
    Ok((
        StatusCode::CREATED,
        Json(Imported {
            ids: imported.ids,
            unknown_bodies: imported.unknown_bodies,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Publish {
    ids: Vec<i64>,
    /// A body name as written → the body id it means, or `null` to leave it out.
    #[serde(default)]
    mapping: std::collections::BTreeMap<String, Option<i64>>,
    /// Lead bodies for a task (by its id) whose text names none.
    #[serde(default)]
    leads: std::collections::BTreeMap<i64, Vec<i64>>,
}

#[derive(Serialize)]
struct Published {
    published: u64,
}

async fn publish(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Publish>,
) -> Result<Json<Published>, ApiError> {
    if body.ids.is_empty() || body.ids.len() > 1000 {
        return Err(DomainError::InvalidField {
            field: "ids",
            reason: "须给出 1 到 1000 个任务草稿编号".into(),
        }
        .into());
    }
    let mapping = jiesu_app::tasks::BodyMapping {
        names: body
            .mapping
            .into_iter()
            .map(|(name, id)| (name, id.map(BodyId)))
            .collect(),
        leads: body
            .leads
            .into_iter()
            .map(|(task, ids)| (task, ids.into_iter().map(BodyId).collect()))
            .collect(),
    };
    let published = jiesu_app::tasks::publish_with_bodies(
        state.store.as_ref(),
        &body.ids,
        &mapping,
        Utc::now(),
    )
    .await?;
    Ok(Json(Published { published }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Filter {
    /// `draft` or `live`; all when absent.
    state: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct Task {
    id: i64,
    #[serde(flatten)]
    draft: TaskDraft,
    published: bool,
}

async fn list(
    State(state): State<AppState>,
    Query(f): Query<Filter>,
) -> Result<Json<Vec<Task>>, ApiError> {
    let published = match f.state.as_deref() {
        None => None,
        Some("draft") => Some(false),
        Some("live") => Some(true),
        Some(other) => {
            return Err(DomainError::InvalidField {
                field: "state",
                reason: format!("「{other}」不是 draft 或 live"),
            }
            .into());
        }
    };
    let page = super::paging::page(f.offset, f.limit)?;
    let tasks = state.store.tasks(published, page).await?;
    Ok(Json(
        tasks
            .into_iter()
            .map(|t| Task {
                id: t.id,
                published: t.published_at.is_some(),
                draft: t.draft,
            })
            .collect(),
    ))
}

/// `PUT /api/tasks/{id}` on a draft: its fields replaced (routed with the task's `GET`).
pub(super) async fn edit_draft(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<TaskDraft>,
) -> Result<StatusCode, ApiError> {
    jiesu_app::tasks::drafts::edit_draft(state.store.as_ref(), id, draft).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/tasks/{id}` on a draft: discarded (routed with the task's `GET`).
pub(super) async fn discard_draft(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    jiesu_app::tasks::drafts::discard_draft(state.store.as_ref(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
