//! Messages to citizens for staff (市民通知): the admin sees the messages still pending and
//! those given up, with their channel and the last error, and sends a message again.
//! Phones and mail addresses are masked.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use jiesu_app::notify::{MessageChannel, for_staff};
use jiesu_store::MessageState;
use serde::Deserialize;

use super::support::fmt_time;
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Rows shown per list.
const ROWS: i64 = 100;

pub struct Row {
    pub id: i64,
    pub appeal: i64,
    pub event: &'static str,
    /// 短信 or 邮件.
    pub channel: &'static str,
    pub recipient: String,
    /// A mail's subject (empty for an SMS).
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub next_at: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "admin_notifications.html")]
struct NotificationsPage {
    shell: Shell,
    /// The channels this server tells citizens on, "短信、邮件" (empty: not told).
    channels: String,
    failed: Vec<Row>,
    pending: Vec<Row>,
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    ok: Option<String>,
}

fn event_label(event: &str) -> &'static str {
    match event {
        "received" => "已受理",
        "dispatched" => "已派单",
        "answered" => "已答复",
        "callback_due" => "待回访",
        _ => "通知",
    }
}

async fn rows(state: &AppState, wanted: MessageState) -> Result<Vec<Row>, PageError> {
    Ok(state
        .store
        .messages(wanted, ROWS)
        .await?
        .into_iter()
        .map(for_staff)
        .map(|m| Row {
            id: m.id,
            appeal: m.appeal.0,
            event: event_label(&m.event),
            channel: MessageChannel::from_code(&m.channel).map_or("其他", |c| c.label()),
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            attempts: m.attempts,
            next_at: fmt_time(m.next_at),
            error: m.last_error,
        })
        .collect())
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    let shell = Shell::load(&state, &user.0, "市民通知", "/admin/notifications")
        .await
        .with_notice(q.ok);
    Ok(render(&NotificationsPage {
        shell,
        channels: state
            .message_channels()
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join("、"),
        failed: rows(&state, MessageState::Failed).await?,
        pending: rows(&state, MessageState::Pending).await?,
    }))
}

pub async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state
        .store
        .retry_message(id, Utc::now())
        .await
        .map_err(|e| PageError::from(e).back("/admin/notifications"))?;
    Ok(redirect(&format!(
        "/admin/notifications?ok={}",
        encode("已重新加入发送队列")
    )))
}
