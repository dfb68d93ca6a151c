//! `jiesu bench load`: a mixed read/write workload at a fixed request rate (open loop).
//!
//! Without `--url`, fills a scratch SQLite database with the demo city and N appeals and
//! serves it in this process on loopback, with the jobs `jiesu serve` runs (search index,
//! deadline scanner, model watcher); with `--url`, drives a running server that has the
//! demo logins. Every 10 ms the driver starts the requests due by then, whether or not the
//! earlier ones have finished (open loop: a slow server does not slow the offered load),
//! each in its own task under a concurrency bound; a request that finds no free slot is
//! counted as an error. The mix:
//!
//! - 70% reads: appeal lists with filters (as the supervisor and as the handler), one
//!   appeal with its timeline, the citizen's public tracking page;
//! - 20% intake (`POST /api/appeals` as the operator, with an `Idempotency-Key`);
//! - 10% lifecycle actions on the appeals this run took in: dispatch (dispatcher), then sign
//!   and reply (handler), one step per request.
//!
//! A warm-up of a tenth of the run (at most 10 s) at the same rate comes first and is not
//! counted. The server's resident memory (VmRSS, and RssAnon: its own memory without the
//! file pages mapped in) is read every second of the measured part — from
//! `/proc/self/status` in process (the figure includes the load driver, whose latency
//! histograms have a fixed size), or from `/proc/PID/status` with `--url … --pid PID`; the
//! start and end figures are the medians of the readings of the first and last tenth of the
//! run (at most a minute each), the peak is the largest reading.
//! Prints a table per request kind, then
//! `RESULT minutes=… rate=… errors=… p99_ms=… rss_start_mb=… rss_end_mb=… rss_peak_mb=…
//! anon_start_mb=… anon_end_mb=… cpu_cores=… cpu_ms_per_request=… wal_mb=…` (the CPU time of
//! the measured part: the server's with `--pid`, else this process's, which includes the
//! driver; `wal_mb`: the SQLite write-ahead log's size at the end, `-` with `--url`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::{median, print_result};
use crate::backend::Backend;

/// The seed of the in-process demo data.
const SEED: u64 = 1;
/// Requests in flight at most; beyond that a due request is dropped and counted as an error.
const MAX_IN_FLIGHT: usize = 512;
/// How often the driver wakes to start the requests due.
const TICK: Duration = Duration::from_millis(10);
/// Each request's own time limit.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Appeals taken in by this run kept for tracking and lifecycle steps.
const POOL: usize = 2_000;
/// Distinct citizen addresses for tracking requests on a loopback server.
const CITIZEN_ADDRESSES: usize = 500;

/// The kinds of request, for the per-kind table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    One,
    Track,
    Intake,
    Lifecycle,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::List,
        Kind::One,
        Kind::Track,
        Kind::Intake,
        Kind::Lifecycle,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::List => "列表（筛选）",
            Kind::One => "诉求详情",
            Kind::Track => "市民查询",
            Kind::Intake => "受理",
            Kind::Lifecycle => "派单/签收/答复",
        }
    }
}

/// Latencies of one group of requests, in microseconds, in a histogram of fixed size (a
/// long run keeps no per-request record, so the driver's own memory stays flat).
struct Latencies {
    histogram: Histogram<u64>,
    errors: u64,
}

impl Latencies {
    fn new() -> Self {
        Self {
            histogram: Histogram::new_with_bounds(1, REQUEST_TIMEOUT.as_micros() as u64 * 10, 3)
                .expect("valid histogram bounds"),
            errors: 0,
        }
    }

    fn record(&mut self, micros: u64, ok: bool) {
        self.histogram.saturating_record(micros.max(1));
        self.errors += u64::from(!ok);
    }

    fn count(&self) -> u64 {
        self.histogram.len()
    }

    /// The latency at quantile `q`, in milliseconds.
    fn ms(&self, q: f64) -> f64 {
        self.histogram.value_at_quantile(q) as f64 / 1000.0
    }
}

/// What the run has collected.
struct Stats {
    /// By kind, in the order of [`Kind::ALL`].
    kinds: Vec<Latencies>,
    /// By list, in the order of [`LISTS`].
    lists: Vec<Latencies>,
    /// The first few failures, for the report.
    failures: Vec<String>,
    /// Requests not started for want of a free slot.
    dropped: u64,
    /// Whether samples are being kept (false during warm-up).
    counting: bool,
}

impl Default for Stats {
    fn default() -> Self {
        Self {
            kinds: Kind::ALL.iter().map(|_| Latencies::new()).collect(),
            lists: LISTS.iter().map(|_| Latencies::new()).collect(),
            failures: Vec::new(),
            dropped: 0,
            counting: false,
        }
    }
}

impl Stats {
    fn record(
        &mut self,
        kind: Kind,
        list: Option<usize>,
        started: Instant,
        outcome: Result<(), String>,
    ) {
        if !self.counting {
            return;
        }
        let ok = outcome.is_ok();
        if let Err(e) = outcome
            && self.failures.len() < 10
        {
            self.failures.push(format!("{}：{e}", kind.name()));
        }
        let micros = started.elapsed().as_micros() as u64;
        let at = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        self.kinds[at].record(micros, ok);
        if let Some(list) = list {
            self.lists[list].record(micros, ok);
        }
    }

    /// Every request's latency.
    fn all(&self) -> Latencies {
        let mut all = Latencies::new();
        for kind in &self.kinds {
            all.histogram
                .add(&kind.histogram)
                .expect("histograms of equal bounds");
            all.errors += kind.errors;
        }
        all
    }

    /// Requests recorded.
    fn requests(&self) -> u64 {
        self.kinds.iter().map(Latencies::count).sum()
    }

    /// Failed requests, with those never started.
    fn errors(&self) -> u64 {
        self.kinds.iter().map(|k| k.errors).sum::<u64>() + self.dropped
    }
}

/// A lifecycle step still to take on an appeal of this run.
#[derive(Debug, Clone, Copy)]
enum Step {
    Dispatch,
    Sign,
    Reply,
}

/// The shared state of the driver.
struct Driver {
    client: reqwest::Client,
    /// Clients for the citizens' tracking requests, each from its own loopback address when
    /// the server is on loopback (the server limits query-code checks per address, and real
    /// citizens do not share one).
    citizens: Vec<reqwest::Client>,
    base: String,
    /// Bearer tokens by role.
    operator: String,
    dispatcher: String,
    handler: String,
    supervisor: String,
    /// The handler's body: the lead of every dispatch.
    handler_body: i64,
    /// The largest appeal id seen, for random single reads.
    max_id: std::sync::atomic::AtomicI64,
    /// Appeals taken in by this run: number and query code, for tracking.
    tracked: Mutex<VecDeque<(String, String)>>,
    /// Appeals of this run waiting for their next lifecycle step (each in one place only, so
    /// no two requests act on one appeal at once).
    steps: Mutex<VecDeque<(i64, Step)>>,
    stats: Mutex<Stats>,
}

/// The list queries readers ask (as the supervisor, or the handler with `handler: true`).
const LISTS: &[(&str, bool)] = &[
    ("/api/appeals", false),
    ("/api/appeals?status=handling", false),
    ("/api/appeals?status=registered,dispatched", false),
    ("/api/appeals?deadline=overdue", false),
    ("/api/appeals?deadline=warning", false),
    (
        "/api/appeals?category=%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE",
        false,
    ),
    (
        "/api/appeals?type=%E6%8A%95%E8%AF%89&channel=%E7%83%AD%E7%BA%BF",
        false,
    ),
    ("/api/appeals?q=%E8%B7%AF%E7%81%AF", false),
    ("/api/appeals?offset=2000&limit=20", false),
    ("/api/appeals?flagged=true", false),
    ("/api/appeals", true),
    ("/api/appeals?status=handling", true),
];

/// Texts for intake: (title, text).
const TEXTS: &[(&str, &str)] = &[
    (
        "小区路灯不亮",
        "幸福里小区3号楼前的路灯已经坏了一周，晚上出行很不方便，请尽快维修。",
    ),
    (
        "夜间施工噪音扰民",
        "建设路工地每天晚上十一点以后还在施工，噪音很大，影响休息。",
    ),
    (
        "楼道堆放杂物",
        "和平街道光明小区5单元楼道长期堆放杂物，存在消防隐患。",
    ),
    (
        "自来水水压低",
        "新华路12号院最近一个月自来水水压很低，高层住户用水困难。",
    ),
    (
        "公交站牌信息错误",
        "人民医院站的站牌线路信息未更新，乘客经常坐错车。",
    ),
    (
        "咨询居住证办理",
        "请问外地户籍在本市办理居住证需要准备哪些材料？",
    ),
];

impl Driver {
    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .timeout(REQUEST_TIMEOUT);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| format!("{path}：{e}"))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| format!("{path}：{e}"))?;
        if !status.is_success() {
            return Err(format!(
                "{path} 返回 {status}：{}",
                text.chars().take(160).collect::<String>()
            ));
        }
        serde_json::from_str(&text).map_err(|e| format!("{path}：{e}"))
    }

    async fn list(&self, pick: usize) -> Result<(), String> {
        let (path, as_handler) = LISTS[pick % LISTS.len()];
        let token = if as_handler {
            &self.handler
        } else {
            &self.supervisor
        };
        self.send(Method::GET, path, Some(token), None)
            .await
            .map(drop)
    }

    async fn one(&self, id: i64) -> Result<(), String> {
        self.send(
            Method::GET,
            &format!("/api/appeals/{id}"),
            Some(&self.supervisor),
            None,
        )
        .await
        .map(drop)
    }

    async fn track(&self, pick: usize) -> Result<(), String> {
        let found = {
            let tracked = self.tracked.lock().expect("lock");
            (!tracked.is_empty()).then(|| tracked[pick % tracked.len()].clone())
        };
        let Some((number, code)) = found else {
            return self.list(pick).await;
        };
        let path = format!("/api/public/appeals/{number}?code={code}");
        let citizen = &self.citizens[(pick / 7) % self.citizens.len()];
        let response = citizen
            .get(format!("{}{path}", self.base))
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| format!("{path}：{e}"))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| format!("{path}：{e}"))?;
        if !status.is_success() {
            return Err(format!(
                "{path} 返回 {status}：{}",
                text.chars().take(160).collect::<String>()
            ));
        }
        Ok(())
    }

    async fn intake(&self, pick: usize, key: String) -> Result<(), String> {
        let (title, text) = TEXTS[pick % TEXTS.len()];
        let body = json!({"type": "投诉", "title": title, "text": text, "citizen": {"name": "测试市民", "phone": "13800000000"}});
        let client = self
            .client
            .post(format!("{}/api/appeals", self.base))
            .header("Idempotency-Key", key);
        let response = client
            .bearer_auth(&self.operator)
            .json(&body)
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| format!("受理：{e}"))?;
        let status = response.status();
        let value: Value = response.json().await.map_err(|e| format!("受理：{e}"))?;
        if !status.is_success() {
            return Err(format!("受理返回 {status}：{value}"));
        }
        let id = value["appeal"]["id"].as_i64().ok_or("受理未返回诉求编号")?;
        let number = value["appeal"]["number"]
            .as_str()
            .ok_or("受理未返回受理编号")?
            .to_string();
        let code = value["query_code"]
            .as_str()
            .ok_or("受理未返回查询码")?
            .to_string();
        self.max_id
            .fetch_max(id, std::sync::atomic::Ordering::Relaxed);
        let mut tracked = self.tracked.lock().expect("lock");
        tracked.push_back((number, code));
        if tracked.len() > POOL {
            tracked.pop_front();
        }
        drop(tracked);
        let mut steps = self.steps.lock().expect("lock");
        steps.push_back((id, Step::Dispatch));
        if steps.len() > POOL {
            steps.pop_front();
        }
        Ok(())
    }

    async fn lifecycle(&self, pick: usize) -> Result<(), String> {
        let next = self.steps.lock().expect("lock").pop_front();
        let Some((id, step)) = next else {
            // Nothing taken in yet: the step's share goes to a read.
            return self.list(pick).await;
        };
        let (token, body, then) = match step {
            Step::Dispatch => (
                &self.dispatcher,
                json!({"action": "dispatch", "lead": self.handler_body, "note": "压测派单"}),
                Some(Step::Sign),
            ),
            Step::Sign => (&self.handler, json!({"action": "sign"}), Some(Step::Reply)),
            Step::Reply => (
                &self.handler,
                json!({"action": "reply", "text": "已安排人员现场处理，问题已解决。"}),
                None,
            ),
        };
        self.send(
            Method::POST,
            &format!("/api/appeals/{id}/actions"),
            Some(token),
            Some(body),
        )
        .await?;
        if let Some(then) = then {
            self.steps.lock().expect("lock").push_back((id, then));
        }
        Ok(())
    }
}

/// A process's resident memory (`self` or a pid), or zeros when it cannot be read.
#[derive(Clone, Copy, Default)]
struct Resident {
    /// VmRSS, MiB: everything resident, including database file pages mapped in.
    total: f64,
    /// RssAnon, MiB: the process's own memory (heap, stacks, caches), without file pages.
    anon: f64,
}

fn resident(pid: Option<u32>) -> Resident {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    let status = std::fs::read_to_string(path).unwrap_or_default();
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    Resident {
        total: mib("VmRSS:"),
        anon: mib("RssAnon:"),
    }
}

/// How often the memory watch reads the server's memory.
const MEMORY_EVERY: Duration = Duration::from_secs(1);

/// Seconds at each end of the measured part whose readings give its start and end memory:
/// a tenth of the run, from 1 s to a minute.
fn memory_window(length: Duration) -> u64 {
    (length / 10).as_secs().clamp(1, 60)
}

/// The server's memory, read every [`MEMORY_EVERY`] through the measured part of the run.
struct MemoryWatch {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Vec<Resident>>,
}

impl MemoryWatch {
    fn start(pid: Option<u32>, length: Duration) -> Self {
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let capacity = (length.as_secs() / MEMORY_EVERY.as_secs()) as usize + 2;
        let task = tokio::spawn(async move {
            let mut samples = Vec::with_capacity(capacity);
            let mut ticker = tokio::time::interval(MEMORY_EVERY);
            loop {
                tokio::select! {
                    _ = ticker.tick() => samples.push(resident(pid)),
                    _ = &mut stopped => return samples,
                }
            }
        });
        Self { stop, task }
    }

    async fn finish(self) -> Vec<Resident> {
        let _ = self.stop.send(());
        self.task.await.unwrap_or_default()
    }
}

/// Memory at the start and the end of the measured part, each the median of the readings
/// of its first and last [`memory_window`] seconds (requests in flight allocate and free
/// tens of megabytes, so one reading moves by several percent from second to second), and
/// the peak reading.
struct MemoryFigures {
    start: Resident,
    end: Resident,
    peak: Resident,
}

impl MemoryFigures {
    fn of(samples: &[Resident], window_seconds: u64) -> Self {
        let window =
            ((window_seconds / MEMORY_EVERY.as_secs()) as usize).clamp(1, samples.len().max(1));
        let median = |part: &[Resident]| Resident {
            total: median(part.iter().map(|r| r.total)),
            anon: median(part.iter().map(|r| r.anon)),
        };
        Self {
            start: median(&samples[..window.min(samples.len())]),
            end: median(&samples[samples.len().saturating_sub(window)..]),
            peak: Resident {
                total: samples.iter().map(|r| r.total).fold(0.0, f64::max),
                anon: samples.iter().map(|r| r.anon).fold(0.0, f64::max),
            },
        }
    }
}

/// A process's CPU time so far (user + system), in seconds, or zero when it cannot be read.
fn cpu_seconds(pid: Option<u32>) -> f64 {
    /// Linux reports `/proc/PID/stat` times in USER_HZ, 100 per second on every platform.
    const TICKS_PER_SECOND: f64 = 100.0;
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at the state, field 3;
    // utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / TICKS_PER_SECOND
}

/// Clients bound to distinct loopback addresses (127.77.x.y), or none when the server is
/// not on loopback.
fn citizen_clients(base: &str) -> Result<Vec<reqwest::Client>> {
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or(base)
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if !matches!(host, "127.0.0.1" | "localhost") {
        return Ok(Vec::new());
    }
    (0..CITIZEN_ADDRESSES)
        .map(|i| {
            let address = std::net::Ipv4Addr::new(127, 77, (i / 250) as u8, (i % 250 + 1) as u8);
            Ok(reqwest::Client::builder()
                .local_address(std::net::IpAddr::V4(address))
                .build()?)
        })
        .collect()
}

/// Signs in as a demo user; returns the bearer token and the user.
async fn sign_in(client: &reqwest::Client, base: &str, username: &str) -> Result<(String, Value)> {
    let response: Value = client
        .post(format!("{base}/api/session"))
        .json(&json!({"username": username, "password": format!("demo-{username}")}))
        .send()
        .await?
        .error_for_status()
        .with_context(|| format!("无法以演示用户 {username} 登录"))?
        .json()
        .await?;
    let token = response["token"]
        .as_str()
        .context("登录未返回令牌")?
        .to_string();
    Ok((token, response["user"].clone()))
}

/// Drives the mix at `rate` per second for `length`; counts only when `counting`.
async fn drive(
    driver: &Arc<Driver>,
    rate: u32,
    length: Duration,
    rng: &mut StdRng,
    bar: &ProgressBar,
    counting: bool,
) {
    driver.stats.lock().expect("lock").counting = counting;
    let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let started = Instant::now();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut issued: u64 = 0;
    let mut tasks = tokio::task::JoinSet::new();
    while started.elapsed() < length {
        ticker.tick().await;
        let due = (started.elapsed().as_secs_f64() * f64::from(rate)) as u64;
        while issued < due {
            issued += 1;
            let roll = rng.random_range(0..100u32);
            let pick = rng.random_range(0..usize::MAX / 2);
            let kind = match roll {
                0..40 => Kind::List,
                40..60 => Kind::One,
                60..70 => Kind::Track,
                70..90 => Kind::Intake,
                _ => Kind::Lifecycle,
            };
            let max_id = driver
                .max_id
                .load(std::sync::atomic::Ordering::Relaxed)
                .max(1);
            let id = rng.random_range(1..=max_id);
            let key = format!(
                "load-{}-{issued}-{}",
                std::process::id(),
                rng.random::<u64>()
            );
            let Ok(permit) = slots.clone().try_acquire_owned() else {
                let mut stats = driver.stats.lock().expect("lock");
                if stats.counting {
                    stats.dropped += 1;
                }
                continue;
            };
            let driver = driver.clone();
            let begun = Instant::now();
            tasks.spawn(async move {
                let outcome = match kind {
                    Kind::List => driver.list(pick).await,
                    Kind::One => driver.one(id).await,
                    Kind::Track => driver.track(pick).await,
                    Kind::Intake => driver.intake(pick, key).await,
                    Kind::Lifecycle => driver.lifecycle(pick).await,
                };
                let list = (kind == Kind::List).then_some(pick % LISTS.len());
                driver
                    .stats
                    .lock()
                    .expect("lock")
                    .record(kind, list, begun, outcome);
                drop(permit);
            });
        }
        // Reap finished tasks so the set does not grow with the run.
        while tasks.try_join_next().is_some() {}
        if counting {
            bar.set_position(started.elapsed().as_secs());
            let stats = driver.stats.lock().expect("lock");
            bar.set_message(format!(
                "{} 个请求，{} 个错误",
                stats.requests(),
                stats.errors()
            ));
        }
    }
    while tasks.join_next().await.is_some() {}
}

pub async fn run(
    minutes: f64,
    rate: u32,
    url: Option<&str>,
    pid: Option<u32>,
    appeals: usize,
) -> Result<()> {
    if minutes.is_nan() || minutes <= 0.0 || rate == 0 {
        bail!("--minutes 与 --rate 必须大于 0");
    }
    let length = Duration::from_secs_f64(minutes * 60.0);
    let warmup = (length / 10).min(Duration::from_secs(10));

    // The server: the given one, or a demo database served in this process.
    let scratch = tempfile::tempdir()?;
    let (base, server, wal) = match url {
        Some(url) => (url.trim_end_matches('/').to_string(), None, None),
        None => {
            let db = format!("sqlite://{}", scratch.path().join("load.db").display());
            let backend = Backend::open(&db).await?;
            let wal = match &backend {
                Backend::Sqlite(sqlite) => Some(sqlite.wal_path()),
                Backend::Postgres(_) => None,
            };
            let store = backend.store();
            let begun = Instant::now();
            crate::demo::populate(store.clone(), appeals, SEED).await?;
            eprintln!(
                "已生成 {appeals} 件演示诉求，用时 {:.1} 秒",
                begun.elapsed().as_secs_f64()
            );
            // Served as `jiesu serve` serves: search index, scanner and the other jobs.
            let jobs = crate::cli::JobOptions::as_serve(scratch.path().join("index"));
            let state = crate::commands::serve::start(store.clone(), &jobs).await?;
            if let Some(search) = state.search() {
                let indexed = search.catch_up(store).await?;
                eprintln!("检索索引已收录 {indexed} 件诉求");
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let base = format!("http://{}", listener.local_addr()?);
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let task = tokio::spawn(jiesu_web::serve(listener, state, async move {
                let _ = stopped.await;
            }));
            (base, Some((stop, task)), wal)
        }
    };
    let pid = url.and(pid);

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(MAX_IN_FLIGHT)
        .build()?;
    let (operator, _) = sign_in(&client, &base, "operator").await?;
    let (dispatcher, _) = sign_in(&client, &base, "dispatcher").await?;
    let (handler, handler_user) = sign_in(&client, &base, "handler").await?;
    let (supervisor, _) = sign_in(&client, &base, "supervisor").await?;
    let handler_body = handler_user["body"]
        .as_i64()
        .context("演示承办人没有所属单位")?;
    let newest: Value = client
        .get(format!("{base}/api/appeals?limit=1"))
        .bearer_auth(&supervisor)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let max_id = newest["items"][0]["id"].as_i64().unwrap_or(1);
    let citizens = citizen_clients(&base)?;
    let driver = Arc::new(Driver {
        citizens: if citizens.is_empty() {
            vec![client.clone()]
        } else {
            citizens
        },
        client,
        base,
        operator,
        dispatcher,
        handler,
        supervisor,
        handler_body,
        max_id: max_id.into(),
        tracked: Mutex::new(VecDeque::new()),
        steps: Mutex::new(VecDeque::new()),
        stats: Mutex::new(Stats::default()),
    });

    let mut rng = StdRng::seed_from_u64(SEED);
    let idle = resident(pid);
    eprintln!("预热 {:.0} 秒…", warmup.as_secs_f64());
    drive(
        &driver,
        rate,
        warmup,
        &mut rng,
        &ProgressBar::hidden(),
        false,
    )
    .await;
    let warm = resident(pid);
    let watch = MemoryWatch::start(pid, length);
    let cpu_start = cpu_seconds(pid);
    let bar = ProgressBar::new(length.as_secs()).with_style(
        ProgressStyle::with_template("负载 {bar:40} {pos}/{len} 秒 {msg}").expect("valid template"),
    );
    let begun = Instant::now();
    drive(&driver, rate, length, &mut rng, &bar, true).await;
    let elapsed = begun.elapsed();
    bar.finish_and_clear();
    let cpu = cpu_seconds(pid) - cpu_start;
    let samples = watch.finish().await;
    // The write-ahead log as the load leaves it (in process only: a server given by
    // `--url` keeps its file out of reach).
    let wal_mb =
        wal.map(|wal| std::fs::metadata(wal).map_or(0.0, |m| m.len() as f64 / (1024.0 * 1024.0)));

    if let Some((stop, task)) = server {
        let _ = stop.send(());
        let _ = task.await;
    }

    let stats = std::mem::take(&mut *driver.stats.lock().expect("lock"));
    println!(
        "{:<16} {:>9} {:>7} {:>9} {:>9} {:>9}",
        "请求", "次数", "错误", "p50 ms", "p99 ms", "max ms"
    );
    for (kind, latencies) in Kind::ALL.iter().zip(&stats.kinds) {
        println!(
            "{:<16} {:>9} {:>7} {:>9.1} {:>9.1} {:>9.1}",
            kind.name(),
            latencies.count(),
            latencies.errors,
            latencies.ms(0.5),
            latencies.ms(0.99),
            latencies.ms(1.0)
        );
    }
    println!();
    println!(
        "{:<64} {:>9} {:>9} {:>9}",
        "列表查询", "次数", "p50 ms", "p99 ms"
    );
    for ((path, as_handler), latencies) in LISTS.iter().zip(&stats.lists) {
        let who = if *as_handler {
            "承办人"
        } else {
            "督办员"
        };
        println!(
            "{:<64} {:>9} {:>9.1} {:>9.1}",
            format!("{who} {path}"),
            latencies.count(),
            latencies.ms(0.5),
            latencies.ms(0.99)
        );
    }
    println!();
    let all = stats.all();
    let requests = all.count();
    let (p50, p99) = (all.ms(0.5), all.ms(0.99));
    let errors = stats.errors();
    let achieved = requests as f64 / elapsed.as_secs_f64();
    println!(
        "共 {requests} 个请求（{achieved:.0} 次/秒），{errors} 个错误（其中 {} 个因并发已满未发出）；p50 {p50:.1} ms，p99 {p99:.1} ms",
        stats.dropped,
    );
    let memory = MemoryFigures::of(&samples, memory_window(length));
    println!(
        "内存（VmRSS，含映射的文件页）：空闲 {:.1} MB，预热后 {:.1} MB；开始 {:.1} MB，结束 {:.1} MB，峰值 {:.1} MB",
        idle.total, warm.total, memory.start.total, memory.end.total, memory.peak.total
    );
    println!(
        "进程自有内存（RssAnon）：空闲 {:.1} MB，预热后 {:.1} MB；开始 {:.1} MB，结束 {:.1} MB，峰值 {:.1} MB",
        idle.anon, warm.anon, memory.start.anon, memory.end.anon, memory.peak.anon
    );
    println!(
        "（开始、结束：测量段最初与最后 {} 秒内每秒读数的中位数）",
        memory_window(length)
    );
    let cpu_cores = cpu / elapsed.as_secs_f64();
    let cpu_ms_per_request = cpu * 1000.0 / (requests.max(1) as f64);
    println!(
        "CPU（{}）：平均 {cpu_cores:.2} 核，每个请求 {cpu_ms_per_request:.2} ms",
        match (pid, url) {
            (Some(_), _) => "服务进程",
            (None, None) => "服务与压测同一进程",
            (None, Some(_)) => "仅压测进程",
        }
    );
    if let Some(wal_mb) = wal_mb {
        println!("SQLite 预写日志（WAL）：结束时 {wal_mb:.1} MB");
    }
    for failure in &stats.failures {
        println!("错误示例：{failure}");
    }
    print_result(&[
        ("minutes", format!("{minutes}")),
        ("rate", rate.to_string()),
        ("requests", requests.to_string()),
        ("errors", errors.to_string()),
        ("p50_ms", format!("{p50:.1}")),
        ("p99_ms", format!("{p99:.1}")),
        ("rss_start_mb", format!("{:.1}", memory.start.total)),
        ("rss_end_mb", format!("{:.1}", memory.end.total)),
        ("rss_peak_mb", format!("{:.1}", memory.peak.total)),
        ("anon_start_mb", format!("{:.1}", memory.start.anon)),
        ("anon_end_mb", format!("{:.1}", memory.end.anon)),
        ("cpu_cores", format!("{cpu_cores:.2}")),
        ("cpu_ms_per_request", format!("{cpu_ms_per_request:.2}")),
        (
            "wal_mb",
            wal_mb.map_or("-".to_string(), |mb| format!("{mb:.1}")),
        ),
    ]);
    Ok(())
}
