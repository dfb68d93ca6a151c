//! Smart dispatch (智能派单): the assistant that suggests category and body for a text, and
//! training its model from the centre's own history.

pub mod assistant;
pub mod auto;
pub mod learning;
pub mod learning_examples;
pub mod retrain;
pub mod training;

pub use assistant::{
    ActiveModel, Assistant, DEFAULT_MANUAL_THRESHOLD, DispatchSuggestion, SuggestedBody,
};
pub use auto::{AutoDispatchFigures, ModelSummary};
pub use jiesu_text::dispatch::OperatingCurve;
pub use learning::{Example, ExampleSource};
pub use learning_examples::{Advance, LearningExamples};
pub use retrain::{Decision, LearningReport, RetrainRun};
pub use training::{MODEL_KIND, records_from_store, train_and_store};
