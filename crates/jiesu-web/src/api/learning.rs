//! Smart dispatch's learning loop (学习): the labelled examples per source, the retrains
//! with both scores and their decision, retraining now, and pinning a model (锁定模型).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use jiesu_app::dispatch::{LearningReport, RetrainRun};

use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/dispatch/learning", get(report))
        .route("/api/dispatch/learning/retrain", post(retrain))
        .route("/api/dispatch/models/{version}/pin", post(pin))
        .route("/api/dispatch/models/pin", delete(unpin))
}

async fn report(State(state): State<AppState>) -> Result<Json<LearningReport>, ApiError> {
    Ok(Json(state.learning_report().await?))
}

/// Trains a candidate and activates it only if it is not worse than the active model on
/// the same recent appeals (and no model is pinned). CPU-heavy: runs on a blocking thread.
async fn retrain(
    State(state): State<AppState>,
) -> Result<(StatusCode, Json<RetrainRun>), ApiError> {
    Ok((StatusCode::CREATED, Json(state.retrain("api").await?)))
}

async fn pin(
    State(state): State<AppState>,
    Path(version): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.pin_model(Some(version)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unpin(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    state.pin_model(None).await?;
    Ok(StatusCode::NO_CONTENT)
}
