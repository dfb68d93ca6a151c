//! Government tasks (任务, 督查督办): a policy document's proposed task list stored as drafts
//! with its body names checked against the bodies jiesu knows, then published.
//!
//! Body names stay as written: a name jiesu does not know is reported for the supervisor to
//! map, never dropped.
//!
//! - [`publish`](publish_with_bodies): publishing with the names mapped to bodies.
//! - [`drafts`]: the drafts awaiting publication, edited or discarded.
//! - [`follow`]: milestones, progress reports, review, 销号, the task as one view.
//! - [`board`]: the supervision office's per-body completion table.
//! - [`remind`]: the office's urges (督办) and the 临期/超期 reminders each body reads.
//! - [`scan`]: the tasks' deadline clocks (临期/超期) and their reminders.

pub mod board;
pub mod drafts;
pub mod follow;
mod publish;
pub mod remind;
pub mod scan;

pub use publish::{BodyMapping, publish_with_bodies};

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::task::{Cadence, TaskDraft};
use jiesu_store::Store;
pub use jiesu_text::policy::ProposedTask;

use crate::error::AppResult;

/// The longest document accepted (characters).
pub const MAX_TEXT: usize = 500_000;

/// The tasks a document's text proposes, with the year its deadlines were resolved in:
/// `year` when given, else the document's own, else `this_year`. A text over [`MAX_TEXT`]
/// or a year outside 1990–2100 is refused.
pub fn propose(
    text: &str,
    year: Option<i32>,
    this_year: i32,
) -> Result<(i32, Vec<ProposedTask>), DomainError> {
    if text.chars().count() > MAX_TEXT {
        return Err(DomainError::InvalidField {
            field: "text",
            reason: format!("文件过长（最多 {MAX_TEXT} 字）"),
        });
    }
    if let Some(year) = year
        && !(1990..=2100).contains(&year)
    {
        return Err(DomainError::InvalidField {
            field: "year",
            reason: "年份须在 1990 到 2100 之间".into(),
        });
    }
    let year = year
        .or_else(|| jiesu_text::policy::document_year(text))
        .unwrap_or(this_year);
    Ok((year, jiesu_text::policy::propose(text, year)))
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The drafts' ids, in the document's order.
    pub ids: Vec<i64>,
    /// Body names the tasks give that are no body jiesu knows, each once.
    pub unknown_bodies: Vec<String>,
}

/// The draft of one proposed task from `document`.
pub fn draft_of(document: &str, task: &ProposedTask) -> TaskDraft {
    TaskDraft {
        document: document.into(),
        number: task.number.clone(),
        section: task.section.clone(),
        title: task.title.clone(),
        text: task.text.clone(),
        lead_bodies: task.lead_bodies.clone(),
        co_bodies: task.co_bodies.clone(),
        due: task.due,
        cadence: Cadence::None,
    }
}

/// Stores the proposed tasks of `document` as drafts, all or none; none proposed is refused.
pub async fn import_drafts(
    store: &dyn Store,
    document: &str,
    tasks: &[ProposedTask],
    at: DateTime<Utc>,
) -> AppResult<Imported> {
    if tasks.is_empty() {
        return Err(DomainError::InvalidField {
            field: "text",
            reason: "文件中没有找到编号的任务举措".into(),
        }
        .into());
    }
    let drafts = tasks
        .iter()
        .map(|t| draft_of(document, t).validated())
        .collect::<Result<Vec<_>, _>>()?;
    let unknown_bodies = unknown_bodies(store, &drafts).await?;
    let ids = store.create_task_drafts(&drafts, at).await?;
    Ok(Imported {
        ids,
        unknown_bodies,
    })
}

/// The body names in `drafts` that match no body's name.
pub async fn unknown_bodies(store: &dyn Store, drafts: &[TaskDraft]) -> AppResult<Vec<String>> {
    let known: Vec<String> = store.bodies().await?.into_iter().map(|b| b.name).collect();
    let mut unknown: Vec<String> = Vec::new();
    for name in drafts
        .iter()
        .flat_map(|d| d.lead_bodies.iter().chain(d.co_bodies.iter()))
    {
        if !known.contains(name) && !unknown.contains(name) {
            unknown.push(name.clone());
        }
    }
    Ok(unknown)
}
