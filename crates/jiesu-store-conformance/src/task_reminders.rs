//! Reminders on government tasks: the office's urges are kept on live open tasks only; a
//! body reads the alerts its tasks' clocks still stand at and the urges on them, the office
//! reads every body's; the count of 临期/超期 tasks follows the scanner.

use std::sync::Arc;

use jiesu_domain::task::{Cadence, ClockAlert, TaskClock, TaskDraft, Timing};
use jiesu_store::{ClockChange, NewUrge, ReminderKind, Store, StoreError, TaskAssignment};

use super::{at, body};

fn draft(title: &str) -> TaskDraft {
    TaskDraft {
        document: "示范区城市更新方案".into(),
        number: "1.".into(),
        section: String::new(),
        title: title.into(),
        text: String::new(),
        lead_bodies: vec![],
        co_bodies: vec![],
        due: "2026-12-31".parse().ok(),
        cadence: Cadence::Monthly { day: 28 },
    }
}

pub async fn urges_and_alerts_reach_the_lead_body(store: Arc<dyn Store>) {
    let roads = body(&*store, "示范区道路中心", None).await;
    let lights = body(&*store, "示范区照明所", None).await;
    let ids = store
        .create_task_drafts(
            &[draft("修补坑洼路面"), draft("更换路灯"), draft("草稿任务")],
            at(1, 9),
        )
        .await
        .unwrap();
    let urge = |task| NewUrge {
        task,
        author: "督查室 张主任".into(),
        note: "请加快进度".into(),
        at: at(10, 9),
    };
    // A draft is not urged.
    assert!(matches!(
        store.add_urge(&urge(ids[2])).await,
        Err(StoreError::Stale)
    ));
    store
        .publish_assigned(
            &[
                TaskAssignment {
                    task: ids[0],
                    lead: vec![roads],
                    co: vec![lights],
                },
                TaskAssignment {
                    task: ids[1],
                    lead: vec![lights],
                    co: vec![],
                },
            ],
            at(2, 9),
        )
        .await
        .unwrap();
    let late = ClockAlert {
        clock: TaskClock::Report,
        due: "2026-11-30".parse().unwrap(),
        timing: Timing::Late,
    };
    let change = |alerts: Vec<ClockAlert>| ClockChange {
        task: ids[0],
        timing: alerts.iter().map(|a| a.timing).max().unwrap_or_default(),
        alerted: jiesu_store::alert_key(&alerts),
        alerts: alerts
            .iter()
            .map(|a| (*a, "超期督办：报送".into()))
            .collect(),
        next_check: "2026-12-02".parse().unwrap(),
    };
    store
        .record_clocks(&[change(vec![late])], at(9, 9))
        .await
        .unwrap();
    let first = store.add_urge(&urge(ids[1])).await.unwrap();
    assert_eq!(store.urges(ids[1]).await.unwrap()[0].id, first);
    assert_eq!(store.urges(ids[1]).await.unwrap()[0].note, "请加快进度");

    let of_roads = store.task_reminders(Some(roads), 10).await.unwrap();
    assert_eq!(of_roads.len(), 1, "the co-body's task is not listed");
    assert_eq!(
        (of_roads[0].task, of_roads[0].kind, of_roads[0].timing),
        (ids[0], ReminderKind::Alert, 2)
    );
    let of_lights = store.task_reminders(Some(lights), 10).await.unwrap();
    assert_eq!(
        of_lights.iter().map(|r| r.kind).collect::<Vec<_>>(),
        [ReminderKind::Urge]
    );
    let all = store.task_reminders(None, 10).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.task).collect::<Vec<_>>(),
        [ids[1], ids[0]],
        "newest first"
    );
    assert_eq!(store.tasks_needing_attention(Some(roads)).await.unwrap(), 1);
    assert_eq!(
        store.tasks_needing_attention(Some(lights)).await.unwrap(),
        0
    );
    assert_eq!(store.tasks_needing_attention(None).await.unwrap(), 1);

    // Once the clock no longer stands at the alert (a report came), it leaves the list.
    store
        .record_clocks(&[change(vec![])], at(11, 9))
        .await
        .unwrap();
    assert!(
        store
            .task_reminders(Some(roads), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.tasks_needing_attention(None).await.unwrap(), 0);
}
