//! Meeting pages (协商会议, 月调度, 季协调, 年对接): the list with a form to record a meeting
//! and its issues (each becomes a task on saving), and a meeting's page with each issue's
//! task status and the answer given back to whoever raised it (反馈).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiesu_domain::DomainError;
use jiesu_domain::station::{IssueDraft, MeetingDraft, MeetingKind};
use jiesu_domain::user::Role;
use jiesu_store::Page;
use serde::Deserialize;

use super::support::{Notice, Opt, options};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Issue rows on the meeting form (empty ones are skipped).
const ISSUE_ROWS: usize = 5;

pub struct MeetingRow {
    pub id: i64,
    pub kind: &'static str,
    pub held_on: String,
    pub title: String,
    pub issues: usize,
    pub answered: usize,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    shell: Shell,
    rows: Vec<MeetingRow>,
    may_record: bool,
    kinds: Vec<Opt>,
    bodies: Vec<String>,
    issue_rows: Vec<usize>,
    today: String,
}

fn may_record(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Admin)
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let rows = state
        .meetings(Page::new(0, 200))
        .await?
        .into_iter()
        .map(|m| MeetingRow {
            id: m.id,
            kind: m.draft.kind.label(),
            held_on: m.draft.held_on.to_string(),
            answered: m.issues.iter().filter(|i| !i.feedback.is_empty()).count(),
            issues: m.issues.len(),
            title: m.draft.title,
        })
        .collect();
    let bodies = state
        .store
        .bodies()
        .await?
        .into_iter()
        .map(|b| b.name)
        .collect();
    Ok(render(&MeetingsPage {
        shell: Shell::load(&state, &user.0, "协商会议与调度", "/meetings")
            .await
            .with_notice(n.ok),
        rows,
        may_record: may_record(user.0.role),
        kinds: options(
            MeetingKind::ALL.iter().map(|k| (k.label(), k.label())),
            MeetingKind::Consultation.label(),
        ),
        bodies,
        issue_rows: (1..=ISSUE_ROWS).collect(),
        today: jiesu_app::stations::today().to_string(),
    }))
}

/// The meeting form: participants one per line, issues in numbered rows.
fn meeting_of(fields: Vec<(String, String)>) -> Result<MeetingDraft, PageError> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let held_on = get("held_on");
    let held_on = held_on.parse().map_err(|_| {
        PageError::from(DomainError::InvalidField {
            field: "held_on",
            reason: format!("会议日期「{held_on}」格式不正确"),
        })
    })?;
    let issues = (1..=ISSUE_ROWS)
        .map(|i| IssueDraft {
            text: get(&format!("issue_{i}")),
            raised_by: get(&format!("raised_by_{i}")),
            lead_body: get(&format!("lead_body_{i}")),
        })
        .filter(|i| !(i.text.is_empty() && i.raised_by.is_empty() && i.lead_body.is_empty()))
        .collect();
    Ok(MeetingDraft {
        kind: MeetingKind::parse(&get("kind"))?,
        held_on,
        title: get("title"),
        participants: get("participants")
            .split(['\n', '、', ',', '，'])
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        minutes: get("minutes"),
        issues,
    })
}

pub async fn create(
    State(state): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/meetings");
    let draft = meeting_of(fields).map_err(back)?;
    let saved = jiesu_app::meetings::save(state.store.as_ref(), draft)
        .await
        .map_err(|e| back(e.into()))?;
    let mut notice = format!("已保存会议，{} 个议题已转为任务", saved.tasks.len());
    // The notice line holds 60 characters: long lists of names are counted instead.
    let unknown = saved.unknown_bodies.join("、");
    if unknown.chars().count() > 24 {
        notice = format!(
            "{notice}；{} 个牵头单位未在系统登记",
            saved.unknown_bodies.len()
        );
    } else if !unknown.is_empty() {
        notice = format!("{notice}；未登记的单位：{unknown}（待指定后发布）");
    }
    Ok(redirect(&format!(
        "/meetings/{}?ok={}",
        saved.id,
        encode(&notice)
    )))
}

pub struct IssueRow {
    pub id: i64,
    pub number: usize,
    pub text: String,
    pub raised_by: String,
    pub lead_body: String,
    pub task: String,
    pub status: &'static str,
    /// The source document of its task while it is a draft (its lead body is unknown):
    /// the import page maps the name and publishes it (待指定后发布).
    pub draft_of: Option<String>,
    pub feedback: String,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    shell: Shell,
    id: i64,
    kind: &'static str,
    held_on: String,
    participants: String,
    minutes: String,
    issues: Vec<IssueRow>,
    may_answer: bool,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let view = state
        .meeting_view(id)
        .await
        .map_err(|e| PageError::from(e).back("/meetings"))?;
    let draft = &view.meeting.draft;
    Ok(render(&MeetingPage {
        shell: Shell::load(&state, &user.0, draft.title.clone(), "/meetings")
            .await
            .with_notice(n.ok),
        id,
        kind: draft.kind.label(),
        held_on: draft.held_on.to_string(),
        participants: draft.participants.join("、"),
        minutes: draft.minutes.clone(),
        issues: view
            .issues
            .iter()
            .enumerate()
            .map(|(i, v)| IssueRow {
                id: v.issue.id,
                number: i + 1,
                text: v.issue.text.clone(),
                raised_by: v.issue.raised_by.clone(),
                lead_body: v.issue.lead_body.clone(),
                task: v.issue.task.map(|t| t.to_string()).unwrap_or_default(),
                status: v.status.map(|s| s.label()).unwrap_or("—"),
                draft_of: v
                    .task
                    .as_ref()
                    .filter(|t| t.published_at.is_none())
                    .map(|t| t.draft.document.clone()),
                feedback: v.issue.feedback.clone(),
            })
            .collect(),
        may_answer: may_record(user.0.role),
    }))
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    feedback: String,
}

pub async fn feedback(
    State(state): State<AppState>,
    Path((id, issue)): Path<(i64, i64)>,
    Form(form): Form<FeedbackForm>,
) -> Result<Response, PageError> {
    state
        .give_feedback(id, issue, &form.feedback)
        .await
        .map_err(|e| PageError::from(e).back(format!("/meetings/{id}")))?;
    Ok(redirect(&format!(
        "/meetings/{id}?ok={}",
        encode("已记录反馈")
    )))
}
