//! A liaison station's pages (联络站): the stations a user may see; a station's page with
//! its items of a period grouped by subject and place (汇总梳理), a judgement form on each
//! item that carries it out at once (分析研判, 交办督办), every item's outcome and rating
//! (反馈评价) and the reception form (接待登记); a printable feedback sheet per reception.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use jiesu_app::intake::IntakeRequest;
use jiesu_app::stations::{
    MAX_RECEPTION_ITEMS, ReceptionRequest, ReviewItem, TriageRequest, may_receive, may_triage,
    month_of, today,
};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::{Citizen, Place, mask_phone};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::AppealType;
use jiesu_domain::station::Triage;
use serde::Deserialize;

use super::support::{BodyOpt, Opt, body_options, options};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Item blocks the reception form is served with (empty ones are skipped); its script adds
/// more, up to [`MAX_RECEPTION_ITEMS`].
const RECEPTION_ROWS: usize = 3;

pub struct StationRow {
    pub id: i64,
    pub name: String,
    pub area: String,
    pub address: String,
    pub opening: String,
}

#[derive(Template)]
#[template(path = "stations.html")]
struct StationsPage {
    shell: Shell,
    rows: Vec<StationRow>,
}

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let rows = state
        .stations_of(&user.0)
        .await?
        .into_iter()
        .map(|s| StationRow {
            id: s.id,
            area: format!("{}{}", s.draft.district, s.draft.street),
            address: s.draft.address.clone(),
            opening: s.draft.opening_label(),
            name: s.draft.name,
        })
        .collect();
    Ok(render(&StationsPage {
        shell: Shell::load(&state, &user.0, "联络站", "/stations").await,
        rows,
    }))
}

/// One item's row on the station page and the feedback sheet.
pub struct ItemRow {
    pub appeal: i64,
    pub number: String,
    pub title: String,
    pub citizen: String,
    pub triage: String,
    pub note: String,
    pub outcome: String,
    pub rating: String,
    /// The task it became (转任务), linked to its page.
    pub task: Option<i64>,
}

fn item_row(i: &ReviewItem, today: NaiveDate) -> ItemRow {
    let citizen = &i.appeal.citizen;
    ItemRow {
        appeal: i.appeal.id.0,
        number: i.appeal.number.0.clone(),
        title: i.appeal.title.clone(),
        citizen: match (&citizen.name, &citizen.phone) {
            _ if citizen.anonymous => "匿名".into(),
            (Some(name), Some(phone)) => format!("{name} {}", mask_phone(phone)),
            (Some(name), None) => name.clone(),
            (None, Some(phone)) => mask_phone(phone),
            (None, None) => "—".into(),
        },
        triage: i
            .item
            .triage
            .map(|t| t.label().to_string())
            .unwrap_or_else(|| "待研判".into()),
        note: i.item.triage_note.clone(),
        outcome: i.outcome(today),
        rating: i.rating().unwrap_or("未评价").into(),
        task: i.item.task,
    }
}

pub struct GroupRow {
    pub subject: String,
    pub place: String,
    pub keywords: String,
    pub items: Vec<ItemRow>,
}

pub struct ReceptionRow {
    pub id: i64,
    pub held_on: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "station.html")]
struct StationPage {
    shell: Shell,
    id: i64,
    address: String,
    opening: String,
    from: String,
    to: String,
    total: usize,
    groups: Vec<GroupRow>,
    receptions: Vec<ReceptionRow>,
    may_receive: bool,
    may_triage: bool,
    triages: Vec<Opt>,
    bodies: Vec<BodyOpt>,
    types: Vec<Opt>,
    today: String,
    rows: Vec<usize>,
    max_items: usize,
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    ok: Option<String>,
}

fn date_or(text: &str, field: &'static str, default: NaiveDate) -> Result<NaiveDate, PageError> {
    match text.trim() {
        "" => Ok(default),
        t => t.parse().map_err(|_| {
            PageError::from(DomainError::InvalidField {
                field,
                reason: format!("日期「{t}」格式不正确，应为 年-月-日"),
            })
        }),
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/stations");
    let today = today();
    let (first, last) = month_of(today);
    let from = date_or(&q.from, "from", first).map_err(back)?;
    let to = date_or(&q.to, "to", last).map_err(back)?;
    let review = state
        .station_review(&user.0, id, from, to)
        .await
        .map_err(|e| back(e.into()))?;
    let bodies = state.store.bodies().await?;
    let station = &review.station.draft;
    let groups: Vec<GroupRow> = review
        .groups
        .iter()
        .map(|g| GroupRow {
            subject: g.subject.clone(),
            place: g.place.clone(),
            keywords: g.keywords.join("、"),
            items: g.items.iter().map(|i| item_row(i, today)).collect(),
        })
        .collect();
    Ok(render(&StationPage {
        shell: Shell::load(&state, &user.0, station.name.clone(), "/stations")
            .await
            .with_notice(q.ok),
        id,
        address: format!("{}{} {}", station.district, station.street, station.address),
        opening: station.opening_label(),
        from: from.to_string(),
        to: to.to_string(),
        total: groups.iter().map(|g| g.items.len()).sum(),
        groups,
        receptions: review
            .receptions
            .iter()
            .map(|r| ReceptionRow {
                id: r.id,
                held_on: r.draft.held_on.to_string(),
                note: r.draft.note.clone(),
            })
            .collect(),
        may_receive: may_receive(&user.0, station),
        may_triage: may_triage(&user.0, station),
        triages: options(Triage::ALL.iter().map(|t| (t.label(), t.label())), ""),
        bodies: body_options(&bodies, None),
        types: options(
            AppealType::ALL.iter().map(|t| (t.label(), t.label())),
            AppealType::Suggestion.label(),
        ),
        today: today.to_string(),
        rows: (1..=RECEPTION_ROWS).collect(),
        max_items: MAX_RECEPTION_ITEMS,
    }))
}

/// The reception form's fields by name (`title_1`, `text_1`, …).
type Fields = HashMap<String, String>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map(|v| v.trim()).unwrap_or_default()
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// The items of the reception form: every block with a title or a text (one block past the
/// most a reception takes is read, so that too many are refused rather than dropped).
fn reception_items(fields: &Fields) -> Result<Vec<IntakeRequest>, PageError> {
    let mut items = Vec::new();
    for i in 1..=MAX_RECEPTION_ITEMS + 1 {
        let get = |name: &str| field(fields, &format!("{name}_{i}"));
        if get("title").is_empty() && get("text").is_empty() {
            continue;
        }
        items.push(IntakeRequest {
            channel: None,
            appeal_type: AppealType::parse(get("type"))?,
            title: get("title").into(),
            text: get("text").into(),
            citizen: Citizen {
                name: optional(get("name")),
                phone: optional(get("phone")),
                email: None,
                confidential: false,
                anonymous: get("name").is_empty() && get("phone").is_empty(),
            },
            place: Place {
                address: get("address").into(),
                ..Place::default()
            },
            category: None,
            urgency: None,
            received_at: None,
            point_id: None,
            files: Vec::new(),
        });
    }
    Ok(items)
}

pub async fn receive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back(format!("/stations/{id}"));
    let fields: Fields = fields.into_iter().collect();
    let held_on = date_or(field(&fields, "held_on"), "held_on", today()).map_err(back)?;
    let items = reception_items(&fields).map_err(back)?;
    let received = state
        .receive(
            &user.0,
            id,
            ReceptionRequest {
                held_on,
                note: field(&fields, "note").into(),
                items,
            },
        )
        .await
        .map_err(|e| back(e.into()))?;
    let notice = format!("已登记接待，{} 件群众反映已受理", received.appeals.len());
    Ok(redirect(&format!(
        "/stations/{id}?from={held_on}&to={held_on}&ok={}",
        encode(&notice)
    )))
}

#[derive(Deserialize)]
pub struct TriageForm {
    #[serde(default)]
    triage: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn triage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, appeal)): Path<(i64, i64)>,
    Form(form): Form<TriageForm>,
) -> Result<Response, PageError> {
    let here = format!(
        "/stations/{id}?from={}&to={}",
        encode(&form.from),
        encode(&form.to)
    );
    let back = |e: PageError| e.back(here.clone());
    let triage = Triage::parse(&form.triage).map_err(|e| back(e.into()))?;
    let body = match form.body.trim() {
        "" => None,
        b => Some(BodyId(
            b.parse()
                .map_err(|_| back(PageError::invalid("请选择承办单位")))?,
        )),
    };
    let task = state
        .triage(
            &user.0,
            id,
            AppealId(appeal),
            TriageRequest {
                triage,
                note: form.note,
                body,
            },
        )
        .await
        .map_err(|e| back(e.into()))?;
    let notice = match task {
        Some(task) => format!("已转为任务（编号 {task}）"),
        None => format!("已{}", triage.label()),
    };
    Ok(redirect(&format!("{here}&ok={}", encode(&notice))))
}

#[derive(Template)]
#[template(path = "station_sheet.html")]
struct SheetPage {
    shell: Shell,
    station: String,
    address: String,
    held_on: String,
    received_by: String,
    note: String,
    items: Vec<ItemRow>,
    back: String,
}

pub async fn sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, reception)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let today = today();
    let sheet = state
        .reception_sheet(&user.0, id, reception)
        .await
        .map_err(|e| PageError::from(e).back(format!("/stations/{id}")))?;
    let station = &sheet.station.draft;
    Ok(render(&SheetPage {
        shell: Shell::load(&state, &user.0, "接待反馈单", "/stations").await,
        station: station.name.clone(),
        address: format!("{}{} {}", station.district, station.street, station.address),
        held_on: sheet.reception.draft.held_on.to_string(),
        received_by: sheet.received_by.clone(),
        note: sheet.reception.draft.note.clone(),
        items: sheet.items.iter().map(|i| item_row(i, today)).collect(),
        back: format!("/stations/{id}"),
    }))
}
