//! Events (事件) on an appeal: every transition, who did it, when and why. The event log is
//! the truth; the appeal's current state is their fold.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::action::Action;
use crate::appeal::AppealDraft;
use crate::auto_dispatch::AutoDispatch;
use crate::category::CategoryPath;
use crate::deadline::{DeadlineState, SideClock};
use crate::ids::{AppealId, BodyId};
use crate::kinds::labelled_enum;
use crate::user::Actor;

labelled_enum! {
    /// The citizen's verdict at callback (满意度).
    Satisfaction, "satisfaction" {
        Satisfied => "满意",
        FairlySatisfied => "基本满意",
        Dissatisfied => "不满意",
    }
}

/// What happened. Each variant is also the command that asks for it: the lifecycle checks a
/// kind against the appeal before it becomes an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum EventKind {
    /// Intake (受理). Boxed: the draft is much larger than any other event's fields.
    Register { draft: Box<AppealDraft> },
    /// Answered on the spot from the knowledge base (直办).
    AnswerDirectly {
        answer: String,
        #[serde(default)]
        article: Option<i64>,
    },
    /// Sent to a lead body and co-bodies (派单 / 主办 协办).
    Dispatch {
        lead: BodyId,
        #[serde(default)]
        co: Vec<BodyId>,
        #[serde(default)]
        note: String,
        #[serde(default)]
        category: Option<CategoryPath>,
        /// Set when the system dispatched on the model's word (自动派单). Left out of the
        /// stored form when absent, so the hashes of earlier events stay as they were.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        auto: Option<AutoDispatch>,
    },
    /// A dispatcher takes an automatically dispatched appeal back to the dispatch queue
    /// (收回人工派单): the body no longer holds it.
    Recall { reason: String },
    /// The body accepts the case (签收).
    Sign,
    /// The body sends it back as not theirs (退单).
    Return { reason: String },
    /// The dispatcher's judgement of a return (退单审核): approved, the appeal goes back to
    /// dispatch for another body and the return is not held against the body; rejected,
    /// it goes back to the same body and counts as an invalid return (无效退单).
    JudgeReturn { approved: bool, reason: String },
    /// A co-body's part of the answer for the lead body (协办意见); a later one from the
    /// same body replaces its earlier one.
    CoOpinion { text: String },
    /// Ask for more time (延期申请).
    RequestExtension { reason: String, until: NaiveDate },
    /// A supervisor's decision on the pending extension (延期审批).
    DecideExtension {
        approve: bool,
        #[serde(default)]
        note: String,
    },
    /// The body's answer to the citizen (答复).
    Reply { text: String },
    /// The centre's review of the reply (审核): approve, or send back (退回重办).
    Review {
        approve: bool,
        #[serde(default)]
        reason: String,
    },
    /// The call to the citizen (回访).
    Callback {
        solved: bool,
        satisfaction: Satisfaction,
        #[serde(default)]
        note: String,
    },
    /// A callback attempt that did not reach the citizen (回访未接通): no answer, a wrong or
    /// switched-off number. Counted; after [`crate::lifecycle::UNREACHED_BEFORE_CLOSE`]
    /// attempts the centre may close the appeal without the citizen's answer.
    CallbackUnreached {
        #[serde(default)]
        note: String,
    },
    /// Closed without a successful callback (办结), e.g. the citizen could not be reached.
    Close { note: String },
    /// Opened again (重办), counted against the body.
    Reopen { reason: String },
    /// Merged into another appeal that leads the handling (并案). The lead must be open and
    /// not merged itself; merged into a lead whose answer is already given (待回访), the
    /// appeal follows it right away. The rules: [`crate::merge`].
    Merge {
        into: AppealId,
        #[serde(default)]
        note: String,
    },
    /// Undoes a merge: the appeal goes back to the state it had (撤销并案). Only while it is
    /// merged: once it followed its lead's answer it is on its own.
    Unmerge { reason: String },
    /// A merged appeal takes over its lead's answer once the centre approved it (随主件答复):
    /// the lead's reply becomes this appeal's own and it waits for its own callback. Recorded
    /// by the system only, never asked for by a person.
    FollowLead { lead: AppealId, reply: String },
    /// A note on the timeline (备注).
    Comment { text: String },
    /// The handler's first contact with the citizen (首次联系).
    Contact {
        #[serde(default)]
        note: String,
    },
    /// Waiting for the citizen's materials: the clock stops (补充材料 · 暂停计时).
    Pause { reason: String },
    /// The materials arrived: the clock runs again (恢复计时).
    Resume {
        #[serde(default)]
        note: String,
    },
    /// A reminder to the body (催办). The scanner's automatic ones carry the deadline state
    /// that triggered them (临期 or 超期).
    Remind {
        #[serde(default)]
        note: String,
        #[serde(default)]
        auto: Option<DeadlineState>,
    },
    /// A formal supervision notice with its own reply date (督办单).
    Supervise { note: String, reply_by: NaiveDate },
    /// The body's answer to the open supervision notice (督办回复).
    SuperviseReply { text: String },
    /// Flagged for a leader's personal supervision (挂牌督办).
    Flag { note: String },
    /// The flag is lifted (撤销挂牌).
    Unflag { reason: String },
    /// An automatic reminder of a clock beside the stage's (附加时限): a supervision
    /// notice's reply date or the co-bodies' opinions, at 临期 or 超期.
    ClockRemind {
        clock: SideClock,
        state: DeadlineState,
    },
    /// The citizen's own rating of the result, given with the query code (市民评价).
    Rate {
        satisfaction: Satisfaction,
        #[serde(default)]
        note: String,
    },
    /// Reported to the lead body's superior after staying overdue (上报上级).
    Escalate {
        to: BodyId,
        #[serde(default)]
        note: String,
    },
    /// Filed away (归档).
    Archive,
}

impl EventKind {
    /// The snake-case name stored with the event.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Register { .. } => "register",
            EventKind::AnswerDirectly { .. } => "answer_directly",
            EventKind::Dispatch { .. } => "dispatch",
            EventKind::Recall { .. } => "recall",
            EventKind::Sign => "sign",
            EventKind::Return { .. } => "return",
            EventKind::JudgeReturn { .. } => "judge_return",
            EventKind::CoOpinion { .. } => "co_opinion",
            EventKind::RequestExtension { .. } => "request_extension",
            EventKind::DecideExtension { .. } => "decide_extension",
            EventKind::Reply { .. } => "reply",
            EventKind::Review { .. } => "review",
            EventKind::Callback { .. } => "callback",
            EventKind::CallbackUnreached { .. } => "callback_unreached",
            EventKind::Close { .. } => "close",
            EventKind::Reopen { .. } => "reopen",
            EventKind::Merge { .. } => "merge",
            EventKind::Comment { .. } => "comment",
            EventKind::Archive => "archive",
            EventKind::Contact { .. } => "contact",
            EventKind::Pause { .. } => "pause",
            EventKind::Resume { .. } => "resume",
            EventKind::Remind { .. } => "remind",
            EventKind::Supervise { .. } => "supervise",
            EventKind::Flag { .. } => "flag",
            EventKind::SuperviseReply { .. } => "supervise_reply",
            EventKind::Unflag { .. } => "unflag",
            EventKind::ClockRemind { .. } => "clock_remind",
            EventKind::Escalate { .. } => "escalate",
            EventKind::Rate { .. } => "rate",
            EventKind::Unmerge { .. } => "unmerge",
            EventKind::FollowLead { .. } => "follow_lead",
        }
    }

    /// The action this event is the outcome of; `None` for the registration, which creates
    /// the appeal rather than acting on one.
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            EventKind::Register { .. } => return None,
            EventKind::AnswerDirectly { .. } => Action::AnswerDirectly,
            EventKind::Dispatch { .. } => Action::Dispatch,
            EventKind::Recall { .. } => Action::Recall,
            EventKind::Sign => Action::Sign,
            EventKind::Return { .. } => Action::Return,
            EventKind::JudgeReturn { .. } => Action::JudgeReturn,
            EventKind::CoOpinion { .. } => Action::CoOpinion,
            EventKind::RequestExtension { .. } => Action::RequestExtension,
            EventKind::DecideExtension { .. } => Action::DecideExtension,
            EventKind::Reply { .. } => Action::Reply,
            EventKind::Review { .. } => Action::Review,
            EventKind::Callback { .. } => Action::Callback,
            EventKind::CallbackUnreached { .. } => Action::CallbackUnreached,
            EventKind::Close { .. } => Action::Close,
            EventKind::Reopen { .. } => Action::Reopen,
            EventKind::Merge { .. } => Action::Merge,
            EventKind::Comment { .. } => Action::Comment,
            EventKind::Archive => Action::Archive,
            EventKind::Contact { .. } => Action::Contact,
            EventKind::Pause { .. } => Action::Pause,
            EventKind::Resume { .. } => Action::Resume,
            EventKind::Remind { auto: None, .. } => Action::Remind,
            EventKind::Remind { auto: Some(_), .. } => Action::AutoRemind,
            EventKind::Supervise { .. } => Action::Supervise,
            EventKind::Flag { .. } => Action::Flag,
            EventKind::SuperviseReply { .. } => Action::SuperviseReply,
            EventKind::Unflag { .. } => Action::Unflag,
            EventKind::ClockRemind { .. } => Action::AutoRemind,
            EventKind::Escalate { .. } => Action::Escalate,
            EventKind::Rate { .. } => Action::Rate,
            EventKind::Unmerge { .. } => Action::Unmerge,
            EventKind::FollowLead { .. } => Action::FollowLead,
        })
    }

    /// The Chinese name people see on the timeline.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::Register { .. } => "受理",
            EventKind::AnswerDirectly { .. } => "直办办结",
            EventKind::Dispatch { auto: Some(_), .. } => "自动派单",
            EventKind::Dispatch { .. } => "派单",
            EventKind::Recall { .. } => "收回人工派单",
            EventKind::Sign => "签收",
            EventKind::Return { .. } => "退单",
            EventKind::JudgeReturn { .. } => "退单审核",
            EventKind::CoOpinion { .. } => "协办意见",
            EventKind::RequestExtension { .. } => "申请延期",
            EventKind::DecideExtension { approve: true, .. } => "同意延期",
            EventKind::DecideExtension { approve: false, .. } => "驳回延期",
            EventKind::Reply { .. } => "答复",
            EventKind::Review { approve: true, .. } => "审核通过",
            EventKind::Review { approve: false, .. } => "退回重办",
            EventKind::Callback { .. } => "回访",
            EventKind::CallbackUnreached { .. } => "回访未接通",
            EventKind::Close { .. } => "办结",
            EventKind::Reopen { .. } => "重办",
            EventKind::Merge { .. } => "并案",
            EventKind::Comment { .. } => "备注",
            EventKind::Archive => "归档",
            EventKind::Contact { .. } => "首次联系",
            EventKind::Pause { .. } => "暂停计时",
            EventKind::Resume { .. } => "恢复计时",
            EventKind::Remind {
                auto: Some(DeadlineState::Overdue),
                ..
            } => "超期提醒",
            EventKind::Remind { auto: Some(_), .. } => "临期催办",
            EventKind::Remind { auto: None, .. } => "催办",
            EventKind::Supervise { .. } => "督办",
            EventKind::Flag { .. } => "挂牌督办",
            EventKind::SuperviseReply { .. } => "督办回复",
            EventKind::Unflag { .. } => "撤销挂牌",
            EventKind::ClockRemind {
                clock: SideClock::Supervision,
                state: DeadlineState::Overdue,
            } => "督办单超期提醒",
            EventKind::ClockRemind {
                clock: SideClock::Supervision,
                ..
            } => "督办单临期提醒",
            EventKind::ClockRemind {
                clock: SideClock::CoOpinion,
                state: DeadlineState::Overdue,
            } => "协办超期提醒",
            EventKind::ClockRemind {
                clock: SideClock::CoOpinion,
                ..
            } => "协办临期提醒",
            EventKind::Escalate { .. } => "上报上级",
            EventKind::Rate { .. } => "市民评价",
            EventKind::Unmerge { .. } => "撤销并案",
            EventKind::FollowLead { .. } => "随主件答复",
        }
    }

    /// Whether a citizen tracking the appeal sees this event (internal notes are hidden).
    pub fn is_public(&self) -> bool {
        !matches!(
            self,
            EventKind::Comment { .. }
                | EventKind::RequestExtension { .. }
                | EventKind::DecideExtension { .. }
                | EventKind::Review { .. }
                | EventKind::CallbackUnreached { .. }
                | EventKind::Remind { .. }
                | EventKind::Supervise { .. }
                | EventKind::Flag { .. }
                | EventKind::Escalate { .. }
                | EventKind::JudgeReturn { .. }
                | EventKind::Recall { .. }
                | EventKind::CoOpinion { .. }
                | EventKind::SuperviseReply { .. }
                | EventKind::Unflag { .. }
                | EventKind::ClockRemind { .. }
        )
    }
}

/// An event as recorded: its place in the appeal's log, the actor, the time, and the hash
/// chaining it to the event before (审计链).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub appeal: AppealId,
    /// 1 for the registration, then one more per event.
    pub seq: i64,
    pub kind: EventKind,
    pub actor: Actor,
    pub at: DateTime<Utc>,
    pub prev_hash: String,
    pub hash: String,
}

impl Event {
    /// Builds the event and its hash from the previous event's hash (empty for the first).
    pub fn new(
        appeal: AppealId,
        seq: i64,
        kind: EventKind,
        actor: Actor,
        at: DateTime<Utc>,
        prev_hash: &str,
    ) -> Event {
        let mut event = Event {
            appeal,
            seq,
            kind,
            actor,
            at,
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        event.hash = event.compute_hash();
        event
    }

    /// The hash of everything in the event but the hash itself.
    pub fn compute_hash(&self) -> String {
        let body = serde_json::json!({
            "appeal": self.appeal,
            "seq": self.seq,
            "kind": self.kind,
            "actor": self.actor,
            "at": self.at.timestamp_micros(),
            "prev": self.prev_hash,
        });
        let canonical = serde_json::to_vec(&body).expect("a JSON value always serializes");
        let mut hex = [0u8; 64];
        hex::encode_to_slice(Sha256::digest(&canonical), &mut hex)
            .expect("a SHA-256 digest is 64 hex digits");
        String::from_utf8_lossy(&hex).into_owned()
    }
}

/// Events of several appeals (as read in appeal then sequence order) grouped into each
/// appeal's log.
pub fn logs_by_appeal(events: Vec<Event>) -> std::collections::HashMap<AppealId, Vec<Event>> {
    let mut logs: std::collections::HashMap<AppealId, Vec<Event>> = Default::default();
    for event in events {
        logs.entry(event.appeal).or_default().push(event);
    }
    logs
}

/// Checks an appeal's events in order: each hash matches its content and names the one
/// before. Returns the sequence number of the first broken link.
pub fn verify_chain(events: &[Event]) -> Result<(), i64> {
    let mut prev = String::new();
    for (i, e) in events.iter().enumerate() {
        if e.seq != i as i64 + 1 || e.prev_hash != prev || e.compute_hash() != e.hash {
            return Err(e.seq);
        }
        prev = e.hash.clone();
    }
    Ok(())
}
