//! Clocks beside the stage's (附加时限): the reply date of an open supervision notice
//! (督办单) and the co-bodies' limit for their opinions (协办时限). They run whatever the
//! stage does (a pause for the citizen's material stops neither) and are alerted like the
//! stage: 临期 at the warning share of their span, 超期 past their due moment.

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::limit::Limit;
use super::state::DeadlineState;
use super::timekeeper::{AlertLevel, china_local};
use crate::appeal::Appeal;
use crate::calendar::Calendar;
use crate::event::{Event, EventKind};
use crate::kinds::labelled_enum;
use crate::status::Status;

labelled_enum! {
    /// Which clock beside the stage's (附加时限).
    SideClock, "clock" {
        Supervision => "督办单",
        CoOpinion => "协办意见",
    }
}

/// The due times of one side clock and how far its alerts went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideDue {
    pub started_at: NaiveDateTime,
    /// From this moment on the clock is 临期 (unless already 超期).
    pub warn_at: NaiveDateTime,
    /// After this moment it is 超期.
    pub due_at: NaiveDateTime,
    /// The automatic reminders already sent for it.
    #[serde(default)]
    pub alerted: AlertLevel,
}

impl SideDue {
    /// The state at `now` (China's local time).
    pub fn state_at(&self, now: NaiveDateTime) -> DeadlineState {
        if now > self.due_at {
            DeadlineState::Overdue
        } else if now >= self.warn_at {
            DeadlineState::Warning
        } else {
            DeadlineState::Normal
        }
    }

    /// The reminder due at `now`, if one is left to send.
    pub fn alert_due(&self, now: NaiveDateTime) -> Option<DeadlineState> {
        match self.state_at(now) {
            DeadlineState::Overdue if self.alerted < AlertLevel::Overdue => {
                Some(DeadlineState::Overdue)
            }
            DeadlineState::Warning if self.alerted < AlertLevel::Warned => {
                Some(DeadlineState::Warning)
            }
            _ => None,
        }
    }

    /// The next moment an alert falls due (China's local time); `None` when both were sent.
    pub fn next_check(&self) -> Option<NaiveDateTime> {
        match self.alerted {
            AlertLevel::None => Some(self.warn_at),
            AlertLevel::Warned => Some(self.due_at + Duration::seconds(1)),
            AlertLevel::Overdue | AlertLevel::Escalated => None,
        }
    }

    /// The clock with `state`'s reminder counted as sent.
    pub fn alerted_with(self, state: DeadlineState) -> SideDue {
        let level = match state {
            DeadlineState::Overdue => AlertLevel::Overdue,
            _ => AlertLevel::Warned,
        };
        SideDue {
            alerted: self.alerted.max(level),
            ..self
        }
    }
}

/// Whether side clocks run in this state: only while a body works on the appeal.
fn running(appeal: &Appeal) -> bool {
    matches!(appeal.status, Status::Dispatched | Status::Handling)
}

/// The span from `start` to `due` with its warning point at `warn_share` of it, measured in
/// working time (or by the clock for `clock` limits), and the reminders of `clock` sent
/// since `start`.
fn span(
    calendar: &Calendar,
    clock: bool,
    start: NaiveDateTime,
    due: NaiveDateTime,
    warn_share: f64,
    alerted: AlertLevel,
) -> SideDue {
    let warn_at = if clock {
        let total = (due - start).num_seconds().max(0);
        start + Duration::seconds((warn_share * total as f64).ceil() as i64)
    } else {
        let total = calendar.working_seconds_between(start, due).max(0);
        let offset = (warn_share * total as f64).ceil() as i64;
        calendar.moment_at_working_ordinal(calendar.working_ordinal(start) + offset)
    };
    SideDue {
        started_at: start,
        warn_at: warn_at.min(due),
        due_at: due,
        alerted,
    }
}

/// The reminders of `clock` recorded at or after `start`.
fn alerted_since(events: &[Event], clock: SideClock, start: NaiveDateTime) -> AlertLevel {
    events
        .iter()
        .filter(|e| china_local(e.at) >= start)
        .filter_map(|e| match &e.kind {
            EventKind::ClockRemind { clock: c, state } if *c == clock => Some(match state {
                DeadlineState::Overdue => AlertLevel::Overdue,
                _ => AlertLevel::Warned,
            }),
            _ => None,
        })
        .max()
        .unwrap_or_default()
}

/// When the latest event matching `pick` happened (China's local time).
fn last_at(events: &[Event], pick: impl Fn(&EventKind) -> bool) -> Option<NaiveDateTime> {
    events
        .iter()
        .rev()
        .find(|e| pick(&e.kind))
        .map(|e| china_local(e.at))
}

/// The open supervision notice's clock: from the notice to the end of the working hours of
/// its reply date.
pub fn supervision(
    appeal: &Appeal,
    events: &[Event],
    calendar: &Calendar,
    warn_share: f64,
) -> Option<SideDue> {
    let reply_by = appeal.supervised_until.filter(|_| running(appeal))?;
    let start = last_at(events, |k| matches!(k, EventKind::Supervise { .. }))?;
    let due = calendar.end_of_working_day(reply_by);
    let alerted = alerted_since(events, SideClock::Supervision, start);
    Some(span(calendar, false, start, due, warn_share, alerted))
}

/// The co-bodies' clock while one of them has not given its opinion: from the dispatch,
/// within the co-body limit but never later than the lead's reply limit counted from the
/// same dispatch (a co-body answers before the lead must).
pub fn co_opinions(
    appeal: &Appeal,
    events: &[Event],
    calendar: &Calendar,
    warn_share: f64,
    co_limit: Limit,
    lead_reply: Limit,
) -> Option<SideDue> {
    if !running(appeal) || appeal.missing_co_opinions().next().is_none() {
        return None;
    }
    let start = last_at(events, |k| matches!(k, EventKind::Dispatch { .. }))?;
    let (limit, due) = [co_limit, lead_reply]
        .into_iter()
        .map(|l| (l, l.due_from(calendar, start)))
        .min_by_key(|(_, due)| *due)?;
    let alerted = alerted_since(events, SideClock::CoOpinion, start);
    Some(span(
        calendar,
        limit.is_clock(),
        start,
        due,
        warn_share,
        alerted,
    ))
}
