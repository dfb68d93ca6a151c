//! The one API error (接口错误): a stable `{code, message}` body with a Chinese message for
//! people; internals go to the log, never to the client. [`describe`] is the one mapping
//! from the application's errors, shared by the API and the pages.

use axum::Json;
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::response::{IntoResponse, Response};
use jiesu_app::AppError;
use jiesu_domain::DomainError;
use jiesu_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds after which a refused client may try again (sent as `Retry-After` with 429).
    pub retry_after: Option<u64>,
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
            retry_after: None,
        }
    }

    /// A 429: the client tries too often and may try again after `wait` (at least 1 s).
    pub fn too_many(message: impl Into<String>, wait: std::time::Duration) -> ApiError {
        ApiError {
            retry_after: Some(retry_seconds(wait)),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message)
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
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// The one mapping from an application error to what the edge answers: status, stable
/// code and the Chinese message. The API answers it as JSON; the pages render it.
pub fn describe(e: &AppError) -> ApiError {
    use StatusCode as S;
    let (status, code, message) = match e {
        AppError::Domain(d) => {
            let (status, code) = match d {
                DomainError::InvalidField { .. } => (S::UNPROCESSABLE_ENTITY, "invalid_field"),
                DomainError::IllegalTransition { .. } => (S::CONFLICT, "illegal_transition"),
                DomainError::Refused(_) => (S::FORBIDDEN, "forbidden"),
            };
            (status, code, d.to_string())
        }
        AppError::Store(StoreError::NotFound(what)) => {
            (S::NOT_FOUND, "not_found", format!("{what}不存在"))
        }
        AppError::Store(StoreError::Stale) | AppError::Changed => (
            S::CONFLICT,
            "conflict",
            "此诉求已被他人处理，请刷新".to_string(),
        ),
        AppError::Store(StoreError::Unique { constraint }) => {
            tracing::info!(%constraint, "unique value taken");
            (S::CONFLICT, "conflict", "名称已存在".to_string())
        }
        AppError::Store(StoreError::MissingReference { constraint }) => {
            tracing::info!(%constraint, "reference to a missing row");
            (
                S::UNPROCESSABLE_ENTITY,
                "invalid_field",
                "引用的记录不存在".to_string(),
            )
        }
        AppError::Store(StoreError::KeyReused) => (
            S::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "此 Idempotency-Key 已用于内容不同的请求，请为新的请求使用新的键".to_string(),
        ),
        AppError::SearchUnavailable => (
            S::SERVICE_UNAVAILABLE,
            "search_unavailable",
            "检索服务未启用".to_string(),
        ),
        AppError::Training(detail) => (
            S::UNPROCESSABLE_ENTITY,
            "training_failed",
            format!("训练失败：{detail}"),
        ),
        AppError::Store(StoreError::Corrupt(_) | StoreError::Other(_)) | AppError::Internal(_) => {
            tracing::error!(error = %e, "internal failure");
            (
                S::INTERNAL_SERVER_ERROR,
                "internal",
                "服务器内部错误，请稍后重试".to_string(),
            )
        }
    };
    ApiError::new(status, code, message)
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        describe(&e)
    }
}

/// Whole seconds to wait, rounded up, never 0.
pub fn retry_seconds(wait: std::time::Duration) -> u64 {
    u64::try_from(wait.as_millis().div_ceil(1000))
        .unwrap_or(u64::MAX)
        .max(1)
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> ApiError {
        describe(&AppError::Domain(e))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        describe(&AppError::Store(e))
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
