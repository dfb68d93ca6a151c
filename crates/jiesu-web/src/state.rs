//! What every handler shares.

use std::sync::{Arc, RwLock};

use chrono::Utc;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::category::Taxonomy;
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Actor;
use jiesu_store::intake_queue::IntakeQueue;
use jiesu_store::workflow::{ActionError, act};
use jiesu_store::{Store, StoreError, StoreResult, settings};
use jiesu_text::dispatch::DispatchModel;

use crate::api::HotReport;
use crate::assist::{ActiveModel, Assistant, DEFAULT_MANUAL_THRESHOLD};
use crate::extract::CallerCache;
use crate::limits::Limits;
use crate::search::Search;
use crate::training::MODEL_KIND;
use std::time::Instant;

/// The application state: the store (any backend, behind one interface), and the settings
/// every request reads — the category taxonomy and the timekeeper (calendar, time limits) —
/// cached and replaced whole when an admin changes them.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    taxonomy: Arc<RwLock<Arc<Taxonomy>>>,
    timekeeper: Arc<RwLock<Arc<Timekeeper>>>,
    assistant: Arc<RwLock<Arc<Assistant>>>,
    manual_threshold: f32,
    /// Rate limits against guessing passwords and query codes.
    pub limits: Limits,
    /// Group commit of concurrent intakes.
    pub intake: IntakeQueue,
    /// Recently resolved sessions and API tokens.
    pub callers: CallerCache,
    /// Mark session cookies `Secure` (the server is reached over TLS, e.g. behind a proxy).
    pub secure_cookies: bool,
    search: Option<Search>,
    hot: Arc<RwLock<Option<(i64, Instant, HotReport)>>>,
}

/// Working days overdue before the scanner escalates, unless configured otherwise.
pub const DEFAULT_ESCALATE_AFTER_DAYS: u32 = 3;

impl AppState {
    /// Loads the settings from the store (saving the default taxonomy on first start).
    pub async fn load(store: Arc<dyn Store>) -> StoreResult<AppState> {
        AppState::load_with(store, DEFAULT_ESCALATE_AFTER_DAYS).await
    }

    pub async fn load_with(
        store: Arc<dyn Store>,
        escalate_after_days: u32,
    ) -> StoreResult<AppState> {
        let taxonomy = settings::taxonomy(&*store).await?;
        let timekeeper = settings::timekeeper(&*store, escalate_after_days).await?;
        let state = AppState {
            store: store.clone(),
            taxonomy: Arc::new(RwLock::new(Arc::new(taxonomy))),
            timekeeper: Arc::new(RwLock::new(Arc::new(timekeeper))),
            assistant: Arc::new(RwLock::new(Arc::new(Assistant::new(
                None,
                &[],
                Default::default(),
                DEFAULT_MANUAL_THRESHOLD,
            )))),
            manual_threshold: DEFAULT_MANUAL_THRESHOLD,
            limits: Limits::default(),
            intake: IntakeQueue::start(store.clone()),
            callers: CallerCache::default(),
            secure_cookies: false,
            search: None,
            hot: Arc::new(RwLock::new(None)),
        };
        state.refresh_model().await?;
        Ok(state)
    }

    /// The smart-dispatch assistant in use.
    pub fn assistant(&self) -> Arc<Assistant> {
        self.assistant
            .read()
            .map(|a| a.clone())
            .unwrap_or_else(|_| {
                Arc::new(Assistant::new(
                    None,
                    &[],
                    Default::default(),
                    self.manual_threshold,
                ))
            })
    }

    /// Rebuilds the assistant from the store's bodies and routing table, with `model`.
    pub async fn rebuild_assistant(&self, model: Option<ActiveModel>) -> StoreResult<()> {
        let bodies = self.store.bodies().await?;
        let routing = settings::routing(&*self.store).await?;
        let assistant = Assistant::new(model, &bodies, routing, self.manual_threshold);
        if let Ok(mut current) = self.assistant.write() {
            *current = Arc::new(assistant);
        }
        Ok(())
    }

    /// Loads the active dispatch model if it is not the one in use (a new version trained
    /// or restored, here or by another process): models change without a restart.
    pub async fn refresh_model(&self) -> StoreResult<()> {
        let in_use = self.assistant().model_version();
        // The versions first, without the model's bytes (megabytes, read on every check
        // otherwise): the bytes are read only when another version is active.
        let versions = self.store.models(MODEL_KIND).await?;
        let version = versions.iter().find(|m| m.active).map(|m| m.version);
        if version == in_use && in_use.is_some() {
            return Ok(());
        }
        let active = self.store.active_model(MODEL_KIND).await?;
        let model = match active {
            None => None,
            Some((record, bytes)) => {
                let loaded = tokio::task::spawn_blocking(move || DispatchModel::from_bytes(&bytes))
                    .await
                    .map_err(|e| StoreError::Other(e.to_string()))?;
                match loaded {
                    Ok(model) => Some(ActiveModel {
                        version: record.version,
                        model: Arc::new(model),
                    }),
                    Err(e) => {
                        tracing::error!(version = record.version, error = %e, "stored dispatch model cannot be loaded");
                        None
                    }
                }
            }
        };
        if let Some(m) = &model {
            tracing::info!(version = m.version, "dispatch model loaded");
        }
        self.rebuild_assistant(model).await
    }

    /// Ends a session: deletes it and forgets cached callers.
    pub async fn end_session(&self, token: &str) -> StoreResult<()> {
        self.store
            .delete_session(&crate::auth::digest(token))
            .await?;
        self.callers.clear();
        Ok(())
    }

    /// Uses `search` as the full-text index (the server opens one; tests may not).
    pub fn with_search(mut self, search: Search) -> AppState {
        self.search = Some(search);
        self
    }

    pub fn search(&self) -> Option<Search> {
        self.search.clone()
    }

    /// Tells derived stores (the search index) that an appeal changed.
    pub async fn changed(&self, appeal: &Appeal) {
        if let Some(search) = &self.search {
            search.changed(appeal).await;
        }
    }

    /// The last hot-issue analysis over `days`, if younger than `max_age`.
    pub fn cached_hot(&self, days: i64, max_age: std::time::Duration) -> Option<HotReport> {
        let cache = self.hot.read().ok()?;
        cache
            .as_ref()
            .filter(|(d, at, _)| *d == days && at.elapsed() < max_age)
            .map(|(_, _, report)| report.clone())
    }

    pub fn cache_hot(&self, days: i64, report: HotReport) {
        if let Ok(mut cache) = self.hot.write() {
            *cache = Some((days, Instant::now(), report));
        }
    }

    pub fn taxonomy(&self) -> Arc<Taxonomy> {
        self.taxonomy.read().map(|t| t.clone()).unwrap_or_default()
    }

    pub fn timekeeper(&self) -> Arc<Timekeeper> {
        self.timekeeper
            .read()
            .map(|t| t.clone())
            .unwrap_or_default()
    }

    /// Saves and starts using a new taxonomy.
    pub async fn replace_taxonomy(&self, taxonomy: Taxonomy) -> StoreResult<()> {
        settings::save_taxonomy(&*self.store, &taxonomy).await?;
        if let Ok(mut current) = self.taxonomy.write() {
            *current = Arc::new(taxonomy);
        }
        Ok(())
    }

    /// Starts using a new timekeeper (after the calendar or the rules changed).
    pub fn replace_timekeeper(&self, timekeeper: Timekeeper) {
        if let Ok(mut current) = self.timekeeper.write() {
            *current = Arc::new(timekeeper);
        }
    }

    /// Does a lifecycle action now, through the one workflow every edge uses.
    pub async fn act(
        &self,
        id: AppealId,
        kind: EventKind,
        actor: &Actor,
        seen_version: Option<i64>,
    ) -> Result<(Appeal, Event), ActionError> {
        let done = act(
            &*self.store,
            &self.timekeeper(),
            id,
            kind,
            actor,
            Utc::now(),
            seen_version,
        )
        .await?;
        self.changed(&done.0).await;
        Ok(done)
    }
}
