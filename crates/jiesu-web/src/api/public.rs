//! The citizen's API (市民): submit an appeal without an account, then track it with its
//! number and query code. A wrong code and an unknown number get the same answer.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use jiesu_domain::appeal::AppealNumber;
use jiesu_domain::event::{EventKind, Satisfaction};
use jiesu_domain::kinds::Channel;
use jiesu_domain::user::Actor;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;
use crate::tracking::{PublicView, appeal_for_citizen, public_view};
use jiesu_app::intake::IntakeRequest;

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

/// Who an idempotency key belongs to: the account of a trusted channel's token, or else the
/// client's address.
fn caller_of(caller: Option<&CurrentUser>, peer: SocketAddr) -> String {
    match caller {
        Some(user) => format!("user:{}", user.0.id.0),
        None => format!("public:{}", peer.ip()),
    }
}

async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Option<Extension<CurrentUser>>,
    headers: HeaderMap,
    JsonBody(mut request): JsonBody<IntakeRequest>,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    // A trusted channel (a liaison station's system) comes with an API token and may say
    // more; an anonymous caller says what the portal's form asks, and no more often than
    // the limits allow.
    if caller.is_none() {
        if request.urgency.is_some() {
            return Err(ApiError::invalid("urgency", "市民提交时不能指定紧急程度"));
        }
        if request.category.is_some() {
            return Err(ApiError::invalid("category", "市民提交时不能指定分类"));
        }
        state
            .limits
            .public_intake(peer.ip(), request.citizen.phone.as_deref())?;
    }
    // The portal always records the website channel and the time of submission.
    request.channel = Some(Channel::Website);
    request.received_at = None;
    let registered = state
        .intake(
            request,
            Channel::Website,
            Actor::citizen(),
            // Without an account, the key belongs to the client's address (and, as every
            // key, to the request it came with).
            super::appeals::idempotency_key(&headers, caller_of(caller.as_deref(), peer))?,
            None,
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
