//! Chinese text analysis for jiesu (分析研判): normalization, segmentation and the models
//! built on them. Pure computation: no database, no HTTP.
//!
//! - [`normalize`]: full-width/half-width folding, whitespace and control characters.
//! - [`segment`]: word segmentation with jieba-rs and a user dictionary.

pub mod dispatch;
pub mod hot;
pub mod normalize;
pub mod place;
pub mod segment;
