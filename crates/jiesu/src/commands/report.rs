//! `jiesu report monthly`: the monthly report (月度报告) as a workbook, the same as the leader
//! page's download.

use std::path::Path;

use anyhow::{Context, Result};
use jiesu_app::App;
use jiesu_app::report::{MonthlyReport, xlsx};
use jiesu_domain::assessment::period::{Period, PeriodKind};

/// Parses `YYYY-MM`; anything else is refused in Chinese.
pub fn month(text: &str) -> Result<Period> {
    match Period::parse(text) {
        Ok(p) if p.kind == PeriodKind::Month => Ok(p),
        _ => anyhow::bail!("月份「{text}」格式不正确，应为 YYYY-MM，如 2026-11"),
    }
}

/// Gathers the month's report from `app` and writes it to `out`; returns the report.
pub async fn write(app: &App, month: &Period, out: &Path) -> Result<MonthlyReport> {
    let report = MonthlyReport::gather(app, month).await?;
    let bytes = xlsx::workbook(&report).context("生成月报失败")?;
    std::fs::write(out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    Ok(report)
}

pub async fn monthly(db: &str, month_text: &str, out: &Path) -> Result<()> {
    let month = month(month_text)?;
    let app = App::load(crate::backend::open(db).await?).await?;
    let report = write(&app, &month, out).await?;
    println!(
        "已生成{}：受理 {} 件，考核单位 {} 个 → {}",
        report.title,
        report.total.count,
        report
            .assessment
            .tiers
            .iter()
            .map(|t| t.bodies.len())
            .sum::<usize>(),
        out.display()
    );
    Ok(())
}
