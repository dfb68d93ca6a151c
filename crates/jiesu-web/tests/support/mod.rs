//! What the API tests share: a store, a running server, a signed-in token.

#![allow(dead_code)] // each test binary uses its own subset

use std::sync::Arc;

use jiesu_store::Store;
use serde_json::{Value, json};

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

/// Signs `username` in (every test user's password is `secret-pass`) and returns the token.
pub async fn token(http: &reqwest::Client, base: &str, username: &str) -> String {
    let r: Value = http
        .post(format!("{base}/api/session"))
        .json(&json!({"username": username, "password": "secret-pass"}))
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
