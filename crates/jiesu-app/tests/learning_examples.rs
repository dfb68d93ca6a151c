//! The learning examples kept in memory ([`LearningExamples`]) over a SQLite store: a
//! dispatch committed late (its time before the newest one read) is still counted, one
//! from a server whose clock is ahead hides none recorded after it, and looking again
//! counts nothing twice.

use chrono::{DateTime, Duration, Utc};
use jiesu_app::dispatch::{Advance, ExampleSource, LearningExamples};
use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place, SuggestedDispatch};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::Actor;
use jiesu_store::{ImportedAppeal, Store};
use jiesu_store_sqlite::SqliteStore;

/// Stores an appeal smart dispatch put under 城乡建设 that a dispatcher sent to `body` under
/// 交通运输 (a correction) at `at`.
async fn corrected(store: &dyn Store, body: BodyId, at: DateTime<Utc>) {
    let draft = AppealDraft {
        channel: Channel::Hotline,
        appeal_type: AppealType::Complaint,
        title: "公交站台破损".into(),
        text: "站台顶棚破了，下雨没处躲".into(),
        citizen: Citizen::default(),
        place: Place::default(),
        category: None,
        urgency: Urgency::Normal,
        suggested: Some(SuggestedDispatch {
            category: Some("城乡建设".into()),
            body: Some(body),
            confidence: 0.9,
            model_version: Some(1),
        }),
    };
    let registered_at = at - Duration::minutes(1);
    let mut appeal = registered(
        AppealId(0),
        AppealNumber(String::new()),
        draft.clone(),
        registered_at,
    );
    let event = |seq, kind, at| Event {
        appeal: AppealId(0),
        seq,
        kind,
        actor: Actor::system(),
        at,
        prev_hash: String::new(),
        hash: String::new(),
    };
    let dispatch = event(
        2,
        EventKind::Dispatch {
            lead: body,
            co: vec![],
            note: String::new(),
            category: Some(CategoryPath::new(vec!["交通运输".into()]).unwrap()),
            auto: None,
        },
        at,
    );
    appeal.apply(&dispatch);
    let register = event(
        1,
        EventKind::Register {
            draft: Box::new(draft),
        },
        registered_at,
    );
    store
        .import_appeals(&[ImportedAppeal {
            appeal,
            events: vec![register, dispatch],
            query_code: "000000".into(),
        }])
        .await
        .unwrap();
}

fn corrections(examples: &LearningExamples) -> usize {
    examples
        .examples()
        .filter(|e| e.source == ExampleSource::Correction)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_and_early_dispatches_are_each_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let sqlite = SqliteStore::open(&url).await.unwrap();
    let store: &dyn Store = &sqlite;
    let body = store
        .create_body(&NewBody {
            name: "市交通运输局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap()
        .id;
    let one = Advance {
        events: 1,
        appeals: 1,
    };
    let now = Utc::now();
    let mut examples = LearningExamples::default();
    corrected(store, body, now - Duration::minutes(10)).await;
    assert_eq!(examples.advance(store).await.unwrap(), one);

    // Its time taken a minute before the newest dispatch read, committed after it.
    corrected(store, body, now - Duration::minutes(11)).await;
    assert_eq!(examples.advance(store).await.unwrap(), one);
    assert_eq!(corrections(&examples), 2);

    // From a server whose clock is ten minutes ahead, then one of now.
    corrected(store, body, now + Duration::minutes(10)).await;
    assert_eq!(examples.advance(store).await.unwrap(), one);
    corrected(store, body, now).await;
    assert_eq!(examples.advance(store).await.unwrap(), one);
    assert_eq!(corrections(&examples), 4);

    // Nothing new: nothing read, nothing counted twice, nothing to learn again.
    let revision = examples.revision();
    assert_eq!(revision, 4, "one revision per advance that read something");
    assert_eq!(examples.advance(store).await.unwrap(), Advance::default());
    assert_eq!(corrections(&examples), 4);
    assert_eq!(examples.revision(), revision);
    assert_eq!(
        examples.count_by_source()[0],
        (ExampleSource::Correction, 4)
    );
}
