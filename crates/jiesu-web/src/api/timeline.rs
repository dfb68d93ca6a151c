//! One line of an appeal's timeline as the API shows it (办理过程).

use jiesu_domain::event::{Event, EventKind};
use serde::Serialize;

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
