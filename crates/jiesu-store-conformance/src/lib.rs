//! The conformance suite (一致性测试): the behaviour every storage backend must show, kept
//! out of the production library. A backend's tests call
//! [`conformance_suite!`](crate::conformance_suite) with an async function that
//! returns a fresh, migrated, empty store; one `#[tokio::test]` is generated per case.

use chrono::{Duration, TimeZone, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft, Citizen, Place};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::category::{CategoryPath, Taxonomy};
use jiesu_domain::event::{Event, EventKind, verify_chain};
use jiesu_domain::ids::{AppealId, BodyId, UserId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::replay;
use jiesu_domain::status::Status;
use jiesu_domain::user::{Actor, NewUser, Role};
use std::sync::Arc;

use jiesu_app::AppError;
use jiesu_app::workflow::act;

mod attachments;
mod campaigns;
mod citizen_messages;
mod events_by_action;
mod idempotency;
mod replies;
mod returns;
pub use attachments::*;
pub use campaigns::*;
pub use citizen_messages::*;
pub use events_by_action::*;
mod assessment;
mod points;
mod stations;
mod task_assessment;
mod task_follow;
mod task_reminders;
mod tasks;
pub use assessment::*;
pub use idempotency::*;
use jiesu_domain::deadline::Timekeeper;
use jiesu_store::{
    AppealFilter, AppealOrder, IdempotencyKey, ImportedAppeal, Page, Registration, Store,
    StoreError,
};
pub use points::*;
pub use replies::*;
pub use returns::*;
pub use stations::*;
pub use task_assessment::*;
pub use task_follow::*;
pub use task_reminders::*;
pub use tasks::*;

/// Generates one test per conformance case for a backend.
#[macro_export]
macro_rules! conformance_suite {
    ($fresh:path) => {
        $crate::conformance_suite!(@cases $fresh;
            numbers_are_unique_under_concurrent_intake,
            an_idempotency_key_replays_for_its_caller_and_request_only,
            idempotency_keys_expire,
            events_record_state_and_replay_to_it,
            concurrent_actions_exactly_one_wins,
            stale_version_is_a_conflict,
            list_filters_and_pages,
            lists_sort_by_age_deadline_and_urgency,
            a_long_list_counts_up_to_the_cap,
            bodies_users_and_sessions,
            settings_round_trip,
            imported_appeals_read_back,
            missing_things_are_not_found,
            scanner_reminds_once_then_escalates,
            events_are_found_by_action_and_time,
            scanner_reprojects_when_the_rules_change,
            notices_reach_inboxes_and_the_webhook_queue,
            model_versions_activate_one_at_a_time,
            a_batch_of_intakes_commits_together,
            knowledge_articles_are_found_and_updated,
            followers_are_found_and_recorded_all_or_none,
            a_leads_answer_reaches_its_followers,
            an_answer_on_the_spot_is_recorded_with_its_intake,
            every_settings_change_moves_the_stamp,
            stations_receptions_and_meetings_read_back,
            citizen_messages_are_sent_once_retried_and_given_up,
            citizen_messages_go_once_per_channel,
            a_months_assessment_counts_each_stint,
            an_accepted_dispute_takes_the_case_out_of_the_counts,
            attachments_are_recorded_with_their_owner,
            reply_scores_keep_the_decision_and_average_by_body,
            tasks_are_drafted_then_published,
            drafts_are_edited_or_discarded_until_published,
            points_are_saved_filtered_and_named_by_appeals,
            weights_are_saved_as_new_versions,
            a_live_task_is_followed_to_its_end,
            task_rates_count_each_lead_body,
            urges_and_alerts_reach_the_lead_body,
            a_judged_return_and_its_redispatch_are_written_together,
            facts_are_rebuilt_for_appeals_without_them,
            campaigns_proposals_support_and_groups_read_back,
            a_corrected_answer_replaces_the_old_and_changes_its_task,
        );
    };
    (@cases $fresh:path; $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store = $fresh().await;
                $crate::$case(std::sync::Arc::new(store)).await;
            }
        )+
    };
}

fn at(day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn draft(title: &str, channel: Channel) -> AppealDraft {
    AppealDraft {
        channel,
        appeal_type: AppealType::Complaint,
        title: title.into(),
        text: format!("{title}，请相关部门尽快处理。"),
        citizen: Citizen {
            name: Some("李女士".into()),
            phone: Some("13900002222".into()),
            ..Citizen::default()
        },
        place: Place {
            address: "示例区滨河街道".into(),
            district: Some("示例区".into()),
            ..Place::default()
        },
        category: Some(CategoryPath::parse("城乡建设/市政设施").unwrap()),
        urgency: Urgency::Normal,
        suggested: None,
    }
}

/// An intake of `title` at `when`, with `key` used by one staff user (the request's hash
/// stands for its title).
fn registration(title: &str, key: Option<&str>, when: chrono::DateTime<Utc>) -> Registration {
    Registration {
        draft: draft(title, Channel::Hotline),
        query_code: "h".into(),
        idempotency_key: key.map(|key| IdempotencyKey {
            caller: "user:1".into(),
            key: key.into(),
            request_hash: title.into(),
            used_at: when,
        }),
        actor: Actor::citizen(),
        at: when,
        deadline: None,
        answered: None,
        attachments: Vec::new(),
        point: None,
    }
}

fn staff(role: Role, body: Option<BodyId>) -> Actor {
    Actor {
        user: None,
        name: role.label().into(),
        role: Some(role),
        body,
        system: false,
    }
}

async fn body(store: &dyn Store, name: &str, parent: Option<BodyId>) -> BodyId {
    store
        .create_body(&NewBody {
            name: name.into(),
            kind: BodyKind::District,
            parent,
            areas: vec![format!("{name}辖区")],
        })
        .await
        .unwrap()
        .id
}

pub async fn numbers_are_unique_under_concurrent_intake(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for i in 0..24 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .register(registration(&format!("路灯不亮{i}"), None, at(3, 10)))
                .await
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap().appeal.number.0);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 24, "every intake gets its own number");
    assert!(
        numbers.iter().all(|n| n.starts_with("20261103")),
        "{numbers:?}"
    );
    assert!(numbers.contains(&"2026110300001".to_string()));
    assert!(numbers.contains(&"2026110300024".to_string()));
}

pub async fn events_record_state_and_replay_to_it(store: Arc<dyn Store>) {
    let lead = body(&*store, "示例区", None).await;
    let id = store
        .register(registration("道路破损", None, at(4, 9)))
        .await
        .unwrap()
        .appeal
        .id;
    let steps = [
        (
            EventKind::Dispatch {
                lead,
                co: vec![],
                note: "请核实".into(),
                category: None,
                auto: None,
            },
            staff(Role::Dispatcher, None),
        ),
        (EventKind::Sign, staff(Role::Handler, Some(lead))),
        (
            EventKind::Reply {
                text: "已修补路面".into(),
            },
            staff(Role::Handler, Some(lead)),
        ),
    ];
    for (i, (kind, who)) in steps.into_iter().enumerate() {
        act(
            &*store,
            &Timekeeper::default(),
            id,
            kind,
            &who,
            at(4, 10 + i as u32),
            None,
        )
        .await
        .unwrap();
    }
    let appeal = store.appeal(id).await.unwrap();
    assert_eq!(appeal.status, Status::Replied);
    assert_eq!(appeal.version, 4);
    let events = store.events(id).await.unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(verify_chain(&events), Ok(()));
    let mut rebuilt = replay(id, appeal.number.clone(), &events).unwrap();
    rebuilt.deadline = Timekeeper::default().deadline(&rebuilt, &events);
    assert_eq!(
        rebuilt, appeal,
        "the stored state is the fold of the events"
    );
    assert!(
        appeal.deadline.is_some(),
        "a replied appeal waits for its callback within the limit"
    );
    let mine = store
        .list_appeals(
            &AppealFilter {
                bodies: Some(vec![lead]),
                ..AppealFilter::default()
            },
            Page::default(),
        )
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
}

pub async fn concurrent_actions_exactly_one_wins(store: Arc<dyn Store>) {
    let id = store
        .register(registration("停水三天", None, at(5, 9)))
        .await
        .unwrap()
        .appeal
        .id;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let lead = body(&*store, &format!("单位{i}"), None).await;
            let kind = EventKind::Dispatch {
                lead,
                co: vec![],
                note: String::new(),
                category: None,
                auto: None,
            };
            act(
                &*store,
                &Timekeeper::default(),
                id,
                kind,
                &staff(Role::Dispatcher, None),
                at(5, 10),
                Some(1),
            )
            .await
        }));
    }
    let mut wins = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => wins += 1,
            Err(AppError::Store(StoreError::Stale) | AppError::Changed) => {}
            Err(AppError::Domain(_)) => {} // lost the race and saw the new state
            Err(e) => panic!("unexpected error {e:?}"),
        }
    }
    assert_eq!(wins, 1, "exactly one dispatch wins");
    assert_eq!(store.events(id).await.unwrap().len(), 2);
}

pub async fn stale_version_is_a_conflict(store: Arc<dyn Store>) {
    let id = store
        .register(registration("油烟扰民", None, at(5, 9)))
        .await
        .unwrap()
        .appeal
        .id;
    let comment = EventKind::Comment {
        text: "已联系".into(),
    };
    act(
        &*store,
        &Timekeeper::default(),
        id,
        comment.clone(),
        &staff(Role::Operator, None),
        at(5, 10),
        Some(1),
    )
    .await
    .unwrap();
    let err = act(
        &*store,
        &Timekeeper::default(),
        id,
        comment,
        &staff(Role::Operator, None),
        at(5, 11),
        Some(1),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Changed), "{err:?}");
}

pub async fn list_filters_and_pages(store: Arc<dyn Store>) {
    for i in 0..30 {
        let mut r = registration(
            if i % 3 == 0 {
                "夜间施工噪音"
            } else {
                "垃圾清运不及时"
            },
            None,
            at(6, 8) + Duration::minutes(i),
        );
        if i % 2 == 0 {
            r.draft.channel = Channel::Website;
        }
        store.register(r).await.unwrap();
    }
    let all = store
        .list_appeals(&AppealFilter::default(), Page::new(0, 7))
        .await
        .unwrap();
    assert_eq!((all.total, all.items.len()), (30, 7));
    assert!(
        all.items[0].created_at >= all.items[1].created_at,
        "newest first"
    );
    let last = store
        .list_appeals(&AppealFilter::default(), Page::new(28, 7))
        .await
        .unwrap();
    assert_eq!(last.items.len(), 2);
    let noise = AppealFilter {
        words: Some("施工 噪音".into()),
        ..AppealFilter::default()
    };
    assert_eq!(
        store
            .list_appeals(&noise, Page::default())
            .await
            .unwrap()
            .total,
        10
    );
    let web = AppealFilter {
        channel: Some(Channel::Website),
        ..AppealFilter::default()
    };
    assert_eq!(
        store
            .list_appeals(&web, Page::default())
            .await
            .unwrap()
            .total,
        15
    );
    let open = AppealFilter {
        statuses: vec![Status::Registered],
        ..AppealFilter::default()
    };
    assert_eq!(
        store
            .list_appeals(&open, Page::default())
            .await
            .unwrap()
            .total,
        30
    );
    let closed = AppealFilter {
        statuses: vec![Status::Closed],
        ..AppealFilter::default()
    };
    assert_eq!(
        store
            .list_appeals(&closed, Page::default())
            .await
            .unwrap()
            .total,
        0
    );
    let window = AppealFilter {
        from: Some(at(6, 8) + Duration::minutes(10)),
        to: Some(at(6, 8) + Duration::minutes(20)),
        ..AppealFilter::default()
    };
    assert_eq!(
        store
            .list_appeals(&window, Page::default())
            .await
            .unwrap()
            .total,
        10
    );
    let counts = store
        .count_by_status(&AppealFilter::default())
        .await
        .unwrap();
    assert_eq!(counts, vec![(Status::Registered, 30)]);
}

pub async fn lists_sort_by_age_deadline_and_urgency(store: Arc<dyn Store>) {
    let tk = Timekeeper::default();
    let mut ids = Vec::new();
    for (i, urgency) in [
        Urgency::Normal,
        Urgency::Critical,
        Urgency::Normal,
        Urgency::Urgent,
    ]
    .into_iter()
    .enumerate()
    {
        let when = at(6, 8) + Duration::hours(i as i64);
        let mut r = registration(&format!("诉求{i}"), None, when);
        r.draft.urgency = urgency;
        // A reconsideration's clock runs from intake; the third has no running deadline.
        if i != 2 {
            r.draft.appeal_type = AppealType::Reconsideration;
            r.deadline = tk.at_intake(&r.draft, &r.actor, when);
            assert!(r.deadline.is_some());
        }
        ids.push(store.register(r).await.unwrap().appeal.id);
    }
    let ids = &ids;
    let listed = |order| {
        let store = store.clone();
        async move {
            let filter = AppealFilter {
                order,
                ..AppealFilter::default()
            };
            let page = store.list_appeals(&filter, Page::new(0, 3)).await.unwrap();
            let rest = store.list_appeals(&filter, Page::new(3, 3)).await.unwrap();
            assert_eq!(page.total, 4);
            page.items
                .iter()
                .chain(&rest.items)
                .map(|a| ids.iter().position(|id| *id == a.id).unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(AppealOrder::Newest).await, [3, 2, 1, 0]);
    assert_eq!(listed(AppealOrder::Oldest).await, [0, 1, 2, 3]);
    assert_eq!(
        listed(AppealOrder::Deadline).await.last(),
        Some(&2),
        "no deadline last"
    );
    assert_eq!(listed(AppealOrder::Urgency).await, [1, 3, 0, 2]);
}

pub async fn bodies_users_and_sessions(store: Arc<dyn Store>) {
    let city = body(&*store, "示例市", None).await;
    let district = body(&*store, "示例区政府", Some(city)).await;
    let bodies = store.bodies().await.unwrap();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[1].parent, Some(city));
    assert_eq!(bodies[1].areas, vec!["示例区政府辖区".to_string()]);
    let dup = store
        .create_body(&NewBody {
            name: "示例市".into(),
            kind: BodyKind::City,
            parent: None,
            areas: vec![],
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Unique { .. })), "{dup:?}");
    let user = NewUser {
        username: "handler1".into(),
        display_name: "王承办".into(),
        role: Role::Handler,
        body: Some(district),
    };
    let created = store.create_user(&user, "hash").await.unwrap();
    assert!(matches!(
        store.create_user(&user, "hash").await,
        Err(StoreError::Unique { .. })
    ));
    let found = store.credentials("handler1").await.unwrap();
    assert_eq!(
        (found.user.clone(), found.password_hash.as_str()),
        (created.clone(), "hash")
    );
    store
        .create_session("tok", created.id, at(10, 0))
        .await
        .unwrap();
    assert_eq!(store.session_user("tok", at(9, 0)).await.unwrap(), created);
    assert!(matches!(
        store.session_user("tok", at(11, 0)).await,
        Err(StoreError::NotFound(_))
    ));
    store.delete_session("tok").await.unwrap();
    let token = store
        .create_api_token(created.id, "工单系统", "read", "api-hash", at(9, 0))
        .await
        .unwrap();
    assert_eq!(
        store.token_user("api-hash").await.unwrap(),
        (created.clone(), "read".to_string())
    );
    assert!(
        matches!(
            store
                .revoke_api_token(UserId(999), token.id, at(9, 1))
                .await,
            Err(StoreError::NotFound(_))
        ),
        "only its owner revokes it"
    );
    store
        .revoke_api_token(created.id, token.id, at(9, 1))
        .await
        .unwrap();
    assert!(
        store.token_user("api-hash").await.is_err(),
        "a revoked token no longer works"
    );
    assert_eq!(
        store.api_tokens(created.id).await.unwrap()[0].revoked_at,
        Some(at(9, 1))
    );
    assert!(store.session_user("tok", at(9, 0)).await.is_err());
    assert_eq!(store.users().await.unwrap(), vec![created]);
}

pub async fn settings_round_trip(store: Arc<dyn Store>) {
    assert_eq!(store.setting("taxonomy").await.unwrap(), None);
    let t = serde_json::to_string(&Taxonomy::default_tree()).unwrap();
    store.put_setting("taxonomy", "old").await.unwrap();
    store.put_setting("taxonomy", &t).await.unwrap();
    assert_eq!(store.setting("taxonomy").await.unwrap(), Some(t));
    store
        .put_setting("calendar:2027", "year 2027")
        .await
        .unwrap();
    store
        .put_setting("calendar:2026", "year 2026")
        .await
        .unwrap();
    store.put_setting("calendarx", "no").await.unwrap();
    let years = store.settings_with_prefix("calendar:").await.unwrap();
    assert_eq!(
        years,
        vec![
            ("calendar:2026".into(), "year 2026".into()),
            ("calendar:2027".into(), "year 2027".into())
        ]
    );
}

/// The first event of an imported appeal: the citizen's registration of `d` at `when`.
fn register_event(d: &AppealDraft, when: chrono::DateTime<Utc>) -> Event {
    Event::new(
        AppealId(0),
        1,
        EventKind::Register {
            draft: Box::new(d.clone()),
        },
        Actor::citizen(),
        when,
        "",
    )
}

/// A list longer than the count cap says "at least the cap"; a page past the cap is
/// counted to its end.
pub async fn a_long_list_counts_up_to_the_cap(store: Arc<dyn Store>) {
    use jiesu_store::filter::COUNT_CAP;
    let beyond = 5;
    let batch: Vec<ImportedAppeal> = (0..COUNT_CAP + beyond)
        .map(|i| {
            let when = at(8, 9) + Duration::seconds(i);
            let d = draft("路面破损", Channel::Hotline);
            let register = register_event(&d, when);
            let number = jiesu_domain::appeal::AppealNumber(format!("20261108{:05}", i + 1));
            ImportedAppeal {
                appeal: jiesu_domain::lifecycle::registered(AppealId(0), number, d, when),
                events: vec![register],
                query_code: "q".into(),
            }
        })
        .collect();
    store.import_appeals(&batch).await.unwrap();
    let all = AppealFilter::default();
    let first = store.list_appeals(&all, Page::new(0, 20)).await.unwrap();
    assert_eq!((first.total, first.exact), (COUNT_CAP, false));
    assert_eq!(first.items.len(), 20);
    let past = store
        .list_appeals(&all, Page::new(COUNT_CAP, 20))
        .await
        .unwrap();
    assert_eq!((past.total, past.exact), (COUNT_CAP + beyond, true));
    assert_eq!(past.items.len(), beyond as usize);
    let far = store
        .list_appeals(&all, Page::new(i64::MAX, 20))
        .await
        .unwrap();
    assert_eq!(
        (far.total, far.exact, far.items.len()),
        (COUNT_CAP + beyond, true, 0)
    );
}

pub async fn imported_appeals_read_back(store: Arc<dyn Store>) {
    let lead = body(&*store, "示例街道", None).await;
    let when = at(7, 9);
    let d = draft("井盖缺失", Channel::Letter);
    let register = register_event(&d, when);
    let dispatch = Event::new(
        AppealId(0),
        2,
        EventKind::Dispatch {
            lead,
            co: vec![],
            note: String::new(),
            category: None,
            auto: None,
        },
        staff(Role::Dispatcher, None),
        when + Duration::hours(1),
        "",
    );
    let mut appeal = jiesu_domain::lifecycle::registered(
        AppealId(0),
        jiesu_domain::appeal::AppealNumber("2026110799001".into()),
        d,
        when,
    );
    appeal.apply(&dispatch);
    let ids = store
        .import_appeals(&[ImportedAppeal {
            appeal,
            events: vec![register, dispatch],
            query_code: "q".into(),
        }])
        .await
        .unwrap();
    let stored = store.appeal(ids[0]).await.unwrap();
    assert_eq!(stored.status, Status::Dispatched);
    assert_eq!(stored.id, ids[0]);
    let events = store.events(ids[0]).await.unwrap();
    assert_eq!(verify_chain(&events), Ok(()));
    let (by_number, code) = store.appeal_by_number("2026110799001").await.unwrap();
    assert_eq!((by_number.id, code.as_str()), (ids[0], "q"));
    // The next intake gets a fresh id.
    let next = store
        .register(registration("路灯不亮", None, at(7, 10)))
        .await
        .unwrap();
    assert_ne!(next.appeal.id, ids[0]);
}

pub async fn missing_things_are_not_found(store: Arc<dyn Store>) {
    assert!(matches!(
        store.appeal(AppealId(424242)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.appeal_by_number("nope").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.credentials("nobody").await,
        Err(StoreError::NotFound(_))
    ));
    let err = act(
        &*store,
        &Timekeeper::default(),
        AppealId(5),
        EventKind::Sign,
        &staff(Role::Handler, None),
        at(8, 9),
        None,
    )
    .await;
    assert!(matches!(err, Err(AppError::Store(StoreError::NotFound(_)))));
    let orphan = store
        .create_body(&NewBody {
            name: "孤立单位".into(),
            kind: BodyKind::Street,
            parent: Some(BodyId(999)),
            areas: vec![],
        })
        .await;
    assert!(orphan.is_err(), "a parent must exist");
}

async fn dispatched_complaint(
    store: &dyn Store,
    lead: BodyId,
    when: chrono::DateTime<Utc>,
) -> AppealId {
    let tk = Timekeeper::default();
    let id = store
        .register(registration("夜间施工噪音", None, when))
        .await
        .unwrap()
        .appeal
        .id;
    let dispatch = EventKind::Dispatch {
        lead,
        co: vec![],
        note: String::new(),
        category: None,
        auto: None,
    };
    act(
        store,
        &tk,
        id,
        dispatch,
        &staff(Role::Dispatcher, None),
        when,
        None,
    )
    .await
    .unwrap();
    id
}

/// A complaint dispatched to a street under a district on Monday 2026-11-02 09:00 (CST): sign
/// within 1 working day, due Tuesday 17:30.
struct MondayComplaint {
    district: BodyId,
    dispatched: chrono::DateTime<Utc>,
    id: AppealId,
}

async fn monday_complaint(store: &dyn Store) -> MondayComplaint {
    let district = body(store, "示例区政府", None).await;
    let street = body(store, "示例街道", Some(district)).await;
    let dispatched = Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0).unwrap();
    MondayComplaint {
        district,
        dispatched,
        id: dispatched_complaint(store, street, dispatched).await,
    }
}

pub async fn scanner_reminds_once_then_escalates(store: Arc<dyn Store>) {
    use jiesu_app::scanner::scan;
    use jiesu_domain::deadline::DeadlineState;
    let tk = Timekeeper::default();
    let MondayComplaint {
        district,
        dispatched,
        id,
    } = monday_complaint(&*store).await;
    let deadline = store.appeal(id).await.unwrap().deadline.unwrap();
    assert_eq!(deadline.due.due_at.to_string(), "2026-11-03 17:30:00");
    assert_eq!(
        scan(&store, &tk, dispatched).await.unwrap().reminded,
        0,
        "nothing due yet"
    );

    let warn = deadline.next_check.unwrap() + Duration::minutes(1);
    assert_eq!(
        scan(&store, &tk, warn).await.unwrap().reminded,
        1,
        "临期催办 when it turns yellow"
    );
    assert_eq!(
        scan(&store, &tk, warn).await.unwrap().reminded,
        0,
        "never twice"
    );
    let reminded = reads_back_as_its_events(&*store, id).await;
    assert_eq!((reminded.reminders, reminded.updated_at), (1, warn));

    // Two scanners at once after the due moment: one overdue notice in all.
    let late = Utc.with_ymd_and_hms(2026, 11, 4, 2, 0, 0).unwrap();
    let (a, b) = tokio::join!(scan(&store, &tk, late), scan(&store, &tk, late));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.reminded + b.reminded, 1, "{a:?} {b:?}");
    let events = store.events(id).await.unwrap();
    let autos: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Remind {
                auto: Some(state), ..
            } => Some(*state),
            _ => None,
        })
        .collect();
    assert_eq!(autos, vec![DeadlineState::Warning, DeadlineState::Overdue]);
    let overdue = AppealFilter {
        deadline: Some((DeadlineState::Overdue, late)),
        ..AppealFilter::default()
    };
    assert_eq!(
        store
            .list_appeals(&overdue, Page::default())
            .await
            .unwrap()
            .total,
        1
    );

    // Three working days overdue: reported to the district.
    let much_later = Utc.with_ymd_and_hms(2026, 11, 9, 2, 0, 0).unwrap();
    let report = scan(&store, &tk, much_later).await.unwrap();
    assert_eq!(report.escalated, 1, "{report:?}");
    let escalated = reads_back_as_its_events(&*store, id).await;
    assert_eq!(escalated.escalated_to, Some(district));
    assert_eq!(
        scan(&store, &tk, much_later + Duration::days(30))
            .await
            .unwrap(),
        jiesu_app::scanner::ScanReport::default()
    );
    // An action after the alerts keeps what they changed.
    let handler = staff(Role::Handler, escalated.lead_body);
    act(
        &*store,
        &tk,
        id,
        EventKind::Sign,
        &handler,
        much_later,
        None,
    )
    .await
    .unwrap();
    let signed = reads_back_as_its_events(&*store, id).await;
    assert_eq!(
        (signed.status, signed.reminders, signed.escalated_to),
        (Status::Handling, 2, Some(district))
    );
}

/// The stored appeal `id`, asserted equal to the fold of its events with its deadline
/// projected from them.
async fn reads_back_as_its_events(store: &dyn Store, id: AppealId) -> Appeal {
    let appeal = store.appeal(id).await.unwrap();
    let events = store.events(id).await.unwrap();
    let mut rebuilt = replay(id, appeal.number.clone(), &events).unwrap();
    rebuilt.deadline = Timekeeper::default().deadline(&rebuilt, &events);
    assert_eq!(
        rebuilt, appeal,
        "the stored state is the fold of the events"
    );
    appeal
}

pub async fn scanner_reprojects_when_the_rules_change(store: Arc<dyn Store>) {
    use jiesu_app::scanner::scan;
    let tk = Timekeeper::default();
    let MondayComplaint {
        district,
        dispatched,
        id,
    } = monday_complaint(&*store).await;
    let first = scan(&store, &tk, dispatched).await.unwrap();
    assert_eq!(
        first.reprojected, 0,
        "projections made under these rules stay"
    );
    assert_eq!(
        jiesu_app::settings::stored::deadline_basis(&*store)
            .await
            .unwrap(),
        Some(tk.fingerprint())
    );

    // Wednesday 10:00: overdue notice; escalation due three working days after Tuesday.
    let wednesday = Utc.with_ymd_and_hms(2026, 11, 4, 2, 0, 0).unwrap();
    assert_eq!(scan(&store, &tk, wednesday).await.unwrap().reminded, 1);
    let thursday = Utc.with_ymd_and_hms(2026, 11, 5, 2, 0, 0).unwrap();
    assert_eq!(scan(&store, &tk, thursday).await.unwrap().escalated, 0);

    // The threshold is lowered to one working day: the stored projection is stale, the
    // pass recomputes it and the case is escalated at once.
    let stricter = Timekeeper {
        escalate_after_days: 1,
        ..Timekeeper::default()
    };
    let report = scan(&store, &stricter, thursday).await.unwrap();
    assert_eq!((report.reprojected, report.escalated), (1, 1), "{report:?}");
    assert_eq!(store.appeal(id).await.unwrap().escalated_to, Some(district));
    let events = store.events(id).await.unwrap();
    assert!(
        verify_chain(&events).is_ok(),
        "alerts link to the chain head"
    );
    assert_eq!(
        scan(&store, &stricter, thursday).await.unwrap(),
        jiesu_app::scanner::ScanReport::default()
    );
}

pub async fn notices_reach_inboxes_and_the_webhook_queue(store: Arc<dyn Store>) {
    let street = body(&*store, "示例街道", None).await;
    let handler = store
        .create_user(
            &NewUser {
                username: "h".into(),
                display_name: "承办".into(),
                role: Role::Handler,
                body: Some(street),
            },
            "x",
        )
        .await
        .unwrap();
    let dispatcher = store
        .create_user(
            &NewUser {
                username: "d".into(),
                display_name: "派单".into(),
                role: Role::Dispatcher,
                body: None,
            },
            "x",
        )
        .await
        .unwrap();
    let id = dispatched_complaint(&*store, street, at(2, 9)).await;
    let inbox = store.inbox(&handler, false, Page::default()).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (inbox[0].appeal, inbox[0].kind.as_str(), inbox[0].read),
        (id, "dispatch", false)
    );
    assert!(
        inbox[0].message.starts_with("新派单"),
        "{}",
        inbox[0].message
    );
    assert!(
        store
            .inbox(&dispatcher, false, Page::default())
            .await
            .unwrap()
            .is_empty()
    );
    store.mark_read(&handler, inbox[0].id).await.unwrap();
    assert!(
        store
            .inbox(&handler, true, Page::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.inbox(&handler, false, Page::default()).await.unwrap()[0].read);

    let now = at(2, 10);
    let claimed = store.claim_deliveries("worker-a", now, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(
        store
            .claim_deliveries("worker-b", now, 10)
            .await
            .unwrap()
            .is_empty(),
        "claimed once"
    );
    store
        .finish_delivery(claimed[0].item.id, false, Some(now + Duration::seconds(30)))
        .await
        .unwrap();
    assert!(
        store
            .claim_deliveries("worker-b", now, 10)
            .await
            .unwrap()
            .is_empty(),
        "not before the retry time"
    );
    let retry = store
        .claim_deliveries("worker-b", now + Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(retry[0].attempts, 1);
    store
        .finish_delivery(retry[0].item.id, true, None)
        .await
        .unwrap();
    assert!(
        store
            .claim_deliveries("worker-c", now + Duration::hours(1), 10)
            .await
            .unwrap()
            .is_empty(),
        "delivered once"
    );
}

pub async fn model_versions_activate_one_at_a_time(store: Arc<dyn Store>) {
    assert!(store.active_model("dispatch").await.unwrap().is_none());
    let meta = serde_json::json!({"n_records": 10});
    let v1 = store
        .save_model("dispatch", &meta, &[1, 2, 3], at(1, 9))
        .await
        .unwrap();
    let v2 = store
        .save_model("dispatch", &meta, &[4, 5], at(1, 10))
        .await
        .unwrap();
    assert!(v2 > v1);
    assert!(
        store.active_model("dispatch").await.unwrap().is_none(),
        "saving does not activate"
    );
    store
        .activate_model("dispatch", v2, at(2, 9))
        .await
        .unwrap();
    let (record, bytes) = store.active_model("dispatch").await.unwrap().unwrap();
    assert_eq!((record.version, bytes), (v2, vec![4, 5]));
    store
        .activate_model("dispatch", v1, at(3, 9))
        .await
        .unwrap();
    assert_eq!(
        store.active_model("dispatch").await.unwrap().unwrap().1,
        vec![1, 2, 3],
        "the previous one restored"
    );
    let all = store.models("dispatch").await.unwrap();
    assert_eq!(
        all.iter()
            .map(|m| (m.version, m.active, m.activated_at))
            .collect::<Vec<_>>(),
        vec![(v2, false, Some(at(2, 9))), (v1, true, Some(at(3, 9)))],
        "each version keeps when it was last activated"
    );
    store
        .activate_model("dispatch", v1, at(4, 9))
        .await
        .unwrap();
    assert_eq!(
        store
            .active_model("dispatch")
            .await
            .unwrap()
            .unwrap()
            .0
            .activated_at,
        Some(at(3, 9)),
        "activating the active version again keeps its time"
    );
    assert_eq!(all[0].meta, meta);
    assert!(matches!(
        store.activate_model("dispatch", 9999, at(3, 9)).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn a_batch_of_intakes_commits_together(store: Arc<dyn Store>) {
    let batch = vec![
        registration("路灯不亮", Some("same-key"), at(9, 9)),
        registration("路灯不亮", Some("same-key"), at(9, 9)),
        registration("井盖缺失", None, at(9, 9)),
    ];
    let results: Vec<_> = store
        .register_many(&batch)
        .await
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(results[0].created && !results[1].created && results[2].created);
    assert_eq!(
        results[0].appeal.id, results[1].appeal.id,
        "one key, one appeal, even within a batch"
    );
    assert_eq!(results[0].query_code, results[1].query_code);
    assert_ne!(results[0].appeal.number, results[2].appeal.number);
    assert_eq!(
        store
            .list_appeals(&AppealFilter::default(), Page::default())
            .await
            .unwrap()
            .total,
        2
    );
    // Through the queue, many concurrent intakes share transactions and all get numbers.
    let queue = jiesu_app::intake::queue::IntakeQueue::start(store.clone());
    let mut tasks = Vec::new();
    for i in 0..50 {
        let queue = queue.clone();
        tasks.push(tokio::spawn(async move {
            queue
                .register(registration(
                    &format!("噪音{i}"),
                    Some(&format!("k{i}")),
                    at(9, 10),
                ))
                .await
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap().appeal.number);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 50);
    assert_eq!(
        store
            .list_appeals(&AppealFilter::default(), Page::default())
            .await
            .unwrap()
            .total,
        52
    );
}

pub async fn knowledge_articles_are_found_and_updated(store: Arc<dyn Store>) {
    use jiesu_domain::knowledge::ArticleDraft;
    let draft = |q: &str, a: &str| ArticleDraft {
        question: q.into(),
        answer: a.into(),
        category: Some("劳动和社会保障".into()),
        valid_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
        valid_to: None,
        source: "示例办法第三条".into(),
    };
    let a = store
        .create_article(
            &draft("养老保险如何转移", "在新参保地社保窗口申请转移接续。"),
            at(1, 9),
        )
        .await
        .unwrap();
    store
        .create_article(
            &draft("医保异地备案", "可在网上办理异地就医备案。"),
            at(1, 10),
        )
        .await
        .unwrap();
    let found = store
        .find_articles("养老 转移", Page::default())
        .await
        .unwrap();
    assert_eq!(found.iter().map(|x| x.id).collect::<Vec<_>>(), vec![a.id]);
    assert_eq!(found[0].draft, a.draft);
    assert_eq!(
        store
            .find_articles("", Page::default())
            .await
            .unwrap()
            .len(),
        2
    );
    let updated = store
        .update_article(a.id, &draft("养老保险转移接续", "新的答复"), at(2, 9))
        .await
        .unwrap();
    assert_eq!(store.article(a.id).await.unwrap(), updated);
    assert!(matches!(
        store.article(9999).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.update_article(9999, &draft("x", "y"), at(2, 9)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn merge_into(
    store: &dyn Store,
    follower: AppealId,
    lead: AppealId,
    when: chrono::DateTime<Utc>,
) {
    act(
        store,
        &Timekeeper::default(),
        follower,
        EventKind::Merge {
            into: lead,
            note: "同一问题".into(),
        },
        &staff(Role::Dispatcher, None),
        when,
        None,
    )
    .await
    .unwrap();
}

async fn registered_appeal(
    store: &dyn Store,
    title: &str,
    when: chrono::DateTime<Utc>,
) -> AppealId {
    store
        .register(registration(title, None, when))
        .await
        .unwrap()
        .appeal
        .id
}

/// An appeal as stored, with its log.
async fn as_stored(store: &dyn Store, id: AppealId) -> (Appeal, Vec<Event>) {
    (
        store.appeal(id).await.unwrap(),
        store.events(id).await.unwrap(),
    )
}

fn comment(
    store_appeal: jiesu_domain::appeal::Appeal,
    events: &[Event],
    when: chrono::DateTime<Utc>,
) -> jiesu_store::Recording {
    jiesu_app::workflow::prepare(
        &Timekeeper::default(),
        store_appeal,
        events,
        EventKind::Comment {
            text: "核实中".into(),
        },
        &staff(Role::Operator, None),
        when,
    )
    .unwrap()
}

pub async fn followers_are_found_and_recorded_all_or_none(store: Arc<dyn Store>) {
    let lead = registered_appeal(&*store, "路面塌陷", at(6, 9)).await;
    let mut followers = Vec::new();
    for i in 0..3 {
        let id = registered_appeal(&*store, &format!("路面塌陷{i}"), at(6, 10)).await;
        merge_into(&*store, id, lead, at(6, 11)).await;
        followers.push(id);
    }
    act(
        &*store,
        &Timekeeper::default(),
        followers[2],
        EventKind::Unmerge {
            reason: "不是同一路段".into(),
        },
        &staff(Role::Dispatcher, None),
        at(6, 12),
        None,
    )
    .await
    .unwrap();
    let found: Vec<AppealId> = store
        .followers(lead)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(found, followers[..2], "an unmerged appeal is no follower");
    assert!(store.followers(followers[0]).await.unwrap().is_empty());
    assert_eq!(
        store
            .leads_with_merged(&[Status::Registered], 10)
            .await
            .unwrap(),
        vec![lead]
    );
    assert!(
        store
            .leads_with_merged(&jiesu_domain::merge::ANSWER_GIVEN, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // All or none: one stale recording and nothing is written.
    let (a, b) = (followers[0], followers[1]);
    let stale_b = as_stored(&*store, b).await;
    act(
        &*store,
        &Timekeeper::default(),
        b,
        EventKind::Comment {
            text: "已去电".into(),
        },
        &staff(Role::Operator, None),
        at(6, 13),
        None,
    )
    .await
    .unwrap();
    let fresh_a = as_stored(&*store, a).await;
    let both = [
        comment(fresh_a.0.clone(), &fresh_a.1, at(6, 14)),
        comment(stale_b.0, &stale_b.1, at(6, 14)),
    ];
    assert!(matches!(
        store.record_all(&both).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(
        store.appeal(a).await.unwrap().version,
        fresh_a.0.version,
        "nothing written"
    );
    assert_eq!(store.events(a).await.unwrap().len(), fresh_a.1.len());
    let twice = [both[0].clone(), both[0].clone()];
    assert!(
        store.record_all(&twice).await.is_err(),
        "one recording per appeal"
    );

    let fresh_b = as_stored(&*store, b).await;
    let both = [
        comment(fresh_a.0.clone(), &fresh_a.1, at(6, 15)),
        comment(fresh_b.0.clone(), &fresh_b.1, at(6, 15)),
    ];
    let events = store.record_all(&both).await.unwrap();
    assert_eq!(
        events.iter().map(|e| (e.appeal, e.seq)).collect::<Vec<_>>(),
        vec![(a, fresh_a.0.version + 1), (b, fresh_b.0.version + 1)]
    );
    for id in [a, b] {
        assert_eq!(verify_chain(&store.events(id).await.unwrap()), Ok(()));
    }

    // Each on its own: the stale recording is a conflict, the fresh one is written.
    let fresh_a = as_stored(&*store, a).await;
    let mixed = [
        comment(fresh_b.0.clone(), &fresh_b.1, at(6, 16)),
        comment(fresh_a.0.clone(), &fresh_a.1, at(6, 16)),
    ];
    let results = store.record_many(&mixed).await.unwrap();
    assert!(matches!(results[0], Err(StoreError::Stale)), "{results:?}");
    assert_eq!(
        results[1].as_ref().map(|e| (e.appeal, e.seq)).ok(),
        Some((a, fresh_a.0.version + 1))
    );
    assert_eq!(
        store.appeal(a).await.unwrap(),
        *mixed[1].after(),
        "the fresh one is stored"
    );
    assert_eq!(
        store.appeal(b).await.unwrap().version,
        fresh_b.0.version + 1,
        "the stale one is left as it was"
    );
    for id in [a, b] {
        assert_eq!(verify_chain(&store.events(id).await.unwrap()), Ok(()));
    }
}

pub async fn a_leads_answer_reaches_its_followers(store: Arc<dyn Store>) {
    use jiesu_app::scanner::scan;
    let tk = Timekeeper::default();
    let street = body(&*store, "示例街道", None).await;
    let handler = staff(Role::Handler, Some(street));
    let supervisor = staff(Role::Supervisor, None);
    let lead = dispatched_complaint(&*store, street, at(9, 2)).await;
    let early = registered_appeal(&*store, "夜间施工噪音（重复）", at(9, 3)).await;
    merge_into(&*store, early, lead, at(9, 3)).await;
    let reply = "已责令施工单位停止夜间施工，并安排巡查。";
    for kind in [EventKind::Sign, EventKind::Reply { text: reply.into() }] {
        act(&*store, &tk, lead, kind, &handler, at(9, 4), None)
            .await
            .unwrap();
    }
    let late = registered_appeal(&*store, "夜间施工又响了", at(9, 5)).await;
    merge_into(&*store, late, lead, at(9, 5)).await;
    let other = registered_appeal(&*store, "另一工地", at(9, 5)).await;
    let refused = act(
        &*store,
        &tk,
        lead,
        EventKind::Merge {
            into: other,
            note: String::new(),
        },
        &staff(Role::Dispatcher, None),
        at(9, 5),
        None,
    )
    .await;
    assert!(
        matches!(refused, Err(AppError::Domain(_))),
        "a lead with followers is not merged elsewhere"
    );

    // The approval carries both followers along, in the same transaction.
    let approve = EventKind::Review {
        approve: true,
        reason: String::new(),
    };
    act(&*store, &tk, lead, approve, &supervisor, at(9, 6), None)
        .await
        .unwrap();
    for id in [early, late] {
        let follower = store.appeal(id).await.unwrap();
        assert_eq!(follower.status, Status::AwaitingCallback);
        assert_eq!(follower.last_reply.as_deref(), Some(reply));
        assert_eq!(follower.merged_into, Some(lead));
        assert!(
            follower.deadline.is_some_and(|d| d.next_check.is_some()),
            "its own callback limit runs"
        );
        let events = store.events(id).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!((last.kind.name(), last.actor.system), ("follow_lead", true));
        assert_eq!(verify_chain(&events), Ok(()));
        let mut rebuilt = replay(id, follower.number.clone(), &events).unwrap();
        rebuilt.deadline = tk.deadline(&rebuilt, &events);
        assert_eq!(rebuilt, follower);
    }
    let waiting = AppealFilter {
        statuses: vec![Status::AwaitingCallback],
        ..AppealFilter::default()
    };
    assert_eq!(
        store
            .list_appeals(&waiting, Page::default())
            .await
            .unwrap()
            .total,
        3,
        "the lead and both followers wait for their callbacks"
    );
    let unmerge = act(
        &*store,
        &tk,
        early,
        EventKind::Unmerge {
            reason: "并案有误".into(),
        },
        &staff(Role::Dispatcher, None),
        at(9, 7),
        None,
    )
    .await;
    assert!(matches!(
        unmerge,
        Err(AppError::Domain(
            jiesu_domain::DomainError::IllegalTransition { .. }
        ))
    ));

    // Merged after the approval: it follows right away.
    let after = registered_appeal(&*store, "施工噪音第三次", at(9, 7)).await;
    let (now, _) = act(
        &*store,
        &tk,
        after,
        EventKind::Merge {
            into: lead,
            note: String::new(),
        },
        &staff(Role::Dispatcher, None),
        at(9, 7),
        None,
    )
    .await
    .unwrap();
    assert_eq!(now.status, Status::AwaitingCallback);
    assert_eq!(
        store.appeal(after).await.unwrap().last_reply.as_deref(),
        Some(reply)
    );

    // A follower left behind (merged without the follow-up) is caught up by the scanner.
    let behind = registered_appeal(&*store, "施工噪音第四次", at(9, 8)).await;
    let merge = jiesu_app::workflow::prepare(
        &tk,
        store.appeal(behind).await.unwrap(),
        &store.events(behind).await.unwrap(),
        EventKind::Merge {
            into: lead,
            note: String::new(),
        },
        &staff(Role::Dispatcher, None),
        at(9, 8),
    )
    .unwrap();
    store.record(&merge).await.unwrap();
    assert_eq!(store.appeal(behind).await.unwrap().status, Status::Merged);
    assert_eq!(scan(&store, &tk, at(9, 9)).await.unwrap().followed, 1);
    assert_eq!(
        store.appeal(behind).await.unwrap().status,
        Status::AwaitingCallback
    );
    assert_eq!(
        scan(&store, &tk, at(9, 9)).await.unwrap().followed,
        0,
        "once"
    );
    assert_eq!(store.followers(lead).await.unwrap().len(), 4);
}

pub async fn an_answer_on_the_spot_is_recorded_with_its_intake(store: Arc<dyn Store>) {
    let mut r = registration("公积金提取咨询", None, at(9, 10));
    r.actor = staff(Role::Operator, None);
    r.answered = Some(jiesu_store::SpotAnswer {
        kind: EventKind::AnswerDirectly {
            answer: "可携带身份证到公积金中心办理。".into(),
            article: None,
        },
        deadline: None,
    });
    let registered = store.register(r).await.unwrap();
    assert!(registered.created);
    assert!(registered.appeal.answered_directly);
    assert_ne!(registered.appeal.status, Status::Registered);
    assert_eq!(registered.appeal.version, 2);
    let id = registered.appeal.id;
    let stored = store.appeal(id).await.unwrap();
    assert_eq!(stored, registered.appeal);
    let events = store.events(id).await.unwrap();
    assert_eq!(events.len(), 2);
    assert!(matches!(events[1].kind, EventKind::AnswerDirectly { .. }));
    verify_chain(&events).unwrap();
    let replayed = replay(id, stored.number.clone(), &events).unwrap();
    assert_eq!(replayed.status, stored.status);
}

pub async fn every_settings_change_moves_the_stamp(store: Arc<dyn Store>) {
    let first = store.settings_version().await.unwrap();
    store.put_setting("time_limits", "{}").await.unwrap();
    let after_setting = store.settings_version().await.unwrap();
    assert!(after_setting > first);
    store
        .create_body(&NewBody {
            name: "示例区城管局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let after_body = store.settings_version().await.unwrap();
    assert!(after_body > after_setting);
    let model = store
        .save_model("dispatch", &serde_json::json!({}), b"m", at(9, 10))
        .await
        .unwrap();
    assert_eq!(store.settings_version().await.unwrap(), after_body);
    store
        .activate_model("dispatch", model, at(1, 9))
        .await
        .unwrap();
    assert!(store.settings_version().await.unwrap() > after_body);
}
