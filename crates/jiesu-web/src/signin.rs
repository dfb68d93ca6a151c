//! Signing in (登录): checking credentials without revealing which names exist, and the
//! session cookie — shared by the JSON API and the sign-in page.

use std::net::IpAddr;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use jiesu_domain::user::User;

use crate::error::ApiError;
use crate::extract::SESSION_COOKIE;
use crate::state::AppState;
use jiesu_app::auth::{digest, new_token, verify_against_nobody, verify_password};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Checks the credentials of a sign-in from `address`. An unknown user and a wrong password
/// get the same answer in about the same time; failures slow down further attempts for that
/// name from that address only (see [`crate::limits`]), so nobody can lock an account out.
pub async fn authenticate(
    state: &AppState,
    address: IpAddr,
    username: &str,
    password: &str,
) -> Result<User, ApiError> {
    let username = username.trim();
    state.limits.before_sign_in(username, address)?;
    let (user, valid) = match state.store.credentials(username).await {
        Ok(found) => {
            let valid = verify_password(password.to_string(), found.password_hash).await;
            (Some(found.user), valid)
        }
        Err(jiesu_store::StoreError::NotFound(_)) => {
            (None, verify_against_nobody(password.to_string()).await)
        }
        Err(e) => return Err(e.into()),
    };
    match user {
        Some(user) if valid => {
            state.limits.sign_in_succeeded(username, address);
            Ok(user)
        }
        _ => {
            state.limits.sign_in_failed(username, address);
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "用户名或密码错误",
            ))
        }
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
