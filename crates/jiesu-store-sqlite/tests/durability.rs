//! What the SQLite store promises on disk: an acknowledged commit survives a power cut
//! (`synchronous=FULL`), and the write-ahead log stays bounded under steady reads and writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jiesu_store::prelude::*;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_bounded_under_steady_reads_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh(dir.path()).await;
    let busy = Arc::new(AtomicBool::new(true));
    let mut load = Vec::new();
    // Readers that never pause, and a writer that never stops: no moment without either.
    for _ in 0..3 {
        let (store, busy) = (store.clone(), busy.clone());
        load.push(tokio::spawn(async move {
            while busy.load(Ordering::Relaxed) {
                store.settings_with_prefix("blob-").await.unwrap();
            }
        }));
    }
    let writer = {
        let (store, busy) = (store.clone(), busy.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while busy.load(Ordering::Relaxed) {
                i += 1;
                store
                    .put_setting(&format!("small-{}", i % 100), &i.to_string())
                    .await
                    .unwrap();
            }
        })
    };
    // 32 MB through the WAL, well past the point where the checkpointer empties it.
    let wal = store.wal_path();
    let size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let blob = "x".repeat(1 << 20);
    let mut largest = 0;
    for i in 0..32 {
        store
            .put_setting(&format!("blob-{i}"), &blob)
            .await
            .unwrap();
        largest = largest.max(size());
    }
    assert!(largest > 16 << 20, "the blobs went through the WAL");
    let begun = Instant::now();
    let mut smallest = size();
    while begun.elapsed() < Duration::from_secs(20) && smallest > 16 << 20 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        smallest = smallest.min(size());
    }
    busy.store(false, Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    writer.await.unwrap();
    assert!(
        smallest <= 16 << 20,
        "WAL still {} MB after 20 s of load",
        smallest >> 20
    );
    assert_eq!(
        store.setting("blob-31").await.unwrap().map(|b| b.len()),
        Some(1 << 20),
        "nothing lost"
    );
}
