//! `jiesu calendar …`: the official working-day calendar (工作日历) for people and scripts.
//! Years an admin imported into a database override the shipped schedules.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::{NaiveDate, NaiveDateTime};
use jiesu_app::settings::stored as settings;
use jiesu_domain::calendar::{Calendar, Schedule};

async fn calendar_for(db: Option<&str>) -> Result<Calendar> {
    match db {
        Some(url) => Ok(settings::calendar(&*crate::backend::open(url).await?).await?),
        None => Ok(Calendar::official()),
    }
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .with_context(|| format!("日期「{text}」格式不正确，应为 YYYY-MM-DD"))
}

fn parse_datetime(text: &str) -> Result<NaiveDateTime> {
    let text = text.trim();
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .with_context(|| format!("时间「{text}」格式不正确，应为 YYYY-MM-DD HH:MM"))
}

/// Prints `workday`, `holiday` or `weekend`.
pub async fn check(date: &str, db: Option<&str>) -> Result<()> {
    let date = parse_date(date)?;
    println!("{}", calendar_for(db).await?.day_kind(date));
    Ok(())
}

/// Prints the `n`-th working day after `date` (the date itself not counted).
pub async fn add(date: &str, n: u32, db: Option<&str>) -> Result<()> {
    let date = parse_date(date)?;
    println!("{}", calendar_for(db).await?.add_working_days(date, n));
    Ok(())
}

/// Prints the moment `hours` working hours after `at`.
pub async fn add_hours(at: &str, hours: f64, db: Option<&str>) -> Result<()> {
    let at = parse_datetime(at)?;
    let due = calendar_for(db).await?.add_working_hours(at, hours)?;
    println!("{}", due.format("%Y-%m-%d %H:%M:%S"));
    Ok(())
}

/// Validates a year file and stores it in the database, replacing that year.
pub async fn import(file: &Path, db: &str) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let schedule = Schedule::parse(&text)?;
    let store = crate::backend::open(db).await?;
    settings::save_calendar_year(&*store, &schedule).await?;
    println!(
        "已导入 {} 年的节假日安排（{} 条）",
        schedule.year(),
        schedule.entries().len()
    );
    Ok(())
}
