//! Assessment facts (考核事实): each dispatch of an appeal to a lead body opens a stint (承办
//!记录) that is scored; the events after it change that stint's facts. The store applies
//! the changes in the same transaction as the event, so the assessment of a month reads a few
//! columns per case instead of every appeal's log.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::appeal::Appeal;
use crate::deadline::{DeadlineState, Stage, china_local};
use crate::event::{Event, EventKind, Satisfaction};
use crate::ids::{AppealId, BodyId};
use crate::status::Status;

/// How long after a case closes a new appeal from the same citizen, or on the same thing at
/// the same place, counts as a repeat (重复诉求).
pub const REPEAT_WINDOW: Duration = Duration::days(30);

/// The stored name of the dispatcher's judgement of a return (退单审核). Read by name so that
/// the assessment counts it as soon as the event is recorded.
pub const JUDGE_RETURN: &str = "judge_return";

/// One change to the assessment facts of an appeal's current stint.
#[derive(Debug, Clone, PartialEq)]
pub enum FactChange {
    /// Dispatched to a lead body: a new stint, the one later changes apply to.
    Stint(NewStint),
    /// A timed stage ended (or went overdue): on time or not. The first outcome of a stage
    /// stands.
    Stage { stage: Stage, on_time: bool },
    /// The body returned the case (退单).
    Returned,
    /// The return was judged: rejected returns are invalid (无效退单).
    ReturnJudged { approved: bool },
    /// The citizen was reached at callback (回访).
    CalledBack { solved: bool },
    /// The citizen's verdict, at callback or rated later; the latest stands.
    Rated(Satisfaction),
    /// A reminder (催办) reached the body.
    Reminded,
    /// A supervision notice (督办单) reached the body.
    Supervised,
    /// Opened again (重办).
    Reopened,
    /// Closed (办结): from now on a new appeal like it is a repeat.
    Closed { at: DateTime<Utc> },
}

/// A stint's opening facts.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStint {
    pub body: BodyId,
    pub dispatched_at: DateTime<Utc>,
    pub registered_at: DateTime<Utc>,
    /// The citizen's phone, to find repeats by the same citizen.
    pub phone: Option<String>,
    /// The category and place, to find repeats about the same thing at the same place.
    pub place_key: Option<String>,
}

impl NewStint {
    /// Appeals closed at or after this moment (and before registration) are repeated by
    /// this one.
    pub fn repeat_since(&self) -> DateTime<Utc> {
        self.registered_at - REPEAT_WINDOW
    }
}

/// The key of "the same thing at the same place": the full category and the place's
/// district, street and address; `None` when either is unknown.
pub fn place_key(appeal: &Appeal) -> Option<String> {
    let category = appeal.category.as_ref()?;
    let place = &appeal.place;
    let address = place.address.trim();
    if address.is_empty() && place.street.is_none() {
        return None;
    }
    Some(format!(
        "{}|{}|{}|{}",
        category.levels().join("/"),
        place.district.as_deref().unwrap_or(""),
        place.street.as_deref().unwrap_or(""),
        address
    ))
}

/// The stage `before` is timed in: its projected deadline's, else read from its state.
fn stage_of(before: &Appeal) -> Option<Stage> {
    if let Some(deadline) = &before.deadline {
        return Some(deadline.due.stage);
    }
    match before.status {
        Status::Dispatched => Some(Stage::Sign),
        Status::Handling if !before.contacted => Some(Stage::Contact),
        Status::Handling => Some(Stage::Reply),
        _ => None,
    }
}

/// Whether an event ending `stage` at `at` came in time: late only when the projected
/// deadline of that stage had passed (an overdue alert marks lateness on its own).
fn on_time(before: &Appeal, stage: Stage, at: DateTime<Utc>) -> bool {
    match &before.deadline {
        Some(d) if d.due.stage == stage => {
            d.due.state_at(china_local(at)) != DeadlineState::Overdue
        }
        _ => true,
    }
}

/// What `event` changes in the assessment facts, given the appeal before and after it.
pub fn changes(before: &Appeal, event: &Event, after: &Appeal) -> Vec<FactChange> {
    let at = event.at;
    let mut out = Vec::new();
    match &event.kind {
        EventKind::Dispatch { lead, .. } => out.push(FactChange::Stint(NewStint {
            body: *lead,
            dispatched_at: at,
            registered_at: after.created_at,
            phone: after.citizen.phone.clone(),
            place_key: place_key(after),
        })),
        EventKind::Sign => out.push(FactChange::Stage {
            stage: Stage::Sign,
            on_time: on_time(before, Stage::Sign, at),
        }),
        EventKind::Contact { .. } => out.push(FactChange::Stage {
            stage: Stage::Contact,
            on_time: on_time(before, Stage::Contact, at),
        }),
        EventKind::Reply { .. } => {
            // A reply without a recorded first contact ends the contact stage too.
            if !before.contacted {
                out.push(FactChange::Stage {
                    stage: Stage::Contact,
                    on_time: on_time(before, Stage::Contact, at),
                });
            }
            out.push(FactChange::Stage {
                stage: Stage::Reply,
                on_time: on_time(before, Stage::Reply, at),
            });
        }
        EventKind::Return { .. } => out.push(FactChange::Returned),
        EventKind::Callback {
            solved,
            satisfaction,
            ..
        } => {
            out.push(FactChange::CalledBack { solved: *solved });
            out.push(FactChange::Rated(*satisfaction));
        }
        EventKind::Rate { satisfaction, .. } => out.push(FactChange::Rated(*satisfaction)),
        EventKind::Remind { auto, .. } => {
            out.push(FactChange::Reminded);
            if *auto == Some(DeadlineState::Overdue)
                && let Some(stage @ (Stage::Sign | Stage::Contact | Stage::Reply)) =
                    stage_of(before)
            {
                out.push(FactChange::Stage {
                    stage,
                    on_time: false,
                });
            }
        }
        EventKind::Supervise { .. } => out.push(FactChange::Supervised),
        EventKind::Reopen { .. } => out.push(FactChange::Reopened),
        other if other.name() == JUDGE_RETURN => {
            let approved = serde_json::to_value(other)
                .ok()
                .and_then(|v| v.get("approved").and_then(|a| a.as_bool()));
            if let Some(approved) = approved {
                out.push(FactChange::ReturnJudged { approved });
            }
        }
        _ => {}
    }
    if after.status == Status::Closed && before.status != Status::Closed {
        out.push(FactChange::Closed { at });
    }
    out
}

/// A stint's facts as stored (承办记录): the row the store keeps, and the fold of the
/// changes for appeals imported with their whole log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stint {
    pub appeal: AppealId,
    /// The sequence number of the dispatch event that opened it.
    pub stint: i64,
    pub body: BodyId,
    pub dispatched_at: DateTime<Utc>,
    #[serde(skip)]
    pub phone: Option<String>,
    #[serde(skip)]
    pub place_key: Option<String>,
    /// Sign stage: `None` undecided, on time or late.
    pub signed: Option<bool>,
    pub contacted: Option<bool>,
    pub replied: Option<bool>,
    pub returned: bool,
    pub return_invalid: bool,
    pub called_back: bool,
    pub solved: bool,
    /// 满意 or 基本满意; `None` before any rating.
    pub satisfied: Option<bool>,
    pub reminders: i64,
    pub supervisions: i64,
    pub reopened: i64,
    pub closed_at: Option<DateTime<Utc>>,
    pub repeated: bool,
    /// Taken out of the counting by an accepted dispute (申诉).
    pub excluded: bool,
}

/// Whether a verdict counts as satisfied (满意 or 基本满意).
pub fn is_satisfied(s: Satisfaction) -> bool {
    matches!(s, Satisfaction::Satisfied | Satisfaction::FairlySatisfied)
}

impl Stint {
    /// A stint as opened by a dispatch.
    pub fn open(appeal: AppealId, stint: i64, new: NewStint) -> Stint {
        Stint {
            appeal,
            stint,
            body: new.body,
            dispatched_at: new.dispatched_at,
            phone: new.phone,
            place_key: new.place_key,
            signed: None,
            contacted: None,
            replied: None,
            returned: false,
            return_invalid: false,
            called_back: false,
            solved: false,
            satisfied: None,
            reminders: 0,
            supervisions: 0,
            reopened: 0,
            closed_at: None,
            repeated: false,
            excluded: false,
        }
    }

    /// Applies a change other than [`FactChange::Stint`] (which opens the next stint).
    pub fn apply(&mut self, change: &FactChange) {
        match change {
            FactChange::Stint(_) => {}
            FactChange::Stage { stage, on_time } => {
                let slot = match stage {
                    Stage::Sign => &mut self.signed,
                    Stage::Contact => &mut self.contacted,
                    Stage::Reply => &mut self.replied,
                    Stage::Close => return,
                };
                slot.get_or_insert(*on_time);
            }
            FactChange::Returned => self.returned = true,
            FactChange::ReturnJudged { approved } => self.return_invalid = !approved,
            FactChange::CalledBack { solved } => {
                self.called_back = true;
                self.solved = *solved;
            }
            FactChange::Rated(s) => self.satisfied = Some(is_satisfied(*s)),
            FactChange::Reminded => self.reminders += 1,
            FactChange::Supervised => self.supervisions += 1,
            FactChange::Reopened => self.reopened += 1,
            FactChange::Closed { at } => self.closed_at = Some(*at),
        }
    }

    /// What cost the body points on this case, in Chinese (扣分原因).
    pub fn losses(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.signed == Some(false) {
            out.push("超时签收");
        }
        if self.contacted == Some(false) {
            out.push("超时联系");
        }
        if self.replied == Some(false) {
            out.push("超期办结");
        }
        if self.called_back && !self.solved {
            out.push("回访未解决");
        }
        if self.satisfied == Some(false) {
            out.push("不满意");
        }
        if self.return_invalid {
            out.push("无效退单");
        }
        if self.repeated {
            out.push("重复诉求");
        }
        out
    }
}

/// The stints of an appeal imported with its whole log: replays the events from the
/// registration and folds their changes (repeats between appeals are the store's to mark).
pub fn stints_of_log(events: &[Event]) -> Vec<Stint> {
    let Some(first) = events.first() else {
        return Vec::new();
    };
    let EventKind::Register { draft } = &first.kind else {
        return Vec::new();
    };
    let mut appeal = crate::lifecycle::registered(
        first.appeal,
        crate::appeal::AppealNumber(String::new()),
        (**draft).clone(),
        first.at,
    );
    let mut stints: Vec<Stint> = Vec::new();
    for event in &events[1..] {
        let before = appeal.clone();
        appeal.apply(event);
        for change in changes(&before, event, &appeal) {
            match change {
                FactChange::Stint(new) => stints.push(Stint::open(event.appeal, event.seq, new)),
                other => {
                    if let Some(current) = stints.last_mut() {
                        current.apply(&other);
                    }
                }
            }
        }
    }
    stints
}
