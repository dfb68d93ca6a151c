//! `jiesu train dispatch`: trains the dispatch classifier from the database or a file, with
//! a progress bar, and stores it as a new model version.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_app::dispatch::{records_from_store, train_and_store};
use jiesu_text::dispatch::Dataset;

pub async fn dispatch(from: &str, db: &str, activate: bool) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let records = if from == "db" {
        records_from_store(&*store).await?
    } else {
        let dataset =
            Dataset::from_path(from).with_context(|| format!("无法读取训练文件 {from}"))?;
        if dataset.skipped > 0 {
            eprintln!("跳过 {} 行（无标题或无分类）", dataset.skipped);
        }
        dataset.records
    };
    anyhow::ensure!(
        !records.is_empty(),
        "没有可用于训练的诉求（需要已分类的诉求）"
    );
    eprintln!("用 {} 条记录训练派单模型…", records.len());
    let bar = ProgressBar::new(1).with_style(
        ProgressStyle::with_template("训练 {bar:40} {pos}/{len} {elapsed}")
            .expect("valid template"),
    );
    let progress = bar.clone();
    let started = std::time::Instant::now();
    let version = train_and_store(&*store, records, activate, move |done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })
    .await?;
    bar.finish_and_clear();
    let state = if activate { "已启用" } else { "未启用" };
    println!(
        "派单模型版本 {version} 训练完成，用时 {:.1} 秒（{state}）",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
