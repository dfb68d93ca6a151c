//! Deadline facts, the precomputed due times of the current stage, and the state at `now`.

use std::borrow::Cow;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::limit::Limit;
use super::rule::TimeLimitRule;
use crate::calendar::Calendar;
use crate::kinds::labelled_enum;

labelled_enum! {
    /// The timed stage an appeal is in (办理环节): each has its own limit in the rule.
    Stage, "stage" {
        Sign => "签收",
        Contact => "联系",
        Reply => "答复",
        Close => "办结",
    }
}

labelled_enum! {
    /// Where a running stage stands against its limit (时限状态): 正常; 临期 (yellow) once
    /// the used share of the limit reaches the warning share; 超期 (red) past the limit.
    DeadlineState, "deadline_state" {
        Normal => "正常",
        Warning => "临期",
        Overdue => "超期",
    }
}

/// A fact of an appeal's history that matters to its deadlines (时限事实). Facts are
/// taken in time order (ties keep the given order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineFact {
    /// Dispatched to a handling body (派单); a later dispatch (re-dispatch after a return)
    /// restarts the sign stage.
    Dispatched(NaiveDateTime),
    /// Signed by the handling body (签收): starts the contact and reply limits.
    Signed(NaiveDateTime),
    /// First contact with the citizen (首次联系).
    Contacted(NaiveDateTime),
    /// Replied (答复): starts the close (callback) limit.
    Replied(NaiveDateTime),
    /// A merged appeal took over its lead's approved answer (随主件答复): starts its own
    /// close (callback) limit, whatever was timed before.
    FollowedLead(NaiveDateTime),
    /// Closed (办结): nothing is timed any more.
    Closed(NaiveDateTime),
    /// Merged into another appeal (并案): the lead is handled instead, so the stage's clock
    /// stops and nothing is timed while merged.
    Merged(NaiveDateTime),
    /// The merge was undone (撤销并案): the stage the merge stopped runs again, the time
    /// spent merged not counted (as a pause).
    Unmerged(NaiveDateTime),
    /// The clock stops, e.g. waiting for the citizen's additional material (补充材料).
    Paused(NaiveDateTime),
    /// The clock runs again.
    Resumed(NaiveDateTime),
    /// An extension of the current stage was approved (延期批准); `new_due` replaces its
    /// due moment. Pauses before `at` are considered settled by the approver.
    ExtensionApproved {
        at: NaiveDateTime,
        new_due: NaiveDateTime,
    },
}

impl DeadlineFact {
    /// When the fact happened.
    pub fn at(&self) -> NaiveDateTime {
        match *self {
            DeadlineFact::Dispatched(at)
            | DeadlineFact::Signed(at)
            | DeadlineFact::Contacted(at)
            | DeadlineFact::Replied(at)
            | DeadlineFact::FollowedLead(at)
            | DeadlineFact::Closed(at)
            | DeadlineFact::Merged(at)
            | DeadlineFact::Unmerged(at)
            | DeadlineFact::Paused(at)
            | DeadlineFact::Resumed(at)
            | DeadlineFact::ExtensionApproved { at, .. } => at,
        }
    }
}

/// The precomputed deadline of an appeal's current stage (当前环节时限): computed once when
/// the facts change and stored, so the state at any `now` is two comparisons
/// ([`DueTimes::state_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DueTimes {
    /// The stage being timed.
    pub stage: Stage,
    /// When that stage's limit started to run.
    pub started_at: NaiveDateTime,
    /// From this moment on the case is 临期 (unless already 超期).
    pub warn_at: NaiveDateTime,
    /// After this moment the case is 超期.
    pub due_at: NaiveDateTime,
    /// Set while the clock is stopped (暂停计时): since when.
    pub paused_since: Option<NaiveDateTime>,
    /// While paused, the state is frozen at the state when the pause began.
    pub frozen: Option<DeadlineState>,
}

impl DueTimes {
    /// The state at `now`. O(1): two comparisons.
    #[inline]
    pub fn state_at(&self, now: NaiveDateTime) -> DeadlineState {
        if let Some(state) = self.frozen {
            state
        } else if now > self.due_at {
            DeadlineState::Overdue
        } else if now >= self.warn_at {
            DeadlineState::Warning
        } else {
            DeadlineState::Normal
        }
    }

    /// Whole working days by which the stage is overdue at `now` (0 if not overdue); a
    /// paused case stops counting. See [`overdue_working_days`].
    pub fn overdue_working_days(&self, calendar: &Calendar, now: NaiveDateTime) -> u32 {
        let now = self.paused_since.map_or(now, |p| now.min(p));
        overdue_working_days(calendar, self.due_at, now)
    }

    /// Computes the due times of the current stage from the facts, the rule and the
    /// calendar, with `warn_share` (e.g. 0.8) of the limit as the warning point.
    /// `None` when nothing is timed (not dispatched yet, or closed).
    ///
    /// * The stage is the first unmet one: sign (from dispatch), then contact (from
    ///   signing), then reply (also from signing), then close (from the reply).
    /// * The used share is measured in working time for working-day and working-hour
    ///   limits, and by the clock for clock-hour limits.
    /// * Completed pauses within the stage push both moments back by the paused time
    ///   (working or clock time, as the limit runs); during an open pause the state is
    ///   frozen at what it was when the pause began.
    /// * The result is exact for any `now` after the last fact — recompute when a fact is
    ///   added.
    pub fn compute(
        facts: &[DeadlineFact],
        rule: &TimeLimitRule,
        warn_share: f64,
        calendar: &Calendar,
    ) -> Option<DueTimes> {
        let facts: Cow<'_, [DeadlineFact]> = if facts.is_sorted_by_key(DeadlineFact::at) {
            Cow::Borrowed(facts)
        } else {
            let mut sorted = facts.to_vec();
            sorted.sort_by_key(DeadlineFact::at);
            Cow::Owned(sorted)
        };
        let (stage, walk) = Walk::run(&facts)?;
        let limit = rule.limit(stage);
        Some(walk.due_times(stage, limit, warn_share.clamp(0.0, 1.0), calendar))
    }
}

/// Working days by which `due_at` is exceeded at `now`: whole days of working time
/// (7 hours each by default) elapsed after `due_at`, 0 if `now <= due_at`. Used for
/// escalation (after N working days overdue, 上报上级).
pub fn overdue_working_days(calendar: &Calendar, due_at: NaiveDateTime, now: NaiveDateTime) -> u32 {
    if now <= due_at {
        return 0;
    }
    let per_day = i64::from(calendar.working_hours().seconds_per_day());
    let days = calendar.working_seconds_between(due_at, now) / per_day;
    u32::try_from(days).unwrap_or(u32::MAX)
}

/// The state of the facts after reading them all.
struct Walk {
    /// The stage being timed, if any.
    stage: Option<Stage>,
    /// When the stage's limit started (dispatch, signing or reply).
    origin: NaiveDateTime,
    /// The latest extension approved in the stage: (approved at, new due).
    extension: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Pauses since `origin`: (start, end if resumed).
    pauses: Vec<(NaiveDateTime, Option<NaiveDateTime>)>,
    /// While merged: the stage the merge stopped, and when.
    merged: Option<(Stage, NaiveDateTime)>,
}

impl Walk {
    fn run(facts: &[DeadlineFact]) -> Option<(Stage, Walk)> {
        let mut walk = Walk {
            stage: None,
            origin: NaiveDateTime::MIN,
            extension: None,
            pauses: Vec::new(),
            merged: None,
        };
        for fact in facts {
            walk.apply(*fact);
        }
        walk.stage.map(|stage| (stage, walk))
    }

    /// Enters `stage`; a new origin restarts the limit and forgets earlier pauses.
    fn enter(&mut self, stage: Option<Stage>, origin: Option<NaiveDateTime>) {
        self.stage = stage;
        self.extension = None;
        self.merged = None;
        if let Some(origin) = origin {
            self.origin = origin;
            self.pauses.clear();
        }
    }

    fn apply(&mut self, fact: DeadlineFact) {
        match fact {
            DeadlineFact::Dispatched(at) => self.enter(Some(Stage::Sign), Some(at)),
            DeadlineFact::Signed(at) => {
                if matches!(self.stage, None | Some(Stage::Sign)) {
                    self.enter(Some(Stage::Contact), Some(at));
                }
            }
            DeadlineFact::Contacted(_) => {
                if self.stage == Some(Stage::Contact) {
                    // The reply limit runs from signing too: keep origin and pauses.
                    self.enter(Some(Stage::Reply), None);
                }
            }
            DeadlineFact::Replied(at) => {
                if self.stage.is_some_and(|s| s != Stage::Close) {
                    self.enter(Some(Stage::Close), Some(at));
                }
            }
            DeadlineFact::FollowedLead(at) => self.enter(Some(Stage::Close), Some(at)),
            DeadlineFact::Closed(at) => self.enter(None, Some(at)),
            // The stage is set aside with its origin, pauses and extension, not ended.
            DeadlineFact::Merged(at) => self.merged = self.stage.take().map(|s| (s, at)),
            DeadlineFact::Unmerged(at) => {
                if let Some((stage, since)) = self.merged.take() {
                    self.stage = Some(stage);
                    // An open pause (waiting for material) already covers the merged time.
                    if !self.pauses.last().is_some_and(|(_, end)| end.is_none()) {
                        self.pauses.push((since, Some(at)));
                    }
                }
            }
            DeadlineFact::Paused(at) => {
                let open = self.pauses.last().is_some_and(|(_, end)| end.is_none());
                if self.stage.is_some() && !open {
                    self.pauses.push((at, None));
                }
            }
            DeadlineFact::Resumed(at) => {
                if let Some((_, end @ None)) = self.pauses.last_mut() {
                    *end = Some(at);
                }
            }
            DeadlineFact::ExtensionApproved { at, new_due } => {
                if self.stage.is_some() {
                    self.extension = Some((at, new_due));
                }
            }
        }
    }

    fn due_times(
        &self,
        stage: Stage,
        limit: Limit,
        warn_share: f64,
        calendar: &Calendar,
    ) -> DueTimes {
        let clock = limit.is_clock();
        let measure = |from: NaiveDateTime, to: NaiveDateTime| -> i64 {
            let seconds = if clock {
                (to - from).num_seconds()
            } else {
                calendar.working_seconds_between(from, to)
            };
            seconds.max(0)
        };
        let start = self.origin;
        let (due_base, settled_until) = match self.extension {
            Some((at, new_due)) => (new_due, at),
            None => (limit.due_from(calendar, start), start),
        };
        let total = measure(start, due_base);
        let warn_offset = ((warn_share * total as f64).ceil() as i64).min(total);
        let advance = |from: NaiveDateTime, seconds: i64| -> NaiveDateTime {
            if seconds <= 0 {
                from
            } else if clock {
                from.checked_add_signed(Duration::seconds(seconds))
                    .unwrap_or(NaiveDateTime::MAX)
            } else {
                calendar.moment_at_working_ordinal(calendar.working_ordinal(from) + seconds)
            }
        };
        // Shift by the pauses after `settled_until` that began before the (shifted) due
        // moment — a pause cannot undo an overrun; an open pause freezes the state.
        let mut shift = 0;
        let mut open_since = None;
        for &(begin, end) in &self.pauses {
            let begin = begin.max(settled_until);
            match end {
                Some(end) if begin <= advance(due_base, shift) => shift += measure(begin, end),
                Some(_) => {}
                None => open_since = Some(begin),
            }
        }
        let due_at = advance(due_base, shift);
        let warn_at = advance(start, warn_offset + shift).min(due_at);
        let mut times = DueTimes {
            stage,
            started_at: start,
            warn_at,
            due_at,
            paused_since: None,
            frozen: None,
        };
        if let Some(since) = open_since {
            times.frozen = Some(times.state_at(since));
            times.paused_since = Some(since);
        }
        times
    }
}
