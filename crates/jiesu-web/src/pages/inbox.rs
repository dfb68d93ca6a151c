//! The inbox (站内消息): the notices for the signed-in user's body and role, newest first;
//! each can be marked read, or all unread at once. Above them, on the first page, the task
//! reminders (任务提醒) the user's body reads on `/tasks/mine` — 临期/超期 alerts and the
//! office's urges (督办) — each tagged 任务 and linking to its task. They come from the same
//! use case as the task pages and have no read mark: they stand while the task needs it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiesu_store::Page;
use serde::Deserialize;

use super::support::fmt_time;
use super::tasks::{ReminderRow, reminder_rows};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Notices per page.
const PAGE_ROWS: i64 = 30;

pub struct Item {
    pub id: i64,
    pub appeal: i64,
    pub kind: &'static str,
    pub message: String,
    pub at: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    shell: Shell,
    items: Vec<Item>,
    /// Task reminders, on the first page only.
    reminders: Vec<ReminderRow>,
    unread_only: bool,
    any_unread: bool,
    page: i64,
    prev_link: Option<String>,
    next_link: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default)]
    unread: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    ok: Option<String>,
}

/// The Chinese name of a notice's kind (the event that caused it).
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "dispatch" => "派单",
        "return" => "退单",
        "reply" => "待审核",
        "review" => "审核",
        "request_extension" => "延期申请",
        "callback" | "reopen" => "重办",
        "remind" => "催办",
        "supervise" => "督办单",
        "flag" => "挂牌督办",
        "judge_return" => "退单审核",
        "co_opinion" => "协办意见",
        "supervise_reply" => "督办回复",
        "unflag" => "撤销挂牌",
        "clock_remind" => "时限提醒",
        "escalate" => "上报",
        "rate" => "市民评价",
        _ => "消息",
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<InboxQuery>,
) -> Result<Response, PageError> {
    let unread_only = q.unread == "1";
    let page_no = q.page.unwrap_or(1).max(1);
    // One row more than shown tells whether a next page exists.
    let mut found = state
        .store
        .inbox(
            &user.0,
            unread_only,
            Page::new((page_no - 1) * PAGE_ROWS, PAGE_ROWS + 1),
        )
        .await?;
    let more = found.len() as i64 > PAGE_ROWS;
    found.truncate(PAGE_ROWS as usize);
    let link = |p: i64| {
        format!(
            "/inbox?unread={}&page={p}",
            if unread_only { "1" } else { "" }
        )
    };
    let shell = Shell::load(&state, &user.0, "站内消息", "/inbox")
        .await
        .with_notice(q.ok);
    let any_unread = !shell.unread.is_empty();
    let reminders = if page_no == 1 {
        reminder_rows(&state, &user.0).await?
    } else {
        Vec::new()
    };
    Ok(render(&InboxPage {
        shell,
        items: found
            .into_iter()
            .map(|n| Item {
                id: n.id,
                appeal: n.appeal.0,
                kind: kind_label(&n.kind),
                message: n.message,
                at: fmt_time(n.created_at),
                read: n.read,
            })
            .collect(),
        reminders,
        unread_only,
        any_unread,
        page: page_no,
        prev_link: (page_no > 1).then(|| link(page_no - 1)),
        next_link: more.then(|| link(page_no + 1)),
    }))
}

pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state
        .store
        .mark_read(&user.0, id)
        .await
        .map_err(|e| PageError::from(e).back("/inbox"))?;
    Ok(redirect("/inbox"))
}

/// Marks the unread notices read, a bounded batch at a time (the store marks one by one).
pub async fn read_all(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let unread = state
        .store
        .inbox(&user.0, true, Page::new(0, Page::MAX_LIMIT))
        .await?;
    for n in &unread {
        state.store.mark_read(&user.0, n.id).await?;
    }
    Ok(redirect(&format!(
        "/inbox?ok={}",
        encode(&format!("已将 {} 条消息标为已读", unread.len()))
    )))
}
