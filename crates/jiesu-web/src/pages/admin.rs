//! Administration pages (系统管理): bodies, users, the category taxonomy, the time-limit
//! rules (时限规则) and the working-day calendar (工作日历).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiesu_domain::appeal::clean_text;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::calendar::Schedule;
use jiesu_domain::category::Taxonomy;
use jiesu_domain::deadline::RuleBook;
use jiesu_domain::ids::BodyId;
use jiesu_domain::kinds::{AppealType, Urgency};
use jiesu_domain::user::{NewUser, Role, User};
use serde::Deserialize;

use super::support::{BodyOpt, Notice, Opt, body_name, body_options, options, today};
use super::{PageError, Shell, encode, redirect, render};
use crate::accounts::check_new_account;
use crate::extract::CurrentUser;
use crate::state::AppState;
use jiesu_app::auth::hash_password;

pub struct BodyRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub parent: String,
    pub areas: String,
}

#[derive(Template)]
#[template(path = "admin_bodies.html")]
struct BodiesPage {
    shell: Shell,
    rows: Vec<BodyRow>,
    kinds: Vec<Opt>,
    parents: Vec<BodyOpt>,
}

pub async fn bodies(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let rows = bodies
        .iter()
        .map(|b| BodyRow {
            id: b.id.0,
            name: b.name.clone(),
            kind: b.kind.label(),
            parent: body_name(&bodies, b.parent),
            areas: b.areas.join("、"),
        })
        .collect();
    Ok(render(&BodiesPage {
        shell: Shell::load(&state, &user.0, "承办单位", "/admin/bodies")
            .await
            .with_notice(n.ok),
        rows,
        kinds: options(
            BodyKind::ALL.iter().map(|k| (k.label(), k.label())),
            BodyKind::Street.label(),
        ),
        parents: body_options(&bodies, None),
    }))
}

#[derive(Deserialize)]
pub struct BodyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    areas: String,
}

pub async fn create_body(
    State(state): State<AppState>,
    Form(form): Form<BodyForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/bodies");
    let name = clean_text("name", &form.name, 100, true).map_err(|e| back(e.into()))?;
    let mut areas = Vec::new();
    for area in form
        .areas
        .split(['、', ',', '，', '\n'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        areas.push(clean_text("areas", area, 100, true).map_err(|e| back(e.into()))?);
    }
    let parent = form.parent.trim().parse().ok().map(BodyId);
    let body = NewBody {
        name,
        kind: BodyKind::parse(&form.kind).map_err(|e| back(e.into()))?,
        parent,
        areas,
    };
    let created = state
        .store
        .create_body(&body)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!(
        "/admin/bodies?ok={}",
        encode(&format!("已新增单位「{}」", created.name))
    )))
}

pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub body: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    shell: Shell,
    rows: Vec<UserRow>,
    roles: Vec<Opt>,
    bodies: Vec<BodyOpt>,
}

pub async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let rows = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            body: body_name(&bodies, u.body),
            username: u.username,
            display_name: u.display_name,
            role: u.role.label(),
        })
        .collect();
    Ok(render(&UsersPage {
        shell: Shell::load(&state, &user.0, "用户管理", "/admin/users")
            .await
            .with_notice(n.ok),
        rows,
        roles: options(
            Role::ALL.iter().map(|r| (r.label(), r.label())),
            Role::Handler.label(),
        ),
        bodies: body_options(&bodies, None),
    }))
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    password: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    Form(form): Form<UserForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/users");
    let username = clean_text("username", &form.username, 50, true).map_err(|e| back(e.into()))?;
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return Err(back(PageError::invalid(
            "用户名只能包含字母、数字、下划线和点。",
        )));
    }
    check_new_account(&state, &username, &form.password)
        .await
        .map_err(|e| back(e.into()))?;
    let role = Role::parse(&form.role).map_err(|e| back(e.into()))?;
    let body = form.body.trim().parse().ok().map(BodyId);
    if role == Role::Handler && body.is_none() {
        return Err(back(PageError::invalid("承办人必须属于一个单位。")));
    }
    if let Some(b) = body
        && !state.store.bodies().await?.iter().any(|x| x.id == b)
    {
        return Err(back(PageError::invalid("单位不存在。")));
    }
    let new = NewUser {
        username,
        display_name: clean_text("display_name", &form.display_name, 50, true)
            .map_err(|e| back(e.into()))?,
        role,
        body,
    };
    let hash = hash_password(form.password).await.map_err(|e| {
        tracing::error!(%e, "password hashing failed");
        PageError::internal()
    })?;
    let created = state.store.create_user(&new, &hash).await.map_err(|e| {
        back(match e {
            jiesu_store::StoreError::Unique { .. } => PageError::new(
                StatusCode::CONFLICT,
                "用户名已存在",
                "该用户名已被使用，请换一个。",
            ),
            e => e.into(),
        })
    })?;
    Ok(redirect(&format!(
        "/admin/users?ok={}",
        encode(&format!("已新增用户「{}」", created.username))
    )))
}

pub struct CategoryRow {
    pub l1: String,
    pub l2: String,
    pub l3: String,
}

#[derive(Template)]
#[template(path = "admin_categories.html")]
struct CategoriesPage {
    shell: Shell,
    rows: Vec<CategoryRow>,
    count: usize,
    first_levels: usize,
}

pub async fn categories(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Response {
    let taxonomy = state.taxonomy();
    let level = |l: &[String], i: usize| l.get(i).cloned().unwrap_or_default();
    let rows: Vec<CategoryRow> = taxonomy
        .leaves()
        .map(|p| CategoryRow {
            l1: level(p.levels(), 0),
            l2: level(p.levels(), 1),
            l3: level(p.levels(), 2),
        })
        .collect();
    render(&CategoriesPage {
        shell: Shell::load(&state, &user.0, "诉求分类", "/admin/categories")
            .await
            .with_notice(n.ok),
        count: rows.len(),
        first_levels: taxonomy.first_levels().len(),
        rows,
    })
}

#[derive(Deserialize)]
pub struct CsvForm {
    #[serde(default)]
    csv: String,
}

pub async fn replace_categories(
    State(state): State<AppState>,
    Form(form): Form<CsvForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/categories");
    let taxonomy = Taxonomy::from_csv(&form.csv).map_err(|e| back(e.into()))?;
    let n = taxonomy.leaves().count();
    state
        .save_taxonomy(&taxonomy)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!(
        "/admin/categories?ok={}",
        encode(&format!("已导入 {n} 条分类"))
    )))
}

// ---------- time-limit rules ----------

pub struct RuleRow {
    pub appeal_type: &'static str,
    pub category: String,
    pub urgency: &'static str,
    pub sign: String,
    pub contact: String,
    pub reply: String,
    pub close: String,
}

#[derive(Template)]
#[template(path = "admin_time_limits.html")]
struct TimeLimitsPage {
    shell: Shell,
    rows: Vec<RuleRow>,
    warn_percent: String,
    co_limit: String,
    json: String,
    error: Option<String>,
}

async fn time_limits_page(
    state: &AppState,
    user: &User,
    notice: Option<String>,
    edited: Option<(String, String)>,
) -> Response {
    let rules = state.timekeeper().rules.clone();
    let rows = rules
        .rules()
        .iter()
        .map(|r| RuleRow {
            appeal_type: r.appeal_type.map_or("不限", AppealType::label),
            category: r.category_l1.clone().unwrap_or_else(|| "不限".into()),
            urgency: r.urgency.map_or("不限", Urgency::label),
            sign: r.sign.to_string(),
            contact: r.contact.to_string(),
            reply: r.reply.to_string(),
            close: r.close.to_string(),
        })
        .collect();
    let (json, error) = match edited {
        Some((text, error)) => (text, Some(error)),
        None => (rules.to_json(), None),
    };
    let page = TimeLimitsPage {
        shell: Shell::load(state, user, "时限规则", "/admin/time-limits")
            .await
            .with_notice(notice),
        rows,
        warn_percent: format!("{:.0}%", rules.warn_share() * 100.0),
        co_limit: rules.co_opinion().to_string(),
        json,
        error,
    };
    render_form(&page, page.error.is_some())
}

/// A settings page; 422 when it shows a refused edit.
fn render_form(page: &impl Template, refused: bool) -> Response {
    let mut response = render(page);
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn time_limits(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Response {
    time_limits_page(&state, &user.0, n.ok, None).await
}

#[derive(Deserialize)]
pub struct JsonForm {
    #[serde(default)]
    json: String,
}

/// Replaces the rules (as `PUT /api/time-limits`): a mistake is shown above the text, in
/// Chinese with the field named, and nothing changes.
pub async fn replace_time_limits(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<JsonForm>,
) -> Result<Response, PageError> {
    let rules = match RuleBook::from_json(&form.json) {
        Ok(rules) => rules,
        Err(e) => {
            let edited = Some((form.json, e.to_string()));
            return Ok(time_limits_page(&state, &user.0, None, edited).await);
        }
    };
    let n = rules.rules().len();
    state.save_time_limits(&rules).await?;
    Ok(redirect(&format!(
        "/admin/time-limits?ok={}",
        encode(&format!("已保存 {n} 条时限规则"))
    )))
}

// ---------- the working-day calendar ----------

pub struct YearOpt {
    pub year: i32,
    pub official: bool,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    shell: Shell,
    year: i32,
    years: Vec<YearOpt>,
    /// The year's schedule as file text; `None` when the year has none.
    text: Option<String>,
    draft: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
    ok: Option<String>,
}

async fn calendar_page(
    state: &AppState,
    user: &User,
    year: Option<i32>,
    notice: Option<String>,
    edited: Option<(String, String)>,
) -> Response {
    use chrono::Datelike;
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
    let (draft, error) = match edited {
        Some((text, error)) => (text, Some(error)),
        None => (String::new(), None),
    };
    let page = CalendarPage {
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
        text: calendar.to_file_text(year),
        draft,
        error,
    };
    render_form(&page, page.error.is_some())
}

pub async fn calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Response {
    calendar_page(&state, &user.0, q.year, q.ok, None).await
}

#[derive(Deserialize)]
pub struct YearFile {
    #[serde(default)]
    text: String,
}

/// Imports one year's schedule (as `PUT /api/calendar`); a mistake names the line.
pub async fn import_calendar_year(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<YearFile>,
) -> Result<Response, PageError> {
    let schedule = match Schedule::parse(&form.text) {
        Ok(schedule) => schedule,
        Err(e) => {
            let edited = Some((form.text, e.to_string()));
            return Ok(calendar_page(&state, &user.0, None, None, edited).await);
        }
    };
    let year = schedule.year();
    state.save_calendar_year(&schedule).await?;
    Ok(redirect(&format!(
        "/admin/calendar?year={year}&ok={}",
        encode(&format!("已导入 {year} 年节假日安排"))
    )))
}
