//! What the API tests share: a store, a running server, a signed-in token.

#![allow(dead_code)] // each test binary uses its own subset

use std::sync::Arc;

use jiesu_domain::ids::BodyId;
use jiesu_domain::user::{NewUser, Role, User};
use jiesu_store::Store;
use serde_json::{Value, json};

/// Every test user's password.
pub const PASSWORD: &str = "secret-pass";

/// A user of `role` (in `body`, if any), shown under their username.
pub fn staff(username: &str, role: Role, body: Option<BodyId>) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        body,
    }
}

/// Creates `users`, each signing in with [`PASSWORD`]; returns them in order.
pub async fn create_users(
    store: &dyn Store,
    users: impl IntoIterator<Item = NewUser>,
) -> Vec<User> {
    let hash = jiesu_app::auth::hash_password(PASSWORD.into())
        .await
        .unwrap();
    let mut created = Vec::new();
    for user in users {
        created.push(store.create_user(&user, &hash).await.unwrap());
    }
    created
}

/// Creates a user per `(username, role, body)` (see [`staff`] and [`create_users`]).
pub async fn users(store: &dyn Store, users: &[(&str, Role, Option<BodyId>)]) -> Vec<User> {
    create_users(
        store,
        users
            .iter()
            .map(|&(username, role, body)| staff(username, role, body)),
    )
    .await
}

/// A fresh SQLite store in `dir`.
pub async fn sqlite_store(dir: &std::path::Path) -> Arc<dyn Store> {
    Arc::new(
        jiesu_store_sqlite::SqliteStore::open(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .unwrap(),
    )
}

/// A fresh PostgreSQL database named after `prefix` (on `JIESU_TEST_PG`'s server).
pub async fn postgres_store(prefix: &str) -> Arc<dyn Store> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let admin = std::env::var("JIESU_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!(
        "jiesu_t_{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let url = jiesu_store_postgres::create_scratch_database(&admin, &name)
        .await
        .expect("PostgreSQL must be running");
    Arc::new(jiesu_store_postgres::PgStore::open(&url).await.unwrap())
}

/// Serves `state` on a free port until the test ends; returns the base URL.
pub async fn serve(state: jiesu_web::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(jiesu_web::serve(listener, state, std::future::pending()));
    base
}

/// Signs `username` in (with [`PASSWORD`]) and returns the token.
pub async fn token(http: &reqwest::Client, base: &str, username: &str) -> String {
    let r: Value = http
        .post(format!("{base}/api/session"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().expect("signed in").to_string()
}

/// A client of a running server that sends JSON with a bearer token and reads the status
/// and the JSON answer (`Null` when the answer is not JSON).
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

impl Api {
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (reqwest::StatusCode, Value) {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

/// A small invented history of three first-level categories, 45 appeals, for training a
/// dispatch model in tests.
pub fn dispatch_history() -> Vec<jiesu_text::dispatch::TrainingRecord> {
    let topics = [
        (
            "环境保护",
            [
                "夜间施工噪音扰民",
                "工地噪声太大影响休息",
                "餐馆油烟直排扰民",
                "河道污水发臭",
                "工地扬尘严重",
            ],
        ),
        (
            "交通运输",
            [
                "公交线路太少出行不便",
                "路口红绿灯时间太短",
                "出租车拒载绕路",
                "车辆乱停占用人行道",
                "建议增设公交站",
            ],
        ),
        (
            "劳动和社会保障",
            [
                "工地拖欠农民工工资",
                "公司不交社保",
                "养老保险转移怎么办",
                "医保异地备案咨询",
                "被公司无故辞退",
            ],
        ),
    ];
    let mut out = Vec::new();
    for (category, titles) in topics {
        for (i, title) in titles.iter().enumerate() {
            for variant in ["", "，请尽快处理", "，多次反映无果"] {
                out.push(jiesu_text::dispatch::TrainingRecord::new(
                    &format!("{title}{variant}"),
                    &format!("{title}{variant}，第{i}次反映。"),
                    category,
                ));
            }
        }
    }
    out
}
