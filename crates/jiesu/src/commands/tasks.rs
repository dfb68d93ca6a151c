//! `jiesu tasks`: policy documents turned into task lists (政策文件 → 任务清单).

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::Datelike;
use jiesu_text::policy::{ProposedTask, document_year, propose};

/// Splits FILE into proposed tasks and prints them (JSON array with `json`).
pub fn import(file: &Path, year: Option<i32>, dry_run: bool, json: bool) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("无法读取文件 {}（须为 UTF-8 纯文本）", file.display()))?;
    let year = year
        .or_else(|| document_year(&text))
        .unwrap_or_else(|| chrono::Local::now().year());
    let tasks = propose(&text, year);
    if !dry_run {
        bail!("保存任务草稿尚未开放：请加 --dry-run 查看拆分结果");
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&tasks)?);
    } else {
        print_table(&tasks, year);
    }
    Ok(())
}

fn print_table(tasks: &[ProposedTask], year: i32) {
    println!("文件年份 {year}，拆分出 {} 项任务", tasks.len());
    for task in tasks {
        let due = task.due.map_or_else(|| "—".to_string(), |d| d.to_string());
        println!(
            "{}\t{}\t牵头：{}\t责任：{}\t时限：{}",
            task.number,
            task.title,
            task.lead_bodies.join("、"),
            task.co_bodies.join("、"),
            due
        );
    }
}
