//! Messages to citizens (通知): one per appeal and event, claimed once, retried, given up,
//! sent again by staff.

use std::sync::Arc;

use chrono::Duration;
use jiesu_domain::ids::AppealId;
use jiesu_store::{MessageState, NewMessage, Store, StoreError};

use super::at;

fn message(appeal: i64, event: &str) -> NewMessage {
    NewMessage {
        appeal: AppealId(appeal),
        event: event.into(),
        channel: "sms".into(),
        recipient: "13800001111".into(),
        subject: String::new(),
        body: format!("诉求 {appeal} {event}"),
        at: at(2, 9),
    }
}

pub async fn citizen_messages_are_sent_once_retried_and_given_up(store: Arc<dyn Store>) {
    assert!(
        store
            .enqueue_message(&message(1, "received"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .enqueue_message(&message(1, "received"))
            .await
            .unwrap()
    );
    assert!(
        store
            .enqueue_message(&message(1, "dispatched"))
            .await
            .unwrap()
    );
    assert!(
        store
            .enqueue_message(&message(2, "received"))
            .await
            .unwrap()
    );

    assert!(
        store
            .claim_messages("a", at(2, 8), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let claimed = store.claim_messages("a", at(2, 9), 2).await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(claimed[0].body, "诉求 1 received");
    assert!(
        claimed
            .iter()
            .all(|m| m.state == MessageState::Pending && m.attempts == 0)
    );
    // Claimed by "a": another worker gets only the rest, until the claim is a minute old.
    let other = store.claim_messages("b", at(2, 9), 10).await.unwrap();
    assert_eq!(other.len(), 1);
    assert!(
        store
            .claim_messages("c", at(2, 9), 10)
            .await
            .unwrap()
            .is_empty()
    );

    let (sent, failing) = (&claimed[0], &claimed[1]);
    store
        .finish_message(sent.id, at(2, 9), None, None)
        .await
        .unwrap();
    let retry = at(2, 9) + Duration::seconds(30);
    store
        .finish_message(failing.id, at(2, 9), Some("gateway 503"), Some(retry))
        .await
        .unwrap();
    let pending = store.messages(MessageState::Pending, 10).await.unwrap();
    let again = pending.iter().find(|m| m.id == failing.id).unwrap();
    assert_eq!(
        (again.attempts, again.last_error.as_str()),
        (1, "gateway 503")
    );
    assert_eq!(again.next_at, retry);
    assert!(
        store
            .messages(MessageState::Sent, 10)
            .await
            .unwrap()
            .iter()
            .any(|m| m.id == sent.id)
    );

    let later = store.claim_messages("a", retry, 10).await.unwrap();
    let failing = later.iter().find(|m| m.id == failing.id).unwrap();
    store
        .finish_message(failing.id, retry, Some("gateway 503"), None)
        .await
        .unwrap();
    let failed = store.messages(MessageState::Failed, 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 2);

    store.retry_message(failed[0].id, retry).await.unwrap();
    let resent = store
        .claim_messages("z", retry + Duration::minutes(2), 10)
        .await
        .unwrap();
    assert!(
        resent
            .iter()
            .any(|m| m.id == failed[0].id && m.attempts == 0)
    );
    assert!(matches!(
        store.retry_message(sent.id, retry).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.retry_message(9_999, retry).await,
        Err(StoreError::NotFound(_))
    ));
}

/// A citizen who left a phone and a mail address is told once on each: the same event goes
/// once by SMS and once by mail, the mail with its subject.
pub async fn citizen_messages_go_once_per_channel(store: Arc<dyn Store>) {
    let mail = NewMessage {
        channel: "mail".into(),
        recipient: "citizen@example.cn".into(),
        subject: "诉求已受理".into(),
        ..message(7, "received")
    };
    assert!(
        store
            .enqueue_message(&message(7, "received"))
            .await
            .unwrap()
    );
    assert!(store.enqueue_message(&mail).await.unwrap());
    assert!(!store.enqueue_message(&mail).await.unwrap());
    let claimed = store.claim_messages("a", at(2, 9), 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    let by_mail = claimed.iter().find(|m| m.channel == "mail").unwrap();
    assert_eq!(
        (by_mail.recipient.as_str(), by_mail.subject.as_str()),
        ("citizen@example.cn", "诉求已受理")
    );
    let by_sms = claimed.iter().find(|m| m.channel == "sms").unwrap();
    assert_eq!(by_sms.subject, "");
}
