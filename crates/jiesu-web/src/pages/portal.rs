//! The citizen portal (市民门户): submit an appeal without an account, then track it with its
//! number and query code. A wrong code and an unknown number get the same answer.

use askama::Template;
use axum::Form;
use axum::extract::ConnectInfo;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiesu_domain::appeal::{Citizen, Place};
use jiesu_domain::event::{EventKind, Satisfaction};
use jiesu_domain::kinds::{AppealType, Channel};
use jiesu_domain::user::Actor;
use serde::Deserialize;

use super::appeals::{DraftFields, request_of};
use super::attachments::AttachmentItem;
use super::support::{Opt, fmt_time};
use super::{PageError, encode, redirect, render};
use crate::state::AppState;
use crate::tracking::{appeal_for_citizen, public_view};
use crate::uploads::FormWithFiles;

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalPage {
    types: Vec<Opt>,
    number: String,
    error: Option<&'static str>,
}

fn types() -> Vec<Opt> {
    AppealType::ALL
        .iter()
        .filter(|t| **t != AppealType::Reconsideration)
        .map(|t| Opt {
            value: t.label().into(),
            label: t.label().into(),
            selected: *t == AppealType::Complaint,
        })
        .collect()
}

pub async fn page() -> Response {
    render(&PortalPage {
        types: types(),
        number: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct Submission {
    #[serde(default)]
    r#type: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    confidential: Option<String>,
    #[serde(default)]
    address: String,
    #[serde(default)]
    district: String,
}

#[derive(Template)]
#[template(path = "portal_done.html")]
struct DonePage {
    number: String,
    code: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    FormWithFiles(form, files): FormWithFiles<Submission>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/portal");
    state
        .limits
        .public_intake(peer.ip(), Some(&form.phone))
        .map_err(|e| back(e.into()))?;
    let trimmed = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let citizen = Citizen {
        name: trimmed(&form.name),
        phone: trimmed(&form.phone),
        confidential: form.confidential.is_some(),
        anonymous: false,
    };
    let place = Place {
        address: form.address,
        district: trimmed(&form.district),
        street: None,
        lat: None,
        lng: None,
    };
    let fields = DraftFields {
        appeal_type: &form.r#type,
        urgency: "",
        title: &form.title,
        text: &form.text,
        category: "",
    };
    let mut request = request_of(Channel::Website, fields, citizen, place).map_err(back)?;
    request.files = files;
    let registered = state
        .intake(request, Channel::Website, Actor::citizen(), None, None)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(render(&DonePage {
        number: registered.appeal.number.0,
        code: registered.query_code,
    }))
}

pub struct PublicStep {
    pub label: &'static str,
    pub at: String,
}

#[derive(Template)]
#[template(path = "portal_track.html")]
struct TrackPage {
    number: String,
    /// The query code, carried by the rating form.
    code: String,
    title: String,
    status_code: &'static str,
    status_label: &'static str,
    created: String,
    reply: Option<String>,
    /// The number of the appeal this one was merged into (并案).
    merged_into: Option<String>,
    can_rate: bool,
    /// The citizen's own rating (市民评价), once given.
    rating: Option<&'static str>,
    finished: bool,
    steps: Vec<PublicStep>,
    /// A one-line notice after rating.
    notice: Option<&'static str>,
    attachments: Vec<AttachmentItem>,
}

#[derive(Deserialize)]
pub struct Track {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    rated: Option<String>,
}

/// The tracking page, from the shared public view (the same as the API's).
pub async fn track(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Query(q): Query<Track>,
) -> Result<Response, PageError> {
    let view = match public_view(&state, peer.ip(), &q.number, &q.code).await {
        Ok(view) => view,
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            let mut r = render(&PortalPage {
                types: types(),
                number: q.number.trim().to_string(),
                error: Some("受理编号或查询码不正确"),
            });
            *r.status_mut() = StatusCode::NOT_FOUND;
            return Ok(r);
        }
        Err(e) => return Err(e.into()),
    };
    let page = TrackPage {
        number: view.number.0,
        code: q.code.trim().to_string(),
        title: view.title,
        status_code: view.status,
        status_label: view.status_label,
        created: fmt_time(view.created_at),
        reply: view.reply,
        merged_into: view.merged_into.map(|n| n.0),
        can_rate: view.can_rate,
        rating: view.rating.map(Satisfaction::label),
        finished: matches!(view.status, "closed" | "archived"),
        steps: view
            .timeline
            .iter()
            .map(|s| PublicStep {
                label: s.label,
                at: fmt_time(s.at),
            })
            .collect(),
        notice: q.rated.map(|_| "感谢您的评价！"),
        attachments: view
            .attachments
            .iter()
            .map(AttachmentItem::citizen)
            .collect(),
    };
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    satisfaction: String,
    #[serde(default)]
    note: String,
}

/// The citizen rates a closed appeal (市民评价): the same path as
/// `POST /api/public/appeals/{number}/rating`, then back to the tracking page.
pub async fn rate(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Form(form): Form<RatingForm>,
) -> Result<Response, PageError> {
    let track = format!(
        "/portal/track?number={}&code={}",
        encode(form.number.trim()),
        encode(form.code.trim())
    );
    let back = |e: PageError| e.back(track.clone());
    let satisfaction = Satisfaction::parse(&form.satisfaction)
        .map_err(|_| back(PageError::invalid("请选择满意、基本满意或不满意。")))?;
    let appeal = appeal_for_citizen(&state, peer.ip(), &form.number, &form.code)
        .await
        .map_err(|e| back(e.into()))?;
    let kind = EventKind::Rate {
        satisfaction,
        note: form.note.trim().to_string(),
    };
    state
        .act(appeal.id, kind, &Actor::citizen(), None)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!("{track}&rated=1")))
}
