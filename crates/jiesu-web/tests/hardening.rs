//! What an outside probe of a running server tries, on a real server over SQLite
//! and PostgreSQL: accounts that could be discovered and locked, weak passwords, tracking
//! that anyone could block, an unlimited public intake, and the smaller gaps.

mod support;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiesu_domain::user::Role;
use jiesu_store::Store;
use jiesu_web::limits::{LimitConfig, Limits};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

struct Server {
    base: String,
}

async fn start(store: Arc<dyn Store>, configure: fn(&mut jiesu_web::AppState)) -> Server {
    support::users(
        &*store,
        &[
            ("adm", Role::Admin, None),
            ("sup", Role::Supervisor, None),
            ("op", Role::Operator, None),
        ],
    )
    .await;
    let mut state = jiesu_web::AppState::new(jiesu_app::App::load(store).await.unwrap());
    configure(&mut state);
    Server {
        base: support::serve(state).await,
    }
}

/// A client whose connections come from `address` (any 127.x.y.z is this machine).
fn client_from(address: &str) -> Client {
    Client::builder()
        .local_address(address.parse::<IpAddr>().ok())
        .build()
        .unwrap()
}

impl Server {
    async fn call(
        &self,
        http: &Client,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let url = format!("{}{}", self.base, path);
        let mut req = match method {
            "GET" => http.get(url),
            "POST" => http.post(url),
            _ => http.delete(url),
        };
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, headers, value)
    }

    async fn sign_in(&self, http: &Client, username: &str, password: &str) -> (StatusCode, Value) {
        let body = json!({"username": username, "password": password});
        let (status, headers, value) = self
            .call(http, "POST", "/api/session", None, Some(body))
            .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_retry_after(&headers);
        }
        (status, value)
    }

    async fn token(&self, username: &str) -> String {
        let (status, value) = self
            .sign_in(&client_from("127.0.0.1"), username, support::PASSWORD)
            .await;
        assert_eq!(status, StatusCode::OK, "{value}");
        value["token"].as_str().unwrap().to_string()
    }
}

fn assert_retry_after(headers: &reqwest::header::HeaderMap) {
    let seconds: u64 = headers
        .get("retry-after")
        .expect("every 429 carries Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(seconds >= 1);
}

fn citizen_appeal(title: &str, phone: &str) -> Value {
    json!({
        "type": "投诉",
        "title": title,
        "text": "楼下烧烤店每晚营业到凌晨两点，油烟和噪音很大。",
        "citizen": {"name": "李女士", "phone": phone},
        "place": {"address": "迎泽区桥东街 12 号"}
    })
}

async fn accounts_cannot_be_discovered_or_locked(s: Server) {
    let attacker = client_from("127.0.0.7");
    // An unknown name and a wrong password: the same answer, in comparable time.
    let (mut known, mut unknown) = (vec![], vec![]);
    for _ in 0..3 {
        for (name, list) in [("sup", &mut known), ("nobody", &mut unknown)] {
            let started = Instant::now();
            let (status, body) = s.sign_in(&attacker, name, "wrong-password").await;
            list.push(started.elapsed());
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert_eq!(body["code"], "bad_credentials");
            assert_eq!(body["message"], "用户名或密码错误");
        }
    }
    let fastest = |list: &[Duration]| *list.iter().min().unwrap();
    assert!(
        fastest(&unknown) * 4 > fastest(&known),
        "an unknown name is refused as slowly as a wrong password: {unknown:?} vs {known:?}"
    );
    // More wrong passwords: this address must now wait, for a known and an unknown name
    // alike, even with the right password.
    for name in ["nobody", "sup"] {
        let mut statuses = vec![];
        for _ in 0..4 {
            statuses.push(s.sign_in(&attacker, name, "wrong-password").await.0);
        }
        assert_eq!(
            statuses.last(),
            Some(&StatusCode::TOO_MANY_REQUESTS),
            "{name}: {statuses:?}"
        );
    }
    let (status, body) = s.sign_in(&attacker, "sup", support::PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    // The owner, signing in from elsewhere, is not locked out.
    let owner = client_from("127.0.0.8");
    let (status, body) = s.sign_in(&owner, "sup", support::PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["username"], "sup");
}

async fn weak_passwords_and_twin_names_are_refused(s: Server) {
    let adm = s.token("adm").await;
    let http = Client::new();
    let user = |username: &str, password: &str| json!({"username": username, "display_name": "新同事", "role": "督办员", "password": password});
    for password in [
        "12345678",
        "password",
        "        ",
        "1234567890",
        "aaaaaaaaaaaa",
        "password123",
        "zhouli-2026-x",
    ] {
        let (status, _, body) = s
            .call(
                &http,
                "POST",
                "/api/users",
                Some(&adm),
                Some(user("zhouli", password)),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_field")),
            "{password:?}: {body}"
        );
        assert!(body["message"].as_str().unwrap().contains("密码"), "{body}");
    }
    let (status, _, body) = s
        .call(
            &http,
            "POST",
            "/api/users",
            Some(&adm),
            Some(user("SUP", "河边柳树下的长椅2026")),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("username_taken")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("用户名已存在"));
    let (status, _, body) = s
        .call(
            &http,
            "POST",
            "/api/users",
            Some(&adm),
            Some(user("zhouli", "河边柳树下的长椅2026")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn tracking_cannot_be_blocked_by_others(s: Server) {
    let citizen = client_from("127.0.0.20");
    let (status, _, submitted) = s
        .call(
            &citizen,
            "POST",
            "/api/public/appeals",
            None,
            Some(citizen_appeal("烧烤油烟", "13900000001")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{submitted}");
    let number = submitted["number"].as_str().unwrap();
    let code = submitted["query_code"].as_str().unwrap();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let track = |code: &str| format!("/api/public/appeals/{number}?code={code}");

    // Someone sends many wrong codes for this number: they are slowed down ...
    let attacker = client_from("127.0.0.21");
    let mut last = None;
    for _ in 0..20 {
        let (status, headers, _) = s.call(&attacker, "GET", &track(wrong), None, None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_retry_after(&headers);
        }
        last = Some(status);
    }
    assert_eq!(last, Some(StatusCode::TOO_MANY_REQUESTS));
    // ... and the citizen with the right code still gets in.
    let (status, _, view) = s.call(&citizen, "GET", &track(code), None, None).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["number"], number);
    // Even from the attacker's address, the right code passes while it is under its
    // overall limit: failures on one number never lock the right code out.
    let (status, _, _) = s.call(&attacker, "GET", &track(code), None, None).await;
    assert_eq!(status, StatusCode::OK);
    // Guessing across many numbers hits the address's overall limit, for every number.
    let guesser = client_from("127.0.0.22");
    let mut statuses = vec![];
    for n in 0..40 {
        let path = format!("/api/public/appeals/20260101{n:04}?code=000000");
        statuses.push(s.call(&guesser, "GET", &path, None, None).await.0);
    }
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    let (status, headers, _) = s.call(&guesser, "GET", &track(code), None, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_retry_after(&headers);
}

async fn anonymous_intake_is_limited(s: Server) {
    let op = s.token("op").await;
    let (one, two) = (client_from("127.0.0.30"), client_from("127.0.0.31"));
    let submit = async |http: &Client, phone: &str, token: Option<&str>| {
        let body = citizen_appeal(&format!("噪音扰民 {phone}"), phone);
        s.call(http, "POST", "/api/public/appeals", token, Some(body))
            .await
    };
    // Per phone number (2 an hour in this test), whatever the address.
    assert_eq!(
        submit(&one, "13900000002", None).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        submit(&two, "139-0000-0002", None).await.0,
        StatusCode::CREATED
    );
    let (status, headers, body) = submit(&two, "13900000002", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_retry_after(&headers);
    assert!(
        body["message"].as_str().unwrap().contains("手机号"),
        "{body}"
    );
    // Per address (3 an hour in this test), whatever the number.
    assert_eq!(
        submit(&one, "13900000003", None).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        submit(&one, "13900000004", None).await.0,
        StatusCode::CREATED
    );
    let (status, headers, body) = submit(&one, "13900000005", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_retry_after(&headers);
    // A trusted channel with an API token is not limited.
    let (status, _, body) = submit(&one, "13900000005", Some(&op)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The portal form is limited the same way.
    let r = one
        .post(format!("{}/portal", s.base))
        .form(&[
            ("type", "投诉"),
            ("title", "路灯不亮"),
            ("text", "小区东门路灯坏了一周"),
            ("phone", "13900000006"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("提交过于频繁"));
}

async fn anonymous_callers_say_only_what_the_portal_asks(s: Server) {
    let http = client_from("127.0.0.40");
    for (field, value) in [("urgency", json!("紧急")), ("category", json!("城乡建设"))] {
        let mut body = citizen_appeal("井盖缺失", "13900000007");
        body[field] = value;
        let (status, _, err) = s
            .call(&http, "POST", "/api/public/appeals", None, Some(body))
            .await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_field")),
            "{field}: {err}"
        );
        assert!(err["message"].as_str().unwrap().contains(field), "{err}");
    }
}

async fn every_answer_carries_the_security_headers(s: Server) {
    let http = Client::new();
    for path in [
        "/login",
        "/portal",
        "/",
        "/static/app.js",
        "/static/app.css",
        "/api/openapi.json",
        "/api/me",
        "/healthz",
        "/no-such-page",
    ] {
        let r = http.get(format!("{}{path}", s.base)).send().await.unwrap();
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{path}: no {name}"))
        };
        let csp = header("content-security-policy");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
        assert!(
            r.headers().get("strict-transport-security").is_none(),
            "{path}: no HSTS over plain HTTP"
        );
    }
}

async fn behind_tls_cookies_are_secure_and_hsts_is_sent(s: Server) {
    let r = Client::new()
        .post(format!("{}/api/session", s.base))
        .json(&json!({"username": "op", "password": support::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let hsts = r.headers()["strict-transport-security"].to_str().unwrap();
    assert!(hsts.starts_with("max-age="), "{hsts}");
}

async fn smaller_gaps_are_closed(s: Server) {
    let sup = s.token("sup").await;
    let http = Client::new();
    let cookie = format!("jiesu_session={sup}");
    let me = async |cookie: &str| {
        http.get(format!("{}/api/me", s.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
            .status()
    };
    // Another site's page cannot get past the cross-site check by adding any
    // Authorization header to a request that carries the session cookie.
    let r = http
        .delete(format!("{}/api/session", s.base))
        .header("cookie", &cookie)
        .header("authorization", "Basic Zm9vOmJhcg==")
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "cross_site");
    assert_eq!(me(&cookie).await, StatusCode::OK, "still signed in");
    // A link or an image cannot sign anyone out: /logout is POST only.
    let r = http
        .get(format!("{}/logout", s.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(me(&cookie).await, StatusCode::OK, "still signed in");

    // Framework refusals under /api/ answer {code, message} too.
    let refused = async |method: reqwest::Method, path: &str, body: Option<String>| {
        let mut req = http
            .request(method, format!("{}{path}", s.base))
            .bearer_auth(&sup);
        if let Some(body) = body {
            req = req.header("content-type", "application/json").body(body);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        (status, r.json::<Value>().await.unwrap())
    };
    let (status, body) = refused(reqwest::Method::GET, "/api/appeals?offset=-1", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("offset"),
        "{body}"
    );
    let (status, body) = refused(reqwest::Method::GET, "/api/inbox?offset=-5", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = refused(reqwest::Method::GET, "/api/appeals?offset=abc", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    assert!(body["message"].is_string());
    let (status, body) = refused(reqwest::Method::PATCH, "/api/me", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
    let big = format!("{{\"title\": \"{}\"}}", "长".repeat(400_000));
    let (status, body) = refused(reqwest::Method::POST, "/api/appeals", Some(big)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );
}

/// Early refusals (here 401 before any handler) read the body first, so no connection of a
/// pooled client is dropped under it.
async fn early_refusals_keep_connections(s: Server) {
    let http = Client::new();
    let body = citizen_appeal(&"长".repeat(60_000), "13900000008").to_string();
    let mut tasks = vec![];
    for _ in 0..4 {
        let (http, body, url) = (
            http.clone(),
            body.clone(),
            format!("{}/api/appeals", s.base),
        );
        tasks.push(tokio::spawn(async move {
            for _ in 0..150 {
                let r = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("the connection is not dropped");
                assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
                r.bytes().await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

async fn pages_apply_the_same_rules(s: Server) {
    let browser = |address: &str| {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(address.parse::<IpAddr>().ok())
            .build()
            .unwrap()
    };
    let sign_in = async |http: &Client, username: &str, password: &str| {
        http.post(format!("{}/login", s.base))
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .unwrap()
    };
    let admin = browser("127.0.0.50");
    assert_eq!(
        sign_in(&admin, "adm", support::PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let create = async |username: &str, password: &str| {
        let r = admin
            .post(format!("{}/admin/users", s.base))
            .form(&[
                ("username", username),
                ("display_name", "周立"),
                ("role", "督办员"),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    };
    let (status, html) = create("zhouli", "password123").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("密码过于常见"), "{html}");
    let (status, html) = create("Sup", "河边柳树下的长椅2026").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("用户名已存在"), "{html}");
    assert_eq!(
        create("zhouli", "河边柳树下的长椅2026").await.0,
        StatusCode::SEE_OTHER
    );
    // The sign-in page slows a guessing address down with 429 and Retry-After.
    let guesser = browser("127.0.0.51");
    let mut last = None;
    for _ in 0..6 {
        last = Some(sign_in(&guesser, "sup", "wrong-password").await);
    }
    let last = last.unwrap();
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers().contains_key("retry-after"));
    assert!(last.text().await.unwrap().contains("登录尝试过于频繁"));
}

/// The pages run under a policy without `unsafe-inline`: no inline script and no inline
/// event handler may be left in a template.
#[test]
fn templates_have_no_inline_script_or_style() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let html = std::fs::read_to_string(&path).unwrap().to_lowercase();
        let name = path.display();
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(tag.contains(" src="), "{name}: inline <script>");
        }
        let attributes = html
            .split(|c: char| c.is_whitespace())
            .filter(|word| word.starts_with("on") && word.contains('='))
            .collect::<Vec<_>>();
        assert!(
            attributes.is_empty(),
            "{name}: event handlers {attributes:?}"
        );
        assert!(!html.contains("javascript:"), "{name}: a javascript: URL");
        assert!(!html.contains("<style"), "{name}: an inline style sheet");
        assert!(
            !html.contains(" style="),
            "{name}: an inline style attribute"
        );
    }
}

/// A server with short connection limits, for the slow-client tests.
async fn serve_with_short_timeouts(max_connections: usize) -> std::net::SocketAddr {
    let state = jiesu_web::AppState::new(jiesu_app::App::load(sqlite().await).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let config = jiesu_web::ServeConfig {
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
        max_connections,
    };
    tokio::spawn(jiesu_web::serve_with(
        listener,
        state,
        config,
        std::future::pending(),
    ));
    address
}

/// Reads until the server closes the connection; panics if it is still open after `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut answer = Vec::new();
    tokio::time::timeout(limit, stream.read_to_end(&mut answer))
        .await
        .expect("the server closes the connection in time")
        .ok();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_silent_clients_are_closed() {
    use tokio::io::AsyncWriteExt;
    let address = serve_with_short_timeouts(100).await;
    // Half a request line (slowloris): closed after the header timeout.
    let started = Instant::now();
    let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /healthz HTT").await.unwrap();
    closed_within(&mut slow, Duration::from_secs(5)).await;
    assert!(started.elapsed() >= Duration::from_millis(900));
    // A connection that never sends anything: closed as well.
    let mut silent = tokio::net::TcpStream::connect(address).await.unwrap();
    closed_within(&mut silent, Duration::from_secs(5)).await;
    // A complete request is still answered.
    let mut good = tokio::net::TcpStream::connect(address).await.unwrap();
    good.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = closed_within(&mut good, Duration::from_secs(5)).await;
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_capped() {
    use tokio::io::AsyncWriteExt;
    let address = serve_with_short_timeouts(1).await;
    // One silent connection holds the only place until the header timeout closes it ...
    let mut first = tokio::net::TcpStream::connect(address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // ... so the next client is answered only then.
    let started = Instant::now();
    let mut second = tokio::net::TcpStream::connect(address).await.unwrap();
    second
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = closed_within(&mut second, Duration::from_secs(5)).await;
    assert!(answer.starts_with(b"HTTP/1.1 200"));
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "answered after {:?}",
        started.elapsed()
    );
    closed_within(&mut first, Duration::from_secs(1)).await;
}

fn small_intake_limits(state: &mut jiesu_web::AppState) {
    state.limits = Limits::new(LimitConfig {
        public_intakes_per_address_per_hour: 3,
        public_intakes_per_phone_per_hour: 2,
    });
}

fn as_configured(_: &mut jiesu_web::AppState) {}

fn behind_tls(state: &mut jiesu_web::AppState) {
    state.secure_cookies = true;
}

async fn sqlite() -> Arc<dyn Store> {
    support::sqlite_store(&tempfile::tempdir().unwrap().keep()).await
}

async fn postgres() -> Arc<dyn Store> {
    support::postgres_store("hardening").await
}

macro_rules! on_both_backends {
    ($story:ident, $configure:expr, $on_sqlite:ident, $on_postgres:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $on_sqlite() {
            $story(start(sqlite().await, $configure).await).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $on_postgres() {
            $story(start(postgres().await, $configure).await).await;
        }
    };
}

on_both_backends!(
    accounts_cannot_be_discovered_or_locked,
    as_configured,
    accounts_on_sqlite,
    accounts_on_postgres
);
on_both_backends!(
    weak_passwords_and_twin_names_are_refused,
    as_configured,
    passwords_on_sqlite,
    passwords_on_postgres
);
on_both_backends!(
    tracking_cannot_be_blocked_by_others,
    as_configured,
    tracking_on_sqlite,
    tracking_on_postgres
);
on_both_backends!(
    anonymous_intake_is_limited,
    small_intake_limits,
    intake_limits_on_sqlite,
    intake_limits_on_postgres
);
on_both_backends!(
    anonymous_callers_say_only_what_the_portal_asks,
    as_configured,
    public_fields_on_sqlite,
    public_fields_on_postgres
);
on_both_backends!(
    every_answer_carries_the_security_headers,
    as_configured,
    headers_on_sqlite,
    headers_on_postgres
);
on_both_backends!(
    behind_tls_cookies_are_secure_and_hsts_is_sent,
    behind_tls,
    tls_on_sqlite,
    tls_on_postgres
);
on_both_backends!(
    smaller_gaps_are_closed,
    as_configured,
    smaller_gaps_on_sqlite,
    smaller_gaps_on_postgres
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn early_refusals_keep_connections_on_sqlite() {
    early_refusals_keep_connections(start(sqlite().await, as_configured).await).await;
}
on_both_backends!(
    pages_apply_the_same_rules,
    as_configured,
    pages_on_sqlite,
    pages_on_postgres
);
