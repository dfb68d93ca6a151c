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

use super::appeals::{DraftFields, form_key, refusal, request_of};
use super::attachments::AttachmentItem;
use super::form::{FieldError, FormErrors};
use super::places::{self, DistrictChoice, districts};
use super::point_choice::{PointGroup, point_groups};
use super::support::{Opt, fmt_time};
use super::{PageError, encode, redirect, render};
use crate::state::AppState;
use crate::tracking::{appeal_for_citizen, public_view};
use crate::uploads::FormWithFiles;

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalPage {
    types: Vec<Opt>,
    districts: Vec<DistrictChoice>,
    /// The service points the appeal may name, by kind.
    points: Vec<PointGroup>,
    /// What the citizen typed, shown again when the submission was refused.
    f: Submission,
    errors: FormErrors,
    /// The tracking form's number, kept after a wrong code.
    number: String,
    /// Why the tracking query failed (shown beside the code, the tracking form first).
    track_error: Option<&'static str>,
}

fn types(current: &str) -> Vec<Opt> {
    AppealType::ALL
        .iter()
        .filter(|t| **t != AppealType::Reconsideration)
        .map(|t| Opt {
            value: t.label().into(),
            label: t.label().into(),
            selected: t.label() == current,
        })
        .collect()
}

async fn portal_page(
    state: &AppState,
    f: Submission,
    errors: FormErrors,
    number: String,
    track_error: Option<&'static str>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let status = if track_error.is_some() {
        StatusCode::NOT_FOUND
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&PortalPage {
        types: types(&f.r#type),
        districts: districts(&bodies),
        points: point_groups(state, &f.point).await?,
        f,
        errors,
        number,
        track_error,
    });
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    Ok(r)
}

pub async fn page(State(state): State<AppState>) -> Result<Response, PageError> {
    let blank = Submission {
        r#type: AppealType::Complaint.label().into(),
        token: jiesu_app::auth::new_token(),
        ..Submission::default()
    };
    portal_page(&state, blank, FormErrors::default(), String::new(), None).await
}

/// What the portal's form holds: posted, and shown again when refused.
#[derive(Deserialize, Default)]
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
    email: String,
    #[serde(default)]
    confidential: Option<String>,
    #[serde(default)]
    address: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    street: String,
    /// The service point the appeal names (its id; empty: none).
    #[serde(default)]
    point: String,
    /// The form's one-time token (the intake's idempotency key).
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "portal_done.html")]
struct DonePage {
    number: String,
    code: String,
}

/// Files the citizen's appeal, then redirects (303) to the page with its number and query
/// code, so a refresh shows that page again instead of filing the appeal twice; a second
/// post of the same form (its token) gives back the same appeal.
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    FormWithFiles(form, files): FormWithFiles<Submission>,
) -> Result<Response, PageError> {
    let refused = |form: Submission, e: FieldError| {
        portal_page(&state, form, FormErrors::one(e), String::new(), None)
    };
    if let Err(e) = state.limits.public_intake(peer.ip(), Some(&form.phone)) {
        let e = PageError::from(e);
        if e.status == StatusCode::TOO_MANY_REQUESTS {
            return Err(e.back("/portal"));
        }
        return refused(form, FieldError::new("", e.message)).await;
    }
    let bodies = state.store.bodies().await?;
    let place = match places::check(
        &districts(&bodies),
        &form.district,
        &form.street,
        &form.address,
    ) {
        Ok(p) => p,
        Err(e) => return refused(form, e).await,
    };
    let trimmed = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let citizen = Citizen {
        name: trimmed(&form.name),
        phone: trimmed(&form.phone),
        email: trimmed(&form.email),
        confidential: form.confidential.is_some(),
        anonymous: false,
    };
    let place = Place {
        address: place.address,
        district: place.district,
        street: place.street,
        lat: None,
        lng: None,
    };
    let fields = DraftFields {
        appeal_type: &form.r#type,
        urgency: "",
        title: &form.title,
        text: &form.text,
        category: "",
        point: &form.point,
    };
    let filed = match request_of(Channel::Website, fields, citizen, place) {
        Ok(mut request) => {
            request.files = files;
            let key = form_key("portal".into(), &form.token);
            state
                .intake(request, Channel::Website, Actor::citizen(), key, None)
                .await
        }
        Err(e) => Err(e),
    };
    match filed {
        Ok(registered) => Ok(redirect(&format!(
            "/portal/done?number={}&code={}",
            encode(&registered.appeal.number.0),
            encode(&registered.query_code)
        ))),
        Err(e) => match refusal(e) {
            (_, Some(page)) if page.status.is_server_error() => Err(page.back("/portal")),
            (errors, _) => portal_page(&state, form, errors, String::new(), None).await,
        },
    }
}

#[derive(Deserialize)]
pub struct Codes {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
}

/// The page after a submission: the number and query code to keep. Shown only for a pair
/// that opens the appeal, like the tracking page.
pub async fn done(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Query(q): Query<Codes>,
) -> Result<Response, PageError> {
    let appeal = appeal_for_citizen(&state, peer.ip(), &q.number, &q.code)
        .await
        .map_err(|e| PageError::from(e).back("/portal"))?;
    Ok(render(&DonePage {
        number: appeal.number.0,
        code: q.code.trim().to_string(),
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
    /// The body handling the appeal (承办单位).
    handled_by: Option<String>,
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
            let blank = Submission {
                r#type: AppealType::Complaint.label().into(),
                token: jiesu_app::auth::new_token(),
                ..Submission::default()
            };
            return portal_page(
                &state,
                blank,
                FormErrors::default(),
                q.number.trim().to_string(),
                Some("受理编号或查询码不正确，请核对后重新输入。"),
            )
            .await;
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
        handled_by: view.handled_by,
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
