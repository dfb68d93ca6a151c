//! `jiesu audit verify` through the real binary, on SQLite and PostgreSQL: a whole database
//! passes; after one event row is edited behind the application's back, the audit names
//! that appeal and event and fails.

use std::path::Path;
use std::process::{Command, Output};

use jiesu_domain::event::EventKind;
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::{Actor, Role};
use jiesu_store::prelude::*;
use jiesu_store::{AppealFilter, Page};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiesu"))
        .args(args)
        .env("JIESU_LOG", "warn")
        .output()
        .expect("jiesu runs")
}

fn jiesu(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "jiesu {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs the audit, which must fail; returns its standard error.
fn audit_fails(db: &str) -> String {
    let out = run(&["audit", "verify", "--db", db]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "the audit passed a tampered database: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

/// The new `data` of an event row: the same event said to have been done by someone else.
fn forged(data: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(data).expect("event data is JSON");
    let name = value["actor"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    value["actor"]["name"] = format!("{name}（篡改）").into();
    value.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_audit_finds_an_edited_event() {
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
    let file = data.join("jiesu.db");
    let db = format!("sqlite://{}", file.display());
    let out = jiesu(&["audit", "verify", "--db", &db]);
    assert!(out.contains("审计链完整：200 件诉求"), "{out}");

    // Edit the second event of the 50th appeal directly in the file.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    let (id, number, data): (i64, String, String) = sqlx::query_as(
        "SELECT e.appeal_id, a.number, e.data FROM events e JOIN appeals a ON a.id = e.appeal_id
         WHERE e.seq = 2 ORDER BY e.appeal_id LIMIT 1 OFFSET 49",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let changed = sqlx::query("UPDATE events SET data = $1 WHERE appeal_id = $2 AND seq = 2")
        .bind(forged(&data))
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(changed.rows_affected(), 1);
    pool.close().await;

    let stderr = audit_fails(&db);
    assert!(
        stderr.contains(&format!("诉求 {number} 第 2 个事件被篡改")),
        "{stderr}"
    );
}

fn scratch_pg(name: &str) -> String {
    let admin = std::env::var("JIESU_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("jiesu_t_audit_{}_{name}", std::process::id());
    tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current()
            .block_on(jiesu_store_postgres::create_scratch_database(&admin, &name))
    })
    .expect("PostgreSQL must be running")
}

fn write_csv(path: &Path) {
    let rows = [
        (
            "小区路灯不亮",
            "幸福里小区东门的路灯坏了一周，晚上出行不便。",
            "城乡建设",
        ),
        (
            "夜间施工噪音",
            "建设路工地夜里十一点后仍在施工，噪音扰民。",
            "环境保护",
        ),
        (
            "公交站牌错误",
            "人民医院站站牌线路信息没有更新，经常坐错车。",
            "交通运输",
        ),
        (
            "楼道堆放杂物",
            "光明小区五单元楼道堆满杂物，有消防隐患。",
            "城乡建设",
        ),
    ];
    let mut text = String::from("id,title,detail,time,category\n");
    for i in 0..24 {
        let (title, detail, category) = rows[i % rows.len()];
        text.push_str(&format!(
            "{i},{title}（{i}）,{detail},2026-03-{:02} 10:15:00,{category}\n",
            i % 28 + 1
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_audit_finds_an_edited_event() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("appeals.csv");
    write_csv(&csv);
    let db = scratch_pg("chain");
    let imported = jiesu(&["import", "appeals", csv.to_str().unwrap(), "--db", &db]);
    assert!(imported.contains("已导入 24 件诉求"), "{imported}");

    // An import writes one event per appeal: add a comment to some, so they have a second.
    let store = jiesu_store_postgres::PgStore::open(&db).await.unwrap();
    let timekeeper = jiesu_app::settings::stored::timekeeper(&store)
        .await
        .unwrap();
    let admin = Actor {
        user: None,
        name: "审计测试管理员".into(),
        role: Some(Role::Admin),
        body: None,
        system: false,
    };
    let appeals = store
        .list_appeals(&AppealFilter::default(), Page::new(0, 10))
        .await
        .unwrap()
        .items;
    for appeal in &appeals {
        jiesu_app::workflow::act(
            &store,
            &timekeeper,
            appeal.id,
            EventKind::Comment {
                text: "已电话联系诉求人".into(),
            },
            &admin,
            chrono::Utc::now(),
            None,
        )
        .await
        .unwrap();
    }
    let out = jiesu(&["audit", "verify", "--db", &db]);
    assert!(out.contains("审计链完整：24 件诉求，34 个事件"), "{out}");

    let target: AppealId = appeals[3].id;
    let number = appeals[3].number.0.clone();
    let pool = sqlx::PgPool::connect(&db).await.unwrap();
    let changed = sqlx::query(
        "UPDATE events SET data = replace(data, '已电话联系诉求人', '未联系诉求人') WHERE appeal_id = $1 AND seq = 2",
    )
    .bind(target.0)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(changed.rows_affected(), 1);
    pool.close().await;

    let stderr = audit_fails(&db);
    assert!(
        stderr.contains(&format!("诉求 {number} 第 2 个事件被篡改")),
        "{stderr}"
    );
}
