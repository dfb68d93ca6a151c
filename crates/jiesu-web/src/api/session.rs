//! Sign-in and sign-out (登录 · 退出).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use jiesu_domain::user::User;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::auth::{digest, new_token, verify_password};
use crate::error::ApiError;
use crate::extract::{CurrentUser, SESSION_COOKIE};
use crate::state::AppState;

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

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

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCK_MINUTES: i64 = 15;

/// Checks the credentials of a sign-in from `address`; the same answer for an unknown user
/// and a wrong password. Too many failures lock the account for a while.
pub async fn authenticate(
    state: &AppState,
    address: IpAddr,
    username: &str,
    password: &str,
) -> Result<User, ApiError> {
    state.limits.sign_in(address)?;
    let username = username.trim();
    let refused = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "用户名或密码错误",
        )
    };
    let found = match state.store.credentials(username).await {
        Ok(found) => found,
        Err(jiesu_store::StoreError::NotFound(_)) => return Err(refused()),
        Err(e) => return Err(e.into()),
    };
    let now = Utc::now();
    if let Some(until) = found.locked_until.filter(|until| *until > now) {
        let minutes = (until - now).num_minutes() + 1;
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "locked",
            format!("密码错误次数过多，账号已临时锁定，请 {minutes} 分钟后再试"),
        ));
    }
    if verify_password(password.to_string(), found.password_hash).await {
        if found.failed_logins > 0 {
            state.store.login_succeeded(username).await?;
        }
        Ok(found.user)
    } else {
        state
            .store
            .login_failed(
                username,
                MAX_FAILED_SIGN_INS,
                now + Duration::minutes(LOCK_MINUTES),
            )
            .await?;
        Err(refused())
    }
}

/// The `Set-Cookie` value for a session token (empty with `max_age` 0 to end it): HttpOnly,
/// SameSite, and Secure when the server runs behind TLS.
pub fn session_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Opens a session for `user`; returns the token and its Set-Cookie header value.
pub async fn open_session(state: &AppState, user: &User) -> Result<(String, String), ApiError> {
    let token = new_token();
    let expires = Utc::now() + Duration::hours(SESSION_HOURS);
    state
        .store
        .create_session(&digest(&token), user.id, expires)
        .await?;
    let cookie = session_cookie(state, &token, SESSION_HOURS * 3600);
    Ok((token, cookie))
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
