//! The admin's page of messages to citizens (市民通知): failed and pending messages with
//! masked phones, sent again on request; other roles are refused.

mod support;

use chrono::Utc;
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::{MessageState, NewMessage};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_messages_show_masked_and_are_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = support::sqlite_store(dir.path()).await;
    let hash = jiesu_app::auth::hash_password("secret-pass".into())
        .await
        .unwrap();
    for (name, role) in [("admin", Role::Admin), ("op", Role::Operator)] {
        let user = NewUser {
            username: name.into(),
            display_name: name.into(),
            role,
            body: None,
        };
        store.create_user(&user, &hash).await.unwrap();
    }
    let now = Utc::now();
    for (appeal, event) in [(7, "received"), (8, "dispatched")] {
        let message = NewMessage {
            appeal: AppealId(appeal),
            event: event.into(),
            channel: "sms".into(),
            recipient: "13800001111".into(),
            body: format!("【12345】诉求 {appeal}"),
            at: now,
        };
        store.enqueue_message(&message).await.unwrap();
    }
    let claimed = store.claim_messages("t", now, 10).await.unwrap();
    let failed = claimed.iter().find(|m| m.event == "received").unwrap().id;
    store
        .finish_message(failed, now, Some("短信网关返回 503"), None)
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
    assert!(
        store
            .messages(MessageState::Failed, 10)
            .await
            .unwrap()
            .is_empty()
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
