//! Search, duplicate candidates and hot issues through the API, with an in-memory index kept
//! in step by the change feed.

mod support;

use jiesu_domain::user::{NewUser, Role};
use serde_json::{Value, json};

/// GETs `url` as the holder of `token`.
async fn get(http: &reqwest::Client, url: String, token: &str) -> reqwest::Response {
    http.get(url).bearer_auth(token).send().await.unwrap()
}

/// GETs `url` as the holder of `token` and reads the JSON answer.
async fn get_json(http: &reqwest::Client, url: String, token: &str) -> Value {
    get(http, url, token).await.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_duplicates_and_hot_issues() {
    let dir = tempfile::tempdir().unwrap();
    let store = support::sqlite_store(dir.path()).await;
    support::create_users(
        &*store,
        [
            ("lead", "领导", Role::Leader),
            ("op", "话务", Role::Operator),
        ]
        .map(|(name, shown, role)| NewUser {
            display_name: shown.into(),
            ..support::staff(name, role, None)
        }),
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
    let (op, lead) = (
        support::token(&http, &base, "op").await,
        support::token(&http, &base, "lead").await,
    );
    let appeals = [
        (
            "翠湖苑夜间施工噪音扰民",
            "翠湖苑旁工地每晚十一点后还在施工，噪音很大",
            "东城区",
        ),
        (
            "翠湖苑工地晚上施工太吵",
            "翠湖苑附近工地夜间施工，噪音影响休息",
            "东城区",
        ),
        (
            "翠湖苑深夜施工噪音",
            "翠湖苑小区旁边工地深夜施工，吵得睡不着",
            "东城区",
        ),
        ("滨江路路灯不亮", "滨江路一带路灯坏了一周", "西城区"),
        ("学校门口车辆乱停", "学府路小学门口早晚车辆乱停", "南湖区"),
    ];
    for (title, text, district) in appeals {
        let body = json!({"type": "投诉", "title": title, "text": text, "place": {"address": format!("{district}{title}"), "district": district}});
        let r = http
            .post(format!("{base}/api/appeals"))
            .bearer_auth(&op)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    // Live updates reach the index; a catch-up from the feed makes it complete.
    search.catch_up(store.clone()).await.unwrap();
    search.updater.flush().await.unwrap();

    let found: Value = get_json(&http, format!("{base}/api/search?q=施工噪音"), &op).await;
    assert_eq!(found["total"], 3, "{found}");
    assert!(
        found["hits"][0]["title_snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>"),
        "{found}"
    );
    let filtered: Value = get_json(
        &http,
        format!("{base}/api/search?q=路灯&district=西城区&status=registered"),
        &op,
    )
    .await;
    assert_eq!(filtered["total"], 1);
    let bad = get(&http, format!("{base}/api/search?q=%22路灯"), &op).await;
    assert_eq!(
        bad.status(),
        400,
        "a syntax error is a readable 400, not a 500"
    );
    assert!(
        bad.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("引号")
    );

    // The appeal list's words go to the index too: words apart in the text are found (a
    // substring match would miss 「噪音 施工」), and a syntax error is a 400.
    let listed: Value = get_json(
        &http,
        format!("{base}/api/appeals?q=噪音%20施工&limit=2"),
        &op,
    )
    .await;
    assert_eq!(listed["total"], 3, "{listed}");
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
    assert!(
        listed["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains("翠湖苑"),
        "{listed}"
    );
    let bad_list = get(&http, format!("{base}/api/appeals?q=%22路灯"), &op).await;
    assert_eq!(bad_list.status(), 400);

    let similar: Value = http
        .post(format!("{base}/api/appeals/similar"))
        .bearer_auth(&op)
        .json(&json!({"title": "翠湖苑工地夜里施工", "text": "噪音太大", "district": "东城区"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let titles: Vec<&str> = similar
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.len() >= 2 && titles.iter().all(|t| t.contains("翠湖苑")),
        "{titles:?}"
    );

    let hot: Value = get_json(&http, format!("{base}/api/hot?days=7"), &lead).await;
    assert_eq!(hot["appeals"], 5);
    assert_eq!(hot["groups"][0]["count"], 3, "{hot}");
    let forbidden = get(&http, format!("{base}/api/hot"), &op).await;
    assert_eq!(forbidden.status(), 403);
}
