//! A JSON body extractor whose rejections speak the API's error shape, in Chinese.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Like `axum::Json`, but a bad body answers `{code, message}`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "请求须为 JSON（Content-Type: application/json）",
                ),
                JsonRejection::JsonDataError(e) => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_field",
                    format!("请求内容不符合要求：{}", explain(&e.body_text())),
                ),
                JsonRejection::JsonSyntaxError(_) => ApiError::bad_request("JSON 格式错误"),
                JsonRejection::BytesRejection(_) => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "请求内容过大",
                ),
                other => ApiError::bad_request(format!("无法读取请求：{}", other.body_text())),
            }),
        }
    }
}

/// Turns serde's English detail into Chinese for the common cases.
fn explain(detail: &str) -> String {
    let detail = detail
        .strip_prefix("Failed to deserialize the JSON body into the target type: ")
        .unwrap_or(detail);
    let field = |prefix: &str| {
        detail
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string)
    };
    if let Some(f) = field("missing field `") {
        format!("缺少字段 {f}")
    } else if let Some(f) = field("unknown field `") {
        format!("未知字段 {f}")
    } else if let Some(f) = field("unknown variant `") {
        format!("未知取值 {f}")
    } else {
        detail.to_string()
    }
}
