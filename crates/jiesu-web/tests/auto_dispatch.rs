//! Automatic dispatch (自动派单) through the API, on both backends: off until an admin turns
//! it on; then an intake the model is sure of goes to the routed body as a system event
//! with the model's version and confidence, limits by channel hold others back, a
//! dispatcher takes one back, and the model's live figures count both.

mod support;

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::Role;
use jiesu_store::Store;
use serde_json::json;
use support::Api;

async fn story(store: Arc<dyn Store>) {
    let bureau = store
        .create_body(&NewBody {
            name: "市综合执法局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    support::users(
        &*store,
        &[
            ("op", Role::Operator, None),
            ("disp", Role::Dispatcher, None),
            ("adm", Role::Admin, None),
        ],
    )
    .await;
    let version =
        jiesu_app::dispatch::train_and_store(&*store, support::dispatch_history(), true, |_, _| {})
            .await
            .unwrap();
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    let api = Api {
        base: support::serve(state).await,
        http: reqwest::Client::new(),
    };
    let [op, disp, adm] = [
        support::token(&api.http, &api.base, "op").await,
        support::token(&api.http, &api.base, "disp").await,
        support::token(&api.http, &api.base, "adm").await,
    ];
    let rules = json!([{"category": null, "area": null, "body": bureau.id.0}]);
    let (status, _) = api
        .call("PUT", "/api/dispatch/routing", &adm, Some(rules))
        .await;
    assert_eq!(status, 200);
    let intake = |title: &str, channel: &str| {
        let body = json!({"type": "投诉", "title": title, "text": format!("{title}，请尽快处理"), "channel": channel});
        let api = &api;
        let op = op.clone();
        async move {
            let (status, v) = api.call("POST", "/api/appeals", &op, Some(body)).await;
            assert_eq!(status, 201, "{v}");
            v["appeal"].clone()
        }
    };

    // Off until an admin turns it on.
    let (_, auto) = api.call("GET", "/api/dispatch/auto", &op, None).await;
    assert_eq!(auto["settings"]["enabled"], false, "{auto}");
    let held = intake("工地噪声太大影响休息", "热线").await;
    assert_eq!(held["status"], "待派单");

    // Refused settings, in Chinese.
    for wrong in [
        json!({"enabled": true, "target_precision": 1.5}),
        json!({"enabled": true, "categories": ["没有这个分类"]}),
    ] {
        let (status, e) = api
            .call("PUT", "/api/dispatch/auto", &adm, Some(wrong))
            .await;
        assert_eq!(status, 422, "{e}");
    }
    let (status, _) = api
        .call(
            "PUT",
            "/api/dispatch/auto",
            &op,
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 403);

    let on = json!({"enabled": true, "target_precision": 0.5});
    let (status, auto) = api.call("PUT", "/api/dispatch/auto", &adm, Some(on)).await;
    assert_eq!(status, 200, "{auto}");
    assert_eq!(auto["model_version"], version);
    let threshold = auto["threshold"].as_f64().expect("a threshold at 50 %");

    // Appeals the model is sure of go on their own, the others wait.
    let mut dispatched = Vec::new();
    for title in ["公司不交社保", "路口红绿灯时间太短", "河道污水发臭"] {
        let a = intake(title, "热线").await;
        let confidence = a["suggested"]["confidence"].as_f64().unwrap();
        if confidence >= threshold {
            assert_eq!(a["status"], "待签收", "{a}");
            assert_eq!(a["lead_body"], bureau.id.0);
            assert_eq!(a["auto_dispatched"]["model_version"], version);
            dispatched.push(a["id"].as_i64().unwrap());
        } else {
            assert_eq!(a["status"], "待派单", "{a}");
        }
    }
    assert!(!dispatched.is_empty(), "a sure appeal goes on its own");

    // Limited to another channel: held back.
    let web_only = json!({"enabled": true, "target_precision": 0.5, "channels": ["网站"]});
    let (status, _) = api
        .call("PUT", "/api/dispatch/auto", &adm, Some(web_only))
        .await;
    assert_eq!(status, 200);
    let a = intake("公司不交社保", "热线").await;
    assert_eq!(a["status"], "待派单");

    // A dispatcher takes one back; an operator may not.
    let id = dispatched[0];
    let recall = json!({"action": "recall", "reason": "分类需要人工确认"});
    let path = format!("/api/appeals/{id}/actions");
    let (status, _) = api.call("POST", &path, &op, Some(recall.clone())).await;
    assert_eq!(status, 403);
    let (status, v) = api.call("POST", &path, &disp, Some(recall.clone())).await;
    assert_eq!(status, 200, "{v}");
    let (_, a) = api
        .call("GET", &format!("/api/appeals/{id}"), &disp, None)
        .await;
    let appeal = if a["appeal"].is_object() {
        &a["appeal"]
    } else {
        &a
    };
    assert_eq!(appeal["status"], "待派单", "{a}");
    let (status, _) = api.call("POST", &path, &disp, Some(recall)).await;
    assert!(status.is_client_error(), "nothing left to take back");

    let (status, figures) = api
        .call(
            "GET",
            &format!("/api/dispatch/models/{version}/figures"),
            &adm,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(figures["dispatched"], dispatched.len(), "{figures}");
    assert_eq!(figures["recalled"], 1, "{figures}");

    // The figures count from the latest activation: another version in between, then this
    // one again, and its earlier dispatches no longer count.
    let other = jiesu_app::dispatch::train_and_store(
        &*store,
        support::dispatch_history(),
        false,
        |_, _| {},
    )
    .await
    .unwrap();
    for v in [other, version] {
        let (status, body) = api
            .call(
                "POST",
                &format!("/api/dispatch/models/{v}/activate"),
                &adm,
                None,
            )
            .await;
        assert_eq!(status, 204, "{body}");
    }
    let (_, again) = api
        .call(
            "GET",
            &format!("/api/dispatch/models/{version}/figures"),
            &adm,
            None,
        )
        .await;
    assert_eq!(again["dispatched"], 0, "{again}");
    assert!(
        again["since"].as_str().unwrap() > figures["since"].as_str().unwrap(),
        "{again} {figures}"
    );
    let (status, _) = api
        .call("GET", "/api/dispatch/models/999999/figures", &adm, None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_dispatch_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_dispatch_on_postgres() {
    story(support::postgres_store("auto_dispatch").await).await;
}
