//! `jiesu backup` and `jiesu restore` (备份 · 恢复): online, consistent copies. SQLite copies
//! itself with `VACUUM INTO`; PostgreSQL uses `pg_dump`/`pg_restore` (a snapshot-consistent
//! dump in the custom format).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use jiesu_store::AppealFilter;

use crate::backend::Backend;

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

fn run_tool(mut command: Command, what: &str) -> Result<()> {
    let out = command
        .output()
        .with_context(|| format!("无法运行 {what}（请安装 PostgreSQL 客户端工具）"))?;
    if !out.status.success() {
        bail!(
            "{what} 失败：{}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

pub async fn backup(db: &str, out: &Path) -> Result<()> {
    if out.exists() {
        bail!("{} 已存在，不会覆盖", out.display());
    }
    if is_postgres(db) {
        let mut dump = Command::new("pg_dump");
        dump.args(["--format=custom", "--no-owner", "--file"])
            .arg(out)
            .arg(db);
        run_tool(dump, "pg_dump")?;
    } else {
        match Backend::open(db).await? {
            Backend::Sqlite(store) => store.backup_to(out).await?,
            Backend::Postgres(_) => unreachable!("checked above"),
        }
    }
    println!("已备份到 {}", out.display());
    Ok(())
}

/// Restores into an empty database (a new SQLite file, or an empty PostgreSQL database).
pub async fn restore(file: &Path, db: &str) -> Result<()> {
    if !file.exists() {
        bail!("备份文件 {} 不存在", file.display());
    }
    if is_postgres(db) {
        let store = Backend::open(db).await?.store();
        let existing: i64 = store
            .count_by_status(&AppealFilter::default())
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        if existing > 0 || !store.users().await?.is_empty() {
            bail!("目标数据库不为空：请恢复到一个新建的空数据库");
        }
        let mut restore = Command::new("pg_restore");
        restore
            .args([
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
            ])
            .arg(db)
            .arg(file);
        run_tool(restore, "pg_restore")?;
    } else {
        let target = Path::new(sqlite_path(db));
        if target.exists() {
            bail!(
                "{} 已存在：请恢复到新的文件（或先停止服务并移走旧文件）",
                target.display()
            );
        }
        std::fs::copy(file, target).with_context(|| format!("无法写入 {}", target.display()))?;
    }
    let store = Backend::open(db).await?.store(); // runs any newer migrations
    let appeals: i64 = store
        .count_by_status(&AppealFilter::default())
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    println!("已恢复：{appeals} 件诉求");
    Ok(())
}
