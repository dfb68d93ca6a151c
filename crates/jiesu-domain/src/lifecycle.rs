//! The lifecycle of an appeal (诉求流转): which action is legal in which state and for whom,
//! and how each event changes the appeal. The only place transitions are decided.

use chrono::{DateTime, Utc};

use crate::appeal::{
    Appeal, AppealDraft, AppealNumber, CallbackResult, ExtensionRequest, clean_text,
};
use crate::error::DomainError;
use crate::event::{Event, EventKind};
use crate::ids::AppealId;
use crate::status::Status;
use crate::user::{Actor, Role};

/// Longest reason, note or reply accepted, in characters.
pub const MAX_NOTE_CHARS: usize = 5_000;

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
        answered_directly: false,
        return_count: 0,
        reopen_count: 0,
        contacted: false,
        paused: false,
        flagged: false,
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
    /// records the event and [`Appeal::apply`]s it.
    pub fn check(
        &self,
        kind: &EventKind,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.check_role(kind, actor)?;
        self.check_state(kind)?;
        self.check_payload(kind, at)
    }

    fn check_role(&self, kind: &EventKind, actor: &Actor) -> Result<(), DomainError> {
        use Role::*;
        let role = actor.role;
        let lead_handler =
            role == Some(Handler) && actor.body.is_some() && actor.body == self.lead_body;
        let allowed = match kind {
            EventKind::Register { .. } => false,
            EventKind::FollowLead { .. } => actor.system,
            EventKind::AnswerDirectly { .. } => matches!(role, Some(Operator | Admin)),
            EventKind::Dispatch { .. } | EventKind::Merge { .. } | EventKind::Unmerge { .. } => {
                matches!(role, Some(Dispatcher | Admin))
            }
            EventKind::Sign
            | EventKind::Return { .. }
            | EventKind::RequestExtension { .. }
            | EventKind::Reply { .. }
            | EventKind::Contact { .. }
            | EventKind::Pause { .. } => lead_handler,
            EventKind::Resume { .. } => lead_handler || matches!(role, Some(Supervisor | Admin)),
            EventKind::Remind { auto, .. } => {
                actor.system
                    || (auto.is_none() && matches!(role, Some(Supervisor | Leader | Admin)))
            }
            EventKind::Supervise { .. } => matches!(role, Some(Supervisor | Admin)),
            EventKind::Flag { .. } => matches!(role, Some(Leader | Supervisor | Admin)),
            EventKind::Escalate { .. } => actor.system || matches!(role, Some(Supervisor | Admin)),
            EventKind::Rate { .. } => role.is_none() && actor.user.is_none() && !actor.system,
            EventKind::DecideExtension { .. }
            | EventKind::Review { .. }
            | EventKind::Callback { .. }
            | EventKind::Close { .. }
            | EventKind::Archive => matches!(role, Some(Supervisor | Admin)),
            EventKind::Reopen { .. } => matches!(role, Some(Supervisor | Operator | Admin)),
            EventKind::Comment { .. } => match role {
                Some(Handler) => actor.body.is_some_and(|b| self.bodies().any(|x| x == b)),
                Some(_) => true,
                None => false,
            },
        };
        if allowed {
            Ok(())
        } else if matches!(role, Some(Handler))
            && !lead_handler
            && !matches!(kind, EventKind::Comment { .. })
        {
            Err(refused("该诉求不属于您的单位办理"))
        } else {
            Err(refused(&format!("您的角色无权执行「{}」", kind.label())))
        }
    }

    fn check_state(&self, kind: &EventKind) -> Result<(), DomainError> {
        use Status::*;
        let s = self.status;
        let legal = match kind {
            EventKind::Register { .. } => false,
            EventKind::AnswerDirectly { .. } => s == Registered,
            EventKind::Dispatch { .. } => matches!(s, Registered | Returned),
            EventKind::Sign => s == Dispatched,
            EventKind::Return { .. } => matches!(s, Dispatched | Handling),
            EventKind::RequestExtension { .. } => s == Handling,
            EventKind::DecideExtension { .. } => s == Handling,
            EventKind::Reply { .. } => s == Handling,
            EventKind::Review { .. } => s == Replied,
            EventKind::Callback { .. } | EventKind::Close { .. } => s == AwaitingCallback,
            EventKind::Reopen { .. } => s == Closed,
            EventKind::Merge { .. } => matches!(s, Registered | Dispatched | Handling | Returned),
            EventKind::Comment { .. } => true,
            EventKind::Archive => s == Closed,
            EventKind::Contact { .. } | EventKind::Pause { .. } | EventKind::Resume { .. } => {
                s == Handling
            }
            EventKind::Remind { .. } | EventKind::Escalate { .. } => {
                matches!(s, Dispatched | Handling | Replied | AwaitingCallback)
            }
            EventKind::Supervise { .. } => matches!(s, Dispatched | Handling),
            EventKind::Flag { .. } => s.is_open(),
            EventKind::Rate { .. } => s == Closed,
            EventKind::Unmerge { .. } | EventKind::FollowLead { .. } => s == Merged,
        };
        if legal {
            Ok(())
        } else {
            Err(DomainError::IllegalTransition {
                state: s.label(),
                action: kind.label(),
            })
        }
    }

    fn check_payload(&self, kind: &EventKind, at: DateTime<Utc>) -> Result<(), DomainError> {
        match kind {
            EventKind::AnswerDirectly { answer, .. } => required("answer", answer),
            EventKind::Dispatch { lead, co, note, .. } => {
                if co.contains(lead) {
                    return Err(refused("主办单位不能同时是协办单位"));
                }
                optional("note", note)
            }
            EventKind::Return { reason } => required("reason", reason),
            EventKind::RequestExtension { reason, until } => {
                required("reason", reason)?;
                if self.pending_extension.is_some() {
                    return Err(refused("已有待审批的延期申请"));
                }
                if *until <= at.date_naive() {
                    return Err(DomainError::InvalidField {
                        field: "until",
                        reason: "延期日期必须晚于今天".into(),
                    });
                }
                Ok(())
            }
            EventKind::DecideExtension { note, .. } => {
                if self.pending_extension.is_none() {
                    return Err(refused("没有待审批的延期申请"));
                }
                optional("note", note)
            }
            EventKind::Reply { text } => required("text", text),
            EventKind::Contact { .. } if self.contacted => Err(refused("已记录首次联系")),
            EventKind::Review { approve, reason } => {
                if *approve {
                    optional("reason", reason)
                } else {
                    required("reason", reason)
                }
            }
            EventKind::Callback { note, .. } => optional("note", note),
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
            EventKind::Resume { .. } if !self.paused => Err(refused("计时未暂停")),
            EventKind::Contact { note }
            | EventKind::Resume { note }
            | EventKind::Remind { note, .. } => optional("note", note),
            EventKind::Pause { reason } => {
                if self.paused {
                    return Err(refused("计时已暂停"));
                }
                required("reason", reason)
            }
            EventKind::Supervise { note, reply_by } => {
                if *reply_by <= at.date_naive() {
                    return Err(DomainError::InvalidField {
                        field: "reply_by",
                        reason: "督办回复日期必须晚于今天".into(),
                    });
                }
                required("note", note)
            }
            EventKind::Flag { note } => {
                if self.flagged {
                    return Err(refused("该诉求已挂牌督办"));
                }
                optional("note", note)
            }
            EventKind::Escalate { to, note } => {
                if Some(*to) == self.lead_body {
                    return Err(refused("不能上报给承办单位自身"));
                }
                optional("note", note)
            }
            EventKind::Rate { note, .. } => {
                if self.citizen_rating.is_some() {
                    return Err(refused("您已评价过此诉求"));
                }
                optional("note", note)
            }
            EventKind::Register { .. } | EventKind::Sign | EventKind::Archive => Ok(()),
        }
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
            EventKind::Register { .. } | EventKind::Comment { .. } => {}
            EventKind::Contact { .. } => self.contacted = true,
            EventKind::Pause { .. } => self.paused = true,
            EventKind::Resume { .. } => self.paused = false,
            EventKind::Remind { .. } => self.reminders += 1,
            EventKind::Supervise { reply_by, .. } => self.supervised_until = Some(*reply_by),
            EventKind::Flag { .. } => self.flagged = true,
            EventKind::Escalate { to, .. } => self.escalated_to = Some(*to),
            EventKind::Rate { satisfaction, .. } => self.citizen_rating = Some(*satisfaction),
            EventKind::AnswerDirectly { answer, .. } => {
                self.answered_directly = true;
                self.last_reply = Some(answer.clone());
                self.status = Status::Closed;
            }
            EventKind::Dispatch {
                lead, co, category, ..
            } => {
                self.lead_body = Some(*lead);
                self.co_bodies = co.clone();
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
            EventKind::Return { .. } => {
                self.return_count += 1;
                self.pending_extension = None;
                self.status = Status::Returned;
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
                self.status = Status::AwaitingCallback;
            }
            EventKind::Archive => self.status = Status::Archived,
        }
    }
}
