//! What a caller may see of an appeal (可见范围): handlers see only their bodies' appeals, and
//! never the name or phone of a confidential (保密) citizen; lists mask phones.

use jiesu_domain::appeal::{Appeal, mask_phone};
use jiesu_domain::body::{Body, subtree};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::{Role, User};
use serde::Serialize;

/// The bodies whose appeals `user` may see; `None` means all (centre staff).
pub fn visible_bodies(user: &User, bodies: &[Body]) -> Option<Vec<BodyId>> {
    match (user.role, user.body) {
        (Role::Handler, Some(body)) => Some(subtree(bodies, body)),
        (Role::Handler, None) => Some(vec![]),
        _ => None,
    }
}

/// Whether `user` may open `appeal`.
pub fn may_see(user: &User, bodies: &[Body], appeal: &Appeal) -> bool {
    match visible_bodies(user, bodies) {
        None => true,
        Some(mine) => appeal.bodies().any(|b| mine.contains(&b)),
    }
}

/// Hides what `user` may not see of the citizen; `in_list` also masks the phone.
pub fn redact(user: &User, mut appeal: Appeal, in_list: bool) -> Appeal {
    if appeal.citizen.confidential && user.role == Role::Handler {
        appeal.citizen.name = None;
        appeal.citizen.phone = None;
    }
    if in_list {
        appeal.citizen.phone = appeal.citizen.phone.as_deref().map(mask_phone);
    }
    appeal
}

/// One line of the timeline (办理过程).
#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    pub seq: i64,
    pub action: &'static str,
    pub label: &'static str,
    pub actor: String,
    pub role: Option<&'static str>,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The event's own fields (reason, reply, bodies…); the registration's are the appeal.
    pub detail: serde_json::Value,
}

impl TimelineEntry {
    pub fn of(event: &Event) -> TimelineEntry {
        let detail = match &event.kind {
            EventKind::Register { .. } => serde_json::Value::Null,
            kind => {
                let mut v = serde_json::to_value(kind).unwrap_or_default();
                if let Some(map) = v.as_object_mut() {
                    map.remove("action");
                }
                v
            }
        };
        TimelineEntry {
            seq: event.seq,
            action: event.kind.name(),
            label: event.kind.label(),
            actor: event.actor.name.clone(),
            role: event.actor.role.map(|r| r.label()),
            at: event.at,
            detail,
        }
    }
}
