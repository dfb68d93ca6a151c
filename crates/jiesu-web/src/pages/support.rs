//! Small helpers only the pages need: Beijing time for display and the deadline of an
//! appeal as a badge. Everything the API also does (sign-in, intake, visibility, the public
//! view, lifecycle actions) is called from the shared modules, never copied here.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::deadline::{Deadline, DeadlineState};

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
