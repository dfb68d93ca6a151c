//! Suggestion campaigns (民生实事意见征集): the public lists open campaigns, submits proposals
//! and supports them (rate-limited like the portal), and reads the published outcomes; the
//! office creates campaigns, staff type in letters and mails, the office groups the
//! proposals after the close and gives each group to a body, the body answers (and may
//! correct its answer until publication), the office publishes and exports.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use jiesu_app::campaigns::CampaignView;
use jiesu_domain::campaign::{
    Answer, CampaignDraft, CampaignState, Outcome, ProposalChannel, ProposalDraft,
};
use jiesu_domain::ids::BodyId;
use jiesu_store::{GroupAnswer, StoredGroup, StoredProposal};
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/public/campaigns", get(public_list))
        .route("/api/public/campaigns/{id}", get(public_one))
        .route(
            "/api/public/campaigns/{id}/proposals",
            get(public_proposals).post(submit),
        )
        .route("/api/public/proposals/{id}/support", post(support))
        .route("/api/campaigns", get(list).post(create))
        .route("/api/campaigns/{id}", get(one).put(update))
        .route("/api/campaigns/{id}/proposals", post(enter))
        .route("/api/campaigns/{id}/grouping", post(group))
        .route("/api/campaigns/{id}/groups", get(groups))
        .route("/api/campaigns/{id}/publish", post(publish))
        .route("/api/campaigns/{id}/export", get(export))
        .route("/api/campaign-groups/{id}", get(group_one))
        .route("/api/campaign-groups/{id}/assign", post(assign))
        .route(
            "/api/campaign-groups/{id}/answer",
            post(answer).put(correct),
        )
}

#[derive(Serialize)]
pub struct Campaign {
    id: i64,
    title: String,
    description: String,
    opens: NaiveDate,
    closes: NaiveDate,
    state: CampaignState,
    channels: Vec<ProposalChannel>,
    topics: Vec<String>,
    bodies: Vec<String>,
    proposals: i64,
    published_at: Option<DateTime<Utc>>,
}

fn campaign(v: CampaignView) -> Campaign {
    let d = v.campaign.draft;
    Campaign {
        id: v.campaign.id,
        title: d.title,
        description: d.description,
        opens: d.opens,
        closes: d.closes,
        state: v.state,
        channels: d.channels,
        topics: d.topics,
        bodies: d.bodies,
        proposals: v.proposals,
        published_at: v.campaign.published_at,
    }
}

/// A group as everyone may see it once the outcomes are published.
#[derive(Serialize)]
struct Group {
    id: i64,
    rank: i64,
    subject: String,
    place: String,
    keywords: Vec<String>,
    people: i64,
    supports: i64,
    proposals: i64,
    body: Option<String>,
    outcome: Option<Outcome>,
    reply: String,
    task: Option<i64>,
}

fn group_json(g: StoredGroup, body: Option<String>) -> Group {
    Group {
        id: g.id,
        rank: g.rank,
        subject: g.subject,
        place: g.place,
        keywords: g.keywords,
        people: g.people,
        supports: g.supports,
        proposals: g.size,
        body,
        outcome: g.answer.as_ref().map(|a| a.outcome),
        reply: g.answer.map(|a| a.reply).unwrap_or_default(),
        task: g.task,
    }
}

/// A proposal as the public sees it: the name only when not anonymous, never the phone.
#[derive(Serialize)]
struct PublicProposal {
    id: i64,
    title: String,
    text: String,
    topic: String,
    place: String,
    name: String,
    channel: ProposalChannel,
    supports: i64,
    created_at: DateTime<Utc>,
}

fn public_proposal(p: StoredProposal) -> PublicProposal {
    PublicProposal {
        id: p.id,
        name: p.draft.public_name().to_string(),
        title: p.draft.title,
        text: p.draft.text,
        topic: p.draft.topic,
        place: p.draft.place,
        channel: p.draft.channel,
        supports: p.supports,
        created_at: p.created_at,
    }
}

/// A proposal as staff see it.
#[derive(Serialize)]
struct Proposal {
    id: i64,
    #[serde(flatten)]
    draft: ProposalDraft,
    supports: i64,
    group: Option<i64>,
    created_at: DateTime<Utc>,
}

fn proposal(p: StoredProposal) -> Proposal {
    Proposal {
        id: p.id,
        draft: p.draft,
        supports: p.supports,
        group: p.group,
        created_at: p.created_at,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Paging {
    offset: Option<i64>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct Created {
    id: i64,
}

/// A campaign the public may see: not one that has yet to start.
async fn public_view(state: &AppState, id: i64) -> Result<CampaignView, ApiError> {
    let view = state.campaign_view(id).await?;
    if view.state == CampaignState::NotStarted {
        return Err(ApiError::not_found("征集活动"));
    }
    Ok(view)
}

async fn public_list(State(state): State<AppState>) -> Result<Json<Vec<Campaign>>, ApiError> {
    Ok(Json(
        state
            .campaign_list(true)
            .await?
            .into_iter()
            .map(campaign)
            .collect(),
    ))
}

#[derive(Serialize)]
struct PublicCampaign {
    #[serde(flatten)]
    campaign: Campaign,
    /// The groups and their outcomes, once published; empty before.
    outcomes: Vec<Group>,
}

async fn public_one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<PublicCampaign>, ApiError> {
    let view = public_view(&state, id).await?;
    let outcomes = if view.state == CampaignState::Published {
        state
            .campaign_groups(id)
            .await?
            .into_iter()
            .map(|(g, b)| group_json(g, b))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(PublicCampaign {
        campaign: campaign(view),
        outcomes,
    }))
}

async fn public_proposals(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(p): Query<Paging>,
) -> Result<Json<Vec<PublicProposal>>, ApiError> {
    let page = super::paging::page(p.offset, p.limit)?;
    public_view(&state, id).await?;
    Ok(Json(
        state
            .campaign_proposals(id, page)
            .await?
            .into_iter()
            .map(public_proposal)
            .collect(),
    ))
}

/// What the public form asks: the channel is always the web page.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Submission {
    title: String,
    text: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    anonymous: bool,
}

impl Submission {
    fn draft(self) -> ProposalDraft {
        ProposalDraft {
            title: self.title,
            text: self.text,
            topic: self.topic,
            place: self.place,
            name: self.name,
            phone: self.phone,
            anonymous: self.anonymous,
            channel: ProposalChannel::Web,
        }
    }
}

async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<i64>,
    JsonBody(submission): JsonBody<Submission>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    public_view(&state, id).await?;
    state
        .limits
        .public_intake(peer.ip(), Some(submission.phone.as_str()))?;
    let id = state.submit_proposal(id, submission.draft()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vote {
    /// The token the voter's browser or program keeps for its session.
    voter: String,
}

#[derive(Serialize)]
struct Supported {
    counted: bool,
    supports: i64,
}

async fn support(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<i64>,
    JsonBody(vote): JsonBody<Vote>,
) -> Result<Json<Supported>, ApiError> {
    state.limits.public_support(peer.ip())?;
    let done = state.support_proposal(id, &vote.voter).await?;
    Ok(Json(Supported {
        counted: done.counted,
        supports: done.supports,
    }))
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<Campaign>>, ApiError> {
    Ok(Json(
        state
            .campaign_list(false)
            .await?
            .into_iter()
            .map(campaign)
            .collect(),
    ))
}

async fn create(
    State(state): State<AppState>,
    JsonBody(draft): JsonBody<CampaignDraft>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.create_campaign(draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Campaign>, ApiError> {
    Ok(Json(campaign(state.campaign_view(id).await?)))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<CampaignDraft>,
) -> Result<StatusCode, ApiError> {
    state.update_campaign(id, draft).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Staff type in a letter or a mail; the web channel is the public's own.
async fn enter(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    JsonBody(draft): JsonBody<ProposalDraft>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    if draft.channel == ProposalChannel::Web {
        return Err(ApiError::invalid(
            "channel",
            "工作人员录入的建议须为邮件或信件",
        ));
    }
    let id = state.submit_proposal(id, draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize)]
struct Grouped {
    proposals: usize,
    groups: usize,
    seconds: f64,
}

async fn group(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Grouped>, ApiError> {
    let done = state.group_campaign(id).await?;
    Ok(Json(Grouped {
        proposals: done.proposals,
        groups: done.groups,
        seconds: done.seconds,
    }))
}

async fn groups(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Group>>, ApiError> {
    Ok(Json(
        state
            .campaign_groups(id)
            .await?
            .into_iter()
            .map(|(g, b)| group_json(g, b))
            .collect(),
    ))
}

async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.publish_campaign(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The content type of a workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The campaign's workbook as a download (the API and the office's page).
pub async fn workbook(state: &AppState, id: i64) -> Result<Response, jiesu_app::AppError> {
    let bytes = state.export_campaign(id).await?;
    Ok((
        [
            (CONTENT_TYPE, XLSX.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"campaign-{id}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn export(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(workbook(&state, id).await?)
}

#[derive(Serialize)]
struct GroupDetail {
    campaign: i64,
    #[serde(flatten)]
    group: Group,
    /// The first proposals of the group.
    members: Vec<Proposal>,
    /// Every answer the group was given, oldest first (the current one last).
    answers: Vec<AnswerRecord>,
}

/// One answer a group was given (答复记录).
#[derive(Serialize)]
struct AnswerRecord {
    outcome: Outcome,
    reply: String,
    task: Option<i64>,
    /// Who answered; empty for answers given before the record was kept.
    by: String,
    at: DateTime<Utc>,
}

fn answer_record(a: GroupAnswer) -> AnswerRecord {
    AnswerRecord {
        outcome: a.answer.outcome,
        reply: a.answer.reply,
        task: a.task,
        by: a.by,
        at: a.at,
    }
}

async fn group_one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<GroupDetail>, ApiError> {
    let view = state.group_view(id).await?;
    Ok(Json(GroupDetail {
        campaign: view.campaign.id,
        group: group_json(view.group, view.body),
        members: view.proposals.into_iter().map(proposal).collect(),
        answers: view.answers.into_iter().map(answer_record).collect(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Assignment {
    body: i64,
}

async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    JsonBody(a): JsonBody<Assignment>,
) -> Result<StatusCode, ApiError> {
    state.assign_group(id, BodyId(a.body)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
struct Answered {
    task: Option<i64>,
}

async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(answer): JsonBody<Answer>,
) -> Result<Json<Answered>, ApiError> {
    let task = state.answer_group(id, answer, &user.0).await?;
    Ok(Json(Answered { task }))
}

/// 更正答复: the answer replaced, the old one kept in the group's answers.
async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    JsonBody(answer): JsonBody<Answer>,
) -> Result<Json<Answered>, ApiError> {
    let task = state.correct_answer(id, answer, &user.0).await?;
    Ok(Json(Answered { task }))
}
