//! Liaison stations (联络站): stations (administrators add and change them), receptions
//! (a station's representatives record what people raise), the station's items of a period
//! grouped by subject and place with each item's outcome and rating, the judgement of an
//! item carried out in one step (分析研判, 交办督办), and a reception's feedback sheet.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use jiesu_app::intake::IntakeRequest;
use jiesu_app::stations::{
    ReceptionRequest, ReviewGroup, ReviewItem, TriageRequest, month_of, today,
};
use jiesu_domain::ids::{AppealId, BodyId, UserId};
use jiesu_domain::station::{StationDraft, Triage};
use jiesu_store::StoredStation;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/stations", get(list).post(create))
        .route("/api/stations/{id}", get(one).put(update))
        .route("/api/stations/{id}/receptions", post(receive))
        .route("/api/stations/{id}/receptions/{reception}", get(sheet))
        .route("/api/stations/{id}/items", get(items))
        .route("/api/stations/{id}/items/{appeal}/triage", post(triage))
}

#[derive(Serialize)]
struct Station {
    id: i64,
    #[serde(flatten)]
    draft: StationDraft,
    opening: String,
}

impl From<StoredStation> for Station {
    fn from(s: StoredStation) -> Station {
        Station {
            id: s.id,
            opening: s.draft.opening_label(),
            draft: s.draft,
        }
    }
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<Station>>, ApiError> {
    let stations = state.stations_of(&user.0).await?;
    Ok(Json(stations.into_iter().map(Station::from).collect()))
}

async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Station>, ApiError> {
    Ok(Json(state.station_for(&user.0, id).await?.into()))
}

#[derive(Serialize)]
struct Created {
    id: i64,
}

async fn create(
    State(state): State<AppState>,
    JsonBody(draft): JsonBody<StationDraft>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.save_station(None, draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<StationDraft>,
) -> Result<Json<Created>, ApiError> {
    let id = state.save_station(Some(id), draft).await?;
    Ok(Json(Created { id }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reception {
    held_on: NaiveDate,
    #[serde(default)]
    note: String,
    items: Vec<IntakeRequest>,
}

#[derive(Serialize)]
struct ReceivedAppeal {
    id: AppealId,
    number: String,
}

#[derive(Serialize)]
struct Received {
    reception: i64,
    appeals: Vec<ReceivedAppeal>,
}

async fn receive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Reception>,
) -> Result<(StatusCode, Json<Received>), ApiError> {
    let received = state
        .receive(
            &user.0,
            id,
            ReceptionRequest {
                held_on: body.held_on,
                note: body.note,
                items: body.items,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Received {
            reception: received.reception,
            appeals: received
                .appeals
                .into_iter()
                .map(|a| ReceivedAppeal {
                    id: a.id,
                    number: a.number.0,
                })
                .collect(),
        }),
    ))
}

/// One item as the API shows it: the appeal, the judgement, the outcome and the rating.
#[derive(Serialize)]
struct Item {
    appeal: AppealId,
    number: String,
    title: String,
    status: &'static str,
    reception: i64,
    triage: Option<Triage>,
    note: String,
    task: Option<i64>,
    outcome: String,
    rating: Option<&'static str>,
}

fn item(i: &ReviewItem, today: NaiveDate) -> Item {
    Item {
        appeal: i.appeal.id,
        number: i.appeal.number.0.clone(),
        title: i.appeal.title.clone(),
        status: i.appeal.status.label(),
        reception: i.item.reception,
        triage: i.item.triage,
        note: i.item.triage_note.clone(),
        task: i.item.task,
        outcome: i.outcome(today),
        rating: i.rating(),
    }
}

#[derive(Serialize)]
struct Group {
    subject: String,
    place: String,
    keywords: Vec<String>,
    items: Vec<Item>,
}

fn group(g: &ReviewGroup, today: NaiveDate) -> Group {
    Group {
        subject: g.subject.clone(),
        place: g.place.clone(),
        keywords: g.keywords.clone(),
        items: g.items.iter().map(|i| item(i, today)).collect(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Period {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

#[derive(Serialize)]
struct Review {
    station: Station,
    from: NaiveDate,
    to: NaiveDate,
    groups: Vec<Group>,
}

async fn items(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(period): Query<Period>,
) -> Result<Json<Review>, ApiError> {
    let today = today();
    let (first, last) = month_of(today);
    let review = state
        .station_review(
            &user.0,
            id,
            period.from.unwrap_or(first),
            period.to.unwrap_or(last),
        )
        .await?;
    Ok(Json(Review {
        groups: review.groups.iter().map(|g| group(g, today)).collect(),
        station: review.station.into(),
        from: review.from,
        to: review.to,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Judgement {
    triage: Triage,
    #[serde(default)]
    note: String,
    #[serde(default)]
    body: Option<BodyId>,
}

#[derive(Serialize)]
struct Judged {
    task: Option<i64>,
}

async fn triage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, appeal)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<Judgement>,
) -> Result<Json<Judged>, ApiError> {
    let task = state
        .triage(
            &user.0,
            id,
            AppealId(appeal),
            TriageRequest {
                triage: body.triage,
                note: body.note,
                body: body.body,
            },
        )
        .await?;
    Ok(Json(Judged { task }))
}

#[derive(Serialize)]
struct Sheet {
    station: Station,
    reception: i64,
    held_on: NaiveDate,
    received_by: UserId,
    received_by_name: String,
    note: String,
    items: Vec<Item>,
}

async fn sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, reception)): Path<(i64, i64)>,
) -> Result<Json<Sheet>, ApiError> {
    let today = today();
    let sheet = state.reception_sheet(&user.0, id, reception).await?;
    Ok(Json(Sheet {
        items: sheet.items.iter().map(|i| item(i, today)).collect(),
        station: sheet.station.into(),
        reception: sheet.reception.id,
        held_on: sheet.reception.draft.held_on,
        received_by: sheet.reception.draft.received_by,
        received_by_name: sheet.received_by,
        note: sheet.reception.draft.note,
    }))
}
