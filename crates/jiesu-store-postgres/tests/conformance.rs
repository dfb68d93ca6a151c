//! The shared conformance suite on PostgreSQL. The server is named by `JIESU_TEST_PG`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`); each test gets a fresh database.

use jiesu_store_postgres::{PgStore, create_scratch_database};
use std::sync::atomic::{AtomicU32, Ordering};

async fn fresh() -> PgStore {
    static N: AtomicU32 = AtomicU32::new(0);
    let admin = std::env::var("JIESU_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!(
        "jiesu_t_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let url = create_scratch_database(&admin, &name)
        .await
        .expect("PostgreSQL must be running for this suite (see README)");
    PgStore::open(&url).await.unwrap()
}

jiesu_store_conformance::conformance_suite!(fresh);
