//! Government tasks over the JSON API on a real server, on SQLite and PostgreSQL: a policy
//! document is split into its proposed task list, stored as drafts by the supervision
//! office (body names jiesu does not know are named back), published all or none with the
//! names mapped to bodies, listed; then one task is followed to 销号.

mod support;

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::Role;
use jiesu_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::json;
use support::Api;

const DOCUMENT: &str = "一、工作目标
到2025年，基本完成改造任务。
二、重点任务
（一）摸清底数。3月底前完成摸底调查。
牵头单位：市住房和城乡建设局
责任单位：各县（市、区）人民政府
（二）推进加装电梯。年底前新增加装电梯100部。（市住房和城乡建设局牵头，市市场监管局配合）
";

async fn story(store: Arc<dyn Store>) {
    let housing = store
        .create_body(&NewBody {
            name: "市住房和城乡建设局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap()
        .id;
    let market = store
        .create_body(&NewBody {
            name: "示范市场监督管理局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap()
        .id;
    support::users(
        &*store,
        &[
            ("sup", Role::Supervisor, None),
            ("op", Role::Operator, None),
            ("housing", Role::Handler, Some(housing)),
            ("market", Role::Handler, Some(market)),
        ],
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store).await.unwrap());
    let api = Api {
        base: support::serve(state).await,
        http: Client::new(),
    };
    let sup = support::token(&api.http, &api.base, "sup").await;
    let op = support::token(&api.http, &api.base, "op").await;

    let doc = json!({"text": DOCUMENT, "year": 2024, "document": "老旧小区改造实施方案"});
    let (status, proposed) = api
        .call("POST", "/api/tasks/propose", &op, Some(doc.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{proposed}");
    assert_eq!(proposed["year"], 2024);
    let tasks = proposed["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0]["number"], "二、（一）");
    assert_eq!(tasks[0]["due"], "2024-03-31");
    assert_eq!(tasks[1]["co_bodies"][0], "市市场监管局");

    let (status, bad) = api
        .call(
            "POST",
            "/api/tasks/propose",
            &op,
            Some(json!({"text": "一、甲", "year": 12})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["message"].as_str().unwrap().contains("年份"));

    let (status, _) = api
        .call("POST", "/api/tasks/import", &op, Some(doc.clone()))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the supervision office imports"
    );
    let (status, none) = api
        .call(
            "POST",
            "/api/tasks/import",
            &sup,
            Some(json!({"text": "没有编号的文字。"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{none}");

    let (status, imported) = api.call("POST", "/api/tasks/import", &sup, Some(doc)).await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    let ids: Vec<i64> = imported["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        imported["unknown_bodies"],
        json!(["各县（市、区）人民政府", "市市场监管局"]),
        "the known body is matched, the others are named back"
    );

    let (_, drafts) = api.call("GET", "/api/tasks?state=draft", &op, None).await;
    assert_eq!(drafts.as_array().unwrap().len(), 2);
    assert_eq!(drafts[0]["document"], "老旧小区改造实施方案");
    assert_eq!(drafts[0]["published"], false);

    let (status, _) = api
        .call(
            "POST",
            "/api/tasks/publish",
            &sup,
            Some(json!({"ids": [ids[0], 99999]})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, live) = api.call("GET", "/api/tasks?state=live", &op, None).await;
    assert!(
        live.as_array().unwrap().is_empty(),
        "nothing half-published"
    );

    let (status, refused) = api
        .call(
            "POST",
            "/api/tasks/publish",
            &sup,
            Some(json!({"ids": ids})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("各县（市、区）人民政府"),
        "the unknown name is named: {refused}"
    );
    // A draft is edited before it goes live; a bad cadence is refused, not stored.
    let edited = json!({"document": "老旧小区改造实施方案", "number": "二、（一）",
        "title": "摸清老旧小区底数", "lead_bodies": ["市住房和城乡建设局"],
        "co_bodies": ["各县（市、区）人民政府"], "due": "2024-03-31",
        "cadence": {"every": "monthly", "day": 28}});
    let (status, body) = api
        .call(
            "PUT",
            &format!("/api/tasks/{}", ids[0]),
            &sup,
            Some(edited.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let mut bad = edited.clone();
    bad["cadence"]["day"] = json!(0);
    let (status, _) = api
        .call("PUT", &format!("/api/tasks/{}", ids[0]), &sup, Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .call("DELETE", &format!("/api/tasks/{}", ids[0]), &op, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the office discards");
    let mapping =
        json!({"ids": ids, "mapping": {"各县（市、区）人民政府": null, "市市场监管局": market.0}});
    let (status, published) = api
        .call("POST", "/api/tasks/publish", &sup, Some(mapping))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["published"], 2);
    let (_, live) = api.call("GET", "/api/tasks?state=live", &op, None).await;
    assert_eq!(live.as_array().unwrap().len(), 2);
    let (status, _) = api.call("GET", "/api/tasks?state=done", &op, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .call("PUT", &format!("/api/tasks/{}", ids[0]), &sup, Some(edited))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a live task is no draft");
    follow_up(&api, ids[1], &sup, &op, housing.0, market.0).await;
    reminders(&api, &ids, &sup, &op).await;
}

/// The office urges the open task; its lead body reads the urge (also in its inbox); the
/// closed one is not urged; the lists filter by status and the board counts per document.
async fn reminders(api: &Api, ids: &[i64], sup: &str, op: &str) {
    let housing_user = support::token(&api.http, &api.base, "housing").await;
    let urge = json!({"note": "请本周内报送进展"});
    let (status, _) = api
        .call(
            "POST",
            &format!("/api/tasks/{}/urge", ids[0]),
            op,
            Some(urge.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, urged) = api
        .call(
            "POST",
            &format!("/api/tasks/{}/urge", ids[0]),
            sup,
            Some(urge.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{urged}");
    let (status, _) = api
        .call(
            "POST",
            &format!("/api/tasks/{}/urge", ids[1]),
            sup,
            Some(urge),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a closed task is not urged");
    let (_, detail) = api
        .call("GET", &format!("/api/tasks/{}", ids[0]), op, None)
        .await;
    assert_eq!(detail["urges"][0]["note"], "请本周内报送进展");
    let (status, mine) = api
        .call("GET", "/api/tasks/reminders", &housing_user, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["reminders"][0]["kind"], "urge");
    assert_eq!(mine["reminders"][0]["task"], ids[0]);
    // The same lines in the body's inbox (站内消息), tagged 任务 and linking to the task;
    // a user of no body has none.
    let inbox = |token: String| async move {
        let res = api
            .http
            .get(format!("{}/inbox", api.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.text().await.unwrap()
    };
    let html = inbox(housing_user.clone()).await;
    let tasks = &html[html.find(r#"id="inbox-tasks""#).expect("a task section")..];
    assert!(
        tasks.contains(r#"<span class="kind tag">任务</span>"#)
            && tasks.contains(&format!(r#"href="/tasks/{}""#, ids[0]))
            && tasks.contains("督办")
            && tasks.contains("请本周内报送进展"),
        "{html}"
    );
    assert!(!inbox(op.into()).await.contains("inbox-tasks"));

    let (status, closed) = api
        .call("GET", "/api/tasks/live?status=closed", op, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed[0]["id"], ids[1]);
    assert_eq!(closed.as_array().unwrap().len(), 1);
    let (status, _) = api
        .call("GET", "/api/tasks/live?status=draft", op, None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, board) = api.call("GET", "/api/tasks/board", op, None).await;
    assert_eq!(board["documents"][0]["document"], "老旧小区改造实施方案");
    assert_eq!(board["documents"][0]["tasks"], 2);
}

/// A live task followed to 销号: milestones, reports, review, board.
async fn follow_up(api: &Api, task: i64, sup: &str, op: &str, housing: i64, market: i64) {
    let housing_user = support::token(&api.http, &api.base, "housing").await;
    let market_user = support::token(&api.http, &api.base, "market").await;
    let (status, detail) = api
        .call("GET", &format!("/api/tasks/{task}"), op, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["lead"][0]["id"], housing);
    assert_eq!(detail["co"][0]["id"], market);
    assert_eq!(
        detail["status_label"], "逾期",
        "the 2024 deadline has passed"
    );

    let milestones = json!({"milestones": [{"due": "2099-06-30", "expected": "完成选址"}]});
    let path = format!("/api/tasks/{task}/milestones");
    let (status, _) = api
        .call("POST", &path, &housing_user, Some(milestones.clone()))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the office sets milestones"
    );
    let (status, created) = api.call("POST", &path, sup, Some(milestones)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let milestone = created["ids"][0].as_i64().unwrap();
    let (_, listed) = api.call("GET", &path, op, None).await;
    assert_eq!(listed[0]["expected"], "完成选址");

    let reports = format!("/api/tasks/{task}/reports");
    let (status, bad) = api
        .call(
            "POST",
            &reports,
            &housing_user,
            Some(json!({"text": "进展", "percent": 120})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (status, bad) = api
        .call(
            "POST",
            &reports,
            op,
            Some(json!({"text": "进展", "percent": 10})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{bad}");
    assert!(bad["message"].as_str().unwrap().contains("不是任务"));
    let first = json!({"text": "选址完成", "percent": 30, "attachments": ["选址图.pdf"], "milestone": milestone});
    let (status, sent) = api.call("POST", &reports, &market_user, Some(first)).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let first = sent["id"].as_i64().unwrap();
    let review = |id: i64| format!("/api/task-reports/{id}/review");
    let (status, bad) = api
        .call("POST", &review(first), sup, Some(json!({"accept": false})))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a send-back needs a reason: {bad}"
    );
    let (status, _) = api
        .call(
            "POST",
            &review(first),
            &housing_user,
            Some(json!({"accept": true})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api
        .call("POST", &review(first), sup, Some(json!({"accept": true})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = api
        .call("POST", &review(first), sup, Some(json!({"accept": true})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reviewed once: {again}");

    let close = format!("/api/tasks/{task}/close");
    let (status, early) = api
        .call("POST", &close, sup, Some(json!({"note": "已核实"})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not done yet: {early}");
    let done = json!({"text": "全部完成", "percent": 100});
    let (_, sent) = api.call("POST", &reports, &housing_user, Some(done)).await;
    let second = sent["id"].as_i64().unwrap();
    let (status, _) = api
        .call("POST", &review(second), sup, Some(json!({"accept": true})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, bad) = api
        .call("POST", &close, sup, Some(json!({"note": " "})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (status, _) = api
        .call("POST", &close, sup, Some(json!({"note": "现场核实完成"})))
        .await;
    assert_eq!(status, StatusCode::OK);

    let (_, detail) = api
        .call("GET", &format!("/api/tasks/{task}"), op, None)
        .await;
    assert_eq!(detail["status_label"], "已销号");
    assert_eq!(detail["close_note"], "现场核实完成");
    assert_eq!(detail["milestones"][0]["state"], "已完成");
    assert_eq!(detail["reports"].as_array().unwrap().len(), 2);
    assert_eq!(detail["reports"][0]["review_label"], "已采纳");
    assert_eq!(detail["reports"][0]["attachments"][0], "选址图.pdf");

    let (status, board) = api.call("GET", "/api/tasks/board", op, None).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let line = board["bodies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["body"] == housing)
        .unwrap();
    assert_eq!(line["body_name"], "市住房和城乡建设局");
    assert_eq!(
        (line["tasks"].as_i64(), line["closed"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(line["completion"], 0.5);
    let (status, _) = api.call("GET", "/api/tasks/99999", op, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The same on the pages: the office's board and the task page.
    let page = |path: String, token: String| async move {
        let res = api
            .http
            .get(format!("{}{path}", api.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    };
    let (status, html) = page("/tasks".into(), sup.into()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("督查督办看板") && html.contains("市住房和城乡建设局"));
    let (status, html) = page(format!("/tasks/{task}"), housing_user.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("已销号") && html.contains("现场核实完成"));
    let (status, html) = page("/tasks/mine".into(), market_user.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("本单位任务"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_lists_over_the_api_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_lists_over_the_api_on_postgres() {
    story(support::postgres_store("tasks").await).await;
}
