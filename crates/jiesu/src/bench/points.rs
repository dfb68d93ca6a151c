//! `jiesu bench points`: service points at city scale.
//!
//! Fills a scratch SQLite database with the demo city (a few hundred appeals) and `points`
//! points scattered over its map, then times (1) `queries` nearest-10 queries from random
//! places on the map through the application's in-memory index — a third unfiltered, a
//! third by kind, a third by facility — after one warm-up query that builds the index, and
//! (2) `pages` requests of the public `/points` list page over HTTP on loopback with random
//! kind / district / facility filters, each timed to its full body. Prints p50, p95, p99
//! and the maximum of each, then `RESULT points=… nearest_p99_ms=… list_p95_ms=…`.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use jiesu_domain::point::Coord;
use jiesu_store::PointFilter;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::pages::enc;
use super::{percentile, print_result};
use crate::backend::Backend;

const SEED: u64 = 20_261_206;
/// Appeals in the scratch city (the points page does not read them).
const APPEALS: usize = 300;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn row(name: &str, sorted: &[Duration]) {
    println!(
        "{name:<16} {:>8} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
        sorted.len(),
        ms(percentile(sorted, 0.5)),
        ms(percentile(sorted, 0.95)),
        ms(percentile(sorted, 0.99)),
        ms(sorted.last().copied().unwrap_or_default()),
    );
}

pub async fn run(points: usize, queries: usize, pages: usize) -> Result<()> {
    if points == 0 || queries == 0 || pages == 0 {
        bail!("--points、--queries 与 --pages 必须大于 0");
    }
    let scratch = tempfile::tempdir()?;
    let url = format!("sqlite://{}", scratch.path().join("bench.db").display());
    let backend = Backend::open(&url).await?;
    let store = backend.store();
    crate::demo::populate(store.clone(), APPEALS, SEED).await?;
    let mut rng = StdRng::seed_from_u64(SEED);
    let started = Instant::now();
    let held = store.count_points(&PointFilter::default()).await? as usize;
    if held < points {
        crate::demo::points::create_points(&*store, points - held, &mut rng).await?;
    }
    backend.settle().await?;
    eprintln!(
        "已生成 {points} 个点位，用时 {:.1} 秒",
        started.elapsed().as_secs_f64()
    );

    let app = jiesu_app::App::load(store.clone()).await?;
    let kinds = store.point_kinds().await?;
    let areas = jiesu_app::points::map_areas(&*store).await?;
    let (mut w, mut s, mut e, mut n) = (180.0_f64, 90.0_f64, -180.0_f64, -90.0_f64);
    for [lon, lat] in areas.iter().flat_map(|a| a.polygon.iter()) {
        (w, s, e, n) = (w.min(*lon), s.min(*lat), e.max(*lon), n.max(*lat));
    }
    let random_filter = |rng: &mut StdRng, i: usize| {
        let kind = &kinds[rng.random_range(0..kinds.len())];
        match i % 3 {
            0 => PointFilter::default(),
            1 => PointFilter {
                kind: Some(kind.name.clone()),
                ..PointFilter::default()
            },
            _ => PointFilter {
                facility: kind.facilities.first().cloned(),
                ..PointFilter::default()
            },
        }
    };

    let started = Instant::now();
    app.point_index().await?;
    let build = started.elapsed();
    let mut nearest = Vec::with_capacity(queries);
    for i in 0..queries {
        let at = Coord {
            lon: w + rng.random::<f64>() * (e - w),
            lat: s + rng.random::<f64>() * (n - s),
        };
        let filter = random_filter(&mut rng, i);
        let t = Instant::now();
        let found = app.nearest_points(at, 10, &filter).await?;
        nearest.push(t.elapsed());
        if found.is_empty() {
            bail!("最近点位查询没有结果");
        }
    }
    nearest.sort();

    let state = jiesu_web::AppState::new(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(jiesu_web::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let mut list = Vec::with_capacity(pages);
    for i in 0..pages {
        let kind = &kinds[rng.random_range(0..kinds.len())];
        let area = &areas[rng.random_range(0..areas.len())];
        let mut query = vec![format!("kind={}", enc(&kind.name))];
        if i % 2 == 0 {
            query.push(format!("district={}", enc(&area.district)));
        }
        if i % 3 == 0
            && let Some(f) = kind
                .facilities
                .get(rng.random_range(0..kind.facilities.len().max(1)))
        {
            query.push(format!("facility={}", enc(f)));
        }
        let url = format!("{base}/points?{}", query.join("&"));
        let t = Instant::now();
        let response = client.get(&url).send().await?;
        let status = response.status();
        response.bytes().await?;
        list.push(t.elapsed());
        if !status.is_success() {
            bail!("{url} 返回 {status}");
        }
    }
    list.sort();
    let _ = stop.send(());
    let _ = server.await;

    println!("点位 {points} 个；索引构建 {:.1} ms", ms(build));
    println!(
        "{:<16} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "操作", "次数", "p50 ms", "p95 ms", "p99 ms", "max ms"
    );
    row("最近10个点位", &nearest);
    row("列表页 /points", &list);
    print_result(&[
        ("points", points.to_string()),
        (
            "nearest_p99_ms",
            format!("{:.3}", ms(percentile(&nearest, 0.99))),
        ),
        ("list_p95_ms", format!("{:.2}", ms(percentile(&list, 0.95)))),
    ]);
    Ok(())
}
