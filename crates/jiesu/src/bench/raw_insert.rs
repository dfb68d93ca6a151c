//! The raw insert rate of a database: single-row insert transactions per second on a scratch
//! table, through the store's own write pool (so with the same durability settings) — the
//! yardstick `jiesu bench intake` compares the full intake path with.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Result;
use sqlx::{Database, Encode, Executor, IntoArguments, Pool, Type};

use crate::backend::Backend;

/// Inserts `rows` rows of about 1.8 KB from `concurrency` tasks, one transaction each;
/// returns rows per second.
pub async fn rate(backend: &Backend, rows: usize, concurrency: usize) -> Result<f64> {
    match backend {
        Backend::Sqlite(s) => pool_rate(s.writer(), rows, concurrency).await,
        Backend::Postgres(s) => pool_rate(s.writer(), rows, concurrency).await,
    }
}

async fn pool_rate<DB>(pool: &Pool<DB>, rows: usize, concurrency: usize) -> Result<f64>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
{
    sqlx::query("DROP TABLE IF EXISTS bench_raw")
        .execute(pool)
        .await?;
    sqlx::query("CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)")
        .execute(pool)
        .await?;
    let payload = "压测".repeat(300);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (pool, next, payload) = (pool.clone(), next.clone(), payload.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= rows {
                    return Ok::<(), sqlx::Error>(());
                }
                let mut tx = pool.begin().await?;
                sqlx::query("INSERT INTO bench_raw (id, payload) VALUES ($1, $2)")
                    .bind(i as i64)
                    .bind(payload.as_str())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_raw").execute(pool).await?;
    Ok(rate)
}
