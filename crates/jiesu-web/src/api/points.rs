//! Service points (便民点位): the public list, each point, the nearest to a place and the
//! map's districts; the admin's kinds, points, map and point table (import, export); the
//! open appeals naming a point, and naming a point on an appeal.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiesu_app::points::Format;
use jiesu_domain::DomainError;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::ids::AppealId;
use jiesu_domain::point::{Coord, MapArea, Point, PointDraft, PointKind};
use jiesu_store::PointFilter;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use super::appeals::visible_appeal;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

/// The most points one nearest query returns.
const MAX_NEAREST: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/points", get(list).post(create))
        .route("/api/points/nearest", get(nearest))
        .route("/api/points/map", get(map).put(save_map))
        .route("/api/points/import", post(import))
        .route("/api/points/export", get(export))
        .route("/api/points/{id}", get(one).put(replace).delete(remove))
        .route("/api/points/{id}/appeals", get(open_appeals))
        .route("/api/point-kinds", get(kinds).post(save_kind))
        .route("/api/appeals/{id}/point", post(name_point))
}

/// The list filters, shared by the list and the nearest query.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    kind: Option<String>,
    district: Option<String>,
    facility: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// The store's filter: empty values do not filter.
pub fn point_filter(
    kind: Option<&str>,
    district: Option<&str>,
    facility: Option<&str>,
) -> PointFilter {
    let some = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from);
    PointFilter {
        kind: some(kind),
        district: some(district),
        facility: some(facility),
    }
}

#[derive(Serialize)]
struct PointList {
    total: i64,
    items: Vec<Point>,
}

async fn list(
    State(state): State<AppState>,
    Query(f): Query<Filter>,
) -> Result<Json<PointList>, ApiError> {
    let filter = point_filter(
        f.kind.as_deref(),
        f.district.as_deref(),
        f.facility.as_deref(),
    );
    let page = super::paging::page(f.offset, f.limit)?;
    Ok(Json(PointList {
        total: state.store.count_points(&filter).await?,
        items: state.store.points(&filter, page).await?,
    }))
}

#[derive(Serialize)]
struct Created {
    id: i64,
}

async fn create(
    State(state): State<AppState>,
    JsonBody(draft): JsonBody<PointDraft>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.save_point(None, draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

async fn one(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<Point>, ApiError> {
    Ok(Json(state.store.point(id).await?))
}

async fn replace(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<PointDraft>,
) -> Result<Json<Point>, ApiError> {
    state.save_point(Some(id), draft).await?;
    Ok(Json(state.store.point(id).await?))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.delete_point(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NearQuery {
    lon: Option<f64>,
    lat: Option<f64>,
    /// A typed place instead of coordinates: a street or district, or "经度,纬度".
    place: Option<String>,
    k: Option<usize>,
    kind: Option<String>,
    district: Option<String>,
    facility: Option<String>,
}

#[derive(Serialize)]
struct Origin {
    lon: f64,
    lat: f64,
    label: String,
}

#[derive(Serialize)]
struct NearbyPoint {
    #[serde(flatten)]
    point: Point,
    distance_m: f64,
}

#[derive(Serialize)]
struct Nearest {
    origin: Origin,
    items: Vec<NearbyPoint>,
}

async fn nearest(
    State(state): State<AppState>,
    Query(q): Query<NearQuery>,
) -> Result<Json<Nearest>, ApiError> {
    let k = q.k.unwrap_or(10);
    if !(1..=MAX_NEAREST).contains(&k) {
        return Err(ApiError::invalid(
            "k",
            &format!("须在 1 到 {MAX_NEAREST} 之间"),
        ));
    }
    let origin = match (q.lon, q.lat, q.place.as_deref().map(str::trim)) {
        (Some(lon), Some(lat), _) => {
            let at = Coord::new(lon, lat)?;
            Origin {
                lon: at.lon,
                lat: at.lat,
                label: "当前位置".into(),
            }
        }
        (None, None, Some(place)) if !place.is_empty() => {
            let found = state.locate(place).await?.ok_or_else(|| {
                ApiError::invalid(
                    "place",
                    &format!("找不到「{place}」，请输入本市的区县或街道名称"),
                )
            })?;
            Origin {
                lon: found.at.lon,
                lat: found.at.lat,
                label: found.label,
            }
        }
        _ => {
            return Err(ApiError::bad_request(
                "请给出 lon 与 lat（经纬度），或 place（区县、街道名称）",
            ));
        }
    };
    let filter = point_filter(
        q.kind.as_deref(),
        q.district.as_deref(),
        q.facility.as_deref(),
    );
    let found = state
        .nearest_points(
            Coord {
                lon: origin.lon,
                lat: origin.lat,
            },
            k,
            &filter,
        )
        .await?;
    Ok(Json(Nearest {
        origin,
        items: found
            .into_iter()
            .map(|n| NearbyPoint {
                point: n.point,
                distance_m: n.distance_m.round(),
            })
            .collect(),
    }))
}

async fn map(State(state): State<AppState>) -> Result<Json<Vec<MapArea>>, ApiError> {
    Ok(Json(jiesu_app::points::map_areas(&*state.store).await?))
}

async fn save_map(
    State(state): State<AppState>,
    JsonBody(areas): JsonBody<Vec<MapArea>>,
) -> Result<Json<Vec<MapArea>>, ApiError> {
    if areas.len() > 500 {
        return Err(ApiError::invalid("areas", "最多 500 个区域"));
    }
    jiesu_app::points::save_map_areas(&*state.store, areas).await?;
    Ok(Json(jiesu_app::points::map_areas(&*state.store).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
}

fn format_of(f: &FileFormat) -> Result<Format, ApiError> {
    let name = f.format.as_deref().unwrap_or("csv");
    Format::of_name(&format!("x.{name}"))
        .ok_or_else(|| ApiError::invalid("format", "须为 csv 或 xlsx"))
}

#[derive(Serialize)]
struct Imported {
    imported: usize,
    ids: Vec<i64>,
}

async fn import(
    State(state): State<AppState>,
    Query(f): Query<FileFormat>,
    body: Bytes,
) -> Result<(StatusCode, Json<Imported>), ApiError> {
    let ids = state.import_points(&body, format_of(&f)?).await?;
    Ok((
        StatusCode::CREATED,
        Json(Imported {
            imported: ids.len(),
            ids,
        }),
    ))
}

/// The point table as a download.
pub async fn table_download(state: &AppState, format: Format) -> Result<Response, ApiError> {
    let bytes = state.export_points(format).await?;
    Ok((
        [
            (CONTENT_TYPE, format.content_type().to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"points.{}\"", format.extension()),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn export(
    State(state): State<AppState>,
    Query(f): Query<FileFormat>,
) -> Result<Response, ApiError> {
    table_download(&state, format_of(&f)?).await
}

#[derive(Serialize)]
struct OpenAppeal {
    id: i64,
    number: String,
    title: String,
    status: &'static str,
}

async fn open_appeals(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<OpenAppeal>>, ApiError> {
    state.store.point(id).await?;
    let appeals = state.point_open_appeals(&user.0, id).await?;
    Ok(Json(appeals.iter().map(open_appeal).collect()))
}

fn open_appeal(a: &Appeal) -> OpenAppeal {
    OpenAppeal {
        id: a.id.0,
        number: a.number.0.clone(),
        title: a.title.clone(),
        status: a.status.label(),
    }
}

async fn kinds(State(state): State<AppState>) -> Result<Json<Vec<PointKind>>, ApiError> {
    Ok(Json(state.point_kinds().await?))
}

async fn save_kind(
    State(state): State<AppState>,
    JsonBody(kind): JsonBody<PointKind>,
) -> Result<Json<PointKind>, ApiError> {
    Ok(Json(state.save_point_kind(kind).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamePoint {
    point_id: i64,
}

async fn name_point(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NamePoint>,
) -> Result<StatusCode, ApiError> {
    let appeal = visible_appeal(&state, &user, AppealId(id)).await?;
    if body.point_id <= 0 {
        return Err(DomainError::InvalidField {
            field: "point_id",
            reason: "须为点位编号".into(),
        }
        .into());
    }
    state.name_point(appeal.id, body.point_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
