//! What every handler shares: the application, and what only the HTTP edge needs — rate
//! limits, the cache of resolved callers, the cookie policy.

use std::ops::Deref;

use jiesu_app::{App, AppResult};

use crate::extract::CallerCache;
use crate::limits::Limits;

/// The state of the HTTP edge: the [`App`] (every use case goes through it; the edge reads
/// it through `Deref`) and the edge's own parts.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Rate limits against guessing passwords and query codes.
    pub limits: Limits,
    /// Recently resolved sessions and API tokens.
    pub callers: CallerCache,
    /// Mark session cookies `Secure` (the server is reached over TLS, e.g. behind a proxy).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(app: App) -> AppState {
        AppState {
            app,
            limits: Limits::default(),
            callers: CallerCache::default(),
            secure_cookies: false,
        }
    }

    /// Ends a session: deletes it and forgets cached callers.
    pub async fn end_session(&self, token: &str) -> AppResult<()> {
        self.store
            .delete_session(&jiesu_app::auth::digest(token))
            .await?;
        self.callers.clear();
        Ok(())
    }
}

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
