//! Following a live task (督查督办): its milestones (节点), the bodies' progress reports
//! (进展报送), the office's review (审核) and 销号, and the task as one view.

use chrono::{DateTime, NaiveDate, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::calendar::Calendar;
use jiesu_domain::deadline::china_local;
use jiesu_domain::task::{
    MilestoneDraft, ReportDraft, ReportTiming, Review, TaskStatus, Timing, on_time,
};
use jiesu_domain::user::{Role, User};
use jiesu_store::{
    NewReport, Store, StoredAlert, StoredMilestone, StoredReport, StoredTask, StoredUrge,
    TaskStanding, Verdict,
};

use crate::error::AppResult;

/// The China-local day of an instant.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    china_local(at).date()
}

/// Whether `user` works in the supervision office (督查室): reviews, 销号, milestones.
pub fn is_office(user: &User) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin)
}

fn refused(message: String) -> crate::AppError {
    DomainError::Refused(message).into()
}

/// A task with everything that happened to it.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub task: StoredTask,
    pub standing: TaskStanding,
    pub status: TaskStatus,
    pub milestones: Vec<MilestoneView>,
    pub reports: Vec<StoredReport>,
    pub alerts: Vec<StoredAlert>,
    /// The office's urges (督办), oldest first.
    pub urges: Vec<StoredUrge>,
    /// When the next progress report is due, on the task's cadence.
    pub next_report: Option<NaiveDate>,
}

/// A milestone with its state on the day of the view.
#[derive(Debug, Clone)]
pub struct MilestoneView {
    pub milestone: StoredMilestone,
    /// 已完成, 逾期完成, 正常, 临期, 超期.
    pub state: &'static str,
}

impl MilestoneView {
    fn of(milestone: StoredMilestone, today: NaiveDate, calendar: &Calendar) -> MilestoneView {
        let state = match milestone.done {
            Some((_, true)) => "已完成",
            Some((_, false)) => "逾期完成",
            None => ReportTiming::of(milestone.due, today, calendar).label(),
        };
        MilestoneView { milestone, state }
    }
}

/// The task `id` as seen on `now`.
pub async fn view(
    store: &dyn Store,
    calendar: &Calendar,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<TaskView> {
    let task = store.task(id).await?;
    let (standing, milestones, reports, alerts, urges) = tokio::try_join!(
        store.task_standing(id),
        store.milestones(id),
        store.reports(id),
        store.task_alerts(id),
        store.urges(id)
    )?;
    let today = day_of(now);
    let status = standing.facts(&task).status(today);
    let next_report = match (task.published_at, status) {
        (
            Some(published),
            TaskStatus::NotStarted | TaskStatus::InProgress | TaskStatus::Overdue,
        ) => {
            let since = day_of(standing.last_report_at.unwrap_or(published));
            task.draft.cadence.next_due(since, calendar)
        }
        _ => None,
    };
    Ok(TaskView {
        milestones: milestones
            .into_iter()
            .map(|m| MilestoneView::of(m, today, calendar))
            .collect(),
        task,
        standing,
        status,
        reports,
        alerts,
        urges,
        next_report,
    })
}

/// A live task still being carried out (not done, not closed), or a refusal naming why not.
async fn open_task(store: &dyn Store, id: i64) -> AppResult<(StoredTask, TaskStanding)> {
    let task = store.task(id).await?;
    let standing = store.task_standing(id).await?;
    if task.published_at.is_none() {
        return Err(refused(format!("任务 {id} 尚未发布")));
    }
    if task.closed_at.is_some() {
        return Err(refused(format!("任务 {id} 已销号")));
    }
    Ok((task, standing))
}

/// Adds milestones to a live task (the office's work).
pub async fn add_milestones(
    store: &dyn Store,
    user: &User,
    task: i64,
    milestones: Vec<MilestoneDraft>,
) -> AppResult<Vec<i64>> {
    if !is_office(user) {
        return Err(refused("只有督查室可以设定任务节点".into()));
    }
    if milestones.is_empty() || milestones.len() > 50 {
        return Err(DomainError::InvalidField {
            field: "milestones",
            reason: "须给出 1 到 50 个节点".into(),
        }
        .into());
    }
    let milestones = milestones
        .into_iter()
        .map(MilestoneDraft::validated)
        .collect::<Result<Vec<_>, _>>()?;
    open_task(store, task).await?;
    Ok(store.add_milestones(task, &milestones).await?)
}

/// A body's progress report (进展报送) on a live task it carries. Whether it came on time is
/// judged against the reporting day of the task's cadence it answers.
pub async fn report(
    store: &dyn Store,
    calendar: &Calendar,
    user: &User,
    task: i64,
    report: ReportDraft,
    at: DateTime<Utc>,
) -> AppResult<i64> {
    let report = report.validated()?;
    let (stored, standing) = open_task(store, task).await?;
    if standing.done_at.is_some() {
        return Err(refused(format!("任务 {task} 已完成，无需再报送进展")));
    }
    let carries = user
        .body
        .is_some_and(|b| standing.lead.contains(&b) || standing.co.contains(&b));
    if !carries && !is_office(user) {
        return Err(refused(format!(
            "您所在单位不是任务 {task} 的牵头或责任单位"
        )));
    }
    if let Some(milestone) = report.milestone {
        let milestones = store.milestones(task).await?;
        match milestones.iter().find(|m| m.id == milestone) {
            None => return Err(refused(format!("节点 {milestone} 不属于任务 {task}"))),
            Some(m) if m.done.is_some() => {
                return Err(refused(format!("节点「{}」已完成", m.expected)));
            }
            Some(_) => {}
        }
    }
    let published = stored.published_at.unwrap_or(stored.created_at);
    let since = day_of(standing.last_report_at.unwrap_or(published));
    let due = stored.draft.cadence.next_due(since, calendar);
    let new = NewReport {
        task,
        body: user.body.filter(|_| carries),
        author: user.display_name.clone(),
        report,
        due,
        on_time: on_time(due, day_of(at)),
        at,
    };
    Ok(store.add_report(&new).await?)
}

/// The office's review (审核) of a report: accepted, or sent back with a reason the body sees.
pub async fn review(
    store: &dyn Store,
    user: &User,
    report: i64,
    accept: bool,
    reason: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    if !is_office(user) {
        return Err(refused("只有督查室可以审核进展报送".into()));
    }
    let stored = store.report(report).await?;
    if stored.review != Review::Pending {
        return Err(refused(format!(
            "进展报送 {report} 已审核（{}）",
            stored.review.label()
        )));
    }
    let reason = reason.trim();
    let reported = day_of(stored.created_at);
    let verdict = if accept {
        let task = store.task(stored.task).await?;
        let milestone = match stored.report.milestone {
            Some(id) => store
                .milestones(stored.task)
                .await?
                .into_iter()
                .find(|m| m.id == id)
                .map(|m| (id, on_time(Some(m.due), reported))),
            None => None,
        };
        Verdict {
            report,
            review: Review::Accepted,
            milestone,
            done_on_time: (stored.report.percent == 100).then(|| on_time(task.draft.due, reported)),
        }
    } else {
        if reason.is_empty() {
            return Err(DomainError::InvalidField {
                field: "reason",
                reason: "退回须写明理由".into(),
            }
            .into());
        }
        Verdict {
            report,
            review: Review::SentBack {
                reason: reason.chars().take(1000).collect(),
            },
            milestone: None,
            done_on_time: None,
        }
    };
    match store.review_report(&verdict, at).await {
        Err(jiesu_store::StoreError::Stale) => {
            Err(refused(format!("进展报送 {report} 已被他人审核")))
        }
        other => Ok(other?),
    }
}

/// 销号: the office closes a task whose result it verified (an accepted report at 100%).
pub async fn close(
    store: &dyn Store,
    user: &User,
    task: i64,
    note: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    if !is_office(user) {
        return Err(refused("只有督查室可以销号".into()));
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 1000 {
        return Err(DomainError::InvalidField {
            field: "note",
            reason: "销号须写明核实情况（1 到 1000 字）".into(),
        }
        .into());
    }
    let (_, standing) = open_task(store, task).await?;
    if standing.done_at.is_none() {
        return Err(refused(format!(
            "任务 {task} 尚无已采纳的完成报送（进度100%），不能销号"
        )));
    }
    match store.close_task(task, note, at).await {
        Err(jiesu_store::StoreError::Stale) => Err(refused(format!("任务 {task} 已销号"))),
        other => Ok(other?),
    }
}

/// The timing a task's view shows: the scanner's, or 正常 once it is done or closed.
pub fn shown_timing(view: &TaskView) -> Timing {
    match view.status {
        TaskStatus::Done | TaskStatus::Closed | TaskStatus::Draft => Timing::OnTime,
        _ => view.standing.timing,
    }
}
