//! The one API error (接口错误): a stable `{code, message}` body with a Chinese message for
//! people; internals go to the log, never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiesu_domain::DomainError;
use jiesu_store::StoreError;
use jiesu_store::workflow::ActionError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录")
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "您无权访问此功能")
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("{what}不存在"))
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn invalid(field: &str, reason: &str) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!("字段 {field} 不合法：{reason}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: &self.message,
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> ApiError {
        let (status, code) = match &e {
            DomainError::InvalidField { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
            DomainError::IllegalTransition { .. } => (StatusCode::CONFLICT, "illegal_transition"),
            DomainError::Refused(_) => (StatusCode::FORBIDDEN, "forbidden"),
        };
        ApiError::new(status, code, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(what) => ApiError::not_found(what),
            StoreError::Conflict(detail) => {
                tracing::info!(%detail, "conflict");
                let message = if detail.contains("唯一约束") {
                    "名称已存在".to_string()
                } else {
                    detail
                };
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            StoreError::KeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "此 Idempotency-Key 已用于内容不同的请求，请为新的请求使用新的键",
            ),
            StoreError::Other(detail) => {
                tracing::error!(%detail, "storage failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "服务器内部错误，请稍后重试",
                )
            }
        }
    }
}

impl From<ActionError> for ApiError {
    fn from(e: ActionError) -> ApiError {
        match e {
            ActionError::Domain(d) => d.into(),
            ActionError::Store(s) => s.into(),
        }
    }
}

/// What a caught panic becomes: a 500 in the same shape, with the detail only in the log.
pub fn panic_response(detail: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = detail
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| detail.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(%detail, "handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "服务器内部错误，请稍后重试",
    )
    .into_response()
}
