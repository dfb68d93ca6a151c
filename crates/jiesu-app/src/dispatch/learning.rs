//! The dispatch learning loop's examples (学习样本): every correction a dispatcher makes,
//! every valid return and every re-dispatch after one is a labelled example. They are read
//! from the appeals' event logs (the one record of what happened), so nothing else has to
//! be kept in step; the running process keeps them in memory and reads only what changed
//! ([`super::learning_examples`]). The fast adaptation ([`Adaptation`]) learns from them
//! between full retrains, and a full retrain counts each as many times as its weight.

use jiesu_domain::appeal::Appeal;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_store::{AppealFilter, Store, StoreResult};
use jiesu_text::dispatch::{
    AdaptOptions, Adaptation, DispatchModel, LabelledExample, TrainingRecord,
};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::listing::each_appeal;

/// Where a labelled example comes from (样本来源).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExampleSource {
    /// The dispatcher sent the appeal under another category or to another body than smart
    /// dispatch suggested (or than intake recorded) — 派单纠正.
    Correction,
    /// A body's return the dispatcher approved (有效退单): the category stands, the body
    /// was wrong.
    Return,
    /// The re-dispatch after an approved return (改派): category and the right body.
    Redispatch,
}

impl ExampleSource {
    pub const ALL: [ExampleSource; 3] = [
        ExampleSource::Correction,
        ExampleSource::Return,
        ExampleSource::Redispatch,
    ];

    /// How many ordinary history records an example of this source is worth: a person
    /// looked at the case and said what the model should have said.
    pub fn weight(self) -> f32 {
        match self {
            ExampleSource::Correction | ExampleSource::Redispatch => 3.0,
            ExampleSource::Return => 2.0,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ExampleSource::Correction => "correction",
            ExampleSource::Return => "return",
            ExampleSource::Redispatch => "redispatch",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            ExampleSource::Correction => "派单纠正",
            ExampleSource::Return => "有效退单",
            ExampleSource::Redispatch => "退单改派",
        }
    }
}

/// One labelled example and the appeal it comes from.
#[derive(Debug, Clone)]
pub struct Example {
    pub appeal: AppealId,
    pub source: ExampleSource,
    pub example: LabelledExample,
}

/// The examples an appeal's events hold, in the order they happened.
pub fn examples_of(
    appeal: &Appeal,
    events: &[Event],
    body_name: &dyn Fn(jiesu_domain::ids::BodyId) -> Option<String>,
) -> Vec<Example> {
    let suggested = appeal.suggested.as_ref();
    let mut category = None;
    let mut dispatched = false;
    let mut after_return = false;
    let mut out = Vec::new();
    let mut push = |source: ExampleSource, path: &jiesu_domain::category::CategoryPath, body| {
        out.push(Example {
            appeal: appeal.id,
            source,
            example: LabelledExample {
                record: TrainingRecord {
                    title: appeal.title.clone(),
                    text: appeal.text.clone(),
                    category_path: path.levels().to_vec(),
                    body,
                },
                weight: source.weight(),
            },
        });
    };
    for event in events {
        match &event.kind {
            EventKind::Register { draft } => category = draft.category.clone(),
            EventKind::Dispatch {
                lead,
                category: chosen,
                ..
            } => {
                let before = category.clone();
                if chosen.is_some() {
                    category = chosen.clone();
                }
                let Some(path) = &category else { continue };
                let first = path.levels().first().cloned();
                let corrected = suggested.is_some_and(|s| {
                    (s.category.is_some() && s.category != first)
                        || s.body.is_some_and(|b| b != *lead)
                }) || before.as_ref().is_some_and(|b| b != path);
                if after_return {
                    push(ExampleSource::Redispatch, path, body_name(*lead));
                } else if !dispatched && corrected {
                    push(ExampleSource::Correction, path, body_name(*lead));
                }
                dispatched = true;
                after_return = false;
            }
            EventKind::JudgeReturn { approved: true, .. } => {
                if let Some(path) = &category {
                    push(ExampleSource::Return, path, None);
                }
                after_return = true;
            }
            _ => {}
        }
    }
    out
}

/// The newest categorized appeals, at most `most`, as the background a new category is
/// told apart from.
pub async fn recent_records(store: &dyn Store, most: usize) -> StoreResult<Vec<TrainingRecord>> {
    let mut out = Vec::new();
    each_appeal(store, &AppealFilter::default(), Some(most as i64), |a| {
        if let Some(c) = &a.category {
            out.push(TrainingRecord {
                category_path: c.levels().to_vec(),
                title: a.title,
                text: a.text,
                body: None,
            });
        }
    })
    .await?;
    Ok(out)
}

/// Learns the fast adaptation of `model` from `examples`, off the executor.
pub async fn adapt(
    store: &dyn Store,
    model: std::sync::Arc<DispatchModel>,
    examples: Vec<LabelledExample>,
) -> AppResult<Adaptation> {
    let options = AdaptOptions::default();
    if examples.is_empty() {
        return Ok(Adaptation::default());
    }
    let background = recent_records(store, options.max_background).await?;
    tokio::task::spawn_blocking(move || Adaptation::fit(&model, &examples, &background, &options))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}
