//! `jiesu campaigns`: suggestion campaigns (民生实事意见征集) for an operator — the list,
//! grouping a closed campaign's proposals, the workbook of a campaign.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use jiesu_app::{App, AppError};
use jiesu_store::StoreError;

/// An error of the application as the operator reads it.
fn chinese(e: AppError) -> anyhow::Error {
    match e {
        AppError::Store(StoreError::NotFound(what)) => anyhow!("{what}不存在"),
        other => other.into(),
    }
}

async fn app(db: &str) -> Result<App> {
    Ok(App::load(crate::backend::open(db).await?).await?)
}

/// Prints every campaign with its state and counts.
pub async fn list(db: &str) -> Result<()> {
    let app = app(db).await?;
    println!("编号\t状态\t征集期\t建议\t分组\t征集活动");
    for view in app.campaign_list(false).await? {
        let groups = app.store.groups(view.campaign.id).await?.len();
        let d = &view.campaign.draft;
        println!(
            "{}\t{}\t{} 至 {}\t{}\t{}\t{}",
            view.campaign.id,
            view.state.label(),
            d.opens,
            d.closes,
            view.proposals,
            groups,
            d.title
        );
    }
    Ok(())
}

/// Groups campaign `id`'s proposals and stores the ranked groups.
pub async fn group(id: i64, db: &str) -> Result<()> {
    let app = app(db).await?;
    let done = app.group_campaign(id).await.map_err(chinese)?;
    println!(
        "{} 条建议已汇总为 {} 组（分组用时 {:.3} 秒）",
        done.proposals, done.groups, done.seconds
    );
    Ok(())
}

/// Writes campaign `id` to FILE as a workbook.
pub async fn export(id: i64, file: &Path, db: &str) -> Result<()> {
    let app = app(db).await?;
    let bytes = app.export_campaign(id).await.map_err(chinese)?;
    std::fs::write(file, &bytes).with_context(|| format!("无法写入 {}", file.display()))?;
    println!("已导出征集活动 {id} 到 {}", file.display());
    Ok(())
}
