//! Chinese text analysis for jiesu (分析研判): normalization, segmentation and the models
//! built on them. Pure computation: no database, no HTTP.
//!
//! - [`cell`]: text made safe for a spreadsheet cell (no formulas).
//! - [`keyword`]: the words worth showing and comparing (no stop words, no single characters).
//! - [`normalize`]: full-width/half-width folding, whitespace and control characters.
//! - [`segment`]: word segmentation with jieba-rs and a user dictionary.
//! - [`reply`]: reply review (答复评价): relevance, completeness, tone, timeliness.
//! - [`policy`]: a policy document split into its measures, one proposed task each.

pub mod board;
pub mod cell;
pub mod dispatch;
pub mod hot;
pub mod keyword;
pub mod normalize;
pub mod place;
pub mod policy;
pub mod reply;
pub mod segment;
