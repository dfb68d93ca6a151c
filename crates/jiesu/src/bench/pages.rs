//! `jiesu bench pages`: how long every web page takes with a city's worth of appeals.
//!
//! Fills a scratch SQLite database with the demo city and `appeals` appeals (or reuses the
//! one at `--db`), brings its search index up to date as `jiesu serve` does, serves it on
//! loopback in this process, signs in as each role and requests each of that role's pages
//! `rounds` times, one at a time, timing each request to its full body. Prints p50, p95 and
//! the maximum per page, then `RESULT pages=… p95_ms=… max_ms=…` (the worst page's).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use jiesu_domain::ids::AppealId;
use jiesu_store::{AppealFilter, Page};
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::redirect::Policy;

use super::{percentile, print_result};
use crate::backend::Backend;

/// The demo data's seed, so runs are comparable.
const SEED: u64 = 20_251_128;

/// One page to time: who asks (`None`: signed out) and the path.
struct Target {
    role: Option<&'static str>,
    path: String,
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Signs in through the login form; returns the session cookie to send.
async fn sign_in(client: &reqwest::Client, base: &str, username: &str) -> Result<String> {
    let body = format!(
        "username={}&password={}",
        enc(username),
        enc(&format!("demo-{username}"))
    );
    let response = client
        .post(format!("{base}/login"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await?;
    if response.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("{username} 登录失败：{}", response.status());
    }
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("登录未返回会话")?;
    Ok(cookie.to_string())
}

/// The pages of each role, with filters and later pages of the lists.
fn targets(appeal: i64, number: &str, code: &str) -> Vec<Target> {
    let page = |role: Option<&'static str>, path: &str| Target {
        role,
        path: path.to_string(),
    };
    let month_ago = (chrono::Utc::now() - chrono::Duration::days(30)).date_naive();
    let mut out = vec![
        page(None, "/login"),
        page(None, "/portal"),
        page(None, &format!("/portal/track?number={number}&code={code}")),
    ];
    for role in [
        "operator",
        "dispatcher",
        "handler",
        "supervisor",
        "leader",
        "admin",
        "deputy",
    ] {
        out.push(page(Some(role), "/"));
        out.push(page(Some(role), "/inbox"));
    }
    for path in ["/appeals", "/appeals?status=handling&page=3"] {
        out.push(page(Some("handler"), path));
    }
    out.push(page(Some("handler"), "/appeals?deadline=overdue"));
    out.push(page(Some("operator"), "/appeals/new"));
    out.push(page(Some("dispatcher"), "/appeals?status=registered"));
    out.push(page(Some("dispatcher"), "/appeals?status=returned"));
    for path in [
        "/appeals?deadline=overdue".to_string(),
        "/appeals?deadline=warning".into(),
        "/appeals?status=replied".into(),
        "/appeals?status=awaiting_callback&page=2".into(),
        "/appeals?flagged=1".into(),
        "/appeals".into(),
        "/appeals?page=200".into(),
        format!("/appeals?category={}", enc("城乡建设")),
        format!("/appeals?type={}&channel={}", enc("投诉"), enc("热线")),
        format!(
            "/appeals?from={month_ago}&to={}",
            chrono::Utc::now().date_naive()
        ),
        format!("/appeals?q={}", enc("路灯")),
        format!("/appeals?q={}&status=closed", enc("噪音 小区")),
        format!("/appeals/{appeal}"),
    ] {
        out.push(page(Some("supervisor"), &path));
    }
    for path in [
        "/admin/bodies",
        "/admin/users",
        "/admin/categories",
        "/admin/time-limits",
        "/admin/calendar",
    ] {
        out.push(page(Some("admin"), path));
    }
    out
}

pub async fn run(appeals: usize, rounds: usize, db: Option<&Path>) -> Result<()> {
    if appeals == 0 || rounds == 0 {
        bail!("--appeals 与 --rounds 必须大于 0");
    }
    let scratch = tempfile::tempdir()?;
    let path = db.map_or_else(|| scratch.path().join("bench.db"), Path::to_path_buf);
    let url = format!("sqlite://{}", path.display());
    let backend = Backend::open(&url).await?;
    let store = backend.store();
    let held = store
        .list_appeals(&AppealFilter::default(), Page::new(0, 1))
        .await?
        .total;
    if held == 0 {
        let started = Instant::now();
        crate::demo::populate(store.clone(), appeals, SEED).await?;
        eprintln!(
            "已生成 {appeals} 件演示诉求，用时 {:.1} 秒",
            started.elapsed().as_secs_f64()
        );
    } else {
        eprintln!("沿用 {} 中已有的演示诉求", path.display());
    }

    // The search index, as `jiesu serve` keeps it: filled from the database before timing.
    let started = Instant::now();
    let search =
        jiesu_app::search::Search::open(Some(&crate::commands::serve::default_index_dir(&url)))?;
    let indexed = search.catch_up(store.clone()).await?;
    eprintln!(
        "检索索引已就绪（新增 {indexed} 件），用时 {:.1} 秒",
        started.elapsed().as_secs_f64()
    );

    // An open appeal in the middle of the data, and its citizen's query code.
    let open = store
        .list_appeals(
            &AppealFilter {
                statuses: vec![jiesu_domain::status::Status::Handling],
                ..AppealFilter::default()
            },
            Page::new(appeals as i64 / 20, 1),
        )
        .await?;
    let appeal = match open.items.first() {
        Some(a) => a.clone(),
        None => store.appeal(AppealId(1)).await?,
    };
    let (_, code) = store.appeal_by_number(&appeal.number.0).await?;

    let mut state = jiesu_web::AppState::new(
        jiesu_app::App::load(store.clone())
            .await?
            .with_search(search),
    );
    state.limits = jiesu_web::limits::Limits::for_benchmarks();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(jiesu_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()?;
    let mut cookies = std::collections::HashMap::new();
    for role in [
        "operator",
        "dispatcher",
        "handler",
        "supervisor",
        "leader",
        "admin",
        "deputy",
    ] {
        cookies.insert(role, sign_in(&client, &base, role).await?);
    }

    let targets = targets(appeal.id.0, &appeal.number.0, &code);
    let mut table = Vec::new();
    for t in &targets {
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let mut request = client.get(format!("{base}{}", t.path));
            if let Some(role) = t.role {
                request = request.header(COOKIE, &cookies[role]);
            }
            let begun = Instant::now();
            let response = request.send().await?;
            let status = response.status();
            let body = response.bytes().await?;
            times.push(begun.elapsed());
            if !status.is_success() {
                bail!(
                    "{} {} 返回 {status}：{}",
                    t.role.unwrap_or("访客"),
                    t.path,
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(200)
                        .collect::<String>()
                );
            }
        }
        times.sort();
        let row = (
            format!("{:<10} {}", t.role.unwrap_or("(访客)"), t.path),
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            *times.last().unwrap_or(&Duration::ZERO),
        );
        table.push(row);
    }
    let _ = stop.send(());
    let _ = server.await;

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{:<72} {:>8} {:>8} {:>8}",
        "页面", "p50 ms", "p95 ms", "max ms"
    );
    for (name, p50, p95, max) in &table {
        println!(
            "{name:<72} {:>8.1} {:>8.1} {:>8.1}",
            ms(*p50),
            ms(*p95),
            ms(*max)
        );
    }
    let worst_p95 = table.iter().map(|r| r.2).max().unwrap_or_default();
    let worst_max = table.iter().map(|r| r.3).max().unwrap_or_default();
    print_result(&[
        ("pages", table.len().to_string()),
        ("p95_ms", format!("{:.1}", ms(worst_p95))),
        ("max_ms", format!("{:.1}", ms(worst_max))),
    ]);
    Ok(())
}
