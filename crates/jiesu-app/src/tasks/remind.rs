//! Reminders on government tasks (催办与督办): the office urges (督办) a live open task, the
//! urge recorded with who and why; a body's users read the current 临期/超期 alerts and the
//! urges on the tasks their body leads, the office reads them for every body.

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::clean_text;
use jiesu_domain::user::User;
use jiesu_store::{NewUrge, Reminder, Store, StoreError};

use super::follow::is_office;
use crate::error::AppResult;

/// Most reminder lines listed.
pub const REMINDERS_SHOWN: i64 = 50;

/// The office urges a live task that is neither done nor closed (督办), with a note the task's
/// bodies read.
pub async fn urge(
    store: &dyn Store,
    user: &User,
    task: i64,
    note: &str,
    at: DateTime<Utc>,
) -> AppResult<i64> {
    if !is_office(user) {
        return Err(DomainError::Refused("只有督查室可以督办任务".into()).into());
    }
    let note = clean_text("note", note, 1000, true)?;
    let urge = NewUrge {
        task,
        author: user.display_name.clone(),
        note,
        at,
    };
    match store.add_urge(&urge).await {
        Err(StoreError::Stale) => {
            // No task at all is `NotFound`; otherwise it is a draft, done or closed.
            store.task(task).await?;
            Err(
                DomainError::Refused(format!("任务 {task} 未发布、已完成或已销号，不能督办"))
                    .into(),
            )
        }
        other => Ok(other?),
    }
}

/// Whose reminders `user` reads: the office every body's, a body's user their body's.
/// `None` when the user belongs to no body and is not in the office.
pub fn scope_of(user: &User) -> Option<Option<jiesu_domain::ids::BodyId>> {
    if is_office(user) {
        Some(None)
    } else {
        user.body.map(Some)
    }
}

/// The reminders `user` reads, newest first, and how many open tasks are 临期 or 超期.
pub async fn reminders(store: &dyn Store, user: &User) -> AppResult<(Vec<Reminder>, i64)> {
    let Some(body) = scope_of(user) else {
        return Ok((Vec::new(), 0));
    };
    let (lines, count) = tokio::try_join!(
        store.task_reminders(body, REMINDERS_SHOWN),
        store.tasks_needing_attention(body)
    )?;
    Ok((lines, count))
}
