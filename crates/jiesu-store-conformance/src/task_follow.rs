//! Following published tasks: a draft goes live with its bodies, milestones and reports are
//! kept, a review is recorded once and an accepted one reaches its milestone and finishes the
//! task, the scanner's clocks and alerts are stored once, the board counts per lead body.

use std::sync::Arc;

use jiesu_domain::task::{
    Cadence, ClockAlert, MilestoneDraft, ReportDraft, Review, TaskClock, TaskDraft, TaskStatus,
    Timing,
};
use jiesu_store::{
    ClockChange, DocumentRow, NewReport, Page, Store, StoreError, TaskAssignment, TaskFilter,
    Verdict,
};

use super::{at, body};

/// A day after every next check: the scanner's reading of all open tasks.
fn last_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()
}

fn draft(title: &str) -> TaskDraft {
    TaskDraft {
        document: "示范区营商环境方案".into(),
        number: "1.".into(),
        section: String::new(),
        title: title.into(),
        text: String::new(),
        lead_bodies: vec!["示范区发改局".into()],
        co_bodies: vec![],
        due: "2026-12-31".parse().ok(),
        cadence: Cadence::Monthly { day: 28 },
    }
}

pub async fn a_live_task_is_followed_to_its_end(store: Arc<dyn Store>) {
    let lead = body(&*store, "示范区发改局", None).await;
    let co = body(&*store, "示范区财政局", None).await;
    let ids = store
        .create_task_drafts(&[draft("建设青禾口袋公园"), draft("改造示范路")], at(2, 9))
        .await
        .unwrap();
    let assign = |task| TaskAssignment {
        task,
        lead: vec![lead],
        co: vec![co],
    };
    // One is no draft: nothing goes live.
    assert!(matches!(
        store
            .publish_assigned(&[assign(ids[0]), assign(ids[1] + 50)], at(3, 9))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.task(ids[0]).await.unwrap().published_at.is_none());
    assert_eq!(
        store
            .publish_assigned(&[assign(ids[0]), assign(ids[1])], at(3, 9))
            .await
            .unwrap(),
        2
    );
    let standing = store.task_standing(ids[0]).await.unwrap();
    assert_eq!((standing.lead, standing.co), (vec![lead], vec![co]));
    assert_eq!(standing.timing, Timing::OnTime);

    let milestones = store
        .add_milestones(
            ids[0],
            &[
                MilestoneDraft {
                    due: "2026-09-30".parse().unwrap(),
                    expected: "完成施工".into(),
                },
                MilestoneDraft {
                    due: "2026-06-30".parse().unwrap(),
                    expected: "完成设计".into(),
                },
            ],
        )
        .await
        .unwrap();
    let listed = store.milestones(ids[0]).await.unwrap();
    assert_eq!(
        listed.iter().map(|m| m.id).collect::<Vec<_>>(),
        [milestones[1], milestones[0]]
    );
    assert_eq!(listed[0].done, None);

    let report = |percent, milestone| NewReport {
        task: ids[0],
        body: Some(lead),
        author: "示范区发改局 王工".into(),
        report: ReportDraft {
            text: "设计完成".into(),
            percent,
            attachments: vec!["设计图.pdf".into()],
            milestone,
        },
        due: "2026-11-30".parse().ok(),
        on_time: true,
        at: at(5, 10),
    };
    let first = store
        .add_report(&report(40, Some(milestones[1])))
        .await
        .unwrap();
    let read = store.report(first).await.unwrap();
    assert_eq!(read.report.attachments, ["设计图.pdf"]);
    assert_eq!(read.review, Review::Pending);
    assert_eq!(read.body, Some(lead));

    let clocks = store.task_clocks(last_day()).await.unwrap();
    assert_eq!(clocks.len(), 2);
    assert_eq!(clocks[0].next_milestone, "2026-06-30".parse().ok());
    assert_eq!(clocks[0].last_report_at, Some(at(5, 10)));

    let accept = Verdict {
        report: first,
        review: Review::Accepted,
        milestone: Some((milestones[1], false)),
        done_on_time: None,
    };
    store.review_report(&accept, at(6, 9)).await.unwrap();
    // Reviewed once: a second verdict is refused.
    assert!(matches!(
        store.review_report(&accept, at(6, 10)).await,
        Err(StoreError::Stale)
    ));
    let reached = store.milestones(ids[0]).await.unwrap();
    assert_eq!(reached[0].done, Some((at(5, 10), false)));
    assert_eq!(
        store.task_standing(ids[0]).await.unwrap().accepted_percent,
        Some(40)
    );
    let clocks = store.task_clocks(last_day()).await.unwrap();
    assert_eq!(clocks[0].next_milestone, "2026-09-30".parse().ok());

    let second = store.add_report(&report(100, None)).await.unwrap();
    store
        .review_report(
            &Verdict {
                report: second,
                review: Review::SentBack {
                    reason: "缺少验收材料".into(),
                },
                milestone: None,
                done_on_time: None,
            },
            at(7, 9),
        )
        .await
        .unwrap();
    assert_eq!(
        store.report(second).await.unwrap().review,
        Review::SentBack {
            reason: "缺少验收材料".into()
        }
    );
    let third = store.add_report(&report(100, None)).await.unwrap();
    store
        .review_report(
            &Verdict {
                report: third,
                review: Review::Accepted,
                milestone: None,
                done_on_time: Some(true),
            },
            at(8, 9),
        )
        .await
        .unwrap();
    assert_eq!(store.reports(ids[0]).await.unwrap().len(), 3);
    let standing = store.task_standing(ids[0]).await.unwrap();
    assert_eq!(standing.done_at, Some(at(5, 10)));
    // A done task has no more clocks.
    let clocks = store.task_clocks(last_day()).await.unwrap();
    assert_eq!(clocks.iter().map(|c| c.id).collect::<Vec<_>>(), [ids[1]]);

    // The scanner's alerts are stored once.
    let alert = ClockAlert {
        clock: TaskClock::Report,
        due: "2026-11-30".parse().unwrap(),
        timing: Timing::Late,
    };
    let change = ClockChange {
        task: ids[1],
        timing: Timing::Late,
        alerted: jiesu_store::alert_key(&[alert]),
        alerts: vec![(alert, "超期督办".into())],
        next_check: "2026-12-01".parse().unwrap(),
    };
    assert_eq!(
        store
            .record_clocks(std::slice::from_ref(&change), at(9, 9))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.record_clocks(&[change], at(9, 10)).await.unwrap(), 0);
    let alerts = store.task_alerts(ids[1]).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert, alert);
    assert_eq!(alerts[0].created_at, at(9, 9));
    let clocks = store.task_clocks(last_day()).await.unwrap();
    assert_eq!(clocks[0].timing, Timing::Late);
    assert_eq!(clocks[0].alerted, jiesu_store::alert_key(&[alert]));
    // Until its next check the task is not read again.
    let day = |d: &str| d.parse::<chrono::NaiveDate>().unwrap();
    assert!(
        store
            .task_clocks(day("2026-11-30"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.task_clocks(day("2026-12-01")).await.unwrap().len(), 1);

    // 销号 once, only a live task.
    store.close_task(ids[0], "已验收", at(10, 9)).await.unwrap();
    assert!(matches!(
        store.close_task(ids[0], "再次", at(10, 10)).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(
        store.task_standing(ids[0]).await.unwrap().close_note,
        "已验收"
    );

    let board = store.task_board(&TaskFilter::default()).await.unwrap();
    assert_eq!(board.len(), 1);
    let row = &board[0];
    assert_eq!(row.body, lead);
    assert_eq!(
        (row.tasks, row.done, row.closed, row.late, row.done_on_time),
        (2, 1, 1, 1, 1)
    );
    assert_eq!((row.reports, row.reports_on_time), (3, 3));
    assert_eq!((row.milestones_done, row.milestones_on_time), (1, 0));
    let other = TaskFilter {
        document: Some("另一份文件".into()),
        ..TaskFilter::default()
    };
    assert!(store.task_board(&other).await.unwrap().is_empty());
    let of_co = TaskFilter {
        body: Some(co),
        ..TaskFilter::default()
    };
    assert_eq!(
        store.live_task_ids(&of_co, Page::default()).await.unwrap(),
        ids
    );

    // The lists filter by the status each task has on a day.
    let in_status = |status, on: &str| TaskFilter {
        status: Some((status, day(on))),
        ..TaskFilter::default()
    };
    for (status, on, expected) in [
        (TaskStatus::Closed, "2026-12-10", vec![ids[0]]),
        (TaskStatus::NotStarted, "2026-12-10", vec![ids[1]]),
        (TaskStatus::Overdue, "2027-01-05", vec![ids[1]]),
        (TaskStatus::InProgress, "2026-12-10", vec![]),
        (TaskStatus::Done, "2026-12-10", vec![]),
        (TaskStatus::Draft, "2026-12-10", vec![]),
    ] {
        assert_eq!(
            store
                .live_task_ids(&in_status(status, on), Page::default())
                .await
                .unwrap(),
            expected,
            "{status:?} on {on}"
        );
    }
    // The leader's view counts the live tasks under their document.
    let documents = store.document_board(&TaskFilter::default()).await.unwrap();
    assert_eq!(
        documents,
        [DocumentRow {
            document: "示范区营商环境方案".into(),
            tasks: 2,
            done: 1,
            closed: 1,
            due_soon: 0,
            late: 1,
        }]
    );
    assert!(store.document_board(&other).await.unwrap().is_empty());
}
