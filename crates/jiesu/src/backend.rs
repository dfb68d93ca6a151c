//! Choosing the storage backend from a database URL: the only place both are named.

use std::sync::Arc;

use anyhow::{Result, bail};
use jiesu_store::Store;
use jiesu_store_postgres::PgStore;
use jiesu_store_sqlite::SqliteStore;

/// A concrete backend, for the few operations outside the [`Store`] interface.
pub enum Backend {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Backend {
    /// Opens (and migrates) the store a URL names: `sqlite://…` or `postgres://…`.
    pub async fn open(url: &str) -> Result<Backend> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres(PgStore::open(url).await?))
        } else if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite(SqliteStore::open(url).await?))
        } else {
            bail!(
                "不支持的数据库地址「{url}」：请使用 sqlite:///路径/文件.db 或 postgres://用户@主机/库名"
            )
        }
    }

    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sqlite(s) => Arc::new(s.clone()),
            Backend::Postgres(s) => Arc::new(s.clone()),
        }
    }

    /// Brings the database to rest after a bulk load: SQLite's write-ahead log is copied into
    /// the file (PostgreSQL needs nothing).
    pub async fn settle(&self) -> Result<()> {
        if let Backend::Sqlite(s) = self {
            s.checkpoint().await?;
        }
        Ok(())
    }
}

/// Opens the store a URL names.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Backend::open(url).await?.store())
}
