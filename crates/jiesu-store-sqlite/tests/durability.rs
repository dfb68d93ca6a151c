//! What the SQLite store promises on disk: an acknowledged commit survives a power cut
//! (`synchronous=FULL`).

use std::sync::Arc;

use jiesu_store_sqlite::SqliteStore;

async fn fresh(dir: &std::path::Path) -> Arc<SqliteStore> {
    Arc::new(
        SqliteStore::open(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commits_are_synced_before_they_return() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh(dir.path()).await;
    const FULL: i64 = 2;
    assert_eq!(store.synchronous().await.unwrap(), (FULL, FULL));
}
