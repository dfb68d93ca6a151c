//! Intake (受理登记): the staff form and its submission, sent on to dispatch or answered on
//! the spot (直办); the form fields shared with the citizen portal. A refused form comes back
//! with everything typed and the message beside its field; the form's one-time token is the
//! intake's idempotency key, so a double click or a refresh never files the appeal twice.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiesu_app::AppError;
use jiesu_app::intake::{CallerKey, DirectAnswer, IntakeRequest};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::{Citizen, Place};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::user::{Role, User};
use jiesu_store::StoreError;
use serde::Deserialize;

use crate::extract::CurrentUser;
use crate::pages::form::{FieldError, FormErrors};
use crate::pages::places::{self, DistrictChoice, districts};
use crate::pages::point_choice::{PointGroup, point_groups};
use crate::pages::support::{Opt, options};
use crate::pages::{PageError, Shell, encode, redirect, render};
use crate::state::AppState;
use crate::uploads::FormWithFiles;

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    shell: Shell,
    f: IntakeForm,
    errors: FormErrors,
    channels: Vec<Opt>,
    types: Vec<Opt>,
    urgencies: Vec<Opt>,
    categories: Vec<Opt>,
    /// The city's districts and their streets (from the bodies' areas), to choose from.
    districts: Vec<DistrictChoice>,
    /// The service points the appeal may name, by kind.
    points: Vec<PointGroup>,
    may_answer: bool,
}

/// What the intake form holds: the operator's values, posted and shown again on refusal.
#[derive(Deserialize, Default, Clone)]
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
    email: String,
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
    /// The service point the appeal names (its id; empty: none).
    #[serde(default)]
    point: String,
    /// `dispatch` (转派单) or `direct` (直办).
    #[serde(default)]
    mode: String,
    #[serde(default)]
    answer: String,
    /// The knowledge article the direct answer cites (its id; empty: none).
    #[serde(default)]
    article: String,
    /// The form's one-time token (the intake's idempotency key).
    #[serde(default)]
    token: String,
}

impl IntakeForm {
    /// A blank form for `user`, with a fresh token.
    fn blank(user: &User) -> IntakeForm {
        let channel = if user.role == Role::Representative {
            Channel::LiaisonStation
        } else {
            Channel::Hotline
        };
        IntakeForm {
            channel: channel.label().into(),
            r#type: AppealType::Complaint.label().into(),
            urgency: Urgency::Normal.label().into(),
            mode: "dispatch".into(),
            token: jiesu_app::auth::new_token(),
            ..IntakeForm::default()
        }
    }
}

/// Where the form's choices come from: the city's districts and its service points.
struct Choices {
    districts: Vec<DistrictChoice>,
    points: Vec<PointGroup>,
}

impl Choices {
    async fn load(state: &AppState, f: &IntakeForm) -> Result<Choices, PageError> {
        Ok(Choices {
            districts: districts(&state.store.bodies().await?),
            points: point_groups(state, &f.point).await?,
        })
    }
}

fn page(
    state: &AppState,
    shell: Shell,
    user: &User,
    f: IntakeForm,
    errors: FormErrors,
    choices: Choices,
) -> Response {
    let taxonomy = state.taxonomy();
    let none = [("", "（暂不分类）")];
    let leaves: Vec<String> = taxonomy.leaves().map(|p| p.levels().join("/")).collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(&IntakePage {
        shell,
        channels: options(
            Channel::ALL.iter().map(|c| (c.label(), c.label())),
            &f.channel,
        ),
        types: options(
            AppealType::ALL.iter().map(|t| (t.label(), t.label())),
            &f.r#type,
        ),
        urgencies: options(
            Urgency::ALL.iter().map(|u| (u.label(), u.label())),
            &f.urgency,
        ),
        categories: options(
            none.into_iter()
                .chain(leaves.iter().map(|l| (l.as_str(), l.as_str()))),
            &f.category,
        ),
        districts: choices.districts,
        points: choices.points,
        may_answer: matches!(user.role, Role::Operator | Role::Admin),
        f,
        errors,
    });
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

pub async fn intake_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let shell = Shell::load(&state, &user.0, "受理登记", "/appeals/new").await;
    let f = IntakeForm::blank(&user.0);
    let choices = Choices::load(&state, &f).await?;
    Ok(page(
        &state,
        shell,
        &user.0,
        f,
        FormErrors::default(),
        choices,
    ))
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
    /// The service point's id (empty: none).
    pub point: &'a str,
}

/// Builds the shared intake request from form fields (staff intake and the portal).
pub fn request_of(
    channel: Channel,
    f: DraftFields<'_>,
    citizen: Citizen,
    place: Place,
) -> Result<IntakeRequest, AppError> {
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
        point_id: opt(f.point)
            .map(|p| {
                p.parse::<i64>().map_err(|_| DomainError::InvalidField {
                    field: "point_id",
                    reason: "请从列表中选择点位".into(),
                })
            })
            .transpose()?,
        files: Vec::new(),
    })
}

/// The form's token as the caller's idempotency key (none for a form without one).
pub fn form_key(caller: String, token: &str) -> Option<CallerKey> {
    let token = token.trim();
    (!token.is_empty() && token.len() <= 200).then(|| CallerKey {
        caller,
        key: format!("form:{token}"),
    })
}

/// Why an intake was refused, as the form shows it: beside its field when it is about one,
/// above the form otherwise.
pub fn refusal(e: AppError) -> (FormErrors, Option<PageError>) {
    match FieldError::of_intake(&e) {
        Some(field) => (FormErrors::one(field), None),
        None => {
            let page = PageError::from(e);
            (
                FormErrors::one(FieldError::new("", page.message.clone())),
                Some(page),
            )
        }
    }
}

/// The form shown again with what was typed and why it was refused.
async fn refused(
    state: &AppState,
    user: &User,
    form: IntakeForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let shell = Shell::load(state, user, "受理登记", "/appeals/new").await;
    let choices = Choices::load(state, &form).await?;
    Ok(page(state, shell, user, form, errors, choices))
}

pub async fn intake(
    State(state): State<AppState>,
    user: CurrentUser,
    FormWithFiles(form, files): FormWithFiles<IntakeForm>,
) -> Result<Response, PageError> {
    let user = user.0;
    let direct = form.mode == "direct";
    if direct && form.answer.trim().is_empty() {
        let e = FieldError::new("answer", "选择「直办」时请填写答复内容。");
        return refused(&state, &user, form, FormErrors::one(e)).await;
    }
    let gone = || FieldError::new("article", "所选知识不存在或已失效，请重新选择。");
    let article = match form.article.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return refused(&state, &user, form, FormErrors::one(gone())).await,
        },
    };
    // The district and street are the city's own when its bodies name districts; a city
    // without any keeps what the operator typed.
    let choices = districts(&state.store.bodies().await?);
    let checked = if choices.is_empty() {
        places::CheckedPlace {
            district: opt(&form.district),
            street: opt(&form.street),
            address: form.address.trim().to_string(),
        }
    } else {
        match places::check(&choices, &form.district, &form.street, &form.address) {
            Ok(p) => p,
            Err(e) => return refused(&state, &user, form, FormErrors::one(e)).await,
        }
    };
    let request = Channel::parse(&form.channel)
        .map_err(AppError::from)
        .and_then(|channel| {
            let fields = DraftFields {
                appeal_type: &form.r#type,
                urgency: &form.urgency,
                title: &form.title,
                text: &form.text,
                category: &form.category,
                point: &form.point,
            };
            let citizen = Citizen {
                name: opt(&form.name),
                phone: opt(&form.phone),
                email: opt(&form.email),
                confidential: form.confidential.is_some(),
                anonymous: form.anonymous.is_some(),
            };
            let place = Place {
                address: checked.address,
                district: checked.district,
                street: checked.street,
                lat: None,
                lng: None,
            };
            Ok((channel, request_of(channel, fields, citizen, place)?))
        });
    let (channel, mut request) = match request {
        Ok(r) => r,
        Err(e) => return refused(&state, &user, form, refusal(e).0).await,
    };
    request.files = files;
    let answer = direct.then(|| DirectAnswer {
        answer: form.answer.clone(),
        article,
    });
    let key = form_key(format!("user:{}", user.id.0), &form.token);
    let registered = match state
        .intake(
            request,
            channel,
            jiesu_domain::user::Actor::user(&user),
            key,
            answer,
        )
        .await
    {
        Ok(r) => r,
        Err(
            AppError::Store(StoreError::NotFound(_))
            | AppError::Domain(DomainError::InvalidField {
                field: "article", ..
            }),
        ) => return refused(&state, &user, form, FormErrors::one(gone())).await,
        Err(e) => {
            let (errors, page) = refusal(e);
            if let Some(page) = page.filter(|p| p.status.is_server_error()) {
                return Err(page.back("/appeals/new"));
            }
            return refused(&state, &user, form, errors).await;
        }
    };
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
