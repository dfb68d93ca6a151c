//! The public campaign pages (民生实事意见征集): the campaigns open to the public, and a
//! campaign's page with its submit form while open, its proposals with a support button,
//! and every group's outcome once published. A browser's votes are bound to a cookie of
//! its own (one support per proposal and browser session); submissions and votes are
//! rate-limited like the portal's.

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use jiesu_domain::campaign::{CampaignState, ProposalChannel, ProposalDraft};
use jiesu_store::Page;
use serde::Deserialize;

use super::support::{Notice, fmt_time};
use super::{PageError, encode, redirect, render, render_form};
use crate::state::AppState;

/// The cookie a browser's votes are bound to.
const VOTER_COOKIE: &str = "jiesu_voter";
/// Proposals the public page lists (the newest).
const LISTED: i64 = 100;

pub struct CampaignRow {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub state: &'static str,
    pub proposals: i64,
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct ListPage {
    rows: Vec<CampaignRow>,
}

pub async fn list(State(state): State<AppState>) -> Result<Response, PageError> {
    let rows = state
        .campaign_list(true)
        .await?
        .into_iter()
        .map(|v| CampaignRow {
            id: v.campaign.id,
            period: format!("{} 至 {}", v.campaign.draft.opens, v.campaign.draft.closes),
            title: v.campaign.draft.title,
            state: v.state.label(),
            proposals: v.proposals,
        })
        .collect();
    Ok(render(&ListPage { rows }))
}

pub struct ProposalRow {
    pub id: i64,
    pub title: String,
    pub text: String,
    pub topic: String,
    pub place: String,
    pub name: String,
    pub channel: &'static str,
    pub supports: i64,
    pub at: String,
}

pub struct OutcomeRow {
    pub rank: i64,
    pub subject: String,
    pub place: String,
    pub people: i64,
    pub supports: i64,
    pub body: String,
    pub outcome: &'static str,
    pub class: &'static str,
    pub reply: String,
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    id: i64,
    title: String,
    description: String,
    period: String,
    state: &'static str,
    open: bool,
    may_support: bool,
    channels: String,
    topics: Vec<String>,
    bodies: String,
    count: i64,
    proposals: Vec<ProposalRow>,
    outcomes: Vec<OutcomeRow>,
    notice: Option<String>,
    error: Option<String>,
}

/// The voter token the request's cookie carries, if any.
fn voter_of(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == VOTER_COOKIE)
        .map(|(_, v)| v.to_string())
}

fn voter_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!(
        "{VOTER_COOKIE}={token}; Path=/campaigns; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}"
    )
}

async fn campaign_page(
    state: &AppState,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let view = state.campaign_view(id).await?;
    if view.state == CampaignState::NotStarted {
        return Err(PageError::not_found("征集活动"));
    }
    // The newest proposals, newest first: a citizen finds the one just submitted on top.
    let proposals = state
        .campaign_proposals(id, Page::new(view.proposals - LISTED, LISTED))
        .await?
        .into_iter()
        .rev()
        .map(|p| ProposalRow {
            id: p.id,
            name: p.draft.public_name().to_string(),
            title: p.draft.title,
            text: p.draft.text,
            topic: p.draft.topic,
            place: p.draft.place,
            channel: p.draft.channel.label(),
            supports: p.supports,
            at: fmt_time(p.created_at),
        })
        .collect();
    let outcomes = if view.state == CampaignState::Published {
        state
            .campaign_groups(id)
            .await?
            .into_iter()
            .map(|(g, body)| {
                let outcome = g.answer.as_ref().map(|a| a.outcome);
                OutcomeRow {
                    rank: g.rank,
                    subject: g.subject,
                    place: g.place,
                    people: g.people,
                    supports: g.supports,
                    body: body.unwrap_or_default(),
                    outcome: outcome.map(|o| o.label()).unwrap_or("—"),
                    class: match outcome {
                        Some(o) if o.becomes_task() => "ok",
                        _ => "late",
                    },
                    reply: g.answer.map(|a| a.reply).unwrap_or_default(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let d = view.campaign.draft;
    let refused = error.is_some();
    Ok(render_form(
        &CampaignPage {
            id,
            period: format!("{} 至 {}", d.opens, d.closes),
            title: d.title,
            description: d.description,
            state: view.state.label(),
            open: view
                .state
                .takes(jiesu_domain::campaign::ProposalChannel::Web)
                .is_ok()
                && d.channels
                    .contains(&jiesu_domain::campaign::ProposalChannel::Web),
            may_support: matches!(view.state, CampaignState::Open | CampaignState::Closed),
            channels: d
                .channels
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join("、"),
            topics: d.topics,
            bodies: d.bodies.join("、"),
            count: view.proposals,
            proposals,
            outcomes,
            notice,
            error,
        },
        refused,
    ))
}

pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let notice = n.ok.filter(|n| !n.is_empty() && n.chars().count() <= 60);
    campaign_page(&state, id, notice, None)
        .await
        .map_err(|e| e.back("/campaigns"))
}

/// A proposal's form, public or typed in by staff: the fields of the API's, the checkbox
/// as `on`.
#[derive(Deserialize)]
pub struct ProposalForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
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
    anonymous: Option<String>,
}

impl ProposalForm {
    /// The proposal as it came by `channel`.
    pub fn draft(self, channel: ProposalChannel) -> ProposalDraft {
        ProposalDraft {
            title: self.title,
            text: self.text,
            topic: self.topic,
            place: self.place,
            name: self.name,
            phone: self.phone,
            anonymous: self.anonymous.is_some(),
            channel,
        }
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Path(id): Path<i64>,
    Form(form): Form<ProposalForm>,
) -> Result<Response, PageError> {
    let back = format!("/campaigns/{id}");
    state
        .limits
        .public_intake(peer.ip(), Some(form.phone.as_str()))
        .map_err(|e| PageError::from(e).back(back.clone()))?;
    match state
        .submit_proposal(id, form.draft(ProposalChannel::Web))
        .await
    {
        Ok(p) => Ok(redirect(&format!(
            "/campaigns/{id}?ok={}#p-{p}",
            encode("您的建议已提交，感谢参与")
        ))),
        Err(e @ jiesu_app::AppError::Domain(_)) => {
            campaign_page(&state, id, None, Some(crate::error::describe(&e).message)).await
        }
        Err(e) => Err(PageError::from(e).back(back)),
    }
}

pub async fn support(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Path(id): Path<i64>,
    parts: Parts,
) -> Result<Response, PageError> {
    state.limits.public_support(peer.ip())?;
    let (token, fresh) = match voter_of(&parts) {
        Some(token) if jiesu_app::campaigns::voter_key(&token).is_ok() => (token, false),
        _ => (jiesu_app::auth::new_token(), true),
    };
    let proposal = state.store.proposal(id).await?;
    let done = state.support_proposal(id, &token).await?;
    let notice = if done.counted {
        "已支持该建议"
    } else {
        "您已支持过该建议，不重复计数"
    };
    let mut response = redirect(&format!(
        "/campaigns/{}?ok={}#p-{id}",
        proposal.campaign,
        encode(notice)
    ));
    if fresh {
        let cookie = voter_cookie(&state, &token);
        if let Ok(value) = cookie.parse() {
            response.headers_mut().insert(SET_COOKIE, value);
        }
    }
    Ok(response.into_response())
}
