//! Smart dispatch's learning loop through the API, on SQLite and PostgreSQL: a dispatcher's
//! correction, a valid return and the re-dispatch after it become labelled examples, a retrain is compared with the active model and
//! recorded, a pinned model is not replaced, and only admins may see or steer any of it.

mod support;

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::Store;
use serde_json::{Value, json};
use support::Api;

/// Invented appeals of three categories.
const HISTORY: &[(&str, &[&str])] = &[
    (
        "环境保护",
        &[
            "楼下烧烤摊油烟呛人",
            "化工厂夜里偷排废气",
            "河边垃圾堆发出恶臭",
            "装修工地粉尘飞扬",
        ],
    ),
    (
        "交通运输",
        &[
            "早高峰公交车太挤",
            "小区门口缺少红绿灯",
            "网约车司机中途甩客",
            "共享单车堆满人行道",
        ],
    ),
    (
        "教育文体",
        &[
            "幼儿园收费不透明",
            "学校操场周末不开放",
            "图书馆座位太少",
            "课外培训机构跑路",
        ],
    ),
];

async fn story(store: Arc<dyn Store>) {
    let lead = store
        .create_body(&NewBody {
            name: "市生态环境局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let other = store
        .create_body(&NewBody {
            name: "市交通运输局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let hash = jiesu_app::auth::hash_password("secret-pass".into())
        .await
        .unwrap();
    for (name, role, body) in [
        ("op", Role::Operator, None),
        ("disp", Role::Dispatcher, None),
        ("adm", Role::Admin, None),
        ("hand", Role::Handler, Some(lead.id)),
    ] {
        store
            .create_user(
                &NewUser {
                    username: name.into(),
                    display_name: name.into(),
                    role,
                    body,
                },
                &hash,
            )
            .await
            .unwrap();
    }
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    let base = support::serve(state).await;
    let http = reqwest::Client::new();
    let api = Api {
        base: base.clone(),
        http: http.clone(),
    };
    let op = support::token(&http, &base, "op").await;
    let disp = support::token(&http, &base, "disp").await;
    let adm = support::token(&http, &base, "adm").await;

    for (category, titles) in HISTORY {
        for title in *titles {
            for tail in ["", "，请尽快处理", "，反映多次"] {
                let (status, _) = api
                    .call(
                        "POST",
                        "/api/appeals",
                        &op,
                        Some(json!({"type": "投诉", "title": format!("{title}{tail}"), "text": format!("{title}{tail}。"), "category": category})),
                    )
                    .await;
                assert_eq!(status, 201);
            }
        }
    }
    let (status, trained) = api.call("POST", "/api/dispatch/models", &adm, None).await;
    assert_eq!(status, 201, "{trained}");
    let v1 = trained["version"].as_i64().unwrap();

    // An appeal the model sends one way; the dispatcher sends it under another category.
    let (status, intake) = api
        .call(
            "POST",
            "/api/appeals",
            &op,
            Some(json!({"type": "投诉", "title": "公交站台旁烧烤油烟", "text": "等车时烟熏得睁不开眼"})),
        )
        .await;
    assert_eq!(status, 201, "{intake}");
    let id = intake["appeal"]["id"].as_i64().unwrap();
    let suggested = intake["appeal"]["suggested"]["category"]
        .as_str()
        .unwrap_or("");
    let chosen = HISTORY
        .iter()
        .map(|(c, _)| *c)
        .find(|c| *c != suggested)
        .unwrap();
    let (status, done) = api
        .call(
            "POST",
            &format!("/api/appeals/{id}/actions"),
            &disp,
            Some(json!({"action": "dispatch", "lead": lead.id.0, "category": [chosen]})),
        )
        .await;
    assert_eq!(status, 200, "{done}");

    // The body returns it; the dispatcher approves and sends it to another body.
    let hand = support::token(&http, &base, "hand").await;
    let act = |token: String, action: Value| {
        let api = &api;
        async move {
            let (status, body) = api
                .call(
                    "POST",
                    &format!("/api/appeals/{id}/actions"),
                    &token,
                    Some(action),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    };
    act(hand.clone(), json!({"action": "sign"})).await;
    act(
        hand,
        json!({"action": "return", "reason": "不属于本局职责"}),
    )
    .await;
    act(
        disp.clone(),
        json!({"action": "judge_return", "approved": true, "reason": "确属交通部门",
               "redispatch": {"lead": other.id.0}}),
    )
    .await;

    let (status, report) = api.call("GET", "/api/dispatch/learning", &adm, None).await;
    assert_eq!(status, 200, "{report}");
    let counts: Vec<(&str, i64)> = report["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["source"].as_str().unwrap(), e["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        counts,
        [("correction", 1), ("return", 1), ("redispatch", 1)],
        "{report}"
    );
    assert_eq!(report["active"], v1);
    assert_eq!(report["pinned"], Value::Null);
    assert_eq!(report["runs"], json!([]));

    // A retrain: candidate and active model scored on the same held-back appeals.
    let (status, run) = api
        .call("POST", "/api/dispatch/learning/retrain", &adm, None)
        .await;
    assert_eq!(status, 201, "{run}");
    let v2 = run["candidate"].as_i64().unwrap();
    assert!(v2 > v1);
    assert_eq!(run["active"], v1);
    assert_eq!(run["examples"], 3);
    assert!(run["held_back"].as_u64().unwrap() > 0);
    assert!(run["active_macro_f1"].is_number());
    let activated = run["decision"] == "activated";
    assert!(activated || run["decision"] == "kept", "{run}");

    // Pinned: the next retrain is kept, the pinned model stays active.
    let (status, _) = api
        .call(
            "POST",
            &format!("/api/dispatch/models/{v1}/pin"),
            &adm,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (_, run) = api
        .call("POST", "/api/dispatch/learning/retrain", &adm, None)
        .await;
    assert_eq!(run["decision"], "pinned", "{run}");
    let (_, report) = api.call("GET", "/api/dispatch/learning", &adm, None).await;
    assert_eq!(
        (report["pinned"].as_i64(), report["active"].as_i64()),
        (Some(v1), Some(v1))
    );
    assert_eq!(report["runs"].as_array().unwrap().len(), 2);
    assert_eq!(report["runs"][1]["candidate"], v2, "newest first");

    // Activating another version by hand moves the pin with it.
    let (status, _) = api
        .call(
            "POST",
            &format!("/api/dispatch/models/{v2}/activate"),
            &adm,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (_, report) = api.call("GET", "/api/dispatch/learning", &adm, None).await;
    assert_eq!(
        (report["pinned"].as_i64(), report["active"].as_i64()),
        (Some(v2), Some(v2))
    );

    let (status, _) = api
        .call("DELETE", "/api/dispatch/models/pin", &adm, None)
        .await;
    assert_eq!(status, 204);
    let (_, report) = api.call("GET", "/api/dispatch/learning", &adm, None).await;
    assert_eq!(report["pinned"], Value::Null);

    let (status, e) = api
        .call("POST", "/api/dispatch/models/999999/pin", &adm, None)
        .await;
    assert_eq!(
        (status.as_u16(), e["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, _) = api.call("GET", "/api/dispatch/learning", &disp, None).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learning_loop_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learning_loop_on_postgres() {
    story(support::postgres_store("learning").await).await;
}
