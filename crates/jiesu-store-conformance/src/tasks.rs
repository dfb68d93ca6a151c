//! Government tasks (任务): drafts are stored all together, read back as written and go
//! live only when published; publishing something that is no draft changes nothing.

use std::sync::Arc;

use jiesu_domain::task::{Cadence, TaskDraft};
use jiesu_store::{Page, Store, StoreError};

use super::at;

fn task(number: &str, title: &str) -> TaskDraft {
    TaskDraft {
        document: "关于优化营商环境的实施方案".into(),
        number: number.into(),
        section: "重点任务".into(),
        title: title.into(),
        text: format!("{title}。年底前完成。"),
        lead_bodies: vec!["市发改委".into()],
        co_bodies: vec!["各县（市、区）人民政府".into(), "市财政局".into()],
        due: "2026-12-31".parse().ok(),
        cadence: Cadence::Monthly { day: 28 },
    }
}

pub async fn tasks_are_drafted_then_published(store: Arc<dyn Store>) {
    let drafts = [
        task("二、（一）", "推行一网通办"),
        task("二、（二）", "压缩审批时限"),
    ];
    let ids = store.create_task_drafts(&drafts, at(2, 9)).await.unwrap();
    assert_eq!(ids.len(), 2);
    let first = store.task(ids[0]).await.unwrap();
    assert_eq!(first.draft, drafts[0]);
    assert_eq!(first.created_at, at(2, 9));
    assert_eq!(first.published_at, None);
    let drafted = store.tasks(Some(false), Page::default()).await.unwrap();
    assert_eq!(drafted.len(), 2);
    assert!(
        store
            .tasks(Some(true), Page::default())
            .await
            .unwrap()
            .is_empty()
    );

    // One id that is no draft: nothing goes live.
    let refused = store.publish_tasks(&[ids[0], ids[1] + 100], at(3, 9)).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))));
    assert!(
        store
            .tasks(Some(true), Page::default())
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(store.publish_tasks(&ids, at(3, 9)).await.unwrap(), 2);
    let live = store.tasks(Some(true), Page::default()).await.unwrap();
    assert_eq!(live.iter().map(|t| t.id).collect::<Vec<_>>(), ids);
    assert_eq!(live[1].published_at, Some(at(3, 9)));
    // Published once: publishing again is refused.
    assert!(store.publish_tasks(&ids[..1], at(4, 9)).await.is_err());
    assert!(matches!(
        store.task(ids[1] + 100).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn drafts_are_edited_or_discarded_until_published(store: Arc<dyn Store>) {
    let ids = store
        .create_task_drafts(
            &[task("1.", "清理占道堆物"), task("2.", "增设公交站亭")],
            at(2, 9),
        )
        .await
        .unwrap();
    let edited = TaskDraft {
        title: "增设公交候车亭".into(),
        lead_bodies: vec!["示范区交通局".into()],
        due: "2027-03-31".parse().ok(),
        ..task("2.", "增设公交站亭")
    };
    store.update_task_draft(ids[1], &edited).await.unwrap();
    assert_eq!(store.task(ids[1]).await.unwrap().draft, edited);

    store.discard_task_draft(ids[0]).await.unwrap();
    assert!(matches!(
        store.task(ids[0]).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.discard_task_draft(ids[0]).await,
        Err(StoreError::Stale)
    ));

    // A live task is no draft: neither edited nor discarded.
    store.publish_tasks(&ids[1..], at(3, 9)).await.unwrap();
    assert!(matches!(
        store.update_task_draft(ids[1], &task("2.", "改名")).await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        store.discard_task_draft(ids[1]).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(store.task(ids[1]).await.unwrap().draft, edited);
}
