//! Smart dispatch through the API: train a model from history, suggest while typing, route
//! by the admins' table and the place named, keep the suggestion with the registration, and
//! restore the previous model version.

mod support;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::Role;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_follow_the_model_the_routing_table_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let store = support::sqlite_store(dir.path()).await;
    let district = store
        .create_body(&NewBody {
            name: "东城区人民政府".into(),
            kind: BodyKind::District,
            parent: None,
            areas: vec!["东城区".into()],
        })
        .await
        .unwrap();
    let street = store
        .create_body(&NewBody {
            name: "朝阳街道办事处".into(),
            kind: BodyKind::Street,
            parent: Some(district.id),
            areas: vec!["朝阳街道".into(), "翠湖苑".into()],
        })
        .await
        .unwrap();
    let bureau = store
        .create_body(&NewBody {
            name: "市生态环境局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    support::users(
        &*store,
        &[("op", Role::Operator, None), ("adm", Role::Admin, None)],
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    assert_eq!(state.assistant().model_version(), None);
    let base = support::serve(state).await;
    let http = reqwest::Client::new();
    let (op, adm) = (
        support::token(&http, &base, "op").await,
        support::token(&http, &base, "adm").await,
    );

    // The centre's history: categorized appeals recorded at intake.
    for record in support::dispatch_history() {
        let body = json!({"type": "投诉", "title": record.title, "text": record.text, "category": record.category_path[0]});
        let r = http
            .post(format!("{base}/api/appeals"))
            .bearer_auth(&op)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let trained = http
        .post(format!("{base}/api/dispatch/models"))
        .bearer_auth(&adm)
        .send()
        .await
        .unwrap();
    assert_eq!(trained.status(), 201);
    let v1 = trained.json::<Value>().await.unwrap()["version"]
        .as_i64()
        .unwrap();
    let suggest = |body: Value| {
        let (http, base, op) = (http.clone(), base.clone(), op.clone());
        async move {
            http.post(format!("{base}/api/dispatch/suggest"))
                .bearer_auth(op)
                .json(&body)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };

    // The place names the street office that answers for it.
    let s = suggest(json!({"title": "翠湖苑夜间施工噪音扰民", "text": "工地每晚施工到十二点，噪音太大", "address": "东城区翠湖苑"})).await;
    assert_eq!(s["categories"][0][0], "环境保护", "{s}");
    assert_eq!(s["body"]["id"], street.id.0, "{s}");
    assert_eq!(s["body"]["source"], "area");
    assert!(
        !s["words"].as_array().unwrap().is_empty(),
        "the operator sees why"
    );

    // The routing table wins over the place.
    let rules = json!([{"category": "环境保护", "area": null, "body": bureau.id.0}]);
    let put = http
        .put(format!("{base}/api/dispatch/routing"))
        .bearer_auth(&adm)
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let s = suggest(json!({"title": "翠湖苑夜间施工噪音扰民", "text": "工地每晚施工到十二点", "address": "东城区翠湖苑"})).await;
    assert_eq!(
        (s["body"]["id"].as_i64(), s["body"]["source"].as_str()),
        (Some(bureau.id.0), Some("routing"))
    );

    // Empty text: no categories, manual queue, a reason.
    let s = suggest(json!({"title": "", "text": ""})).await;
    assert_eq!(s["manual"], true);
    assert!(s["reason"].as_str().unwrap().contains("为空"), "{s}");
    // Digits only: an answer, never a crash.
    let s = suggest(json!({"title": "123456", "text": "7890"})).await;
    assert!(s["manual"].is_boolean());

    // Intake keeps the suggestion with the appeal.
    let intake: Value = http
        .post(format!("{base}/api/appeals"))
        .bearer_auth(&op)
        .json(&json!({"type": "投诉", "title": "翠湖苑工地噪音", "text": "夜间施工噪音扰民", "place": {"address": "东城区翠湖苑"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        intake["appeal"]["suggested"]["category"], "环境保护",
        "{intake}"
    );
    assert_eq!(intake["appeal"]["suggested"]["body"], bureau.id.0);

    // A new version, then the previous one restored.
    let trained = http
        .post(format!("{base}/api/dispatch/models"))
        .bearer_auth(&adm)
        .send()
        .await
        .unwrap();
    assert_eq!(trained.status(), 201);
    let v2 = trained.json::<Value>().await.unwrap()["version"]
        .as_i64()
        .unwrap();
    assert!(v2 > v1);
    let models: Value = http
        .get(format!("{base}/api/dispatch/models"))
        .bearer_auth(&adm)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models[0]["version"], v2);
    assert_eq!(models[0]["active"], true);
    let restore = http
        .post(format!("{base}/api/dispatch/models/{v1}/activate"))
        .bearer_auth(&adm)
        .send()
        .await
        .unwrap();
    assert_eq!(restore.status(), 204);
    let s = suggest(json!({"title": "拖欠工资", "text": "老板拖欠三个月工资"})).await;
    assert_eq!(s["model_version"], v1);
    assert_eq!(s["categories"][0][0], "劳动和社会保障");
}
