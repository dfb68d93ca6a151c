//! Smart dispatch (智能派单): suggests an appeal's category (first level and, where the
//! history has them, the lower levels), its responsible body, and the words that decided.
//!
//! - [`dataset`]: training history from CSV/XLSX files or in-memory records.
//! - [`features`]: jieba words and bigrams, character n-grams, a title namespace; TF-IDF.
//! - [`linear`]: one-vs-rest linear SVMs trained by dual coordinate descent.
//! - [`neural`]: a small fastText-style network over the same features.
//! - [`stack`]: the learned blend of the first-level members, which also calibrates.
//! - [`confidence`]: how sure the model is that its first category is right.
//! - [`operating`]: the operating curve — share dispatched on their own against precision.
//! - [`mod@train`]: [`train()`] builds a [`DispatchModel`] with calibrated probabilities.
//! - [`model`]: [`DispatchModel::suggest`], metadata, save/load.
//! - [`mod@evaluate`]: accuracy, macro-F1, stratified folds.
//! - [`adapt`]: [`Adaptation`], what a model learns from a few labelled examples (学习样本)
//!   until the next full retrain, such as a category the centre just added.
//! - `doubt`: how unsure the trained model is of an appeal, which helps a new category
//!   tell its appeals apart.
//!
//! The first-level classifier stacks two members on the same TF-IDF features (anonymized
//! place codes such as `A3区` removed, text read up to its first 300 characters): a blend
//! of a one-vs-rest squared-hinge SVM and an NB-SVM, and a hashed-embedding network with one
//! ReLU layer. Both also learn from a title-only copy of every record that has a text. The
//! blend weights and class biases are learned by log-loss on internal cross-validation,
//! which also calibrates the probabilities. Its figures (`jiesu bench dispatch`) are in the
//! README; the variants measured and left out are in `docs/BENCHMARKS.md`.
//!
//! ```no_run
//! use jiesu_text::dispatch::{Dataset, TrainOptions, train};
//! let data = Dataset::from_csv("history.csv").unwrap();
//! let model = train(&data.records, &TrainOptions::default(), |_, _| {}).unwrap();
//! let s = model.suggest("小区路灯不亮", "天黑后看不见路").unwrap();
//! println!("{:?}", s.top);
//! ```

pub mod adapt;
pub mod confidence;
pub mod dataset;
mod doubt;
pub mod evaluate;
pub mod features;
pub mod linear;
pub mod model;
pub mod neural;
pub mod operating;
pub mod stack;
pub mod train;

pub use adapt::{AdaptOptions, Adaptation, AdaptedClass, LabelledExample};
pub use dataset::{Dataset, DatasetError, TrainingRecord, parse_category_path};
pub use evaluate::{ClassScore, Evaluation, evaluate, stratified_folds};
pub use features::{FeatureConfig, MAX_TEXT_CHARS, MAX_TITLE_CHARS};
pub use linear::SvmParams;
pub use model::{
    DispatchModel, LOW_CONFIDENCE, MODEL_FORMAT_VERSION, ModelError, ModelMeta, ModelMetrics,
    SuggestError, Suggestion,
};
pub use neural::NeuralParams;
pub use operating::{OperatingCurve, OperatingPoint, measure_at};
pub use train::{TrainError, TrainOptions, train};
