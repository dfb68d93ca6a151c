//! The API story on a real server (port 0) over SQLite and PostgreSQL: a citizen submits,
//! staff carry the appeal through its life, the citizen sees it closed; bad input, access
//! rules and concurrent actions along the way.

mod support;

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::Role;
use jiesu_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

struct Server {
    base: String,
    http: Client,
    handler_body: BodyId,
    other_body: BodyId,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn start(store: Arc<dyn Store>) -> Server {
    let city = store
        .create_body(&NewBody {
            name: "测试市".into(),
            kind: BodyKind::City,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let street = store
        .create_body(&NewBody {
            name: "测试街道".into(),
            kind: BodyKind::Street,
            parent: Some(city.id),
            areas: vec![],
        })
        .await
        .unwrap();
    let other = store
        .create_body(&NewBody {
            name: "另一街道".into(),
            kind: BodyKind::Street,
            parent: Some(city.id),
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
            ("adm", Role::Admin, None),
        ],
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(jiesu_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let http = Client::new();
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::task::yield_now().await;
    }
    Server {
        base,
        http,
        handler_body: street.id,
        other_body: other.id,
        _stop: stop,
    }
}

impl Server {
    async fn login(&self, user: &str) -> String {
        let r: Value = self
            .http
            .post(format!("{}/api/session", self.base))
            .json(&json!({"username": user, "password": support::PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["token"].as_str().expect("token").to_string()
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}{}", self.base, path);
        let mut req = match method {
            "GET" => self.http.get(url),
            "POST" => self.http.post(url),
            "PUT" => self.http.put(url),
            _ => self.http.delete(url),
        };
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn act(&self, token: &str, id: i64, action: Value) -> (StatusCode, Value) {
        self.call(
            "POST",
            &format!("/api/appeals/{id}/actions"),
            Some(token),
            Some(action),
        )
        .await
    }
}

fn citizen_appeal(title: &str) -> Value {
    json!({
        "type": "投诉",
        "title": title,
        "text": "小区东门路灯坏了一周，晚上很黑。",
        "citizen": {"name": "张先生", "phone": "13812345678", "email": "zhang@example.cn"},
        "place": {"address": "测试街道翠湖苑"}
    })
}

async fn whole_story(s: Server) {
    // A citizen submits and can track with the code; a wrong code reveals nothing.
    let (status, submitted) = s
        .call(
            "POST",
            "/api/public/appeals",
            None,
            Some(citizen_appeal("路灯不亮")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{submitted}");
    let number = submitted["number"].as_str().unwrap().to_string();
    let code = submitted["query_code"].as_str().unwrap().to_string();
    let (status, tracked) = s
        .call(
            "GET",
            &format!("/api/public/appeals/{number}?code={code}"),
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, tracked["status"].as_str()),
        (StatusCode::OK, Some("registered"))
    );
    let (wrong, body_wrong) = s
        .call(
            "GET",
            &format!("/api/public/appeals/{number}?code=000000x"),
            None,
            None,
        )
        .await;
    let (unknown, body_unknown) = s
        .call(
            "GET",
            "/api/public/appeals/19990101000001?code=1",
            None,
            None,
        )
        .await;
    assert_eq!(
        (wrong, unknown),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert_eq!(
        body_wrong, body_unknown,
        "a wrong code and an unknown number look the same"
    );

    // Staff routes need a session.
    let (status, body) = s.call("GET", "/api/appeals", None, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let disp = s.login("disp").await;
    let hand = s.login("hand").await;
    let hand2 = s.login("hand2").await;
    let sup = s.login("sup").await;
    let (_, list) = s
        .call("GET", "/api/appeals?status=registered", Some(&disp), None)
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(
        list["items"][0]["citizen"]["phone"], "138****5678",
        "lists mask phones"
    );
    assert_eq!(
        list["items"][0]["citizen"]["email"], "z***@example.cn",
        "and mail addresses"
    );
    let id = list["items"][0]["id"].as_i64().unwrap();

    // Unknown body, then the real dispatch.
    let (status, err) = s
        .act(&disp, id, json!({"action": "dispatch", "lead": 9999}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, detail) = s
        .act(
            &disp,
            id,
            json!({"action": "dispatch", "lead": s.handler_body.0, "note": "请核实"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["appeal"]["status"], "待签收");

    // Another body's handler can neither see nor act; the right one signs, once.
    let (status, _) = s
        .call("GET", &format!("/api/appeals/{id}"), Some(&hand2), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, theirs) = s.call("GET", "/api/appeals", Some(&hand2), None).await;
    assert_eq!(theirs["total"], 0);
    let (a, b) = tokio::join!(
        s.act(&hand, id, json!({"action": "sign", "version": 2})),
        s.act(&hand, id, json!({"action": "sign", "version": 2}))
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "exactly one of two simultaneous signs wins"
    );

    // Illegal transitions are refused with a clear message.
    let (status, err) = s
        .act(&sup, id, json!({"action": "review", "approve": true}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["message"], "当前状态「办理中」下不能执行「审核通过」");

    let reply = "经核实已更换灯具，恢复照明。依据路灯管理办法处理。联系人：测试街道城建科。";
    assert_eq!(
        s.act(&hand, id, json!({"action": "reply", "text": reply}))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        s.act(&sup, id, json!({"action": "review", "approve": true}))
            .await
            .0,
        StatusCode::OK
    );
    let (status, done) = s
        .act(
            &sup,
            id,
            json!({"action": "callback", "solved": true, "satisfaction": "满意"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["appeal"]["status"], "已办结");
    let actions: Vec<&str> = done["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "register", "dispatch", "sign", "reply", "review", "callback"
        ]
    );

    let (_, tracked) = s
        .call(
            "GET",
            &format!("/api/public/appeals/{number}?code={code}"),
            None,
            None,
        )
        .await;
    assert_eq!(tracked["status"], "closed");
    assert_eq!(tracked["reply"], reply);
    let _ = s.other_body;
}

/// The status the server answers an intake whose declared body is `length` bytes with,
/// sending only the request's head: a body over the limit is refused before any of it is
/// read, and a client still writing a body that large may see the connection closed under
/// it before it reads the answer.
async fn status_for_declared_body(s: &Server, token: &str, length: usize) -> StatusCode {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = s.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST /api/appeals HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = [0u8; 64];
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("the server answers before the body is sent")
        .unwrap();
    let status_line = String::from_utf8_lossy(&answer[..read]).into_owned();
    let code = status_line.split_whitespace().nth(1).unwrap_or_default();
    StatusCode::from_bytes(code.as_bytes()).unwrap_or_else(|_| panic!("no status: {status_line}"))
}

async fn bad_input_is_refused_cleanly(s: Server) {
    let op = s.login("op").await;
    let cases = [
        (
            json!({"type": "投诉", "title": "", "text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"type": "投诉", "title": "标题", "text": "含控制字符\u{0001}"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"type": "投诉", "title": "长".repeat(201), "text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"type": "投诉", "title": "t", "text": "x", "citizen": {"phone": "12ab"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"type": "投诉", "title": "t", "text": "x", "category": "不存在/的分类"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"type": "投诉", "title": "t", "text": "x", "received_at": "2999-01-01T00:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"type": "未知类型", "title": "t", "text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"type": "投诉", "title": "t", "text": "x", "extra": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (body, expected) in cases {
        let (status, err) = s
            .call("POST", "/api/appeals", Some(&op), Some(body.clone()))
            .await;
        assert_eq!(status, expected, "{body} → {err}");
        assert!(
            err["code"].is_string() && err["message"].is_string(),
            "{err}"
        );
    }
    let malformed = s
        .http
        .post(format!("{}/api/appeals", s.base))
        .bearer_auth(&op)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        status_for_declared_body(&s, &op, 1_800_000).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let (_, list) = s.call("GET", "/api/appeals", Some(&op), None).await;
    assert_eq!(list["total"], 0, "nothing half-written");

    // A retried intake with the same key returns the first appeal.
    let send = || {
        s.http
            .post(format!("{}/api/appeals", s.base))
            .bearer_auth(&op)
            .header("Idempotency-Key", "intake-42")
            .json(&citizen_appeal("重复提交"))
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["appeal"]["number"], again["appeal"]["number"]);
    assert_eq!(first["query_code"], again["query_code"]);

    // A form posted from another site with the operator's cookie is refused (CSRF); the
    // same from this site goes through.
    let from = |origin: &str| {
        s.http
            .post(format!("{}/api/appeals", s.base))
            .header("cookie", format!("jiesu_session={op}"))
            .header("origin", origin.to_string())
            .json(&citizen_appeal("跨站测试"))
            .send()
    };
    let evil = from("http://evil.example").await.unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    assert_eq!(evil.json::<Value>().await.unwrap()["code"], "cross_site");
    assert_eq!(from(&s.base).await.unwrap().status(), StatusCode::CREATED);

    // Roles: an operator may not administer.
    let (status, _) = s
        .call(
            "POST",
            "/api/bodies",
            Some(&op),
            Some(json!({"name": "x", "kind": "区县"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let adm = s.login("adm").await;
    let (status, _) = s
        .call(
            "POST",
            "/api/bodies",
            Some(&adm),
            Some(json!({"name": "新单位", "kind": "区县"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, err) = s
        .call(
            "POST",
            "/api/bodies",
            Some(&adm),
            Some(json!({"name": "新单位", "kind": "区县"})),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
}

async fn guessing_is_slowed_down(s: Server) {
    // Five wrong passwords from one address make it wait, even for the right one.
    for _ in 0..5 {
        let (status, _) = s
            .call(
                "POST",
                "/api/session",
                None,
                Some(json!({"username": "sup", "password": "wrong"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, err) = s
        .call(
            "POST",
            "/api/session",
            None,
            Some(json!({"username": "sup", "password": support::PASSWORD})),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests")),
        "{err}"
    );
    // Other accounts are not affected.
    s.login("op").await;

    // Guessing query codes for one number hits 429.
    let (_, submitted) = s
        .call(
            "POST",
            "/api/public/appeals",
            None,
            Some(citizen_appeal("噪音")),
        )
        .await;
    let number = submitted["number"].as_str().unwrap();
    let mut statuses = vec![];
    for guess in 0..25 {
        let (status, _) = s
            .call(
                "GET",
                &format!("/api/public/appeals/{number}?code={guess:06}"),
                None,
                None,
            )
            .await;
        statuses.push(status);
    }
    assert!(statuses.contains(&StatusCode::NOT_FOUND));
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

async fn knowledge_answers_on_the_spot(s: Server) {
    let (adm, op) = (s.login("adm").await, s.login("op").await);
    let article = json!({"question": "居住证怎么办理", "answer": "持身份证和居住证明到所在社区服务站申请。", "category": "公安司法", "source": "示例居住证办法"});
    let (status, created) = s
        .call("POST", "/api/knowledge", Some(&adm), Some(article))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let expired = json!({"question": "旧办法", "answer": "已废止", "valid_from": "2020-01-01", "valid_to": "2020-12-31"});
    let (_, old) = s
        .call("POST", "/api/knowledge", Some(&adm), Some(expired))
        .await;
    let (status, _) = s
        .call(
            "POST",
            "/api/knowledge",
            Some(&op),
            Some(json!({"question": "x", "answer": "y"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only admins write the knowledge base"
    );
    let (_, found) = s
        .call("GET", "/api/knowledge?q=居住证", Some(&op), None)
        .await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    let (_, current) = s.call("GET", "/api/knowledge", Some(&op), None).await;
    assert_eq!(
        current.as_array().unwrap().len(),
        1,
        "expired articles are not offered"
    );

    let consult =
        json!({"type": "咨询", "title": "咨询居住证办理", "text": "请问居住证在哪里办？"});
    let (_, registered) = s
        .call("POST", "/api/appeals", Some(&op), Some(consult))
        .await;
    let id = registered["appeal"]["id"].as_i64().unwrap();
    let (status, err) = s
        .act(
            &op,
            id,
            json!({"action": "answer_directly", "answer": "已答复", "article": old["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let answer = created["answer"].as_str().unwrap();
    let (status, done) = s
        .act(
            &op,
            id,
            json!({"action": "answer_directly", "answer": answer, "article": created["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["appeal"]["status"], "已办结");
    assert_eq!(done["appeal"]["answered_directly"], true);
}

async fn tokens_act_within_their_scope(s: Server) {
    let adm = s.login("adm").await;
    let (status, created) = s
        .call(
            "POST",
            "/api/tokens",
            Some(&adm),
            Some(json!({"name": "统计系统", "scope": "read"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_string();
    assert_eq!(
        s.call("GET", "/api/bodies", Some(&secret), None).await.0,
        StatusCode::OK
    );
    let (status, err) = s
        .call(
            "POST",
            "/api/bodies",
            Some(&secret),
            Some(json!({"name": "只读测试", "kind": "区县"})),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("read_only_token"))
    );
    let id = created["token"]["id"].as_i64().unwrap();
    assert_eq!(
        s.call("DELETE", &format!("/api/tokens/{id}"), Some(&adm), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s.call("GET", "/api/bodies", Some(&secret), None).await.0,
        StatusCode::UNAUTHORIZED,
        "revoked"
    );
}

/// Two citizens report the same thing; the second appeal is merged into the first, follows
/// its approved answer and is called back, closed and rated on its own.
async fn merged_appeals_follow_their_lead(s: Server) {
    let mut submitted = Vec::new();
    for (title, phone) in [
        ("路灯不亮", "13812345678"),
        ("翠湖苑路灯又坏了", "13987654321"),
    ] {
        let mut appeal = citizen_appeal(title);
        appeal["citizen"]["phone"] = json!(phone);
        let (status, body) = s
            .call("POST", "/api/public/appeals", None, Some(appeal))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        submitted.push((
            body["number"].as_str().unwrap().to_string(),
            body["query_code"].as_str().unwrap().to_string(),
        ));
    }
    let disp = s.login("disp").await;
    let hand = s.login("hand").await;
    let sup = s.login("sup").await;
    let (_, list) = s
        .call("GET", "/api/appeals?status=registered", Some(&disp), None)
        .await;
    let id_of = |number: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["number"] == number)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (a, b) = (id_of(&submitted[0].0), id_of(&submitted[1].0));
    let (b_number, b_code) = submitted[1].clone();
    let track_b = format!("/api/public/appeals/{b_number}?code={b_code}");

    let dispatch = json!({"action": "dispatch", "lead": s.handler_body.0});
    assert_eq!(s.act(&disp, a, dispatch).await.0, StatusCode::OK);
    let (status, merged) = s
        .act(
            &disp,
            b,
            json!({"action": "merge", "into": a, "note": "同一路灯"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(merged["appeal"]["status"], "已并案");
    let (_, tracked) = s.call("GET", &track_b, None, None).await;
    assert_eq!(
        (
            &tracked["status"],
            &tracked["merged_into"],
            &tracked["reply"]
        ),
        (&json!("merged"), &json!(submitted[0].0), &Value::Null)
    );

    let reply = "经核实已更换灯具，恢复照明。联系人：测试街道城建科。";
    assert_eq!(
        s.act(&hand, a, json!({"action": "sign"})).await.0,
        StatusCode::OK
    );
    let replied = s
        .act(&hand, a, json!({"action": "reply", "text": reply}))
        .await;
    assert_eq!(replied.0, StatusCode::OK);
    let (status, lead) = s
        .act(&sup, a, json!({"action": "review", "approve": true}))
        .await;
    assert_eq!(status, StatusCode::OK, "{lead}");
    assert_eq!(lead["appeal"]["status"], "待回访");
    assert_eq!(
        lead["followers"],
        json!([{"id": b, "number": b_number, "status": "待回访"}])
    );

    // B follows with A's answer and joins the callback queue with its own citizen's phone.
    let (_, follower) = s
        .call("GET", &format!("/api/appeals/{b}"), Some(&sup), None)
        .await;
    assert_eq!(follower["appeal"]["status"], "待回访");
    assert_eq!(follower["appeal"]["last_reply"], reply);
    assert_eq!(follower["appeal"]["citizen"]["phone"], "13987654321");
    let last = follower["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (&last["action"], &last["label"], &last["actor"]),
        (&json!("follow_lead"), &json!("随主件答复"), &json!("系统"))
    );
    assert_eq!(last["detail"], json!({"lead": a, "reply": reply}));
    let (_, queue) = s
        .call(
            "GET",
            "/api/appeals?status=awaiting_callback",
            Some(&sup),
            None,
        )
        .await;
    let mut queued: Vec<(i64, String)> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["id"].as_i64().unwrap(),
                x["citizen"]["phone"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    queued.sort();
    assert_eq!(
        queued,
        [
            (a, "138****5678".to_string()),
            (b, "139****4321".to_string())
        ]
    );

    // Once followed, no unmerge.
    let (status, err) = s
        .act(&disp, b, json!({"action": "unmerge", "reason": "并案有误"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["message"], "当前状态「待回访」下不能执行「撤销并案」");
    // Nobody records following by hand.
    let (status, _) = s
        .act(
            &sup,
            b,
            json!({"action": "follow_lead", "lead": a, "reply": "伪造答复"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // B's own callback closes it; its citizen sees the answer and rates it.
    let (status, done) = s
        .act(
            &sup,
            b,
            json!({"action": "callback", "solved": true, "satisfaction": "满意"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["appeal"]["status"], "已办结");
    let (_, tracked) = s.call("GET", &track_b, None, None).await;
    assert_eq!(
        (&tracked["status"], &tracked["reply"], &tracked["can_rate"]),
        (&json!("closed"), &json!(reply), &json!(true))
    );
    let labels: Vec<&str> = tracked["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["受理", "并案", "随主件答复", "回访"]);
    let (status, rated) = s
        .call(
            "POST",
            &format!("/api/public/appeals/{b_number}/rating"),
            None,
            Some(json!({"code": b_code, "satisfaction": "满意"})),
        )
        .await;
    assert_eq!((status, &rated["rating"]), (StatusCode::OK, &json!("满意")));
    let (_, lead) = s
        .call("GET", &format!("/api/appeals/{a}"), Some(&sup), None)
        .await;
    assert_eq!(
        lead["appeal"]["status"], "待回访",
        "the lead is called back on its own"
    );
}

/// Posts `body` to `path` with an `Idempotency-Key`, as `token`'s user or anonymously.
async fn post_keyed(
    s: &Server,
    path: &str,
    token: Option<&str>,
    key: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let mut request = s
        .http
        .post(format!("{}{path}", s.base))
        .header("Idempotency-Key", key)
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn idempotency_keys_belong_to_their_caller(s: Server) {
    let op = s.login("op").await;
    let adm = s.login("adm").await;
    let mut confidential = citizen_appeal("家暴求助");
    confidential["citizen"]["confidential"] = json!(true);
    let (status, first) = post_keyed(&s, "/api/appeals", Some(&op), "k-1", &confidential).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let number = first["appeal"]["number"].as_str().unwrap().to_string();
    let code = first["query_code"].as_str().unwrap().to_string();

    // The operator's retry with the same body gets the same answer.
    let (status, again) = post_keyed(&s, "/api/appeals", Some(&op), "k-1", &confidential).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            again["appeal"]["number"].as_str(),
            again["query_code"].as_str()
        ),
        (Some(number.as_str()), Some(code.as_str()))
    );
    // The same key with a changed body is refused, in Chinese, and records nothing.
    let (status, err) = post_keyed(
        &s,
        "/api/appeals",
        Some(&op),
        "k-1",
        &citizen_appeal("另一件事"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["code"], "idempotency_key_reused");
    assert!(err["message"].as_str().unwrap().contains("Idempotency-Key"));

    // Anyone else using that key — an anonymous citizen on the portal, even with the very
    // same body, or another staff user — files an appeal of their own and never learns
    // the first one's number or query code.
    let (status, public) = post_keyed(&s, "/api/public/appeals", None, "k-1", &confidential).await;
    assert_eq!(status, StatusCode::CREATED, "{public}");
    assert_ne!(public["number"].as_str(), Some(number.as_str()));
    assert_ne!(public["query_code"].as_str(), Some(code.as_str()));
    let (status, _) = s
        .call(
            "GET",
            &format!(
                "/api/public/appeals/{number}?code={}",
                public["query_code"].as_str().unwrap()
            ),
            None,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the first appeal stays closed"
    );
    let (status, other) = post_keyed(&s, "/api/appeals", Some(&adm), "k-1", &confidential).await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    assert_ne!(other["appeal"]["number"].as_str(), Some(number.as_str()));

    // On the portal the key is the client's: a retry gets its own answer back, a changed
    // body is refused.
    let (status, retried) = post_keyed(&s, "/api/public/appeals", None, "k-1", &confidential).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(retried, public);
    let (status, _) = post_keyed(
        &s,
        "/api/public/appeals",
        None,
        "k-1",
        &citizen_appeal("另一件事"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = s.call("GET", "/api/appeals", Some(&op), None).await;
    assert_eq!(
        list["total"], 3,
        "the operator's, the citizen's, the admin's"
    );
}

async fn sqlite() -> Arc<dyn Store> {
    support::sqlite_store(&tempfile::tempdir().unwrap().keep()).await
}

async fn postgres() -> Arc<dyn Store> {
    support::postgres_store("api").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_story_on_sqlite() {
    whole_story(start(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_story_on_postgres() {
    whole_story(start(postgres().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_on_sqlite() {
    bad_input_is_refused_cleanly(start(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_on_postgres() {
    bad_input_is_refused_cleanly(start(postgres().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_on_sqlite() {
    guessing_is_slowed_down(start(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knowledge_on_sqlite() {
    knowledge_answers_on_the_spot(start(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_on_sqlite() {
    tokens_act_within_their_scope(start(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_on_sqlite() {
    merged_appeals_follow_their_lead(start(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_on_postgres() {
    merged_appeals_follow_their_lead(start(postgres().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_on_sqlite() {
    idempotency_keys_belong_to_their_caller(start(sqlite().await).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_on_postgres() {
    idempotency_keys_belong_to_their_caller(start(postgres().await).await).await;
}
