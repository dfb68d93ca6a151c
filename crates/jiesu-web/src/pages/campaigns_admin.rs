//! The staff's campaign pages (民生实事意见征集): the list with a form to open a campaign;
//! a campaign's page to edit it, type in letters and mails, group the proposals after the
//! close, give each group to a body, publish and export; a group's page with its
//! proposals, the body's answer form, the correction form (更正答复) and every answer given.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiesu_app::campaigns::answer::may_answer;
use jiesu_app::campaigns::grouping::may_group;
use jiesu_domain::DomainError;
use jiesu_domain::campaign::{Answer, CampaignDraft, CampaignState, Outcome, ProposalChannel};
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::{Role, User};
use serde::Deserialize;

use super::campaigns::ProposalForm;
use super::support::{BodyOpt, Notice, Opt, body_options, fmt_time, options};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

const LIST: &str = "/admin/campaigns";

/// The office opens, edits, groups, assigns and publishes.
fn is_office(user: &User) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin)
}

/// Who types in letters and mails.
fn may_enter(user: &User) -> bool {
    matches!(
        user.role,
        Role::Operator | Role::Dispatcher | Role::Supervisor | Role::Admin
    )
}

pub struct Row {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub state: &'static str,
    pub proposals: i64,
}

/// A campaign's fields as the forms show them.
#[derive(Default)]
pub struct Fields {
    pub title: String,
    pub description: String,
    pub opens: String,
    pub closes: String,
    pub web: bool,
    pub mail: bool,
    pub letter: bool,
    pub topics: String,
    pub bodies: String,
}

impl Fields {
    fn of(d: &CampaignDraft) -> Fields {
        Fields {
            title: d.title.clone(),
            description: d.description.clone(),
            opens: d.opens.to_string(),
            closes: d.closes.to_string(),
            web: d.channels.contains(&ProposalChannel::Web),
            mail: d.channels.contains(&ProposalChannel::Mail),
            letter: d.channels.contains(&ProposalChannel::Letter),
            topics: d.topics.join("\n"),
            bodies: d.bodies.join("\n"),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_campaigns.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<Row>,
    office: bool,
    f: Fields,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let rows = state
        .campaign_list(false)
        .await?
        .into_iter()
        .map(|v| Row {
            id: v.campaign.id,
            period: format!("{} 至 {}", v.campaign.draft.opens, v.campaign.draft.closes),
            title: v.campaign.draft.title,
            state: v.state.label(),
            proposals: v.proposals,
        })
        .collect();
    let today = jiesu_app::stations::today();
    Ok(render(&ListPage {
        shell: Shell::load(&state, &user.0, "民生实事意见征集", LIST)
            .await
            .with_notice(n.ok),
        rows,
        office: is_office(&user.0),
        f: Fields {
            opens: today.to_string(),
            closes: (today + chrono::Days::new(30)).to_string(),
            web: true,
            ..Fields::default()
        },
    }))
}

/// The campaign form: channels as checkboxes, topics and bodies one per line.
fn draft_of(fields: &[(String, String)]) -> Result<CampaignDraft, PageError> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let date = |name: &'static str, label: &str| {
        let text = get(name);
        text.parse().map_err(|_| {
            PageError::from(DomainError::InvalidField {
                field: name,
                reason: format!("{label}「{text}」格式不正确"),
            })
        })
    };
    let lines = |name: &str| -> Vec<String> {
        get(name)
            .split(['\n', '、', ',', '，'])
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    };
    let channels = fields
        .iter()
        .filter(|(k, _)| k == "channel")
        .map(|(_, v)| ProposalChannel::parse(v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CampaignDraft {
        title: get("title"),
        description: get("description"),
        opens: date("opens", "开始日期")?,
        closes: date("closes", "截止日期")?,
        channels,
        topics: lines("topics"),
        bodies: lines("bodies"),
    })
}

pub async fn create(
    State(state): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back(LIST);
    let draft = draft_of(&fields).map_err(back)?;
    let id = state
        .create_campaign(draft)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!(
        "{LIST}/{id}?ok={}",
        encode("已创建征集活动")
    )))
}

pub struct GroupRow {
    pub id: i64,
    pub rank: i64,
    pub subject: String,
    pub place: String,
    pub people: i64,
    pub supports: i64,
    pub size: i64,
    pub body: String,
    pub body_id: i64,
    pub outcome: String,
    pub task: String,
}

#[derive(Template)]
#[template(path = "admin_campaign.html")]
struct CampaignPage {
    shell: Shell,
    id: i64,
    state: &'static str,
    period: String,
    proposals: i64,
    f: Fields,
    topics: Vec<String>,
    office: bool,
    /// The office may download the workbook in every state.
    exporter: bool,
    may_enter: bool,
    may_group: bool,
    may_publish: bool,
    entry_channels: Vec<Opt>,
    groups: Vec<GroupRow>,
    bodies: Vec<BodyOpt>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let view = state
        .campaign_view(id)
        .await
        .map_err(|e| PageError::from(e).back(LIST))?;
    let groups = state.campaign_groups(id).await?;
    let d = &view.campaign.draft;
    let entry: Vec<(&str, &str)> = d
        .channels
        .iter()
        .filter(|c| **c != ProposalChannel::Web)
        .map(|c| (c.label(), c.label()))
        .collect();
    let takes_entry = view.state.takes(ProposalChannel::Letter).is_ok();
    let office = is_office(&user.0);
    let all_answered = !groups.is_empty() && groups.iter().all(|(g, _)| g.answer.is_some());
    Ok(render(&CampaignPage {
        shell: Shell::load(&state, &user.0, d.title.clone(), LIST)
            .await
            .with_notice(n.ok),
        id,
        state: view.state.label(),
        period: format!("{} 至 {}", d.opens, d.closes),
        proposals: view.proposals,
        f: Fields::of(d),
        topics: d.topics.clone(),
        office: office && view.state != CampaignState::Published,
        exporter: office,
        may_enter: may_enter(&user.0) && takes_entry && !entry.is_empty(),
        may_group: office && may_group(view.state),
        may_publish: office && view.state == CampaignState::Closed && all_answered,
        entry_channels: options(entry, ""),
        bodies: body_options(&state.store.bodies().await?, None),
        groups: groups
            .into_iter()
            .map(|(g, body)| GroupRow {
                id: g.id,
                rank: g.rank,
                subject: g.subject,
                place: g.place,
                people: g.people,
                supports: g.supports,
                size: g.size,
                body: body.unwrap_or_default(),
                body_id: g.body.map(|b| b.0).unwrap_or_default(),
                outcome: g
                    .answer
                    .map(|a| a.outcome.label().to_string())
                    .unwrap_or_default(),
                task: g.task.map(|t| t.to_string()).unwrap_or_default(),
            })
            .collect(),
    }))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back(format!("{LIST}/{id}"));
    let draft = draft_of(&fields).map_err(back)?;
    state
        .update_campaign(id, draft)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!("{LIST}/{id}?ok={}", encode("已保存"))))
}

#[derive(Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    channel: String,
    #[serde(flatten)]
    proposal: ProposalForm,
}

/// Staff type in a letter or a mail.
pub async fn enter(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<EntryForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back(format!("{LIST}/{id}"));
    let channel = ProposalChannel::parse(&form.channel).map_err(|e| back(e.into()))?;
    if channel == ProposalChannel::Web {
        return Err(back(PageError::invalid("工作人员录入的建议须为邮件或信件")));
    }
    let draft = form.proposal.draft(channel);
    let p = state
        .submit_proposal(id, draft)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!(
        "{LIST}/{id}?ok={}",
        encode(&format!("已录入{}建议 #{p}", channel.label()))
    )))
}

pub async fn group(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let done = state
        .group_campaign(id)
        .await
        .map_err(|e| PageError::from(e).back(format!("{LIST}/{id}")))?;
    Ok(redirect(&format!(
        "{LIST}/{id}?ok={}",
        encode(&format!(
            "{} 条建议已汇总为 {} 组",
            done.proposals, done.groups
        ))
    )))
}

pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state
        .publish_campaign(id)
        .await
        .map_err(|e| PageError::from(e).back(format!("{LIST}/{id}")))?;
    Ok(redirect(&format!(
        "{LIST}/{id}?ok={}",
        encode("办理结果已向社会公布")
    )))
}

pub async fn export(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    crate::api::campaigns::workbook(&state, id)
        .await
        .map_err(|e| PageError::from(e).back(format!("{LIST}/{id}")))
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    body: String,
}

pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<AssignForm>,
) -> Result<Response, PageError> {
    let group = state.store.group(id).await?;
    let back = format!("{LIST}/{}", group.campaign);
    let body = form
        .body
        .trim()
        .parse::<i64>()
        .map_err(|_| PageError::invalid("请选择答复单位").back(back.clone()))?;
    state
        .assign_group(id, BodyId(body))
        .await
        .map_err(|e| PageError::from(e).back(back.clone()))?;
    Ok(redirect(&format!(
        "{back}?ok={}#g-{id}",
        encode(&format!("第 {} 组已交办", group.rank))
    )))
}

pub struct MemberRow {
    pub id: i64,
    pub title: String,
    pub text: String,
    pub place: String,
    pub name: String,
    pub channel: &'static str,
    pub supports: i64,
    pub at: String,
}

#[derive(Template)]
#[template(path = "campaign_group.html")]
struct GroupPage {
    shell: Shell,
    id: i64,
    campaign: i64,
    campaign_title: String,
    rank: i64,
    place: String,
    keywords: String,
    people: i64,
    supports: i64,
    size: i64,
    body: String,
    outcome: String,
    reply: String,
    task: String,
    may_answer: bool,
    /// The answer may be corrected (更正答复) by this user now.
    may_correct: bool,
    outcomes: Vec<Opt>,
    /// Every answer, oldest first; the last is the current one.
    answers: Vec<AnswerRow>,
    members: Vec<MemberRow>,
}

/// One line of a group's answers (答复记录).
pub struct AnswerRow {
    pub outcome: &'static str,
    pub reply: String,
    pub task: String,
    pub by: String,
    pub at: String,
    /// A later answer replaced it (已更正).
    pub replaced: bool,
}

pub async fn group_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let view = state
        .group_view(id)
        .await
        .map_err(|e| PageError::from(e).back(LIST))?;
    let g = &view.group;
    let answerable =
        g.body.is_some() && view.state == CampaignState::Closed && may_answer(&user.0, g.body);
    Ok(render(&GroupPage {
        shell: Shell::load(&state, &user.0, g.subject.clone(), LIST)
            .await
            .with_notice(n.ok),
        id,
        campaign: view.campaign.id,
        campaign_title: view.campaign.draft.title.clone(),
        rank: g.rank,
        place: g.place.clone(),
        keywords: g.keywords.join("、"),
        people: g.people,
        supports: g.supports,
        size: g.size,
        body: view.body.clone().unwrap_or_default(),
        outcome: g
            .answer
            .as_ref()
            .map(|a| a.outcome.label().to_string())
            .unwrap_or_default(),
        reply: g
            .answer
            .as_ref()
            .map(|a| a.reply.clone())
            .unwrap_or_default(),
        task: g.task.map(|t| t.to_string()).unwrap_or_default(),
        may_answer: g.answer.is_none() && answerable,
        may_correct: g.answer.is_some() && answerable,
        outcomes: options(
            Outcome::ALL.iter().map(|o| (o.label(), o.label())),
            g.answer.as_ref().map_or("", |a| a.outcome.label()),
        ),
        answers: view
            .answers
            .iter()
            .enumerate()
            .map(|(i, a)| AnswerRow {
                outcome: a.answer.outcome.label(),
                reply: a.answer.reply.clone(),
                task: a.task.map(|t| t.to_string()).unwrap_or_default(),
                by: a.by.clone(),
                at: fmt_time(a.at),
                replaced: i + 1 < view.answers.len(),
            })
            .collect(),
        members: view
            .proposals
            .iter()
            .map(|p| MemberRow {
                id: p.id,
                title: p.draft.title.clone(),
                text: p.draft.text.clone(),
                place: p.draft.place.clone(),
                name: p.draft.public_name().to_string(),
                channel: p.draft.channel.label(),
                supports: p.supports,
                at: fmt_time(p.created_at),
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reply: String,
}

pub async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    give_answer(&state, &user, id, form, false).await
}

/// 更正答复: the new answer replaces the old, which stays in the group's answers.
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    give_answer(&state, &user, id, form, true).await
}

/// A group's first answer, or (`correction`) one that replaces it; back to the group's page
/// with what became of its task.
async fn give_answer(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: AnswerForm,
    correction: bool,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back(format!("/admin/campaign-groups/{id}"));
    let outcome = Outcome::parse(&form.outcome).map_err(|e| back(e.into()))?;
    let answer = Answer {
        outcome,
        reply: form.reply,
    };
    let task = if correction {
        state.correct_answer(id, answer, &user.0).await
    } else {
        state.answer_group(id, answer, &user.0).await
    }
    .map_err(|e| back(e.into()))?;
    let label = outcome.label();
    let notice = match (correction, task) {
        (false, Some(task)) => format!("已答复「{label}」，已转为任务 #{task}"),
        (false, None) => format!("已答复「{label}」"),
        (true, Some(task)) => format!("答复已更正为「{label}」，任务 #{task}"),
        (true, None) => format!("答复已更正为「{label}」，该组不再有在办任务"),
    };
    Ok(redirect(&format!(
        "/admin/campaign-groups/{id}?ok={}",
        encode(&notice)
    )))
}
