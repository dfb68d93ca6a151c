//! Sign-in and sign-out (登录 · 退出).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiesu_domain::user::User;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::signin::{authenticate, open_session, session_cookie};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    username: String,
    password: String,
}

#[derive(Serialize)]
struct SignedIn {
    token: String,
    user: User,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/session", post(sign_in).delete(sign_out))
        .route("/api/me", get(me))
}

async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(form): JsonBody<SignIn>,
) -> Result<Response, ApiError> {
    let user = authenticate(&state, peer.ip(), &form.username, &form.password).await?;
    let (token, cookie) = open_session(&state, &user).await?;
    Ok(([(SET_COOKIE, cookie)], Json(SignedIn { token, user })).into_response())
}

async fn sign_out(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
) -> Result<Response, ApiError> {
    if let Some(token) = crate::extract::session_token(&parts) {
        state.end_session(&token).await?;
    }
    let cookie = session_cookie(&state, "", 0);
    Ok(([(SET_COOKIE, cookie)], StatusCode::NO_CONTENT).into_response())
}

async fn me(user: CurrentUser) -> Json<User> {
    Json(user.0)
}
