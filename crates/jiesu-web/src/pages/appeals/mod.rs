//! Appeal pages (诉求), one concept per module:
//!
//! - [`list`]: the searchable list (诉求查询).
//! - [`intake`]: the staff intake form (受理登记) and the form fields the portal shares.
//! - [`detail`]: one appeal with the action forms the user may use now.
//! - [`timeline`]: an appeal's events as the steps of its timeline (办理过程).
//! - [`actions`]: where every action form posts (办理操作).
//! - [`decide`]: what the dispatcher decides from: the suggestion and 并案 candidates.
//! - [`reply_review`]: the scores and gaps of the reply under review (答复评价).
//! - [`cooperation`]: returns, co-bodies' opinions and supervision notices on the page.
//! - [`row`]: an appeal as a table row, for the list and the home pages' queues.

mod actions;
mod cooperation;
mod decide;
mod detail;
mod intake;
mod list;
mod reply_review;
mod row;
mod timeline;

use axum::Router;
use axum::routing::{get, post};
use jiesu_app::visibility::may_see;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::User;

pub use intake::{DraftFields, form_key, refusal, request_of};
pub use row::{Row, Sorts, rows};

use super::PageError;
use crate::state::AppState;

/// The appeal pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(list::list))
        .route(
            "/appeals/new",
            get(intake::intake_form).post(intake::intake),
        )
        .route("/appeals/{id}", get(detail::detail))
        .route("/appeals/{id}/act", post(actions::act))
}

/// Loads an appeal the user may see: 404 if unknown, 403 if another body's.
async fn visible(
    state: &AppState,
    user: &User,
    id: i64,
    bodies: &[Body],
) -> Result<Appeal, PageError> {
    let appeal = state
        .store
        .appeal(AppealId(id))
        .await
        .map_err(|e| PageError::from(e).back("/appeals"))?;
    if !may_see(user, bodies, &appeal) {
        return Err(PageError::forbidden("该诉求不属于您的单位，您无权查看。"));
    }
    Ok(appeal)
}
