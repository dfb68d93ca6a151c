//! Assessment through the API (考核): a hand-made month with known rates, the admin's
//! weights, and a body's dispute taking a case out of its rates.

mod support;

use chrono::{DateTime, TimeZone, Utc};
use jiesu_app::workflow::act;
use jiesu_domain::appeal::{AppealDraft, Citizen, Place};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::{EventKind, Satisfaction};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::user::{Actor, Role};
use jiesu_store::{Registration, Store};
use serde_json::{Value, json};

/// 2026-11-`day` at `hour`:00 China time.
fn cst(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap() - chrono::Duration::hours(8)
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

/// An appeal dispatched to `street` on 2 November, handled the same day, and called back on
/// the 3rd with `solved` and `satisfaction`.
async fn handled(
    store: &dyn Store,
    street: BodyId,
    phone: &str,
    solved: bool,
    satisfaction: Satisfaction,
) -> AppealId {
    let draft = AppealDraft {
        channel: Channel::Hotline,
        appeal_type: AppealType::Complaint,
        title: "小区路灯不亮".into(),
        text: "小区路灯不亮，夜间出行不便。".into(),
        citizen: Citizen {
            phone: Some(phone.into()),
            ..Citizen::default()
        },
        place: Place::default(),
        category: None,
        urgency: Urgency::Normal,
        suggested: None,
    };
    let id = store
        .register(Registration {
            draft,
            query_code: "q".into(),
            idempotency_key: None,
            actor: Actor::citizen(),
            at: cst(2, 8),
            deadline: None,
            answered: None,
            attachments: Vec::new(),
            point: None,
        })
        .await
        .unwrap()
        .appeal
        .id;
    let steps = [
        (
            EventKind::Dispatch {
                lead: street,
                co: vec![],
                note: String::new(),
                category: None,
                auto: None,
            },
            staff(Role::Dispatcher, None),
            cst(2, 9),
        ),
        (
            EventKind::Sign,
            staff(Role::Handler, Some(street)),
            cst(2, 10),
        ),
        (
            EventKind::Reply {
                text: "已修复路灯，感谢反映。".into(),
            },
            staff(Role::Handler, Some(street)),
            cst(2, 15),
        ),
        (
            EventKind::Review {
                approve: true,
                reason: String::new(),
            },
            staff(Role::Supervisor, None),
            cst(2, 16),
        ),
        (
            EventKind::Callback {
                solved,
                satisfaction,
                note: String::new(),
            },
            staff(Role::Supervisor, None),
            cst(3, 10),
        ),
    ];
    for (kind, actor, at) in steps {
        act(store, &Timekeeper::default(), id, kind, &actor, at, None)
            .await
            .unwrap();
    }
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_is_assessed_weighted_and_disputed() {
    let dir = tempfile::tempdir().unwrap();
    let store = support::sqlite_store(dir.path()).await;
    let street = store
        .create_body(&NewBody {
            name: "考核街道".into(),
            kind: BodyKind::Street,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap()
        .id;
    support::users(
        &*store,
        &[
            ("lead", Role::Leader, None),
            ("sup", Role::Supervisor, None),
            ("adm", Role::Admin, None),
            ("hdl", Role::Handler, Some(street)),
        ],
    )
    .await;
    handled(
        &*store,
        street,
        "13900000001",
        true,
        Satisfaction::Satisfied,
    )
    .await;
    let unsolved = handled(
        &*store,
        street,
        "13900000002",
        false,
        Satisfaction::Dissatisfied,
    )
    .await;

    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    let base = support::serve(state).await;
    let http = reqwest::Client::new();
    let [lead, sup, adm, hdl] = [
        support::token(&http, &base, "lead").await,
        support::token(&http, &base, "sup").await,
        support::token(&http, &base, "adm").await,
        support::token(&http, &base, "hdl").await,
    ];
    let get = |token: &str, path: &str| http.get(format!("{base}{path}")).bearer_auth(token).send();
    let street_row = |a: &Value| a["tiers"][2]["bodies"][0].clone();

    // Two cases: both signed, contacted (by the reply) and replied on time; one solved and
    // satisfied. Fewer than the default ten cases: listed, not ranked.
    let a: Value = get(&lead, "/api/assessment?period=2026-11")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = street_row(&a);
    assert_eq!(row["name"], "考核街道");
    assert_eq!(row["counts"]["cases"], 2);
    let rate = |row: &Value, code: &str| {
        row["rates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(rate(&row, "sign_on_time")["value"], 1.0);
    assert_eq!(rate(&row, "response")["value"], 1.0);
    assert_eq!(rate(&row, "resolution")["value"], 0.5);
    assert_eq!(rate(&row, "satisfaction")["denominator"], 2);
    assert_eq!(rate(&row, "invalid_return")["value"], Value::Null);
    let low = rate(&row, "resolution")["low"].as_f64().unwrap();
    assert!((low - 0.0945).abs() < 1e-3, "Wilson low of 1/2: {low}");
    // (10 + 15 + 20 + 25 × 0.5 + 20 × 0.5 + 5 × 1) / 95 × 100
    assert!(
        (row["score"].as_f64().unwrap() - 76.315).abs() < 0.01,
        "{row}"
    );
    assert_eq!(row["rank"], Value::Null);
    assert_eq!(a["weights"]["version"], 0);

    // The period is checked, and only leaders, supervisors and admins read the ranking.
    let bad = get(&lead, "/api/assessment?period=2026-13").await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("考核周期"));
    assert_eq!(
        get(&hdl, "/api/assessment?period=2026-11")
            .await
            .unwrap()
            .status(),
        403
    );

    // The admin lowers the minimum: a new version, and the street is ranked.
    let mut set: Value = get(&adm, "/api/assessment/weights")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    set.as_object_mut().unwrap().remove("version");
    set["min_cases"] = json!(1);
    let put = |token: &str, body: Value| {
        http.put(format!("{base}/api/assessment/weights"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    assert_eq!(put(&lead, set.clone()).await.unwrap().status(), 403);
    let mut bad_set = set.clone();
    bad_set["weights"]["resolution"] = json!(-1);
    let refused = put(&adm, bad_set).await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("解决率的权重"));
    let saved: Value = put(&adm, set).await.unwrap().json().await.unwrap();
    assert_eq!(saved["version"], 1);
    let a: Value = get(&lead, "/api/assessment?period=2026-11")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            street_row(&a)["rank"].clone(),
            a["weights"]["version"].clone()
        ),
        (json!(1), json!(1))
    );

    // The unsolved case cost points; the street disputes it and the supervisor accepts.
    let cases: Value = get(
        &hdl,
        &format!("/api/assessment/bodies/{}/cases?period=2026-11", street.0),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(cases[0]["appeal"], unsolved.0);
    assert_eq!(cases[0]["losses"], json!(["回访未解决", "不满意"]));
    let file = || {
        http.post(format!("{base}/api/assessment/disputes"))
            .bearer_auth(&hdl)
            .json(&json!({"appeal": unsolved.0, "reason": "回访时市民反映的是另一件事"}))
            .send()
    };
    let filed = file().await.unwrap();
    assert_eq!(filed.status(), 201);
    let id = filed.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(file().await.unwrap().status(), 409);
    let decide = |token: &str| {
        http.post(format!("{base}/api/assessment/disputes/{id}/decision"))
            .bearer_auth(token)
            .json(&json!({"accept": true}))
            .send()
    };
    assert_eq!(decide(&hdl).await.unwrap().status(), 403);
    let decided: Value = decide(&sup).await.unwrap().json().await.unwrap();
    assert_eq!(decided["status"], "已采纳");
    assert_eq!(decide(&sup).await.unwrap().status(), 409);
    let a: Value = get(&lead, "/api/assessment?period=2026-11")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = street_row(&a);
    assert_eq!(
        (
            row["counts"]["cases"].clone(),
            rate(&row, "resolution")["value"].clone()
        ),
        (json!(1), json!(1.0))
    );

    // The leader's pages: the ranking, the printable report and its workbook.
    let leader = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let signed = leader
        .post(format!("{base}/login"))
        .form(&[("username", "lead"), ("password", support::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    let page = |path: &str| leader.get(format!("{base}{path}")).send();
    let ranking = page("/assessment?period=2026-11")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ranking.contains("考核排名 · 2026年11月") && ranking.contains("考核街道"),
        "{ranking}"
    );
    let bad = page("/assessment?period=十一月").await.unwrap();
    assert_eq!(bad.status(), 422);
    let printable = page("/assessment/report?month=2026-11")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        printable.contains("12345 热线2026年11月诉求办理情况月报"),
        "{printable}"
    );
    let xlsx = page("/assessment/report.xlsx?month=2026-11").await.unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}
