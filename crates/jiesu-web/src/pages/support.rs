//! Helpers the pages share with the API. The API's own helpers (sign-in, intake, visibility,
//! the public view) live in private modules of `crate::api`; until they are made public these
//! thin wrappers call the same store methods in the same way.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber};
use jiesu_domain::body::{Body, subtree};
use jiesu_domain::deadline::{Deadline, DeadlineState};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::AppealType;
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::{Actor, Role, User};
use jiesu_store::{Registered, Registration, StoreError};

use super::PageError;
use crate::auth::{digest, new_query_code, new_token, verify_password};
use crate::extract::SESSION_COOKIE;
use crate::state::AppState;

/// Session length, as the API's sign-in (`api::session::SESSION_HOURS`).
const SESSION_HOURS: i64 = 12;

/// Checks credentials like `api::session::authenticate`; `None` for a wrong name or password.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<Option<User>, PageError> {
    let (user, hash) = match state.store.credentials(username.trim()).await {
        Ok(found) => found,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(verify_password(password.to_string(), hash)
        .await
        .then_some(user))
}

/// Opens a session like `api::session::open_session`; returns the Set-Cookie value.
pub async fn open_session(state: &AppState, user: &User) -> Result<String, PageError> {
    let token = new_token();
    let expires = Utc::now() + Duration::hours(SESSION_HOURS);
    state
        .store
        .create_session(&digest(&token), user.id, expires)
        .await?;
    Ok(format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        SESSION_HOURS * 3600
    ))
}

/// Records a validated intake like `api::appeals::intake` (without idempotency keys).
pub async fn register(
    state: &AppState,
    draft: AppealDraft,
    actor: Actor,
) -> Result<Registered, PageError> {
    if let Some(path) = &draft.category {
        state.taxonomy().check(path)?;
    }
    let draft = draft.validated()?;
    let now = Utc::now();
    let draft_copy = draft.clone();
    Ok(state
        .store
        .register(Registration {
            draft,
            query_code: new_query_code(),
            idempotency_key: None,
            deadline: intake_deadline(state, &draft_copy, &actor, now),
            actor,
            at: now,
        })
        .await?)
}

/// The bodies whose appeals `user` may see; `None` means all (as `api::view::visible_bodies`).
pub fn visible_bodies(user: &User, bodies: &[Body]) -> Option<Vec<BodyId>> {
    match (user.role, user.body) {
        (Role::Handler, Some(body)) => Some(subtree(bodies, body)),
        (Role::Handler, None) => Some(vec![]),
        _ => None,
    }
}

/// Whether `user` may open `appeal` (as `api::view::may_see`).
pub fn may_see(user: &User, bodies: &[Body], appeal: &Appeal) -> bool {
    match visible_bodies(user, bodies) {
        None => true,
        Some(mine) => appeal.bodies().any(|b| mine.contains(&b)),
    }
}

/// Hides a confidential citizen from handlers (as `api::view::redact`).
pub fn redact(user: &User, mut appeal: Appeal) -> Appeal {
    if appeal.citizen.confidential && user.role == Role::Handler {
        appeal.citizen.name = None;
        appeal.citizen.phone = None;
    }
    appeal
}

/// Compares secrets in constant time.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Beijing time (UTC+8), the time every page shows.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

/// `2026-01-31 14:05` in Beijing time.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&beijing())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Today's date in Beijing.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&beijing()).date_naive()
}

/// The start of a Beijing day, in UTC.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    beijing()
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

/// The deadline that runs from intake (only 行政复议 has one), as the API's intake computes it.
fn intake_deadline(
    state: &AppState,
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
            draft: draft.clone(),
        },
        actor.clone(),
        at,
        "",
    );
    state.timekeeper().deadline(&preview, &[event])
}

/// The deadline state of an appeal now (正常/临期/超期) from its stored deadline; `None`
/// when nothing is timed.
pub fn deadline_state(state: &AppState, appeal: &Appeal) -> Option<DeadlineState> {
    let deadline = appeal
        .deadline
        .as_ref()
        .filter(|_| appeal.status.is_open())?;
    Some(state.timekeeper().state(deadline, Utc::now()))
}
