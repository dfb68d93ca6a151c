//! The web pages over HTTP, on SQLite: sign-in redirects, Chinese pages, the 403/404/409
//! pages and a lifecycle form (POST-redirect-GET).

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::Store;
use jiesu_store_sqlite::SqliteStore;
use jiesu_web::AppState;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

struct App {
    base: String,
    _dir: tempfile::TempDir,
}

async fn start() -> App {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&url).await.unwrap());
    let body = store
        .create_body(&NewBody {
            name: "东城区朝阳街道办事处".into(),
            kind: BodyKind::Street,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let hash = jiesu_web::auth::hash_password("secret-pass".into())
        .await
        .unwrap();
    for (username, role) in [
        ("operator", Role::Operator),
        ("dispatcher", Role::Dispatcher),
        ("handler", Role::Handler),
    ] {
        let user = NewUser {
            username: username.into(),
            display_name: format!("测试{}", role.label()),
            role,
            body: (role == Role::Handler).then_some(body.id),
        };
        store.create_user(&user, &hash).await.unwrap();
    }
    let state = AppState::load(store).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(jiesu_web::serve(listener, state, std::future::pending()));
    App { base, _dir: dir }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn signed_in(app: &App, username: &str) -> reqwest::Client {
    let c = client();
    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("username", username), ("password", "secret-pass")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");
    c
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn signed_out_visitors_go_to_the_chinese_sign_in_page() {
    let app = start().await;
    let c = client();
    let r = c.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login");
    let r = c
        .get(format!("{}/appeals?status=registered", app.base))
        .send()
        .await
        .unwrap();
    assert!(
        location(&r).starts_with("/login?next=%2Fappeals"),
        "{}",
        location(&r)
    );
    let r = c.get(format!("{}/login", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains(r#"<label for="username">用户名</label>"#));

    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("username", "operator"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("用户名或密码错误"));

    let r = c
        .get(format!("{}/static/app.css", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn unknown_pages_are_chinese_and_unknown_api_routes_stay_json() {
    let app = start().await;
    let r = client()
        .get(format!("{}/no/such/page", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("页面不存在"));
    let r = client()
        .get(format!("{}/api/nothing", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn intake_dispatch_and_a_stale_form() {
    let app = start().await;
    let operator = signed_in(&app, "operator").await;
    let home = operator
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("受理工作台") && home.contains("测试话务员"));
    let r = operator
        .post(format!("{}/appeals/new", app.base))
        .form(&[
            ("channel", "热线"),
            ("type", "投诉"),
            ("urgency", "一般"),
            ("title", "路灯不亮"),
            ("text", "小区门口路灯不亮一周了"),
            ("name", "李先生"),
            ("phone", "13800001111"),
            ("mode", "dispatch"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = location(&r);
    let id: i64 = page
        .trim_start_matches("/appeals/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    let dispatcher = signed_in(&app, "dispatcher").await;
    let html = dispatcher
        .get(format!("{}{page}", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"id="form-dispatch""#) && html.contains("待派单"));
    let act = format!("{}/appeals/{id}/act", app.base);
    let dispatch = |version: &'static str| {
        [
            ("action", "dispatch"),
            ("version", version),
            ("lead", "1"),
            ("note", ""),
        ]
    };
    let r = dispatcher
        .post(&act)
        .form(&dispatch("1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The same form again: the appeal moved on, so the stale version is a conflict.
    let r = dispatcher
        .post(&act)
        .form(&dispatch("1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("此诉求已被他人处理，请刷新")
    );

    let handler = signed_in(&app, "handler").await;
    let html = handler
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("路灯不亮"),
        "the handler's queue shows the dispatched appeal"
    );
    let r = handler
        .get(format!("{}/admin/users", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("无权访问"));
    let r = handler
        .post(&act)
        .form(&[("action", "sign"), ("version", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = handler
        .get(format!("{}{}", app.base, location(&r)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("已签收") && html.contains(r#"id="form-reply""#));
}

#[tokio::test]
async fn the_portal_gives_a_number_and_a_query_code() {
    let app = start().await;
    let c = client();
    let r = c
        .post(format!("{}/portal", app.base))
        .form(&[
            ("type", "求助"),
            ("title", "井盖缺失"),
            ("text", "路口井盖丢了"),
            ("address", "建设路口"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let grab = |id: &str| {
        let start = html.find(&format!(r#"id="{id}">"#)).unwrap() + id.len() + 6;
        html[start..].split('<').next().unwrap().to_string()
    };
    let (number, code) = (grab("number"), grab("code"));
    let r = c
        .get(format!(
            "{}/portal/track?number={number}&code={code}",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("待派单"));
    let r = c
        .get(format!("{}/portal/track?number={number}&code=x", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("受理编号或查询码不正确"));
}
