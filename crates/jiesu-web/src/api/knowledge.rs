//! The knowledge base (知识库): admins write articles; operators search them while taking a
//! call and answer on the spot (直办) citing one.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use jiesu_domain::deadline::china_local;
use jiesu_domain::knowledge::{Article, ArticleDraft};
use serde::Deserialize;

use super::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/knowledge", get(find).post(create))
        .route("/api/knowledge/{id}", get(one).put(update))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Find {
    #[serde(default)]
    q: String,
    /// Include articles not valid today.
    #[serde(default)]
    all: bool,
    offset: Option<i64>,
    limit: Option<i64>,
}

async fn find(
    State(state): State<AppState>,
    Query(f): Query<Find>,
) -> Result<Json<Vec<Article>>, ApiError> {
    let today = china_local(Utc::now()).date();
    let page = super::paging::page(f.offset, f.limit)?;
    let found = state.store.find_articles(&f.q, page).await?;
    Ok(Json(
        found
            .into_iter()
            .filter(|a| f.all || a.draft.is_valid_on(today))
            .collect(),
    ))
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Article>, ApiError> {
    Ok(Json(state.store.article(id).await?))
}

async fn create(
    State(state): State<AppState>,
    JsonBody(draft): JsonBody<ArticleDraft>,
) -> Result<(StatusCode, Json<Article>), ApiError> {
    let draft = draft.validated()?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_article(&draft, Utc::now()).await?),
    ))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<ArticleDraft>,
) -> Result<Json<Article>, ApiError> {
    let draft = draft.validated()?;
    Ok(Json(
        state.store.update_article(id, &draft, Utc::now()).await?,
    ))
}
