//! Government tasks over the JSON API on a real server, on SQLite and PostgreSQL: a policy
//! document is split into its proposed task list, stored as drafts by the supervision
//! office (body names jiesu does not know are named back), published all or none, listed.

mod support;

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const DOCUMENT: &str = "一、工作目标
到2025年，基本完成改造任务。
二、重点任务
（一）摸清底数。3月底前完成摸底调查。
牵头单位：市住房和城乡建设局
责任单位：各县（市、区）人民政府
（二）推进加装电梯。年底前新增加装电梯100部。（市住房和城乡建设局牵头，市市场监管局配合）
";

struct Api {
    base: String,
    http: Client,
}

impl Api {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

async fn story(store: Arc<dyn Store>) {
    store
        .create_body(&NewBody {
            name: "市住房和城乡建设局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let hash = jiesu_app::auth::hash_password("secret-pass".into())
        .await
        .unwrap();
    for (name, role) in [("sup", Role::Supervisor), ("op", Role::Operator)] {
        let user = NewUser {
            username: name.into(),
            display_name: name.into(),
            role,
            body: None,
        };
        store.create_user(&user, &hash).await.unwrap();
    }
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

    let (status, published) = api
        .call(
            "POST",
            "/api/tasks/publish",
            &sup,
            Some(json!({"ids": ids})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["published"], 2);
    let (_, live) = api.call("GET", "/api/tasks?state=live", &op, None).await;
    assert_eq!(live.as_array().unwrap().len(), 2);
    let (status, _) = api.call("GET", "/api/tasks?state=done", &op, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
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
