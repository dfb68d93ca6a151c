//! Reply review (答复评价) through the JSON API on a real server, over SQLite and
//! PostgreSQL: a reply is scored when it is given, the scores and gaps are returned for the
//! appeal, the review decision is kept with them, and the body's mean counts them.

mod support;

use std::sync::Arc;

use chrono::{Duration, Utc};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::Role;
use jiesu_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

struct Api {
    base: String,
    http: Client,
}

impl Api {
    async fn call(&self, token: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("{}{}", self.base, path);
        let req = match body {
            Some(b) => self.http.post(url).json(&b),
            None => self.http.get(url),
        };
        let resp = req.bearer_auth(token).send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn act(&self, token: &str, id: i64, action: Value) -> StatusCode {
        let path = format!("/api/appeals/{id}/actions");
        self.call(token, &path, Some(action)).await.0
    }
}

async fn story(store: Arc<dyn Store>) {
    let street = store
        .create_body(&NewBody {
            name: "枫林街道".into(),
            kind: BodyKind::Street,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let other = store
        .create_body(&NewBody {
            name: "湘江街道".into(),
            kind: BodyKind::Street,
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
            ("hand", Role::Handler, Some(street.id)),
            ("hand2", Role::Handler, Some(other.id)),
            ("sup", Role::Supervisor, None),
        ],
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    let api = Api {
        base: support::serve(state).await,
        http: Client::new(),
    };
    let token = |name: &'static str| support::token(&api.http, &api.base, name);
    let (op, disp, hand, hand2, sup) = (
        token("op").await,
        token("disp").await,
        token("hand").await,
        token("hand2").await,
        token("sup").await,
    );

    let (status, created) = api
        .call(
            &op,
            "/api/appeals",
            Some(json!({
                "type": "投诉",
                "title": "桂园小区北门垃圾站恶臭",
                "text": "枫林街道桂园小区北门的垃圾站每天傍晚才清运，恶臭扑鼻，请求改为上午清运。",
                "citizen": {"name": "王女士", "phone": "13900001111"},
                "place": {"address": "枫林街道桂园小区"}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["appeal"]["id"].as_i64().unwrap();
    let review_path = format!("/api/appeals/{id}/reply-review");

    // No reply yet: nothing to review, said in Chinese.
    let (status, err) = api.call(&sup, &review_path, None).await;
    assert_eq!(
        (status, err["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("该诉求尚无答复"))
    );

    assert_eq!(
        api.act(
            &disp,
            id,
            json!({"action": "dispatch", "lead": street.id.0})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        api.act(&hand, id, json!({"action": "sign"})).await,
        StatusCode::OK
    );
    assert_eq!(
        api.act(
            &hand,
            id,
            json!({"action": "reply", "text": "您好，来信已收悉。"})
        )
        .await,
        StatusCode::OK
    );

    // The bare acknowledgement was scored when given: incomplete, formulas only.
    let (status, review) = api.call(&sup, &review_path, None).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(review["body"], street.id.0);
    assert!(review["completeness"].as_f64().unwrap() < 0.01, "{review}");
    let gaps: Vec<&str> = review["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    for gap in ["仅有套话", "未说明处理结果", "未告知联系方式或后续安排"] {
        assert!(gaps.contains(&gap), "{gap} missing in {gaps:?}");
    }
    assert!(
        gaps.iter().any(|g| g.starts_with("未提及诉求地点")),
        "{gaps:?}"
    );
    assert_eq!(review["approved"], Value::Null);
    let first_seq = review["reply_seq"].as_i64().unwrap();

    // Another body's handler may not read it.
    assert_eq!(
        api.call(&hand2, &review_path, None).await.0,
        StatusCode::FORBIDDEN
    );

    // Sent back, the decision is kept with the scores; the new reply is scored anew.
    assert_eq!(
        api.act(
            &sup,
            id,
            json!({"action": "review", "approve": false, "reason": "请说明处理结果"})
        )
        .await,
        StatusCode::OK
    );
    let scores = store
        .reply_scores(jiesu_domain::ids::AppealId(id))
        .await
        .unwrap();
    assert_eq!(
        (scores[0].reply_seq, scores[0].approved),
        (first_seq, Some(false))
    );
    let full = "王女士您好！经枫林街道城管办现场核实，桂园小区北门垃圾站每天17时清运一次，情况属实。\
        根据《生活垃圾管理办法》的规定，已责令环卫所改为每天8时、17时各清运一次，并于月底前完成加盖。\
        如有疑问请致电街道城管办，我们将持续跟进。感谢您的监督与支持！";
    assert_eq!(
        api.act(&hand, id, json!({"action": "reply", "text": full}))
            .await,
        StatusCode::OK
    );
    let (_, better) = api.call(&sup, &review_path, None).await;
    assert!(better["reply_seq"].as_i64().unwrap() > first_seq);
    assert!(better["completeness"].as_f64().unwrap() > 0.99, "{better}");
    assert!(
        better["overall"].as_f64().unwrap() > review["overall"].as_f64().unwrap() + 0.3,
        "{better}"
    );
    assert_eq!(better["gaps"], json!([]), "{better}");
    assert_eq!(
        api.act(&sup, id, json!({"action": "review", "approve": true}))
            .await,
        StatusCode::OK
    );
    let (_, approved) = api.call(&sup, &review_path, None).await;
    assert_eq!(approved["approved"], true);

    // Both replies count in the body's mean for the period.
    let now = Utc::now();
    let means = store
        .reply_review_mean_by_body(now - Duration::days(1), now + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(
        (means.len(), means[0].body, means[0].replies),
        (1, street.id, 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_review_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_review_on_postgres() {
    story(support::postgres_store("replies").await).await;
}
