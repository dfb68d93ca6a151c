//! The shared conformance suite on SQLite.

use jiesu_store_sqlite::SqliteStore;

async fn fresh() -> SqliteStore {
    let dir = tempfile::tempdir().unwrap().keep();
    SqliteStore::open(&format!("sqlite://{}", dir.join("t.db").display()))
        .await
        .unwrap()
}

jiesu_store_conformance::conformance_suite!(fresh);
