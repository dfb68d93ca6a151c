//! Uploads (上传): page forms and API requests that carry files (附件) as
//! `multipart/form-data`. The files are the parts with a file name; a page form's other
//! parts are its fields, an API request's `data` part is its JSON body. Without files the
//! same routes take their usual urlencoded form or JSON body.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use jiesu_app::attachments::Upload;
use serde::de::DeserializeOwned;

use crate::api::JsonBody;
use crate::error::ApiError;
use crate::pages::encode;

/// The multipart part of an API request that holds its JSON body.
pub const DATA_PART: &str = "data";

fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// A multipart body's files and its other parts as (name, text).
async fn parts<S: Send + Sync>(
    req: Request,
    state: &S,
) -> Result<(Vec<(String, String)>, Vec<Upload>), ApiError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        tracing::debug!(error = %e, "multipart body could not be read");
        ApiError::bad_request("上传内容格式错误，请重新选择文件后提交")
    };
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|e| unreadable(&e))?;
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|e| unreadable(&e))? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let content = field.bytes().await.map_err(|e| unreadable(&e))?;
        match file_name {
            // A file input left empty sends a part with no name and no bytes.
            Some(file_name) if file_name.is_empty() && content.is_empty() => {}
            Some(file_name) => files.push(Upload {
                name: file_name,
                content,
            }),
            None => fields.push((
                name,
                String::from_utf8(content.to_vec()).map_err(|e| unreadable(&e))?,
            )),
        }
    }
    Ok((fields, files))
}

/// A request rebuilt with `body` of `content_type`, for the usual extractor to read.
fn rebuilt(content_type: &'static str, body: impl Into<Body>) -> Request {
    let mut req = Request::new(body.into());
    *req.method_mut() = Method::POST;
    req.headers_mut()
        .insert(CONTENT_TYPE, content_type.parse().expect("static header"));
    req
}

/// `application/x-www-form-urlencoded` encoding of `pairs`.
fn urlencoded(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A page form with the files chosen in it (`<form enctype="multipart/form-data">`), or a
/// plain urlencoded form without files.
pub struct FormWithFiles<T>(pub T, pub Vec<Upload>);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for FormWithFiles<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (req, files) = match is_multipart(&req) {
            false => (req, Vec::new()),
            true => {
                let (fields, files) = parts(req, state).await.map_err(|e| e.into_response())?;
                let form = rebuilt("application/x-www-form-urlencoded", urlencoded(&fields));
                (form, files)
            }
        };
        let axum::Form(value) = axum::Form::<T>::from_request(req, state)
            .await
            .map_err(|e| {
                (
                    StatusCode::BAD_REQUEST,
                    format!("表单内容无法读取：{}", e.body_text()),
                )
                    .into_response()
            })?;
        Ok(FormWithFiles(value, files))
    }
}

/// An API body: JSON, or `multipart/form-data` with the JSON in the part named
/// [`DATA_PART`] and files in parts with a file name.
pub struct JsonWithFiles<T>(pub T, pub Vec<Upload>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonWithFiles<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_multipart(&req) {
            let JsonBody(value) = JsonBody::<T>::from_request(req, state).await?;
            return Ok(JsonWithFiles(value, Vec::new()));
        }
        let (fields, files) = parts(req, state).await?;
        let Some((_, data)) = fields.into_iter().find(|(name, _)| name == DATA_PART) else {
            return Err(ApiError::bad_request(format!(
                "上传请求缺少 {DATA_PART} 部分（JSON 内容）"
            )));
        };
        let JsonBody(value) =
            JsonBody::<T>::from_request(rebuilt("application/json", data), state).await?;
        Ok(JsonWithFiles(value, files))
    }
}
