//! Sign-in and sign-out pages (登录 · 退出), with the same session cookie as the API.

use askama::Template;
use axum::Form;
use axum::extract::ConnectInfo;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{PageError, redirect, render};
use crate::extract::{resolve, session_token};
use crate::signin::{authenticate, open_session, session_cookie};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    username: String,
    error: Option<String>,
    next: String,
}

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

/// Only local paths are followed after sign-in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

pub async fn form(
    State(state): State<AppState>,
    parts: Parts,
    Query(q): Query<Next>,
) -> Result<Response, PageError> {
    if resolve(&state, &parts).await?.is_some() {
        return Ok(redirect("/"));
    }
    Ok(render(&LoginPage {
        username: String::new(),
        error: None,
        next: safe_next(q.next.as_deref()),
    }))
}

#[derive(Deserialize)]
pub struct SignIn {
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Form(form): Form<SignIn>,
) -> Result<Response, PageError> {
    let next = safe_next(form.next.as_deref());
    let user = match authenticate(&state, peer.ip(), &form.username, &form.password).await {
        Ok(user) => user,
        Err(e)
            if e.status == StatusCode::UNAUTHORIZED
                || e.status == StatusCode::TOO_MANY_REQUESTS =>
        {
            let page = LoginPage {
                username: form.username.trim().to_string(),
                error: Some(e.message),
                next,
            };
            let mut response = render(&page);
            *response.status_mut() = e.status;
            if let Some(seconds) = e.retry_after {
                response.headers_mut().insert(RETRY_AFTER, seconds.into());
            }
            return Ok(response);
        }
        Err(e) => return Err(e.into()),
    };
    let (_, cookie) = open_session(&state, &user).await?;
    Ok(([(SET_COOKIE, cookie)], redirect(&next)).into_response())
}

pub async fn sign_out(State(state): State<AppState>, parts: Parts) -> Result<Response, PageError> {
    if let Some(token) = session_token(&parts) {
        state.end_session(&token).await?;
    }
    let cookie = session_cookie(&state, "", 0);
    Ok(([(SET_COOKIE, cookie)], redirect("/login")).into_response())
}
