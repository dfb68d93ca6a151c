//! The timeline of one appeal (办理过程): each event with who did it, when, and what it said.

use jiesu_domain::body::Body;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::BodyId;

use crate::pages::support::{body_name, fmt_time};

/// One event as a step of the timeline.
pub struct Step {
    pub label: &'static str,
    pub actor: String,
    pub role: &'static str,
    pub at: String,
    pub detail: String,
}

/// The steps of an appeal's events, in order.
pub fn steps(events: &[Event], bodies: &[Body]) -> Vec<Step> {
    events
        .iter()
        .map(|e| Step {
            label: e.kind.label(),
            actor: e.actor.name.clone(),
            role: e.actor.role.map(|r| r.label()).unwrap_or(""),
            at: fmt_time(e.at),
            detail: describe(&e.kind, bodies),
        })
        .collect()
}

/// The text fields of an event kind without a dedicated description.
fn generic_detail(kind: &EventKind) -> String {
    let value = serde_json::to_value(kind).unwrap_or_default();
    let Some(map) = value.as_object() else {
        return String::new();
    };
    map.iter()
        .filter(|(k, _)| k.as_str() != "action")
        .filter_map(|(_, v)| match v {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn describe(kind: &EventKind, bodies: &[Body]) -> String {
    let name = |b: &BodyId| body_name(bodies, Some(*b));
    match kind {
        EventKind::Register { draft } => format!(
            "渠道：{}；类型：{}",
            draft.channel.label(),
            draft.appeal_type.label()
        ),
        EventKind::AnswerDirectly { answer, .. } => format!("答复：{answer}"),
        EventKind::Dispatch {
            lead,
            co,
            note,
            category,
            auto,
        } => {
            let mut s = format!("主办：{}", name(lead));
            if let Some(a) = auto {
                s.push_str(&format!(
                    "；模型 v{}，置信度 {:.1}%",
                    a.model_version,
                    a.confidence * 100.0
                ));
            }
            if !co.is_empty() {
                s.push_str(&format!(
                    "；协办：{}",
                    co.iter().map(name).collect::<Vec<_>>().join("、")
                ));
            }
            if let Some(c) = category {
                s.push_str(&format!("；分类：{c}"));
            }
            if !note.is_empty() {
                s.push_str(&format!("；说明：{note}"));
            }
            s
        }
        EventKind::Sign | EventKind::Archive => String::new(),
        EventKind::Return { reason } => format!("退单理由：{reason}"),
        EventKind::Recall { reason } => format!("收回理由：{reason}"),
        EventKind::JudgeReturn { approved, reason } => format!(
            "{}：{reason}",
            if *approved {
                "批准退单，改派"
            } else {
                "驳回退单（无效退单）"
            }
        ),
        EventKind::RequestExtension { reason, until } => {
            format!("申请延期至 {until}；理由：{reason}")
        }
        EventKind::DecideExtension { note, .. } => note.clone(),
        EventKind::Reply { text } => format!("答复：{text}"),
        EventKind::Review { reason, .. } => reason.clone(),
        EventKind::Callback {
            solved,
            satisfaction,
            note,
        } => format!(
            "{}，{}{}",
            if *solved { "已解决" } else { "未解决" },
            satisfaction.label(),
            if note.is_empty() {
                String::new()
            } else {
                format!("；{note}")
            }
        ),
        EventKind::CallbackUnreached { note } if note.is_empty() => "未接通".into(),
        EventKind::CallbackUnreached { note } => format!("未接通：{note}"),
        EventKind::Close { note } => note.clone(),
        EventKind::Reopen { reason } => format!("重办理由：{reason}"),
        EventKind::Merge { note, .. } => note.clone(),
        EventKind::FollowLead { reply, .. } => format!("主诉求答复：{reply}"),
        EventKind::Comment { text } => text.clone(),
        EventKind::Pause { reason } => format!("暂停理由：{reason}"),
        EventKind::Supervise { note, reply_by } => format!("请于 {reply_by} 前回复；{note}"),
        EventKind::Escalate { to, note } => {
            format!(
                "上报至{}{}",
                name(to),
                if note.is_empty() {
                    String::new()
                } else {
                    format!("；{note}")
                }
            )
        }
        EventKind::Rate { satisfaction, note } => format!(
            "{}{}",
            satisfaction.label(),
            if note.is_empty() {
                String::new()
            } else {
                format!("；{note}")
            }
        ),
        other => generic_detail(other),
    }
}
