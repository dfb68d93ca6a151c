//! The PostgreSQL backend (生产存储): one connection pool for reads and writes; the SQL is
//! shared with SQLite in [`jiesu_store::sql`]. Several server processes may share one
//! database: every write is a transaction guarded by the appeal's version.

use std::str::FromStr;
use std::time::Duration;

use jiesu_store::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

/// A jiesu store in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and runs the migrations.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("数据库地址不正确：{e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Other(format!("无法连接数据库：{e}")))?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations (also done by [`PgStore::open`]); safe when several
    /// processes start at once (the migrator takes an advisory lock).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Other(format!("迁移失败：{e}")))
    }

    /// The pool writes go through (the store's one pool). Public so that a tool can measure
    /// the database under the store's own settings (`jiesu bench intake` times raw inserts
    /// through it).
    pub fn writer(&self) -> &PgPool {
        &self.pool
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    /// The table a list of bodies' appeals reads: the planner finds its own way.
    fn appeals_of_bodies(&self) -> &'static str {
        "appeals"
    }
}

jiesu_store::sql_store!(PgStore, sqlx::Postgres, "postgres");

/// Creates a new, empty database next to the one `admin_url` names and returns its URL:
/// used by tests and benchmarks that need a fresh database per run.
pub async fn create_scratch_database(admin_url: &str, name: &str) -> Result<String, StoreError> {
    use sqlx::Executor;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await
        .map_err(|e| StoreError::Other(format!("无法连接数据库：{e}")))?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Other(format!("bad database name {name}")));
    }
    pool.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .await
    .map_err(|e| StoreError::Other(e.to_string()))?;
    pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    Ok(format!("{base}/{name}"))
}
