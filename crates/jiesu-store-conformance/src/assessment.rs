//! Assessment (考核): the facts the workflow keeps per stint, a month's counts, disputes and
//! weights. Every backend must give the same month's figures for the same events.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use jiesu_app::returns::{ReturnJudgement, judge_return};
use jiesu_app::workflow::act;
use jiesu_domain::assessment::dispute::DisputeStatus;
use jiesu_domain::assessment::facts::{Stint, stints_of_log};
use jiesu_domain::assessment::rates::{Counts, Rate};
use jiesu_domain::assessment::weights::WeightSet;
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::{EventKind, Satisfaction};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::user::Role;
use jiesu_store::{NewDispute, RebuiltFacts, ReplyScore, Store, StoreError};

use super::{body, dispatched_complaint, staff};

/// 2026-11-`day` at `hour`:00 China time.
fn cst(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap() - chrono::Duration::hours(8)
}

async fn step(
    store: &dyn Store,
    id: AppealId,
    kind: EventKind,
    role: Role,
    body: Option<BodyId>,
    when: DateTime<Utc>,
) {
    act(
        store,
        &Timekeeper::default(),
        id,
        kind,
        &staff(role, body),
        when,
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("{id}: {e:?}"));
}

/// Signs, contacts (unless `contact` is false), replies and has the reply approved.
async fn handle(store: &dyn Store, id: AppealId, lead: BodyId, day: u32, contact: bool) {
    let handler = Some(lead);
    step(
        store,
        id,
        EventKind::Sign,
        Role::Handler,
        handler,
        cst(day, 10),
    )
    .await;
    if contact {
        step(
            store,
            id,
            EventKind::Contact {
                note: String::new(),
            },
            Role::Handler,
            handler,
            cst(day, 11),
        )
        .await;
    }
    step(
        store,
        id,
        EventKind::Reply {
            text: "已核实并处理完毕，感谢您的反映。".into(),
        },
        Role::Handler,
        handler,
        cst(day, 15),
    )
    .await;
    step(
        store,
        id,
        EventKind::Review {
            approve: true,
            reason: String::new(),
        },
        Role::Supervisor,
        None,
        cst(day, 16),
    )
    .await;
}

async fn callback(
    store: &dyn Store,
    id: AppealId,
    solved: bool,
    satisfaction: Satisfaction,
    day: u32,
) {
    let kind = EventKind::Callback {
        solved,
        satisfaction,
        note: String::new(),
    };
    step(store, id, kind, Role::Supervisor, None, cst(day, 10)).await;
}

/// A street's November: a case handled well and closed; one signed late and returned; one
/// from the same citizen a week after the first closed (a repeat), unsolved at callback,
/// reminded and supervised; and one dispatched in October, outside the month.
async fn street_november(store: &dyn Store) -> (BodyId, [AppealId; 3]) {
    let street = body(store, "考核街道", None).await;
    let october = dispatched_complaint(
        store,
        street,
        Utc.with_ymd_and_hms(2026, 10, 28, 2, 0, 0).unwrap(),
    )
    .await;
    handle(store, october, street, 28, true).await;

    let good = dispatched_complaint(store, street, cst(2, 9)).await;
    handle(store, good, street, 2, true).await;
    callback(store, good, true, Satisfaction::Satisfied, 3).await;

    let late = dispatched_complaint(store, street, cst(2, 9)).await;
    step(
        store,
        late,
        EventKind::Sign,
        Role::Handler,
        Some(street),
        cst(6, 10),
    )
    .await;
    step(
        store,
        late,
        EventKind::Return {
            reason: "不属于本单位职责".into(),
        },
        Role::Handler,
        Some(street),
        cst(6, 11),
    )
    .await;

    let repeat = dispatched_complaint(store, street, cst(10, 9)).await;
    step(
        store,
        repeat,
        EventKind::Remind {
            note: "请尽快办理".into(),
            auto: None,
        },
        Role::Supervisor,
        None,
        cst(10, 10),
    )
    .await;
    let supervise = EventKind::Supervise {
        note: "请于三日内回复".into(),
        reply_by: chrono::NaiveDate::from_ymd_opt(2026, 11, 13).unwrap(),
    };
    step(
        store,
        repeat,
        supervise,
        Role::Supervisor,
        None,
        cst(10, 11),
    )
    .await;
    handle(store, repeat, street, 11, false).await;
    callback(store, repeat, false, Satisfaction::Dissatisfied, 12).await;
    (street, [good, late, repeat])
}

fn november() -> (DateTime<Utc>, DateTime<Utc>) {
    (
        cst(1, 0),
        Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap(),
    )
}

/// A reply score of `body` given on `when`.
fn reply_score(appeal: AppealId, body: BodyId, overall: f64, when: DateTime<Utc>) -> ReplyScore {
    ReplyScore {
        appeal,
        reply_seq: 5,
        body: Some(body),
        relevance: overall,
        completeness: overall,
        tone: overall,
        timeliness: overall,
        overall,
        gaps: vec![],
        replied_at: when,
        scored_at: when,
        approved: Some(true),
        reviewed_at: Some(when),
    }
}

/// Every figure of the month — each rate's numerator and denominator, the repeat and the
/// reply review included — as exact numbers, so that every backend gives the same month.
pub async fn a_months_assessment_counts_each_stint(store: Arc<dyn Store>) {
    let (street, [good, late, repeat]) = street_november(&*store).await;
    let reject = ReturnJudgement {
        approved: false,
        reason: "属于本单位职责".into(),
        redispatch: None,
    };
    let dispatcher = staff(Role::Dispatcher, None);
    judge_return(
        &*store,
        &Timekeeper::default(),
        late,
        reject,
        &dispatcher,
        cst(6, 12),
        None,
    )
    .await
    .unwrap();
    for (appeal, overall, when) in [
        (good, 0.7, cst(2, 15)),
        (repeat, 0.45, cst(11, 15)),
        (
            late,
            0.1,
            Utc.with_ymd_and_hms(2026, 10, 31, 15, 0, 0).unwrap(),
        ),
    ] {
        let score = reply_score(appeal, street, overall, when);
        store.save_reply_score(&score).await.unwrap();
    }
    let (from, to) = november();
    let counts = store.assessment_counts(from, to).await.unwrap();
    let expected = Counts {
        cases: 3,
        signed_on_time: 2,
        sign_decided: 3,
        contacted_on_time: 2,
        contact_decided: 2,
        replied_on_time: 2,
        reply_decided: 2,
        called_back: 2,
        solved: 1,
        rated: 2,
        satisfied: 1,
        returns: 1,
        invalid_returns: 1,
        closed: 1,
        repeated: 1,
        reminders: 1,
        supervisions: 1,
        reopened: 0,
        overdue: 1,
        reviewed: 2,
        review_points: 1150,
        ..Counts::default()
    };
    assert_eq!(counts, vec![(street, expected)]);
    let values: Vec<Option<f64>> = Rate::all(&expected).iter().map(|r| r.value).collect();
    assert_eq!(
        values,
        [2.0 / 3.0, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 0.575]
            .map(Some)
            .into_iter()
            // No government tasks: their rates have no value.
            .chain([None, None])
            .collect::<Vec<_>>()
    );

    let stints = store.stints(good).await.unwrap();
    assert_eq!(stints.len(), 1);
    assert!(stints[0].repeated && stints[0].closed_at == Some(cst(3, 10)));
    assert_eq!(store.stints(late).await.unwrap()[0].signed, Some(false));

    let costly = store.costly_cases(street, from, to, 10).await.unwrap();
    let ids: Vec<AppealId> = costly.iter().map(|c| c.stint.appeal).collect();
    assert_eq!(
        ids,
        vec![repeat, late, good],
        "newest first, each with a loss"
    );
    assert_eq!(costly[0].stint.losses(), vec!["回访未解决", "不满意"]);
}

pub async fn an_accepted_dispute_takes_the_case_out_of_the_counts(store: Arc<dyn Store>) {
    let (street, [_, _, repeat]) = street_november(&*store).await;
    let (from, to) = november();
    let file = |appeal, body| NewDispute {
        appeal,
        body,
        reason: "回访时市民反映的是另一件事".into(),
        by: None,
        at: cst(13, 9),
    };
    let other = body(&*store, "无关单位", None).await;
    assert!(matches!(
        store.file_dispute(&file(repeat, other)).await,
        Err(StoreError::NotFound(_))
    ));
    let rejected = store.file_dispute(&file(repeat, street)).await.unwrap();
    assert!(matches!(
        store.file_dispute(&file(repeat, street)).await,
        Err(StoreError::Unique { .. })
    ));
    let rejected = store
        .decide_dispute(rejected.id, false, "理由不充分", None, cst(13, 10))
        .await
        .unwrap();
    assert_eq!(rejected.status, DisputeStatus::Rejected);
    assert_eq!(
        store.assessment_counts(from, to).await.unwrap()[0].1.cases,
        3
    );

    let dispute = store.file_dispute(&file(repeat, street)).await.unwrap();
    assert_eq!(
        store
            .disputes(Some(DisputeStatus::Pending), 10)
            .await
            .unwrap(),
        vec![dispute.clone()]
    );
    let accepted = store
        .decide_dispute(dispute.id, true, "", None, cst(14, 10))
        .await
        .unwrap();
    assert_eq!(
        (accepted.status, accepted.decided_at),
        (DisputeStatus::Accepted, Some(cst(14, 10)))
    );
    assert!(matches!(
        store
            .decide_dispute(dispute.id, false, "", None, cst(14, 11))
            .await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        store
            .decide_dispute(9999, true, "", None, cst(14, 11))
            .await,
        Err(StoreError::NotFound(_))
    ));
    let counts = store.assessment_counts(from, to).await.unwrap()[0].1;
    assert_eq!(
        (
            counts.cases,
            counts.called_back,
            counts.solved,
            counts.reminders
        ),
        (2, 1, 1, 0)
    );
    assert!(store.stints(repeat).await.unwrap()[0].excluded);
}

pub async fn weights_are_saved_as_new_versions(store: Arc<dyn Store>) {
    assert_eq!(store.current_weights().await.unwrap(), None);
    let mut set = WeightSet::default();
    let first = store.save_weights(&set, None, cst(1, 9)).await.unwrap();
    set.min_cases = 3;
    let second = store.save_weights(&set, None, cst(2, 9)).await.unwrap();
    assert_eq!((first.version, second.version), (1, 2));
    assert_eq!(store.current_weights().await.unwrap(), Some(second));
}

pub async fn facts_are_rebuilt_for_appeals_without_them(store: Arc<dyn Store>) {
    let (street, [good, ..]) = street_november(&*store).await;
    let plain = super::registered_appeal(&*store, "未派单的诉求", cst(20, 9)).await;
    let without = store.appeals_without_facts(None, 10).await.unwrap();
    assert_eq!(without, vec![(cst(20, 9), plain)]);
    assert!(
        store
            .appeals_without_facts(Some(without[0]), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Rebuilt from the log, a stint equals the one the workflow kept; an appeal that has
    // stints is left as it is.
    let kept = store.stints(good).await.unwrap();
    let events = store.events(good).await.unwrap();
    let rebuilt: Vec<Stint> = stints_of_log(&events)
        .into_iter()
        .map(|s| Stint {
            phone: None,
            place_key: None,
            repeated: true,
            ..s
        })
        .collect();
    assert_eq!(rebuilt, kept);
    let facts = |stints: Vec<Stint>| RebuiltFacts {
        registered_at: cst(20, 9),
        stints,
    };
    assert_eq!(store.restore_facts(&[facts(rebuilt)]).await.unwrap(), 0);

    let mut stint = kept[0].clone();
    stint.appeal = plain;
    stint.dispatched_at = cst(20, 10);
    stint.repeated = false;
    assert_eq!(store.restore_facts(&[facts(vec![stint])]).await.unwrap(), 1);
    assert!(
        store
            .appeals_without_facts(None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let (from, to) = november();
    let counts = store.assessment_counts(from, to).await.unwrap();
    assert_eq!((counts[0].0, counts[0].1.cases), (street, 4));
}
