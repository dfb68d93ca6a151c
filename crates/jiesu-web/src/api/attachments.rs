//! Attachments (附件): an appeal's files listed, and each file or its thumbnail downloaded —
//! by staff who may see the appeal, and by the citizen with the appeal's query code (their
//! own files only, never a confidential appeal's). To anyone else a file does not exist.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bytes::Bytes;
use jiesu_domain::attachment::Attachment;
use jiesu_domain::ids::AppealId;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;
use crate::tracking::appeal_for_citizen;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/appeals/{id}/attachments", get(list))
        .route("/api/attachments/{id}", get(download))
        .route("/api/attachments/{id}/thumbnail", get(thumbnail))
        .route(
            "/api/public/appeals/{number}/attachments/{id}",
            get(public_download),
        )
        .route(
            "/api/public/appeals/{number}/attachments/{id}/thumbnail",
            get(public_thumbnail),
        )
}

/// An attachment as the API lists it.
#[derive(Serialize)]
pub struct AttachmentView {
    pub id: i64,
    /// `appeal` (诉求材料) or `reply` (答复材料).
    pub owner: &'static str,
    /// The event it came with.
    pub event_seq: Option<i64>,
    pub name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    pub url: String,
    pub thumbnail_url: Option<String>,
}

impl AttachmentView {
    pub fn of(a: &Attachment) -> AttachmentView {
        let url = format!("/api/attachments/{}", a.id);
        AttachmentView {
            id: a.id,
            owner: a.owner_kind.as_str(),
            event_seq: a.event_seq,
            name: a.file.name.clone(),
            content_type: a.file.kind.content_type(),
            size: a.file.size,
            sha256: a.file.sha256.clone(),
            uploaded_by: a.file.by.name.clone(),
            uploaded_at: a.file.at,
            thumbnail_url: a
                .file
                .thumbnail_key
                .as_ref()
                .map(|_| format!("{url}/thumbnail")),
            url,
        }
    }
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    let appeal = state.store.appeal(AppealId(id)).await?;
    let files = state.appeal_attachments(&user.0, &appeal).await?;
    Ok(Json(files.iter().map(AttachmentView::of).collect()))
}

/// A file's bytes as a response: its sniffed type, its name for saving, kept privately.
pub fn file_response(attachment: &Attachment, bytes: Bytes, thumbnail: bool) -> Response {
    let content_type = match thumbnail {
        true => "image/jpeg",
        false => attachment.file.kind.content_type(),
    };
    let disposition = format!(
        "inline; filename=\"attachment\"; filename*=UTF-8''{}",
        crate::pages::encode(&attachment.file.name)
    );
    (
        [
            (CONTENT_TYPE, content_type.to_string()),
            (CONTENT_DISPOSITION, disposition),
            (CACHE_CONTROL, "private, max-age=3600".to_string()),
        ],
        bytes,
    )
        .into_response()
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (attachment, bytes) = state.attachment_content(&user.0, id, false).await?;
    Ok(file_response(&attachment, bytes, false))
}

async fn thumbnail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (attachment, bytes) = state.attachment_content(&user.0, id, true).await?;
    Ok(file_response(&attachment, bytes, true))
}

#[derive(Deserialize)]
struct Code {
    code: Option<String>,
}

async fn public_file(
    state: AppState,
    peer: SocketAddr,
    (number, id): (String, i64),
    code: Code,
    thumbnail: bool,
) -> Result<Response, ApiError> {
    let code = code.code.unwrap_or_default();
    let appeal = appeal_for_citizen(&state, peer.ip(), &number, &code).await?;
    let (attachment, bytes) = state
        .citizen_attachment_content(&appeal, id, thumbnail)
        .await?;
    Ok(file_response(&attachment, bytes, thumbnail))
}

async fn public_download(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(path): Path<(String, i64)>,
    Query(code): Query<Code>,
) -> Result<Response, ApiError> {
    public_file(state, peer, path, code, false).await
}

async fn public_thumbnail(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(path): Path<(String, i64)>,
    Query(code): Query<Code>,
) -> Result<Response, ApiError> {
    public_file(state, peer, path, code, true).await
}
