//! What the appeal page shows of returns, co-bodies and supervision notices (退单 · 协办 ·
//! 督办单): the return waiting for judgement, each co-body's opinion or its absence against the
//! co-bodies' limit, and the supervision notice's reply date against the clock.

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::deadline::{DeadlineState, SideDue, china_local};
use jiesu_domain::event::{Event, EventKind};

use crate::pages::support::{body_name, fmt_due, fmt_time};

/// A side clock's state for a badge: 正常 / 临期 / 超期 and its due moment.
pub struct ClockBadge {
    pub label: &'static str,
    /// The css class: `ok`, `warn` or `late`.
    pub class: &'static str,
    pub due: String,
}

impl ClockBadge {
    fn of(side: &SideDue, now: DateTime<Utc>) -> ClockBadge {
        let (label, class) = match side.state_at(china_local(now)) {
            DeadlineState::Normal => ("正常", "ok"),
            DeadlineState::Warning => ("临期", "warn"),
            DeadlineState::Overdue => ("超期", "late"),
        };
        ClockBadge {
            label,
            class,
            due: format!("截止 {}", fmt_due(side.due_at)),
        }
    }
}

/// One co-body and its opinion (协办意见), if given.
pub struct CoRow {
    pub body: String,
    pub given: bool,
    pub text: String,
    pub at: String,
}

/// The page's view of returns, co-bodies and supervision.
pub struct Cooperation {
    pub co: Vec<CoRow>,
    /// The co-bodies still owing their opinion, joined with 、.
    pub missing: String,
    pub co_clock: Option<ClockBadge>,
    pub supervision_clock: Option<ClockBadge>,
    /// The pending return's body and reason (for the judgement form).
    pub return_reason: String,
    /// The return was approved and the appeal waits to be dispatched elsewhere.
    pub return_approved: bool,
}

impl Cooperation {
    pub fn of(appeal: &Appeal, events: &[Event], bodies: &[Body], now: DateTime<Utc>) -> Self {
        let co = appeal
            .co_bodies
            .iter()
            .map(|b| {
                let opinion = appeal.co_opinions.iter().find(|o| o.body == *b);
                CoRow {
                    body: body_name(bodies, Some(*b)),
                    given: opinion.is_some(),
                    text: opinion.map(|o| o.text.clone()).unwrap_or_default(),
                    at: opinion.map(|o| fmt_time(o.at)).unwrap_or_default(),
                }
            })
            .collect();
        let missing = appeal
            .missing_co_opinions()
            .map(|b| body_name(bodies, Some(b)))
            .collect::<Vec<_>>()
            .join("、");
        let clock = |side: Option<&SideDue>| side.map(|s| ClockBadge::of(s, now));
        let deadline = appeal.deadline.as_ref();
        let return_reason = events
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                EventKind::Return { reason } => {
                    Some(format!("{}（{}）：{reason}", e.actor.name, fmt_time(e.at)))
                }
                _ => None,
            })
            .unwrap_or_default();
        Cooperation {
            co,
            missing,
            co_clock: clock(deadline.and_then(|d| d.co.as_ref())),
            supervision_clock: clock(deadline.and_then(|d| d.supervision.as_ref())),
            return_reason,
            return_approved: appeal.return_approved(),
        }
    }
}
