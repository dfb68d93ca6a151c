//! The SQLite backend (嵌入式存储): one file, WAL journal, writes through a single connection
//! (SQLite has one writer; queuing in the pool beats retrying on `SQLITE_BUSY`), reads
//! through a pool. The SQL itself is shared with PostgreSQL in [`jiesu_store::sql`].

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use jiesu_store::StoreError;
use sqlx::ConnectOptions;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// A jiesu store in an SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// The database file.
    path: PathBuf,
    /// Keeps the background checkpointer running while any clone of the store lives.
    _alive: Arc<()>,
}

/// How much of the database file is read through a memory map.
const MMAP_BYTES: u64 = 1 << 30;
/// The writer's page cache, in KiB: the b-tree pages a write touches (with a million
/// appeals the indexes no longer fit the 2 MB default).
const CACHE_KIB: u32 = 32 * 1024;
/// Each reader's page cache, in KiB. Readers read the file without the memory map: SQLite
/// drops a connection's whole map and cache at the first read after any commit, so under
/// steady writes a mapped reader unmapped and re-faulted the file for every query.
const READER_CACHE_KIB: u32 = 4 * 1024;
/// WAL pages (~400 MB) after which a committing writer checkpoints itself. Below it the
/// background checkpointer copies the WAL into the database, off the write path: a scanner
/// pass writes thousands of pages, and checkpointing them inside its commits cost ~100 ms.
const WAL_BACKSTOP_PAGES: u32 = 100_000;
/// Rows a connection's worker thread may hand over ahead of the reader: the driver's 50
/// made a statement returning thousands of rows (a scanner batch, a list page of wide rows)
/// stall its worker thread whenever the task reading them was busy elsewhere.
const ROW_BUFFER: usize = 4_096;
/// How often the background checkpointer runs.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);
/// WAL size past which the background checkpointer has the log start over (RESTART); also
/// the size SQLite cuts the file back to when the log starts over (`journal_size_limit`).
const WAL_RESET_BYTES: i64 = 16 << 20;
/// How long a restarting checkpoint waits for the writer and for readers of older snapshots
/// before it gives up until a later round: while it waits, writers wait too.
const RESET_WAIT: Duration = Duration::from_millis(100);
/// Time between two attempts to restart the log, so that a reader holding a snapshot open
/// does not cost writers [`RESET_WAIT`] every second.
const RESET_EVERY: Duration = Duration::from_secs(5);

/// Checkpoints the WAL every [`CHECKPOINT_EVERY`] on a connection of its own, until the
/// store is dropped. PASSIVE first: it never waits for readers or the writer. But a
/// passive checkpoint never lets the log start over while reads and writes keep coming (some
/// reader is always on a snapshot whose last commits are not yet copied), so under a steady
/// load the file grew without end (~390 MB in 10 minutes at 500 requests/s). Once the log
/// holds more than [`WAL_RESET_BYTES`], a RESTART follows: with the frames just copied it
/// has little left to copy, waits for the readers of older snapshots to finish their
/// statement (writers wait meanwhile), and the next commit writes the log from its start,
/// cutting the file back to [`WAL_RESET_BYTES`]. It gives up after [`RESET_WAIT`] and tries
/// again [`RESET_EVERY`] later. The file is reused rather than emptied (TRUNCATE): commits
/// after the restart overwrite it rather than grow it, and a growing file's sync must also
/// record its new size.
fn spawn_checkpointer(options: SqliteConnectOptions, alive: Weak<()>) {
    tokio::spawn(async move {
        let mut connection = match options.busy_timeout(RESET_WAIT).connect().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "WAL checkpointer could not connect");
                return;
            }
        };
        let page_bytes: i64 = match sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(&mut connection)
            .await
        {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::warn!(error = %e, "WAL checkpointer could not read the page size");
                return;
            }
        };
        let mut last_reset: Option<Instant> = None;
        loop {
            tokio::time::sleep(CHECKPOINT_EVERY).await;
            if alive.upgrade().is_none() {
                return;
            }
            // (blocked, frames in the log, frames copied into the database)
            let passive = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&mut connection)
                .await;
            let frames = match passive {
                Ok((_, frames, _)) => frames,
                Err(e) => {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                    continue;
                }
            };
            let due = last_reset.is_none_or(|at| at.elapsed() >= RESET_EVERY);
            if frames * page_bytes <= WAL_RESET_BYTES || !due {
                continue;
            }
            last_reset = Some(Instant::now());
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
                .execute(&mut connection)
                .await
            {
                tracing::warn!(error = %e, "WAL restart failed");
            }
        }
    });
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
            // A commit is on disk before it is acknowledged (a citizen given a number keeps
            // it through a power cut): FULL syncs the WAL at every commit, where NORMAL
            // syncs only at checkpoints. The intake queue's group commit makes one sync
            // serve a batch of intakes.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .row_buffer_size(ROW_BUFFER)
            // The writer reads through a memory map (the readers turn it off below) and keeps
            // a larger private cache for the b-tree pages it touches: with a million appeals
            // the indexes no longer fit the 2 MB default.
            .pragma("mmap_size", MMAP_BYTES.to_string())
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            .pragma("wal_autocheckpoint", WAL_BACKSTOP_PAGES.to_string())
            .pragma("journal_size_limit", WAL_RESET_BYTES.to_string());
        // The one writer connection lives as long as the store, so the pages its cache holds
        // stay there between scanner passes (the pool's default closes a connection idle for
        // 10 minutes and any after 30). A multi-row statement inside a transaction keeps a
        // statement journal of the pages it changes; in memory it costs a copy of each page,
        // in a temporary file a write for each (thousands per scanner batch).
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone().pragma("temp_store", "memory"))
            .await
            .map_err(|e| StoreError::Other(format!("无法打开数据库 {path}：{e}")))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(
                options
                    .clone()
                    .read_only(true)
                    .pragma("mmap_size", "0")
                    .pragma("cache_size", format!("-{READER_CACHE_KIB}")),
            )
            .await
            .map_err(|e| StoreError::Other(format!("无法打开数据库 {path}：{e}")))?;
        let alive = Arc::new(());
        spawn_checkpointer(options, Arc::downgrade(&alive));
        let store = SqliteStore {
            writer,
            reader,
            path: path.into(),
            _alive: alive,
        };
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
            return Err(StoreError::Other(format!("{} 已存在", path.display())));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().to_string())
            .execute(&self.writer)
            .await
            .map_err(|e| StoreError::Other(format!("备份失败：{e}")))?;
        Ok(())
    }

    /// Copies the whole write-ahead log into the database file and empties it, as the
    /// background checkpointer does over time, then flushes the file to disk: after a bulk
    /// import, so that what follows meets the database at rest, not the kernel writing the
    /// import back meanwhile.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        // While the background checkpointer is at work, the pragma reports itself busy
        // (first column 1) instead of waiting: try again until it has done it all.
        loop {
            let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.writer)
                .await
                .map_err(|e| StoreError::Other(format!("检查点失败：{e}")))?;
            if busy == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || std::fs::File::open(path)?.sync_all())
            .await
            .map_err(|e| StoreError::Other(format!("检查点失败：{e}")))?
            .map_err(|e| StoreError::Other(format!("数据库文件写入磁盘失败：{e}")))
    }

    /// The write-ahead log beside the database file (`FILE-wal`).
    pub fn wal_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push("-wal");
        name.into()
    }

    /// The `synchronous` level of the writer connection and of a reader connection
    /// (2 = FULL: a commit is synced to disk before it returns).
    pub async fn synchronous(&self) -> Result<(i64, i64), StoreError> {
        let level = |pool: SqlitePool| async move {
            sqlx::query_scalar::<_, i64>("PRAGMA synchronous")
                .fetch_one(&pool)
                .await
                .map_err(|e| StoreError::Other(e.to_string()))
        };
        Ok((
            level(self.writer.clone()).await?,
            level(self.reader.clone()).await?,
        ))
    }

    /// The pool writes go through: a single connection, as SQLite has one writer. Public so
    /// that a tool can measure the database under the store's own settings (`jiesu bench
    /// intake` times raw inserts through it).
    pub fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    /// The table a list of bodies' appeals reads, through the narrow index keyed by id
    /// (migration 0011): the rows are read only for the page shown.
    fn appeals_of_bodies(&self) -> &'static str {
        "appeals INDEXED BY appeals_by_id"
    }
}

jiesu_store::sql_store!(SqliteStore, sqlx::Sqlite, "sqlite");
