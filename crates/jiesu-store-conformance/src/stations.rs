//! Liaison stations (联络站) and meetings: a station reads back as written and keeps its name
//! unique; a reception links the appeals raised at it, which a period or the reception finds
//! again with the station's judgement; a meeting keeps its issues in order, each with its
//! task and the answer given back.

use std::sync::Arc;

use chrono::NaiveDate;
use jiesu_domain::ids::AppealId;
use jiesu_domain::station::{
    IssueDraft, MeetingDraft, MeetingKind, ReceptionDraft, StationDraft, Triage,
};
use jiesu_domain::task::{Cadence, TaskDraft};
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::{Page, Store, StoreError};

use super::{at, registration};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub async fn stations_receptions_and_meetings_read_back(store: Arc<dyn Store>) {
    let rep = store
        .create_user(
            &NewUser {
                username: "rep".into(),
                display_name: "青禾代表".into(),
                role: Role::Representative,
                body: None,
            },
            "x",
        )
        .await
        .unwrap();
    let mut station = StationDraft {
        name: "青禾社区联络站".into(),
        address: "青禾路1号".into(),
        district: "示范区".into(),
        street: "青禾街道".into(),
        representatives: vec![rep.id],
        opening_days: vec![1, 3],
    };
    let id = store.create_station(&station, at(1, 9)).await.unwrap();
    assert_eq!(store.station(id).await.unwrap().draft, station);
    let other = StationDraft {
        name: "河畔联络站".into(),
        ..station.clone()
    };
    let other_id = store.create_station(&other, at(1, 9)).await.unwrap();
    assert!(matches!(
        store.create_station(&station, at(1, 9)).await,
        Err(StoreError::Unique { .. })
    ));
    station.opening_days = vec![5];
    store.update_station(id, &station).await.unwrap();
    assert_eq!(store.station(id).await.unwrap().draft.opening_days, [5]);
    assert!(matches!(
        store.update_station(id + 100, &station).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.station(id + 100).await,
        Err(StoreError::NotFound(_))
    ));
    let names: Vec<String> = store
        .stations()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.draft.name)
        .collect();
    assert_eq!(names.len(), 2);

    let mut appeals = Vec::new();
    for title in ["路灯不亮", "井盖缺失"] {
        let registered = store
            .register(registration(title, None, at(2, 10)))
            .await
            .unwrap();
        appeals.push(registered.appeal.id);
    }
    let reception = |held_on: &str, station: i64| ReceptionDraft {
        station,
        held_on: day(held_on),
        received_by: rep.id,
        note: "例行接待".into(),
    };
    let first = store
        .create_reception(&reception("2026-11-02", id), &appeals[..2], at(2, 11))
        .await
        .unwrap();
    // A refused intake leaves nothing: no reception, no appeal.
    let before = store.receptions(id, Page::default()).await.unwrap().len();
    assert!(
        store
            .record_reception(
                &reception("2026-11-19", id),
                &[
                    registration("占道经营", None, at(19, 11)),
                    registration("违规停车", Some("k"), at(19, 11)),
                ],
                at(19, 11),
            )
            .await
            .is_err()
    );
    assert_eq!(
        store.receptions(id, Page::default()).await.unwrap().len(),
        before
    );
    let (second, registered) = store
        .record_reception(
            &reception("2026-11-20", id),
            &[registration("噪音扰民", None, at(20, 11))],
            at(20, 11),
        )
        .await
        .unwrap();
    assert_eq!(registered.len(), 1);
    assert!(registered[0].created);
    assert_eq!(
        store.appeal(registered[0].appeal.id).await.unwrap().title,
        "噪音扰民"
    );
    appeals.push(registered[0].appeal.id);
    store
        .create_reception(&reception("2026-11-21", other_id), &[], at(21, 11))
        .await
        .unwrap();
    assert_eq!(
        store.reception(first).await.unwrap().draft,
        reception("2026-11-02", id)
    );
    let listed = store.receptions(id, Page::default()).await.unwrap();
    assert_eq!(
        listed.iter().map(|r| r.id).collect::<Vec<_>>(),
        [second, first],
        "newest first, the station's own"
    );

    let all = store.station_items(id, None, None).await.unwrap();
    assert_eq!(all.len(), 3);
    let early = store
        .station_items(id, None, Some((day("2026-11-01"), day("2026-11-10"))))
        .await
        .unwrap();
    assert_eq!(
        early.iter().map(|i| i.appeal).collect::<Vec<_>>(),
        appeals[..2]
    );
    let of_second = store.station_items(id, Some(second), None).await.unwrap();
    assert_eq!(of_second.len(), 1);
    assert_eq!(of_second[0].triage, None);

    let task = store
        .create_task_drafts(
            &[TaskDraft {
                document: "青禾社区联络站接待交办".into(),
                number: "1".into(),
                section: String::new(),
                title: "噪音扰民".into(),
                text: String::new(),
                lead_bodies: vec!["示范区生态环境局".into()],
                co_bodies: vec![],
                due: None,
                cadence: Cadence::None,
            }],
            at(21, 9),
        )
        .await
        .unwrap()[0];
    store
        .triage_item(appeals[2], Triage::Task, "夜间施工", Some(task), at(21, 9))
        .await
        .unwrap();
    let judged = store.station_items(id, Some(second), None).await.unwrap();
    assert_eq!(judged[0].triage, Some(Triage::Task));
    assert_eq!(judged[0].triage_note, "夜间施工");
    assert_eq!(judged[0].task, Some(task));
    assert!(matches!(
        store
            .triage_item(AppealId(999_999), Triage::Dispatch, "", None, at(21, 9))
            .await,
        Err(StoreError::NotFound(_))
    ));

    let meeting = MeetingDraft {
        kind: MeetingKind::Monthly,
        held_on: day("2026-11-28"),
        title: "十一月月调度".into(),
        participants: vec!["甲".into(), "乙".into()],
        minutes: "听取进展。".into(),
        issues: vec![
            IssueDraft {
                text: "青禾路修缮".into(),
                raised_by: "甲".into(),
                lead_body: "示范区住建局".into(),
            },
            IssueDraft {
                text: "河畔公园照明".into(),
                raised_by: String::new(),
                lead_body: "示范区城管局".into(),
            },
        ],
    };
    let m = store
        .create_meeting(&meeting, &[Some(task), None], at(28, 15))
        .await
        .unwrap();
    let stored = store.meeting(m).await.unwrap();
    assert_eq!(stored.draft, meeting);
    assert_eq!(stored.issues[0].task, Some(task));
    assert_eq!(stored.issues[1].task, None);
    assert_eq!(stored.issues[1].feedback, "");
    let issue = stored.issues[1].id;
    store
        .give_issue_feedback(m, issue, "已安排检修", at(29, 9))
        .await
        .unwrap();
    assert!(matches!(
        store
            .give_issue_feedback(m + 1, issue, "x", at(29, 9))
            .await,
        Err(StoreError::NotFound(_))
    ));
    let later = MeetingDraft {
        held_on: day("2026-12-05"),
        title: "年对接".into(),
        kind: MeetingKind::Yearly,
        ..meeting.clone()
    };
    let m2 = store.create_meeting(&later, &[], at(30, 9)).await.unwrap();
    store
        .link_issue_tasks(m2, &[None, Some(task)])
        .await
        .unwrap();
    let linked = store.meeting(m2).await.unwrap();
    assert_eq!(linked.issues[0].task, None);
    assert_eq!(linked.issues[1].task, Some(task));
    assert!(matches!(
        store
            .link_issue_tasks(m2, &[Some(task), None, Some(task)])
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.meeting(m2).await.unwrap().issues[0].task,
        None,
        "a failed link changes nothing"
    );
    let listed = store.meetings(Page::default()).await.unwrap();
    assert_eq!(listed.iter().map(|m| m.id).collect::<Vec<_>>(), [m2, m]);
    assert_eq!(listed[1].issues[1].feedback, "已安排检修");
    assert_eq!(listed[1].issues[1].feedback_at, Some(at(29, 9)));
    assert!(matches!(
        store.meeting(m2 + 10).await,
        Err(StoreError::NotFound(_))
    ));
}
