//! The routing table page (派单规则, admin): which body answers for a first-level category
//! in an area. Every rule is one row of the form; a row without a body is dropped, blank
//! rows add rules. Smart and automatic dispatch use the table as soon as it is saved; a
//! refused table comes back as typed, with the reason above it.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use jiesu_app::AppError;
use jiesu_domain::DomainError;
use jiesu_domain::ids::BodyId;
use jiesu_domain::routing::RoutingRule;

use super::form::refusal;
use super::support::{BodyOpt, Notice, Opt, body_options, options};
use super::{PageError, Shell, encode, redirect, render_form};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Blank rows offered for new rules.
const BLANK_ROWS: usize = 3;

pub struct RuleRow {
    pub index: usize,
    pub categories: Vec<Opt>,
    pub area: String,
    pub bodies: Vec<BodyOpt>,
}

/// A row as typed: the category, the area and the body's id as posted.
#[derive(Default)]
struct TypedRule {
    category: String,
    area: String,
    body: String,
}

impl TypedRule {
    fn of(rule: &RoutingRule) -> TypedRule {
        TypedRule {
            category: rule.category.clone().unwrap_or_default(),
            area: rule.area.clone().unwrap_or_default(),
            body: rule.body.0.to_string(),
        }
    }

    fn is_blank(&self) -> bool {
        self.category.is_empty() && self.area.is_empty() && self.body.is_empty()
    }
}

#[derive(Template)]
#[template(path = "admin_routing.html")]
struct RoutingPage {
    shell: Shell,
    rows: Vec<RuleRow>,
    count: usize,
    /// Why the table typed was refused.
    error: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    show(&state, &user, n.ok, None).await
}

/// The page with the saved rules, or the rows typed and why they were refused (then
/// answered with 422); blank rows follow.
async fn show(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<String>,
    refused: Option<(Vec<TypedRule>, String)>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let taxonomy = state.taxonomy();
    let count = state.routing().rules.len();
    let (typed, error) = match refused {
        Some((typed, e)) => (typed, Some(e)),
        None => (
            state.routing().rules.iter().map(TypedRule::of).collect(),
            None,
        ),
    };
    let rows = typed
        .into_iter()
        .filter(|row| !row.is_blank())
        .chain(std::iter::repeat_with(TypedRule::default).take(BLANK_ROWS))
        .enumerate()
        .map(|(index, row)| RuleRow {
            index,
            categories: options(
                std::iter::once(("", "（任意分类）"))
                    .chain(taxonomy.first_levels().into_iter().map(|c| (c, c))),
                &row.category,
            ),
            bodies: body_options(&bodies, row.body.parse().ok().map(BodyId)),
            area: row.area,
        })
        .collect();
    let invalid = error.is_some();
    Ok(render_form(
        &RoutingPage {
            shell: Shell::load(state, &user.0, "派单规则", "/admin/routing")
                .await
                .with_notice(notice),
            rows,
            count,
            error,
        },
        invalid,
    ))
}

/// The rules of the rows typed (a row without a body dropped).
fn rules_of(typed: &[TypedRule]) -> Result<Vec<RoutingRule>, AppError> {
    let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
    let mut rules = Vec::new();
    for (i, row) in typed.iter().enumerate() {
        if row.body.is_empty() {
            continue;
        }
        let body = row
            .body
            .parse::<i64>()
            .map_err(|_| DomainError::InvalidField {
                field: "body",
                reason: format!("第 {} 行的承办单位无效", i + 1),
            })?;
        rules.push(RoutingRule {
            category: some(&row.category),
            area: some(&row.area),
            body: BodyId(body),
        });
    }
    Ok(rules)
}

/// Replaces the table with the posted rows (`category`, `area`, `body`, in row order).
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = |key: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    };
    let (categories, areas, bodies) = (values("category"), values("area"), values("body"));
    if categories.len() != bodies.len() || areas.len() != bodies.len() {
        return Err(PageError::invalid("表单不完整，请刷新页面后重试。").back("/admin/routing"));
    }
    let typed: Vec<TypedRule> = categories
        .into_iter()
        .zip(areas)
        .zip(bodies)
        .map(|((category, area), body)| TypedRule {
            category,
            area,
            body,
        })
        .collect();
    let saved = match rules_of(&typed) {
        Ok(rules) => state.save_routing(rules).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(table) => Ok(redirect(&format!(
            "/admin/routing?ok={}",
            encode(&format!("已保存 {} 条派单规则", table.rules.len()))
        ))),
        Err(e) => show(&state, &user, None, Some((typed, refusal(e)?))).await,
    }
}
