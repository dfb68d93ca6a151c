//! The JSON API (接口), one module per resource. Every route is listed in
//! [`crate::access::RULES`] and in the OpenAPI document.

mod admin;
pub mod appeals;
mod assessment;
pub mod attachments;
mod auto_dispatch;
pub mod campaigns;
mod dispatch;
mod json;
mod knowledge;
mod learning;
mod meetings;
mod paging;
pub mod points;
pub mod public;
mod replies;
mod search;
pub mod session;
mod stations;
mod supervision;
mod task_follow;
mod task_reminders;
mod tasks;
mod timeline;
mod tokens;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

pub use json::JsonBody;

/// The OpenAPI document, written by hand next to the routes it describes.
pub const OPENAPI: &str = include_str!("../../openapi.json");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/openapi.json",
            get(|| async { ([(CONTENT_TYPE, "application/json")], OPENAPI).into_response() }),
        )
        .merge(session::router())
        .merge(appeals::router())
        .merge(replies::router())
        .merge(attachments::router())
        .merge(public::router())
        .merge(admin::router())
        .merge(supervision::router())
        .merge(dispatch::router())
        .merge(learning::router())
        .merge(auto_dispatch::router())
        .merge(search::router())
        .merge(knowledge::router())
        .merge(tokens::router())
        .merge(tasks::router())
        .merge(task_follow::router())
        .merge(task_reminders::router())
        .merge(assessment::router())
        .merge(stations::router())
        .merge(meetings::router())
        .merge(points::router())
        .merge(campaigns::router())
}
