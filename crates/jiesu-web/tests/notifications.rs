//! The admin's page of messages to citizens (市民通知): failed and pending messages with
//! their channel and masked phones and mail addresses, sent again on request; other roles
//! are refused.

mod support;

use chrono::Utc;
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::Role;
use jiesu_store::{MessageState, NewMessage};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_messages_show_masked_and_are_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = support::sqlite_store(dir.path()).await;
    support::users(
        &*store,
        &[("admin", Role::Admin, None), ("op", Role::Operator, None)],
    )
    .await;
    let now = Utc::now();
    for (appeal, event, channel, recipient) in [
        (7, "received", "sms", "13800001111"),
        (8, "dispatched", "sms", "13800001111"),
        (7, "received", "mail", "citizen.li@example.cn"),
    ] {
        let message = NewMessage {
            appeal: AppealId(appeal),
            event: event.into(),
            channel: channel.into(),
            recipient: recipient.into(),
            subject: String::new(),
            body: format!("【12345】诉求 {appeal}"),
            at: now,
        };
        store.enqueue_message(&message).await.unwrap();
    }
    let claimed = store.claim_messages("t", now, 10).await.unwrap();
    let failed = claimed
        .iter()
        .find(|m| m.event == "received" && m.channel == "sms")
        .unwrap()
        .id;
    store
        .finish_message(failed, now, Some("短信网关返回 503"), None)
        .await
        .unwrap();
    let failed_mail = claimed.iter().find(|m| m.channel == "mail").unwrap().id;
    store
        .finish_message(failed_mail, now, Some("邮件服务器返回 550"), None)
        .await
        .unwrap();
    let app = jiesu_app::App::load(store.clone())
        .await
        .unwrap()
        .with_citizen_messages(true);
    let base = support::serve(jiesu_web::AppState::new(app)).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let admin = support::token(&http, &base, "admin").await;
    let page = http
        .get(format!("{base}/admin/notifications"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("138****1111"), "{html}");
    assert!(!html.contains("13800001111"), "{html}");
    assert!(html.contains("短信网关返回 503"), "{html}");
    assert!(html.contains("c***@example.cn"), "{html}");
    assert!(!html.contains("citizen.li@"), "{html}");
    assert!(
        html.contains(">邮件</td>") && html.contains(">短信</td>"),
        "{html}"
    );
    assert!(html.contains("邮件服务器返回 550"), "{html}");
    assert!(html.contains(&format!("/admin/notifications/{failed}/retry")));

    let op = support::token(&http, &base, "op").await;
    let refused = http
        .get(format!("{base}/admin/notifications"))
        .bearer_auth(&op)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let retried = http
        .post(format!("{base}/admin/notifications/{failed}/retry"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(retried.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        store
            .messages(MessageState::Failed, 10)
            .await
            .unwrap()
            .len(),
        1,
        "only the mail is left failed"
    );
    let pending = store.messages(MessageState::Pending, 10).await.unwrap();
    assert!(pending.iter().any(|m| m.id == failed && m.attempts == 0));
    let again = http
        .post(format!("{base}/admin/notifications/99999/retry"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_ne!(again.status(), StatusCode::INTERNAL_SERVER_ERROR);
}
