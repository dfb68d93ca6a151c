//! Smart dispatch (智能派单): suggests an appeal's category (first level and, where the
//! history has them, the lower levels), its responsible body, and the words that decided.
//!
//! - [`dataset`]: training history from CSV/XLSX files or in-memory records.
//! - [`features`]: jieba words and bigrams, character n-grams, a title namespace; TF-IDF.
//! - [`linear`]: one-vs-rest linear SVMs trained by dual coordinate descent.
//! - [`train`]: [`train()`] builds a [`DispatchModel`] with calibrated probabilities.
//! - [`model`]: [`DispatchModel::suggest`], metadata, save/load.
//! - [`evaluate`]: accuracy, macro-F1, stratified folds.
//! - [`bench`]: [`bench_dispatch`], ours against the classical baseline.
//!
//! ```no_run
//! use jiesu_text::dispatch::{Dataset, TrainOptions, train};
//! let data = Dataset::from_csv("history.csv").unwrap();
//! let model = train(&data.records, &TrainOptions::default(), |_, _| {}).unwrap();
//! let s = model.suggest("小区路灯不亮", "晚上一片漆黑").unwrap();
//! println!("{:?}", s.top);
//! ```

pub mod bench;
pub mod dataset;
pub mod evaluate;
pub mod features;
pub mod linear;
pub mod model;
pub mod train;

pub use bench::{DispatchBenchReport, bench_dispatch};
pub use dataset::{Dataset, DatasetError, TrainingRecord, parse_category_path};
pub use evaluate::{ClassScore, Evaluation, cross_validate, evaluate, stratified_folds};
pub use features::{FeatureConfig, MAX_TEXT_CHARS, MAX_TITLE_CHARS};
pub use linear::SvmParams;
pub use model::{
    DispatchModel, LOW_CONFIDENCE, MODEL_FORMAT_VERSION, ModelError, ModelMeta, ModelMetrics,
    SuggestError, Suggestion,
};
pub use train::{TrainError, TrainOptions, train};
