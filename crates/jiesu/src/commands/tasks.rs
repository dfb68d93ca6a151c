//! `jiesu tasks`: policy documents turned into task lists (政策文件 → 任务清单), stored as
//! drafts, published, listed.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Utc};
use jiesu_app::tasks::ProposedTask;
use jiesu_store::{Page, StoredTask};

/// How `jiesu tasks import` runs.
pub struct ImportOptions {
    pub year: Option<i32>,
    pub dry_run: bool,
    pub json: bool,
    pub document: Option<String>,
}

/// Splits FILE into proposed tasks; prints them (`dry_run`) or stores them as drafts.
pub async fn import(file: &Path, options: &ImportOptions, db: &str) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("无法读取文件 {}（须为 UTF-8 纯文本）", file.display()))?;
    let (year, tasks) =
        jiesu_app::tasks::propose(&text, options.year, chrono::Local::now().year())?;
    if options.dry_run {
        if options.json {
            println!("{}", serde_json::to_string_pretty(&tasks)?);
        } else {
            print_proposed(&tasks, year);
        }
        return Ok(());
    }
    if tasks.is_empty() {
        bail!("文件中没有找到编号的任务举措，未保存任何草稿");
    }
    let document = options.document.clone().unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let store = crate::backend::open(db).await?;
    let imported =
        jiesu_app::tasks::import_drafts(store.as_ref(), &document, &tasks, Utc::now()).await?;
    if options.json {
        let out = serde_json::json!({
            "ids": imported.ids,
            "unknown_bodies": imported.unknown_bodies,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let first = imported.ids.first().copied().unwrap_or_default();
    let last = imported.ids.last().copied().unwrap_or_default();
    println!(
        "已保存 {} 项任务草稿（编号 {first}–{last}），发布前请核对：jiesu tasks list --drafts",
        imported.ids.len()
    );
    if !imported.unknown_bodies.is_empty() {
        println!(
            "以下单位名称与系统中的单位不一致，请核对对应：{}",
            imported.unknown_bodies.join("、")
        );
    }
    Ok(())
}

/// Publishes the given drafts, or every draft, with their body names mapped to bodies.
pub async fn publish(
    ids: &[i64],
    all_drafts: bool,
    mapping: &jiesu_app::tasks::BodyMapping,
    db: &str,
) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let ids: Vec<i64> = if all_drafts {
        all(store.as_ref(), Some(false))
            .await?
            .iter()
            .map(|t| t.id)
            .collect()
    } else {
        ids.to_vec()
    };
    if ids.is_empty() {
        bail!("没有要发布的任务草稿：请给出草稿编号，或使用 --all-drafts");
    }
    let published =
        jiesu_app::tasks::publish_with_bodies(store.as_ref(), &ids, mapping, Utc::now())
            .await
            .map_err(|e| match e {
                jiesu_app::AppError::Store(jiesu_store::StoreError::NotFound(_)) => {
                    anyhow::anyhow!("有编号不是待发布的任务草稿，未发布任何任务")
                }
                other => anyhow::anyhow!(jiesu_web::error::describe(&other).message),
            })?;
    println!("已发布 {published} 项任务");
    Ok(())
}

/// Prints tasks, one line each.
pub async fn list(published: Option<bool>, db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    for task in all(store.as_ref(), published).await? {
        let state = if task.published_at.is_some() {
            "已发布"
        } else {
            "草稿"
        };
        let d = &task.draft;
        println!(
            "{}\t{state}\t{}\t{}\t牵头：{}\t责任：{}\t时限：{}",
            task.id,
            d.number,
            d.title,
            d.lead_bodies.join("、"),
            d.co_bodies.join("、"),
            d.due.map_or_else(|| "—".to_string(), |d| d.to_string())
        );
    }
    Ok(())
}

async fn all(store: &dyn jiesu_store::Store, published: Option<bool>) -> Result<Vec<StoredTask>> {
    let mut out = Vec::new();
    loop {
        let page = Page::new(out.len() as i64, Page::MAX_LIMIT);
        let batch = store.tasks(published, page).await?;
        let done = (batch.len() as i64) < Page::MAX_LIMIT;
        out.extend(batch);
        if done {
            return Ok(out);
        }
    }
}

fn print_proposed(tasks: &[ProposedTask], year: i32) {
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
