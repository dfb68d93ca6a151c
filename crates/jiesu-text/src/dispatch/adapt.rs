//! Fast adaptation (快速学习): what a trained [`DispatchModel`] learns from a few labelled
//! examples (学习样本) without a full retrain.
//!
//! A category the model does not know (a new one the centre added) gets its own binary
//! linear classifier: its examples, up-weighted by class balancing, against background
//! records of the known categories (and their titles alone). Its decision value adds the
//! model's own doubt about the appeal (module `doubt`): the model has no category for the
//! new one's appeals and is seldom sure of them, while it is sure of most appeals of the
//! categories it knows. The threshold is set on background records the classifier did not
//! train on, so that the new category takes at most a small share of the known categories'
//! appeals; above it, the new category leads the suggestion and the model's categories
//! share the rest. Examples of categories the model knows are kept as a memory: an appeal
//! that is nearly the same text as a corrected one takes the corrected category. The full
//! retrain learns from the same examples; this bridges the time until it runs.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::TrainingRecord;
use super::doubt::{doubt, history_doubts};
use super::features::{FeatureConfig, Prepared, RawFeatures, SparseVec, Vectorizer};
use super::linear::{LocalLinear, SvmParams};
use super::model::{DispatchModel, SuggestError, Suggestion};

/// A labelled example (学习样本) and how much it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelledExample {
    pub record: TrainingRecord,
    /// How many ordinary history records it is worth (a correction counts more).
    pub weight: f32,
}

/// How the adaptation is learned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptOptions {
    /// The new categories' classifiers.
    pub svm: SvmParams,
    /// Share of the known categories' appeals a new category may take, at most: its
    /// threshold is set so that no more of the background appeals held out of its
    /// training score above it.
    pub max_false_positive: f32,
    /// Weight of the model's doubt (one minus its top probability) in a new category's
    /// decision value.
    pub doubt_weight: f32,
    /// Slope turning the decision value into a probability.
    pub slope: f32,
    /// Cosine similarity above which an appeal takes a remembered example's category.
    pub memory_similarity: f32,
    /// Background records used as the new categories' negatives, at most.
    pub max_background: usize,
}

impl Default for AdaptOptions {
    fn default() -> Self {
        AdaptOptions {
            svm: SvmParams {
                c: 0.5,
                ..SvmParams::default()
            },
            max_false_positive: 0.004,
            doubt_weight: DOUBT_WEIGHT,
            slope: 3.0,
            memory_similarity: 0.9,
            max_background: 3_000,
        }
    }
}

/// Weight of the model's doubt: 0.5 reaches a recall of 0.80 after 20 examples of the
/// smallest category (0.67 without it) with the others' macro-F1 0.002 lower
/// (docs/BENCHMARKS.md).
const DOUBT_WEIGHT: f32 = 0.5;

/// A category the model does not know, learned from its examples.
#[derive(Debug, Clone)]
struct NewClass {
    label: String,
    /// Two classes: the new category (0) against the rest (1).
    classifier: LocalLinear,
    /// Decision value above which the category leads the suggestion.
    threshold: f32,
    examples: usize,
}

impl NewClass {
    /// The decision value of an appeal of features `x` the model doubts by `doubt`.
    fn decision(&self, x: &[(u32, f32)], doubt: f32, options: &AdaptOptions) -> f32 {
        self.classifier.scores(x)[0] + options.doubt_weight * doubt
    }
}

/// A remembered example of a category the model knows (L2-normalized features).
#[derive(Debug, Clone)]
struct Remembered {
    x: SparseVec,
    label: String,
}

/// The adaptation's own vocabulary and the options it was learned with.
#[derive(Debug, Clone)]
struct Learned {
    vectorizer: Vectorizer,
    options: AdaptOptions,
}

/// What a model learned from labelled examples on top of its training (kept in memory
/// only: it is learned again from the examples when a process starts).
#[derive(Debug, Clone, Default)]
pub struct Adaptation {
    learned: Option<Learned>,
    new_classes: Vec<NewClass>,
    memory: Vec<Remembered>,
}

/// Per category, how many examples the adaptation holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdaptedClass {
    pub label: String,
    pub examples: usize,
    /// True when the model did not know the category.
    pub new: bool,
}

fn normalized(mut x: SparseVec) -> SparseVec {
    let norm = x.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        x.iter_mut().for_each(|(_, v)| *v /= norm);
    }
    x
}

fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// The decision value that at most `rate` of the negatives' `scores` exceed (0 without
/// negatives).
fn threshold(mut scores: Vec<f32>, rate: f32) -> f32 {
    if scores.is_empty() {
        return 0.0;
    }
    scores.sort_by(|a, b| b.total_cmp(a));
    let allowed = (rate.max(0.0) * scores.len() as f32).floor() as usize;
    scores[allowed.min(scores.len() - 1)]
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl Adaptation {
    /// Learns from `examples` on top of `model`. `background` holds ordinary history
    /// records (recent appeals of the known categories) that a new category must be told
    /// apart from; examples of other categories serve as background too.
    ///
    /// The adaptation has its own vocabulary, learned from the examples and the
    /// background: a new category's own words were never seen by the model, so they are
    /// not in the model's. The model may have been trained on the background, so the doubts
    /// its threshold is set with are corrected to those of appeals it has not seen.
    pub fn fit(
        model: &DispatchModel,
        examples: &[LabelledExample],
        background: &[TrainingRecord],
        options: &AdaptOptions,
    ) -> Adaptation {
        let config = FeatureConfig {
            min_df: 1,
            ..model.vectorizer.config.clone()
        };
        let raw = |r: &TrainingRecord| -> Option<RawFeatures> {
            let p = Prepared::new(&r.title, &r.text);
            (!p.is_empty()).then(|| config.extract(&model.segmenter, &p, false))
        };
        let labelled: Vec<(String, RawFeatures, f32)> = examples
            .par_iter()
            .filter_map(|e| {
                let label = e.record.first_level()?.trim().to_string();
                let x = raw(&e.record)?;
                (!label.is_empty()).then_some((label, x, e.weight.max(0.0)))
            })
            .collect();
        if labelled.is_empty() {
            return Adaptation::default();
        }
        let step = background
            .len()
            .div_ceil(options.max_background.max(1))
            .max(1);
        // Each background appeal also as its title alone: a short appeal has few words, and
        // the new category must not take every appeal it cannot read.
        let title_only = |r: &TrainingRecord| TrainingRecord {
            text: String::new(),
            ..r.clone()
        };
        let negatives: Vec<(usize, TrainingRecord, RawFeatures)> = background
            .par_iter()
            .step_by(step)
            .enumerate()
            .flat_map_iter(|(i, r)| {
                let short = (!r.text.trim().is_empty()).then(|| title_only(r));
                [Some(r.clone()), short]
                    .into_iter()
                    .flatten()
                    .filter_map(move |r| raw(&r).map(|x| (i, r, x)))
            })
            .collect();
        let docs: Vec<&RawFeatures> = labelled
            .iter()
            .map(|(_, x, _)| x)
            .chain(negatives.iter().map(|(_, _, x)| x))
            .collect();
        let vectorizer = Vectorizer::fit(&config, &docs);
        let labelled: Vec<(String, SparseVec, f32)> = labelled
            .into_iter()
            .map(|(label, x, w)| (label, vectorizer.transform(&x), w))
            .collect();
        // Every other background appeal trains; the rest set the thresholds.
        let (negatives, held_out): (Vec<_>, Vec<_>) =
            negatives.iter().partition(|(i, _, _)| i % 2 == 0);
        let negatives: Vec<SparseVec> = negatives
            .par_iter()
            .map(|(_, _, x)| vectorizer.transform(x))
            .collect();

        let mut by_label: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, (label, _, _)) in labelled.iter().enumerate() {
            by_label.entry(label.as_str()).or_default().push(i);
        }
        let is_known = |label: &str| model.labels().iter().any(|l| l == label);
        // The held-out appeals and the model's doubts about them, for new categories only
        // (each doubt costs a suggestion).
        let held_out: Vec<(SparseVec, f32)> = if by_label.keys().all(|l| is_known(l)) {
            Vec::new()
        } else {
            let records: Vec<&TrainingRecord> = held_out.iter().map(|(_, r, _)| r).collect();
            held_out
                .par_iter()
                .map(|(_, _, x)| vectorizer.transform(x))
                .zip(history_doubts(model, &records))
                .collect()
        };
        let memory = labelled
            .iter()
            .filter(|(label, _, _)| is_known(label))
            .map(|(label, x, _)| Remembered {
                x: normalized(x.clone()),
                label: label.clone(),
            })
            .collect();
        let new_classes = by_label
            .iter()
            .filter(|(label, _)| !is_known(label))
            .map(|(label, members)| {
                let mut rows: Vec<&SparseVec> = Vec::new();
                let mut y: Vec<usize> = Vec::new();
                for &i in members {
                    // A weight of 3 puts the example in three times: the solver has no
                    // per-row costs, and class balancing already lifts the few positives.
                    let copies = labelled[i].2.round().max(1.0) as usize;
                    for _ in 0..copies {
                        rows.push(&labelled[i].1);
                        y.push(0);
                    }
                }
                for (other, x, _) in &labelled {
                    if other.as_str() != *label {
                        rows.push(x);
                        y.push(1);
                    }
                }
                for x in &negatives {
                    rows.push(x);
                    y.push(1);
                }
                let mut class = NewClass {
                    label: label.to_string(),
                    classifier: LocalLinear::train(&rows, &y, 2, &options.svm, 7),
                    threshold: 0.0,
                    examples: members.len(),
                };
                let scores = held_out
                    .par_iter()
                    .map(|(x, d)| class.decision(x, *d, options))
                    .collect();
                class.threshold = threshold(scores, options.max_false_positive);
                class
            })
            .collect();
        Adaptation {
            learned: Some(Learned {
                vectorizer,
                options: options.clone(),
            }),
            new_classes,
            memory,
        }
    }

    /// True when there is nothing learned (the model's own suggestion stands).
    pub fn is_empty(&self) -> bool {
        self.new_classes.is_empty() && self.memory.is_empty()
    }

    /// The categories learned and their example counts, new ones first.
    pub fn classes(&self) -> Vec<AdaptedClass> {
        let mut known: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &self.memory {
            *known.entry(m.label.as_str()).or_default() += 1;
        }
        self.new_classes
            .iter()
            .map(|c| AdaptedClass {
                label: c.label.clone(),
                examples: c.examples,
                new: true,
            })
            .chain(known.into_iter().map(|(label, examples)| AdaptedClass {
                label: label.to_string(),
                examples,
                new: false,
            }))
            .collect()
    }

    /// The model's suggestion with what the examples taught: a new category that
    /// recognizes the appeal leads, and an appeal nearly identical to a remembered
    /// correction takes its category.
    pub fn suggest(
        &self,
        model: &DispatchModel,
        title: &str,
        text: &str,
    ) -> Result<Suggestion, SuggestError> {
        let mut suggestion = model.suggest(title, text)?;
        let Some(Learned {
            vectorizer,
            options,
        }) = &self.learned
        else {
            return Ok(suggestion);
        };
        let p = Prepared::new(title, text);
        let x = vectorizer.transform(&vectorizer.config.extract(&model.segmenter, &p, false));
        let mut top = suggestion.top.clone();
        let mut changed = false;

        let d = doubt(&suggestion.top);
        let best_new = self
            .new_classes
            .iter()
            .map(|c| (c, c.decision(&x, d, options) - c.threshold))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((class, margin)) = best_new
            && margin > 0.0
        {
            let q = sigmoid(options.slope * margin).max(0.5);
            top.iter_mut().for_each(|t| t.1 *= 1.0 - q);
            top.insert(0, (class.label.clone(), q));
            changed = true;
        } else if !self.memory.is_empty() {
            let xn = normalized(x);
            let nearest = self
                .memory
                .iter()
                .map(|m| (m, cosine(&xn, &m.x)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((m, sim)) = nearest
                && sim >= options.memory_similarity
                && top.first().is_some_and(|t| t.0 != m.label)
            {
                let q = sim.min(0.95);
                top.retain(|t| t.0 != m.label);
                top.iter_mut().for_each(|t| t.1 *= 1.0 - q);
                top.insert(0, (m.label.clone(), q));
                changed = true;
            }
        }
        if changed {
            top.truncate(super::model::TOP_K);
            // The lower levels, body and words were chosen for another category.
            suggestion.lower_levels.clear();
            suggestion.body = None;
            suggestion.explanation.clear();
            suggestion.low_confidence = top[0].1 < super::model::LOW_CONFIDENCE;
            // The learned confidence is calibrated on the trained model's own predictions
            // only: a suggestion the examples changed is never sure enough to dispatch alone.
            suggestion.confidence = 0.0;
            suggestion.note = Some(if suggestion.low_confidence {
                "根据学习样本推荐，把握不大，请派单员确认分类".to_string()
            } else {
                "根据学习样本推荐，请派单员确认分类".to_string()
            });
            suggestion.top = top;
        }
        Ok(suggestion)
    }
}
