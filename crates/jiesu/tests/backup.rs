//! Backup and restore round trips through the real binary, on SQLite and PostgreSQL: the
//! restored database exports exactly what the original did.

mod support;

use std::path::Path;
use std::process::Command;

use support::jiesu;

fn export(db: &str) -> String {
    jiesu(&["export", "appeals", "--format", "csv", "--db", db])
}

#[test]
fn sqlite_backup_restores_every_appeal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    jiesu(&[
        "demo",
        "--data-dir",
        data.to_str().unwrap(),
        "--appeals",
        "150",
        "--no-serve",
    ]);
    let db = format!("sqlite://{}", data.join("jiesu.db").display());
    let file = dir.path().join("backup.db");
    jiesu(&["backup", "--db", &db, "--out", file.to_str().unwrap()]);
    let restored = format!("sqlite://{}", dir.path().join("restored.db").display());
    jiesu(&["restore", file.to_str().unwrap(), "--db", &restored]);
    let (before, after) = (export(&db), export(&restored));
    assert_eq!(before.lines().count(), 151, "a header and 150 appeals");
    assert_eq!(before, after);
    // Restoring over an existing database is refused.
    let again = Command::new(env!("CARGO_BIN_EXE_jiesu"))
        .args(["restore", file.to_str().unwrap(), "--db", &restored])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));
}

fn scratch_pg(name: &str) -> String {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(support::scratch_postgres(&format!("backup_{name}")))
}

fn write_csv(path: &Path) {
    let mut text = String::from("id,title,detail,time,category\n");
    for i in 0..40 {
        text.push_str(&format!(
            "{i},小区路灯不亮 {i},东门路灯坏了一周 {i},2026-10-{:02} 09:30:00,城乡建设\n",
            i % 28 + 1
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn postgres_backup_restores_every_appeal() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("appeals.csv");
    write_csv(&csv);
    let source = scratch_pg("src");
    jiesu(&["import", "appeals", csv.to_str().unwrap(), "--db", &source]);
    let file = dir.path().join("backup.dump");
    jiesu(&["backup", "--db", &source, "--out", file.to_str().unwrap()]);
    let target = scratch_pg("dst");
    jiesu(&["restore", file.to_str().unwrap(), "--db", &target]);
    let (before, after) = (export(&source), export(&target));
    assert_eq!(before.lines().count(), 41);
    assert_eq!(before, after);
}
