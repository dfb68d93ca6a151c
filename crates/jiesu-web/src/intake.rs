//! Intake (受理): validating a new appeal and recording it, for every edge that takes one —
//! staff intake, the public portal, the web form.

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place, SuggestedDispatch};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::deadline::{Deadline, Timekeeper};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::Actor;
use jiesu_store::{IdempotencyKey, Registered, Registration};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::new_query_code;
use crate::error::ApiError;
use crate::state::AppState;

/// An intake as the API receives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(rename = "type")]
    pub appeal_type: AppealType,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub citizen: Citizen,
    #[serde(default)]
    pub place: Place,
    /// `一级/二级/三级`, one to three levels.
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub urgency: Option<Urgency>,
    /// When the appeal was received, if earlier than now (a letter, a station's register).
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
}

/// An `Idempotency-Key` header and who sent it (`user:ID`, `public:ADDRESS`).
#[derive(Debug, Clone)]
pub struct CallerKey {
    pub caller: String,
    pub key: String,
}

/// sha256 (hex) of the canonical form of a validated intake: the draft as validated (before
/// the dispatch suggestion, which depends on the model) and the time of receipt the request
/// gave, serialized as JSON with the fields in their declared order.
fn request_hash(
    draft: &AppealDraft,
    received_at: Option<DateTime<Utc>>,
) -> Result<String, ApiError> {
    let canonical = serde_json::to_vec(&(draft, received_at)).map_err(|e| {
        tracing::error!(error = %e, "intake request not serializable");
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试",
        )
    })?;
    Ok(hex::encode(Sha256::digest(&canonical)))
}

/// Validates an intake and records it. Shared by staff intake and the public portal.
pub async fn intake(
    state: &AppState,
    request: IntakeRequest,
    default_channel: Channel,
    actor: Actor,
    idempotency_key: Option<CallerKey>,
) -> Result<Registered, ApiError> {
    let now = Utc::now();
    let at = match request.received_at {
        Some(t) if t > now + chrono::Duration::minutes(5) => {
            return Err(ApiError::invalid("received_at", "受理时间不能晚于当前时间"));
        }
        Some(t) => t,
        None => now,
    };
    let category = match request.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            let path = CategoryPath::parse(text)?;
            state.taxonomy().check(&path)?;
            Some(path)
        }
    };
    let draft = AppealDraft {
        channel: request.channel.unwrap_or(default_channel),
        appeal_type: request.appeal_type,
        title: request.title,
        text: request.text,
        citizen: request.citizen,
        place: request.place,
        category,
        urgency: request.urgency.unwrap_or(Urgency::Normal),
        suggested: None,
    }
    .validated()?;
    let idempotency_key = match idempotency_key {
        Some(CallerKey { caller, key }) => Some(IdempotencyKey {
            caller,
            key,
            request_hash: request_hash(&draft, request.received_at)?,
            used_at: now,
        }),
        None => None,
    };
    let suggestion = state
        .assistant()
        .suggest(&draft.title, &draft.text, &draft.place.address);
    let mut draft = draft;
    draft.suggested = Some(SuggestedDispatch {
        category: suggestion.categories.first().map(|c| c.0.clone()),
        body: suggestion.body.as_ref().map(|b| b.id),
        confidence: suggestion.confidence(),
        model_version: suggestion.model_version,
    });
    let deadline = intake_deadline(&state.timekeeper(), &draft, &actor, at);
    let registration = Registration {
        draft,
        query_code: new_query_code(),
        idempotency_key,
        actor,
        at,
        deadline,
    };
    let registered = state.intake.register(registration).await?;
    if registered.created {
        state.changed(&registered.appeal).await;
    }
    Ok(registered)
}

/// The deadline that runs from intake (only 行政复议 has one).
fn intake_deadline(
    timekeeper: &Timekeeper,
    draft: &AppealDraft,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Option<Deadline> {
    if draft.appeal_type != AppealType::Reconsideration {
        return None;
    }
    let preview = registered(AppealId(0), AppealNumber(String::new()), draft.clone(), at);
    let event = Event::new(
        AppealId(0),
        1,
        EventKind::Register {
            draft: Box::new(draft.clone()),
        },
        actor.clone(),
        at,
        "",
    );
    timekeeper.deadline(&preview, &[event])
}
