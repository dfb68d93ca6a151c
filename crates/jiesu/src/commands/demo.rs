//! `jiesu demo`: a ready-to-use demo on the embedded default (SQLite in DATA_DIR/jiesu.db).

use std::path::Path;

use anyhow::{Context, Result};
use jiesu_store::AppealFilter;

use crate::cli::JobOptions;
use crate::demo::{DemoLogin, populate};

/// The seed of the demo data: the same data every time.
const SEED: u64 = 12345;

pub async fn run(
    listen: &str,
    data_dir: &Path,
    appeals: usize,
    no_serve: bool,
    jobs: &JobOptions,
) -> Result<()> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("无法创建目录 {}", data_dir.display()))?;
    let db = format!("sqlite://{}", data_dir.join("jiesu.db").display());
    let store = crate::backend::open(&db).await?;
    let existing: i64 = store
        .count_by_status(&AppealFilter::default())
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    let logins = if existing > 0 || !store.users().await?.is_empty() {
        eprintln!("使用已有的演示数据库 {db}（{existing} 件诉求）");
        let bodies = store.bodies().await?;
        store
            .users()
            .await?
            .into_iter()
            .map(|u| DemoLogin {
                role: u.role,
                password: format!("demo-{}", u.username),
                body: u
                    .body
                    .and_then(|id| bodies.iter().find(|b| b.id == id).map(|b| b.name.clone())),
                username: u.username,
            })
            .collect()
    } else {
        eprintln!("正在生成演示数据：{appeals} 件诉求 → {db}");
        let started = std::time::Instant::now();
        let logins = populate(store.clone(), appeals, SEED).await?;
        eprintln!(
            "演示数据已生成，用时 {:.1} 秒",
            started.elapsed().as_secs_f64()
        );
        logins
    };
    for login in &logins {
        let role = format!("{:?}", login.role).to_lowercase();
        match &login.body {
            Some(body) => println!("login: {role} {} {} {body}", login.username, login.password),
            None => println!("login: {role} {} {}", login.username, login.password),
        }
    }
    if no_serve {
        return Ok(());
    }
    let mut jobs = jobs.clone();
    jobs.index_dir.get_or_insert_with(|| data_dir.join("index"));
    // The demo tells citizens in the log unless a gateway or a mail server is configured.
    if jobs.notify.notify == [crate::notify_options::NotifyMode::Off] {
        jobs.notify.notify = vec![crate::notify_options::NotifyMode::Log];
    }
    crate::commands::serve_until_ctrl_c(store, listen, &jobs).await
}
