//! The routing table page (派单规则, admin): which body answers for a first-level category
//! in an area. Every rule is one row of the form; a row without a body is dropped, blank
//! rows add rules. Smart and automatic dispatch use the table as soon as it is saved.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use jiesu_domain::ids::BodyId;
use jiesu_domain::routing::RoutingRule;

use super::support::{BodyOpt, Notice, Opt, body_options, options};
use super::{PageError, Shell, encode, redirect, render};
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

#[derive(Template)]
#[template(path = "admin_routing.html")]
struct RoutingPage {
    shell: Shell,
    rows: Vec<RuleRow>,
    count: usize,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let taxonomy = state.taxonomy();
    let table = state.routing();
    let blank = RoutingRule {
        category: None,
        area: None,
        body: BodyId(0),
    };
    let rows = table
        .rules
        .iter()
        .chain(std::iter::repeat_n(&blank, BLANK_ROWS))
        .enumerate()
        .map(|(index, rule)| {
            let current = rule.category.as_deref().unwrap_or("");
            RuleRow {
                index,
                categories: options(
                    std::iter::once(("", "（任意分类）"))
                        .chain(taxonomy.first_levels().into_iter().map(|c| (c, c))),
                    current,
                ),
                area: rule.area.clone().unwrap_or_default(),
                bodies: body_options(&bodies, Some(rule.body)),
            }
        })
        .collect();
    Ok(render(&RoutingPage {
        shell: Shell::load(&state, &user.0, "派单规则", "/admin/routing")
            .await
            .with_notice(n.ok),
        rows,
        count: table.rules.len(),
    }))
}

/// Replaces the table with the posted rows (`category`, `area`, `body`, in row order).
pub async fn save(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/routing");
    let values = |key: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .collect()
    };
    let (categories, areas, bodies) = (values("category"), values("area"), values("body"));
    if categories.len() != bodies.len() || areas.len() != bodies.len() {
        return Err(back(PageError::invalid("表单不完整，请刷新页面后重试。")));
    }
    let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
    let mut rules = Vec::new();
    for (i, ((category, area), body)) in categories.iter().zip(&areas).zip(&bodies).enumerate() {
        if body.is_empty() {
            continue;
        }
        let body = body.parse::<i64>().map_err(|_| {
            back(PageError::invalid(format!(
                "第 {} 行的承办单位无效。",
                i + 1
            )))
        })?;
        rules.push(RoutingRule {
            category: some(category),
            area: some(area),
            body: BodyId(body),
        });
    }
    let n = rules.len();
    state
        .save_routing(rules)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!(
        "/admin/routing?ok={}",
        encode(&format!("已保存 {n} 条派单规则"))
    )))
}
