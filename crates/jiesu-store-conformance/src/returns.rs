//! Returns judged by the dispatcher (退单审核): an approved return and its re-dispatch are
//! one write — both events and both stints, or nothing.

use std::sync::Arc;

use jiesu_app::returns::{Redispatch, ReturnJudgement, judge_return};
use jiesu_app::workflow::{act, prepare};
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::EventKind;
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::user::Role;
use jiesu_store::{Store, StoreError};

use super::{at, body, dispatched_complaint, staff};

/// An appeal dispatched to `lead` and returned by it.
async fn returned(store: &dyn Store, lead: BodyId) -> AppealId {
    let id = dispatched_complaint(store, lead, at(2, 9)).await;
    let kind = EventKind::Return {
        reason: "不属于本单位职责".into(),
    };
    act(
        store,
        &Timekeeper::default(),
        id,
        kind,
        &staff(Role::Handler, Some(lead)),
        at(2, 11),
        None,
    )
    .await
    .unwrap();
    id
}

fn approve(to: BodyId) -> ReturnJudgement {
    ReturnJudgement {
        approved: true,
        reason: "确属职责外".into(),
        redispatch: Some(Redispatch {
            lead: to,
            co: vec![],
            note: String::new(),
            category: None,
        }),
    }
}

pub async fn a_judged_return_and_its_redispatch_are_written_together(store: Arc<dyn Store>) {
    let (first, second) = (
        body(&*store, "退单街道", None).await,
        body(&*store, "改派街道", None).await,
    );
    let tk = Timekeeper::default();
    let dispatcher = staff(Role::Dispatcher, None);

    // The second write fails (its appeal is not the one the first leaves): nothing is written.
    let id = returned(&*store, first).await;
    let (appeal, mut log) = (
        store.appeal(id).await.unwrap(),
        store.events(id).await.unwrap(),
    );
    let stints = store.stints(id).await.unwrap();
    let judge = EventKind::JudgeReturn {
        approved: true,
        reason: "确属职责外".into(),
    };
    let judged = prepare(&tk, appeal.clone(), &log, judge, &dispatcher, at(2, 12)).unwrap();
    log.push(judged.event().clone());
    let dispatch = approve(second).redispatch.unwrap().into_event();
    let on_stale = prepare(&tk, appeal.clone(), &log, dispatch, &dispatcher, at(2, 12)).unwrap();
    assert!(matches!(
        store.record_chain(&[judged, on_stale]).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(store.appeal(id).await.unwrap().version, appeal.version);
    assert_eq!(store.events(id).await.unwrap().len(), log.len() - 1);
    assert_eq!(store.stints(id).await.unwrap(), stints, "facts untouched");

    // Through the application: both events, the new stint, the return not held against the
    // body that made it.
    let (after, event) = judge_return(
        &*store,
        &tk,
        id,
        approve(second),
        &dispatcher,
        at(2, 12),
        None,
    )
    .await
    .unwrap();
    assert_eq!(after.lead_body, Some(second));
    let events = store.events(id).await.unwrap();
    let names: Vec<&str> = events.iter().rev().take(2).map(|e| e.kind.name()).collect();
    assert_eq!(names, ["dispatch", "judge_return"]);
    assert_eq!(event.seq, events.len() as i64);
    let stints = store.stints(id).await.unwrap();
    assert_eq!(
        stints
            .iter()
            .map(|s| (s.body, s.returned, s.return_invalid))
            .collect::<Vec<_>>(),
        vec![(first, true, false), (second, false, false)]
    );

    // Rejected: back to the same body, counted as an invalid return.
    let other = returned(&*store, first).await;
    let reject = ReturnJudgement {
        approved: false,
        reason: "属于本单位职责".into(),
        redispatch: None,
    };
    judge_return(&*store, &tk, other, reject, &dispatcher, at(2, 13), None)
        .await
        .unwrap();
    let stints = store.stints(other).await.unwrap();
    assert_eq!(
        stints
            .iter()
            .map(|s| (s.body, s.return_invalid))
            .collect::<Vec<_>>(),
        vec![(first, true)]
    );
}
