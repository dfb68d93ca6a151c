//! `jiesu bench intake`: appeals per second submitted over HTTP to a server this command
//! starts, with latency percentiles, against the raw insert rate of the same database with
//! the same durability settings.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_domain::user::{NewUser, Role};

use super::{percentile, print_result, raw_insert};
use crate::backend::Backend;

const PASSWORD: &str = "bench-operator-password";

pub async fn run(db: Option<&str>, appeals: usize, concurrency: usize) -> Result<()> {
    if appeals == 0 || concurrency == 0 {
        bail!("--appeals 与 --concurrency 必须大于 0");
    }
    let scratch = tempfile::tempdir()?;
    let url = match db {
        Some(url) => url.to_string(),
        None => format!("sqlite://{}", scratch.path().join("bench.db").display()),
    };
    let backend = Backend::open(&url).await?;
    let store = backend.store();
    let username = format!("bench{}", std::process::id());
    let hash = jiesu_app::auth::hash_password(PASSWORD.into())
        .await
        .map_err(anyhow::Error::msg)?;
    store
        .create_user(
            &NewUser {
                username: username.clone(),
                display_name: "压测话务员".into(),
                role: Role::Operator,
                body: None,
            },
            &hash,
        )
        .await?;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(jiesu_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let login: serde_json::Value = client
        .post(format!("{base}/api/session"))
        .json(&serde_json::json!({"username": username, "password": PASSWORD}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = login["token"]
        .as_str()
        .context("登录未返回令牌")?
        .to_string();

    let bar = ProgressBar::new(appeals as u64).with_style(
        ProgressStyle::with_template("提交诉求 {bar:40} {pos}/{len} {per_sec}")
            .expect("valid template"),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, next, bar, token, url) = (
            client.clone(),
            next.clone(),
            bar.clone(),
            token.clone(),
            format!("{base}/api/appeals"),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= appeals {
                    break;
                }
                let body = serde_json::json!({
                    "type": "投诉",
                    "title": format!("压测诉求 {i}：小区路灯不亮"),
                    "text": format!("第 {i} 件压测诉求：示范区翠湖苑东门的路灯已连续多日不亮，夜间出行不便，请尽快维修。"),
                    "citizen": {"name": "压测市民", "phone": "13800000000"},
                    "place": {"address": "示范区翠湖苑", "district": "示范区"}
                });
                let t = Instant::now();
                let ok = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .map(|r| r.status().is_success())
                    .unwrap_or(false);
                latencies.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
                bar.inc(1);
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::with_capacity(appeals);
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await?;
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    bar.finish_and_clear();
    let _ = stop.send(());
    server.await??;

    latencies.sort();
    let per_s = appeals as f64 / elapsed.as_secs_f64();
    let p50 = percentile(&latencies, 0.50);
    let p99 = percentile(&latencies, 0.99);
    eprintln!("测量数据库原始插入速率（同样的持久化设置）…");
    let raw = raw_insert::rate(&backend, appeals.min(50_000), concurrency).await?;
    let ratio = per_s / raw;

    println!(
        "诉求受理压测（{}，{} 件，并发 {}）",
        store.backend(),
        appeals,
        concurrency
    );
    println!("| 指标 | 数值 |");
    println!("|---|---|");
    println!("| HTTP 受理速率 | {per_s:.0} 件/秒 |");
    println!("| 延迟 p50 | {:.2} ms |", ms(p50));
    println!("| 延迟 p99 | {:.2} ms |", ms(p99));
    println!("| 失败请求 | {errors} |");
    println!("| 数据库原始插入速率 | {raw:.0} 行/秒 |");
    println!("| 比值 | {ratio:.2} |");
    print_result(&[
        ("backend", store.backend().to_string()),
        ("appeals", appeals.to_string()),
        ("errors", errors.to_string()),
        ("appeals_per_s", format!("{per_s:.0}")),
        ("p50_ms", format!("{:.2}", ms(p50))),
        ("p99_ms", format!("{:.2}", ms(p99))),
        ("raw_per_s", format!("{raw:.0}")),
        ("ratio", format!("{ratio:.2}")),
    ]);
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
