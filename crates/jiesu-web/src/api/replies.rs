//! Reply review (答复评价): the scores of an appeal's latest reply and the gaps a reviewer
//! reads before approving.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use jiesu_domain::ids::AppealId;
use jiesu_store::ReplyScore;

use super::appeals::visible_appeal;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/appeals/{id}/reply-review", get(reply_review))
}

/// The review of the appeal's latest reply (scored now if it was not yet); 404 when the
/// appeal has no reply.
async fn reply_review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ReplyScore>, ApiError> {
    let appeal = visible_appeal(&state, &user, AppealId(id)).await?;
    state
        .reply_review(appeal.id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "该诉求尚无答复"))
}
