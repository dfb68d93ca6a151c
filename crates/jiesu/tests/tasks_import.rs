//! `jiesu tasks import FILE --dry-run --json` through the real binary: a document written for
//! this test becomes its proposed task list; the year comes from the document or `--year`.

use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiesu"))
        .args(args)
        .env("JIESU_LOG", "warn")
        .output()
        .expect("jiesu runs")
}

const DOCUMENT: &str = "关于加快老旧小区改造的实施方案

一、工作目标
到2025年，基本完成改造任务。

二、重点任务
（一）摸清底数。3月底前完成全市老旧小区摸底调查，建立项目库。
牵头单位：市住房和城乡建设局
责任单位：各县（市、区）人民政府
（二）推进加装电梯。年底前新增加装电梯100部。（市住房和城乡建设局牵头，市市场监管局配合）

某市人民政府办公室 2024年2月1日
";

#[test]
fn a_document_becomes_its_proposed_task_list() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.txt");
    std::fs::write(&file, DOCUMENT).unwrap();
    let path = file.to_str().unwrap();

    let out = run(&["tasks", "import", path, "--dry-run", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tasks: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    let first = &tasks[0];
    assert_eq!(first["number"], "二、（一）");
    assert_eq!(first["section"], "重点任务");
    assert_eq!(first["title"], "摸清底数");
    assert_eq!(first["lead_bodies"][0], "市住房和城乡建设局");
    assert_eq!(first["co_bodies"][0], "各县（市、区）人民政府");
    assert_eq!(first["due"], "2024-03-31");
    assert_eq!(tasks[1]["co_bodies"][0], "市市场监管局");
    assert_eq!(tasks[1]["due"], "2024-12-31");
    assert!(first["text"].as_str().unwrap().starts_with("摸清底数。"));

    let out = run(&[
        "tasks",
        "import",
        path,
        "--year",
        "2030",
        "--dry-run",
        "--json",
    ]);
    let tasks: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tasks[1]["due"], "2030-12-31");

    let missing = dir.path().join("none.txt");
    let out = run(&["tasks", "import", missing.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法读取文件"));
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "jiesu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn drafts_are_stored_then_published() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("老旧小区改造方案.txt");
    std::fs::write(&file, DOCUMENT).unwrap();
    let db = format!("sqlite://{}", dir.path().join("tasks.db").display());
    let path = file.to_str().unwrap();

    let out = ok(&["tasks", "import", path, "--db", &db, "--json"]);
    let stored: Value = serde_json::from_str(&out).unwrap();
    let ids = stored["ids"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    // A fresh database knows no bodies: every name is shown for the supervisor to map.
    let unknown = stored["unknown_bodies"].as_array().unwrap();
    assert_eq!(unknown.len(), 3);
    assert_eq!(unknown[0], "市住房和城乡建设局");

    let drafts = ok(&["tasks", "list", "--drafts", "--db", &db]);
    assert_eq!(drafts.lines().count(), 2);
    assert!(drafts.contains("草稿\t二、（一）\t摸清底数"));
    assert!(ok(&["tasks", "list", "--live", "--db", &db]).is_empty());

    let refused = run(&["tasks", "publish", "999", "--db", &db]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("未发布任何任务"));

    // Publishing maps the names to bodies: an unknown one is refused by name.
    let refused = run(&["tasks", "publish", "--all-drafts", "--db", &db]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("市住房和城乡建设局"));
    let housing = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use jiesu_store::prelude::BodyStore;
        let store = jiesu_store_sqlite::SqliteStore::open(&db).await.unwrap();
        let body = jiesu_domain::body::NewBody {
            name: "市住房和城乡建设局".into(),
            kind: jiesu_domain::body::BodyKind::Department,
            parent: None,
            areas: vec![],
        };
        store.create_body(&body).await.unwrap().id.0
    });
    let market = format!("--map=市市场监管局={housing}");
    let published = ok(&[
        "tasks",
        "publish",
        "--all-drafts",
        "--map=各县（市、区）人民政府=",
        &market,
        "--db",
        &db,
    ]);
    assert!(published.contains("已发布 2 项任务"), "{published}");
    let shown = ok(&["tasks", "show", &ids[0].to_string(), "--db", &db]);
    assert!(shown.contains("牵头单位\t市住房和城乡建设局"), "{shown}");
    let bad = run(&[
        "tasks",
        "close",
        &ids[0].to_string(),
        "--as",
        "nobody",
        "--note",
        "x",
        "--db",
        &db,
    ]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("用户「nobody」不存在"));
    let live = ok(&["tasks", "list", "--live", "--db", &db]);
    assert_eq!(live.lines().count(), 2);
    assert!(live.contains("已发布\t二、（二）\t推进加装电梯"));
}
