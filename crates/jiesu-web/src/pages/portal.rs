//! The citizen portal (市民门户): submit an appeal without an account, then track it with its
//! number and query code. A wrong code and an unknown number get the same answer.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiesu_domain::appeal::{Citizen, Place};
use jiesu_domain::kinds::{AppealType, Channel};
use jiesu_domain::status::Status;
use jiesu_domain::user::Actor;
use serde::Deserialize;

use super::appeals::{DraftFields, Opt, draft_of};
use super::support::{constant_time_eq, fmt_time, register};
use super::{PageError, render};
use crate::state::AppState;

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
    Form(form): Form<Submission>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/portal");
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
    let draft = draft_of(Channel::Website, fields, citizen, place).map_err(back)?;
    let registered = register(&state, draft, Actor::citizen())
        .await
        .map_err(back)?;
    Ok(render(&DonePage {
        number: registered.appeal.number.0,
        code: registered.query_code,
    }))
}

#[derive(Deserialize)]
pub struct Track {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
}

pub struct PublicStep {
    pub label: &'static str,
    pub at: String,
}

#[derive(Template)]
#[template(path = "portal_track.html")]
struct TrackPage {
    number: String,
    title: String,
    status_code: &'static str,
    status_label: &'static str,
    created: String,
    reply: Option<String>,
    /// "已解决 · 满意" once the callback is recorded.
    callback: Option<String>,
    finished: bool,
    steps: Vec<PublicStep>,
}

pub async fn track(
    State(state): State<AppState>,
    Query(q): Query<Track>,
) -> Result<Response, PageError> {
    let refused = || {
        let mut r = render(&PortalPage {
            types: types(),
            number: q.number.trim().to_string(),
            error: Some("受理编号或查询码不正确"),
        });
        *r.status_mut() = StatusCode::NOT_FOUND;
        r
    };
    let (appeal, expected) = match state.store.appeal_by_number(q.number.trim()).await {
        Ok(found) => found,
        Err(jiesu_store::StoreError::NotFound(_)) => return Ok(refused()),
        Err(e) => return Err(e.into()),
    };
    if !constant_time_eq(q.code.trim().as_bytes(), expected.as_bytes()) {
        return Ok(refused());
    }
    let events = state.store.events(appeal.id).await?;
    let finished = matches!(
        appeal.status,
        Status::AwaitingCallback | Status::Closed | Status::Archived
    );
    let page = TrackPage {
        number: appeal.number.0.clone(),
        status_code: appeal.status.code(),
        status_label: appeal.status.label(),
        created: fmt_time(appeal.created_at),
        reply: appeal.last_reply.clone().filter(|_| finished),
        callback: appeal.callback.as_ref().map(|c| {
            format!(
                "{} · {}",
                if c.solved { "已解决" } else { "未解决" },
                c.satisfaction.label()
            )
        }),
        finished: matches!(appeal.status, Status::Closed | Status::Archived),
        steps: events
            .iter()
            .filter(|e| e.kind.is_public())
            .map(|e| PublicStep {
                label: e.kind.label(),
                at: fmt_time(e.at),
            })
            .collect(),
        title: appeal.title,
    };
    Ok(render(&page))
}
