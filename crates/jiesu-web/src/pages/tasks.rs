//! Government task pages (督查督办): the supervision office's board (`/tasks`: per-body
//! completion, 临期/超期, filtered by document or body — also the leader's view), a body's
//! own list (`/tasks/mine`), and a task's page with its milestones and reports, the report
//! form for its bodies and the review, milestone and 销号 forms for the office. The forms
//! call the same `jiesu_app::tasks` functions as the API and redirect back.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use jiesu_app::tasks::board::{Board, board};
use jiesu_app::tasks::follow::{self, TaskView, is_office};
use jiesu_app::tasks::remind;
use jiesu_domain::DomainError;
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{MilestoneDraft, ReportDraft, TaskStatus};
use jiesu_domain::user::User;
use jiesu_store::{Page, ReminderKind, TaskFilter};
use serde::Deserialize;

use super::support::{BodyOpt, Notice, Opt, body_name, body_options, fmt_time, options};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Tasks listed under the board.
const LISTED: i64 = 100;

/// One task's line in a list.
pub struct TaskLine {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub document: String,
    pub lead: String,
    pub due: String,
    pub status: &'static str,
    pub timing: &'static str,
    pub timing_class: &'static str,
}

fn timing_class(label: &str) -> &'static str {
    match label {
        "临期" => "warn",
        "超期" => "late",
        _ => "ok",
    }
}

async fn lines(state: &AppState, filter: &TaskFilter) -> Result<Vec<TaskLine>, PageError> {
    let ids = state
        .store
        .live_task_ids(filter, Page::new(0, LISTED))
        .await?;
    let bodies = state.store.bodies().await?;
    let calendar = &state.timekeeper().calendar;
    let mut lines = Vec::with_capacity(ids.len());
    for id in ids {
        let view = follow::view(state.store.as_ref(), calendar, id, Utc::now()).await?;
        let timing = follow::shown_timing(&view).label();
        lines.push(TaskLine {
            id,
            number: view.task.draft.number.clone(),
            title: view.task.draft.title.clone(),
            document: view.task.draft.document.clone(),
            lead: view
                .standing
                .lead
                .iter()
                .map(|b| body_name(&bodies, Some(*b)))
                .collect::<Vec<_>>()
                .join("、"),
            due: view
                .task
                .draft
                .due
                .map(|d| d.to_string())
                .unwrap_or_default(),
            status: view.status.label(),
            timing,
            timing_class: timing_class(timing),
        });
    }
    Ok(lines)
}

/// One reminder line: a 临期/超期 alert or the office's urge (督办) on a task.
pub struct ReminderRow {
    pub task: i64,
    pub title: String,
    pub kind: &'static str,
    pub message: String,
    pub when: String,
    pub timing_class: &'static str,
}

/// The reminders `user` reads (their body's, or every body's for the office); the task
/// pages and the inbox show the same lines.
pub(super) async fn reminder_rows(
    state: &AppState,
    user: &User,
) -> Result<Vec<ReminderRow>, PageError> {
    let (lines, _) = remind::reminders(state.store.as_ref(), user).await?;
    Ok(lines
        .into_iter()
        .map(|r| {
            let timing = jiesu_domain::task::Timing::from_code(r.timing);
            ReminderRow {
                task: r.task,
                title: r.title,
                kind: match r.kind {
                    ReminderKind::Alert => timing.label(),
                    ReminderKind::Urge => "督办",
                },
                message: r.message,
                when: fmt_time(r.created_at),
                timing_class: match r.kind {
                    ReminderKind::Urge => "late",
                    ReminderKind::Alert => timing_class(timing.label()),
                },
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "tasks_board.html")]
struct BoardPage {
    shell: Shell,
    heading: &'static str,
    board: Board,
    tasks: Vec<TaskLine>,
    document: String,
    bodies: Vec<BodyOpt>,
    statuses: Vec<Opt>,
    show_filter: bool,
    /// The office imports documents and publishes drafts (`/tasks/import`).
    may_import: bool,
    reminders: Vec<ReminderRow>,
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// The statuses a live task's list filters by (草稿 is no live task's).
fn status_options(current: Option<TaskStatus>) -> Vec<Opt> {
    options(
        std::iter::once(("", "全部状态")).chain(
            TaskStatus::ALL
                .iter()
                .filter(|s| **s != TaskStatus::Draft)
                .map(|s| (s.code(), s.label())),
        ),
        current.map_or("", TaskStatus::code),
    )
}

pub async fn board_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let document = q
        .document
        .map(|d| d.trim().chars().take(200).collect::<String>())
        .filter(|d| !d.is_empty());
    let body = q
        .body
        .as_deref()
        .and_then(|b| b.parse::<i64>().ok())
        .map(BodyId);
    let status = q.status.as_deref().and_then(TaskStatus::from_code);
    let filter = TaskFilter {
        document: document.clone(),
        body,
        status: status.map(|s| (s, follow::day_of(Utc::now()))),
    };
    let bodies = state.store.bodies().await?;
    Ok(render(&BoardPage {
        shell: Shell::load(&state, &user.0, "督查督办", "/tasks").await,
        heading: "督查督办看板",
        board: board(state.store.as_ref(), &filter).await?,
        tasks: lines(&state, &filter).await?,
        document: document.unwrap_or_default(),
        bodies: body_options(&bodies, body),
        statuses: status_options(status),
        show_filter: true,
        may_import: is_office(&user.0),
        reminders: reminder_rows(&state, &user.0).await?,
    }))
}

pub async fn mine(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let Some(body) = user.0.body else {
        return Err(
            PageError::from(jiesu_app::AppError::from(DomainError::Refused(
                "您的账号不属于任何单位，没有本单位任务".into(),
            )))
            .back("/tasks"),
        );
    };
    let filter = TaskFilter {
        body: Some(body),
        ..TaskFilter::default()
    };
    Ok(render(&BoardPage {
        shell: Shell::load(&state, &user.0, "本单位任务", "/tasks/mine").await,
        heading: "本单位任务",
        board: board(state.store.as_ref(), &filter).await?,
        tasks: lines(&state, &filter).await?,
        document: String::new(),
        bodies: Vec::new(),
        statuses: Vec::new(),
        show_filter: false,
        may_import: false,
        reminders: reminder_rows(&state, &user.0).await?,
    }))
}

pub struct MilestoneLine {
    pub id: i64,
    pub due: NaiveDate,
    pub expected: String,
    pub state: &'static str,
    pub open: bool,
}

pub struct ReportLine {
    pub id: i64,
    pub when: String,
    pub author: String,
    pub text: String,
    pub percent: u8,
    pub attachments: String,
    pub on_time: &'static str,
    pub review: &'static str,
    pub reason: String,
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    shell: Shell,
    id: i64,
    title: String,
    document: String,
    number: String,
    text: String,
    lead: String,
    co: String,
    due: String,
    cadence: String,
    next_report: String,
    status: &'static str,
    timing: &'static str,
    timing_class: &'static str,
    close_note: String,
    milestones: Vec<MilestoneLine>,
    reports: Vec<ReportLine>,
    alerts: Vec<String>,
    urges: Vec<String>,
    office: bool,
    may_urge: bool,
    may_report: bool,
    may_close: bool,
}

fn carries(user: &User, view: &TaskView) -> bool {
    user.body
        .is_some_and(|b| view.standing.lead.contains(&b) || view.standing.co.contains(&b))
}

pub async fn task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    let calendar = &state.timekeeper().calendar;
    let view = follow::view(state.store.as_ref(), calendar, id, Utc::now()).await?;
    let bodies = state.store.bodies().await?;
    let names = |ids: &[BodyId]| {
        ids.iter()
            .map(|b| body_name(&bodies, Some(*b)))
            .collect::<Vec<_>>()
            .join("、")
    };
    let office = is_office(&user.0);
    let open = matches!(
        view.status,
        TaskStatus::NotStarted | TaskStatus::InProgress | TaskStatus::Overdue
    );
    let timing = follow::shown_timing(&view).label();
    let page = TaskPage {
        shell: Shell::load(
            &state,
            &user.0,
            format!("任务 · {}", view.task.draft.title),
            "/tasks",
        )
        .await
        .with_notice(notice.ok),
        id,
        title: view.task.draft.title.clone(),
        document: view.task.draft.document.clone(),
        number: view.task.draft.number.clone(),
        text: view.task.draft.text.clone(),
        lead: names(&view.standing.lead),
        co: names(&view.standing.co),
        due: view
            .task
            .draft
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "未定".into()),
        cadence: view.task.draft.cadence.label(),
        next_report: view.next_report.map(|d| d.to_string()).unwrap_or_default(),
        status: view.status.label(),
        timing,
        timing_class: timing_class(timing),
        close_note: view.standing.close_note.clone(),
        milestones: view
            .milestones
            .iter()
            .map(|m| MilestoneLine {
                id: m.milestone.id,
                due: m.milestone.due,
                expected: m.milestone.expected.clone(),
                state: m.state,
                open: m.milestone.done.is_none(),
            })
            .collect(),
        reports: view
            .reports
            .iter()
            .map(|r| ReportLine {
                id: r.id,
                when: fmt_time(r.created_at),
                author: r.author.clone(),
                text: r.report.text.clone(),
                percent: r.report.percent,
                attachments: r.report.attachments.join("、"),
                on_time: if r.on_time { "按时" } else { "逾期报送" },
                review: r.review.label(),
                reason: match &r.review {
                    jiesu_domain::task::Review::SentBack { reason } => reason.clone(),
                    _ => String::new(),
                },
                pending: r.review == jiesu_domain::task::Review::Pending,
            })
            .collect(),
        alerts: view
            .alerts
            .iter()
            .map(|a| format!("{} {}", fmt_time(a.created_at), a.message))
            .collect(),
        urges: view
            .urges
            .iter()
            .map(|u| format!("{} {} 督办：{}", fmt_time(u.created_at), u.author, u.note))
            .collect(),
        office,
        may_urge: office && open && view.standing.done_at.is_none(),
        may_report: open && (office || carries(&user.0, &view)) && view.standing.done_at.is_none(),
        may_close: office && view.status == TaskStatus::Done,
    };
    Ok(render(&page))
}

fn back_to(id: i64, done: &str) -> Response {
    redirect(&format!("/tasks/{id}?ok={}", encode(done)))
}

#[derive(Deserialize)]
pub struct ReportForm {
    text: String,
    percent: String,
    #[serde(default)]
    attachments: String,
    #[serde(default)]
    milestone: String,
}

pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<ReportForm>,
) -> Result<Response, PageError> {
    let back = format!("/tasks/{id}");
    let percent = form
        .percent
        .trim()
        .parse::<u8>()
        .map_err(|_| invalid("percent", "进度须为 0 到 100 的整数", &back))?;
    let draft = ReportDraft {
        text: form.text,
        percent,
        attachments: form
            .attachments
            .split(['、', ',', '，', '\n'])
            .map(str::to_string)
            .collect(),
        milestone: form.milestone.trim().parse().ok(),
    };
    let calendar = &state.timekeeper().calendar;
    follow::report(
        state.store.as_ref(),
        calendar,
        &user.0,
        id,
        draft,
        Utc::now(),
    )
    .await
    .map_err(|e| PageError::from(e).back(back.clone()))?;
    Ok(back_to(id, "进展已报送"))
}

fn invalid(field: &'static str, reason: &str, back: &str) -> PageError {
    PageError::from(jiesu_app::AppError::from(DomainError::InvalidField {
        field,
        reason: reason.into(),
    }))
    .back(back.to_string())
}

#[derive(Deserialize)]
pub struct ReviewForm {
    verdict: String,
    #[serde(default)]
    reason: String,
    task: i64,
}

pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(report): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    let back = format!("/tasks/{}", form.task);
    let accept = form.verdict == "accept";
    follow::review(
        state.store.as_ref(),
        &user.0,
        report,
        accept,
        &form.reason,
        Utc::now(),
    )
    .await
    .map_err(|e| PageError::from(e).back(back))?;
    Ok(back_to(form.task, if accept { "已采纳" } else { "已退回" }))
}

#[derive(Deserialize)]
pub struct MilestoneForm {
    due: String,
    expected: String,
}

pub async fn add_milestone(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<MilestoneForm>,
) -> Result<Response, PageError> {
    let back = format!("/tasks/{id}");
    let due = form
        .due
        .trim()
        .parse::<NaiveDate>()
        .map_err(|_| invalid("due", "请填写节点日期（年-月-日）", &back))?;
    let draft = MilestoneDraft {
        due,
        expected: form.expected,
    };
    follow::add_milestones(state.store.as_ref(), &user.0, id, vec![draft])
        .await
        .map_err(|e| PageError::from(e).back(back))?;
    Ok(back_to(id, "节点已添加"))
}

#[derive(Deserialize)]
pub struct CloseForm {
    note: String,
}

pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Response, PageError> {
    follow::close(state.store.as_ref(), &user.0, id, &form.note, Utc::now())
        .await
        .map_err(|e| PageError::from(e).back(format!("/tasks/{id}")))?;
    Ok(back_to(id, "任务已销号"))
}

#[derive(Deserialize)]
pub struct UrgeForm {
    note: String,
}

pub async fn urge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<UrgeForm>,
) -> Result<Response, PageError> {
    remind::urge(state.store.as_ref(), &user.0, id, &form.note, Utc::now())
        .await
        .map_err(|e| PageError::from(e).back(format!("/tasks/{id}")))?;
    Ok(back_to(id, "已督办"))
}
