//! Request bodies (请求体): read whole, up to [`crate::MAX_BODY_BYTES`], before a request is
//! routed. A refusal that comes before the handler reads the body (401, 403, a bad query
//! string) then never leaves unread bytes on the connection — hyper would close it, and a
//! client that already sent its next request there would see it dropped. A body over the
//! limit is refused with 413 before it is read at all when its length is declared.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::MAX_BODY_BYTES;

fn too_large() -> Response {
    (StatusCode::PAYLOAD_TOO_LARGE, "请求内容过大").into_response()
}

/// The layer: buffers the body, or answers 413 (too large) or 400 (the client stopped).
pub async fn read_whole(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let over_limit = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if over_limit {
                return too_large();
            }
            tracing::debug!(error = %e, "request body could not be read");
            return (StatusCode::BAD_REQUEST, "请求内容读取失败").into_response();
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
