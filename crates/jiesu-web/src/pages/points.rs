//! The public service-point pages (便民点位): `/points`, the list and map with filters by
//! kind, district and facility and "离我最近" (the browser's location, or a typed street or
//! district); `/points/{id}`, one point with its kind's checklist — and, for staff, the open
//! appeals that name it.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiesu_app::points::passes;
use jiesu_domain::point::geo::describe_distance;
use jiesu_domain::point::{Coord, Point};
use serde::Deserialize;

use super::point_map::{MapView, colour};
use super::support::Opt;
use super::{PageError, render};
use crate::api::points::point_filter;
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Points per page of the list.
const PER_PAGE: usize = 20;
/// The most points drawn on the map.
const ON_MAP: usize = 400;
/// Points "离我最近" shows.
const NEAREST: usize = 10;

/// The list's query: all text, so that a bad value is a message on the page, never a 400.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    facility: String,
    /// A typed place for "离我最近".
    #[serde(default)]
    near: String,
    /// The browser's location for "离我最近".
    #[serde(default)]
    lon: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    page: String,
}

/// A point as listed.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub colour: &'static str,
    pub place: String,
    pub address: String,
    pub hours: String,
    pub facilities: String,
    pub distance: String,
}

fn row(p: &Point, kinds: &[String], distance: Option<f64>) -> Row {
    let d = &p.draft;
    Row {
        id: p.id,
        name: d.name.clone(),
        kind: d.kind.clone(),
        colour: colour(
            kinds
                .iter()
                .position(|k| *k == d.kind)
                .unwrap_or(kinds.len()),
        ),
        place: format!("{}{}", d.district, d.street),
        address: d.address.clone(),
        hours: d.hours.clone(),
        facilities: d.facilities.join("、"),
        distance: distance.map(describe_distance).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "points.html")]
struct ListPage {
    kinds: Vec<Opt>,
    legend: Vec<(String, &'static str)>,
    districts: Vec<Opt>,
    facilities: Vec<Opt>,
    near: String,
    map: MapView,
    rows: Vec<Row>,
    total: usize,
    /// "离我最近" in use: where from.
    origin: Option<String>,
    error: Option<String>,
    prev: Option<String>,
    next: Option<String>,
    page_no: usize,
    pages: usize,
}

fn choices<'a>(items: impl IntoIterator<Item = &'a str>, current: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|v| Opt {
            value: v.into(),
            label: v.into(),
            selected: v == current,
        })
        .collect()
}

/// The list's link with the same filters and another page.
fn page_link(q: &ListQuery, page: usize) -> String {
    let enc = super::encode;
    format!(
        "/points?kind={}&district={}&facility={}&page={page}",
        enc(&q.kind),
        enc(&q.district),
        enc(&q.facility)
    )
}

pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let kinds = state.point_kinds().await?;
    let kind_names: Vec<String> = kinds.iter().map(|k| k.name.clone()).collect();
    let areas = jiesu_app::points::map_areas(&*state.store).await?;
    let gazetteer = jiesu_app::points::gazetteer::Gazetteer::of(&state.store.bodies().await?);
    let filter = point_filter(Some(&q.kind), Some(&q.district), Some(&q.facility));
    // The facilities of the chosen kind, or of every kind.
    let mut facility_names: Vec<&str> = Vec::new();
    for k in kinds
        .iter()
        .filter(|k| q.kind.is_empty() || k.name == q.kind)
    {
        for f in &k.facilities {
            if !facility_names.contains(&f.as_str()) {
                facility_names.push(f);
            }
        }
    }
    let index = state.point_index().await?;
    let mut error = None;
    let origin = match (q.lon.trim(), q.lat.trim(), q.near.trim()) {
        ("", "", "") => None,
        (lon, lat, _) if !lon.is_empty() && !lat.is_empty() => {
            match (lon.parse::<f64>(), lat.parse::<f64>()) {
                (Ok(lon), Ok(lat)) => match Coord::new(lon, lat) {
                    Ok(at) => Some((at, "您的位置".to_string())),
                    Err(_) => {
                        error = Some("位置坐标超出范围，请重新定位。".to_string());
                        None
                    }
                },
                _ => {
                    error = Some("位置坐标格式有误，请重新定位。".to_string());
                    None
                }
            }
        }
        (_, _, near) if !near.is_empty() => match state.locate(near).await? {
            Some(found) => Some((found.at, found.label)),
            None => {
                error = Some(format!(
                    "找不到「{near}」，请输入本市的区县或街道名称，例如“{}”。",
                    gazetteer.districts().next().unwrap_or("某某区")
                ));
                None
            }
        },
        _ => {
            error = Some("请同时给出经度和纬度。".to_string());
            None
        }
    };
    let page_no = q.page.trim().parse::<usize>().unwrap_or(1).max(1);
    let (rows, total, shown, pages): (Vec<Row>, usize, Vec<&Point>, usize);
    let nearest;
    if let Some((at, _)) = &origin {
        nearest = index.nearest(*at, NEAREST, |p| passes(p, &filter));
        rows = nearest
            .iter()
            .map(|n| row(&n.point, &kind_names, Some(n.distance_m)))
            .collect();
        total = nearest.len();
        shown = nearest.iter().map(|n| &n.point).collect();
        pages = 1;
    } else {
        let matching: Vec<&Point> = index
            .points()
            .iter()
            .filter(|p| passes(p, &filter))
            .collect();
        total = matching.len();
        pages = total.div_ceil(PER_PAGE).max(1);
        rows = matching
            .iter()
            .skip((page_no.min(pages) - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(|p| row(p, &kind_names, None))
            .collect();
        shown = matching.iter().copied().take(ON_MAP).collect();
    }
    let page_no = page_no.min(pages);
    let map = MapView::new(
        &areas,
        &shown,
        &kind_names,
        origin.as_ref().map(|(c, _)| *c),
    );
    Ok(render(&ListPage {
        kinds: choices(kind_names.iter().map(String::as_str), &q.kind),
        legend: kind_names
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), colour(i)))
            .collect(),
        districts: choices(gazetteer.districts(), &q.district),
        facilities: choices(facility_names, &q.facility),
        near: q.near.clone(),
        map,
        rows,
        total,
        origin: origin.map(|(_, label)| label),
        error,
        prev: (page_no > 1).then(|| page_link(&q, page_no - 1)),
        next: (page_no < pages).then(|| page_link(&q, page_no + 1)),
        page_no,
        pages,
    }))
}

/// A facility of the point's kind, and whether the point has it.
pub struct Facility {
    pub name: String,
    pub present: bool,
}

/// An open appeal naming the point, for staff.
pub struct AppealLink {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub status: &'static str,
    pub status_code: &'static str,
}

#[derive(Template)]
#[template(path = "point.html")]
struct DetailPage {
    p: Row,
    lon: String,
    lat: String,
    contact: String,
    facilities: Vec<Facility>,
    map: MapView,
    /// `None` for the public (not signed in).
    appeals: Option<Vec<AppealLink>>,
}

pub async fn detail(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let point = state.store.point(id).await?;
    let kinds = state.point_kinds().await?;
    let kind_names: Vec<String> = kinds.iter().map(|k| k.name.clone()).collect();
    let checklist = kinds
        .iter()
        .find(|k| k.name == point.draft.kind)
        .map(|k| k.facilities.clone())
        .unwrap_or_default();
    let areas: Vec<_> = jiesu_app::points::map_areas(&*state.store)
        .await?
        .into_iter()
        .filter(|a| a.district == point.draft.district)
        .collect();
    let appeals = match user {
        Some(Extension(CurrentUser(user))) => Some(
            state
                .point_open_appeals(&user, id)
                .await?
                .into_iter()
                .map(|a| AppealLink {
                    id: a.id.0,
                    number: a.number.0.clone(),
                    title: a.title.clone(),
                    status: a.status.label(),
                    status_code: a.status.code(),
                })
                .collect(),
        ),
        None => None,
    };
    let map = MapView::new(&areas, &[&point], &kind_names, None);
    Ok(render(&DetailPage {
        p: row(&point, &kind_names, None),
        lon: format!("{:.6}", point.draft.lon),
        lat: format!("{:.6}", point.draft.lat),
        contact: point.draft.contact.clone(),
        facilities: checklist
            .into_iter()
            .map(|name| Facility {
                present: point.draft.facilities.contains(&name),
                name,
            })
            .collect(),
        map,
        appeals,
    }))
}

/// A point with repeated complaints, for the leader's home page.
pub struct Complained {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub place: String,
    pub open: i64,
}

/// The points with repeated complaints now.
pub async fn complained(state: &AppState) -> Result<Vec<Complained>, PageError> {
    Ok(state
        .complained_points(chrono::Utc::now())
        .await?
        .into_iter()
        .map(|c| Complained {
            id: c.point.id,
            place: format!("{}{}", c.point.draft.district, c.point.draft.street),
            name: c.point.draft.name,
            kind: c.point.draft.kind,
            open: c.open_appeals,
        })
        .collect())
}
