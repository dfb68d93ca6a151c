//! The application a process runs ([`App`]): the store, the live settings, the dispatch
//! assistant, the intake queue and the search index, shared by every request and job.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use arc_swap::ArcSwap;
use chrono::Utc;
use jiesu_domain::DomainError;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::attachment::AttachmentLimits;
use jiesu_domain::calendar::Schedule;
use jiesu_domain::category::Taxonomy;
use jiesu_domain::deadline::{RuleBook, Timekeeper};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::routing::{RoutingRule, RoutingTable};
use jiesu_domain::user::Actor;
use jiesu_store::Store;
use jiesu_text::dispatch::DispatchModel;

use crate::attachments::{FileStorage, Files, Upload};
use crate::dispatch::{ActiveModel, Assistant, DEFAULT_MANUAL_THRESHOLD, MODEL_KIND};
use crate::error::{AppError, AppResult};
use crate::hot::HotCache;
use crate::intake::queue::IntakeQueue;
use crate::points::PointCache;
use crate::search::Search;
use crate::settings::{LiveSettings, Settings, stored};
use crate::workflow;

/// The application: cheap to clone, every clone the same application.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    settings: Arc<LiveSettings>,
    assistant: Arc<ArcSwap<Assistant>>,
    /// Group commit of concurrent intakes.
    pub(crate) intake: IntakeQueue,
    search: Option<Search>,
    pub(crate) hot: Arc<HotCache>,
    /// The in-memory index of service points.
    pub(crate) points: Arc<PointCache>,
    /// Where attachments are kept and their limits.
    files: Files,
    /// The channels citizens are told on (通知) (none: not told).
    pub(crate) message_channels: Vec<crate::notify::MessageChannel>,
    /// The words of the messages.
    pub(crate) message_texts: Arc<crate::notify::MessageTexts>,
    /// The learning loop's examples, read from the store as they change.
    pub(crate) learning: Arc<tokio::sync::Mutex<crate::dispatch::LearningExamples>>,
}

impl App {
    /// Loads the settings and the active dispatch model from `store` (saving the default
    /// taxonomy on first start) and starts the intake queue.
    pub async fn load(store: Arc<dyn Store>) -> AppResult<App> {
        let settings = Settings::load(&*store).await?;
        let app = App {
            store: store.clone(),
            settings: Arc::new(LiveSettings::new(settings)),
            assistant: Arc::new(ArcSwap::from_pointee(Assistant::new(
                None,
                &[],
                RoutingTable::default(),
                DEFAULT_MANUAL_THRESHOLD,
            ))),
            intake: IntakeQueue::start(store.clone()),
            search: None,
            hot: Arc::new(HotCache::default()),
            points: Arc::new(PointCache::default()),
            files: Files {
                storage: FileStorage::Database(store.clone()),
                limits: AttachmentLimits::default(),
            },
            message_channels: Vec::new(),
            message_texts: Arc::default(),
            learning: Arc::default(),
        };
        app.refresh_model().await?;
        Ok(app)
    }

    /// Uses `search` as the full-text index (the server opens one; tests may not).
    pub fn with_search(mut self, search: Search) -> App {
        self.search = Some(search);
        self
    }

    /// Keeps attachments as `files` says (the database by default).
    pub fn with_files(mut self, files: Files) -> App {
        self.files = files;
        self
    }

    pub fn files(&self) -> &Files {
        &self.files
    }

    pub fn search(&self) -> Option<Search> {
        self.search.clone()
    }

    /// The full-text index, or [`AppError::Unavailable`] when this process runs without one.
    pub fn require_search(&self) -> AppResult<Search> {
        self.search.clone().ok_or(AppError::SearchUnavailable)
    }

    /// Tells citizens of their appeals (通知) on every channel, or on none: messages go to
    /// the outbox.
    pub fn with_citizen_messages(self, on: bool) -> App {
        let channels = if on {
            crate::notify::MessageChannel::ALL.to_vec()
        } else {
            Vec::new()
        };
        self.with_message_channels(&channels)
    }

    /// Tells citizens on `channels` only (those this server has a sender for).
    pub fn with_message_channels(mut self, channels: &[crate::notify::MessageChannel]) -> App {
        self.message_channels = channels.to_vec();
        self
    }

    /// Words the messages with `texts` (the operator's templates).
    pub fn with_message_texts(mut self, texts: crate::notify::MessageTexts) -> App {
        self.message_texts = Arc::new(texts);
        self
    }

    /// Whether citizens are told of their appeals.
    pub fn tells_citizens(&self) -> bool {
        !self.message_channels.is_empty()
    }

    /// The channels citizens are told on.
    pub fn message_channels(&self) -> &[crate::notify::MessageChannel] {
        &self.message_channels
    }

    /// Tells derived stores (the search index) and the citizen that an appeal changed.
    pub async fn changed(&self, appeal: &Appeal) {
        self.tell_citizen_of_change(appeal).await;
        if let Some(search) = &self.search {
            search.changed(appeal).await;
        }
    }

    // --- settings ---

    /// The settings in use.
    pub fn settings(&self) -> Arc<Settings> {
        self.settings.current()
    }

    pub fn taxonomy(&self) -> Arc<Taxonomy> {
        self.settings().taxonomy.clone()
    }

    pub fn timekeeper(&self) -> Arc<Timekeeper> {
        self.settings().timekeeper.clone()
    }

    pub fn routing(&self) -> Arc<RoutingTable> {
        self.settings().routing.clone()
    }

    /// Picks up what any server changed since the settings were loaded: the settings, and
    /// the bodies, routing table and active model the assistant is built from. True if the
    /// settings stamp had moved.
    pub async fn refresh_settings(&self) -> AppResult<bool> {
        if !self.settings.refresh(&*self.store).await? {
            return Ok(false);
        }
        self.refresh_model().await?;
        Ok(true)
    }

    /// Saves and starts using a new taxonomy.
    pub async fn save_taxonomy(&self, taxonomy: &Taxonomy) -> AppResult<()> {
        stored::save_taxonomy(&*self.store, taxonomy).await?;
        self.refresh_settings().await.map(drop)
    }

    /// Saves and starts using new time-limit rules.
    pub async fn save_time_limits(&self, rules: &RuleBook) -> AppResult<()> {
        stored::save_time_limits(&*self.store, rules).await?;
        self.refresh_settings().await.map(drop)
    }

    /// Saves one year of the holiday calendar (replacing that year) and starts using it.
    pub async fn save_calendar_year(&self, schedule: &Schedule) -> AppResult<()> {
        stored::save_calendar_year(&*self.store, schedule).await?;
        self.refresh_settings().await.map(drop)
    }

    /// Saves and starts using a new routing table; every rule must name a known body.
    pub async fn save_routing(&self, rules: Vec<RoutingRule>) -> AppResult<RoutingTable> {
        let bodies = self.store.bodies().await?;
        if let Some(rule) = rules
            .iter()
            .find(|r| !bodies.iter().any(|b| b.id == r.body))
        {
            return Err(DomainError::InvalidField {
                field: "body",
                reason: format!("承办单位 {} 不存在", rule.body),
            }
            .into());
        }
        let table = RoutingTable::new(rules)?;
        stored::save_routing(&*self.store, &table).await?;
        self.refresh_settings().await?;
        Ok(table)
    }

    /// Saves the escalation threshold (working days overdue before 上报) if it differs.
    pub async fn save_escalate_after_days(&self, days: u32) -> AppResult<()> {
        if self.timekeeper().escalate_after_days == days {
            return Ok(());
        }
        stored::save_escalate_after_days(&*self.store, days).await?;
        self.refresh_settings().await.map(drop)
    }

    // --- smart dispatch ---

    /// The smart-dispatch assistant in use.
    pub fn assistant(&self) -> Arc<Assistant> {
        self.assistant.load_full()
    }

    /// Rebuilds the assistant from the store's bodies and the routing table, loading the
    /// active dispatch model if it is not the one in use (trained or restored by any
    /// process): models change without a restart.
    pub async fn refresh_model(&self) -> AppResult<()> {
        let in_use = self.assistant().model().cloned();
        // The versions first, without the model's bytes (megabytes): the bytes are read
        // only when another version is active.
        let versions = self.store.models(MODEL_KIND).await?;
        let active = versions.iter().find(|m| m.active).map(|m| m.version);
        let model = match in_use {
            Some(model) if Some(model.version) == active => Some(model),
            _ => self.load_active_model().await?,
        };
        let bodies = self.store.bodies().await?;
        let assistant = Assistant::new(
            model,
            &bodies,
            (*self.routing()).clone(),
            DEFAULT_MANUAL_THRESHOLD,
        );
        self.assistant.store(Arc::new(assistant));
        Ok(())
    }

    async fn load_active_model(&self) -> AppResult<Option<ActiveModel>> {
        let Some((record, bytes)) = self.store.active_model(MODEL_KIND).await? else {
            return Ok(None);
        };
        let loaded = tokio::task::spawn_blocking(move || DispatchModel::from_bytes(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        match loaded {
            Ok(model) => {
                tracing::info!(version = record.version, "dispatch model loaded");
                Ok(Some(ActiveModel::new(record.version, Arc::new(model))))
            }
            Err(e) => {
                tracing::error!(version = record.version, error = %e, "stored dispatch model cannot be loaded");
                Ok(None)
            }
        }
    }

    /// Learns what the active model has not yet seen from the labelled examples (学习样本)
    /// and puts it in use; returns how many categories it learned.
    pub async fn learn(&self) -> AppResult<usize> {
        let Some(active) = self.assistant().model().cloned() else {
            return Ok(0);
        };
        let learned_from = active.learned_from.load(Ordering::Acquire);
        // Nothing to learn again while the examples stay as they were.
        let (revision, examples) = self
            .with_examples(|l| {
                let revision = l.revision();
                let examples = (revision != learned_from)
                    .then(|| l.examples().map(|e| e.example.clone()).collect::<Vec<_>>());
                (revision, examples)
            })
            .await?;
        let Some(examples) = examples else {
            return Ok(active.adaptation.load().classes().len());
        };
        let adaptation =
            crate::dispatch::learning::adapt(&*self.store, active.model.clone(), examples).await?;
        let learned = adaptation.classes().len();
        active.adaptation.store(Arc::new(adaptation));
        active.learned_from.store(revision, Ordering::Release);
        Ok(learned)
    }

    /// Retrains smart dispatch now and puts the result in use (see
    /// [`crate::dispatch::retrain`]).
    pub async fn retrain(&self, trigger: &str) -> AppResult<crate::dispatch::RetrainRun> {
        let active = self.assistant().model().cloned();
        let labelled: Vec<_> = self
            .with_examples(|l| l.examples().cloned().collect())
            .await?;
        let run = crate::dispatch::retrain::retrain(
            &*self.store,
            &labelled,
            active.as_ref().map(|a| a.model.clone()),
            active.map(|a| a.version),
            trigger,
        )
        .await?;
        self.refresh_model().await?;
        self.learn().await?;
        Ok(run)
    }

    /// Activates stored model `version` (启用) by hand; a pin moves with it (see
    /// [`crate::dispatch::retrain::activate`]).
    pub async fn activate_model(&self, version: i64) -> AppResult<()> {
        crate::dispatch::retrain::activate(&*self.store, version).await?;
        self.refresh_model().await?;
        self.learn().await?;
        Ok(())
    }

    /// Pins model `version` (锁定模型) or, with `None`, lets retrains replace it again.
    pub async fn pin_model(&self, version: Option<i64>) -> AppResult<()> {
        match version {
            Some(v) => crate::dispatch::retrain::pin(&*self.store, v).await?,
            None => crate::dispatch::retrain::unpin(&*self.store).await?,
        }
        self.refresh_model().await?;
        self.learn().await?;
        Ok(())
    }

    /// What the learning loop knows: examples per source, pinned and active model, the
    /// categories learned since training, the retrains.
    pub async fn learning_report(&self) -> AppResult<crate::dispatch::LearningReport> {
        let active = self.assistant().model().cloned();
        let adapted = active
            .as_ref()
            .map(|a| a.adaptation.load().classes())
            .unwrap_or_default();
        let examples = self.with_examples(|l| l.count_by_source()).await?;
        crate::dispatch::retrain::report(&*self.store, examples, active.map(|a| a.version), adapted)
            .await
    }

    // --- appeals ---

    /// Does a lifecycle action now, through the one workflow every edge uses.
    pub async fn act(
        &self,
        id: AppealId,
        kind: EventKind,
        actor: &Actor,
        seen_version: Option<i64>,
    ) -> AppResult<(Appeal, Event)> {
        self.act_with_files(id, kind, actor, seen_version, Vec::new())
            .await
    }

    /// Does a lifecycle action with files that come with it (a reply's 答复材料): the bytes
    /// are stored first and the files recorded with the event, or deleted again if the
    /// action fails.
    pub async fn act_with_files(
        &self,
        id: AppealId,
        kind: EventKind,
        actor: &Actor,
        seen_version: Option<i64>,
        uploads: Vec<Upload>,
    ) -> AppResult<(Appeal, Event)> {
        let stored = self.files.store(uploads, actor).await?;
        let done = workflow::act_with_attachments(
            &*self.store,
            &self.timekeeper(),
            id,
            kind,
            actor,
            Utc::now(),
            seen_version,
            stored.attachments.clone(),
        )
        .await;
        let done = match done {
            Ok(done) => done,
            Err(e) => {
                self.files.discard(stored).await;
                return Err(e);
            }
        };
        self.changed(&done.0).await;
        self.note_reply_event(&done.1).await;
        Ok(done)
    }

    /// Judges a body's return (退单审核), re-dispatching an approved one in the same step.
    pub async fn judge_return(
        &self,
        id: AppealId,
        judgement: crate::returns::ReturnJudgement,
        actor: &Actor,
        seen_version: Option<i64>,
    ) -> AppResult<(Appeal, Event)> {
        let done = crate::returns::judge_return(
            &*self.store,
            &self.timekeeper(),
            id,
            judgement,
            actor,
            Utc::now(),
            seen_version,
        )
        .await?;
        self.changed(&done.0).await;
        Ok(done)
    }
}
