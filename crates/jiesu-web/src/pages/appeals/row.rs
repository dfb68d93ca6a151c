//! An appeal as a table row (列表行), as the list and the home pages' queues show it.

use chrono::Utc;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::event::{Event, EventKind, logs_by_appeal};
use jiesu_domain::ids::AppealId;
use jiesu_domain::kinds::Urgency;
use jiesu_store::AppealOrder;

use crate::pages::PageError;
use crate::pages::support::{DeadlineBadge, body_name, fmt_time};
use crate::state::AppState;

/// One appeal as a table row.
pub struct Row {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub type_label: &'static str,
    pub category: String,
    pub status_code: &'static str,
    pub status_label: &'static str,
    /// The deadline state and due time, when timed.
    pub deadline: Option<DeadlineBadge>,
    pub urgent: bool,
    pub flagged: bool,
    pub body: String,
    pub created: String,
    /// A column some queues add (e.g. the reason of a return).
    pub extra: String,
}

/// The sort links of a table's headers (排序): the list's link without an order, and the
/// order the table is in.
pub struct Sorts {
    /// The list's link, ending with `?` or `&`, to which `sort=…` is added.
    base: String,
    current: AppealOrder,
}

impl Sorts {
    pub fn new(base: String, current: AppealOrder) -> Sorts {
        Sorts { base, current }
    }

    /// The list in order `code` ([`AppealOrder::code`]).
    pub fn link(&self, code: &str) -> String {
        format!("{}sort={code}", self.base)
    }

    /// Whether the table is in order `code`.
    pub fn on(&self, code: &str) -> bool {
        self.current.code() == code
    }
}

/// Table rows for a page of appeals, with each row's deadline state (from the stored
/// deadline) and, with `with_return_reason`, the reason of the latest return (one events
/// query per row, bounded by the page size).
pub async fn rows(
    state: &AppState,
    bodies: &[Body],
    items: Vec<Appeal>,
    with_return_reason: bool,
) -> Result<Vec<Row>, PageError> {
    let now = Utc::now();
    // The return reasons of all rows from one query.
    let logs = if with_return_reason {
        let ids: Vec<AppealId> = items.iter().map(|a| a.id).collect();
        logs_by_appeal(state.store.events_for(&ids).await?)
    } else {
        Default::default()
    };
    let mut out = Vec::with_capacity(items.len());
    for a in items {
        let extra = logs
            .get(&a.id)
            .map(|log| last_return_reason(log))
            .unwrap_or_default();
        out.push(Row {
            id: a.id.0,
            number: a.number.0.clone(),
            type_label: a.appeal_type.label(),
            category: a
                .category
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "未分类".into()),
            status_code: a.status.code(),
            status_label: a.status.label(),
            deadline: DeadlineBadge::of(state, &a, now),
            urgent: a.urgency != Urgency::Normal,
            flagged: a.flagged,
            body: body_name(bodies, a.lead_body),
            created: fmt_time(a.created_at),
            title: a.title,
            extra,
        });
    }
    Ok(out)
}

fn last_return_reason(events: &[Event]) -> String {
    events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::Return { reason } => Some(format!("{}：{}", e.actor.name, reason)),
            _ => None,
        })
        .unwrap_or_default()
}
