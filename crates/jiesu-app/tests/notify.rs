//! Telling citizens (通知) end to end: an intake puts a message in the outbox, the sender
//! posts it to a local HTTP sink (an SMS gateway stand-in), a refused send is retried after
//! its back-off and given up after the last attempt; a confidential citizen's message says
//! no more than the template.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{SubsecRound, Utc};
use jiesu_app::notify::{HttpSmsSender, MAX_ATTEMPTS, backoff};
use jiesu_store::MessageState;
use serde_json::Value;
use support::{app, file, intake};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A local HTTP sink: answers each request with the next status of `statuses` (then 200)
/// and keeps the JSON bodies and authorization headers it got.
async fn sink(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<(Value, String)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let kept = got.clone();
    tokio::spawn(async move {
        let mut statuses = statuses.into_iter();
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, body) = loop {
                let n = socket.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break (head.to_string(), body.to_string());
                    }
                }
            };
            let auth = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("authorization: ")
                        .or_else(|| l.strip_prefix("Authorization: "))
                })
                .unwrap_or("")
                .to_string();
            kept.lock()
                .unwrap()
                .push((serde_json::from_str(&body).unwrap(), auth));
            let status = statuses.next().unwrap_or(200);
            let answer =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            socket.write_all(answer.as_bytes()).await.unwrap();
        }
    });
    (url, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_received_appeal_is_told_through_the_gateway_with_retries() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let registered = file(&app, intake("青禾小区路灯不亮", "13800001111", None, false)).await;
    let secret = file(&app, intake("示范区噪声扰民", "13900002222", None, true)).await;
    let (url, got) = sink(vec![503]).await;
    let templates = HashMap::from([("received".to_string(), "SMS_0001".to_string())]);
    let sender = HttpSmsSender::new(url, Some("gateway-secret".into()), templates).unwrap();

    let now = Utc::now().trunc_subsecs(3);
    // The first send is refused (503), the second goes through.
    assert_eq!(app.send_due_messages(&sender, "t", now).await, 1);
    let pending = app.store.messages(MessageState::Pending, 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].last_error, "短信网关返回 503");
    assert_eq!(pending[0].next_at, now + backoff(0));
    assert_eq!(
        app.send_due_messages(&sender, "t", now).await,
        0,
        "not due before its back-off"
    );
    assert_eq!(
        app.send_due_messages(&sender, "t", now + backoff(0)).await,
        1
    );

    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 3);
    for (body, auth) in &got {
        assert_eq!(auth, "Bearer gateway-secret");
        assert_eq!(body["event"], "received");
        assert_eq!(body["template"], "SMS_0001");
    }
    let to = |phone: &str| got.iter().filter(|(b, _)| b["to"] == phone).count();
    assert_eq!((to("13800001111"), to("13900002222")), (2, 1));
    let told = got
        .iter()
        .find(|(b, _)| b["to"] == "13800001111")
        .unwrap()
        .0["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        told.contains(&registered.appeal.number.0) && told.contains(&registered.query_code),
        "{told}"
    );
    let secret_text = got
        .iter()
        .find(|(b, _)| b["to"] == "13900002222")
        .unwrap()
        .0["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(secret_text.contains(&secret.appeal.number.0));
    for private in ["王小明", "噪声", "青禾"] {
        assert!(!secret_text.contains(private), "{secret_text}");
    }
    assert_eq!(
        app.store
            .messages(MessageState::Sent, 10)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_keeps_refusing_leaves_the_message_failed_for_staff() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    file(&app, intake("青禾小区积水", "13800001111", None, false)).await;
    let (url, got) = sink(vec![500; MAX_ATTEMPTS as usize]).await;
    let sender = HttpSmsSender::new(url, None, HashMap::new()).unwrap();
    let mut now = Utc::now().trunc_subsecs(3);
    for attempt in 0..MAX_ATTEMPTS {
        assert_eq!(app.send_due_messages(&sender, "t", now).await, 0);
        now += backoff(attempt);
    }
    let failed = app.store.messages(MessageState::Failed, 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, MAX_ATTEMPTS);
    assert_eq!(got.lock().unwrap().len(), MAX_ATTEMPTS as usize);
    // Staff send it again: it goes out.
    app.store.retry_message(failed[0].id, now).await.unwrap();
    assert_eq!(app.send_due_messages(&sender, "t", now).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_queued_when_telling_citizens_is_off_nor_an_sms_for_a_landline() {
    for (on, phone) in [(false, "13800001111"), (true, "0351-1234567")] {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path()).await.with_citizen_messages(on);
        file(&app, intake("青禾小区积水", phone, None, false)).await;
        assert!(
            app.store
                .messages(MessageState::Pending, 10)
                .await
                .unwrap()
                .is_empty(),
            "{phone}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_is_told_once_on_each_channel_however_often_the_appeal_changes_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let request = intake(
        "青禾小区路灯不亮",
        "13800001111",
        Some("citizen@example.cn"),
        false,
    );
    let registered = file(&app, request).await;
    // The appeal waits for its callback (待回访); a note or a second pass through the step
    // changes it again while it is there.
    let mut waiting = registered.appeal.clone();
    waiting.status = jiesu_domain::status::Status::AwaitingCallback;
    app.changed(&waiting).await;
    app.changed(&waiting).await;
    let queued = app.store.messages(MessageState::Pending, 20).await.unwrap();
    let told = |event: &str, channel: &str| {
        queued
            .iter()
            .filter(|m| m.event == event && m.channel == channel)
            .count()
    };
    for event in ["received", "answered", "callback_due"] {
        assert_eq!((told(event, "sms"), told(event, "mail")), (1, 1), "{event}");
    }
    let mail = queued
        .iter()
        .find(|m| m.event == "callback_due" && m.channel == "mail")
        .unwrap();
    assert_eq!(
        mail.subject,
        format!("您的诉求待回访（受理编号 {}）", registered.appeal.number)
    );
    assert!(!mail.body.contains(&registered.query_code), "{}", mail.body);
}
