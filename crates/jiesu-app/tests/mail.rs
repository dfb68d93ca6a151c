//! Mail to citizens (邮件通知) end to end through a real SMTP server: a local sink at
//! `JIESU_TEST_SMTP` (default 127.0.0.1:2525) that writes what it receives to
//! `JIESU_TEST_SMTP_OUTBOX` (default /tmp/jiesu-smtp-outbox.jsonl) — `ci/smtp_sink.py`, which
//! must be running: CI starts it. A citizen who left a phone and a mail address is told on
//! both; the mail has the event's subject and body; a confidential citizen's mail says no
//! more than the template; a server that refuses the mail leaves it to be retried.

mod support;

use std::time::Duration;

use chrono::{SubsecRound, Utc};
use jiesu_app::notify::{LogSender, MailSender, MessageChannel, Senders, SmtpConfig, SmtpTls};
use jiesu_store::MessageState;
use serde_json::Value;
use support::{app, file, intake};

fn sink() -> (String, u16, String) {
    let at = std::env::var("JIESU_TEST_SMTP").unwrap_or_else(|_| "127.0.0.1:2525".into());
    let outbox = std::env::var("JIESU_TEST_SMTP_OUTBOX")
        .unwrap_or_else(|_| "/tmp/jiesu-smtp-outbox.jsonl".into());
    let (host, port) = at.rsplit_once(':').expect("JIESU_TEST_SMTP is host:port");
    (host.into(), port.parse().expect("a port"), outbox)
}

fn mail_sender(host: &str, port: u16) -> MailSender {
    MailSender::new(SmtpConfig {
        host: host.into(),
        port: Some(port),
        tls: SmtpTls::None,
        from: "12345热线 <noreply@example.cn>".into(),
        username: None,
        password: None,
    })
    .unwrap()
}

/// The mails the sink received for `to`, waiting up to ten seconds for `count`.
async fn received(outbox: &str, to: &str, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let mails: Vec<Value> = std::fs::read_to_string(outbox)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|m| {
                m["rcpt_tos"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|r| r == to))
            })
            .collect();
        if mails.len() >= count {
            return mails;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the SMTP sink got no {count} mail(s) for {to} in {outbox}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_is_told_by_sms_and_by_mail_through_the_smtp_server() {
    let (host, port, outbox) = sink();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    // Addresses of this run only: the sink's outbox keeps every run's mail.
    let run = format!("{}-{}", std::process::id(), Utc::now().timestamp_micros());
    let (open_to, secret_to) = (
        format!("open-{run}@example.cn"),
        format!("secret-{run}@example.cn"),
    );
    let open = file(
        &app,
        intake("柳荫小区路灯不亮", "13700003333", Some(&open_to), false),
    )
    .await;
    let secret = file(
        &app,
        intake("柳荫小区噪声扰民", "13700003333", Some(&secret_to), true),
    )
    .await;
    let senders = Senders::default()
        .with(MessageChannel::Sms, Box::new(LogSender))
        .with(MessageChannel::Mail, Box::new(mail_sender(&host, port)));
    let now = Utc::now().trunc_subsecs(3);
    assert_eq!(app.send_due_messages(&senders, "t", now).await, 4);
    let sent = app.store.messages(MessageState::Sent, 10).await.unwrap();
    let channels = |c: &str| sent.iter().filter(|m| m.channel == c).count();
    assert_eq!((channels("sms"), channels("mail")), (2, 2));

    let mail = &received(&outbox, &open_to, 1).await[0];
    assert_eq!(mail["mail_from"], "noreply@example.cn");
    assert_eq!(
        mail["subject"],
        format!("您的诉求已受理（受理编号 {}）", open.appeal.number)
    );
    let body = mail["body"].as_str().unwrap();
    assert!(body.contains(&open.appeal.number.0), "{body}");
    assert!(body.contains(&open.query_code), "{body}");

    let mail = &received(&outbox, &secret_to, 1).await[0];
    let told = format!("{} {}", mail["subject"], mail["body"]);
    assert!(told.contains(&secret.appeal.number.0), "{told}");
    for private in ["王小明", "13700003333", "噪声", "青禾"] {
        assert!(!told.contains(private), "{told}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_cannot_be_reached_leaves_the_mail_to_retry() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path())
        .await
        .with_message_channels(&[MessageChannel::Mail]);
    file(
        &app,
        intake(
            "柳荫小区积水",
            "13700003333",
            Some("nobody@example.cn"),
            false,
        ),
    )
    .await;
    // A port nothing listens on (the listener is dropped before the send).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let senders = Senders::default().with(
        MessageChannel::Mail,
        Box::new(mail_sender("127.0.0.1", port)),
    );
    assert_eq!(app.send_due_messages(&senders, "t", Utc::now()).await, 0);
    let pending = app.store.messages(MessageState::Pending, 10).await.unwrap();
    assert_eq!(pending.len(), 1, "only the mail: no SMS channel here");
    assert_eq!(pending[0].channel, "mail");
    assert_eq!(pending[0].attempts, 1);
    assert_eq!(pending[0].last_error, "无法连接邮件服务器");
}
