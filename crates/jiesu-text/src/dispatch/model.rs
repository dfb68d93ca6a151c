//! The trained dispatch model: suggestion, explanation, metadata and (de)serialization.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::confidence::{ConfidenceModel, signals};
use super::features::{Prepared, SparseVec, Vectorizer};
use super::linear::{LinearOvr, LocalLinear, softmax};
use super::neural::SparseNet;
use super::operating::OperatingCurve;
use super::stack::Stacker;
use crate::segment::Segmenter;

/// Version of the model file format; a model of another version must be retrained.
pub const MODEL_FORMAT_VERSION: u32 = 3;
const MAGIC: &[u8; 4] = b"JSDM";

/// Below this top-1 probability a suggestion is flagged as low confidence (a dispatcher
/// should choose by hand).
pub const LOW_CONFIDENCE: f32 = 0.5;
/// How many categories a suggestion lists.
pub const TOP_K: usize = 3;
/// How many explanation words a suggestion lists, at most.
pub const EXPLANATION_WORDS: usize = 8;

/// Why no suggestion could be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SuggestError {
    #[error("诉求标题和内容均为空，无法推荐分类")]
    EmptyText,
}

/// Errors saving or loading a model.
#[derive(Debug, Error)]
pub enum ModelError {
    #[error("无法读写模型文件 {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("不是派单模型文件")]
    NotAModel,
    #[error("模型文件版本 {found} 与当前程序支持的版本 {expected} 不符，请重新训练")]
    Version { found: u32, expected: u32 },
    #[error("模型文件已损坏: {0}")]
    Corrupt(String),
    #[error("模型无法序列化: {0}")]
    Encode(String),
}

/// Quality measured while training, on data the model being measured had not seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    pub accuracy: f64,
    pub macro_f1: f64,
    /// Number of internal cross-validation folds the figures come from.
    pub folds: usize,
}

/// What the model is and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMeta {
    /// `jiesu-dispatch/<format>` plus the crate version that trained it.
    pub version: String,
    /// When it was trained, as given by the caller (e.g. RFC 3339).
    pub trained_at: String,
    /// Training records used.
    pub n_records: usize,
    /// Size of the learned vocabulary.
    pub n_features: usize,
    /// Internal cross-validation figures, if computed.
    pub metrics: Option<ModelMetrics>,
    /// Share dispatched on their own against precision, from the internal cross-validation
    /// (absent without it, and in the metadata of models trained before it existed).
    #[serde(default)]
    pub operating_curve: Option<OperatingCurve>,
}

/// A suggested category path and responsible body for one appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Up to three first-level categories with calibrated probabilities, best first (the
    /// probabilities sum to at most 1).
    pub top: Vec<(String, f32)>,
    /// Lower levels under the best first-level category, level 2 first, each with its
    /// probability given the level above; empty when the history has no lower levels.
    pub lower_levels: Vec<(String, f32)>,
    /// Suggested responsible body with its probability given the category, when the
    /// history records bodies for that category.
    pub body: Option<(String, f32)>,
    /// Words of the appeal that weighed most for the best category, heaviest first.
    pub explanation: Vec<(String, f32)>,
    /// How sure the model is that the first category is right (0–1), the score automatic
    /// dispatch compares with its threshold; the top-1 probability for models without a
    /// learned confidence.
    pub confidence: f32,
    /// True when the dispatcher should not trust the suggestion without reading.
    pub low_confidence: bool,
    /// Why the confidence is low, for people (Chinese), if it is.
    pub note: Option<String>,
    /// True when the text was longer than [`super::MAX_TEXT_CHARS`] and was cut.
    pub truncated: bool,
}

/// Choice among the labels under one node of the category tree (or among bodies).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Choice {
    pub labels: Vec<String>,
    /// `None` when there is only one label to choose.
    pub classifier: Option<LocalLinear>,
}

impl Choice {
    fn best(&self, x: &[(u32, f32)], temperature: f32) -> Option<(usize, f32)> {
        match (&self.classifier, self.labels.len()) {
            (_, 0) => None,
            (None, _) => Some((0, 1.0)),
            (Some(c), _) => {
                let p = softmax(&c.scores(x), temperature);
                p.iter()
                    .copied()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
            }
        }
    }
}

/// A node of the category tree below the first level.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Node {
    pub choice: Choice,
    /// Parallel to `choice.labels`.
    pub children: Vec<Node>,
}

/// Scores of every first-level ensemble member for one appeal: the linear model's decision
/// values, then the neural model's log-probabilities (if any).
pub(crate) fn member_scores(
    top: &LinearOvr,
    neural: Option<&SparseNet>,
    x: &[(u32, f32)],
) -> Vec<Vec<f32>> {
    let mut out = vec![top.scores(x)];
    if let Some(n) = neural {
        out.push(n.log_probs(x));
    }
    out
}

/// The trained classifier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DispatchModel {
    pub(crate) meta: ModelMeta,
    pub(crate) vectorizer: Vectorizer,
    pub(crate) labels: Vec<String>,
    pub(crate) top: LinearOvr,
    /// The neural member of the first-level ensemble, if trained.
    pub(crate) neural: Option<SparseNet>,
    /// Blend of the first-level members' scores into calibrated logits.
    pub(crate) stack: Stacker,
    /// The confidence that the first category is right, if learned.
    pub(crate) confidence: Option<ConfidenceModel>,
    /// Temperature of the lower levels' and bodies' softmax.
    pub(crate) temperature: f32,
    /// Share of each first-level category in the history.
    pub(crate) prior: Vec<f32>,
    /// Per first-level category: the tree of its lower levels.
    pub(crate) tree: Vec<Node>,
    /// Per first-level category: the choice of responsible body, if the history has bodies.
    pub(crate) bodies: Vec<Option<Choice>>,
    #[serde(skip)]
    pub(crate) segmenter: Segmenter,
}

impl DispatchModel {
    /// The model's metadata.
    pub fn meta(&self) -> &ModelMeta {
        &self.meta
    }

    /// First-level categories the model knows.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub(crate) fn vectorize(
        &self,
        p: &Prepared,
        want_words: bool,
    ) -> (SparseVec, Vec<(u64, String)>) {
        let raw = self
            .vectorizer
            .config
            .extract(&self.segmenter, p, want_words);
        (self.vectorizer.transform(&raw), raw.words)
    }

    /// The first-level members' scores of a vectorized appeal.
    fn members(&self, x: &[(u32, f32)]) -> Vec<Vec<f32>> {
        member_scores(&self.top, self.neural.as_ref(), x)
    }

    /// Suggests category, lower levels and body for an appeal. Text beyond
    /// [`super::MAX_TEXT_CHARS`] characters is ignored. Text without Chinese or without any
    /// known word gives a low-confidence answer close to the history's category shares.
    pub fn suggest(&self, title: &str, text: &str) -> Result<Suggestion, SuggestError> {
        let p = Prepared::new(title, text);
        if p.is_empty() {
            return Err(SuggestError::EmptyText);
        }
        let truncated = p.truncated;
        let (x, words) = self.vectorize(&p, true);
        let members = self.members(&x);
        let mut probs = softmax(&self.stack.logits(&members), 1.0);
        let mut confidence = match &self.confidence {
            Some(c) => c.predict(&signals(&members, &probs)),
            None => probs.iter().copied().fold(0.0, f32::max),
        };

        let known_words = words
            .iter()
            .filter(|(k, _)| self.vectorizer.index_of(*k).is_some())
            .count();
        let mut note = None;
        if !p.has_han() || known_words == 0 {
            // Nothing the history can speak to: fall back towards the category shares.
            for (q, prior) in probs.iter_mut().zip(&self.prior) {
                *q = 0.2 * *q + 0.8 * prior;
            }
            confidence = confidence.min(probs.iter().copied().fold(0.0, f32::max));
            note = Some(if p.has_han() {
                "诉求内容中没有历史诉求中出现过的词语，推荐仅供参考，请人工判断".to_string()
            } else {
                "诉求内容不含中文描述（如仅有数字或外文），推荐仅供参考，请人工判断".to_string()
            });
        }

        let mut order: Vec<usize> = (0..probs.len()).collect();
        order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
        let best = order[0];
        let top: Vec<(String, f32)> = order
            .iter()
            .take(TOP_K)
            .map(|&i| (self.labels[i].clone(), probs[i]))
            .collect();
        let low_confidence = note.is_some() || probs[best] < LOW_CONFIDENCE;
        if low_confidence && note.is_none() {
            note = Some("模型把握不大，请派单员确认分类".to_string());
        }

        let explanation = self.explain(&x, &words, best);

        let mut lower_levels = Vec::new();
        let mut node = self.tree.get(best);
        while let Some(n) = node {
            match n.choice.best(&x, self.temperature) {
                Some((i, q)) => {
                    lower_levels.push((n.choice.labels[i].clone(), q));
                    node = n.children.get(i);
                }
                None => break,
            }
        }
        let body = self
            .bodies
            .get(best)
            .and_then(Option::as_ref)
            .and_then(|c| {
                c.best(&x, self.temperature)
                    .map(|(i, q)| (c.labels[i].clone(), q))
            });

        Ok(Suggestion {
            top,
            lower_levels,
            body,
            explanation,
            confidence,
            low_confidence,
            note,
            truncated,
        })
    }

    /// Words whose features pushed most towards class `c`.
    fn explain(&self, x: &[(u32, f32)], words: &[(u64, String)], c: usize) -> Vec<(String, f32)> {
        let mut by_word: HashMap<&str, f32> = HashMap::new();
        let mut unique: Vec<&(u64, String)> = words.iter().collect();
        unique.sort_unstable_by_key(|(k, _)| *k);
        unique.dedup_by_key(|(k, _)| *k);
        for (key, word) in unique {
            let Some(f) = self.vectorizer.index_of(*key) else {
                continue;
            };
            let Ok(pos) = x.binary_search_by_key(&f, |&(i, _)| i) else {
                continue;
            };
            let contribution = x[pos].1 * self.top.weight(f, c);
            *by_word.entry(word.as_str()).or_insert(0.0) += contribution;
        }
        let mut out: Vec<(String, f32)> = by_word
            .into_iter()
            .filter(|&(w, v)| v > 0.0 && crate::keyword::is_keyword(w))
            .map(|(w, v)| (w.to_string(), v))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(EXPLANATION_WORDS);
        out
    }

    /// The model as bytes: a 4-byte magic, the format version, then the postcard encoding.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&MODEL_FORMAT_VERSION.to_le_bytes());
        let body = postcard::to_allocvec(self).map_err(|e| ModelError::Encode(e.to_string()))?;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Reads a model written by [`DispatchModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<DispatchModel, ModelError> {
        if bytes.len() < 8 || &bytes[..4] != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let mut version = [0u8; 4];
        version.copy_from_slice(&bytes[4..8]);
        let found = u32::from_le_bytes(version);
        if found != MODEL_FORMAT_VERSION {
            return Err(ModelError::Version {
                found,
                expected: MODEL_FORMAT_VERSION,
            });
        }
        let mut model: DispatchModel =
            postcard::from_bytes(&bytes[8..]).map_err(|e| ModelError::Corrupt(e.to_string()))?;
        model.vectorizer.rebuild_index();
        Ok(model)
    }

    /// Writes the model to a file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), ModelError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()?).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Reads a model from a file.
    pub fn load(path: impl AsRef<Path>) -> Result<DispatchModel, ModelError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        DispatchModel::from_bytes(&bytes)
    }
}
