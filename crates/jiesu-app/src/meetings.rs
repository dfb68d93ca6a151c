//! Meetings (协商会议, 月调度, 季协调, 年对接): the minutes and the issues a meeting raised;
//! on saving, each issue becomes a published task led by its lead body, and the meeting
//! follows each one up to the answer given back to whoever raised it (反馈).

use chrono::Utc;
use jiesu_domain::station::MeetingDraft;
use jiesu_domain::task::{Cadence, TaskDraft, TaskStatus};
use jiesu_store::{Page, Store, StoredIssue, StoredMeeting, StoredTask};

use crate::App;
use crate::error::AppResult;
use crate::stations::{task_status, today};

/// What saving a meeting did.
#[derive(Debug, Clone)]
pub struct SavedMeeting {
    pub id: i64,
    /// The tasks its issues became, in the issues' order.
    pub tasks: Vec<i64>,
    /// Lead bodies named that are no body jiesu knows, each once (for the office to map).
    pub unknown_bodies: Vec<String>,
}

/// An issue with its task and the task's status today.
#[derive(Debug, Clone)]
pub struct IssueView {
    pub issue: StoredIssue,
    pub task: Option<StoredTask>,
    pub status: Option<TaskStatus>,
}

/// A meeting with its issues followed.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub meeting: StoredMeeting,
    pub issues: Vec<IssueView>,
}

/// The task an issue becomes.
fn issue_task(meeting: &MeetingDraft, position: usize) -> TaskDraft {
    let issue = &meeting.issues[position];
    let title: String = issue
        .text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect();
    TaskDraft {
        document: format!(
            "{}（{}）",
            meeting.title.chars().take(180).collect::<String>(),
            meeting.kind.label()
        ),
        number: format!("议题{}", position + 1),
        section: meeting.held_on.to_string(),
        title,
        text: if issue.raised_by.is_empty() {
            issue.text.clone()
        } else {
            format!("{}\n提出人：{}", issue.text, issue.raised_by)
        },
        lead_bodies: vec![issue.lead_body.clone()],
        co_bodies: Vec::new(),
        due: None,
        cadence: Cadence::None,
    }
}

/// Records a meeting: the meeting and its issues are stored first, then each issue's task
/// is made, linked to its issue and only then published — so a failure never leaves a
/// published task without its meeting (at worst a meeting whose issues await their tasks,
/// or linked drafts).
pub async fn save(store: &dyn Store, draft: MeetingDraft) -> AppResult<SavedMeeting> {
    let draft = draft.validated()?;
    let tasks: Vec<TaskDraft> = (0..draft.issues.len())
        .map(|i| issue_task(&draft, i).validated())
        .collect::<Result<_, _>>()?;
    let unknown_bodies = crate::tasks::unknown_bodies(store, &tasks).await?;
    let now = Utc::now();
    let id = store.create_meeting(&draft, &[], now).await?;
    let ids = store.create_task_drafts(&tasks, now).await?;
    let linked: Vec<Option<i64>> = ids.iter().copied().map(Some).collect();
    store.link_issue_tasks(id, &linked).await?;
    // An issue whose lead body jiesu does not know stays a draft, linked to its issue, until
    // the supervisor maps the name and publishes it (`POST /api/tasks/publish`).
    let known: Vec<i64> = ids
        .iter()
        .zip(&tasks)
        .filter(|(_, task)| task.lead_bodies.iter().all(|b| !unknown_bodies.contains(b)))
        .map(|(id, _)| *id)
        .collect();
    crate::tasks::publish_with_bodies(store, &known, &Default::default(), now).await?;
    Ok(SavedMeeting {
        id,
        tasks: ids,
        unknown_bodies,
    })
}

impl App {
    /// A meeting with each issue's task and its status today.
    pub async fn meeting_view(&self, id: i64) -> AppResult<MeetingView> {
        let meeting = self.store.meeting(id).await?;
        let today = today();
        let mut issues = Vec::with_capacity(meeting.issues.len());
        for issue in &meeting.issues {
            let task = match issue.task {
                Some(task) => Some(self.store.task(task).await?),
                None => None,
            };
            issues.push(IssueView {
                status: task.as_ref().map(|t| task_status(t, today)),
                issue: issue.clone(),
                task,
            });
        }
        Ok(MeetingView { meeting, issues })
    }

    /// Meetings, latest first.
    pub async fn meetings(&self, page: Page) -> AppResult<Vec<StoredMeeting>> {
        Ok(self.store.meetings(page).await?)
    }

    /// Records the answer given back on an issue (反馈).
    pub async fn give_feedback(&self, meeting: i64, issue: i64, feedback: &str) -> AppResult<()> {
        let feedback = jiesu_domain::appeal::clean_text("feedback", feedback, 2000, true)?;
        self.store
            .give_issue_feedback(meeting, issue, &feedback, Utc::now())
            .await?;
        Ok(())
    }
}
