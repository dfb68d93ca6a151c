//! Search (全文检索), duplicate candidates at intake (疑似重复) and hot issues (热点问题).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, NaiveDate, Utc};
use jiesu_app::hot::HotReport;
use jiesu_app::visibility::{may_see, visible_bodies};
use jiesu_search::{SearchError, SearchFilters, SearchQuery, SearchResults};
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/search", get(search))
        .route("/api/appeals/similar", post(similar))
        .route("/api/hot", get(hot))
}

pub(super) fn search_error(e: SearchError) -> ApiError {
    if e.is_bad_query() {
        ApiError::bad_request(e.to_string())
    } else {
        tracing::error!(error = %e, "search failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "检索失败，请稍后重试",
        )
    }
}

/// Runs blocking index work off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "检索失败，请稍后重试",
            )
        })?
        .map_err(search_error)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    #[serde(default)]
    q: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    /// Comma-separated status codes.
    status: Option<String>,
    category: Option<String>,
    district: Option<String>,
    body: Option<i64>,
    offset: Option<usize>,
    limit: Option<usize>,
}

async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchResults>, ApiError> {
    let search = state.require_search()?;
    let bodies = state.store.bodies().await?;
    let visible = visible_bodies(&user.0, &bodies)
        .map(|ids| ids.into_iter().map(|b| b.0).collect::<Vec<_>>());
    let bodies = match (visible, p.body) {
        (None, b) => b.map(|b| vec![b]),
        (Some(mine), None) => Some(mine),
        (Some(mine), Some(b)) => Some(mine.into_iter().filter(|x| *x == b).collect()),
    };
    let day = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .map(jiesu_domain::deadline::from_china_local)
    };
    let query = SearchQuery {
        text: p.q,
        filters: SearchFilters {
            from: p.from.and_then(day),
            to: p.to.and_then(|d| d.succ_opt()).and_then(day),
            bodies,
            category_l1: p.category.filter(|s| !s.is_empty()),
            status: p
                .status
                .map(|s| {
                    s.split(',')
                        .map(str::to_string)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            district: p.district.filter(|s| !s.is_empty()),
            channel: None,
            appeal_type: None,
        },
        offset: p.offset.unwrap_or(0),
        limit: p.limit.unwrap_or(20),
    };
    Ok(Json(blocking(move || search.index.search(&query)).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Draft {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    district: Option<String>,
}

/// A possible duplicate of a draft (疑似重复).
#[derive(Serialize)]
struct Candidate {
    id: i64,
    number: String,
    title: String,
    status: &'static str,
    created_at: chrono::DateTime<Utc>,
    score: f32,
}

/// How far back duplicates are looked for, in days.
pub const DUPLICATE_DAYS: i64 = 30;

/// Open and recent appeals most likely about the same thing in the same place, among those
/// the caller may see.
async fn similar(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(draft): JsonBody<Draft>,
) -> Result<Json<Vec<Candidate>>, ApiError> {
    let search = state.require_search()?;
    if draft.title.trim().is_empty() && draft.text.trim().is_empty() {
        return Ok(Json(vec![]));
    }
    let since = Utc::now() - Duration::days(DUPLICATE_DAYS);
    let found = blocking(move || {
        search.index.similar(
            &draft.title,
            &draft.text,
            draft.district.as_deref(),
            since,
            true,
            5,
        )
    })
    .await?;
    let ids: Vec<_> = found.iter().map(|(id, _)| *id).collect();
    let bodies = state.store.bodies().await?;
    let appeals: Vec<_> = state
        .store
        .appeals_by_ids(&ids)
        .await?
        .into_iter()
        .filter(|a| may_see(&user.0, &bodies, a))
        .collect();
    Ok(Json(
        found
            .into_iter()
            .filter_map(|(id, score)| {
                appeals.iter().find(|a| a.id == id).map(|a| Candidate {
                    id: a.id.0,
                    number: a.number.0.clone(),
                    title: a.title.clone(),
                    status: a.status.label(),
                    created_at: a.created_at,
                    score,
                })
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HotParams {
    days: Option<i64>,
    top: Option<usize>,
}

/// Hot issues over the last `days` (热点问题): groups ranked by heat. Cached for ten minutes.
async fn hot(
    State(state): State<AppState>,
    Query(p): Query<HotParams>,
) -> Result<Json<HotReport>, ApiError> {
    let days = p.days.unwrap_or(30).clamp(1, 365);
    let top = p.top.unwrap_or(20).clamp(1, 100);
    let mut report = state.hot_issues(days).await?;
    report.groups.truncate(top);
    Ok(Json(report))
}
