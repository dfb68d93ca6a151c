//! API tokens for integrations (接口令牌): a user creates a token for a system that acts as
//! them — read-only or full — sees the secret once, and may revoke it at any time.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use chrono::Utc;
use jiesu_domain::appeal::clean_text;
use jiesu_store::ApiToken;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;
use jiesu_app::auth::{digest, new_token};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tokens", get(list).post(create))
        .route("/api/tokens/{id}", delete(revoke))
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    Ok(Json(state.store.api_tokens(user.0.id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
    /// `read` or `write`.
    scope: String,
}

#[derive(Serialize)]
struct Created {
    token: ApiToken,
    /// The secret, shown only now.
    secret: String,
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(form): JsonBody<NewToken>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let name = clean_text("name", &form.name, 100, true)?;
    if !matches!(form.scope.as_str(), "read" | "write") {
        return Err(ApiError::invalid("scope", "只能是 read 或 write"));
    }
    let secret = new_token();
    let token = state
        .store
        .create_api_token(user.0.id, &name, &form.scope, &digest(&secret), Utc::now())
        .await?;
    Ok((StatusCode::CREATED, Json(Created { token, secret })))
}

async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .revoke_api_token(user.0.id, id, Utc::now())
        .await?;
    state.callers.clear();
    Ok(StatusCode::NO_CONTENT)
}
