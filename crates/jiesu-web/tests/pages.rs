//! The web pages over HTTP, on SQLite: sign-in redirects, Chinese pages, the 403/404/409
//! pages, lifecycle forms (POST-redirect-GET), the citizen's rating, supervision forms and
//! the inbox, and the time-limit and calendar admin pages.

mod support;

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
    store: Arc<dyn Store>,
    body: i64,
    _dir: tempfile::TempDir,
}

async fn start() -> App {
    start_with(None).await
}

async fn start_with(search: Option<jiesu_app::search::Search>) -> App {
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
    support::create_users(
        &*store,
        [
            ("operator", Role::Operator),
            ("dispatcher", Role::Dispatcher),
            ("handler", Role::Handler),
            ("supervisor", Role::Supervisor),
            ("leader", Role::Leader),
            ("admin", Role::Admin),
            ("deputy", Role::Representative),
        ]
        .map(|(username, role)| NewUser {
            display_name: format!("测试{}", role.label()),
            ..support::staff(username, role, (role == Role::Handler).then_some(body.id))
        }),
    )
    .await;
    let mut app = jiesu_app::App::load(store.clone()).await.unwrap();
    if let Some(search) = search {
        app = app.with_search(search);
    }
    let state = AppState::new(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(jiesu_web::serve(listener, state, std::future::pending()));
    App {
        base,
        store,
        body: body.id.0,
        _dir: dir,
    }
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
        .form(&[("username", username), ("password", support::PASSWORD)])
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
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = text(&c, format!("{}{}", app.base, location(&r))).await;
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

async fn text(c: &reqwest::Client, url: String) -> String {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// Posts a lifecycle form as `c`, expecting the redirect back to the appeal.
async fn act(app: &App, c: &reqwest::Client, id: i64, form: &[(&str, &str)]) {
    let r = c
        .post(format!("{}/appeals/{id}/act", app.base))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{form:?}: {}",
        r.text().await.unwrap()
    );
}

/// Submits on the portal; returns the appeal's id, number and query code.
async fn submit_on_portal(app: &App, title: &str) -> (i64, String, String) {
    let c = client();
    let r = c
        .post(format!("{}/portal", app.base))
        .form(&[
            ("type", "求助"),
            ("title", title),
            ("text", "路口井盖丢了"),
            ("address", "建设路口"),
        ])
        .send()
        .await
        .unwrap();
    let html = text(&c, format!("{}{}", app.base, location(&r))).await;
    let grab = |id: &str| {
        let start = html.find(&format!(r#"id="{id}">"#)).unwrap() + id.len() + 6;
        html[start..].split('<').next().unwrap().to_string()
    };
    let (number, code) = (grab("number"), grab("code"));
    let (appeal, _) = app.store.appeal_by_number(&number).await.unwrap();
    (appeal.id.0, number, code)
}

/// Submits on the portal and dispatches to the handler's body; returns the appeal's id,
/// number and query code.
async fn dispatched(app: &App, title: &str) -> (i64, String, String) {
    let (id, number, code) = submit_on_portal(app, title).await;
    let dispatcher = signed_in(app, "dispatcher").await;
    let body = app.body.to_string();
    let form = [
        ("action", "dispatch"),
        ("version", "1"),
        ("lead", body.as_str()),
    ];
    act(app, &dispatcher, id, &form).await;
    (id, number, code)
}

#[tokio::test]
async fn the_citizen_rates_a_closed_appeal_once() {
    let app = start().await;
    let (id, number, code) = dispatched(&app, "井盖缺失").await;
    let handler = signed_in(&app, "handler").await;
    act(&app, &handler, id, &[("action", "sign"), ("version", "2")]).await;
    act(
        &app,
        &handler,
        id,
        &[
            ("action", "reply"),
            ("version", "3"),
            ("text", "已补装井盖"),
        ],
    )
    .await;
    let supervisor = signed_in(&app, "supervisor").await;
    act(
        &app,
        &supervisor,
        id,
        &[("action", "review"), ("version", "4"), ("approve", "yes")],
    )
    .await;
    let callback = [
        ("action", "callback"),
        ("version", "5"),
        ("solved", "yes"),
        ("satisfaction", "满意"),
    ];
    act(&app, &supervisor, id, &callback).await;

    let c = client();
    let track = format!("{}/portal/track?number={number}&code={code}", app.base);
    let html = text(&c, track.clone()).await;
    assert!(
        html.contains("已办结") && html.contains(r#"id="rate-form""#),
        "{html}"
    );
    let rate = [
        ("number", number.as_str()),
        ("code", code.as_str()),
        ("satisfaction", "基本满意"),
        ("note", "修得挺快"),
    ];
    let r = c
        .post(format!("{}/portal/rate", app.base))
        .form(&rate)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = text(&c, format!("{}{}", app.base, location(&r))).await;
    assert!(
        html.contains(r#"id="rating""#) && html.contains("基本满意"),
        "{html}"
    );
    assert!(html.contains("感谢您的评价") && !html.contains(r#"id="rate-form""#));
    // Once only; and a wrong code is refused like an unknown number.
    let r = c
        .post(format!("{}/portal/rate", app.base))
        .form(&rate)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("您已评价过此诉求"));
    let wrong = [
        ("number", number.as_str()),
        ("code", "000000"),
        ("satisfaction", "满意"),
    ];
    let r = c
        .post(format!("{}/portal/rate", app.base))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("受理编号或查询码不正确"));
    // Staff see the citizen's rating on the appeal page.
    let html = text(&supervisor, format!("{}/appeals/{id}", app.base)).await;
    assert!(html.contains("市民评价") && html.contains("基本满意"));
}

/// An appeal replied and approved: waiting for its callback (version 5).
async fn awaiting_callback(app: &App, title: &str) -> i64 {
    let (id, _, _) = dispatched(app, title).await;
    let handler = signed_in(app, "handler").await;
    act(app, &handler, id, &[("action", "sign"), ("version", "2")]).await;
    let reply = [("action", "reply"), ("version", "3"), ("text", "已处理")];
    act(app, &handler, id, &reply).await;
    let supervisor = signed_in(app, "supervisor").await;
    let approve = [("action", "review"), ("version", "4"), ("approve", "yes")];
    act(app, &supervisor, id, &approve).await;
    id
}

#[tokio::test]
async fn callbacks_record_what_the_citizen_said_and_count_unreached_attempts() {
    let app = start().await;
    let id = awaiting_callback(&app, "噪音扰民").await;
    let page = format!("{}/appeals/{id}", app.base);
    let supervisor = signed_in(&app, "supervisor").await;

    // The callback and its 未接通 outcome are open; reminders and the rest are folded.
    let html = text(&supervisor, page.clone()).await;
    assert_eq!(
        html.matches(r#"class="card action step""#).count(),
        2,
        "{html}"
    );
    let folded = html.split(r#"<details class="card action more""#).skip(1);
    assert!(folded.clone().any(|d| d.contains(r#"id="form-remind""#)));
    assert!(!folded.clone().any(|d| d.contains(r#"id="form-callback""#)));

    // Nothing is chosen for the citizen.
    let form = html.split(r#"id="form-callback""#).nth(1).unwrap();
    let form = form.split("</form>").next().unwrap();
    assert!(
        form.contains(r#"name="solved""#) && !form.contains("checked"),
        "{form}"
    );

    // A callback without the citizen's answer comes back as typed, the message beside it.
    let r = post(
        &supervisor,
        &format!("{page}/act"),
        &[
            ("action", "callback"),
            ("version", "5"),
            ("satisfaction", "基本满意"),
            ("note", "市民说还要再看看"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="solved-error""#) && html.contains("请选择市民反映的问题是否已解决")
    );
    assert!(html.contains("市民说还要再看看</textarea>"), "{html}");
    assert!(
        html.contains(r#"value="基本满意" required checked"#),
        "{html}"
    );
    assert!(!html.contains("字段"), "no field paths: {html}");

    // Closing without the citizen needs enough unreached attempts first.
    let close = [("action", "close"), ("version", "5"), ("note", "联系不上")];
    let r = post(&supervisor, &format!("{page}/act"), &close).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("回访未接通满 3 次后方可"));
    for version in ["5", "6", "7"] {
        let unreached = [
            ("action", "callback_unreached"),
            ("version", version),
            ("note", "无人接听"),
        ];
        act(&app, &supervisor, id, &unreached).await;
    }
    let html = text(&supervisor, page.clone()).await;
    assert!(html.contains("已尝试 3 次") && html.contains(r#"id="form-close""#));
    assert!(html.contains("回访未接通") && html.contains("未接通：无人接听"));
    let close = [
        ("action", "close"),
        ("version", "8"),
        ("note", "三次回访未接通"),
    ];
    act(&app, &supervisor, id, &close).await;
    let html = text(&supervisor, page).await;
    assert!(html.contains(r#"id="status">已办结"#), "{html}");
}

#[tokio::test]
async fn a_merged_appeal_follows_its_lead_on_the_pages() {
    let app = start().await;
    let (lead, lead_number, _) = dispatched(&app, "井盖缺失").await;
    let (follower, number, code) = submit_on_portal(&app, "井盖丢了没人管").await;
    let dispatcher = signed_in(&app, "dispatcher").await;
    let merge = [
        ("action", "merge"),
        ("version", "1"),
        ("into", lead_number.as_str()),
        ("note", "同一井盖"),
    ];
    act(&app, &dispatcher, follower, &merge).await;
    let html = text(&dispatcher, format!("{}/appeals/{follower}", app.base)).await;
    assert!(
        html.contains(r#"id="form-unmerge""#),
        "a merge can be undone while merged"
    );
    let handler = signed_in(&app, "handler").await;
    act(
        &app,
        &handler,
        lead,
        &[("action", "sign"), ("version", "2")],
    )
    .await;
    let reply = [
        ("action", "reply"),
        ("version", "3"),
        ("text", "已补装井盖"),
    ];
    act(&app, &handler, lead, &reply).await;
    let supervisor = signed_in(&app, "supervisor").await;
    let approve = [("action", "review"), ("version", "4"), ("approve", "yes")];
    act(&app, &supervisor, lead, &approve).await;

    // The lead lists its follower; the follower waits for its own callback.
    let html = text(&supervisor, format!("{}/appeals/{lead}", app.base)).await;
    assert!(
        html.contains("并案诉求")
            && html.contains(&format!(r#"<a href="/appeals/{follower}">{number}</a>"#)),
        "{html}"
    );
    let html = text(&supervisor, format!("{}/appeals/{follower}", app.base)).await;
    assert!(html.contains("随主件答复") && html.contains("主诉求答复：已补装井盖"));
    assert!(html.contains(r#"id="form-callback""#) && !html.contains(r#"id="form-unmerge""#));
    assert!(
        html.contains("承办单位东城区朝阳街道办事处已经答复"),
        "the script names the lead's body"
    );

    let c = client();
    let track = format!("{}/portal/track?number={number}&code={code}", app.base);
    let html = text(&c, track).await;
    assert!(
        html.contains("待回访") && html.contains("已补装井盖") && html.contains(&lead_number),
        "{html}"
    );
}

#[tokio::test]
async fn deadlines_supervision_forms_and_the_inbox() {
    let app = start().await;
    let (id, _, _) = dispatched(&app, "路灯不亮").await;
    let page = format!("{}/appeals/{id}", app.base);

    // The handler sees the new dispatch in the inbox, and the sign deadline on the page.
    let handler = signed_in(&app, "handler").await;
    let home = text(&handler, format!("{}/", app.base)).await;
    assert!(
        home.contains(r#"id="inbox-link""#) && home.contains(r#"class="unread""#),
        "{home}"
    );
    let html = text(&handler, page.clone()).await;
    assert!(
        html.contains("签收时限：正常") && html.contains("截止 "),
        "{html}"
    );
    act(&app, &handler, id, &[("action", "sign"), ("version", "2")]).await;
    let html = text(&handler, page.clone()).await;
    assert!(html.contains(r#"id="form-contact""#) && html.contains(r#"id="form-pause""#));
    assert!(!html.contains(r#"id="form-remind""#) && !html.contains(r#"id="form-flag""#));
    act(
        &app,
        &handler,
        id,
        &[
            ("action", "contact"),
            ("version", "3"),
            ("note", "已电话联系"),
        ],
    )
    .await;
    act(
        &app,
        &handler,
        id,
        &[
            ("action", "pause"),
            ("version", "4"),
            ("reason", "等待市民补充照片"),
        ],
    )
    .await;
    let html = text(&handler, page.clone()).await;
    assert!(
        html.contains(r#"id="form-resume""#) && html.contains("已暂停计时"),
        "{html}"
    );
    assert!(!html.contains(r#"id="form-contact""#));

    // The supervisor reminds, issues a supervision notice and flags; the leader sees it.
    let supervisor = signed_in(&app, "supervisor").await;
    let html = text(&supervisor, page.clone()).await;
    for form in ["form-resume", "form-remind", "form-supervise", "form-flag"] {
        assert!(html.contains(&format!(r#"id="{form}""#)), "{form}");
    }
    act(
        &app,
        &supervisor,
        id,
        &[("action", "resume"), ("version", "5")],
    )
    .await;
    act(
        &app,
        &supervisor,
        id,
        &[
            ("action", "remind"),
            ("version", "6"),
            ("note", "请今天答复"),
        ],
    )
    .await;
    let by = (chrono::Utc::now() + chrono::Duration::days(5))
        .date_naive()
        .to_string();
    let supervise = [
        ("action", "supervise"),
        ("version", "7"),
        ("note", "限期回复"),
        ("reply_by", by.as_str()),
    ];
    act(&app, &supervisor, id, &supervise).await;
    let home = text(&supervisor, format!("{}/", app.base)).await;
    for queue in ["q-overdue", "q-warning", "q-replied", "q-callback"] {
        assert!(home.contains(&format!(r#"id="{queue}""#)), "{queue}");
    }
    let leader = signed_in(&app, "leader").await;
    act(
        &app,
        &leader,
        id,
        &[("action", "flag"), ("version", "8"), ("note", "领导关注")],
    )
    .await;
    let dashboard = text(&leader, format!("{}/", app.base)).await;
    assert!(dashboard.contains(r#"id="q-flagged""#) && dashboard.contains("路灯不亮"));
    assert!(dashboard.contains("svg") && dashboard.contains("超期诉求"));
    let flagged = text(&leader, format!("{}/appeals?flagged=1", app.base)).await;
    assert!(flagged.contains("路灯不亮") && flagged.contains("挂牌"));
    let html = text(&leader, page.clone()).await;
    for step in [
        "首次联系",
        "暂停计时",
        "恢复计时",
        "催办",
        "督办",
        "挂牌督办",
    ] {
        assert!(html.contains(step), "timeline lacks {step}");
    }

    // The handler's inbox has the reminder and the notice; marking read clears the badge.
    let inbox = text(&handler, format!("{}/inbox", app.base)).await;
    assert!(
        inbox.contains("催办：") && inbox.contains("督办单："),
        "{inbox}"
    );
    let r = handler
        .post(format!("{}/inbox/read-all", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let inbox = text(&handler, format!("{}/inbox?unread=1", app.base)).await;
    assert!(inbox.contains("暂无消息") && !inbox.contains(r#"class="unread""#));
}

#[tokio::test]
async fn admins_edit_time_limits_and_the_calendar_as_tables() {
    let app = start().await;
    let admin = signed_in(&app, "admin").await;
    let url = format!("{}/admin/time-limits", app.base);
    let html = text(&admin, url.clone()).await;
    assert!(html.contains(r#"id="rules""#) && html.contains("13个工作日"));
    assert!(html.contains(r#"name="warn" value="80""#) && !html.contains("working_days"));
    let row = |sign: &'static str| {
        vec![
            ("warn", "75"),
            ("type.0", "不限"),
            ("category.0", "不限"),
            ("urgency.0", "不限"),
            ("sign.0", sign),
            ("contact.0", "1个工作日"),
            ("reply.0", "10个工作日"),
            ("close.0", "2个工作日"),
        ]
    };
    let r = post(&admin, &url, &row("十天")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("第 1 行：签收：") && html.contains(r#"name="sign.0" value="十天""#),
        "{html}"
    );
    let r = post(&admin, &url, &row("2个工作日")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = text(&admin, format!("{}{}", app.base, location(&r))).await;
    assert!(
        html.contains("已保存 1 条时限规则")
            && html.contains(r#"value="10个工作日""#)
            && html.contains(r#"name="warn" value="75""#)
            && html.contains(r#"name="co" value="5个工作日""#)
    );

    let url = format!("{}/admin/calendar", app.base);
    let html = text(&admin, format!("{url}?year=2025")).await;
    assert!(html.contains("春节") && html.contains("调休上班") && !html.contains("year 2025"));
    let rows = |kind: &'static str| {
        vec![
            ("year", "2031"),
            ("first.0", "2031-01-01"),
            ("kind.0", "off"),
            ("name.0", "元旦"),
            ("first.1", "2031-01-08"),
            ("kind.1", kind),
            ("name.1", "补班"),
        ]
    };
    // 2031-01-08 is a Wednesday: already a working day.
    let r = post(&admin, &url, &rows("work")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("第 2 行：2031-01-08 不是周六或周日"),
        "{html}"
    );
    let r = post(&admin, &url, &rows("off")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = text(&admin, format!("{}{}", app.base, location(&r))).await;
    assert!(
        html.contains("已保存 2031 年") && html.contains("2031-01-08") && html.contains("元旦"),
        "{html}"
    );
    let handler = signed_in(&app, "handler").await;
    let r = handler.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_and_a_resubmission_files_nothing_twice() {
    let app = start().await;
    let operator = signed_in(&app, "operator").await;
    let url = format!("{}/appeals/new", app.base);
    let form = |phone: &'static str| {
        vec![
            ("channel", "热线"),
            ("type", "投诉"),
            ("urgency", "一般"),
            ("title", "楼上漏水"),
            ("text", "楼上卫生间漏水到我家天花板"),
            ("phone", phone),
            ("mode", "dispatch"),
            ("token", "form-token-1"),
        ]
    };
    let r = post(&operator, &url, &form("12ab")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="phone-error""#) && html.contains("联系电话：电话号码格式不正确"));
    assert!(
        html.contains(r#"value="楼上漏水""#)
            && html.contains("楼上卫生间漏水到我家天花板</textarea>")
    );
    assert!(!html.contains("citizen.phone"));
    let first = post(&operator, &url, &form("13800002222")).await;
    let again = post(&operator, &url, &form("13800002222")).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&first), location(&again));

    // The portal: an unknown district is refused beside its field; a refresh after the
    // redirect shows the same appeal, never a second one.
    let citizen = client();
    let portal = format!("{}/portal", app.base);
    let submission = |district: &'static str| {
        vec![
            ("type", "投诉"),
            ("title", "路灯不亮"),
            ("text", "小区东门路灯坏了一周"),
            ("district", district),
            ("token", "portal-token-1"),
        ]
    };
    let r = post(&citizen, &portal, &submission("火星区")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="p-district-error""#) && html.contains(r#"value="路灯不亮""#));
    let first = post(&citizen, &portal, &submission("")).await;
    let again = post(&citizen, &portal, &submission("")).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert!(location(&first).starts_with("/portal/done?number="));
    assert_eq!(location(&first), location(&again));
}

#[tokio::test]
async fn the_representative_lands_on_the_stations_appeals() {
    let app = start().await;
    let deputy = signed_in(&app, "deputy").await;
    let r = post(
        &deputy,
        &format!("{}/appeals/new", app.base),
        &[
            ("channel", "联络站"),
            ("type", "建议"),
            ("urgency", "一般"),
            ("title", "建议增设社区食堂"),
            ("text", "接待群众时反映社区老人吃饭难"),
            ("mode", "dispatch"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let home = text(&deputy, format!("{}/", app.base)).await;
    assert!(home.contains("代表工作台") && home.contains(r#"id="q-following""#));
    assert!(
        home.contains("建议增设社区食堂") && !home.contains("待派单诉求"),
        "{home}"
    );
}

/// Posts a form as `c` (no redirect followed).
async fn post(c: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(url).form(form).send().await.unwrap()
}

/// The app with an in-memory full-text index attached (as the server runs it).
async fn start_indexed() -> (App, jiesu_app::search::Search) {
    let search = jiesu_app::search::Search::open(None).unwrap();
    (start_with(Some(search.clone())).await, search)
}

async fn register(c: &reqwest::Client, app: &App, title: &str, text: &str, district: &str) {
    let r = c
        .post(format!("{}/appeals/new", app.base))
        .form(&[
            ("channel", "热线"),
            ("type", "投诉"),
            ("urgency", "一般"),
            ("title", title),
            ("text", text),
            ("district", district),
            ("address", &format!("{district}{title}")),
            ("mode", "dispatch"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{title}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_text_search_and_hot_issue_pages() {
    let (app, search) = start_indexed().await;
    let operator = signed_in(&app, "operator").await;
    for (title, text, district) in [
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
    ] {
        register(&operator, &app, title, text, district).await;
    }
    search.catch_up(app.store.clone()).await.unwrap();
    search.updater.flush().await.unwrap();

    // Highlighted hits from the index, with the other filters kept.
    let html = text(&operator, format!("{}/appeals?q=施工噪音", app.base)).await;
    assert!(html.contains(r#"id="search-hits""#), "{html}");
    assert!(
        html.contains("<mark>") && html.contains("共 3 件"),
        "{html}"
    );
    assert!(!html.contains("索引正在更新"), "{html}");
    let html = text(
        &operator,
        format!(
            "{}/appeals?q=路灯&district=西城区&status=registered",
            app.base
        ),
    )
    .await;
    assert!(
        html.contains("共 1 件") && html.contains("滨江路"),
        "{html}"
    );
    let html = text(
        &operator,
        format!("{}/appeals?q=路灯&district=东城区", app.base),
    )
    .await;
    assert!(html.contains("没有符合条件的诉求"), "{html}");
    // A query syntax error is a readable message on the list page, not an error page.
    let r = operator
        .get(format!("{}/appeals?q=%22路灯", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("检索语句有误") && html.contains("引号"),
        "{html}"
    );
    // A handler sees only their body's appeals (none are dispatched yet).
    let handler = signed_in(&app, "handler").await;
    let html = text(&handler, format!("{}/appeals?q=施工噪音", app.base)).await;
    assert!(html.contains("共 0 件"), "{html}");

    // Hot issues: the leader sees the ranked group and its member appeals.
    let leader = signed_in(&app, "leader").await;
    let home = text(&leader, format!("{}/", app.base)).await;
    assert!(
        home.contains(r#"href="/hot""#),
        "the leader's navigation links /hot"
    );
    let html = text(&leader, format!("{}/hot?days=7", app.base)).await;
    assert!(html.contains(r#"id="hot-groups""#), "{html}");
    assert!(html.contains("3 件") && html.contains("翠湖苑"), "{html}");
    assert!(html.contains(r#"<a href="/appeals/"#), "{html}");
    assert!(html.contains(r#"<option value="90""#));
    // An operator gets the 403 page.
    let r = operator
        .get(format!("{}/hot", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("无权访问"));
}

#[tokio::test]
async fn knowledge_base_pages_and_direct_answer_citing_an_article() {
    let app = start().await;
    let admin = signed_in(&app, "admin").await;
    let url = format!("{}/admin/knowledge", app.base);
    // Errors are Chinese and keep what was typed.
    let r = post(
        &admin,
        &url,
        &[("question", "公积金如何提取？"), ("answer", " ")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("「答复内容」填写有误") && html.contains("公积金如何提取？"),
        "{html}"
    );
    let r = post(
        &admin,
        &url,
        &[
            ("question", "公积金如何提取？"),
            ("answer", "携带身份证到公积金中心办理。"),
            ("valid_from", "2026-02-01"),
            ("valid_to", "2026-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("失效日期早于生效日期"));
    let r = post(
        &admin,
        &url,
        &[
            ("question", "公积金如何提取？"),
            ("answer", "携带身份证到公积金中心办理。"),
            ("category", "社会保障"),
            ("source", "公积金管理办法"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = text(&admin, format!("{}{}", app.base, location(&r))).await;
    assert!(
        html.contains("已新增知识") && html.contains("公积金如何提取？"),
        "{html}"
    );
    let r = post(
        &admin,
        &url,
        &[
            ("question", "旧版落户政策"),
            ("answer", "已废止。"),
            ("valid_to", "2020-12-31"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let articles = app
        .store
        .find_articles("", jiesu_store::Page::new(0, 10))
        .await
        .unwrap();
    let (valid, expired) = (
        articles
            .iter()
            .find(|a| a.draft.question.contains("公积金"))
            .unwrap()
            .id,
        articles
            .iter()
            .find(|a| a.draft.question.contains("落户"))
            .unwrap()
            .id,
    );
    // Edit.
    let html = text(&admin, format!("{url}?edit={valid}")).await;
    assert!(html.contains(&format!("编辑知识 #{valid}")) && html.contains("公积金管理办法"));
    let r = post(
        &admin,
        &url,
        &[
            ("id", valid.to_string().as_str()),
            ("question", "住房公积金如何提取？"),
            ("answer", "携带身份证到公积金中心办理。"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Any staff searches the valid articles; admins may include the expired ones.
    let operator = signed_in(&app, "operator").await;
    let html = text(&operator, format!("{}/knowledge?q=公积金", app.base)).await;
    assert!(html.contains("住房公积金如何提取？"), "{html}");
    let html = text(&operator, format!("{}/knowledge?all=1", app.base)).await;
    assert!(
        !html.contains("旧版落户政策"),
        "expired articles stay hidden for staff"
    );
    let html = text(&admin, format!("{}/knowledge?all=1", app.base)).await;
    assert!(
        html.contains("旧版落户政策") && html.contains("已失效"),
        "{html}"
    );
    let r = operator.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The intake form has the assistance panel and the article picker; 直办 cites one.
    let html = text(&operator, format!("{}/appeals/new", app.base)).await;
    assert!(html.contains(r#"id="assist""#) && html.contains(r#"<label for="article">"#));
    let direct = |article: String| {
        vec![
            ("channel", "热线".to_string()),
            ("type", "咨询".to_string()),
            ("urgency", "一般".to_string()),
            ("title", "咨询公积金提取".to_string()),
            ("text", "想问公积金怎么提取".to_string()),
            ("mode", "direct".to_string()),
            ("answer", "携带身份证到公积金中心办理。".to_string()),
            ("article", article),
        ]
    };
    let r = operator
        .post(format!("{}/appeals/new", app.base))
        .form(&direct(expired.to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("所选知识不存在或已失效"));
    let r = operator
        .post(format!("{}/appeals/new", app.base))
        .form(&direct(valid.to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r)
        .trim_start_matches("/appeals/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let events = app
        .store
        .events(jiesu_domain::ids::AppealId(id))
        .await
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        e.kind,
        jiesu_domain::event::EventKind::AnswerDirectly { article: Some(a), .. } if a == valid
    )));
}

#[tokio::test]
async fn the_page_offers_the_forms_the_domain_allows_and_no_others() {
    let app = start().await;
    let (id, _, _) = dispatched(&app, "垃圾未清运").await;
    let page = format!("{}/appeals/{id}", app.base);

    // A supervisor may escalate (上报), but that is the API's: the page has no form for it.
    let supervisor = signed_in(&app, "supervisor").await;
    let html = text(&supervisor, page.clone()).await;
    assert!(html.contains(r#"id="form-remind""#) && !html.contains("form-escalate"));
    let r = post(
        &supervisor,
        &format!("{}/appeals/{id}/act", app.base),
        &[("action", "escalate"), ("version", "2")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("未知的操作"));

    // Once the handler replied, only a note is left to them.
    let handler = signed_in(&app, "handler").await;
    act(&app, &handler, id, &[("action", "sign"), ("version", "2")]).await;
    let reply = [("action", "reply"), ("version", "3"), ("text", "已清运")];
    act(&app, &handler, id, &reply).await;
    let html = text(&handler, page).await;
    assert!(
        html.contains("当前状态下您没有可执行的办理操作") && html.contains(r#"id="form-comment""#),
        "{html}"
    );
    assert!(!html.contains(r#"id="form-reply""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dispatchers_merge_a_candidate_in_one_click_and_a_refused_dispatch_keeps_its_text() {
    let (app, search) = start_indexed().await;
    let operator = signed_in(&app, "operator").await;
    let noise = "翠湖苑旁工地每晚十一点后还在施工，噪音很大";
    register(&operator, &app, "翠湖苑夜间施工噪音扰民", noise, "东城区").await;
    register(&operator, &app, "翠湖苑夜间施工噪音", noise, "西城区").await;
    register(&operator, &app, "翠湖苑工地深夜施工噪音", noise, "东城区").await;
    search.catch_up(app.store.clone()).await.unwrap();
    search.updater.flush().await.unwrap();
    let listed = app
        .store
        .list_appeals(
            &jiesu_store::AppealFilter::default(),
            jiesu_store::Page::new(0, 10),
        )
        .await
        .unwrap()
        .items;
    let [latest, elsewhere, first] = &listed[..] else {
        panic!("three appeals")
    };

    // The latest one's page offers the same district's like appeal for 并案, not the other's.
    let dispatcher = signed_in(&app, "dispatcher").await;
    let page = format!("{}/appeals/{}", app.base, latest.id.0);
    let html = text(&dispatcher, page.clone()).await;
    let offered = html.split(r#"id="merge-candidates""#).nth(1).unwrap();
    let offered = offered.split("</div>").next().unwrap();
    assert!(offered.contains(&first.number.0), "{offered}");
    assert!(!offered.contains(&elsewhere.number.0), "{offered}");
    let merge = [
        ("action", "merge"),
        ("version", "1"),
        ("into", first.number.0.as_str()),
    ];
    act(&app, &dispatcher, latest.id.0, &merge).await;
    let html = text(&dispatcher, page).await;
    assert!(html.contains(r#"id="status">已并案"#) && html.contains("并入诉求"));

    // A dispatch without a body comes back with the note as typed, the message by the field.
    let r = post(
        &dispatcher,
        &format!("{}/appeals/{}/act", app.base, first.id.0),
        &[
            ("action", "dispatch"),
            ("version", "1"),
            ("note", "请街道牵头协调城管"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("请选择承办单位") && html.contains("请街道牵头协调城管</textarea>"));
}
