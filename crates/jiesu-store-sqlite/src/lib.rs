//! The SQLite backend (嵌入式存储): one file, WAL journal, writes through a single connection
//! (SQLite has one writer; queuing in the pool beats retrying on `SQLITE_BUSY`), reads
//! through a pool. The SQL itself is shared with PostgreSQL in [`jiesu_store::sql`].

use std::str::FromStr;
use std::time::Duration;

use jiesu_store::StoreError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// A jiesu store in an SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite:///path/file.db` or a plain
    /// path) and runs the migrations.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|e| StoreError::Other(e.to_string()))?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Other(format!("无法打开数据库 {path}：{e}")))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| StoreError::Other(format!("无法打开数据库 {path}：{e}")))?;
        let store = SqliteStore { writer, reader };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations (also done by [`SqliteStore::open`]).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations")
            .run(&self.writer)
            .await
            .map_err(|e| StoreError::Other(format!("迁移失败：{e}")))
    }

    /// Writes a consistent copy of the live database to `path` (`VACUUM INTO`): readers
    /// and writers carry on meanwhile.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if path.exists() {
            return Err(StoreError::Conflict(format!("{} 已存在", path.display())));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().to_string())
            .execute(&self.writer)
            .await
            .map_err(|e| StoreError::Other(format!("备份失败：{e}")))?;
        Ok(())
    }

    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }
}

jiesu_store::sql_store!(SqliteStore, sqlx::Sqlite, "sqlite");
jiesu_store::raw_insert_probe!(SqliteStore, sqlx::Sqlite);
