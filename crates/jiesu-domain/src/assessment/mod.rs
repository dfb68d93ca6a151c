//! Assessment of bodies (考核): the per-case facts each event establishes, the rates (三率 and
//! the rest) over a period, their 95% intervals, the admin's weights and tiers, and the
//! weighted score and ranking. Pure: the store keeps the facts, the application reads them.
//!
//! - [`facts`]: what an event changes in the assessment facts of the case (考核事实).
//! - [`period`]: the period assessed (考核周期): month, quarter, year or a custom range.
//! - [`rates`]: the counts of a body over a period and the rates they give, with Wilson
//!   intervals.
//! - [`weights`]: the weights of the rates, the tiers, the minimum case count (考核权重).
//! - [`score`]: the weighted score and the ranking within each tier (排名).
//! - [`dispute`]: a body's appeal against a case's counting (申诉).

pub mod dispute;
pub mod facts;
pub mod period;
pub mod rates;
pub mod score;
pub mod weights;
