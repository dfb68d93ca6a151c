//! Smart dispatch (智能派单): suggestions for draft text as the operator types, the routing
//! table, model versions (train, list, restore) and how often suggestions were right.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use jiesu_domain::routing::{RoutingRule, RoutingTable};
use jiesu_store::{AppealFilter, ModelRecord};
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;
use jiesu_app::dispatch::DispatchSuggestion;
use jiesu_app::dispatch::{MODEL_KIND, records_from_store, train_and_store};
use jiesu_app::listing::each_appeal;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/dispatch/suggest", post(suggest))
        .route("/api/dispatch/routing", get(routing).put(replace_routing))
        .route("/api/dispatch/models", get(models).post(train))
        .route("/api/dispatch/models/{version}/activate", post(activate))
        .route("/api/dispatch/accuracy", get(accuracy))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Draft {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    address: String,
}

/// Longest draft text considered; the model cuts it further at its own documented limit.
const MAX_DRAFT_CHARS: usize = 20_000;

async fn suggest(
    State(state): State<AppState>,
    JsonBody(draft): JsonBody<Draft>,
) -> Result<Json<DispatchSuggestion>, ApiError> {
    if draft.title.chars().count() + draft.text.chars().count() > MAX_DRAFT_CHARS {
        return Err(ApiError::invalid("text", "内容过长"));
    }
    Ok(Json(state.assistant().suggest(
        &draft.title,
        &draft.text,
        &draft.address,
    )))
}

async fn routing(State(state): State<AppState>) -> Result<Json<RoutingTable>, ApiError> {
    Ok(Json((*state.routing()).clone()))
}

async fn replace_routing(
    State(state): State<AppState>,
    JsonBody(rules): JsonBody<Vec<RoutingRule>>,
) -> Result<Json<RoutingTable>, ApiError> {
    Ok(Json(state.save_routing(rules).await?))
}

async fn models(State(state): State<AppState>) -> Result<Json<Vec<ModelRecord>>, ApiError> {
    Ok(Json(state.store.models(MODEL_KIND).await?))
}

#[derive(Serialize)]
struct Trained {
    version: i64,
    records: usize,
}

/// Retrains from the centre's history (with every correction so far) and activates the new
/// model. CPU-heavy: runs on a blocking thread.
async fn train(State(state): State<AppState>) -> Result<(StatusCode, Json<Trained>), ApiError> {
    let records = records_from_store(&*state.store).await?;
    let n = records.len();
    let version = train_and_store(&*state.store, records, true, |_, _| {})
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "training_failed",
                e.to_string(),
            )
        })?;
    state.refresh_model().await?;
    Ok((
        StatusCode::CREATED,
        Json(Trained {
            version,
            records: n,
        }),
    ))
}

/// Makes a stored version the active one (e.g. restores the previous model).
async fn activate(
    State(state): State<AppState>,
    Path(version): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.activate_model(version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Window {
    days: Option<i64>,
}

#[derive(Serialize, Default)]
struct Agreement {
    suggested: usize,
    category_matched: usize,
    body_matched: usize,
}

#[derive(Serialize)]
struct Accuracy {
    days: i64,
    overall: Agreement,
    /// Per final first-level category.
    by_category: BTreeMap<String, Agreement>,
}

/// How many appeals to look at, at most, for the rolling agreement figure.
const ACCURACY_SAMPLE: i64 = 5_000;

/// The rolling share of suggestions that matched the final dispatch, per category.
async fn accuracy(
    State(state): State<AppState>,
    Query(window): Query<Window>,
) -> Result<Json<Accuracy>, ApiError> {
    let days = window.days.unwrap_or(30).clamp(1, 365);
    let filter = AppealFilter {
        from: Some(Utc::now() - Duration::days(days)),
        ..AppealFilter::default()
    };
    let mut result = Accuracy {
        days,
        overall: Agreement::default(),
        by_category: BTreeMap::new(),
    };
    each_appeal(&*state.store, &filter, Some(ACCURACY_SAMPLE), |appeal| {
        let (Some(suggested), Some(lead)) = (&appeal.suggested, appeal.lead_body) else {
            return;
        };
        let category = appeal
            .category
            .as_ref()
            .map(|c| c.first().to_string())
            .unwrap_or_default();
        let category_hit = suggested.category.as_deref() == Some(category.as_str());
        let body_hit = suggested.body == Some(lead);
        for tally in [
            &mut result.overall,
            result.by_category.entry(category).or_default(),
        ] {
            tally.suggested += 1;
            tally.category_matched += usize::from(category_hit);
            tally.body_matched += usize::from(body_hit);
        }
    })
    .await?;
    Ok(Json(result))
}
