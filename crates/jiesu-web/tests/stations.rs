//! Liaison stations and meetings over the JSON API on a real server, on SQLite and
//! PostgreSQL: an administrator adds a station with its representative; the representative
//! records a reception whose items become appeals, sees them grouped, answers one on the
//! spot and makes another a task in one step; the feedback sheet shows both. The supervision
//! office records a monthly review whose issues become tasks and gives an answer back.

mod support;

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::{Store, TaskStore};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use support::Api;

fn item(title: &str, address: &str) -> Value {
    json!({
        "type": "建议",
        "title": title,
        "text": format!("{title}，希望尽快解决。"),
        "citizen": {"name": "王先生", "phone": "13900001111"},
        "place": {"address": address}
    })
}

async fn story(store: Arc<dyn Store>) {
    let body = store
        .create_body(&NewBody {
            name: "示范区住建局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let users = support::create_users(
        &*store,
        [
            ("admin", Role::Admin),
            ("rep", Role::Representative),
            ("rep2", Role::Representative),
            ("sup", Role::Supervisor),
            ("op", Role::Operator),
        ]
        .map(|(name, role)| NewUser {
            display_name: format!("{name}用户"),
            ..support::staff(name, role, None)
        }),
    )
    .await;
    let ids: std::collections::HashMap<&str, i64> = users
        .iter()
        .map(|u| (u.username.as_str(), u.id.0))
        .collect();
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    let api = Api {
        base: support::serve(state).await,
        http: Client::new(),
    };
    let admin = support::token(&api.http, &api.base, "admin").await;
    let rep = support::token(&api.http, &api.base, "rep").await;
    let rep2 = support::token(&api.http, &api.base, "rep2").await;
    let sup = support::token(&api.http, &api.base, "sup").await;
    let op = support::token(&api.http, &api.base, "op").await;

    // 1. The station.
    let station = json!({
        "name": "青禾社区联络站",
        "address": "青禾路8号",
        "district": "示范区",
        "street": "青禾街道",
        "representatives": [ids["rep"]],
        "opening_days": [3, 1]
    });
    let (status, _) = api
        .call("POST", "/api/stations", &op, Some(station.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, bad) = api
        .call(
            "POST",
            "/api/stations",
            &admin,
            Some(json!({"name": "甲站", "representatives": [ids["op"]]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(bad["message"].as_str().unwrap().contains("不是人大代表"));
    let (status, created) = api
        .call("POST", "/api/stations", &admin, Some(station.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, _) = api
        .call("POST", "/api/stations", &admin, Some(station.clone()))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "names are unique");
    let (_, mine) = api.call("GET", "/api/stations", &rep, None).await;
    assert_eq!(mine[0]["opening"], "周一、周三");
    let (_, theirs) = api.call("GET", "/api/stations", &rep2, None).await;
    assert_eq!(
        theirs,
        json!([]),
        "another representative's station is not listed"
    );
    let (status, _) = api
        .call("GET", &format!("/api/stations/{id}"), &rep2, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // 2. A reception.
    let today = jiesu_app::stations::today().to_string();
    let reception = json!({
        "held_on": today,
        "note": "周一例行接待",
        "items": [item("青禾路路灯不亮", "青禾路8号"), item("小区门口积水", "青禾小区东门")]
    });
    let receptions = format!("/api/stations/{id}/receptions");
    let (status, _) = api
        .call("POST", &receptions, &rep2, Some(reception.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the station's own");
    let (status, empty) = api
        .call(
            "POST",
            &receptions,
            &rep,
            Some(json!({"held_on": today, "items": []})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{empty}");
    // One refused item refuses the reception: nothing of it is stored.
    let open = || store.open_appeal_ids(jiesu_domain::ids::AppealId(0), 1000);
    let before = open().await.unwrap().len();
    let (status, refused) = api
        .call(
            "POST",
            &receptions,
            &rep,
            Some(json!({"held_on": today, "items": [item("青禾路占道经营", "青禾路3号"), item(" ", "青禾路5号")]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("第 2 件"), "{refused}");
    assert_eq!(open().await.unwrap().len(), before, "no appeal stored");
    assert!(
        store
            .receptions(id, jiesu_store::Page::default())
            .await
            .unwrap()
            .is_empty(),
        "no reception stored"
    );
    let (status, received) = api.call("POST", &receptions, &rep, Some(reception)).await;
    assert_eq!(status, StatusCode::CREATED, "{received}");
    let rid = received["reception"].as_i64().unwrap();
    let appeals: Vec<i64> = received["appeals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(appeals.len(), 2);
    let (_, appeal) = api
        .call("GET", &format!("/api/appeals/{}", appeals[0]), &rep, None)
        .await;
    assert_eq!(appeal["appeal"]["channel"], "联络站", "{appeal}");

    // 3. 汇总梳理, 分析研判, 交办督办.
    let (status, review) = api
        .call("GET", &format!("/api/stations/{id}/items"), &rep, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{review}");
    let listed: usize = review["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(listed, 2, "every item in a group");
    let (status, _) = api
        .call(
            "GET",
            &format!("/api/stations/{id}/items?from=2026-02-01&to=2020-01-01"),
            &rep,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let triage = |appeal: i64| format!("/api/stations/{id}/items/{appeal}/triage");
    let (status, answered) = api
        .call(
            "POST",
            &triage(appeals[0]),
            &rep,
            Some(json!({"triage": "当场答复", "note": "已联系供电所，本周内修复"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["task"], Value::Null);
    let (status, _) = api
        .call(
            "POST",
            &triage(appeals[1]),
            &rep,
            Some(json!({"triage": "转任务"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a task needs a lead body"
    );
    let (status, tasked) = api
        .call(
            "POST",
            &triage(appeals[1]),
            &rep,
            Some(json!({"triage": "转任务", "body": body.id.0, "note": "排水管网改造"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tasked}");
    let task = tasked["task"].as_i64().unwrap();
    let (status, _) = api
        .call(
            "POST",
            &triage(appeals[1]),
            &rep,
            Some(json!({"triage": "转任务", "body": body.id.0})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "made a task once only");
    let (_, live) = api.call("GET", "/api/tasks?state=live", &op, None).await;
    let live = live.as_array().unwrap();
    assert!(live.iter().any(|t| t["id"] == task
        && t["lead_bodies"] == json!(["示范区住建局"])
        && t["title"] == "小区门口积水"));

    // 4. 反馈评价: the reception's sheet.
    let (status, sheet) = api
        .call(
            "GET",
            &format!("/api/stations/{id}/receptions/{rid}"),
            &sup,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    assert_eq!(sheet["received_by_name"], "rep用户");
    let items = sheet["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["triage"], "当场答复");
    assert_eq!(items[1]["outcome"], "转任务 · 未启动");
    assert_eq!(items[1]["rating"], Value::Null);

    // 5. A monthly review whose issues become tasks.
    let meeting = json!({
        "kind": "月调度",
        "held_on": "2026-11-28",
        "title": "十一月月调度",
        "participants": ["sup用户", "住建局代表"],
        "minutes": "听取各单位进展。",
        "issues": [
            {"text": "青禾路路面修复", "raised_by": "青禾社区", "lead_body": "示范区住建局"},
            {"text": "河畔公园夜间照明", "raised_by": "居民代表", "lead_body": "示范区照明所"}
        ]
    });
    let (status, _) = api
        .call("POST", "/api/meetings", &op, Some(meeting.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api
        .call(
            "POST",
            "/api/meetings",
            &sup,
            Some(
                json!({"kind": "协商会议", "held_on": "2026-11-28", "title": "空会", "issues": []}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, saved) = api.call("POST", "/api/meetings", &sup, Some(meeting)).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(saved["unknown_bodies"], json!(["示范区照明所"]));
    let mid = saved["id"].as_i64().unwrap();
    let (_, shown) = api
        .call("GET", &format!("/api/meetings/{mid}"), &op, None)
        .await;
    assert_eq!(shown["kind"], "月调度");
    assert_eq!(shown["issues"][0]["task"], saved["tasks"][0]);
    assert_eq!(shown["issues"][0]["task_status"], "未启动");
    let issue = shown["issues"][1]["id"].as_i64().unwrap();
    let feedback = format!("/api/meetings/{mid}/issues/{issue}/feedback");
    let (status, _) = api
        .call("POST", &feedback, &sup, Some(json!({"feedback": " "})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .call(
            "POST",
            &feedback,
            &sup,
            Some(json!({"feedback": "已排入年底照明改造"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, shown) = api
        .call("GET", &format!("/api/meetings/{mid}"), &op, None)
        .await;
    assert_eq!(shown["issues"][1]["feedback"], "已排入年底照明改造");
    let (_, list) = api.call("GET", "/api/meetings", &op, None).await;
    assert_eq!(list[0]["issues"], 2);
    let (status, _) = api
        .call("GET", &format!("/api/meetings/{}", mid + 100), &op, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stations_and_meetings_over_the_api_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stations_and_meetings_over_the_api_on_postgres() {
    story(support::postgres_store("stations").await).await;
}

/// A meeting is written before its issues' tasks: when the meeting cannot be stored, no task
/// is made, let alone published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_that_cannot_be_stored_publishes_no_task() {
    use jiesu_domain::station::{IssueDraft, MeetingDraft, MeetingKind};
    let dir = tempfile::tempdir().unwrap();
    let store = jiesu_store_sqlite::SqliteStore::open(&format!(
        "sqlite://{}",
        dir.path().join("t.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("DROP TABLE meeting_issues")
        .execute(store.writer())
        .await
        .unwrap();
    let meeting = MeetingDraft {
        kind: MeetingKind::Monthly,
        held_on: "2026-11-28".parse().unwrap(),
        title: "十一月月调度".into(),
        participants: vec!["甲".into()],
        minutes: String::new(),
        issues: vec![IssueDraft {
            text: "青禾路路面修复".into(),
            raised_by: "青禾社区".into(),
            lead_body: "示范区住建局".into(),
        }],
    };
    assert!(jiesu_app::meetings::save(&store, meeting).await.is_err());
    assert!(
        store
            .tasks(None, jiesu_store::Page::default())
            .await
            .unwrap()
            .is_empty(),
        "no task without its meeting"
    );
}
