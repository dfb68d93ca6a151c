//! Small helpers only the pages need: Beijing time for display, the deadline of an appeal as
//! a badge, body names, the choices of a `<select>` and the notice after an action.
//! Everything the API also does (sign-in, intake, visibility, the public view, lifecycle
//! actions) is called from the shared modules, never copied here.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::deadline::{Deadline, DeadlineState};
use jiesu_domain::ids::BodyId;
use serde::Deserialize;

use crate::state::AppState;

/// Beijing time (UTC+8), the time every page shows.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

/// `2026-01-31 14:05` in Beijing time.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&beijing())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Today's date in Beijing.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&beijing()).date_naive()
}

/// The start of a Beijing day, in UTC.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    beijing()
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

/// The deadline of an appeal as shown on pages: 正常/临期/超期 (or 已暂停), the due time in
/// China's local time (`截止 11月28日 17:30`) and the stage it times.
pub struct DeadlineBadge {
    pub label: &'static str,
    /// The css class: `ok`, `warn`, `late` or `paused`.
    pub class: &'static str,
    pub due: String,
    pub stage: &'static str,
}

impl DeadlineBadge {
    /// The badge of an open appeal's stored deadline at `now`; `None` when nothing is timed.
    pub fn of(state: &AppState, appeal: &Appeal, now: DateTime<Utc>) -> Option<DeadlineBadge> {
        let deadline: &Deadline = appeal
            .deadline
            .as_ref()
            .filter(|_| appeal.status.is_open())?;
        let (label, class) = match state.timekeeper().state(deadline, now) {
            DeadlineState::Normal => ("正常", "ok"),
            DeadlineState::Warning => ("临期", "warn"),
            DeadlineState::Overdue => ("超期", "late"),
        };
        let paused = deadline.due.paused_since.is_some() || deadline.due.frozen.is_some();
        Some(DeadlineBadge {
            label,
            class: if paused { "paused" } else { class },
            due: if paused {
                "已暂停计时".into()
            } else {
                format!("截止 {}", fmt_due(deadline.due.due_at))
            },
            stage: deadline.due.stage.label(),
        })
    }
}

/// `11月28日 17:30`: a due moment in China's local time.
pub fn fmt_due(at: NaiveDateTime) -> String {
    at.format("%-m月%-d日 %H:%M").to_string()
}

/// The name of a body, empty when none or unknown.
pub fn body_name(bodies: &[Body], id: Option<BodyId>) -> String {
    id.and_then(|id| bodies.iter().find(|b| b.id == id))
        .map(|b| b.name.clone())
        .unwrap_or_default()
}

/// One choice of a `<select>`.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The choices of a `<select>` from `(value, label)` pairs, `current` selected.
pub fn options<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, current: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            value: value.into(),
            label: label.into(),
            selected: value == current,
        })
        .collect()
}

/// A body as a choice of a `<select>`.
pub struct BodyOpt {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub selected: bool,
}

/// Every body as a choice, `selected` marked.
pub fn body_options(bodies: &[Body], selected: Option<BodyId>) -> Vec<BodyOpt> {
    bodies
        .iter()
        .map(|b| BodyOpt {
            id: b.id.0,
            name: b.name.clone(),
            kind: b.kind.label(),
            selected: Some(b.id) == selected,
        })
        .collect()
}

/// The one-line notice a page shows after a successful action (`?ok=`).
#[derive(Deserialize, Default)]
pub struct Notice {
    pub ok: Option<String>,
}
