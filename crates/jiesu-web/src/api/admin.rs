//! Administration (系统管理): bodies, users and the category taxonomy.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use jiesu_domain::appeal::clean_text;
use jiesu_domain::body::{Body, NewBody};
use jiesu_domain::category::Taxonomy;
use jiesu_domain::user::{NewUser, Role, User};
use serde::Deserialize;

use super::JsonBody;
use crate::accounts::check_new_account;
use crate::error::ApiError;
use crate::state::AppState;
use jiesu_app::auth::hash_password;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/bodies", get(bodies).post(create_body))
        .route("/api/users", get(users).post(create_user))
        .route("/api/categories", get(categories).put(replace_categories))
}

async fn bodies(State(state): State<AppState>) -> Result<Json<Vec<Body>>, ApiError> {
    Ok(Json(state.store.bodies().await?))
}

async fn create_body(
    State(state): State<AppState>,
    JsonBody(mut body): JsonBody<NewBody>,
) -> Result<(StatusCode, Json<Body>), ApiError> {
    body.name = clean_text("name", &body.name, 100, true)?;
    for area in &mut body.areas {
        *area = clean_text("areas", area, 100, true)?;
    }
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_body(&body).await?),
    ))
}

async fn users(State(state): State<AppState>) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(state.store.users().await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateUser {
    username: String,
    display_name: String,
    role: Role,
    #[serde(default)]
    body: Option<jiesu_domain::ids::BodyId>,
    password: String,
}

async fn create_user(
    State(state): State<AppState>,
    JsonBody(form): JsonBody<CreateUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let username = clean_text("username", &form.username, 50, true)?;
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return Err(ApiError::invalid(
            "username",
            "只能包含字母、数字、下划线和点",
        ));
    }
    check_new_account(&state, &username, &form.password).await?;
    if form.role == Role::Handler && form.body.is_none() {
        return Err(ApiError::invalid("body", "承办人必须属于一个单位"));
    }
    if let Some(body) = form.body
        && !state.store.bodies().await?.iter().any(|b| b.id == body)
    {
        return Err(ApiError::invalid("body", "单位不存在"));
    }
    let user = NewUser {
        username,
        display_name: clean_text("display_name", &form.display_name, 50, true)?,
        role: form.role,
        body: form.body,
    };
    let hash = hash_password(form.password).await.map_err(|e| {
        tracing::error!(%e, "password hashing failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试",
        )
    })?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_user(&user, &hash).await?),
    ))
}

async fn categories(State(state): State<AppState>) -> Json<Taxonomy> {
    Json((*state.taxonomy()).clone())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyCsv {
    csv: String,
}

async fn replace_categories(
    State(state): State<AppState>,
    JsonBody(form): JsonBody<TaxonomyCsv>,
) -> Result<Json<Taxonomy>, ApiError> {
    let taxonomy = Taxonomy::from_csv(&form.csv)?;
    state.save_taxonomy(&taxonomy).await?;
    Ok(Json(taxonomy))
}
