//! `jiesu assessment rebuild` through the real binary: a database whose appeals have no
//! assessment facts (as one created before migration 0020) gets back exactly the facts the
//! workflow kept, and a second run changes nothing.

use std::process::Command;

use sqlx::Row;

fn jiesu(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jiesu"))
        .args(args)
        .env("JIESU_LOG", "warn")
        .output()
        .expect("jiesu runs");
    assert!(
        out.status.success(),
        "jiesu {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The facts of `now` that differ from `kept` (both in order), or a count mismatch.
fn differences(kept: &[String], now: &[String]) -> Vec<String> {
    let mut out: Vec<String> = kept
        .iter()
        .zip(now)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("kept {a} / rebuilt {b}"))
        .take(5)
        .collect();
    if kept.len() != now.len() {
        out.push(format!("{} stints kept, {} rebuilt", kept.len(), now.len()));
    }
    out
}

/// Every stint's facts, as one line each, in order.
async fn facts(pool: &sqlx::SqlitePool) -> Vec<String> {
    let rows = sqlx::query(
        "SELECT appeal_id, stint, body_id, dispatched_ms, signed, contacted, replied, returned, \
         return_invalid, called_back, solved, satisfied, reminders, supervisions, reopened, \
         closed_ms, repeated, excluded FROM assessment_facts ORDER BY appeal_id, stint",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            (0..18)
                .map(|i| format!("{:?}", r.try_get::<Option<i64>, _>(i).unwrap()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn facts_are_rebuilt_for_a_database_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    jiesu(&[
        "demo",
        "--data-dir",
        data.to_str().unwrap(),
        "--appeals",
        "200",
        "--no-serve",
    ]);
    let db = format!("sqlite://{}", data.join("jiesu.db").display());
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let kept = facts(&pool).await;
    assert!(
        kept.len() > 100,
        "the demo dispatches its appeals: {}",
        kept.len()
    );
    sqlx::query("DELETE FROM assessment_facts")
        .execute(&pool)
        .await
        .unwrap();

    let out = jiesu(&["assessment", "rebuild", "--db", &db]);
    let appeals: std::collections::BTreeSet<&str> =
        kept.iter().map(|f| f.split(',').next().unwrap()).collect();
    assert!(out.contains(&format!("补建 {} 件", appeals.len())), "{out}");
    assert_eq!(
        differences(&kept, &facts(&pool).await),
        Vec::<String>::new()
    );

    let again = jiesu(&["assessment", "rebuild", "--db", &db]);
    assert!(again.contains("补建 0 件"), "{again}");
    assert_eq!(
        differences(&kept, &facts(&pool).await),
        Vec::<String>::new()
    );
}
