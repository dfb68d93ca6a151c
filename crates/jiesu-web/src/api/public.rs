//! The citizen's API (市民): submit an appeal without an account, then track it with its
//! number and query code. A wrong code and an unknown number get the same answer.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiesu_domain::appeal::{Appeal, AppealNumber};
use jiesu_domain::event::{EventKind, Satisfaction};
use jiesu_domain::kinds::Channel;
use jiesu_domain::status::Status;
use jiesu_domain::user::Actor;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::intake::{IntakeRequest, intake};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/public/appeals", post(submit))
        .route("/api/public/appeals/{number}", get(track))
        .route("/api/public/appeals/{number}/rating", post(rate))
}

#[derive(Serialize)]
struct Submitted {
    number: AppealNumber,
    query_code: String,
}

async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(mut request): JsonBody<IntakeRequest>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    // The portal always records the website channel and the time of submission.
    request.channel = Some(Channel::Website);
    request.received_at = None;
    let registered = intake(
        &state,
        request,
        Channel::Website,
        Actor::citizen(),
        // Without an account, the key belongs to the client's address (and, as every key,
        // to the request it came with).
        super::appeals::idempotency_key(&headers, format!("public:{}", peer.ip()))?,
    )
    .await?;
    let status = if registered.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(Submitted {
            number: registered.appeal.number,
            query_code: registered.query_code,
        }),
    ))
}

#[derive(Deserialize)]
struct Code {
    code: Option<String>,
}

/// What a citizen sees of their appeal.
#[derive(Serialize)]
pub struct PublicView {
    pub number: AppealNumber,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub reply: Option<String>,
    /// The appeal this one was merged into (并案): its handling answers this one too.
    pub merged_into: Option<AppealNumber>,
    /// Whether the citizen may rate the result now (after closing, once).
    pub can_rate: bool,
    pub rating: Option<Satisfaction>,
    pub timeline: Vec<PublicStep>,
}

/// One public step of the timeline: what happened and when, without internal notes.
#[derive(Serialize)]
pub struct PublicStep {
    pub label: &'static str,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The appeal with this number if `code` is its query code; a wrong code and an unknown
/// number get the same answer.
pub async fn appeal_for_citizen(
    state: &AppState,
    address: IpAddr,
    number: &str,
    code: &str,
) -> Result<Appeal, ApiError> {
    state.limits.code_check(number, address)?;
    let refused = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "受理编号或查询码不正确");
    let (appeal, expected) = match state.store.appeal_by_number(number.trim()).await {
        Ok(found) => found,
        Err(jiesu_store::StoreError::NotFound(_)) => return Err(refused()),
        Err(e) => return Err(e.into()),
    };
    if !constant_time_eq(code.trim().as_bytes(), expected.as_bytes()) {
        return Err(refused());
    }
    Ok(appeal)
}

/// The public view of an appeal if `code` is its query code.
pub async fn public_view(
    state: &AppState,
    address: IpAddr,
    number: &str,
    code: &str,
) -> Result<PublicView, ApiError> {
    let appeal = appeal_for_citizen(state, address, number, code).await?;
    let events = state.store.events(appeal.id).await?;
    let lead = match appeal.merged_into {
        Some(id) => Some(state.store.appeal(id).await?),
        None => None,
    };
    // While merged, the lead's answer is this one's; once it followed (随主件答复) the
    // answer is its own.
    let reply = match &lead {
        Some(lead) if appeal.status == Status::Merged => lead.answer(),
        _ => appeal.answer(),
    }
    .map(str::to_string);
    Ok(PublicView {
        number: appeal.number,
        title: appeal.title,
        status: appeal.status.code(),
        status_label: appeal.status.label(),
        created_at: appeal.created_at,
        can_rate: appeal.status == Status::Closed && appeal.citizen_rating.is_none(),
        rating: appeal.citizen_rating,
        reply,
        merged_into: lead.map(|l| l.number),
        timeline: events
            .iter()
            .filter(|e| e.kind.is_public())
            .map(|e| PublicStep {
                label: e.kind.label(),
                at: e.at,
            })
            .collect(),
    })
}

async fn track(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(number): Path<String>,
    Query(code): Query<Code>,
) -> Result<Json<PublicView>, ApiError> {
    let code = code.code.unwrap_or_default();
    Ok(Json(public_view(&state, peer.ip(), &number, &code).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rating {
    code: String,
    satisfaction: Satisfaction,
    #[serde(default)]
    note: String,
}

/// The citizen rates the result of a closed appeal, once (市民评价).
async fn rate(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(number): Path<String>,
    JsonBody(rating): JsonBody<Rating>,
) -> Result<Json<PublicView>, ApiError> {
    let appeal = appeal_for_citizen(&state, peer.ip(), &number, &rating.code).await?;
    let kind = EventKind::Rate {
        satisfaction: rating.satisfaction,
        note: rating.note,
    };
    state.act(appeal.id, kind, &Actor::citizen(), None).await?;
    Ok(Json(
        public_view(&state, peer.ip(), &number, &rating.code).await?,
    ))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
