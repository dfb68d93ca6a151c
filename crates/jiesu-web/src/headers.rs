//! Security headers (安全响应头) on every answer — pages, API and static files: a Content
//! Security Policy that allows only the site's own scripts and styles (no inline script, so
//! injected markup cannot run), no framing, no MIME sniffing, no query codes leaking to
//! other sites in `Referer`; and, when the server is reached over TLS, HSTS.

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use tower_http::set_header::response::SetMultipleResponseHeadersLayer;

/// The policy: the pages load their script, style sheet and icon from this origin only,
/// and post their forms here.
pub const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// HSTS for a server reached over TLS: a year.
pub const STRICT_TRANSPORT_SECURITY_VALUE: &str = "max-age=31536000";

/// `router` with the security headers; with HSTS when `tls` (the public URL is https).
/// A handler that sets one of these headers itself keeps its own value.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    tls: bool,
) -> Router<S> {
    let mut headers = vec![
        (
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE),
        )
            .into(),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")).into(),
        (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")).into(),
        (REFERRER_POLICY, HeaderValue::from_static("same-origin")).into(),
    ];
    if tls {
        headers.push(
            (
                STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(STRICT_TRANSPORT_SECURITY_VALUE),
            )
                .into(),
        );
    }
    router.layer(SetMultipleResponseHeadersLayer::if_not_present(headers))
}
