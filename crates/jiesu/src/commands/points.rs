//! `jiesu points`: the service-point table (便民点位) in and out, as CSV or XLSX.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use jiesu_app::App;
use jiesu_app::points::Format;

fn format_of(file: &Path) -> Result<Format> {
    Format::of_name(&file.to_string_lossy()).ok_or_else(|| {
        anyhow!(
            "不支持的文件类型「{}」：请使用 .csv 或 .xlsx",
            file.display()
        )
    })
}

/// Imports FILE: all rows or none, a bad row reported by its line.
pub async fn import(file: &Path, db: &str) -> Result<()> {
    let format = format_of(file)?;
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    let app = App::load(crate::backend::open(db).await?).await?;
    let ids = app
        .import_points(&bytes, format)
        .await
        .map_err(|e| anyhow!("{}", jiesu_app::points::describe(&e)))?;
    println!("已导入 {} 个点位", ids.len());
    Ok(())
}

/// Writes every point to FILE.
pub async fn export(file: &Path, db: &str) -> Result<()> {
    let format = format_of(file)?;
    let app = App::load(crate::backend::open(db).await?).await?;
    let bytes = app.export_points(format).await?;
    std::fs::write(file, &bytes).with_context(|| format!("无法写入 {}", file.display()))?;
    println!(
        "已导出 {} 个点位到 {}",
        app.store.count_points(&Default::default()).await?,
        file.display()
    );
    Ok(())
}
