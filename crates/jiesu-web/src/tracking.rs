//! Citizens tracking their appeal (市民查询): the number and the query code open the public
//! view of an appeal, for the public API and the portal pages alike. A wrong code and an
//! unknown number get the same answer, and failures are throttled per client.

use std::net::IpAddr;

use axum::http::StatusCode;
use jiesu_domain::appeal::{Appeal, AppealNumber};
use jiesu_domain::event::Satisfaction;
use jiesu_domain::status::Status;
use serde::Serialize;

use crate::error::ApiError;
use crate::pages::encode;
use crate::state::AppState;

/// What a citizen sees of their appeal.
#[derive(Serialize)]
pub struct PublicView {
    pub number: AppealNumber,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub reply: Option<String>,
    /// The appeal this one was merged into (并案): its handling answers this one too.
    pub merged_into: Option<AppealNumber>,
    /// The body handling the appeal (承办单位), once it is dispatched.
    pub handled_by: Option<String>,
    /// Whether the citizen may rate the result now (after closing, once).
    pub can_rate: bool,
    pub rating: Option<Satisfaction>,
    pub timeline: Vec<PublicStep>,
    /// The files the citizen gave with the appeal (none for a confidential one), each
    /// served with the number and the query code.
    pub attachments: Vec<PublicAttachment>,
}

/// A file of the citizen's own appeal.
#[derive(Serialize)]
pub struct PublicAttachment {
    pub id: i64,
    pub name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub url: String,
    pub thumbnail_url: Option<String>,
}

/// One public step of the timeline: what happened and when, without internal notes.
#[derive(Serialize)]
pub struct PublicStep {
    pub label: &'static str,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The appeal with this number if `code` is its query code; a wrong code and an unknown
/// number get the same answer.
pub async fn appeal_for_citizen(
    state: &AppState,
    address: IpAddr,
    number: &str,
    code: &str,
) -> Result<Appeal, ApiError> {
    state.limits.before_code_check(address)?;
    let refused = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "受理编号或查询码不正确");
    let (appeal, expected) = match state.store.appeal_by_number(number.trim()).await {
        Ok(found) => found,
        Err(jiesu_store::StoreError::NotFound(_)) => {
            return Err(state.limits.code_failed(number, address, refused()));
        }
        Err(e) => return Err(e.into()),
    };
    if !constant_time_eq(code.trim().as_bytes(), expected.as_bytes()) {
        return Err(state.limits.code_failed(number, address, refused()));
    }
    Ok(appeal)
}

/// The public view of an appeal if `code` is its query code.
pub async fn public_view(
    state: &AppState,
    address: IpAddr,
    number: &str,
    code: &str,
) -> Result<PublicView, ApiError> {
    let appeal = appeal_for_citizen(state, address, number, code).await?;
    let events = state.store.events(appeal.id).await?;
    let attachments = state
        .citizen_attachments(&appeal)
        .await?
        .iter()
        .map(|a| {
            let url = format!(
                "/api/public/appeals/{}/attachments/{}",
                encode(&appeal.number.0),
                a.id
            );
            let query = format!("?code={}", encode(code.trim()));
            PublicAttachment {
                id: a.id,
                name: a.file.name.clone(),
                content_type: a.file.kind.content_type(),
                size: a.file.size,
                thumbnail_url: a
                    .file
                    .thumbnail_key
                    .as_ref()
                    .map(|_| format!("{url}/thumbnail{query}")),
                url: format!("{url}{query}"),
            }
        })
        .collect();
    let lead = match appeal.merged_into {
        Some(id) => Some(state.store.appeal(id).await?),
        None => None,
    };
    // While merged, the lead's answer is this one's; once it followed (随主件答复) the
    // answer is its own.
    let reply = match &lead {
        Some(lead) if appeal.status == Status::Merged => lead.answer(),
        _ => appeal.answer(),
    }
    .map(str::to_string);
    let handled_by = match appeal.lead_body {
        Some(id) => state
            .store
            .bodies()
            .await?
            .into_iter()
            .find(|b| b.id == id)
            .map(|b| b.name),
        None => None,
    };
    Ok(PublicView {
        handled_by,
        number: appeal.number,
        title: appeal.title,
        status: appeal.status.code(),
        status_label: appeal.status.label(),
        created_at: appeal.created_at,
        can_rate: appeal.status == Status::Closed && appeal.citizen_rating.is_none(),
        rating: appeal.citizen_rating,
        reply,
        merged_into: lead.map(|l| l.number),
        timeline: events
            .iter()
            .filter(|e| e.kind.is_public())
            .map(|e| PublicStep {
                label: e.kind.label(),
                at: e.at,
            })
            .collect(),
        attachments,
    })
}

/// Compares two codes in time that does not depend on where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
