//! The HTTP edge of jiesu (接口层): a JSON API (with its OpenAPI document) and the
//! server-rendered pages. Thin over the application (`jiesu-app`): handlers parse,
//! authorize, call a use case and shape the answer.
//!
//! - [`api`]: JSON routes, one module per resource.
//! - [`access`]: the written table of which role may call which route, enforced for all.
//! - [`extract`]: who is calling (session cookie or bearer token).
//! - [`error`]: the one API error type and its status map.
//! - [`open311`]: Open311 GeoReport v2 under `/open311/v2/`.

pub mod access;
pub mod accounts;
pub mod api;
pub mod api_errors;
pub mod body;
pub mod error;
pub mod extract;
pub mod headers;
pub mod limits;
pub mod open311;
pub mod pages;
pub mod server;
pub mod signin;
pub mod state;
pub mod throttle;
pub mod tracking;
pub mod uploads;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use server::ServeConfig;
pub use state::AppState;

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application: API routes behind the access table, with bodies read whole up
/// to a limit, errors under `/api/` in the API's shape, panic catching, request tracing and
/// the security headers.
pub fn router(state: AppState) -> Router {
    let tls = state.secure_cookies;
    let routes = api::router()
        .merge(pages::router())
        .merge(open311::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::enforce,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body::read_whole,
        ))
        // Bodies are read whole, to their limit, by `body::read_whole`.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(api_errors::json_errors))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_response,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state);
    headers::with_security_headers(routes, tls)
}

/// Serves `state` on `listener` with the default connection limits until `shutdown`
/// resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, ServeConfig::default(), shutdown).await
}

/// Serves `state` on `listener` with `config`'s connection limits until `shutdown`
/// resolves; requests in progress finish.
pub async fn serve_with(
    listener: TcpListener,
    state: AppState,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve_router(listener, router(state), config, shutdown).await
}
