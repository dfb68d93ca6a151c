//! Administration pages (系统管理): bodies, users and the category taxonomy. The time-limit
//! rules are in [`super::time_limits`], the working-day calendar in [`super::calendar`].

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiesu_domain::appeal::clean_text;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::category::Taxonomy;
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::{NewUser, Role};
use serde::Deserialize;

use super::support::{BodyOpt, Notice, Opt, body_name, body_options, options};
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
