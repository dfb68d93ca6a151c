//! Row encoding (行编码) shared by both backends: times as milliseconds, JSON columns, an
//! appeal's row and the columns an update changes, an event's stored data.

use chrono::{DateTime, TimeZone, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::user::Actor;

use crate::error::StoreError;
use crate::filter::AppealFilter;

/// Rows per multi-row statement: well under both backends' limits on bind parameters.
pub const ROWS_PER_STATEMENT: usize = 500;

/// Whether a list finds its appeals through `appeal_bodies` and needs nothing but the
/// narrow columns of an id-keyed index to filter and sort them (a body's list without
/// status, words or deadline filters, newest first: the others have indexes of their own
/// or need the row).
pub fn sorts_by_id_index(filter: &AppealFilter) -> bool {
    filter.bodies.is_some()
        && filter.statuses.is_empty()
        && filter.words.is_none()
        && filter.deadline.is_none()
        && filter.order == crate::filter::AppealOrder::Newest
}

/// Milliseconds since the epoch, the stored form of every time.
pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`to_ms`]; a value no time can have is [`StoreError::Corrupt`].
pub fn from_ms(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .ok_or_else(|| StoreError::Corrupt(format!("time {ms} ms")))
}

/// What an event row holds besides its keys.
#[derive(serde::Deserialize)]
pub struct EventData {
    pub kind: EventKind,
    pub actor: Actor,
    pub at_us: i64,
}

/// [`EventData`] to write, borrowed from the event.
#[derive(serde::Serialize)]
struct EventDataRef<'a> {
    kind: &'a EventKind,
    actor: &'a Actor,
    at_us: i64,
}

/// Serializes for a TEXT column.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("serialize: {e}")))
}

/// Deserializes a TEXT column.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("row JSON: {e}")))
}

/// Rebuilds an event from its row.
pub fn event_from_row(
    appeal: i64,
    seq: i64,
    data: &str,
    prev_hash: String,
    hash: String,
) -> Result<Event, StoreError> {
    let data: EventData = from_json(data)?;
    Ok(Event {
        appeal: jiesu_domain::ids::AppealId(appeal),
        seq,
        kind: data.kind,
        actor: data.actor,
        at: Utc
            .timestamp_micros(data.at_us)
            .single()
            .ok_or_else(|| StoreError::Corrupt(format!("event time {} µs", data.at_us)))?,
        prev_hash,
        hash,
    })
}

/// The row form of an event.
pub fn event_data(event: &Event) -> Result<String, StoreError> {
    to_json(&EventDataRef {
        kind: &event.kind,
        actor: &event.actor,
        at_us: event.at.timestamp_micros(),
    })
}

/// An appeal as its row stores it: the columns queries filter on and the JSON of the whole.
#[derive(Debug, Clone)]
pub struct AppealRow {
    pub columns: AppealColumns,
    pub data: String,
}

impl AppealRow {
    pub fn of(appeal: &Appeal) -> Result<AppealRow, StoreError> {
        Ok(AppealRow {
            columns: AppealColumns::of(appeal),
            data: crate::stored_json::stored_json(appeal)?,
        })
    }
}

/// The rows a [`Recording`](crate::Recording) writes: the appeal's new row with the
/// updatable columns that changed, and the event's data.
#[derive(Debug, Clone)]
pub struct RecordingRows {
    pub appeal: AppealRow,
    pub changed: Vec<&'static str>,
    pub event_data: String,
}

impl RecordingRows {
    pub fn encode(
        before: &Appeal,
        event: &Event,
        after: &Appeal,
    ) -> Result<RecordingRows, StoreError> {
        let appeal = AppealRow::of(after)?;
        let changed = appeal
            .columns
            .changed_since(Some(&AppealColumns::of(before)));
        Ok(RecordingRows {
            appeal,
            changed,
            event_data: event_data(event)?,
        })
    }
}

/// One appeal row to store if the appeal is still at version `expected`.
pub struct AppealWrite<'a> {
    pub id: i64,
    pub expected: i64,
    pub version: i64,
    pub updated_ms: i64,
    pub row: &'a AppealRow,
    pub changed: &'a [&'static str],
}

/// The columns of `appeals` that queries filter on, taken from the appeal.
#[derive(Debug, Clone)]
pub struct AppealColumns {
    pub status: &'static str,
    pub channel: &'static str,
    pub appeal_type: &'static str,
    pub urgency: &'static str,
    pub category_l1: Option<String>,
    pub lead_body: Option<i64>,
    pub district: Option<String>,
    pub warn_ms: Option<i64>,
    pub due_ms: Option<i64>,
    pub frozen_state: Option<&'static str>,
    pub next_check_ms: Option<i64>,
    pub flagged: i64,
    /// The lead it is merged into (并案), kept after it followed the lead's answer.
    pub merged_into: Option<i64>,
}

/// The columns an update of an appeal may change, besides `updated_ms`, `version` and
/// `data`, which every update writes.
pub const UPDATABLE_COLUMNS: [&str; 9] = [
    "status",
    "category_l1",
    "lead_body_id",
    "warn_ms",
    "due_ms",
    "frozen_state",
    "next_check_ms",
    "flagged",
    "merged_into_id",
];

/// One column's value, to compare and to bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnValue<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
}

impl AppealColumns {
    pub fn of(appeal: &Appeal) -> AppealColumns {
        use jiesu_domain::deadline::from_china_local;
        let deadline = appeal.deadline.filter(|_| appeal.status.is_open());
        let running = deadline.filter(|d| d.due.frozen.is_none());
        AppealColumns {
            warn_ms: running.map(|d| to_ms(from_china_local(d.due.warn_at))),
            due_ms: running.map(|d| to_ms(from_china_local(d.due.due_at))),
            frozen_state: deadline.and_then(|d| d.due.frozen).map(|f| match f {
                jiesu_domain::deadline::DeadlineState::Normal => "normal",
                jiesu_domain::deadline::DeadlineState::Warning => "warning",
                jiesu_domain::deadline::DeadlineState::Overdue => "overdue",
            }),
            next_check_ms: deadline.and_then(|d| d.next_check).map(to_ms),
            flagged: i64::from(appeal.flagged && appeal.status.is_open()),
            status: appeal.status.code(),
            channel: appeal.channel.label(),
            appeal_type: appeal.appeal_type.label(),
            urgency: appeal.urgency.label(),
            category_l1: appeal.category.as_ref().map(|c| c.first().to_string()),
            lead_body: appeal.lead_body.map(|b| b.0),
            district: appeal.place.district.clone(),
            merged_into: appeal.merged_into.map(|a| a.0),
        }
    }

    /// The value of one of [`UPDATABLE_COLUMNS`].
    pub fn value(&self, column: &str) -> ColumnValue<'_> {
        let text = ColumnValue::Text;
        match column {
            "status" => text(Some(self.status)),
            "category_l1" => text(self.category_l1.as_deref()),
            "lead_body_id" => ColumnValue::Int(self.lead_body),
            "warn_ms" => ColumnValue::Int(self.warn_ms),
            "due_ms" => ColumnValue::Int(self.due_ms),
            "frozen_state" => text(self.frozen_state),
            "next_check_ms" => ColumnValue::Int(self.next_check_ms),
            "merged_into_id" => ColumnValue::Int(self.merged_into),
            _ => ColumnValue::Int(Some(self.flagged)),
        }
    }

    /// The updatable columns whose values differ from `before`'s (all of them without a
    /// `before`). Writing only these spares the indexes of the others.
    pub fn changed_since(&self, before: Option<&AppealColumns>) -> Vec<&'static str> {
        UPDATABLE_COLUMNS
            .into_iter()
            .filter(|c| before.is_none_or(|b| b.value(c) != self.value(c)))
            .collect()
    }
}
