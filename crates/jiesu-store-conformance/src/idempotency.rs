//! Idempotency keys (幂等键): a key belongs to its caller and to its request, and expires.

use std::sync::Arc;

use chrono::Duration;

use super::{at, registration};
use jiesu_store::{AppealFilter, Page, Registration, Store, StoreError};

/// An intake of `title` at `when` with `key`, sent by `caller`.
fn keyed(
    title: &str,
    caller: &str,
    key: &str,
    when: chrono::DateTime<chrono::Utc>,
) -> Registration {
    let mut r = registration(title, Some(key), when);
    if let Some(k) = r.idempotency_key.as_mut() {
        k.caller = caller.into();
    }
    r.query_code = format!("code-{caller}-{title}");
    r
}

async fn total(store: &dyn Store) -> i64 {
    store
        .list_appeals(&AppealFilter::default(), Page::default())
        .await
        .unwrap()
        .total
}

pub async fn an_idempotency_key_replays_for_its_caller_and_request_only(store: Arc<dyn Store>) {
    let first = store
        .register(keyed("噪音扰民", "user:7", "k-1", at(3, 9)))
        .await
        .unwrap();
    assert!(first.created);
    // The same caller retries the same request: the same appeal and code, nothing new.
    let again = store
        .register(keyed("噪音扰民", "user:7", "k-1", at(3, 9)))
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.appeal.id, first.appeal.id);
    assert_eq!(again.query_code, first.query_code);
    // Another caller with the same key (and even the same request) is another key: a new
    // appeal with its own code, never the first one's.
    for caller in ["user:8", "public:203.0.113.9"] {
        let other = store
            .register(keyed("噪音扰民", caller, "k-1", at(3, 9)))
            .await
            .unwrap();
        assert!(other.created, "{caller}");
        assert_ne!(other.appeal.id, first.appeal.id);
        assert_ne!(other.query_code, first.query_code);
    }
    // The first caller with the key and another request is refused, and nothing is written.
    let changed = store
        .register(keyed("路灯不亮", "user:7", "k-1", at(3, 9)))
        .await;
    assert!(matches!(changed, Err(StoreError::KeyReused)), "{changed:?}");
    assert_eq!(total(&*store).await, 3);
    // In a batch, the refusal is that intake's alone.
    let batch = store
        .register_many(&[
            keyed("路灯不亮", "user:7", "k-1", at(3, 10)),
            keyed("路灯不亮", "user:7", "k-2", at(3, 10)),
        ])
        .await
        .unwrap();
    assert!(matches!(batch[0], Err(StoreError::KeyReused)));
    assert!(batch[1].as_ref().is_ok_and(|r| r.created));
}

pub async fn idempotency_keys_expire(store: Arc<dyn Store>) {
    let first = store
        .register(keyed("井盖缺失", "user:7", "k-9", at(3, 9)))
        .await
        .unwrap();
    let within = at(3, 9) + Duration::hours(23);
    let replay = store
        .register(keyed("井盖缺失", "user:7", "k-9", within))
        .await
        .unwrap();
    assert_eq!((replay.created, replay.appeal.id), (false, first.appeal.id));
    // A day later the key is forgotten: the same key is a new intake.
    let later = at(3, 9) + Duration::hours(25);
    let renewed = store
        .register(keyed("井盖缺失", "user:7", "k-9", later))
        .await
        .unwrap();
    assert!(renewed.created);
    assert_ne!(renewed.appeal.id, first.appeal.id);
    let replay = store
        .register(keyed("井盖缺失", "user:7", "k-9", later))
        .await
        .unwrap();
    assert_eq!(
        (replay.created, replay.appeal.id),
        (false, renewed.appeal.id)
    );
}
