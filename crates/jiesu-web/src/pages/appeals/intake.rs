//! Intake (受理登记): the staff form and its submission, sent on to dispatch or answered on
//! the spot (直办); the form fields shared with the citizen portal.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiesu_app::AppError;
use jiesu_app::intake::{DirectAnswer, IntakeRequest};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::{Citizen, Place};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::user::Role;
use jiesu_store::StoreError;
use serde::Deserialize;

use crate::extract::CurrentUser;
use crate::pages::support::{Opt, options};
use crate::pages::{PageError, Shell, encode, redirect, render};
use crate::state::AppState;
use crate::uploads::FormWithFiles;

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    shell: Shell,
    channels: Vec<Opt>,
    types: Vec<Opt>,
    urgencies: Vec<Opt>,
    categories: Vec<Opt>,
    may_answer: bool,
}

pub async fn intake_form(State(state): State<AppState>, user: CurrentUser) -> Response {
    let shell = Shell::load(&state, &user.0, "受理登记", "/appeals/new").await;
    let taxonomy = state.taxonomy();
    let default_channel = if user.0.role == Role::Representative {
        "联络站"
    } else {
        "热线"
    };
    let none = [("", "（暂不分类）")];
    let leaves: Vec<String> = taxonomy.leaves().map(|p| p.levels().join("/")).collect();
    render(&IntakePage {
        shell,
        channels: options(
            Channel::ALL.iter().map(|c| (c.label(), c.label())),
            default_channel,
        ),
        types: options(
            AppealType::ALL.iter().map(|t| (t.label(), t.label())),
            "投诉",
        ),
        urgencies: options(Urgency::ALL.iter().map(|u| (u.label(), u.label())), "一般"),
        categories: options(
            none.into_iter()
                .chain(leaves.iter().map(|l| (l.as_str(), l.as_str()))),
            "",
        ),
        may_answer: matches!(user.0.role, Role::Operator | Role::Admin),
    })
}

#[derive(Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    r#type: String,
    #[serde(default)]
    urgency: String,
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
    anonymous: Option<String>,
    #[serde(default)]
    address: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    category: String,
    /// `dispatch` (转派单) or `direct` (直办).
    #[serde(default)]
    mode: String,
    #[serde(default)]
    answer: String,
    /// The knowledge article the direct answer cites (its id; empty: none).
    #[serde(default)]
    article: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The text fields of an intake form (staff intake and the portal).
pub struct DraftFields<'a> {
    pub appeal_type: &'a str,
    pub urgency: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub category: &'a str,
}

/// Builds the shared intake request from form fields (staff intake and the portal).
pub fn request_of(
    channel: Channel,
    f: DraftFields<'_>,
    citizen: Citizen,
    place: Place,
) -> Result<IntakeRequest, PageError> {
    Ok(IntakeRequest {
        channel: Some(channel),
        appeal_type: AppealType::parse(f.appeal_type)?,
        title: f.title.to_string(),
        text: f.text.to_string(),
        citizen,
        place,
        category: opt(f.category),
        urgency: opt(f.urgency).map(|u| Urgency::parse(&u)).transpose()?,
        received_at: None,
        files: Vec::new(),
    })
}

pub async fn intake(
    State(state): State<AppState>,
    user: CurrentUser,
    FormWithFiles(form, files): FormWithFiles<IntakeForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/appeals/new");
    let citizen = Citizen {
        name: opt(&form.name),
        phone: opt(&form.phone),
        confidential: form.confidential.is_some(),
        anonymous: form.anonymous.is_some(),
    };
    let place = Place {
        address: form.address.clone(),
        district: opt(&form.district),
        street: opt(&form.street),
        lat: None,
        lng: None,
    };
    let channel = Channel::parse(&form.channel).map_err(|e| back(e.into()))?;
    let fields = DraftFields {
        appeal_type: &form.r#type,
        urgency: &form.urgency,
        title: &form.title,
        text: &form.text,
        category: &form.category,
    };
    let mut request = request_of(channel, fields, citizen, place).map_err(back)?;
    request.files = files;
    let direct = form.mode == "direct";
    if direct && form.answer.trim().is_empty() {
        return Err(PageError::invalid("选择「直办」时请填写答复内容。").back("/appeals/new"));
    }
    let gone = || PageError::invalid("所选知识不存在或已失效，请重新选择。");
    let answer = match (direct, form.article.trim()) {
        (false, _) => None,
        (true, "") => Some(DirectAnswer {
            answer: form.answer,
            article: None,
        }),
        (true, text) => Some(DirectAnswer {
            answer: form.answer,
            article: Some(text.parse().map_err(|_| back(gone()))?),
        }),
    };
    let registered = state
        .intake(request, channel, user.actor(), None, answer)
        .await
        .map_err(|e| match e {
            AppError::Store(StoreError::NotFound(_))
            | AppError::Domain(DomainError::InvalidField {
                field: "article", ..
            }) => back(gone()),
            e => back(e.into()),
        })?;
    let id = registered.appeal.id;
    let notice = if direct {
        format!("已受理并直办办结，编号 {}", registered.appeal.number)
    } else {
        format!("已受理并转派单，编号 {}", registered.appeal.number)
    };
    Ok(redirect(&format!(
        "/appeals/{}?ok={}",
        id.0,
        encode(&notice)
    )))
}
