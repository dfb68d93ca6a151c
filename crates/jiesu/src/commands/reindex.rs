//! `jiesu reindex`: rebuilds the full-text index from the database, with progress.

use std::path::Path;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_app::search::{Search, StoreFeed};
use jiesu_search::CatchUpConfig;
use jiesu_store::AppealFilter;

pub async fn run(db: &str, index_dir: &Path) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let total: i64 = store
        .count_by_status(&AppealFilter::default())
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    let search = Search::open(Some(index_dir))
        .with_context(|| format!("无法打开检索索引 {}", index_dir.display()))?;
    let bar = ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template("重建索引 {bar:40} {pos}/{len} ({eta})")
            .expect("valid template"),
    );
    let progress = bar.clone();
    let started = std::time::Instant::now();
    let report = search
        .updater
        .rebuild(&StoreFeed(store), &CatchUpConfig::default(), move |p| {
            progress.set_position(p.indexed)
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "索引已重建：{} 件诉求，用时 {:.1} 秒",
        report.indexed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
