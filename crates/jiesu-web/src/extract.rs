//! Who is calling (调用者): a staff user from the session cookie or a bearer token.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use chrono::Utc;
use jiesu_domain::user::{Actor, User};
use jiesu_store::StoreError;

use crate::error::ApiError;
use crate::state::AppState;
use jiesu_app::auth::digest;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "jiesu_session";

/// The raw session token the request carries, if any.
pub fn session_token(parts: &Parts) -> Option<String> {
    if let Some(bearer) = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_string());
    }
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The signed-in staff user. Resolved once per request by the access layer and kept in the
/// request's extensions.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor::user(&self.0)
    }
}

/// Looks up the session of a request; `None` when it carries none or an expired one.
pub async fn resolve(state: &AppState, parts: &Parts) -> Result<Option<User>, ApiError> {
    Ok(resolve_caller(state, parts).await?.map(|(user, _)| user))
}

/// What a caller may do: everything its role allows, or only read (a read-scoped API token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Full,
    ReadOnly,
}

/// The user of a request's session or API token (接口令牌), with the token's scope.
pub async fn resolve_caller(
    state: &AppState,
    parts: &Parts,
) -> Result<Option<(User, Scope)>, ApiError> {
    let Some(token) = session_token(parts) else {
        return Ok(None);
    };
    let hash = digest(&token);
    if let Some(known) = state.callers.get(&hash) {
        return Ok(Some(known));
    }
    let found = match state.store.session_user(&hash, Utc::now()).await {
        Ok(user) => Some((user, Scope::Full)),
        Err(StoreError::NotFound(_)) => match state.store.token_user(&hash).await {
            Ok((user, scope)) => Some((
                user,
                if scope == "read" {
                    Scope::ReadOnly
                } else {
                    Scope::Full
                },
            )),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        },
        Err(e) => return Err(e.into()),
    };
    if let Some(caller) = &found {
        state.callers.put(hash, caller.clone());
    }
    Ok(found)
}

/// Recently resolved sessions and tokens (会话缓存), so most requests need no lookup. An
/// entry lives a few seconds: a sign-out or revocation in another server process takes
/// effect within that time; in this process at once.
#[derive(Clone, Default)]
pub struct CallerCache {
    entries: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, CachedCaller>>>,
}

/// A resolved caller and when it was resolved.
type CachedCaller = ((User, Scope), std::time::Instant);

impl CallerCache {
    /// How long an entry is trusted.
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(10);
    /// Entries kept at most; the cache is emptied when full.
    const MAX_ENTRIES: usize = 10_000;

    fn get(&self, hash: &str) -> Option<(User, Scope)> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(hash)
            .filter(|(_, at)| at.elapsed() < Self::TTL)
            .map(|(caller, _)| caller.clone())
    }

    fn put(&self, hash: String, caller: (User, Scope)) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(hash, (caller, std::time::Instant::now()));
        }
    }

    /// Forgets every entry (after a sign-out or a revocation).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(ApiError::unauthorized)
    }
}
