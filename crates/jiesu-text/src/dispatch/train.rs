//! Training the dispatch model from the appeal history.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::confidence::{ConfidenceModel, fit_on_held};
use super::dataset::TrainingRecord;
use super::evaluate::{evaluate, stratified_folds};
use super::features::{FeatureConfig, Prepared, RawFeatures, SparseVec, Vectorizer, extract_all};
use super::linear::{Csr, LinearOvr, LocalLinear, SvmParams, fit_temperature, softmax};
use super::model::{Choice, DispatchModel, ModelMeta, ModelMetrics, Node, member_scores};
use super::neural::{NeuralParams, SparseNet};
use super::stack::Stacker;
use crate::segment::Segmenter;

/// Why a model could not be trained.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TrainError {
    #[error("没有可用于训练的历史诉求（需要标题或内容以及一级分类）")]
    NoRecords,
    #[error("历史诉求只有一个一级分类（{0}），至少需要两个分类才能训练")]
    OneCategory(String),
}

/// How a model is trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Recorded in the model's metadata as its training time (e.g. RFC 3339).
    pub trained_at: String,
    pub features: FeatureConfig,
    pub svm: SvmParams,
    /// Internal stratified cross-validation folds used to calibrate probabilities and
    /// measure the model (0 or 1: none; probabilities then use a default temperature).
    pub calibration_folds: usize,
    /// Share of the NB-SVM in the first-level classifier (0: plain SVM only, 1: NB-SVM only).
    pub nb_weight: f32,
    /// Smoothing of the naive-Bayes ratios of the NB-SVM.
    pub nb_alpha: f32,
    /// Also learn from a title-only copy of every record that has a text, since many
    /// appeals arrive with a title and little else.
    pub title_only_copies: bool,
    /// The neural member of the first-level ensemble (`dim: 0` leaves it out).
    pub neural: NeuralParams,
    /// Seed of every shuffle, for reproducible models.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            trained_at: String::new(),
            features: FeatureConfig::default(),
            svm: SvmParams::default(),
            calibration_folds: 3,
            nb_weight: 0.5,
            nb_alpha: 1.0,
            title_only_copies: true,
            neural: NeuralParams::default(),
            seed: 12345,
        }
    }
}

impl TrainOptions {
    /// The classical baseline: TF-IDF of word unigrams and a one-vs-rest linear SVM without
    /// class weights.
    pub fn baseline() -> Self {
        TrainOptions {
            features: FeatureConfig::baseline(),
            svm: SvmParams {
                c: 1.0,
                class_balanced: false,
                ..SvmParams::default()
            },
            calibration_folds: 0,
            nb_weight: 0.0,
            title_only_copies: false,
            neural: NeuralParams {
                dim: 0,
                ..NeuralParams::default()
            },
            ..TrainOptions::default()
        }
    }
}

/// Temperature used when no internal cross-validation was run.
const DEFAULT_TEMPERATURE: f32 = 0.3;

/// Trains a model. `progress(done, total)` is called as training advances.
pub fn train(
    records: &[TrainingRecord],
    options: &TrainOptions,
    mut progress: impl FnMut(usize, usize),
) -> Result<DispatchModel, TrainError> {
    let records: Vec<&TrainingRecord> = records
        .iter()
        .filter(|r| r.first_level().is_some_and(|c| !c.trim().is_empty()))
        .filter(|r| !Prepared::new(&r.title, &r.text).is_empty())
        .collect();
    if records.is_empty() {
        return Err(TrainError::NoRecords);
    }
    let labels: Vec<String> = records
        .iter()
        .filter_map(|r| r.first_level().map(|s| s.trim().to_string()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if labels.len() < 2 {
        return Err(TrainError::OneCategory(labels[0].clone()));
    }
    let y: Vec<usize> = records
        .iter()
        .map(|r| {
            let c = r.first_level().unwrap_or_default().trim();
            labels.binary_search_by(|l| l.as_str().cmp(c)).unwrap_or(0)
        })
        .collect();

    let folds = if options.calibration_folds >= 2 && records.len() >= 10 * options.calibration_folds
    {
        options.calibration_folds
    } else {
        0
    };
    let total = 3 + folds;
    let mut done = 0;
    progress(done, total);

    let segmenter = Segmenter::default();
    let prepared: Vec<Prepared> = records
        .par_iter()
        .map(|r| Prepared::new(&r.title, &r.text))
        .collect();
    let raws = extract_all(&options.features, &segmenter, &prepared);
    let copies: Vec<Option<RawFeatures>> = if options.title_only_copies {
        prepared
            .par_iter()
            .map(|p| {
                (!p.title.is_empty() && !p.text.is_empty()).then(|| {
                    let title_only = Prepared {
                        title: p.title.clone(),
                        text: String::new(),
                        truncated: false,
                    };
                    options.features.extract(&segmenter, &title_only, false)
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    done += 1;
    progress(done, total);

    // Internal cross-validation: held-out scores calibrate the probabilities and measure
    // the model. Each fold learns its own vocabulary, so the figures are honest.
    let mut temperature = DEFAULT_TEMPERATURE;
    let mut stack = default_stack(labels.len(), options);
    let mut metrics = None;
    let mut confidence: Option<ConfidenceModel> = None;
    let mut operating_curve = None;
    if folds > 0 {
        let fold_of = stratified_folds(&y, folds, options.seed);
        let mut held: Vec<Vec<Vec<f32>>> = vec![Vec::new(); records.len()];
        for f in 0..folds {
            let train_idx: Vec<usize> = (0..records.len()).filter(|&i| fold_of[i] != f).collect();
            let test_idx: Vec<usize> = (0..records.len()).filter(|&i| fold_of[i] == f).collect();
            let (vectorizer, top, neural) =
                fit_top(&raws, &copies, &y, &train_idx, labels.len(), options);
            let scores: Vec<Vec<Vec<f32>>> = test_idx
                .par_iter()
                .map(|&i| member_scores(&top, neural.as_ref(), &vectorizer.transform(&raws[i])))
                .collect();
            for (i, s) in test_idx.into_iter().zip(scores) {
                held[i] = s;
            }
            done += 1;
            progress(done, total);
        }
        let svm_scores: Vec<Vec<f32>> = held.iter().map(|m| m[0].clone()).collect();
        temperature = fit_temperature(&svm_scores, &y);
        stack.member_weights[0] = 1.0 / temperature;
        stack = Stacker::fit(&held, &y, stack);
        let probs: Vec<Vec<f32>> = held
            .iter()
            .map(|m| softmax(&stack.logits(m), 1.0))
            .collect();
        let (fitted, curve) = fit_on_held(&held, &probs, &y);
        confidence = fitted;
        operating_curve = Some(curve);
        let predicted: Vec<usize> = probs.iter().map(|p| argmax(p)).collect();
        let eval = evaluate(&labels, &y, &predicted);
        metrics = Some(ModelMetrics {
            accuracy: eval.accuracy,
            macro_f1: eval.macro_f1,
            folds,
        });
    }

    let all: Vec<usize> = (0..records.len()).collect();
    let (vectorizer, top, neural) = fit_top(&raws, &copies, &y, &all, labels.len(), options);
    done += 1;
    progress(done, total);

    let rows: Vec<SparseVec> = raws.par_iter().map(|r| vectorizer.transform(r)).collect();
    let (tree, bodies) = fit_lower(&records, &y, &rows, labels.len(), options);

    let mut prior = vec![0f32; labels.len()];
    for &l in &y {
        prior[l] += 1.0 / y.len() as f32;
    }
    let meta = ModelMeta {
        version: format!(
            "jiesu-dispatch/{} ({} {})",
            super::model::MODEL_FORMAT_VERSION,
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        ),
        trained_at: options.trained_at.clone(),
        n_records: records.len(),
        n_features: vectorizer.len(),
        metrics,
        operating_curve,
    };
    done += 1;
    progress(done, total);
    Ok(DispatchModel {
        meta,
        vectorizer,
        labels,
        top,
        neural,
        stack,
        confidence,
        temperature,
        prior,
        tree,
        bodies,
        segmenter,
    })
}

pub(crate) fn argmax(s: &[f32]) -> usize {
    s.iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |(i, _)| i)
}

/// The blend used without internal cross-validation: SVM scores at the default
/// temperature plus the neural log-probabilities, if there is a neural member.
fn default_stack(n_classes: usize, options: &TrainOptions) -> Stacker {
    let mut weights = vec![1.0 / DEFAULT_TEMPERATURE];
    if options.neural.dim > 0 {
        weights.push(1.0);
    }
    Stacker::fixed(weights, n_classes)
}

/// Learns the vocabulary on the records `idx` and trains the first-level classifiers: the
/// linear one and, if configured, the neural one (concurrently).
fn fit_top(
    raws: &[RawFeatures],
    copies: &[Option<RawFeatures>],
    y: &[usize],
    idx: &[usize],
    n_classes: usize,
    options: &TrainOptions,
) -> (Vectorizer, LinearOvr, Option<SparseNet>) {
    let subset: Vec<&RawFeatures> = idx.iter().map(|&i| &raws[i]).collect();
    let vectorizer = Vectorizer::fit(&options.features, &subset);
    let mut labels: Vec<usize> = idx.iter().map(|&i| y[i]).collect();
    let mut docs = subset;
    for &i in idx {
        if let Some(Some(copy)) = copies.get(i) {
            docs.push(copy);
            labels.push(y[i]);
        }
    }
    let rows: Vec<SparseVec> = docs.par_iter().map(|r| vectorizer.transform(r)).collect();
    let x = Csr::from_rows(&rows, vectorizer.len());
    let (top, neural) = rayon::join(
        || fit_linear(&x, &labels, n_classes, options),
        || {
            (options.neural.dim > 0)
                .then(|| SparseNet::train(&x, &labels, n_classes, &options.neural, options.seed))
        },
    );
    (vectorizer, top, neural)
}

/// The linear first-level classifier: SVM, NB-SVM or their blend.
fn fit_linear(x: &Csr, labels: &[usize], n_classes: usize, options: &TrainOptions) -> LinearOvr {
    let w = options.nb_weight.clamp(0.0, 1.0);
    if w <= 0.0 {
        LinearOvr::train(x, labels, n_classes, &options.svm, options.seed)
    } else {
        let nb = LinearOvr::train_nb(
            x,
            labels,
            n_classes,
            &options.svm,
            options.nb_alpha,
            options.seed,
        );
        if w >= 1.0 {
            nb
        } else {
            let plain = LinearOvr::train(x, labels, n_classes, &options.svm, options.seed);
            plain.blend(1.0 - w, &nb, w)
        }
    }
}

/// Trains the lower levels of the category tree and the body choice of every first-level
/// category, from the records that carry them.
fn fit_lower(
    records: &[&TrainingRecord],
    y: &[usize],
    rows: &[SparseVec],
    n_classes: usize,
    options: &TrainOptions,
) -> (Vec<Node>, Vec<Option<Choice>>) {
    (0..n_classes)
        .into_par_iter()
        .map(|c| {
            let members: Vec<usize> = (0..records.len()).filter(|&i| y[i] == c).collect();
            let node = fit_node(records, rows, &members, 1, options);
            let with_body: Vec<(usize, &str)> = members
                .iter()
                .filter_map(|&i| {
                    records[i]
                        .body
                        .as_deref()
                        .map(str::trim)
                        .filter(|b| !b.is_empty())
                        .map(|b| (i, b))
                })
                .collect();
            let body = fit_choice(rows, &with_body, options);
            (node, body)
        })
        .unzip()
}

/// The node choosing among level `level` labels of `members` (all of one parent path).
fn fit_node(
    records: &[&TrainingRecord],
    rows: &[SparseVec],
    members: &[usize],
    level: usize,
    options: &TrainOptions,
) -> Node {
    let labelled: Vec<(usize, &str)> = members
        .iter()
        .filter_map(|&i| {
            records[i]
                .category_path
                .get(level)
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(|s| (i, s))
        })
        .collect();
    let Some(choice) = fit_choice(rows, &labelled, options) else {
        return Node {
            choice: Choice {
                labels: Vec::new(),
                classifier: None,
            },
            children: Vec::new(),
        };
    };
    let children = choice
        .labels
        .iter()
        .map(|label| {
            let sub: Vec<usize> = labelled
                .iter()
                .filter(|(_, l)| l == label)
                .map(|&(i, _)| i)
                .collect();
            fit_node(records, rows, &sub, level + 1, options)
        })
        .collect();
    Node { choice, children }
}

/// A classifier among the labels of `labelled` (record index, label); `None` if empty.
fn fit_choice(
    rows: &[SparseVec],
    labelled: &[(usize, &str)],
    options: &TrainOptions,
) -> Option<Choice> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &(_, l) in labelled {
        *counts.entry(l).or_default() += 1;
    }
    if counts.is_empty() {
        return None;
    }
    let labels: Vec<String> = counts.keys().map(|s| s.to_string()).collect();
    if labels.len() == 1 {
        return Some(Choice {
            labels,
            classifier: None,
        });
    }
    let sub_rows: Vec<&SparseVec> = labelled.iter().map(|&(i, _)| &rows[i]).collect();
    let sub_y: Vec<usize> = labelled
        .iter()
        .map(|&(_, l)| labels.iter().position(|x| x == l).unwrap_or(0))
        .collect();
    let classifier =
        LocalLinear::train(&sub_rows, &sub_y, labels.len(), &options.svm, options.seed);
    Some(Choice {
        labels,
        classifier: Some(classifier),
    })
}
