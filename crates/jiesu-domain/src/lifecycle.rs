//! The lifecycle of an appeal (诉求流转): which action is legal in which state and for whom,
//! and how each event changes the appeal. The only place transitions are decided.

use chrono::{DateTime, Utc};

use crate::action::Action;
use crate::appeal::{
    Appeal, AppealDraft, AppealNumber, CallbackResult, CoOpinion, ExtensionRequest, clean_text,
};
use crate::error::DomainError;
use crate::event::{Event, EventKind};
use crate::ids::AppealId;
use crate::status::Status;
use crate::user::{Actor, Role};

/// Longest reason, note or reply accepted, in characters.
pub const MAX_NOTE_CHARS: usize = 5_000;

/// Unanswered callback attempts (回访未接通) after which the centre may close (办结) an
/// appeal without the citizen's answer.
pub const UNREACHED_BEFORE_CLOSE: u32 = 3;

/// The appeal a registration creates.
pub fn registered(
    id: AppealId,
    number: AppealNumber,
    draft: AppealDraft,
    at: DateTime<Utc>,
) -> Appeal {
    Appeal {
        id,
        number,
        channel: draft.channel,
        appeal_type: draft.appeal_type,
        title: draft.title,
        text: draft.text,
        citizen: draft.citizen,
        place: draft.place,
        category: draft.category,
        urgency: draft.urgency,
        suggested: draft.suggested,
        status: Status::Registered,
        lead_body: None,
        co_bodies: vec![],
        merged_into: None,
        merged_from: None,
        pending_extension: None,
        extended_until: None,
        last_reply: None,
        callback: None,
        callback_attempts: 0,
        answered_directly: false,
        return_count: 0,
        returned_from: None,
        co_opinions: vec![],
        reopen_count: 0,
        contacted: false,
        paused: false,
        flagged: false,
        auto_dispatched: None,
        reminders: 0,
        supervised_until: None,
        escalated_to: None,
        citizen_rating: None,
        deadline: None,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

/// An intake as it will be registered, before the store gives it an id and a number: the
/// appeal and its registration event. What is decided at intake — the deadline that runs
/// from it, an answer on the spot (直办) — depends on neither.
pub fn preview_intake(draft: &AppealDraft, actor: &Actor, at: DateTime<Utc>) -> (Appeal, Event) {
    let appeal = registered(AppealId(0), AppealNumber(String::new()), draft.clone(), at);
    let event = Event::new(
        AppealId(0),
        1,
        EventKind::Register {
            draft: Box::new(draft.clone()),
        },
        actor.clone(),
        at,
        "",
    );
    (appeal, event)
}

/// Rebuilds an appeal from its full event log (the first event must be the registration).
pub fn replay(id: AppealId, number: AppealNumber, events: &[Event]) -> Option<Appeal> {
    let (first, rest) = events.split_first()?;
    let EventKind::Register { draft } = &first.kind else {
        return None;
    };
    let mut appeal = registered(id, number, (**draft).clone(), first.at);
    for event in rest {
        appeal.apply(event);
    }
    Some(appeal)
}

fn required(field: &'static str, value: &str) -> Result<(), DomainError> {
    clean_text(field, value, MAX_NOTE_CHARS, true).map(drop)
}

fn optional(field: &'static str, value: &str) -> Result<(), DomainError> {
    clean_text(field, value, MAX_NOTE_CHARS, false).map(drop)
}

fn refused(message: &str) -> DomainError {
    DomainError::Refused(message.to_string())
}

impl Appeal {
    /// Decides whether `actor` may do `kind` now. Nothing changes; on success the caller
    /// records the event and [`Appeal::apply`]s it. The rules in order: who may take the
    /// action, in which state, what the appeal must be like (e.g. a pending extension to
    /// decide), then the details asked with it.
    pub fn check(
        &self,
        kind: &EventKind,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let action = kind.action();
        if !action.is_some_and(|a| self.role_allows(a, actor)) {
            return Err(self.role_refusal(kind, action, actor));
        }
        let Some(action) = action.filter(|a| self.state_allows(*a)) else {
            return Err(DomainError::IllegalTransition {
                state: self.status.label(),
                action: kind.label(),
            });
        };
        self.check_facts(action)?;
        // A dispatch is the system's exactly when it records the model's decision.
        if let EventKind::Dispatch { auto, .. } = kind
            && auto.is_some() != actor.system
        {
            return Err(refused("自动派单只能由系统执行，系统只能自动派单"));
        }
        self.check_payload(kind, at)
    }

    /// The actions `actor` may take now, in [`Action::ALL`] order: those whose role, state
    /// and appeal rules pass. Each can be done with some details; which ones, [`Appeal::check`]
    /// decides when it is asked for.
    pub fn allowed_actions(&self, actor: &Actor) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|&a| {
                self.role_allows(a, actor) && self.state_allows(a) && self.check_facts(a).is_ok()
            })
            .collect()
    }

    /// The allowed actions that take the current step (当前环节) forward, in the order to
    /// offer them: dispatch or an answer on the spot for a new appeal, signing, the reply
    /// (the decision on a pending extension first, the first contact while it has its own
    /// time limit), the review, the callback with its
    /// outcomes, archiving. Pages open these and fold the other allowed actions away.
    pub fn step_actions(&self, actor: &Actor) -> Vec<Action> {
        use Action::*;
        let step: &[Action] = match self.status {
            Status::Registered => &[Dispatch, AnswerDirectly],
            Status::Returned => &[JudgeReturn, Dispatch, AnswerDirectly],
            Status::Dispatched => &[Sign, CoOpinion, Recall],
            Status::Handling => &[DecideExtension, SuperviseReply, CoOpinion, Contact, Reply],
            Status::Replied => &[Review],
            Status::AwaitingCallback => &[Callback, CallbackUnreached, Close],
            Status::Closed => &[Archive],
            Status::Merged | Status::Archived => &[],
        };
        let allowed = self.allowed_actions(actor);
        step.iter()
            .copied()
            .filter(|a| allowed.contains(a))
            .collect()
    }

    /// A handler of the lead body (主办单位).
    fn is_lead_handler(&self, actor: &Actor) -> bool {
        actor.role == Some(Role::Handler) && actor.body.is_some() && actor.body == self.lead_body
    }

    /// A handler of a co-body (协办单位) that is not the lead.
    fn is_co_handler(&self, actor: &Actor) -> bool {
        actor.role == Some(Role::Handler)
            && actor
                .body
                .is_some_and(|b| self.co_bodies.contains(&b) && Some(b) != self.lead_body)
    }

    /// Who may take `action` on this appeal.
    fn role_allows(&self, action: Action, actor: &Actor) -> bool {
        use Role::*;
        let role = actor.role;
        match action {
            Action::FollowLead | Action::AutoRemind => actor.system,
            Action::AnswerDirectly => matches!(role, Some(Operator | Admin)),
            Action::Dispatch => actor.system || matches!(role, Some(Dispatcher | Admin)),
            Action::Merge | Action::Unmerge | Action::JudgeReturn | Action::Recall => {
                matches!(role, Some(Dispatcher | Admin))
            }
            Action::CoOpinion => self.is_co_handler(actor),
            Action::Sign
            | Action::Return
            | Action::SuperviseReply
            | Action::RequestExtension
            | Action::Reply
            | Action::Contact
            | Action::Pause => self.is_lead_handler(actor),
            Action::Resume => {
                self.is_lead_handler(actor) || matches!(role, Some(Supervisor | Admin))
            }
            Action::Remind => actor.system || matches!(role, Some(Supervisor | Leader | Admin)),
            Action::Supervise => matches!(role, Some(Supervisor | Admin)),
            Action::Flag | Action::Unflag => matches!(role, Some(Leader | Supervisor | Admin)),
            Action::Escalate => actor.system || matches!(role, Some(Supervisor | Admin)),
            Action::Rate => role.is_none() && actor.user.is_none() && !actor.system,
            Action::DecideExtension
            | Action::Review
            | Action::Callback
            | Action::CallbackUnreached
            | Action::Close
            | Action::Archive => matches!(role, Some(Supervisor | Admin)),
            Action::Reopen => matches!(role, Some(Supervisor | Operator | Admin)),
            Action::Comment => match role {
                Some(Handler) => actor.body.is_some_and(|b| self.bodies().any(|x| x == b)),
                Some(_) => true,
                None => false,
            },
        }
    }

    /// Why `actor` may not do `kind`: a handler of another body is told the appeal is not
    /// theirs (but for notes, which co-bodies may add too).
    fn role_refusal(&self, kind: &EventKind, action: Option<Action>, actor: &Actor) -> DomainError {
        if action == Some(Action::CoOpinion) {
            refused("只有协办单位可以提交协办意见")
        } else if actor.role == Some(Role::Handler)
            && !self.is_lead_handler(actor)
            && action != Some(Action::Comment)
        {
            refused("该诉求不属于您的单位办理")
        } else {
            refused(&format!("您的角色无权执行「{}」", kind.label()))
        }
    }

    /// In which states `action` may be taken.
    fn state_allows(&self, action: Action) -> bool {
        use Status::*;
        let s = self.status;
        match action {
            Action::AnswerDirectly => s == Registered,
            Action::Dispatch => s == Registered,
            Action::Recall => matches!(s, Dispatched | Handling),
            Action::JudgeReturn => s == Returned,
            Action::CoOpinion | Action::SuperviseReply => matches!(s, Dispatched | Handling),
            Action::Sign => s == Dispatched,
            Action::Return => matches!(s, Dispatched | Handling),
            Action::RequestExtension | Action::DecideExtension | Action::Reply => s == Handling,
            Action::Review => s == Replied,
            Action::Callback | Action::CallbackUnreached | Action::Close => s == AwaitingCallback,
            Action::Reopen | Action::Archive | Action::Rate => s == Closed,
            Action::Merge => matches!(s, Registered | Dispatched | Handling | Returned),
            Action::Comment => true,
            Action::Contact | Action::Pause | Action::Resume => s == Handling,
            Action::Remind | Action::AutoRemind | Action::Escalate => {
                matches!(s, Dispatched | Handling | Replied | AwaitingCallback)
            }
            Action::Supervise => matches!(s, Dispatched | Handling),
            Action::Flag => s.is_open(),
            Action::Unflag => true,
            Action::Unmerge | Action::FollowLead => s == Merged,
        }
    }

    /// What the appeal must be like for `action`, whatever it is asked with.
    fn check_facts(&self, action: Action) -> Result<(), DomainError> {
        if action == Action::Close && self.callback_attempts < UNREACHED_BEFORE_CLOSE {
            return Err(DomainError::Refused(format!(
                "回访未接通满 {UNREACHED_BEFORE_CLOSE} 次后方可不经回访办结（已尝试 {} 次）",
                self.callback_attempts
            )));
        }
        let refusal = match action {
            Action::RequestExtension if self.pending_extension.is_some() => "已有待审批的延期申请",
            Action::DecideExtension if self.pending_extension.is_none() => "没有待审批的延期申请",
            Action::Contact if self.contacted => "已记录首次联系",
            Action::Pause if self.paused => "计时已暂停",
            Action::Resume if !self.paused => "计时未暂停",
            Action::Flag if self.flagged => "该诉求已挂牌督办",
            Action::Unflag if !self.flagged => "该诉求未挂牌督办",
            Action::SuperviseReply if self.supervised_until.is_none() => "没有待回复的督办单",
            Action::Rate if self.citizen_rating.is_some() => "您已评价过此诉求",
            Action::Recall if self.auto_dispatched.is_none() => "只能收回系统自动派出的诉求",
            _ => return Ok(()),
        };
        Err(refused(refusal))
    }

    /// The details `kind` is asked with: texts, dates, the bodies and appeals it names.
    fn check_payload(&self, kind: &EventKind, at: DateTime<Utc>) -> Result<(), DomainError> {
        match kind {
            EventKind::AnswerDirectly { answer, .. } => required("answer", answer),
            EventKind::Dispatch { lead, co, note, .. } => {
                if co.contains(lead) {
                    return Err(refused("主办单位不能同时是协办单位"));
                }
                if self.return_approved() && self.lead_body == Some(*lead) {
                    return Err(refused("退单已批准，请改派其他单位"));
                }
                optional("note", note)
            }
            EventKind::Return { reason }
            | EventKind::JudgeReturn { reason, .. }
            | EventKind::Recall { reason } => required("reason", reason),
            EventKind::CoOpinion { text } | EventKind::SuperviseReply { text } => {
                required("text", text)
            }
            EventKind::Unflag { reason } => required("reason", reason),
            EventKind::RequestExtension { reason, until } => {
                required("reason", reason)?;
                if *until <= at.date_naive() {
                    return Err(DomainError::InvalidField {
                        field: "until",
                        reason: "延期日期必须晚于今天".into(),
                    });
                }
                Ok(())
            }
            EventKind::DecideExtension { note, .. } => optional("note", note),
            EventKind::Reply { text } => required("text", text),
            EventKind::Review { approve, reason } => {
                if *approve {
                    optional("reason", reason)
                } else {
                    required("reason", reason)
                }
            }
            EventKind::Callback { note, .. } | EventKind::CallbackUnreached { note } => {
                optional("note", note)
            }
            EventKind::Close { note } => required("note", note),
            EventKind::Reopen { reason } | EventKind::Unmerge { reason } => {
                required("reason", reason)
            }
            EventKind::Merge { into, note } => {
                if *into == self.id {
                    return Err(refused("不能与自身并案"));
                }
                optional("note", note)
            }
            EventKind::FollowLead { lead, reply } => {
                if self.merged_into != Some(*lead) {
                    return Err(refused("只能随所并入的主诉求答复"));
                }
                required("reply", reply)
            }
            EventKind::Comment { text } => required("text", text),
            EventKind::Contact { note }
            | EventKind::Resume { note }
            | EventKind::Remind { note, .. } => optional("note", note),
            EventKind::Pause { reason } => required("reason", reason),
            EventKind::Supervise { note, reply_by } => {
                if *reply_by <= at.date_naive() {
                    return Err(DomainError::InvalidField {
                        field: "reply_by",
                        reason: "督办回复日期必须晚于今天".into(),
                    });
                }
                required("note", note)
            }
            EventKind::Flag { note } => optional("note", note),
            EventKind::Escalate { to, note } => {
                if Some(*to) == self.lead_body {
                    return Err(refused("不能上报给承办单位自身"));
                }
                optional("note", note)
            }
            EventKind::Rate { note, .. } => optional("note", note),
            EventKind::Register { .. }
            | EventKind::Sign
            | EventKind::Archive
            | EventKind::ClockRemind { .. } => Ok(()),
        }
    }

    /// Whether the dispatcher approved the body's return and the appeal waits to be
    /// dispatched to another body (its lead is still the body that returned it).
    pub fn return_approved(&self) -> bool {
        self.status == Status::Registered && self.lead_body.is_some()
    }

    /// Where work starts again after a failed callback or a reopening (重办): with the body
    /// that handled it, or at dispatch when no body ever did (answered on the spot, or a
    /// merged appeal that followed its lead's answer).
    fn redo_status(&self) -> Status {
        if self.lead_body.is_some() {
            Status::Handling
        } else {
            Status::Registered
        }
    }

    /// Applies a recorded event. Events are facts: applying never fails.
    pub fn apply(&mut self, event: &Event) {
        self.version = event.seq;
        self.updated_at = event.at;
        match &event.kind {
            EventKind::Register { .. }
            | EventKind::Comment { .. }
            | EventKind::ClockRemind { .. } => {}
            EventKind::Contact { .. } => self.contacted = true,
            EventKind::Pause { .. } => self.paused = true,
            EventKind::Resume { .. } => self.paused = false,
            EventKind::Remind { .. } => self.reminders += 1,
            EventKind::Supervise { reply_by, .. } => self.supervised_until = Some(*reply_by),
            EventKind::Flag { .. } => self.flagged = true,
            EventKind::Unflag { .. } => self.flagged = false,
            EventKind::SuperviseReply { .. } => self.supervised_until = None,
            EventKind::CoOpinion { text } => {
                if let Some(body) = event.actor.body {
                    self.co_opinions.retain(|o| o.body != body);
                    self.co_opinions.push(CoOpinion {
                        body,
                        text: text.clone(),
                        at: event.at,
                    });
                }
            }
            EventKind::Escalate { to, .. } => self.escalated_to = Some(*to),
            EventKind::Rate { satisfaction, .. } => self.citizen_rating = Some(*satisfaction),
            EventKind::AnswerDirectly { answer, .. } => {
                self.answered_directly = true;
                self.last_reply = Some(answer.clone());
                self.status = Status::Closed;
            }
            EventKind::Dispatch {
                lead,
                co,
                category,
                auto,
                ..
            } => {
                self.auto_dispatched = *auto;
                self.lead_body = Some(*lead);
                self.co_bodies = co.clone();
                self.co_opinions.clear();
                self.contacted = false;
                self.paused = false;
                self.escalated_to = None;
                self.supervised_until = None;
                if let Some(c) = category {
                    self.category = Some(c.clone());
                }
                self.status = Status::Dispatched;
            }
            EventKind::Sign => self.status = Status::Handling,
            EventKind::Recall { .. } => {
                self.auto_dispatched = None;
                self.lead_body = None;
                self.co_bodies.clear();
                self.co_opinions.clear();
                self.pending_extension = None;
                self.status = Status::Registered;
            }
            EventKind::Return { .. } => {
                self.return_count += 1;
                self.pending_extension = None;
                self.returned_from = Some(self.status);
                self.status = Status::Returned;
            }
            EventKind::JudgeReturn { approved, .. } => {
                let before = self.returned_from.take();
                self.status = if *approved {
                    Status::Registered
                } else {
                    before.unwrap_or(Status::Dispatched)
                };
            }
            EventKind::RequestExtension { reason, until } => {
                self.pending_extension = Some(ExtensionRequest {
                    reason: reason.clone(),
                    until: *until,
                });
            }
            EventKind::DecideExtension { approve, .. } => {
                if let Some(request) = self.pending_extension.take()
                    && *approve
                {
                    self.extended_until = Some(request.until);
                }
            }
            EventKind::Reply { text } => {
                self.last_reply = Some(text.clone());
                self.pending_extension = None;
                self.paused = false;
                self.supervised_until = None;
                self.status = Status::Replied;
            }
            EventKind::Review { approve, .. } => {
                self.callback_attempts = 0;
                self.status = if *approve {
                    Status::AwaitingCallback
                } else {
                    Status::Handling
                };
            }
            EventKind::Callback {
                solved,
                satisfaction,
                note,
            } => {
                self.callback = Some(CallbackResult {
                    solved: *solved,
                    satisfaction: *satisfaction,
                    note: note.clone(),
                });
                if *solved {
                    self.status = Status::Closed;
                } else {
                    self.reopen_count += 1;
                    self.status = self.redo_status();
                }
            }
            EventKind::CallbackUnreached { .. } => self.callback_attempts += 1,
            EventKind::Close { .. } => self.status = Status::Closed,
            EventKind::Reopen { .. } => {
                self.reopen_count += 1;
                self.callback = None;
                self.status = self.redo_status();
            }
            EventKind::Merge { into, .. } => {
                self.merged_into = Some(*into);
                self.merged_from = Some(self.status);
                self.status = Status::Merged;
            }
            EventKind::Unmerge { .. } => {
                self.merged_into = None;
                self.status = self.merged_from.take().unwrap_or(Status::Registered);
            }
            EventKind::FollowLead { reply, .. } => {
                // Still merged into its lead (the link stays for the record), but on its
                // own now: its own callback, its own close; no longer undone by an unmerge.
                self.last_reply = Some(reply.clone());
                self.merged_from = None;
                self.callback = None;
                self.callback_attempts = 0;
                self.status = Status::AwaitingCallback;
            }
            EventKind::Archive => self.status = Status::Archived,
        }
    }
}
