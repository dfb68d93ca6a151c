//! The admin's service-point page (`/admin/points`, 点位管理): kinds and their facility
//! checklists, adding and deleting points, and the point table in and out (CSV / XLSX; an
//! import is all rows or none, a bad row named by its line).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiesu_app::points::Format;
use jiesu_domain::point::{PointDraft, PointKind};
use serde::Deserialize;

use super::support::{Notice, Opt};
use super::{PageError, Shell, encode, redirect, render};
use crate::api::points::table_download;
use crate::extract::CurrentUser;
use crate::state::AppState;
use crate::uploads::FormWithFiles;

/// Points listed on the admin page (the newest).
const LISTED: usize = 50;
const HERE: &str = "/admin/points";

pub struct KindRow {
    pub name: String,
    pub facilities: String,
    pub points: usize,
}

pub struct PointRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub place: String,
}

#[derive(Template)]
#[template(path = "admin_points.html")]
struct AdminPage {
    shell: Shell,
    kinds: Vec<KindRow>,
    kind_opts: Vec<Opt>,
    districts: Vec<Opt>,
    points: Vec<PointRow>,
    total: usize,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let kinds = state.point_kinds().await?;
    let index = state.point_index().await?;
    let gazetteer = jiesu_app::points::gazetteer::Gazetteer::of(&state.store.bodies().await?);
    let opt = |v: &str| Opt {
        value: v.into(),
        label: v.into(),
        selected: false,
    };
    Ok(render(&AdminPage {
        shell: Shell::load(&state, &user.0, "点位管理", HERE)
            .await
            .with_notice(n.ok),
        kinds: kinds
            .iter()
            .map(|k| KindRow {
                name: k.name.clone(),
                facilities: k.facilities.join("、"),
                points: index
                    .points()
                    .iter()
                    .filter(|p| p.draft.kind == k.name)
                    .count(),
            })
            .collect(),
        kind_opts: kinds.iter().map(|k| opt(&k.name)).collect(),
        districts: gazetteer.districts().map(opt).collect(),
        points: index
            .points()
            .iter()
            .rev()
            .take(LISTED)
            .map(|p| PointRow {
                id: p.id,
                name: p.draft.name.clone(),
                kind: p.draft.kind.clone(),
                place: format!("{}{}", p.draft.district, p.draft.street),
            })
            .collect(),
        total: index.len(),
    }))
}

fn list(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn done(message: &str) -> Response {
    redirect(&format!("{HERE}?ok={}", encode(message)))
}

fn refused(e: jiesu_app::AppError) -> PageError {
    PageError::invalid(jiesu_app::points::describe(&e)).back(HERE)
}

#[derive(Deserialize)]
pub struct KindForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    facilities: String,
}

pub async fn save_kind(
    State(state): State<AppState>,
    Form(f): Form<KindForm>,
) -> Result<Response, PageError> {
    let kind = state
        .save_point_kind(PointKind {
            name: f.name,
            facilities: list(&f.facilities),
        })
        .await
        .map_err(refused)?;
    Ok(done(&format!("已保存点位类型「{}」", kind.name)))
}

#[derive(Deserialize)]
pub struct PointForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    facilities: String,
}

pub async fn add_point(
    State(state): State<AppState>,
    Form(f): Form<PointForm>,
) -> Result<Response, PageError> {
    let number = |v: &str, what: &str| {
        v.trim()
            .parse::<f64>()
            .map_err(|_| PageError::invalid(format!("{what}须为数字，例如 112.45")).back(HERE))
    };
    let draft = PointDraft {
        name: f.name,
        kind: f.kind,
        address: f.address,
        lon: number(&f.lon, "经度")?,
        lat: number(&f.lat, "纬度")?,
        district: f.district,
        street: f.street,
        hours: f.hours,
        contact: f.contact,
        facilities: list(&f.facilities),
    };
    let name = draft.name.trim().to_string();
    let id = state.save_point(None, draft).await.map_err(refused)?;
    Ok(redirect(&format!(
        "/points/{id}?ok={}",
        encode(&format!("已新增点位「{name}」"))
    )))
}

pub async fn delete_point(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.delete_point(id).await.map_err(refused)?;
    Ok(done(&format!("已删除点位 {id}")))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn import(
    State(state): State<AppState>,
    FormWithFiles(_, files): FormWithFiles<Empty>,
) -> Result<Response, PageError> {
    let Some(file) = files.first() else {
        return Err(PageError::invalid("请选择要导入的 CSV 或 XLSX 文件。").back(HERE));
    };
    let format = Format::of_name(&file.name)
        .ok_or_else(|| PageError::invalid("仅支持 .csv 或 .xlsx 文件。").back(HERE))?;
    let ids = state
        .import_points(&file.content, format)
        .await
        .map_err(refused)?;
    Ok(done(&format!("已导入 {} 个点位", ids.len())))
}

pub async fn export_csv(State(state): State<AppState>) -> Result<Response, PageError> {
    Ok(table_download(&state, Format::Csv).await?)
}

pub async fn export_xlsx(State(state): State<AppState>) -> Result<Response, PageError> {
    Ok(table_download(&state, Format::Xlsx).await?)
}
