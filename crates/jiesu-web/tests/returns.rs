//! Returns judged by the dispatcher (退单审核), co-bodies' opinions (协办意见), supervision
//! notices answered and alerted (督办回复 · 督办单临期/超期), and flags lifted (撤销挂牌),
//! through the JSON API on a real server over SQLite and PostgreSQL.

mod support;

use std::sync::Arc;

use chrono::{Duration, Utc};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::deadline::{DeadlineState, SideClock, Timekeeper};
use jiesu_domain::event::EventKind;
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::user::Role;
use jiesu_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

struct World {
    store: Arc<dyn Store>,
    base: String,
    http: Client,
    /// Street A (the first lead), street B (co-body), street C (where returns go).
    a: BodyId,
    b: BodyId,
    c: BodyId,
    /// Tokens of the users signed in so far (signing in hashes a password: slow).
    tokens: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

async fn world(store: Arc<dyn Store>) -> World {
    let mut ids = vec![];
    for name in ["甲街道", "乙街道", "丙街道"] {
        let body = store
            .create_body(&NewBody {
                name: name.into(),
                kind: BodyKind::Street,
                parent: None,
                areas: vec![],
            })
            .await
            .unwrap();
        ids.push(body.id);
    }
    support::users(
        &*store,
        &[
            ("op", Role::Operator, None),
            ("disp", Role::Dispatcher, None),
            ("hand_a", Role::Handler, Some(ids[0])),
            ("hand_b", Role::Handler, Some(ids[1])),
            ("hand_c", Role::Handler, Some(ids[2])),
            ("sup", Role::Supervisor, None),
            ("boss", Role::Leader, None),
        ],
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    let base = support::serve(state).await;
    World {
        store,
        base,
        http: Client::new(),
        a: ids[0],
        b: ids[1],
        c: ids[2],
        tokens: Default::default(),
    }
}

impl World {
    async fn token(&self, user: &str) -> String {
        if let Some(token) = self.tokens.lock().unwrap().get(user) {
            return token.clone();
        }
        let token = support::token(&self.http, &self.base, user).await;
        self.tokens
            .lock()
            .unwrap()
            .insert(user.to_string(), token.clone());
        token
    }

    async fn call(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body),
        };
        let resp = req.bearer_auth(token).send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn act(&self, token: &str, id: i64, action: Value) -> (StatusCode, Value) {
        self.call(token, "POST", &format!("/api/appeals/{id}/actions"), action)
            .await
    }

    /// An appeal dispatched to A (with co-bodies `co`) and signed by A.
    async fn signed(&self, title: &str, co: &[BodyId]) -> i64 {
        let op = self.token("op").await;
        let (status, made) = self
            .call(
                &op,
                "POST",
                "/api/appeals",
                json!({
                    "type": "投诉",
                    "title": title,
                    "text": "每天傍晚有摊贩占用人行道，行人只能走机动车道。",
                    "citizen": {"name": "李女士", "phone": "13912345678"},
                    "place": {"address": "甲街道幸福路口"}
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let id = made["appeal"]["id"].as_i64().expect("appeal id");
        let disp = self.token("disp").await;
        let co: Vec<i64> = co.iter().map(|b| b.0).collect();
        let (status, body) = self
            .act(
                &disp,
                id,
                json!({"action": "dispatch", "lead": self.a.0, "co": co}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let hand = self.token("hand_a").await;
        let (status, body) = self.act(&hand, id, json!({"action": "sign"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        id
    }

    /// The appeal returned by A.
    async fn returned(&self, title: &str) -> i64 {
        let id = self.signed(title, &[]).await;
        let hand = self.token("hand_a").await;
        let (status, body) = self
            .act(
                &hand,
                id,
                json!({"action": "return", "reason": "占道经营不属于本街道职责"}),
            )
            .await;
        assert_eq!(
            (status, body["appeal"]["status"].as_str()),
            (StatusCode::OK, Some("退单待审")),
            "{body}"
        );
        id
    }

    /// The names and `approved` fields of the appeal's judge_return events.
    async fn judgements(&self, id: i64) -> Vec<bool> {
        let events = self.store.events(AppealId(id)).await.unwrap();
        events
            .iter()
            .filter(|e| e.kind.name() == "judge_return")
            .map(|e| match &e.kind {
                EventKind::JudgeReturn { approved, .. } => *approved,
                _ => unreachable!(),
            })
            .collect()
    }
}

async fn returns_are_judged(w: World) {
    let disp = w.token("disp").await;
    let hand_a = w.token("hand_a").await;

    // Approving without saying where to, or back to the same body, writes nothing.
    let id = w.returned("占道经营一").await;
    let (status, err) = w
        .act(
            &disp,
            id,
            json!({"action": "judge_return", "approved": true, "reason": "确属城管职责"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["message"].as_str().unwrap().contains("改派"), "{err}");
    let (status, err) = w
        .act(
            &disp,
            id,
            json!({"action": "judge_return", "approved": true, "reason": "同意",
                   "redispatch": {"lead": w.a.0}}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert_eq!(err["message"], "退单已批准，请改派其他单位");
    let (status, err) = w
        .act(
            &hand_a,
            id,
            json!({"action": "judge_return", "approved": false, "reason": "自审"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(w.judgements(id).await.is_empty(), "nothing half-written");

    // Approved: re-dispatched to C in the same step, the return not held against A.
    let (status, detail) = w
        .act(
            &disp,
            id,
            json!({"action": "judge_return", "approved": true, "reason": "确属丙街道辖区",
                   "redispatch": {"lead": w.c.0, "note": "请及时签收"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["appeal"]["status"], "待签收");
    assert_eq!(detail["appeal"]["lead_body"], w.c.0);
    let actions: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.ends_with(&["return", "judge_return", "dispatch"]),
        "{actions:?}"
    );
    assert_eq!(w.judgements(id).await, [true]);
    let hand_c = w.token("hand_c").await;
    let (status, _) = w.act(&hand_c, id, json!({"action": "sign"})).await;
    assert_eq!(status, StatusCode::OK, "the new body works on it");
    let (status, _) = w
        .call(&hand_a, "GET", &format!("/api/appeals/{id}"), Value::Null)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no longer A's");

    // Rejected: back to A as it was (signed), counted as an invalid return.
    let id = w.returned("占道经营二").await;
    let (status, err) = w
        .act(
            &disp,
            id,
            json!({"action": "judge_return", "approved": false, "reason": "属本街道",
                   "redispatch": {"lead": w.c.0}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, detail) = w
        .act(
            &disp,
            id,
            json!({"action": "judge_return", "approved": false,
                   "reason": "该路段属甲街道管辖，请继续办理"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["appeal"]["status"], "办理中");
    assert_eq!(detail["appeal"]["lead_body"], w.a.0);
    assert_eq!(w.judgements(id).await, [false]);
    let (status, _) = w
        .act(
            &hand_a,
            id,
            json!({"action": "reply", "text": "已联系城管联合整治，占道摊贩已清理。"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "A answers it");
}

async fn co_bodies_answer_their_part(w: World) {
    let id = w.signed("占道经营三", &[w.b]).await;
    let hand_b = w.token("hand_b").await;
    let hand_a = w.token("hand_a").await;
    let hand_c = w.token("hand_c").await;
    let (status, list) = w.call(&hand_b, "GET", "/api/appeals", Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id),
        "the co-body sees it in its list: {list}"
    );
    let (_, detail) = w
        .call(&hand_b, "GET", &format!("/api/appeals/{id}"), Value::Null)
        .await;
    assert!(
        detail["appeal"]["deadline"]["co"]["due_at"].is_string(),
        "the co-bodies' clock runs: {detail}"
    );
    let (status, err) = w
        .act(
            &hand_a,
            id,
            json!({"action": "co_opinion", "text": "主办自填"}),
        )
        .await;
    assert_eq!(
        (status, err["message"].as_str()),
        (StatusCode::FORBIDDEN, Some("只有协办单位可以提交协办意见"))
    );
    let (status, _) = w
        .act(
            &hand_c,
            id,
            json!({"action": "co_opinion", "text": "无关单位"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = w
        .act(&hand_b, id, json!({"action": "co_opinion", "text": "  "}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, detail) = w
        .act(
            &hand_b,
            id,
            json!({"action": "co_opinion", "text": "乙街道将配合夜间巡查，劝离流动摊贩。"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let opinions = detail["appeal"]["co_opinions"].as_array().unwrap();
    assert_eq!(opinions.len(), 1);
    assert_eq!(opinions[0]["body"], w.b.0);
    assert!(
        detail["appeal"]["deadline"]["co"].is_null(),
        "every opinion is in: {detail}"
    );
    let (_, inbox) = w.call(&hand_a, "GET", "/api/inbox", Value::Null).await;
    assert!(
        inbox.to_string().contains("协办意见已提交"),
        "the lead hears of it: {inbox}"
    );
}

async fn supervision_is_timed_and_flags_are_lifted(w: World) {
    let id = w.signed("占道经营四", &[]).await;
    let sup = w.token("sup").await;
    let hand_a = w.token("hand_a").await;
    let boss = w.token("boss").await;
    let reply_by = (Utc::now() + Duration::days(3)).date_naive();
    let (status, detail) = w
        .act(
            &sup,
            id,
            json!({"action": "supervise", "note": "请书面回复整改情况", "reply_by": reply_by}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert!(detail["appeal"]["deadline"]["supervision"]["due_at"].is_string());

    // Past the reply date the scanner sends the 督办单 reminders, each once, beside the
    // stage's own.
    let later = Utc::now() + Duration::days(30);
    let timekeeper = Timekeeper::default();
    for _ in 0..6 {
        jiesu_app::scanner::scan(&w.store, &timekeeper, later)
            .await
            .unwrap();
    }
    let events = w.store.events(AppealId(id)).await.unwrap();
    let side: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ClockRemind { clock, state } => Some((*clock, *state)),
            _ => None,
        })
        .collect();
    assert_eq!(side, [(SideClock::Supervision, DeadlineState::Overdue)]);
    let (_, inbox) = w.call(&hand_a, "GET", "/api/inbox", Value::Null).await;
    assert!(inbox.to_string().contains("督办单已超期"), "{inbox}");

    // The body answers the notice: the clock stops.
    let (status, detail) = w
        .act(
            &hand_a,
            id,
            json!({"action": "supervise_reply", "text": "已设置隔离护栏，安排专人值守。"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert!(detail["appeal"]["supervised_until"].is_null());
    assert!(detail["appeal"]["deadline"]["supervision"].is_null());

    // A flag is lifted with a reason by a leader.
    let (status, _) = w
        .act(&boss, id, json!({"action": "flag", "note": "群众反映强烈"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, err) = w
        .act(&boss, id, json!({"action": "unflag", "reason": ""}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, err) = w
        .act(&hand_a, id, json!({"action": "unflag", "reason": "已整改"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    let (status, detail) = w
        .act(
            &boss,
            id,
            json!({"action": "unflag", "reason": "已整改到位"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["appeal"]["flagged"], false);
}

async fn sqlite() -> World {
    let dir = tempfile::tempdir().unwrap().keep();
    world(support::sqlite_store(&dir).await).await
}

async fn postgres() -> World {
    world(support::postgres_store("returns").await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn returns_on_sqlite() {
    returns_are_judged(sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn returns_on_postgres() {
    returns_are_judged(postgres().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn co_bodies_on_sqlite() {
    co_bodies_answer_their_part(sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn co_bodies_on_postgres() {
    co_bodies_answer_their_part(postgres().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervision_on_sqlite() {
    supervision_is_timed_and_flags_are_lifted(sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervision_on_postgres() {
    supervision_is_timed_and_flags_are_lifted(postgres().await).await;
}
