//! Events found by their action and time: what the live figures of automatic dispatch
//! (自动派单) read.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use jiesu_domain::event::EventKind;
use jiesu_store::Store;

use super::{body, dispatched_complaint};

pub async fn events_are_found_by_action_and_time(store: Arc<dyn Store>) {
    let street = body(&*store, "示例街道", None).await;
    let first = Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0).unwrap();
    let second = first + Duration::days(1);
    let early = dispatched_complaint(&*store, street, first).await;
    let late = dispatched_complaint(&*store, street, second).await;

    let all = store
        .events_with_action("dispatch", first, 100)
        .await
        .unwrap();
    let appeals: Vec<_> = all.iter().map(|e| e.appeal).collect();
    assert_eq!(appeals, vec![early, late], "oldest first");
    assert!(
        all.iter()
            .all(|e| matches!(e.kind, EventKind::Dispatch { .. }))
    );
    let since = store
        .events_with_action("dispatch", first + Duration::hours(1), 100)
        .await
        .unwrap();
    assert_eq!(
        since.iter().map(|e| e.appeal).collect::<Vec<_>>(),
        vec![late]
    );
    let limited = store
        .events_with_action("dispatch", first, 1)
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    assert!(
        store
            .events_with_action("recall", first, 100)
            .await
            .unwrap()
            .is_empty()
    );
}
