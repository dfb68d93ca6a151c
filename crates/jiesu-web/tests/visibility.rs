//! What each role sees in each answer (可见范围): a handler's every read path — the list, the
//! appeal, search, duplicate candidates at intake (疑似重复), the inbox — shows only its own
//! bodies' appeals, while centre staff see all. Run on SQLite and PostgreSQL.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::Role;
use jiesu_store::Store;
use serde_json::{Value, json};

async fn street(store: &Arc<dyn Store>, name: &str) -> BodyId {
    store
        .create_body(&NewBody {
            name: name.into(),
            kind: BodyKind::Street,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap()
        .id
}

async fn get(http: &reqwest::Client, url: String, token: &str) -> reqwest::Response {
    http.get(url).bearer_auth(token).send().await.unwrap()
}

async fn post(http: &reqwest::Client, url: String, token: &str, body: &Value) -> Value {
    let r = http
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    r.json().await.unwrap()
}

/// The appeal numbers in the JSON array at `items` (`number` of each).
fn numbers(items: &Value) -> BTreeSet<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_str().unwrap().to_string())
        .collect()
}

async fn every_read_path_shows_a_handler_only_its_bodies(store: Arc<dyn Store>) {
    let (east, west) = (
        street(&store, "东湖街道").await,
        street(&store, "西山街道").await,
    );
    support::users(
        &*store,
        &[
            ("op", Role::Operator, None),
            ("disp", Role::Dispatcher, None),
            ("east", Role::Handler, Some(east)),
        ],
    )
    .await;
    let search = jiesu_app::search::Search::open(None).unwrap();
    let state = jiesu_web::AppState::new(
        jiesu_app::App::load(store.clone())
            .await
            .unwrap()
            .with_search(search.clone()),
    );
    let base = support::serve(state).await;
    let http = reqwest::Client::new();
    let op = support::token(&http, &base, "op").await;
    let disp = support::token(&http, &base, "disp").await;
    let handler = support::token(&http, &base, "east").await;

    // Two appeals about the same thing, one dispatched to each street.
    let mut mine = BTreeSet::new();
    let mut theirs = BTreeSet::new();
    let mut their_id = 0;
    for (i, body) in [east, west].into_iter().enumerate() {
        let registered = post(
            &http,
            format!("{base}/api/appeals"),
            &op,
            &json!({"type": "投诉", "title": format!("翠湖苑夜间施工噪音扰民{i}"),
                    "text": "翠湖苑旁工地每晚十一点后还在施工，噪音很大"}),
        )
        .await;
        let id = registered["appeal"]["id"].as_i64().unwrap();
        let number = registered["appeal"]["number"].as_str().unwrap().to_string();
        post(
            &http,
            format!("{base}/api/appeals/{id}/actions"),
            &disp,
            &json!({"action": "dispatch", "lead": body.0, "note": ""}),
        )
        .await;
        if body == east {
            mine.insert(number);
        } else {
            theirs.insert(number);
            their_id = id;
        }
    }
    search.catch_up(store.clone()).await.unwrap();
    search.updater.flush().await.unwrap();
    let all: BTreeSet<String> = mine.union(&theirs).cloned().collect();

    let draft = json!({"title": "翠湖苑施工噪音", "text": "翠湖苑工地夜间施工噪音扰民"});
    let similar = post(
        &http,
        format!("{base}/api/appeals/similar"),
        &handler,
        &draft,
    )
    .await;
    assert_eq!(
        numbers(&similar),
        mine,
        "similar, as the handler: {similar}"
    );
    let similar = post(&http, format!("{base}/api/appeals/similar"), &op, &draft).await;
    assert_eq!(
        numbers(&similar),
        all,
        "similar, as the operator: {similar}"
    );

    let found: Value = get(&http, format!("{base}/api/search?q=施工噪音"), &handler)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(numbers(&found["hits"]), mine, "search: {found}");
    let found: Value = get(&http, format!("{base}/api/search?q=施工噪音"), &op)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        numbers(&found["hits"]),
        all,
        "search as the operator: {found}"
    );

    for list in ["/api/appeals", "/api/appeals?q=施工噪音"] {
        let listed: Value = get(&http, format!("{base}{list}"), &handler)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(numbers(&listed["items"]), mine, "{list}: {listed}");
    }
    assert_eq!(
        get(&http, format!("{base}/api/appeals/{their_id}"), &handler)
            .await
            .status(),
        403
    );

    let inbox: Value = get(&http, format!("{base}/api/inbox"), &handler)
        .await
        .json()
        .await
        .unwrap();
    let their_ids: Vec<i64> = vec![their_id];
    assert!(
        inbox
            .as_array()
            .unwrap()
            .iter()
            .all(|n| !their_ids.contains(&n["appeal"].as_i64().unwrap())),
        "inbox: {inbox}"
    );
    assert!(
        !inbox.as_array().unwrap().is_empty(),
        "the dispatch notice reached the handler"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_path_shows_a_handler_only_its_bodies_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    every_read_path_shows_a_handler_only_its_bodies(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_path_shows_a_handler_only_its_bodies_on_postgres() {
    every_read_path_shows_a_handler_only_its_bodies(support::postgres_store("visible").await).await;
}
