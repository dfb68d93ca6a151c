//! Appeals for staff (诉求): intake, lists with filters, one appeal with its timeline, and
//! every lifecycle action.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{NaiveDate, Utc};
use jiesu_domain::appeal::{Appeal, AppealNumber};
use jiesu_domain::deadline::DeadlineState;
use jiesu_domain::event::EventKind;
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel};
use jiesu_domain::status::Status;
use jiesu_store::{AppealFilter, AppealOrder, Page};
use serde::{Deserialize, Serialize};

use super::timeline::TimelineEntry;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;
use crate::uploads::JsonWithFiles;
use jiesu_app::intake::{CallerKey, IntakeRequest};
use jiesu_app::returns::{Redispatch, ReturnJudgement};
use jiesu_app::search::Search;
use jiesu_app::visibility::{may_see, redact, visible_bodies};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/appeals", post(register).get(list))
        .route("/api/appeals/{id}", get(one))
        .route("/api/appeals/{id}/actions", post(action))
        .route("/api/stats/status", get(status_counts))
}

/// What intake answers: the appeal and the citizen's query code (查询码).
#[derive(Serialize)]
pub struct IntakeResponse {
    pub appeal: Appeal,
    pub query_code: String,
}

/// Longest idempotency key accepted.
const MAX_KEY_LEN: usize = 200;

/// The `Idempotency-Key` header, checked, as `caller`'s key: the same key from another
/// caller is another key.
pub fn idempotency_key(headers: &HeaderMap, caller: String) -> Result<Option<CallerKey>, ApiError> {
    Ok(match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let v = v
                .to_str()
                .map_err(|_| ApiError::bad_request("Idempotency-Key 含有非法字符"))?;
            if v.is_empty() || v.len() > MAX_KEY_LEN {
                return Err(ApiError::bad_request("Idempotency-Key 长度须为 1 至 200"));
            }
            Some(CallerKey {
                caller,
                key: v.to_string(),
            })
        }
    })
}

async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    JsonWithFiles(mut request, files): JsonWithFiles<IntakeRequest>,
) -> Result<(StatusCode, Json<IntakeResponse>), ApiError> {
    request.files = files;
    let registered = state
        .intake(
            request,
            Channel::Hotline,
            user.actor(),
            idempotency_key(&headers, format!("user:{}", user.0.id.0))?,
            None,
        )
        .await?;
    let status = if registered.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(IntakeResponse {
            query_code: registered.query_code,
            appeal: registered.appeal,
        }),
    ))
}

/// List filters as query parameters.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Comma-separated status codes (`registered,dispatched,…`).
    pub status: Option<String>,
    pub body: Option<i64>,
    pub category: Option<String>,
    pub channel: Option<String>,
    #[serde(rename = "type")]
    pub appeal_type: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
    /// `warning` (临期) or `overdue` (超期) now.
    pub deadline: Option<String>,
    /// Only appeals flagged for a leader (挂牌督办).
    pub flagged: Option<bool>,
    /// `newest` (default), `oldest`, `deadline` (nearest first) or `urgency` (排序).
    pub sort: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

fn parse_deadline_state(code: &str) -> Result<DeadlineState, ApiError> {
    match code {
        "normal" | "正常" => Ok(DeadlineState::Normal),
        "warning" | "临期" => Ok(DeadlineState::Warning),
        "overdue" | "超期" => Ok(DeadlineState::Overdue),
        other => Err(ApiError::invalid(
            "deadline",
            &format!("未知时限状态「{other}」"),
        )),
    }
}

impl ListQuery {
    /// The store filter, with the caller's visibility applied.
    pub fn filter(&self, visible: Option<Vec<BodyId>>) -> Result<AppealFilter, ApiError> {
        let statuses = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => vec![],
            Some(list) => list
                .split(',')
                .map(|s| {
                    Status::from_code(s.trim())
                        .ok_or_else(|| ApiError::invalid("status", &format!("未知状态「{s}」")))
                })
                .collect::<Result<_, _>>()?,
        };
        let bodies = match (visible, self.body) {
            (None, None) => None,
            (None, Some(b)) => Some(vec![BodyId(b)]),
            (Some(mine), None) => Some(mine),
            (Some(mine), Some(b)) => Some(mine.into_iter().filter(|x| x.0 == b).collect()),
        };
        let day = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc() - chrono::Duration::hours(8))
        };
        Ok(AppealFilter {
            statuses,
            bodies,
            category_l1: self.category.clone().filter(|s| !s.is_empty()),
            channel: self
                .channel
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(Channel::parse)
                .transpose()?,
            appeal_type: self
                .appeal_type
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(AppealType::parse)
                .transpose()?,
            from: self.from.and_then(day),
            to: self.to.and_then(|d| d.succ_opt()).and_then(day),
            words: self.q.clone().filter(|s| !s.trim().is_empty()),
            deadline: match self.deadline.as_deref().filter(|s| !s.is_empty()) {
                None => None,
                Some(code) => Some((parse_deadline_state(code)?, Utc::now())),
            },
            flagged: self.flagged.unwrap_or(false),
            order: match self.sort.as_deref().filter(|s| !s.is_empty()) {
                None => AppealOrder::Newest,
                Some(code) => AppealOrder::from_code(code)
                    .ok_or_else(|| ApiError::invalid("sort", &format!("未知排序方式「{code}」")))?,
            },
        })
    }

    pub fn page(&self) -> Result<Page, ApiError> {
        super::paging::page(self.offset, self.limit)
    }
}

#[derive(Serialize)]
struct ListResponse {
    items: Vec<Appeal>,
    total: i64,
    /// False when more match than were counted (`total` is then a floor).
    exact: bool,
    offset: i64,
    limit: i64,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<ListResponse>, ApiError> {
    let bodies = state.store.bodies().await?;
    let filter = query.filter(visible_bodies(&user.0, &bodies))?;
    let page = query.page()?;
    let (items, total, exact) = match state.search() {
        // Words go to the full-text index (best match first), as on the list page.
        Some(search) if Search::can_list(&filter) => {
            let found = search
                .list(&filter, None, page)
                .await
                .map_err(super::search::search_error)?;
            let mut appeals = state
                .store
                .appeals_by_ids(&found.hits.iter().map(|h| h.id).collect::<Vec<_>>())
                .await?;
            let rank = |a: &Appeal| found.hits.iter().position(|h| h.id == a.id);
            appeals.sort_by_key(rank);
            (appeals, found.total as i64, true)
        }
        _ => {
            let found = state.store.list_appeals(&filter, page).await?;
            (found.items, found.total, found.exact)
        }
    };
    Ok(Json(ListResponse {
        items: items
            .into_iter()
            .map(|a| redact(&user.0, a, true))
            .collect(),
        total,
        exact,
        offset: page.offset,
        limit: page.limit,
    }))
}

#[derive(Serialize)]
struct AppealDetail {
    appeal: Appeal,
    timeline: Vec<TimelineEntry>,
    /// The appeals merged into this one (并案诉求), by id.
    followers: Vec<FollowerRef>,
}

/// An appeal merged into the one shown: which, and where it stands (已并案 while it waits
/// for this one's answer, then its own state).
#[derive(Serialize)]
struct FollowerRef {
    id: AppealId,
    number: AppealNumber,
    status: Status,
}

/// Loads an appeal the caller may see (403 otherwise).
pub(super) async fn visible_appeal(
    state: &AppState,
    user: &CurrentUser,
    id: AppealId,
) -> Result<Appeal, ApiError> {
    let appeal = state.store.appeal(id).await?;
    if !may_see(&user.0, &state.store.bodies().await?, &appeal) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "该诉求不属于您的单位",
        ));
    }
    Ok(appeal)
}

async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<AppealDetail>, ApiError> {
    let appeal = visible_appeal(&state, &user, AppealId(id)).await?;
    let (events, followers) = tokio::try_join!(
        state.store.events(appeal.id),
        state.store.followers(appeal.id)
    )?;
    Ok(Json(AppealDetail {
        appeal: redact(&user.0, appeal, false),
        timeline: events.iter().map(TimelineEntry::of).collect(),
        followers: followers
            .into_iter()
            .map(|f| FollowerRef {
                id: f.id,
                number: f.number,
                status: f.status,
            })
            .collect(),
    }))
}

/// A lifecycle action: the event's fields with `action` naming it, and optionally the
/// `version` the caller saw (a stale version is a conflict). A return's approval
/// (`judge_return` with `approved: true`) names where it goes in `redispatch`.
#[derive(Debug, Deserialize)]
struct ActionRequest {
    #[serde(flatten)]
    kind: EventKind,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    redispatch: Option<Redispatch>,
}

async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonWithFiles(request, files): JsonWithFiles<ActionRequest>,
) -> Result<Json<AppealDetail>, ApiError> {
    let appeal = visible_appeal(&state, &user, AppealId(id)).await?;
    match request.kind {
        EventKind::JudgeReturn { approved, reason } => {
            let judgement = ReturnJudgement {
                approved,
                reason,
                redispatch: request.redispatch,
            };
            state
                .judge_return(appeal.id, judgement, &user.actor(), request.version)
                .await?;
        }
        kind => {
            state
                .act_with_files(appeal.id, kind, &user.actor(), request.version, files)
                .await?;
        }
    }
    one(State(state), user, Path(id)).await
}

#[derive(Serialize)]
struct StatusCount {
    status: &'static str,
    label: &'static str,
    count: i64,
}

async fn status_counts(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<StatusCount>>, ApiError> {
    let bodies = state.store.bodies().await?;
    let filter = ListQuery::default().filter(visible_bodies(&user.0, &bodies))?;
    let counts = state.store.count_by_status(&filter).await?;
    Ok(Json(
        counts
            .into_iter()
            .map(|(s, count)| StatusCount {
                status: s.code(),
                label: s.label(),
                count,
            })
            .collect(),
    ))
}
