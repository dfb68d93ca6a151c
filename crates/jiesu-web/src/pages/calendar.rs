//! The working-day calendar (工作日历) in Chinese: a year's holidays (放假) and adjusted
//! working days (调休上班) listed as a table, and edited as one — a row per date or range.
//! A refused table comes back as typed, with the message beside its row.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate, Weekday};
use jiesu_domain::calendar::{CalendarError, Schedule};
use jiesu_domain::user::User;
use serde::Deserialize;

use super::support::today;
use super::{PageError, Shell, encode, redirect, render_form};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Blank rows offered under the entries, for adding new ones.
const BLANK_ROWS: usize = 4;

pub struct YearOpt {
    pub year: i32,
    pub official: bool,
    pub selected: bool,
}

/// One row of the schedule, as shown and as posted.
#[derive(Clone, Default)]
pub struct DayRow {
    pub first: String,
    pub last: String,
    /// `off` (放假) or `work` (调休上班).
    pub kind: String,
    pub name: String,
    /// `周一` … for a single day, `5天` for a range (shown only).
    pub span: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    shell: Shell,
    year: i32,
    years: Vec<YearOpt>,
    /// The year's entries in force (empty: none imported).
    current: Vec<DayRow>,
    /// The rows of the edit table.
    rows: Vec<DayRow>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
    ok: Option<String>,
}

fn weekday(day: NaiveDate) -> &'static str {
    match day.weekday() {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

fn rows_of(schedule: &Schedule) -> Vec<DayRow> {
    schedule
        .entries()
        .iter()
        .map(|e| DayRow {
            first: e.first.to_string(),
            last: if e.last == e.first {
                String::new()
            } else {
                e.last.to_string()
            },
            kind: e.kind.keyword().into(),
            name: e.name.clone(),
            span: if e.first == e.last {
                weekday(e.first).into()
            } else {
                format!("{}天", e.days().count())
            },
            error: None,
        })
        .collect()
}

async fn page(
    state: &AppState,
    user: &User,
    year: Option<i32>,
    notice: Option<String>,
    edited: Option<(Vec<DayRow>, String)>,
) -> Response {
    let calendar = state.timekeeper().calendar.clone();
    let this_year = today().year();
    let year = year.unwrap_or(this_year);
    let mut list = calendar.years();
    for y in [this_year, this_year + 1, year] {
        if !list.contains(&y) {
            list.push(y);
        }
    }
    list.sort_unstable();
    let current = calendar.schedule(year).map(rows_of).unwrap_or_default();
    let refused = edited.is_some();
    let (mut rows, error) = match edited {
        Some((rows, e)) => (rows, Some(e)),
        None => (current.clone(), None),
    };
    rows.extend((0..BLANK_ROWS).map(|_| DayRow {
        kind: "off".into(),
        ..DayRow::default()
    }));
    render_form(
        &CalendarPage {
            shell: Shell::load(state, user, "工作日历", "/admin/calendar")
                .await
                .with_notice(notice),
            year,
            years: list
                .into_iter()
                .map(|y| YearOpt {
                    year: y,
                    official: calendar.covers(y),
                    selected: y == year,
                })
                .collect(),
            current,
            rows,
            error,
        },
        refused,
    )
}

pub async fn calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Response {
    page(&state, &user.0, q.year, q.ok, None).await
}

/// The posted table: `year`, then `first.N`, `last.N`, `kind.N`, `name.N` per row.
fn posted(fields: &[(String, String)]) -> (Option<i32>, Vec<DayRow>) {
    let mut year = None;
    let mut rows: Vec<DayRow> = Vec::new();
    for (key, value) in fields {
        if key == "year" {
            year = value.trim().parse().ok();
            continue;
        }
        let Some((name, index)) = key.split_once('.') else {
            continue;
        };
        let Ok(i) = index.parse::<usize>() else {
            continue;
        };
        if i > 1_000 {
            continue;
        }
        if rows.len() <= i {
            rows.resize(i + 1, DayRow::default());
        }
        let row = &mut rows[i];
        let slot = match name {
            "first" => &mut row.first,
            "last" => &mut row.last,
            "kind" => &mut row.kind,
            "name" => &mut row.name,
            _ => continue,
        };
        *slot = value.trim().to_string();
    }
    rows.retain(|r| !r.first.is_empty() || !r.last.is_empty());
    (year, rows)
}

/// The rows as the calendar's year file: line 1 is the year, row `i` is line `i + 2`.
fn file_text(year: i32, rows: &[DayRow]) -> String {
    let mut text = format!("year {year}\n");
    for r in rows {
        let range = match (r.first.as_str(), r.last.as_str()) {
            ("", last) => last.to_string(),
            (first, "") => first.to_string(),
            (first, last) if first == last => first.to_string(),
            (first, last) => format!("{first}..{last}"),
        };
        let kind = if r.kind == "work" { "work" } else { "off" };
        let name: String = r.name.chars().filter(|c| *c != '#').collect();
        text.push_str(&format!("{range} {kind} {name}\n"));
    }
    text
}

/// A refusal placed at its row (index), in the table's words.
fn row_message(e: &CalendarError) -> (Option<usize>, String) {
    use CalendarError as E;
    let row = |line: usize| line.checked_sub(2);
    match e {
        E::Malformed { line, reason, .. } => (row(*line), reason.clone()),
        E::UnknownKeyword { line, .. } => (row(*line), "请选择放假或调休上班。".into()),
        E::OutOfOrder { line, reason, .. } => (row(*line), format!("日期顺序有误：{reason}")),
        E::Duplicate {
            line, other_line, ..
        } => (
            row(*line),
            format!("与第 {} 行重复。", other_line.saturating_sub(1)),
        ),
        E::Overlap {
            line, other_line, ..
        } => (
            row(*line),
            format!("与第 {} 行的日期重叠。", other_line.saturating_sub(1)),
        ),
        E::WrongYear { line, declared, .. } => (row(*line), format!("日期不在 {declared} 年内。")),
        E::WorkOnWeekday { line, date, .. } => (
            row(*line),
            format!("{date} 不是周六或周日，平日本来就上班，无需登记调休上班。"),
        ),
        other => (None, other.to_string()),
    }
}

/// Saves one year's schedule (as `PUT /api/calendar` does): every row valid, or nothing
/// changes.
pub async fn save_calendar_year(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (year, mut rows) = posted(&fields);
    let Some(year) = year else {
        let e = "请选择年份。".to_string();
        return Ok(page(&state, &user.0, None, None, Some((rows, e))).await);
    };
    let schedule = match Schedule::parse(&file_text(year, &rows)) {
        Ok(schedule) => schedule,
        Err(e) => {
            let (at, message) = row_message(&e);
            let summary = match at.and_then(|i| rows.get_mut(i)) {
                Some(row) => {
                    row.error = Some(message);
                    "有的行填写有误，请按提示修改。".to_string()
                }
                None => message,
            };
            return Ok(page(&state, &user.0, Some(year), None, Some((rows, summary))).await);
        }
    };
    state.save_calendar_year(&schedule).await?;
    Ok(redirect(&format!(
        "/admin/calendar?year={year}&ok={}",
        encode(&format!("已保存 {year} 年节假日安排"))
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_the_year_file_and_errors_find_their_row() {
        let rows = vec![
            DayRow {
                first: "2027-01-01".into(),
                kind: "off".into(),
                name: "元旦".into(),
                ..DayRow::default()
            },
            DayRow {
                first: "2027-01-06".into(),
                kind: "work".into(),
                ..DayRow::default()
            },
        ];
        let e = Schedule::parse(&file_text(2027, &rows)).unwrap_err();
        let (at, message) = row_message(&e);
        assert_eq!(at, Some(1));
        assert!(message.contains("不是周六或周日"), "{message}");
        let ok = Schedule::parse(&file_text(2027, &rows[..1])).unwrap();
        assert_eq!(ok.entries().len(), 1);
    }
}
