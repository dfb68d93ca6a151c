//! Two server processes on one PostgreSQL database (as behind a load balancer): acting on
//! the same appeals through both loses no update — every action answered 2xx is on the
//! timeline exactly once, every other one was refused with 409 — and their two deadline
//! scanners, running side by side, never send a reminder or an escalation twice. A setting
//! changed through one server is used by the other's next scanner pass, and no appeal's
//! deadline is re-projected more than once for it.

mod support;

use std::time::{Duration, Instant};

use chrono::Utc;
use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::deadline::{DeadlineState, Limit, RuleBook, Timekeeper};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::{Actor, Role};
use jiesu_store::ImportedAppeal;
use jiesu_store::prelude::*;
use serde_json::{Value, json};
use support::{Server, jiesu, post_json, scratch_postgres, sign_in};
use tempfile::TempDir;

const PASSWORD: &str = "two-servers-password";
/// Appeals dispatched two weeks ago: overdue, due for every alert.
const OVERDUE: usize = 60;
/// Appeals both servers act on at once.
const SHARED: usize = 8;
/// Comments each server tries on each shared appeal.
const COMMENTS: usize = 6;

fn draft(i: usize) -> AppealDraft {
    AppealDraft {
        channel: Channel::Hotline,
        appeal_type: AppealType::Complaint,
        title: format!("井盖缺失 {i}"),
        text: "路口井盖缺失，行人容易踩空。".into(),
        citizen: Citizen::default(),
        place: Place::default(),
        category: None,
        urgency: Urgency::Normal,
        suggested: None,
    }
}

/// An appeal registered 15 days ago and dispatched to `body` 14 days ago, never signed.
fn overdue_appeal(i: usize, body: BodyId, timekeeper: &Timekeeper) -> ImportedAppeal {
    dispatched_appeal(i, body, timekeeper, chrono::Duration::days(14))
}

/// An appeal registered a day before it was dispatched to `body`, `ago`, never signed.
fn dispatched_appeal(
    i: usize,
    body: BodyId,
    timekeeper: &Timekeeper,
    ago: chrono::Duration,
) -> ImportedAppeal {
    let dispatched = Utc::now() - ago;
    let created = dispatched - chrono::Duration::days(1);
    let staff = Actor {
        user: None,
        name: "派单员".into(),
        role: Some(Role::Dispatcher),
        body: None,
        system: false,
    };
    let mut appeal = registered(AppealId(0), AppealNumber(String::new()), draft(i), created);
    let mut events = vec![Event::new(
        AppealId(0),
        1,
        EventKind::Register {
            draft: Box::new(draft(i)),
        },
        Actor::citizen(),
        created,
        "",
    )];
    let dispatch = Event::new(
        AppealId(0),
        2,
        EventKind::Dispatch {
            lead: body,
            co: vec![],
            note: String::new(),
            category: None,
            auto: None,
        },
        staff,
        dispatched,
        "",
    );
    appeal.apply(&dispatch);
    events.push(dispatch);
    appeal.deadline = timekeeper.deadline(&appeal, &events);
    ImportedAppeal {
        appeal,
        events,
        query_code: "000000".into(),
    }
}

/// A scratch PostgreSQL database with the admin account, and a store on it.
async fn database_with_admin(name: &str) -> (String, jiesu_store_postgres::PgStore) {
    let db = scratch_postgres(name).await;
    jiesu(&[
        "create-admin",
        "--db",
        &db,
        "--username",
        "admin",
        "--password",
        PASSWORD,
    ]);
    let store = jiesu_store_postgres::PgStore::open(&db).await.unwrap();
    (db, store)
}

/// Posts one action; the status code.
async fn act(http: &reqwest::Client, base: &str, token: &str, id: i64, action: Value) -> u16 {
    http.post(format!("{base}/api/appeals/{id}/actions"))
        .bearer_auth(token)
        .json(&action)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn count(events: &[Event], pick: impl Fn(&EventKind) -> bool) -> usize {
    events.iter().filter(|e| pick(&e.kind)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgres_lose_nothing_and_alert_once() {
    let (db, store) = database_with_admin("two").await;
    let district = store
        .create_body(&NewBody {
            name: "双机区".into(),
            kind: BodyKind::District,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let street = store
        .create_body(&NewBody {
            name: "双机街道".into(),
            kind: BodyKind::Street,
            parent: Some(district.id),
            areas: vec![],
        })
        .await
        .unwrap();
    let timekeeper = Timekeeper::default();
    let overdue: Vec<_> = (0..OVERDUE)
        .map(|i| overdue_appeal(i, street.id, &timekeeper))
        .collect();
    let overdue = store.import_appeals(&overdue).await.unwrap();

    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let scan = ["--scan-seconds", "1"];
    let (a, b) = tokio::join!(
        Server::start_with(&db, dir_a.path(), &http, &scan),
        Server::start_with(&db, dir_b.path(), &http, &scan),
    );
    let (token_a, token_b) = (
        sign_in(&http, &a.base, PASSWORD).await,
        sign_in(&http, &b.base, PASSWORD).await,
    );

    // Shared appeals, registered through A.
    let mut shared = Vec::new();
    for i in 0..SHARED {
        let v = post_json(
            &http,
            format!("{}/api/appeals", a.base),
            Some(&token_a),
            &json!({"type": "投诉", "title": format!("双机共办 {i}"), "text": "楼道灯坏了。"}),
        )
        .await;
        shared.push(v["appeal"]["id"].as_i64().unwrap());
    }

    // Both servers dispatch each shared appeal at once: each 200 is one dispatch recorded,
    // each 409 none.
    let mut dispatched = Vec::new();
    for &id in &shared {
        let dispatch = json!({"action": "dispatch", "lead": street.id.0, "note": "双机派单"});
        let (ra, rb) = tokio::join!(
            act(&http, &a.base, &token_a, id, dispatch.clone()),
            act(&http, &b.base, &token_b, id, dispatch.clone()),
        );
        assert!(
            [ra, rb].iter().all(|s| [200, 409].contains(s)) && [ra, rb].contains(&200),
            "dispatch {id}: {ra} {rb}"
        );
        dispatched.push((id, [ra, rb].iter().filter(|s| **s == 200).count()));
    }

    // Both servers comment on every shared appeal concurrently.
    let mut tasks = Vec::new();
    for &id in &shared {
        for (base, token) in [(&a.base, &token_a), (&b.base, &token_b)] {
            for n in 0..COMMENTS {
                let (http, base, token) = (http.clone(), base.clone(), token.clone());
                tasks.push(tokio::spawn(async move {
                    let text = format!("{base} 的第 {n} 条备注");
                    let status = act(
                        &http,
                        &base,
                        &token,
                        id,
                        json!({"action": "comment", "text": text}),
                    )
                    .await;
                    (id, text, status)
                }));
            }
        }
    }
    let mut answered = Vec::new();
    for t in tasks {
        answered.push(t.await.unwrap());
    }
    for &(id, wins) in &dispatched {
        let events = store.events(AppealId(id)).await.unwrap();
        assert_eq!(
            count(&events, |k| matches!(k, EventKind::Dispatch { .. })),
            wins,
            "appeal {id}: one dispatch per 200"
        );
        for (_, text, status) in answered.iter().filter(|(x, _, _)| *x == id) {
            let recorded = count(
                &events,
                |k| matches!(k, EventKind::Comment { text: t } if t == text),
            );
            match status {
                200 => assert_eq!(recorded, 1, "acknowledged comment lost: {text}"),
                409 => assert_eq!(recorded, 0, "refused comment recorded: {text}"),
                other => panic!("comment on {id}: unexpected {other}"),
            }
        }
    }
    assert!(
        answered.iter().any(|(_, _, s)| *s == 200),
        "some comments must get through"
    );

    // Both scanners run every second; wait until every overdue appeal has been escalated,
    // then let them run several more passes.
    let started = Instant::now();
    loop {
        let mut done = 0;
        for id in &overdue {
            let events = store.events(*id).await.unwrap();
            done += usize::from(count(&events, |k| matches!(k, EventKind::Escalate { .. })) > 0);
        }
        if done == overdue.len() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{done}/{OVERDUE} escalated after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    for id in &overdue {
        let events = store.events(*id).await.unwrap();
        // Long past its deadline, an appeal may go straight to the escalation; each
        // automatic reminder is sent at most once.
        for state in [DeadlineState::Warning, DeadlineState::Overdue] {
            let reminders = count(
                &events,
                |k| matches!(k, EventKind::Remind { auto: Some(s), .. } if *s == state),
            );
            assert!(
                reminders <= 1,
                "appeal {id}: {reminders} automatic {state:?} reminders"
            );
        }
        assert_eq!(
            count(&events, |k| matches!(k, EventKind::Escalate { .. })),
            1,
            "appeal {id}: one escalation"
        );
    }
    drop((a, b));
    let audit = jiesu(&["audit", "verify", "--db", &db]);
    assert!(
        audit.contains(&format!("审计链完整：{} 件诉求", OVERDUE + SHARED)),
        "{audit}"
    );
}

/// Appeals open while the time limits change.
const OPEN: usize = 40;

/// The total `reprojected=` of the deadline scans a server logged.
fn reprojected_in(dir: &TempDir) -> usize {
    let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default();
    log.lines()
        .filter(|l| l.contains("deadline scan"))
        .filter_map(|l| l.split("reprojected=").nth(1))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<usize>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn time_limits_changed_on_one_server_reach_the_other_once() {
    let (db, store) = database_with_admin("settings").await;
    let street = store
        .create_body(&NewBody {
            name: "设置街道".into(),
            kind: BodyKind::Street,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let timekeeper = jiesu_app::settings::stored::timekeeper(&store)
        .await
        .unwrap();
    let open: Vec<_> = (0..OPEN)
        .map(|i| dispatched_appeal(i, street.id, &timekeeper, chrono::Duration::minutes(30)))
        .collect();
    let open = store.import_appeals(&open).await.unwrap();
    jiesu_app::settings::stored::save_deadline_basis(&store, &timekeeper)
        .await
        .unwrap();

    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let options = ["--scan-seconds", "1", "--settings-seconds", "1"];
    let log = "warn,jiesu::jobs=info";
    let (a, b) = tokio::join!(
        Server::start_logging(&db, dir_a.path(), &http, &options, log),
        Server::start_logging(&db, dir_b.path(), &http, &options, log),
    );
    let (token_a, token_b) = (
        sign_in(&http, &a.base, PASSWORD).await,
        sign_in(&http, &b.base, PASSWORD).await,
    );
    // Both scanners pass a few times under the rules the appeals were projected with.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(reprojected_in(&dir_a) + reprojected_in(&dir_b), 0);

    // Complaints get five working days to be signed instead of one: changed through A.
    let mut rules = RuleBook::defaults().rules().to_vec();
    for rule in &mut rules {
        rule.sign = match rule.sign {
            Limit::WorkingDays(1) => Limit::WorkingDays(5),
            other => other,
        };
    }
    let changed = RuleBook::new(rules, RuleBook::defaults().warn_share()).unwrap();
    let put = http
        .put(format!("{}/api/time-limits", a.base))
        .bearer_auth(&token_a)
        .header("content-type", "application/json")
        .body(changed.to_json())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200, "{}", put.text().await.unwrap());

    // B serves the new rules within a few seconds.
    let expected: Value = serde_json::from_str(&changed.to_json()).unwrap();
    let started = Instant::now();
    loop {
        let seen: Value = http
            .get(format!("{}/api/time-limits", b.base))
            .bearer_auth(&token_b)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if seen == expected {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "server B still serves the old time limits after 10 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Every open appeal's stored deadline follows the new rules…
    let new_timekeeper = Timekeeper {
        rules: changed,
        ..timekeeper
    };
    let started = Instant::now();
    loop {
        let appeals = store.appeals_by_ids(&open).await.unwrap();
        let mut current = 0;
        for appeal in &appeals {
            let events = store.events(appeal.id).await.unwrap();
            current += usize::from(appeal.deadline == new_timekeeper.deadline(appeal, &events));
        }
        if current == OPEN {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{current}/{OPEN} deadlines follow the new rules after 20 s"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // …and, over several more passes of both scanners, each was re-projected once.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        reprojected_in(&dir_a) + reprojected_in(&dir_b),
        OPEN,
        "re-projections by A: {}, by B: {}",
        reprojected_in(&dir_a),
        reprojected_in(&dir_b)
    );
    drop((a, b));
}
