//! Assessment of bodies (考核): a period's ranking, a body's costly cases, the weights, and
//! disputes of a case's counting (申诉).

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiesu_app::assessment::Assessment;
use jiesu_domain::DomainError;
use jiesu_domain::assessment::dispute::{Dispute, DisputeStatus};
use jiesu_domain::assessment::facts::Stint;
use jiesu_domain::assessment::period::Period;
use jiesu_domain::assessment::weights::{WeightSet, Weights};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::user::Role;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/assessment", get(assessment))
        .route("/api/assessment/bodies/{id}/cases", get(costly_cases))
        .route("/api/assessment/weights", get(weights).put(save_weights))
        .route("/api/assessment/disputes", get(disputes).post(file_dispute))
        .route(
            "/api/assessment/disputes/{id}/decision",
            post(decide_dispute),
        )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodQuery {
    period: String,
}

/// Parses the period; a bad one is a Chinese 422 naming the accepted forms.
pub(crate) fn period(text: &str) -> Result<Period, ApiError> {
    Period::parse(text).map_err(ApiError::from)
}

/// Every body's rates, score and rank over a period (考核排名).
async fn assessment(
    State(state): State<AppState>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Assessment>, ApiError> {
    Ok(Json(state.assessment(&period(&q.period)?).await?))
}

#[derive(Serialize)]
struct CostlyCaseView {
    appeal: AppealId,
    number: String,
    title: String,
    losses: Vec<&'static str>,
    excluded: bool,
    stint: Stint,
}

/// A handler may look at their own body only.
fn own_body_only(user: &CurrentUser, body: BodyId) -> Result<(), ApiError> {
    match user.0.role {
        Role::Handler if user.0.body != Some(body) => Err(ApiError::forbidden()),
        _ => Ok(()),
    }
}

/// The cases of a body in a period that cost it points (扣分案件), newest first.
async fn costly_cases(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Vec<CostlyCaseView>>, ApiError> {
    own_body_only(&user, BodyId(id))?;
    let cases = state.costly_cases(BodyId(id), &period(&q.period)?).await?;
    Ok(Json(
        cases
            .into_iter()
            .map(|c| CostlyCaseView {
                appeal: c.stint.appeal,
                number: c.number,
                title: c.title,
                losses: c.stint.losses(),
                excluded: c.stint.excluded,
                stint: c.stint,
            })
            .collect(),
    ))
}

async fn weights(State(state): State<AppState>) -> Result<Json<Weights>, ApiError> {
    Ok(Json(state.assessment_weights().await?))
}

/// Saves a new version of the weights and tiers (考核权重).
async fn save_weights(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(set): JsonBody<WeightSet>,
) -> Result<Json<Weights>, ApiError> {
    Ok(Json(
        state.save_assessment_weights(set, &user.actor()).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DisputeQuery {
    status: Option<String>,
}

/// Disputes, newest first; a handler sees their own body's.
async fn disputes(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DisputeQuery>,
) -> Result<Json<Vec<Dispute>>, ApiError> {
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            DisputeStatus::parse(s)
                .map_err(|_| ApiError::invalid("status", "应为 pending、accepted 或 rejected"))?,
        ),
    };
    let mut list = state.disputes(status).await?;
    if user.0.role == Role::Handler {
        list.retain(|d| Some(d.body) == user.0.body);
    }
    Ok(Json(list))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewDisputeBody {
    appeal: i64,
    reason: String,
}

/// A handler disputes the counting of one of their body's cases (申诉).
async fn file_dispute(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewDisputeBody>,
) -> Result<(axum::http::StatusCode, Json<Dispute>), ApiError> {
    let dispute = state
        .file_dispute(&user.actor(), AppealId(body.appeal), &body.reason)
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(dispute)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionBody {
    accept: bool,
    #[serde(default)]
    note: String,
}

/// The supervisor accepts or rejects a pending dispute.
async fn decide_dispute(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<Dispute>, ApiError> {
    if id <= 0 {
        return Err(DomainError::InvalidField {
            field: "id",
            reason: "申诉编号须为正整数".into(),
        }
        .into());
    }
    Ok(Json(
        state
            .decide_dispute(&user.actor(), id, body.accept, &body.note)
            .await?,
    ))
}
