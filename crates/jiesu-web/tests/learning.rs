//! Smart dispatch's learning loop through the API, on SQLite and PostgreSQL: a dispatcher's
//! correction, a valid return and the re-dispatch after it become labelled examples (read
//! again only as they change, each counted once), a retrain is compared with the active
//! model and recorded, a pinned model is not replaced, and only admins may see or steer any
//! of it.

mod support;

use std::sync::Arc;

use jiesu_app::dispatch::Advance;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::Role;
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
    support::users(
        &*store,
        &[
            ("op", Role::Operator, None),
            ("disp", Role::Dispatcher, None),
            ("adm", Role::Admin, None),
            ("hand", Role::Handler, Some(lead.id)),
        ],
    )
    .await;
    let app = jiesu_app::App::load(store.clone()).await.unwrap();
    let state = jiesu_web::AppState::new(app.clone());
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
    let id = corrected(&api, &op, &disp, "公交站台旁烧烤油烟", lead.id.0).await;

    // The body returns it; the dispatcher approves and sends it to another body.
    let hand = support::token(&http, &base, "hand").await;
    redispatched(&api, &hand, &disp, id, other.id.0).await;
    assert_eq!(
        counts(&api, &adm).await,
        "correction=1 return=1 redispatch=1"
    );
    let (_, report) = api.call("GET", "/api/dispatch/learning", &adm, None).await;
    assert_eq!(report["active"], v1);
    assert_eq!(report["pinned"], Value::Null);
    assert_eq!(report["runs"], json!([]));

    // A correction made after the examples were read is counted at the next look, which
    // reads just its dispatch; looking again reads nothing new and counts nothing twice.
    let late = corrected(&api, &op, &disp, "小区门口烧烤摊占道", lead.id.0).await;
    let one = |events| Advance { events, appeals: 1 };
    assert_eq!(app.advance_examples().await.unwrap(), one(1));
    assert_eq!(app.advance_examples().await.unwrap(), Advance::default());
    let after_late = "correction=2 return=1 redispatch=1";
    assert_eq!(counts(&api, &adm).await, after_late);
    assert_eq!(counts(&api, &adm).await, after_late);
    // Its return and re-dispatch rebuild its examples: its correction is not counted again.
    redispatched(&api, &hand, &disp, late, other.id.0).await;
    assert_eq!(app.advance_examples().await.unwrap(), one(2));
    assert_eq!(
        counts(&api, &adm).await,
        "correction=2 return=2 redispatch=2"
    );

    // A retrain: candidate and active model scored on the same held-back appeals.
    let (status, run) = api
        .call("POST", "/api/dispatch/learning/retrain", &adm, None)
        .await;
    assert_eq!(status, 201, "{run}");
    let v2 = run["candidate"].as_i64().unwrap();
    assert!(v2 > v1);
    assert_eq!(run["active"], v1);
    assert_eq!(run["examples"], 6);
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

/// Files an appeal titled `title` and dispatches it to `lead` under another category than
/// the model suggested (a correction); returns its id.
async fn corrected(api: &Api, op: &str, disp: &str, title: &str, lead: i64) -> i64 {
    let (status, intake) = api
        .call(
            "POST",
            "/api/appeals",
            op,
            Some(
                json!({"type": "投诉", "title": title, "text": format!("{title}，烟熏得睁不开眼")}),
            ),
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
            disp,
            Some(json!({"action": "dispatch", "lead": lead, "category": [chosen]})),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    id
}

/// The body `hand` works for returns appeal `id`; the dispatcher approves the return and
/// sends it to `other`.
async fn redispatched(api: &Api, hand: &str, disp: &str, id: i64, other: i64) {
    for (token, action) in [
        (hand, json!({"action": "sign"})),
        (
            hand,
            json!({"action": "return", "reason": "不属于本局职责"}),
        ),
        (
            disp,
            json!({"action": "judge_return", "approved": true, "reason": "确属交通部门",
                   "redispatch": {"lead": other}}),
        ),
    ] {
        let (status, body) = api
            .call(
                "POST",
                &format!("/api/appeals/{id}/actions"),
                token,
                Some(action),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
}

/// The learning report's examples per source: `correction=1 return=0 …`.
async fn counts(api: &Api, adm: &str) -> String {
    let (status, report) = api.call("GET", "/api/dispatch/learning", adm, None).await;
    assert_eq!(status, 200, "{report}");
    let counts: Vec<String> = report["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}={}", e["source"].as_str().unwrap(), e["count"]))
        .collect();
    counts.join(" ")
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
