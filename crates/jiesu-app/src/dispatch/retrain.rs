//! Retraining smart dispatch (模型重训): a candidate is trained on the history and the
//! labelled examples, then it and the active model are scored on the same held-back recent
//! appeals; the candidate becomes active only if its macro-F1 is not lower — unless an
//! admin pinned a model (锁定模型), which no retrain replaces. Every run is recorded in the
//! candidate's metadata, so the models list is also the history of the comparisons.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use jiesu_store::Store;
use jiesu_text::dispatch::{DispatchModel, TrainOptions, TrainingRecord, evaluate, train};
use serde::{Deserialize, Serialize};

use super::learning::{Example, ExampleSource};
use super::training::{MODEL_KIND, records_from_store};
use crate::error::{AppError, AppResult};

/// The setting holding the pinned model version (empty: none pinned).
pub const PINNED_KEY: &str = "dispatch.pinned_model";
/// The setting through which server processes agree when the next scheduled retrain is due
/// (RFC 3339), so that one of them runs it.
pub const NEXT_RETRAIN_KEY: &str = "dispatch.next_retrain";
/// The most recent categorized appeals held back to compare candidate and active model.
pub const HELD_BACK: usize = 300;

/// What a retrain decided (结论).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Not worse than the active model (or there was none): the candidate is active.
    Activated,
    /// Worse than the active model: kept as a version, not activated.
    Kept,
    /// A model is pinned: the candidate is kept, not activated.
    Pinned,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Activated => "已启用（不低于现用模型）",
            Decision::Kept => "未启用（低于现用模型）",
            Decision::Pinned => "未启用（已锁定模型）",
        }
    }
}

/// One retrain: both scores on the same held-back appeals and the decision (重训记录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainRun {
    pub at: DateTime<Utc>,
    /// `schedule`, `cli`, `api` or `page`.
    pub trigger: String,
    /// The candidate's version (the model version the run is recorded with).
    #[serde(default)]
    pub candidate: i64,
    /// The model active when the run started.
    pub active: Option<i64>,
    pub candidate_macro_f1: f64,
    pub active_macro_f1: Option<f64>,
    /// Held-back recent appeals both were scored on.
    pub held_back: usize,
    /// History records and labelled examples the candidate learned from.
    pub records: usize,
    pub examples: usize,
    pub decision: Decision,
}

/// The version an admin pinned, if any.
pub async fn pinned(store: &dyn Store) -> AppResult<Option<i64>> {
    Ok(store
        .setting(PINNED_KEY)
        .await?
        .and_then(|v| v.trim().parse().ok()))
}

/// Activates `version` and pins it: retrains keep their candidates until it is unpinned.
pub async fn pin(store: &dyn Store, version: i64) -> AppResult<()> {
    store
        .activate_model(MODEL_KIND, version, Utc::now())
        .await?;
    store.put_setting(PINNED_KEY, &version.to_string()).await?;
    Ok(())
}

/// Activates `version` (启用) on an admin's word. A pin follows the admin's choice: while a
/// model is pinned, the version activated by hand becomes the pinned one, so the pin never
/// names a model that is not active.
pub async fn activate(store: &dyn Store, version: i64) -> AppResult<()> {
    store
        .activate_model(MODEL_KIND, version, Utc::now())
        .await?;
    if pinned(store).await?.is_some() {
        store.put_setting(PINNED_KEY, &version.to_string()).await?;
    }
    Ok(())
}

/// Lets retrains activate better candidates again.
pub async fn unpin(store: &dyn Store) -> AppResult<()> {
    store.put_setting(PINNED_KEY, "").await?;
    Ok(())
}

/// Whether a scheduled retrain is due at `now`, claiming it if so: the first call only
/// schedules the first retrain one interval ahead; of several servers calling at once, one
/// gets `true` for each due retrain (compare and swap on [`NEXT_RETRAIN_KEY`]).
pub async fn claim_due(
    store: &dyn Store,
    every: std::time::Duration,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let next = now + chrono::Duration::from_std(every).unwrap_or(chrono::Duration::days(1));
    let current = store.setting(NEXT_RETRAIN_KEY).await?;
    let due = current
        .as_deref()
        .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
        .map(|t| t.with_timezone(&Utc));
    match due {
        Some(t) if t > now => Ok(false),
        Some(_) => Ok(store
            .swap_setting(NEXT_RETRAIN_KEY, current.as_deref(), &next.to_rfc3339())
            .await?),
        None => {
            store
                .swap_setting(NEXT_RETRAIN_KEY, current.as_deref(), &next.to_rfc3339())
                .await?;
            Ok(false)
        }
    }
}

/// Every recorded retrain, newest first.
pub async fn runs(store: &dyn Store) -> AppResult<Vec<RetrainRun>> {
    Ok(store
        .models(MODEL_KIND)
        .await?
        .into_iter()
        .filter_map(|m| {
            let run: RetrainRun = serde_json::from_value(m.meta.get("retrain")?.clone()).ok()?;
            Some(RetrainRun {
                candidate: m.version,
                ..run
            })
        })
        .collect())
}

/// Macro-F1 of `model` on `cases` (first level).
fn score(model: &DispatchModel, cases: &[TrainingRecord]) -> f64 {
    let labels: Vec<String> = model.labels().to_vec();
    let mut all = labels.clone();
    let mut index = |l: &str| {
        all.iter().position(|x| x == l).unwrap_or_else(|| {
            all.push(l.to_string());
            all.len() - 1
        })
    };
    let (mut truth, mut predicted) = (Vec::new(), Vec::new());
    for c in cases {
        let guess = model
            .suggest(&c.title, &c.text)
            .ok()
            .and_then(|s| s.top.first().map(|t| t.0.clone()))
            .unwrap_or_default();
        truth.push(index(c.first_level().unwrap_or_default()));
        predicted.push(index(&guess));
    }
    evaluate(&all, &truth, &predicted).macro_f1
}

/// Trains a candidate on the history and `labelled` and compares it with the active model
/// (see the module comment).
pub async fn retrain(
    store: &dyn Store,
    labelled: &[Example],
    active: Option<Arc<DispatchModel>>,
    active_version: Option<i64>,
    trigger: &str,
) -> AppResult<RetrainRun> {
    // Newest first (the store lists appeals so): the first ones are the held-back cases.
    let mut history = records_from_store(store).await?;
    let held = HELD_BACK.min(history.len() / 5);
    let cases: Vec<TrainingRecord> = history.drain(..held).collect();
    let n_examples = labelled.len();
    let mut records = history;
    let n_records = records.len();
    for e in labelled {
        let copies = e.example.weight.round().max(1.0) as usize;
        records.extend(std::iter::repeat_n(e.example.record.clone(), copies));
    }
    let options = TrainOptions {
        trained_at: Utc::now().to_rfc3339(),
        ..TrainOptions::default()
    };
    let (model, bytes, candidate_f1, active_f1) = tokio::task::spawn_blocking(move || {
        let model = train(&records, &options, |_, _| {}).map_err(|e| e.to_string())?;
        let bytes = model.to_bytes().map_err(|e| e.to_string())?;
        let candidate_f1 = score(&model, &cases);
        let active_f1 = active.map(|m| score(&m, &cases));
        Ok::<_, String>((model, bytes, candidate_f1, active_f1))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Training)?;

    let decision = if pinned(store).await?.is_some() {
        Decision::Pinned
    } else if active_f1.is_none_or(|a| candidate_f1 >= a) {
        Decision::Activated
    } else {
        Decision::Kept
    };
    let mut run = RetrainRun {
        at: Utc::now(),
        trigger: trigger.to_string(),
        candidate: 0,
        active: active_version,
        candidate_macro_f1: candidate_f1,
        active_macro_f1: active_f1,
        held_back: held,
        records: n_records,
        examples: n_examples,
        decision,
    };
    let internal = |e: serde_json::Error| AppError::Internal(e.to_string());
    let mut meta = serde_json::to_value(model.meta()).map_err(internal)?;
    meta["retrain"] = serde_json::to_value(&run).map_err(internal)?;
    let version = store.save_model(MODEL_KIND, &meta, &bytes, run.at).await?;
    run.candidate = version;
    if decision == Decision::Activated {
        store.activate_model(MODEL_KIND, version, run.at).await?;
    }
    tracing::info!(
        candidate = version,
        candidate_f1,
        active_f1,
        ?decision,
        "dispatch model retrained"
    );
    Ok(run)
}

/// What the learning page and API show (学习情况).
#[derive(Debug, Clone, Serialize)]
pub struct LearningReport {
    /// Labelled examples per source.
    pub examples: Vec<SourceCount>,
    pub pinned: Option<i64>,
    pub active: Option<i64>,
    /// Categories the fast adaptation learned in the running process.
    pub adapted: Vec<jiesu_text::dispatch::AdaptedClass>,
    pub runs: Vec<RetrainRun>,
}

/// Examples of one source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCount {
    pub source: ExampleSource,
    pub label: &'static str,
    pub weight: f32,
    pub count: usize,
}

/// The learning report over `store`; the examples per source, `active` and `adapted` come
/// from the running process.
pub async fn report(
    store: &dyn Store,
    examples: Vec<(ExampleSource, usize)>,
    active: Option<i64>,
    adapted: Vec<jiesu_text::dispatch::AdaptedClass>,
) -> AppResult<LearningReport> {
    Ok(LearningReport {
        examples: examples
            .into_iter()
            .map(|(source, count)| SourceCount {
                source,
                label: source.label(),
                weight: source.weight(),
                count,
            })
            .collect(),
        pinned: pinned(store).await?,
        active,
        adapted,
        runs: runs(store).await?,
    })
}
