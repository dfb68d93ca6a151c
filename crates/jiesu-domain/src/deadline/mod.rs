//! Time limits and deadline states (时限).
//!
//! * [`Limit`] and [`TimeLimitRule`] — the limits of each stage (sign, contact, reply,
//!   close) for a kind of appeal; [`RuleBook`] picks the most specific rule and carries the
//!   warning share (临期比例, default 0.8). All serde-serializable for the admin and store.
//! * [`DeadlineFact`] — what happened to an appeal (dispatch, signing, pauses, extensions…).
//! * [`DueTimes`] — computed from the facts when they change and stored; the
//!   [`DeadlineState`] at any `now` is then two comparisons, cheap enough for a million open
//!   appeals per second and core.
//! * [`overdue_working_days`] — how long a case has been overdue, for escalation.
//! * [`SideDue`] — the clocks beside the stage's: a supervision notice's reply date (督办单)
//!   and the co-bodies' limit (协办时限).
//! * [`Timekeeper`] — facts from an appeal's events, its projected [`Deadline`], and the
//!   automatic alert (临期催办, 超期提醒, 上报) due at a moment.

mod error;
mod limit;
mod rule;
mod side;
mod state;
#[cfg(test)]
mod tests;
mod timekeeper;

pub use error::RuleError;
pub use limit::Limit;
pub use rule::{DEFAULT_CO_OPINION, DEFAULT_WARN_SHARE, RuleBook, TimeLimitRule};
pub use side::{SideClock, SideDue};
pub use state::{DeadlineFact, DeadlineState, DueTimes, Stage, overdue_working_days};
pub use timekeeper::{
    Alert, AlertLevel, Deadline, Timekeeper, china_local, facts, from_china_local,
};

use chrono::NaiveDateTime;

use crate::calendar::Calendar;
use crate::kinds::{AppealType, Urgency};

impl RuleBook {
    /// [`DueTimes::compute`] with the rule that applies to the appeal and this book's
    /// warning share.
    pub fn due_times(
        &self,
        facts: &[DeadlineFact],
        appeal_type: AppealType,
        category_l1: Option<&str>,
        urgency: Urgency,
        calendar: &Calendar,
    ) -> Option<DueTimes> {
        let rule = self.rule_for(appeal_type, category_l1, urgency);
        DueTimes::compute(facts, rule, self.warn_share(), calendar)
    }

    /// The state at `now` straight from the facts (computes the due times; for many
    /// appeals store [`DueTimes`] instead and call [`DueTimes::state_at`]).
    pub fn state_at(
        &self,
        facts: &[DeadlineFact],
        appeal_type: AppealType,
        category_l1: Option<&str>,
        urgency: Urgency,
        calendar: &Calendar,
        now: NaiveDateTime,
    ) -> Option<DeadlineState> {
        self.due_times(facts, appeal_type, category_l1, urgency, calendar)
            .map(|due| due.state_at(now))
    }
}
