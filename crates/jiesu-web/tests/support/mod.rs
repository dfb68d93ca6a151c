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
