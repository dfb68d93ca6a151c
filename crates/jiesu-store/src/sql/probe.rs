//! The raw insert rate of a backend: the yardstick `jiesu bench intake` compares the full
//! intake path with.

/// Adds `raw_insert_rate` to a backend type: single-row insert transactions per second on a
/// scratch table, through the backend's write pool — the yardstick `jiesu bench intake`
/// compares the full intake path with.
#[macro_export]
macro_rules! raw_insert_probe {
    ($store:ty, $db:ty) => {
        impl $store {
            pub async fn raw_insert_rate(
                &self,
                rows: usize,
                concurrency: usize,
            ) -> $crate::StoreResult<f64> {
                let err = |e: ::sqlx::Error| $crate::StoreError::Other(e.to_string());
                ::sqlx::query("DROP TABLE IF EXISTS bench_raw")
                    .execute(self.writer())
                    .await
                    .map_err(err)?;
                ::sqlx::query(
                    "CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)",
                )
                .execute(self.writer())
                .await
                .map_err(err)?;
                let payload = "压测".repeat(300);
                let next = ::std::sync::Arc::new(::std::sync::atomic::AtomicUsize::new(0));
                let started = ::std::time::Instant::now();
                let mut tasks = Vec::new();
                for _ in 0..concurrency.max(1) {
                    let (pool, next, payload) =
                        (self.writer().clone(), next.clone(), payload.clone());
                    tasks.push(::tokio::spawn(async move {
                        loop {
                            let i = next.fetch_add(1, ::std::sync::atomic::Ordering::Relaxed);
                            if i >= rows {
                                return Ok::<(), ::sqlx::Error>(());
                            }
                            let mut tx = pool.begin().await?;
                            ::sqlx::query("INSERT INTO bench_raw (id, payload) VALUES ($1, $2)")
                                .bind(i as i64)
                                .bind(payload.as_str())
                                .execute(&mut *tx)
                                .await?;
                            tx.commit().await?;
                        }
                    }));
                }
                for t in tasks {
                    t.await
                        .map_err(|e| $crate::StoreError::Other(e.to_string()))?
                        .map_err(err)?;
                }
                let rate = rows as f64 / started.elapsed().as_secs_f64();
                ::sqlx::query("DROP TABLE bench_raw")
                    .execute(self.writer())
                    .await
                    .map_err(err)?;
                Ok(rate)
            }
        }
    };
}
