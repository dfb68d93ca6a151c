//! The administrators' station pages (联络站管理): the stations with their representatives
//! and opening days, a form to add one and to change one.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use jiesu_domain::ids::UserId;
use jiesu_domain::station::{StationDraft, WEEK, weekday_label};
use jiesu_domain::user::Role;
use serde::Deserialize;

use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

pub struct AdminRow {
    pub id: i64,
    pub name: String,
    pub area: String,
    pub representatives: String,
    pub opening: String,
}

pub struct Check {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin_stations.html")]
struct AdminPage {
    shell: Shell,
    rows: Vec<AdminRow>,
    /// The station being changed (`None`: the form adds one).
    editing: Option<i64>,
    form: StationDraft,
    representatives: Vec<Check>,
    days: Vec<Check>,
}

#[derive(Deserialize)]
pub struct AdminQuery {
    ok: Option<String>,
    edit: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AdminQuery>,
) -> Result<Response, PageError> {
    let stations = state.store.stations().await?;
    let users = state.store.users().await?;
    let name_of = |id: &UserId| {
        users
            .iter()
            .find(|u| u.id == *id)
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let form = match q.edit {
        Some(id) => state.store.station(id).await?.draft,
        None => StationDraft {
            name: String::new(),
            address: String::new(),
            district: String::new(),
            street: String::new(),
            representatives: Vec::new(),
            opening_days: Vec::new(),
        },
    };
    let rows = stations
        .iter()
        .map(|s| AdminRow {
            id: s.id,
            name: s.draft.name.clone(),
            area: format!("{}{}", s.draft.district, s.draft.street),
            representatives: s
                .draft
                .representatives
                .iter()
                .map(name_of)
                .collect::<Vec<_>>()
                .join("、"),
            opening: s.draft.opening_label(),
        })
        .collect();
    let representatives = users
        .iter()
        .filter(|u| u.role == Role::Representative)
        .map(|u| Check {
            value: u.id.0.to_string(),
            label: u.display_name.clone(),
            checked: form.representatives.contains(&u.id),
        })
        .collect();
    let days = WEEK
        .iter()
        .map(|d| Check {
            value: d.to_string(),
            label: weekday_label(*d).into(),
            checked: form.opening_days.contains(d),
        })
        .collect();
    Ok(render(&AdminPage {
        shell: Shell::load(&state, &user.0, "联络站管理", "/admin/stations")
            .await
            .with_notice(q.ok),
        rows,
        editing: q.edit,
        form,
        representatives,
        days,
    }))
}

/// The form's fields; representatives and days repeat.
fn draft_of(fields: Vec<(String, String)>) -> Result<(Option<i64>, StationDraft), PageError> {
    let mut id = None;
    let mut draft = StationDraft {
        name: String::new(),
        address: String::new(),
        district: String::new(),
        street: String::new(),
        representatives: Vec::new(),
        opening_days: Vec::new(),
    };
    for (name, value) in fields {
        let number = || {
            value
                .trim()
                .parse::<i64>()
                .map_err(|_| PageError::invalid(format!("「{value}」不是有效的编号")))
        };
        match name.as_str() {
            "id" if !value.trim().is_empty() => id = Some(number()?),
            "name" => draft.name = value,
            "address" => draft.address = value,
            "district" => draft.district = value,
            "street" => draft.street = value,
            "representative" => draft.representatives.push(UserId(number()?)),
            "day" => draft
                .opening_days
                .push(u8::try_from(number()?).map_err(|_| PageError::invalid("开放日不合法"))?),
            _ => {}
        }
    }
    Ok((id, draft))
}

pub async fn save(
    State(state): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/stations");
    let (id, draft) = draft_of(fields).map_err(back)?;
    let name = draft.name.trim().to_string();
    state
        .save_station(id, draft)
        .await
        .map_err(|e| back(e.into()))?;
    let notice = match id {
        Some(_) => format!("已保存联络站「{name}」"),
        None => format!("已新增联络站「{name}」"),
    };
    Ok(redirect(&format!("/admin/stations?ok={}", encode(&notice))))
}
