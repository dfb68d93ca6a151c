//! Automatic dispatch (自动派单) as the server runs it: after intake, an appeal the active
//! model is sure enough of goes to the body the routing table and the place chose, as a
//! system event recording the model's version and confidence; every other appeal waits
//! in the manual queue with the suggestion. The threshold is the active model's, read off
//! its operating curve at the admins' target precision. The live figures say how the
//! model's own dispatches fared: taken back by a dispatcher, returned by the body, or
//! dispatched again elsewhere.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::auto_dispatch::{AutoDispatch, AutoDispatchCase, AutoDispatchSettings};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::event::{EventKind, logs_by_appeal};
use jiesu_domain::status::Status;
use jiesu_domain::user::Actor;
use jiesu_store::ModelRecord;
use jiesu_text::dispatch::{ModelMeta, OperatingCurve};
use serde::Serialize;

use crate::App;
use crate::dispatch::MODEL_KIND;
use crate::error::{AppError, AppResult};
use crate::settings::stored;

/// How many automatic dispatches the live figures look at, at most.
const FIGURES_SAMPLE: i64 = 50_000;

/// How a model's automatic dispatches fared since it was last activated (实时效果).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct AutoDispatchFigures {
    pub model_version: i64,
    pub since: Option<DateTime<Utc>>,
    /// Appeals the model dispatched on its own.
    pub dispatched: usize,
    /// Of those, dispatched again later to another body or under another category (改派).
    pub corrected: usize,
    /// Returned by the body (退单).
    pub returned: usize,
    /// Taken back by a dispatcher (收回人工派单).
    pub recalled: usize,
}

/// A stored model version as pages and the command line list it, read from its stored
/// metadata (the model's bytes are not loaded).
#[derive(Debug, Clone)]
pub struct ModelSummary {
    pub version: i64,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub n_records: Option<usize>,
    pub macro_f1: Option<f64>,
    pub curve: Option<OperatingCurve>,
}

impl ModelSummary {
    pub fn of(record: &ModelRecord) -> ModelSummary {
        let meta: Option<ModelMeta> = serde_json::from_value(record.meta.clone()).ok();
        ModelSummary {
            version: record.version,
            active: record.active,
            created_at: record.created_at,
            n_records: meta.as_ref().map(|m| m.n_records),
            macro_f1: meta
                .as_ref()
                .and_then(|m| m.metrics.as_ref())
                .map(|m| m.macro_f1),
            curve: meta.and_then(|m| m.operating_curve),
        }
    }

    /// The share it dispatches on its own at `precision`, by its operating curve.
    pub fn share_at(&self, precision: f64) -> Option<f64> {
        self.curve
            .as_ref()
            .and_then(|c| c.point_for(precision))
            .map(|p| p.share)
    }
}

impl App {
    /// The automatic-dispatch settings in use.
    pub fn auto_dispatch_settings(&self) -> std::sync::Arc<AutoDispatchSettings> {
        self.settings().auto_dispatch.clone()
    }

    /// Saves and starts using new automatic-dispatch settings; every category must be a
    /// first-level category of the taxonomy.
    pub async fn save_auto_dispatch(
        &self,
        settings: AutoDispatchSettings,
    ) -> AppResult<AutoDispatchSettings> {
        let settings = settings.validated()?;
        let taxonomy = self.taxonomy();
        let known = taxonomy.first_levels();
        if let Some(c) = settings
            .categories
            .iter()
            .find(|c| !known.contains(&c.as_str()))
        {
            return Err(jiesu_domain::DomainError::InvalidField {
                field: "categories",
                reason: format!("分类「{c}」不是一级分类"),
            }
            .into());
        }
        stored::save_auto_dispatch(&*self.store, &settings).await?;
        self.refresh_settings().await?;
        Ok(settings)
    }

    /// The active model's confidence threshold at the target precision in use; `None`
    /// without a model, without an operating curve, or when the curve never reaches it.
    pub fn auto_dispatch_threshold(&self) -> Option<f32> {
        let target = self.auto_dispatch_settings().target_precision;
        self.assistant()
            .model()?
            .model
            .meta()
            .operating_curve
            .as_ref()?
            .threshold_for(target)
    }

    /// Dispatches a newly registered appeal on the model's word when the settings allow
    /// it and the model is sure enough (see [`AutoDispatchSettings::decide`]). Returns the
    /// dispatched appeal, or `None` when it stays in the manual queue. A failure (e.g. a
    /// dispatcher was faster) leaves the appeal where it is and is only logged.
    pub(crate) async fn auto_dispatch(&self, appeal: &Appeal) -> Option<Appeal> {
        let settings = self.auto_dispatch_settings();
        if !settings.enabled || appeal.status != Status::Registered {
            return None;
        }
        let suggested = appeal.suggested.as_ref()?;
        let model_version = suggested.model_version?;
        let threshold = self
            .auto_dispatch_threshold()
            .filter(|_| self.assistant().model_version() == Some(model_version));
        let case = AutoDispatchCase {
            appeal_type: appeal.appeal_type,
            channel: appeal.channel,
            category: suggested.category.as_deref(),
            given_category: appeal.category.as_ref().map(CategoryPath::first),
            confidence: suggested.confidence,
            body: suggested.body,
            threshold,
        };
        let lead = match settings.decide(&case) {
            Ok(body) => body,
            Err(reason) => {
                tracing::debug!(appeal = appeal.id.0, reason = %reason.0, "left for manual dispatch");
                return None;
            }
        };
        // The model's category becomes the appeal's when intake gave none and the
        // taxonomy knows it.
        let category = match (&appeal.category, &suggested.category) {
            (None, Some(c)) => CategoryPath::parse(c)
                .ok()
                .filter(|p| self.taxonomy().check(p).is_ok()),
            _ => None,
        };
        let kind = EventKind::Dispatch {
            lead,
            co: Vec::new(),
            note: String::new(),
            category,
            auto: Some(AutoDispatch {
                model_version,
                confidence: suggested.confidence,
            }),
        };
        match self
            .act(appeal.id, kind, &Actor::system(), Some(appeal.version))
            .await
        {
            Ok((dispatched, _)) => Some(dispatched),
            Err(e) => {
                tracing::warn!(appeal = appeal.id.0, error = %e, "automatic dispatch failed");
                None
            }
        }
    }

    /// How the automatic dispatches of model `version` fared since it was last activated
    /// (since it was stored, for a version never activated).
    pub async fn auto_dispatch_figures(&self, version: i64) -> AppResult<AutoDispatchFigures> {
        let models = self.store.models(MODEL_KIND).await?;
        let model = models
            .iter()
            .find(|m| m.version == version)
            .ok_or(AppError::Store(jiesu_store::StoreError::NotFound(
                "模型版本",
            )))?;
        let since = model.activated_at.unwrap_or(model.created_at);
        let events = self
            .store
            .events_with_action("dispatch", since, FIGURES_SAMPLE)
            .await?;
        // Per appeal, the sequence number of the model's (last) automatic dispatch.
        let mut auto_at: HashMap<_, (i64, EventKind)> = HashMap::new();
        for e in events {
            if let EventKind::Dispatch { auto: Some(a), .. } = &e.kind
                && a.model_version == version
            {
                auto_at.insert(e.appeal, (e.seq, e.kind));
            }
        }
        let mut figures = AutoDispatchFigures {
            model_version: version,
            since: Some(since),
            dispatched: auto_at.len(),
            ..AutoDispatchFigures::default()
        };
        let ids: Vec<_> = auto_at.keys().copied().collect();
        for chunk in ids.chunks(500) {
            let logs = logs_by_appeal(self.store.events_for(chunk).await?);
            for (id, log) in logs {
                let Some((seq, EventKind::Dispatch { lead, category, .. })) = auto_at.get(&id)
                else {
                    continue;
                };
                let later = log.iter().filter(|e| e.seq > *seq);
                let (mut returned, mut recalled, mut corrected) = (false, false, false);
                for e in later {
                    match &e.kind {
                        EventKind::Return { .. } => returned = true,
                        EventKind::Recall { .. } => recalled = true,
                        EventKind::Dispatch {
                            lead: l,
                            category: c,
                            ..
                        } => {
                            corrected |= l != lead
                                || c.as_ref().is_some_and(|c| {
                                    category.as_ref().is_some_and(|k| k.first() != c.first())
                                });
                        }
                        _ => {}
                    }
                }
                figures.returned += usize::from(returned);
                figures.recalled += usize::from(recalled);
                figures.corrected += usize::from(corrected);
            }
        }
        Ok(figures)
    }
}
