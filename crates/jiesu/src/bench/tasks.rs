//! `jiesu bench tasks`: N published tasks, each with a lead and a co-body, four milestones
//! and a year of monthly progress reports, bulk-inserted into a fresh SQLite database; then
//! the tasks' deadline scan (临期/超期 and their reminders), the supervision office's
//! per-body board, and the import (split and store as drafts) of seed document 001.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::calendar::Calendar;
use jiesu_domain::ids::BodyId;
use jiesu_store::TaskFilter;
use sqlx::{QueryBuilder, Sqlite};

use super::{percentile, print_result};
use crate::backend::Backend;

/// Lead bodies of the generated city.
const BODIES: usize = 40;
/// Rows per multi-row INSERT (SQLite allows 32,766 bound values).
const ROWS: usize = 1_000;
/// Board readings for the p95.
const BOARD_RUNS: usize = 50;

/// The seed document named 001… under `seeds`.
fn seed_001(seeds: &std::path::Path) -> Result<PathBuf> {
    std::fs::read_dir(seeds)
        .with_context(|| format!("无法读取种子目录 {}", seeds.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("001"))
        })
        .with_context(|| format!("{} 下没有以 001 开头的文件", seeds.display()))
}

fn ms(day: NaiveDate) -> i64 {
    Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).expect("a valid time"))
        .timestamp_millis()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// Inserts the tasks with their bodies, milestones and reports, `ROWS` rows a statement, in
/// one transaction per table.
async fn load(pool: &sqlx::SqlitePool, tasks: usize, bodies: &[BodyId]) -> Result<()> {
    let published = day(2025, 12, 1);
    let mut tx = pool.begin().await?;
    for start in (0..tasks).step_by(ROWS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO tasks (id, document, number, title, due, cadence, created_ms, published_ms, \
             last_report_ms, accepted_percent, done_ms, done_on_time, reports, reports_on_time, \
             milestones_done, milestones_on_time) ",
        );
        q.push_values(start..(start + ROWS).min(tasks), |mut b, i| {
            // One in five is done (an accepted 100% report in November), one in ten stopped
            // reporting in the summer; the rest report every month.
            let done = i % 5 == 0;
            let last = if i % 10 == 1 {
                day(2026, 7, 27)
            } else {
                day(2026, 11, 27)
            };
            let reports = if i % 10 == 1 { 7 } else { 11 };
            b.push_bind(i as i64 + 1)
                .push_bind(format!("压测文件{}", i % 20))
                .push_bind(format!("{}.", i % 50 + 1))
                .push_bind(format!("压测任务{i}"))
                .push_bind(day(2026, 12, 31 - (i % 20) as u32).to_string())
                .push_bind("monthly:28")
                .push_bind(ms(published))
                .push_bind(ms(published))
                .push_bind(ms(last))
                .push_bind(if done { 100 } else { 60 })
                .push_bind(done.then(|| ms(last)))
                .push_bind(done.then_some(1_i64))
                .push_bind(reports)
                .push_bind(reports - (i % 3) as i64)
                .push_bind(3_i64)
                .push_bind(2_i64);
        });
        q.build().execute(&mut *tx).await?;

        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT INTO task_bodies (task_id, body_id, lead) ");
        q.push_values(
            (start..(start + ROWS).min(tasks)).flat_map(|i| [(i, 0, 1_i64), (i, 1, 0)]),
            |mut b, (i, k, lead)| {
                b.push_bind(i as i64 + 1)
                    .push_bind(bodies[(i + k * 7) % bodies.len()].0)
                    .push_bind(lead);
            },
        );
        q.build().execute(&mut *tx).await?;

        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO task_milestones (task_id, due, expected, done_ms, done_on_time) ",
        );
        q.push_values(
            (start..(start + ROWS).min(tasks)).flat_map(|i| (0..4_u32).map(move |k| (i, k))),
            |mut b, (i, k)| {
                let due = day(2026, 3 * (k + 1), 30);
                let reached = k < 3;
                b.push_bind(i as i64 + 1)
                    .push_bind(due.to_string())
                    .push_bind("完成阶段目标")
                    .push_bind(reached.then(|| ms(due)))
                    .push_bind(reached.then_some(1_i64));
            },
        );
        q.build().execute(&mut *tx).await?;

        // A year of reports: 12 per task, in statements of ROWS / 12 tasks.
        for chunk in (start..(start + ROWS).min(tasks))
            .collect::<Vec<_>>()
            .chunks(ROWS / 12)
        {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO task_reports (task_id, body_id, author, text, percent, due, on_time, \
                 created_ms, verdict) ",
            );
            q.push_values(
                chunk
                    .iter()
                    .flat_map(|&i| (1..=12_u32).map(move |m| (i, m))),
                |mut b, (i, m)| {
                    let due = day(
                        if m == 12 { 2025 } else { 2026 },
                        if m == 12 { 12 } else { m },
                        28,
                    );
                    b.push_bind(i as i64 + 1)
                        .push_bind(bodies[i % bodies.len()].0)
                        .push_bind("压测报送人")
                        .push_bind("本月按计划推进")
                        .push_bind((m * 8) as i64)
                        .push_bind(due.to_string())
                        .push_bind(1_i64)
                        .push_bind(ms(due - Duration::days(1)))
                        .push_bind("accepted");
                },
            );
            q.build().execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn run(tasks: usize, seeds: &std::path::Path) -> Result<()> {
    anyhow::ensure!(tasks >= 100, "--tasks 至少为 100");
    let seed = seed_001(seeds)?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("tasks.db");
    let backend = Backend::open(&format!("sqlite://{}", file.display())).await?;
    let store = backend.store();
    let mut bodies = Vec::with_capacity(BODIES);
    for i in 0..BODIES {
        let body = store
            .create_body(&NewBody {
                name: format!("压测单位{i}"),
                kind: BodyKind::Department,
                parent: None,
                areas: vec![],
            })
            .await?;
        bodies.push(body.id);
    }
    let Backend::Sqlite(sqlite) = &backend else {
        anyhow::bail!("压测只用 SQLite 临时库");
    };
    let started = Instant::now();
    load(sqlite.writer(), tasks, &bodies).await?;
    let load_s = started.elapsed().as_secs_f64();
    backend.settle().await?;

    let calendar = Calendar::default();
    let now = Utc
        .with_ymd_and_hms(2026, 12, 24, 2, 0, 0)
        .single()
        .expect("a valid time");
    // Three passes: the first after the bulk load judges every open task (as after an
    // upgrade or an import of a whole year); the second, at the same moment, finds nothing due;
    // the next day's is the steady state the 200 ms means: a daily pass that reads
    // only the tasks whose next check has come.
    let started = Instant::now();
    let first = jiesu_app::tasks::scan::scan_tasks(store.as_ref(), &calendar, now).await?;
    let first_scan_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let again = jiesu_app::tasks::scan::scan_tasks(store.as_ref(), &calendar, now).await?;
    let rescan_ms = started.elapsed().as_secs_f64() * 1000.0;
    let tomorrow = now + chrono::Duration::days(1);
    let started = Instant::now();
    let next_day = jiesu_app::tasks::scan::scan_tasks(store.as_ref(), &calendar, tomorrow).await?;
    let scan_ms = started.elapsed().as_secs_f64() * 1000.0;

    let mut board_ms = Vec::with_capacity(BOARD_RUNS);
    let mut board = None;
    for _ in 0..BOARD_RUNS {
        let started = Instant::now();
        board = Some(jiesu_app::tasks::board::board(store.as_ref(), &TaskFilter::default()).await?);
        board_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    board_ms.sort_by(f64::total_cmp);
    let board = board.expect("at least one run");

    let text =
        std::fs::read_to_string(&seed).with_context(|| format!("无法读取 {}", seed.display()))?;
    let started = Instant::now();
    let (_, proposed) = jiesu_app::tasks::propose(&text, None, 2026)?;
    let split_ms = started.elapsed().as_secs_f64() * 1000.0;
    let imported =
        jiesu_app::tasks::import_drafts(store.as_ref(), "种子文件001", &proposed, now).await?;
    let import_ms = started.elapsed().as_secs_f64() * 1000.0;

    println!("任务数\t{tasks}（每项 4 个节点、12 次进展报送）");
    println!("写入\t{load_s:.1} 秒");
    println!(
        "扫描（首次，全部在办任务；first_scan_ms）\t{first_scan_ms:.1} ms，检查 {} 项，变化 {} 项，提醒 {} 条",
        first.checked, first.changed, first.alerts
    );
    println!(
        "扫描（同一时刻再次；rescan_ms）\t{rescan_ms:.1} ms，检查 {} 项，变化 {} 项",
        again.checked, again.changed
    );
    println!(
        "扫描（次日，稳态；scan_ms）\t{scan_ms:.1} ms，检查 {} 项，变化 {} 项，提醒 {} 条",
        next_day.checked, next_day.changed, next_day.alerts
    );
    println!(
        "看板\tp50 {:.1} ms，p95 {:.1} ms（{} 个单位，临期 {}，超期 {}）",
        percentile(&board_ms, 0.5),
        percentile(&board_ms, 0.95),
        board.bodies.len(),
        board.due_soon,
        board.late
    );
    println!(
        "导入种子文件 001\t拆分 {split_ms:.1} ms，拆分并保存 {import_ms:.1} ms，{} 项任务",
        imported.ids.len()
    );
    print_result(&[
        ("tasks", tasks.to_string()),
        ("scan_ms", format!("{scan_ms:.1}")),
        ("first_scan_ms", format!("{first_scan_ms:.1}")),
        ("rescan_ms", format!("{rescan_ms:.1}")),
        ("board_ms", format!("{:.1}", percentile(&board_ms, 0.95))),
        ("import_ms", format!("{import_ms:.1}")),
        ("split_ms", format!("{split_ms:.1}")),
        ("alerts", first.alerts.to_string()),
        ("imported", imported.ids.len().to_string()),
    ]);
    Ok(())
}
