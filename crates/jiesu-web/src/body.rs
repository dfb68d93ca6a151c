//! Request bodies (请求体): read whole, up to [`crate::MAX_BODY_BYTES`] (uploads with files:
//! up to what the attachment limits allow), before a request is routed. A refusal that comes before the handler reads the body (401, 403, a bad query
//! string) then never leaves unread bytes on the connection — hyper would close it, and a
//! client that already sent its next request there would see it dropped. A body over the
//! limit is refused with 413 before it is read at all when its length is declared.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::MAX_BODY_BYTES;
use crate::state::AppState;

fn too_large() -> Response {
    (StatusCode::PAYLOAD_TOO_LARGE, "请求内容过大").into_response()
}

/// The largest body of `request`: a `multipart/form-data` upload may carry as many files
/// of the largest size as the attachment limits allow, besides its fields.
fn limit(state: &AppState, request: &Request) -> usize {
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    match multipart {
        false => MAX_BODY_BYTES,
        true => {
            let files = state.files().limits;
            MAX_BODY_BYTES + files.max_files * files.max_bytes
        }
    }
}

/// The layer: buffers the body, or answers 413 (too large) or 400 (the client stopped).
pub async fn read_whole(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let max = limit(&state, &request);
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, max).await {
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
