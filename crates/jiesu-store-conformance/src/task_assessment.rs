//! The government tasks' part of the assessment (考核): per lead body, its tasks due in the
//! period and decided by the day asked (done, or past due) and those done on time; per
//! reporting body, its progress reports of the period that answered a reporting day and
//! those on time.

use std::sync::Arc;

use jiesu_domain::assessment::period::Period;
use jiesu_domain::task::{Cadence, ReportDraft, Review, TaskDraft};
use jiesu_store::{NewReport, Store, TaskAssignment, Verdict};

use super::{at, body};

fn due_on(title: &str, due: &str) -> TaskDraft {
    TaskDraft {
        document: "示范区惠民实事清单".into(),
        number: "1.".into(),
        section: String::new(),
        title: title.into(),
        text: String::new(),
        lead_bodies: vec![],
        co_bodies: vec![],
        due: due.parse().ok(),
        cadence: Cadence::Monthly { day: 28 },
    }
}

pub async fn task_rates_count_each_lead_body(store: Arc<dyn Store>) {
    let water = body(&*store, "示范区水务局", None).await;
    let parks = body(&*store, "示范区园林中心", None).await;
    let ids = store
        .create_task_drafts(
            &[
                due_on("更换老旧供水管", "2026-11-10"),
                due_on("疏浚北渠", "2026-11-20"),
                due_on("新建街心花园", "2026-11-28"),
                due_on("改造滨河步道", "2026-12-05"),
            ],
            at(1, 9),
        )
        .await
        .unwrap();
    let lead = [water, water, parks, water];
    let assignments: Vec<TaskAssignment> = ids
        .iter()
        .zip(lead)
        .map(|(task, lead)| TaskAssignment {
            task: *task,
            lead: vec![lead],
            // The co-body is not counted for the task's completion.
            co: vec![if lead == water { parks } else { water }],
        })
        .collect();
    store
        .publish_assigned(&assignments, at(2, 9))
        .await
        .unwrap();

    let report = |task, body, due: Option<&str>, on_time, day| NewReport {
        task,
        body: Some(body),
        author: "报送人".into(),
        report: ReportDraft {
            text: "按计划推进".into(),
            percent: 100,
            attachments: vec![],
            milestone: None,
        },
        due: due.and_then(|d| d.parse().ok()),
        on_time,
        at: at(day, 3),
    };
    // The first task is done on time; the second is past due on the 25th, the third not yet.
    let done = store
        .add_report(&report(ids[0], water, Some("2026-11-09"), true, 8))
        .await
        .unwrap();
    store
        .review_report(
            &Verdict {
                report: done,
                review: Review::Accepted,
                milestone: None,
                done_on_time: Some(true),
            },
            at(9, 3),
        )
        .await
        .unwrap();
    store
        .add_report(&report(ids[2], parks, Some("2026-11-12"), false, 14))
        .await
        .unwrap();
    // A report answering no reporting day is not counted.
    store
        .add_report(&report(ids[2], parks, None, true, 15))
        .await
        .unwrap();

    let month = Period::month_of("2026-11-01".parse().unwrap());
    let counts = store
        .task_counts(&month, "2026-11-25".parse().unwrap())
        .await
        .unwrap();
    let of = |b| {
        counts
            .iter()
            .find(|(id, _)| *id == b)
            .map(|(_, c)| {
                (
                    c.tasks_decided,
                    c.tasks_on_time,
                    c.task_reports,
                    c.task_reports_on_time,
                )
            })
            .unwrap()
    };
    assert_eq!(of(water), (2, 1, 1, 1));
    assert_eq!(of(parks), (0, 0, 1, 0));
    assert!(counts.iter().all(|(_, c)| c.cases == 0));

    // Once its day has passed, the third task counts against its lead body.
    let later = store
        .task_counts(&month, "2026-12-02".parse().unwrap())
        .await
        .unwrap();
    let parks_later = later.iter().find(|(id, _)| *id == parks).unwrap().1;
    assert_eq!(
        (parks_later.tasks_decided, parks_later.tasks_on_time),
        (1, 0)
    );
    // The task due in December belongs to December.
    let december = Period::month_of("2026-12-01".parse().unwrap());
    let counts = store
        .task_counts(&december, "2026-12-31".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        counts
            .iter()
            .map(|(b, c)| (*b, c.tasks_decided))
            .collect::<Vec<_>>(),
        [(water, 1)]
    );
}
