//! The one API error (接口错误): a stable `{code, message}` body with a Chinese message for
//! people; internals go to the log, never to the client. [`describe`] is the one mapping
//! from the application's errors, shared by the API and the pages.

use axum::Json;
use axum::http::StatusCode;
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
