//! Intake (受理): validating a new appeal and recording it, for every edge that takes one —
//! staff intake (API and page), the public portal — with the dispatch suggestion and the
//! deadline that runs from intake. An operator's answer on the spot (直办) is recorded in the
//! intake's own transaction.

pub mod queue;

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::{AppealDraft, Citizen, Place, SuggestedDispatch};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::preview_intake;
use jiesu_domain::user::Actor;
use jiesu_store::{IdempotencyKey, Registered, Registration, SpotAnswer};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::App;
use crate::attachments::Upload;
use crate::error::{AppError, AppResult};
use crate::workflow::check_references;

/// An intake as the edges receive it.
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
    /// The service point (便民点位) the appeal is about, by its id.
    #[serde(default)]
    pub point_id: Option<i64>,
    /// The files that come with it (附件): given by the edges that take uploads, never in JSON.
    #[serde(skip)]
    pub files: Vec<Upload>,
}

/// An `Idempotency-Key` header and who sent it (`user:ID`, `public:ADDRESS`).
#[derive(Debug, Clone)]
pub struct CallerKey {
    pub caller: String,
    pub key: String,
}

/// sha256 (hex) of the canonical form of a validated intake: the draft as validated (before
/// the dispatch suggestion, which depends on the model), the time of receipt the request
/// gave and the point it names, serialized as JSON with the fields in their declared order
/// (without the point when it names none, so keys of intakes without one keep their hash).
fn request_hash(
    draft: &AppealDraft,
    received_at: Option<DateTime<Utc>>,
    point: Option<i64>,
) -> AppResult<String> {
    let canonical = match point {
        None => serde_json::to_vec(&(draft, received_at)),
        Some(point) => serde_json::to_vec(&(draft, received_at, point)),
    }
    .map_err(|e| AppError::Internal(format!("intake request not serializable: {e}")))?;
    Ok(hex::encode(Sha256::digest(&canonical)))
}

/// An operator's answer on the spot (直办), given with the intake.
#[derive(Debug, Clone)]
pub struct DirectAnswer {
    pub answer: String,
    /// The knowledge article cited, which must be valid on the day of intake.
    pub article: Option<i64>,
}

/// A citizen's query code (查询码): six digits, easy to read over the phone.
pub fn new_query_code() -> String {
    format!("{:06}", rand::random_range(0..1_000_000u32))
}

impl App {
    /// Validates an intake and records it, answered on the spot when `direct` is given —
    /// both in one transaction, so an intake is recorded answered or not at all.
    pub async fn intake(
        &self,
        mut request: IntakeRequest,
        default_channel: Channel,
        actor: Actor,
        idempotency_key: Option<CallerKey>,
        direct: Option<DirectAnswer>,
    ) -> AppResult<Registered> {
        let files = std::mem::take(&mut request.files);
        let mut registration = self
            .registration(request, default_channel, actor, idempotency_key, direct)
            .await?;
        let stored = self.files().store(files, &registration.actor).await?;
        registration.attachments = stored.attachments.clone();
        let mut registered = match self.intake.register(registration).await {
            // A retried intake names the first appeal, which has its own files.
            Ok(registered) if !registered.created => {
                self.files().discard(stored).await;
                registered
            }
            Ok(registered) => registered,
            Err(e) => {
                self.files().discard(stored).await;
                return Err(e.into());
            }
        };
        if registered.created {
            self.tell_citizen(
                &registered.appeal,
                &[crate::notify::MessageEvent::Received],
                &registered.query_code,
            )
            .await;
            self.changed(&registered.appeal).await;
            if let Some(dispatched) = self.auto_dispatch(&registered.appeal).await {
                registered.appeal = dispatched;
            }
        }
        Ok(registered)
    }

    /// Every check of an intake, and the registration to record (without the request's
    /// files, which [`App::intake`] stores).
    pub(crate) async fn registration(
        &self,
        request: IntakeRequest,
        default_channel: Channel,
        actor: Actor,
        idempotency_key: Option<CallerKey>,
        direct: Option<DirectAnswer>,
    ) -> AppResult<Registration> {
        let now = Utc::now();
        let at = match request.received_at {
            Some(t) if t > now + chrono::Duration::minutes(5) => {
                return Err(DomainError::InvalidField {
                    field: "received_at",
                    reason: "受理时间不能晚于当前时间".into(),
                }
                .into());
            }
            Some(t) => t,
            None => now,
        };
        let category = match request.category.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let path = CategoryPath::parse(text)?;
                self.taxonomy().check(&path)?;
                Some(path)
            }
        };
        let mut draft = AppealDraft {
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
                request_hash: request_hash(&draft, request.received_at, request.point_id)?,
                used_at: now,
            }),
            None => None,
        };
        let suggestion = self
            .assistant()
            .suggest(&draft.title, &draft.text, &draft.place.address);
        draft.suggested = Some(SuggestedDispatch {
            category: suggestion.categories.first().map(|c| c.0.clone()),
            body: suggestion.body.as_ref().map(|b| b.id),
            confidence: suggestion.confidence,
            model_version: suggestion.model_version,
        });
        if let Some(point) = request.point_id {
            self.check_named_point(point).await?;
        }
        let answered = match direct {
            None => None,
            Some(direct) => Some(self.answer_on_the_spot(&draft, direct, &actor, at).await?),
        };
        Ok(Registration {
            deadline: self.timekeeper().at_intake(&draft, &actor, at),
            draft,
            query_code: new_query_code(),
            idempotency_key,
            actor,
            at,
            answered,
            attachments: Vec::new(),
            point: request.point_id,
        })
    }

    /// Checks an answer on the spot against the appeal as it will be registered, and
    /// projects the deadline after it.
    async fn answer_on_the_spot(
        &self,
        draft: &AppealDraft,
        direct: DirectAnswer,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> AppResult<SpotAnswer> {
        let (mut appeal, registration) = preview_intake(draft, actor, at);
        let kind = EventKind::AnswerDirectly {
            answer: direct.answer,
            article: direct.article,
        };
        appeal.check(&kind, actor, at)?;
        check_references(&*self.store, &appeal, &kind, at).await?;
        let event = Event::new(appeal.id, 2, kind.clone(), actor.clone(), at, "");
        appeal.apply(&event);
        Ok(SpotAnswer {
            deadline: self.timekeeper().deadline(&appeal, &[registration, event]),
            kind,
        })
    }
}
