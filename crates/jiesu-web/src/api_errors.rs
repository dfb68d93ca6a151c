//! Every error under `/api/` in the API's shape (接口错误格式). Some refusals come from the
//! framework, not from a handler — a query string that does not parse, a method the route
//! lacks, a body over the limit — and would answer plain text, while the OpenAPI document
//! promises `{code, message}`. This layer rewrites them; the original text goes to the log.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The API's error for a status the framework answered.
fn error_for(status: StatusCode) -> ApiError {
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "请求参数格式错误"),
        StatusCode::NOT_FOUND => ("not_found", "接口不存在"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "该接口不支持此请求方法"),
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "请求超时"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "请求内容过大"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "请求内容类型不受支持"),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid_field", "请求内容不符合要求"),
        StatusCode::TOO_MANY_REQUESTS => ("too_many_requests", "请求过于频繁，请稍后再试"),
        s if s.is_server_error() => ("internal", "服务器内部错误，请稍后重试"),
        _ => ("bad_request", "请求无法处理"),
    };
    ApiError::new(status, code, message)
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The layer: a non-JSON error answer to an `/api/` request becomes `{code, message}`,
/// keeping its status and its other headers (`Allow`, `Retry-After`).
pub async fn json_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !api || !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let detail = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    tracing::info!(%status, detail = %String::from_utf8_lossy(&detail), "framework refusal answered as JSON");
    let converted = error_for(status).into_response();
    let (converted_parts, converted_body) = converted.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    parts.headers.extend(converted_parts.headers);
    Response::from_parts(parts, converted_body)
}
