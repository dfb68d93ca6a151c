//! Notices (消息提醒): who must hear of an event. Delivered to in-app inboxes and, when
//! configured, to a webhook.

use serde::{Deserialize, Serialize};

use crate::appeal::Appeal;
use crate::deadline::{DeadlineState, SideClock};
use crate::event::{EventKind, Satisfaction};
use crate::ids::BodyId;
use crate::user::Role;

/// Who receives a notice: every user of a body, or every user with a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Body(BodyId),
    Role(Role),
}

/// A message about an appeal for some recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub recipient: Recipient,
    /// The event that caused it (`dispatch`, `remind`…).
    pub kind: String,
    pub message: String,
}

/// The notices an event on `appeal` (already applied) calls for.
pub fn notices_for(kind: &EventKind, appeal: &Appeal) -> Vec<Notice> {
    let subject = format!("{}「{}」", appeal.number, appeal.title);
    let lead = appeal.lead_body.map(Recipient::Body);
    let to_lead = |message: String| lead.map(|r| (r, message)).into_iter().collect::<Vec<_>>();
    let list: Vec<(Recipient, String)> = match kind {
        EventKind::Dispatch { co, .. } => {
            let mut out = to_lead(format!("新派单：{subject}，请及时签收"));
            out.extend(
                co.iter()
                    .map(|b| (Recipient::Body(*b), format!("协办派单：{subject}"))),
            );
            out
        }
        EventKind::Return { reason } => vec![(
            Recipient::Role(Role::Dispatcher),
            format!("退单待审：{subject}，理由：{reason}"),
        )],
        EventKind::JudgeReturn {
            approved: true,
            reason,
        } => to_lead(format!("退单已批准：{subject}，将改派。{reason}")),
        EventKind::JudgeReturn {
            approved: false,
            reason,
        } => to_lead(format!("退单被驳回：{subject}，请继续办理。理由：{reason}")),
        EventKind::CoOpinion { .. } => to_lead(format!("协办意见已提交：{subject}")),
        EventKind::SuperviseReply { .. } => vec![(
            Recipient::Role(Role::Supervisor),
            format!("督办单已回复：{subject}"),
        )],
        EventKind::Unflag { reason } => vec![(
            Recipient::Role(Role::Leader),
            format!("撤销挂牌：{subject}，{reason}"),
        )],
        EventKind::ClockRemind { clock, state } => side_alerts(*clock, *state, appeal, &subject),
        EventKind::Reply { .. } => vec![(
            Recipient::Role(Role::Supervisor),
            format!("答复待审核：{subject}"),
        )],
        EventKind::Review {
            approve: false,
            reason,
        } => to_lead(format!("退回重办：{subject}，原因：{reason}")),
        EventKind::Review { approve: true, .. } => vec![(
            Recipient::Role(Role::Supervisor),
            format!("待回访：{subject}"),
        )],
        // A follower joins the callback queue like its lead (随主件答复).
        EventKind::FollowLead { .. } => vec![(
            Recipient::Role(Role::Supervisor),
            format!("待回访：{subject}（随主件答复）"),
        )],
        EventKind::RequestExtension { until, .. } => {
            vec![(
                Recipient::Role(Role::Supervisor),
                format!("延期申请：{subject}，申请延至 {until}"),
            )]
        }
        EventKind::Callback { solved: false, .. } | EventKind::Reopen { .. } => {
            to_lead(format!("重办：{subject}，市民反映问题未解决"))
        }
        EventKind::Remind {
            auto: Some(DeadlineState::Overdue),
            ..
        } => {
            let mut out = to_lead(format!("已超期：{subject}，请立即办理"));
            out.push((
                Recipient::Role(Role::Supervisor),
                format!("超期提醒：{subject}"),
            ));
            out
        }
        EventKind::Remind { auto: Some(_), .. } => {
            to_lead(format!("临期催办：{subject}，即将到期，请抓紧办理"))
        }
        EventKind::Remind { note, auto: None } => to_lead(format!("催办：{subject} {note}")),
        EventKind::Supervise { note, reply_by } => {
            to_lead(format!("督办单：{subject}，请于 {reply_by} 前回复。{note}"))
        }
        EventKind::Flag { note } => vec![(
            Recipient::Role(Role::Leader),
            format!("挂牌督办：{subject} {note}"),
        )],
        EventKind::Escalate { to, .. } => vec![
            (Recipient::Body(*to), format!("下级单位超期上报：{subject}")),
            (
                Recipient::Role(Role::Supervisor),
                format!("已上报上级：{subject}"),
            ),
        ],
        EventKind::Rate {
            satisfaction: Satisfaction::Dissatisfied,
            note,
        } => {
            vec![(
                Recipient::Role(Role::Supervisor),
                format!("市民评价不满意：{subject} {note}"),
            )]
        }
        _ => vec![],
    };
    list.into_iter()
        .map(|(recipient, message)| Notice {
            recipient,
            kind: kind.name().to_string(),
            message: message.trim().to_string(),
        })
        .collect()
}

/// Who hears of a side clock's reminder: the lead body for a supervision notice, the
/// co-bodies still owing their opinion for the co-bodies' limit; the supervisor too once
/// overdue.
fn side_alerts(
    clock: SideClock,
    state: DeadlineState,
    appeal: &Appeal,
    subject: &str,
) -> Vec<(Recipient, String)> {
    let when = if state == DeadlineState::Overdue {
        "已超期"
    } else {
        "即将到期"
    };
    let mut out: Vec<(Recipient, String)> = match clock {
        SideClock::Supervision => appeal
            .lead_body
            .map(|b| {
                (
                    Recipient::Body(b),
                    format!("督办单{when}：{subject}，请尽快回复督办单"),
                )
            })
            .into_iter()
            .collect(),
        SideClock::CoOpinion => appeal
            .missing_co_opinions()
            .map(|b| {
                let message = format!("协办时限{when}：{subject}，请向主办单位提交协办意见");
                (Recipient::Body(b), message)
            })
            .collect(),
    };
    if state == DeadlineState::Overdue {
        out.push((
            Recipient::Role(Role::Supervisor),
            format!("{}超期：{subject}", clock.label()),
        ));
    }
    out
}
