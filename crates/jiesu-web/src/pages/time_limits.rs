//! The time-limit rules (时限规则) edited as a table in Chinese: one row per combination of
//! type, first-level category and urgency, with the limit of each stage written as people
//! say it (`1个工作日`, `8个工作小时`, `2小时`). A refused table comes back as typed, with the
//! message beside its row; nothing changes until the whole table is valid.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use jiesu_domain::deadline::{Limit, RuleBook, RuleError, TimeLimitRule};
use jiesu_domain::kinds::{AppealType, Urgency};
use jiesu_domain::user::User;

use super::support::{Notice, Opt, options};
use super::{PageError, Shell, encode, redirect, render_form};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Blank rows offered under the rules, for adding new ones.
const BLANK_ROWS: usize = 3;

/// What a row stands for when a selector is left open.
const ANY: &str = "不限";

/// One row of the table, as shown and as posted.
#[derive(Clone, Default)]
pub struct RuleRow {
    pub appeal_type: String,
    pub category: String,
    pub urgency: String,
    pub sign: String,
    pub contact: String,
    pub reply: String,
    pub close: String,
    /// Why this row was refused.
    pub error: Option<String>,
}

/// A row with its choices.
pub struct RowView {
    pub row: RuleRow,
    pub types: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub urgencies: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "admin_time_limits.html")]
struct TimeLimitsPage {
    shell: Shell,
    rows: Vec<RowView>,
    /// How many rules are in force.
    count: usize,
    warn_percent: String,
    /// The co-bodies' limit (协办时限), as written.
    co_limit: String,
    /// A problem with the whole table.
    error: Option<String>,
}

fn row_of(r: &TimeLimitRule) -> RuleRow {
    RuleRow {
        appeal_type: r.appeal_type.map_or(ANY, AppealType::label).into(),
        category: r.category_l1.clone().unwrap_or_else(|| ANY.into()),
        urgency: r.urgency.map_or(ANY, Urgency::label).into(),
        sign: r.sign.to_string(),
        contact: r.contact.to_string(),
        reply: r.reply.to_string(),
        close: r.close.to_string(),
        error: None,
    }
}

async fn page(
    state: &AppState,
    user: &User,
    notice: Option<String>,
    edited: Option<(Vec<RuleRow>, String, String, Option<String>)>,
) -> Response {
    let rules = state.timekeeper().rules.clone();
    let refused = edited.is_some();
    let (mut rows, warn_percent, co_limit, error) = edited.unwrap_or_else(|| {
        (
            rules.rules().iter().map(row_of).collect(),
            format!("{:.0}", rules.warn_share() * 100.0),
            rules.co_opinion().to_string(),
            None,
        )
    });
    rows.extend((0..BLANK_ROWS).map(|_| RuleRow::default()));
    let taxonomy = state.taxonomy();
    let any = [(ANY, ANY)];
    let views = rows
        .into_iter()
        .map(|row| RowView {
            types: options(
                any.into_iter()
                    .chain(AppealType::ALL.iter().map(|t| (t.label(), t.label()))),
                &row.appeal_type,
            ),
            categories: options(
                any.into_iter()
                    .chain(taxonomy.first_levels().into_iter().map(|c| (c, c))),
                &row.category,
            ),
            urgencies: options(
                any.into_iter()
                    .chain(Urgency::ALL.iter().map(|u| (u.label(), u.label()))),
                &row.urgency,
            ),
            row,
        })
        .collect();
    render_form(
        &TimeLimitsPage {
            shell: Shell::load(state, user, "时限规则", "/admin/time-limits")
                .await
                .with_notice(notice),
            rows: views,
            count: rules.rules().len(),
            warn_percent,
            co_limit,
            error,
        },
        refused,
    )
}

pub async fn time_limits(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Response {
    page(&state, &user.0, n.ok, None).await
}

/// The posted table: `type.0`, `sign.0`, … one index per row, and `warn`.
fn posted_rows(fields: &[(String, String)]) -> (Vec<RuleRow>, String) {
    let mut rows: Vec<RuleRow> = Vec::new();
    let mut warn = String::new();
    for (key, value) in fields {
        if key == "warn" {
            warn = value.trim().to_string();
            continue;
        }
        let Some((name, index)) = key.split_once('.') else {
            continue;
        };
        let Ok(i) = index.parse::<usize>() else {
            continue;
        };
        if i > 10_000 {
            continue;
        }
        if rows.len() <= i {
            rows.resize(i + 1, RuleRow::default());
        }
        let row = &mut rows[i];
        let slot = match name {
            "type" => &mut row.appeal_type,
            "category" => &mut row.category,
            "urgency" => &mut row.urgency,
            "sign" => &mut row.sign,
            "contact" => &mut row.contact,
            "reply" => &mut row.reply,
            "close" => &mut row.close,
            _ => continue,
        };
        *slot = value.trim().to_string();
    }
    let blank = |r: &RuleRow| {
        [&r.sign, &r.contact, &r.reply, &r.close]
            .iter()
            .all(|s| s.is_empty())
    };
    rows.retain(|r| !blank(r));
    (rows, warn)
}

fn selector<T>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, jiesu_domain::DomainError>,
) -> Option<T> {
    match text {
        "" | ANY => None,
        t => parse(t).ok(),
    }
}

/// A row as a rule, or why it cannot be one (in the table's words).
fn rule_of(row: &RuleRow) -> Result<TimeLimitRule, String> {
    let limit = |label: &str, text: &str| -> Result<Limit, String> {
        if text.is_empty() {
            return Err(format!("请填写{label}时限"));
        }
        text.parse::<Limit>().map_err(|e| format!("{label}：{e}"))
    };
    Ok(TimeLimitRule {
        appeal_type: selector(&row.appeal_type, AppealType::parse),
        category_l1: Some(row.category.clone()).filter(|c| !c.is_empty() && c != ANY),
        urgency: selector(&row.urgency, Urgency::parse),
        sign: limit("签收", &row.sign)?,
        contact: limit("首次联系", &row.contact)?,
        reply: limit("答复", &row.reply)?,
        close: limit("办结", &row.close)?,
    })
}

/// A refusal of the whole table, in the table's words.
fn table_message(e: &RuleError) -> String {
    match e {
        RuleError::DuplicateRule { .. } => {
            "有两行的诉求类型、一级分类和紧急程度完全相同，请合并为一行。".into()
        }
        RuleError::NoFallback => {
            "缺少兜底规则：须保留一行诉求类型、一级分类、紧急程度均为「不限」。".into()
        }
        RuleError::InvalidWarnShare { .. } => "临期比例应为 1 到 100 之间的整数。".into(),
        other => other.to_string(),
    }
}

/// Saves the table (as `PUT /api/time-limits` does): every row valid, or nothing changes.
pub async fn replace_time_limits(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (mut rows, warn) = posted_rows(&fields);
    let co = fields
        .iter()
        .find(|(k, _)| k == "co")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let mut rules = Vec::new();
    for row in rows.iter_mut() {
        match rule_of(row) {
            Ok(rule) => rules.push(rule),
            Err(e) => row.error = Some(e),
        }
    }
    let refuse = |rows: Vec<RuleRow>, warn: String, e: Option<String>| {
        page(&state, &user.0, None, Some((rows, warn, co.clone(), e)))
    };
    if rows.iter().any(|r| r.error.is_some()) {
        return Ok(refuse(rows, warn, Some("有的行填写有误，请按提示修改。".into())).await);
    }
    let share = match warn.parse::<u32>() {
        Ok(p) if (1..=100).contains(&p) => f64::from(p) / 100.0,
        _ => {
            let e = "临期比例应为 1 到 100 之间的整数。".to_string();
            return Ok(refuse(rows, warn, Some(e)).await);
        }
    };
    // Left out or blank: the co-bodies' limit stays as it is.
    let co_limit = match co.parse::<Limit>() {
        _ if co.is_empty() => state.timekeeper().rules.co_opinion(),
        Ok(limit) => limit,
        Err(e) => return Ok(refuse(rows, warn, Some(format!("协办时限：{e}"))).await),
    };
    let book = match RuleBook::new(rules, share).and_then(|b| b.with_co_opinion(co_limit)) {
        Ok(book) => book,
        Err(e) => return Ok(refuse(rows, warn, Some(table_message(&e))).await),
    };
    let n = book.rules().len();
    state.save_time_limits(&book).await?;
    Ok(redirect(&format!(
        "/admin/time-limits?ok={}",
        encode(&format!("已保存 {n} 条时限规则"))
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn rows_are_read_by_index_and_blank_rows_dropped() {
        let (rows, warn) = posted_rows(&post(&[
            ("warn", "80"),
            ("type.0", "不限"),
            ("sign.0", "1个工作日"),
            ("contact.0", "1个工作日"),
            ("reply.0", "13个工作日"),
            ("close.0", "5个工作日"),
            ("type.1", "投诉"),
        ]));
        assert_eq!(warn, "80");
        assert_eq!(rows.len(), 1);
        let rule = rule_of(&rows[0]).unwrap();
        assert_eq!(rule.reply, Limit::WorkingDays(13));
        assert!(rule.appeal_type.is_none());
    }

    #[test]
    fn a_bad_limit_is_named_by_its_stage() {
        let row = RuleRow {
            sign: "1个工作日".into(),
            contact: "1个工作日".into(),
            reply: "十三天".into(),
            close: "5个工作日".into(),
            ..RuleRow::default()
        };
        let e = rule_of(&row).unwrap_err();
        assert!(e.starts_with("答复："), "{e}");
    }
}
