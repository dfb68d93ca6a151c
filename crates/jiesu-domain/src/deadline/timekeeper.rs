//! The timekeeper (计时): turns an appeal's events into deadline facts, projects the current
//! stage's [`Deadline`], and says which automatic alert is due — the pure core of the
//! deadline scanner.

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::side::{self, SideClock, SideDue};
use super::{DeadlineFact, DeadlineState, DueTimes, RuleBook};
use crate::appeal::{Appeal, AppealDraft};
use crate::calendar::Calendar;
use crate::event::{Event, EventKind};
use crate::kinds::AppealType;
use crate::lifecycle::preview_intake;
use crate::user::Actor;

/// China Standard Time, in which the calendar and working hours are kept.
const CST_SECONDS: i64 = 8 * 3600;

/// A UTC instant as China's local time.
pub fn china_local(at: DateTime<Utc>) -> NaiveDateTime {
    (at + Duration::seconds(CST_SECONDS)).naive_utc()
}

/// China's local time as a UTC instant.
pub fn from_china_local(at: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at) - Duration::seconds(CST_SECONDS)
}

/// How far the automatic alerts of the current stage have gone (预警级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    #[default]
    None,
    /// The 临期 reminder was sent.
    Warned,
    /// The 超期 notice was sent.
    Overdue,
    /// The case was reported to the superior.
    Escalated,
}

/// An appeal's current deadline: the stage's due times, the alerts already sent, and when
/// the scanner must look at it next.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    pub due: DueTimes,
    pub alerted: AlertLevel,
    /// The next warning, due or escalation point of the stage or a side clock; `None` when
    /// no alert is left to send.
    pub next_check: Option<DateTime<Utc>>,
    /// The open supervision notice's reply date (督办单回复期限), timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervision: Option<SideDue>,
    /// The co-bodies' limit while an opinion is missing (协办时限).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co: Option<SideDue>,
}

impl Deadline {
    /// The side clock `clock`, if it runs.
    pub fn side(&self, clock: SideClock) -> Option<&SideDue> {
        match clock {
            SideClock::Supervision => self.supervision.as_ref(),
            SideClock::CoOpinion => self.co.as_ref(),
        }
    }

    fn side_mut(&mut self, clock: SideClock) -> Option<&mut SideDue> {
        match clock {
            SideClock::Supervision => self.supervision.as_mut(),
            SideClock::CoOpinion => self.co.as_mut(),
        }
    }
}

/// What the scanner should do for an appeal now (自动预警).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alert {
    /// Send the automatic reminder for this state.
    Remind(DeadlineState),
    /// Report the case to the lead body's superior.
    Escalate,
    /// Send the automatic reminder of a side clock (督办单 or 协办) for this state.
    Side(SideClock, DeadlineState),
}

/// The version of [`facts`]' reading of events, part of the [`Timekeeper::fingerprint`]:
/// when it changes, deadlines projected by the earlier reading are projected again (2: an
/// undone merge resumes the stage the merge stopped, where it used to leave none; 3: side
/// clocks, and a return the dispatcher rejected never stopped the body's clock).
const FACTS_VERSION: u32 = 3;

/// The deadline facts an appeal's events establish. An administrative reconsideration
/// (行政复议) must be transferred within its limit from intake, so its clock starts at
/// registration and is not restarted by re-dispatch.
pub fn facts(appeal_type: AppealType, events: &[Event]) -> Vec<DeadlineFact> {
    let reconsideration = appeal_type == AppealType::Reconsideration;
    let rejected = rejected_returns(events);
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let at = china_local(e.at);
        match &e.kind {
            EventKind::Register { .. } if reconsideration => out.push(DeadlineFact::Dispatched(at)),
            EventKind::Dispatch { .. } if !reconsideration => {
                out.push(DeadlineFact::Dispatched(at))
            }
            EventKind::Sign => out.push(DeadlineFact::Signed(at)),
            EventKind::Contact { .. } => out.push(DeadlineFact::Contacted(at)),
            EventKind::Reply { .. } => out.push(DeadlineFact::Replied(at)),
            EventKind::FollowLead { .. } => out.push(DeadlineFact::FollowedLead(at)),
            EventKind::Pause { .. } => out.push(DeadlineFact::Paused(at)),
            EventKind::Resume { .. } => out.push(DeadlineFact::Resumed(at)),
            EventKind::DecideExtension { approve: true, .. } => {
                if let Some(until) = extension_until(events, e.seq) {
                    out.push(DeadlineFact::ExtensionApproved { at, new_due: until });
                }
            }
            // A redo (退回重办, unsolved callback, 重办) gets a fresh limit from now on.
            EventKind::Review { approve: false, .. }
            | EventKind::Callback { solved: false, .. }
            | EventKind::Reopen { .. } => {
                out.extend([
                    DeadlineFact::Dispatched(at),
                    DeadlineFact::Signed(at),
                    DeadlineFact::Contacted(at),
                ]);
            }
            // An invalid return (无效退单) never stopped the body's clock.
            EventKind::Return { .. } if rejected.contains(&e.seq) => {}
            // Waiting for the dispatcher, or finished: no body's clock runs.
            EventKind::Return { .. }
            | EventKind::AnswerDirectly { .. }
            | EventKind::Callback { solved: true, .. }
            | EventKind::Close { .. }
            | EventKind::Archive => out.push(DeadlineFact::Closed(at)),
            // Merged, the lead's handling stands in; an undone merge resumes the stage.
            EventKind::Merge { .. } => out.push(DeadlineFact::Merged(at)),
            EventKind::Unmerge { .. } => out.push(DeadlineFact::Unmerged(at)),
            _ => {}
        }
    }
    out
}

/// The sequence numbers of the returns the dispatcher rejected (驳回退单).
fn rejected_returns(events: &[Event]) -> Vec<i64> {
    let mut pending = None;
    let mut rejected = Vec::new();
    for e in events {
        match &e.kind {
            EventKind::Return { .. } => pending = Some(e.seq),
            EventKind::JudgeReturn { approved, .. } => {
                if let Some(seq) = pending.take()
                    && !approved
                {
                    rejected.push(seq);
                }
            }
            _ => {}
        }
    }
    rejected
}

/// The end of the working day of the extension date requested before event `seq`.
fn extension_until(events: &[Event], seq: i64) -> Option<NaiveDateTime> {
    events
        .iter()
        .rev()
        .filter(|e| e.seq < seq)
        .find_map(|e| match &e.kind {
            EventKind::RequestExtension { until, .. } => until.and_hms_opt(17, 30, 0),
            _ => None,
        })
}

/// The calendar, the time-limit rules and the escalation threshold: everything the
/// deadline logic needs besides the events.
#[derive(Debug, Clone)]
pub struct Timekeeper {
    pub calendar: Calendar,
    pub rules: RuleBook,
    /// Working days overdue after which a case is reported to the superior (上报).
    pub escalate_after_days: u32,
}

impl Default for Timekeeper {
    fn default() -> Self {
        Timekeeper {
            calendar: Calendar::official(),
            rules: RuleBook::defaults(),
            escalate_after_days: 3,
        }
    }
}

impl Timekeeper {
    /// The deadline that runs from intake: only an application for administrative
    /// reconsideration (行政复议) has one (transfer within 2 working days).
    pub fn at_intake(
        &self,
        draft: &AppealDraft,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Option<Deadline> {
        if draft.appeal_type != AppealType::Reconsideration {
            return None;
        }
        let (appeal, event) = preview_intake(draft, actor, at);
        self.deadline(&appeal, &[event])
    }

    /// The deadline of `appeal` (with all its `events`, in order), or `None` when nothing
    /// is timed. Alerts sent since the current stage started count as sent.
    pub fn deadline(&self, appeal: &Appeal, events: &[Event]) -> Option<Deadline> {
        let facts = facts(appeal.appeal_type, events);
        let category = appeal.category.as_ref().map(|c| c.first());
        let rule = self
            .rules
            .rule_for(appeal.appeal_type, category, appeal.urgency);
        let due = DueTimes::compute(&facts, rule, self.rules.warn_share(), &self.calendar)?;
        let alerted = events
            .iter()
            .filter(|e| china_local(e.at) >= due.started_at)
            .filter_map(|e| match &e.kind {
                EventKind::Remind {
                    auto: Some(DeadlineState::Overdue),
                    ..
                } => Some(AlertLevel::Overdue),
                EventKind::Remind { auto: Some(_), .. } => Some(AlertLevel::Warned),
                EventKind::Escalate { .. } => Some(AlertLevel::Escalated),
                _ => None,
            })
            .max()
            .unwrap_or_default();
        let warn_share = self.rules.warn_share();
        let mut deadline = Deadline {
            due,
            alerted,
            next_check: None,
            supervision: side::supervision(appeal, events, &self.calendar, warn_share),
            co: side::co_opinions(
                appeal,
                events,
                &self.calendar,
                warn_share,
                self.rules.co_opinion(),
                rule.reply,
            ),
        };
        deadline.next_check = self.next_check(&deadline);
        Some(deadline)
    }

    /// The deadline after `alert` was recorded on an appeal whose stored deadline is
    /// `deadline` (projected with this timekeeper): the same due times, the alert counted,
    /// the next check moved on. Equal to [`Timekeeper::deadline`] over the log with the
    /// alert's event appended, without reading the log — alerts establish no deadline facts.
    pub fn after_alert(&self, deadline: &Deadline, alert: Alert) -> Deadline {
        let level = match alert {
            Alert::Remind(DeadlineState::Overdue) => AlertLevel::Overdue,
            Alert::Remind(_) => AlertLevel::Warned,
            Alert::Escalate => AlertLevel::Escalated,
            Alert::Side(..) => AlertLevel::None,
        };
        let mut after = Deadline {
            alerted: deadline.alerted.max(level),
            ..*deadline
        };
        if let Alert::Side(clock, state) = alert
            && let Some(side) = after.side_mut(clock)
        {
            *side = side.alerted_with(state);
        }
        after.next_check = self.next_check(&after);
        after
    }

    /// A digest of everything a projected deadline depends on besides the events: rules,
    /// calendar years, working hours and the escalation threshold. Projections stored under
    /// another fingerprint are stale and must be recomputed from the events.
    pub fn fingerprint(&self) -> String {
        let mut basis = Sha256::new();
        basis.update(FACTS_VERSION.to_le_bytes());
        basis.update(self.rules.to_json());
        for year in self.calendar.years() {
            basis.update(self.calendar.to_file_text(year).unwrap_or_default());
        }
        basis.update(format!(
            "{:?}|{}",
            self.calendar.working_hours().intervals(),
            self.escalate_after_days
        ));
        hex::encode(&basis.finalize()[..16])
    }

    /// The state of a deadline at `now`.
    pub fn state(&self, deadline: &Deadline, now: DateTime<Utc>) -> DeadlineState {
        deadline.due.state_at(china_local(now))
    }

    /// The automatic alert due for a deadline at `now`, if any: the first of
    /// [`Timekeeper::alerts_due`].
    pub fn alert_due(&self, deadline: &Deadline, now: DateTime<Utc>) -> Option<Alert> {
        self.alerts_due(deadline, now).next()
    }

    /// The automatic alerts due for a deadline at `now`: the stage's (most serious first),
    /// then the supervision notice's, then the co-bodies'.
    pub fn alerts_due(
        &self,
        deadline: &Deadline,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = Alert> + use<> {
        let local = china_local(now);
        let sides = [SideClock::Supervision, SideClock::CoOpinion].map(|clock| {
            let state = deadline.side(clock)?.alert_due(local)?;
            Some(Alert::Side(clock, state))
        });
        [self.stage_alert_due(deadline, now)]
            .into_iter()
            .chain(sides)
            .flatten()
    }

    /// The stage's automatic alert due at `now`, if any, most serious first.
    fn stage_alert_due(&self, deadline: &Deadline, now: DateTime<Utc>) -> Option<Alert> {
        let local = china_local(now);
        match deadline.due.state_at(local) {
            DeadlineState::Overdue => {
                if deadline.alerted < AlertLevel::Escalated
                    && deadline.due.overdue_working_days(&self.calendar, local)
                        >= self.escalate_after_days
                {
                    Some(Alert::Escalate)
                } else if deadline.alerted < AlertLevel::Overdue {
                    Some(Alert::Remind(DeadlineState::Overdue))
                } else {
                    None
                }
            }
            DeadlineState::Warning if deadline.alerted < AlertLevel::Warned => {
                Some(Alert::Remind(DeadlineState::Warning))
            }
            _ => None,
        }
    }

    /// The next moment the scanner must look at this deadline (the warning point, the due
    /// moment, or the escalation point of the stage, or a side clock's next alert), as UTC;
    /// `None` when every alert was sent.
    pub fn next_check(&self, deadline: &Deadline) -> Option<DateTime<Utc>> {
        self.check_points(deadline).min().map(from_china_local)
    }

    /// The first of the deadline's check points after `now`: where the scanner looks next
    /// when none of the alerts due now can be sent (paused, no superior to escalate to…).
    pub fn next_check_after(
        &self,
        deadline: &Deadline,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let local = china_local(now);
        self.check_points(deadline)
            .filter(|at| *at > local)
            .min()
            .map(from_china_local)
    }

    /// The next alert points of the stage and the side clocks (China's local time).
    fn check_points(&self, deadline: &Deadline) -> impl Iterator<Item = NaiveDateTime> + use<> {
        let sides = [deadline.supervision, deadline.co].map(|side| side?.next_check());
        [self.stage_next_check(deadline)]
            .into_iter()
            .chain(sides)
            .flatten()
    }

    /// The stage's next alert point (China's local time).
    fn stage_next_check(&self, deadline: &Deadline) -> Option<NaiveDateTime> {
        let due = &deadline.due;
        if due.frozen.is_some() {
            return None;
        }
        Some(match deadline.alerted {
            AlertLevel::None => due.warn_at,
            AlertLevel::Warned => due.due_at + Duration::seconds(1),
            AlertLevel::Overdue => self.escalation_point(due),
            AlertLevel::Escalated => return None,
        })
    }

    /// The moment a case becomes `escalate_after_days` working days overdue.
    fn escalation_point(&self, due: &DueTimes) -> NaiveDateTime {
        let per_day = u64::from(self.calendar.working_hours().seconds_per_day());
        self.calendar
            .add_working_seconds(due.due_at, per_day * u64::from(self.escalate_after_days))
    }
}
