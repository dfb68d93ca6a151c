//! Automatic dispatch (自动派单): the admins' settings with the threshold they give on the
//! active model, and the live figures of a model's own dispatches.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use jiesu_app::App;
use jiesu_app::dispatch::AutoDispatchFigures;
use jiesu_domain::auto_dispatch::AutoDispatchSettings;
use serde::Serialize;

use super::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/dispatch/auto", get(settings).put(save))
        .route("/api/dispatch/models/{version}/figures", get(figures))
}

/// The settings and what they mean with the active model.
#[derive(Serialize)]
struct AutoDispatchView {
    settings: AutoDispatchSettings,
    /// The active model's version, if any.
    model_version: Option<i64>,
    /// Its confidence threshold at the target precision; null when it has no operating
    /// curve or never reaches the target (nothing is then dispatched on its own).
    threshold: Option<f32>,
    /// Share of appeals its out-of-fold predictions put above the threshold.
    expected_share: Option<f64>,
}

fn view(app: &App) -> AutoDispatchView {
    let settings = (*app.auto_dispatch_settings()).clone();
    let assistant = app.assistant();
    let point = assistant.model().and_then(|m| {
        m.model
            .meta()
            .operating_curve
            .as_ref()?
            .point_for(settings.target_precision)
    });
    AutoDispatchView {
        model_version: assistant.model_version(),
        threshold: point.map(|p| p.threshold),
        expected_share: point.map(|p| p.share),
        settings,
    }
}

async fn settings(State(state): State<AppState>) -> Json<AutoDispatchView> {
    Json(view(&state))
}

async fn save(
    State(state): State<AppState>,
    JsonBody(settings): JsonBody<AutoDispatchSettings>,
) -> Result<Json<AutoDispatchView>, ApiError> {
    state.save_auto_dispatch(settings).await?;
    Ok(Json(view(&state)))
}

async fn figures(
    State(state): State<AppState>,
    Path(version): Path<i64>,
) -> Result<Json<AutoDispatchFigures>, ApiError> {
    Ok(Json(state.auto_dispatch_figures(version).await?))
}
