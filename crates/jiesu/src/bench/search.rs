//! `jiesu bench search`: generates synthetic appeals ([`super::search_data`]), indexes them
//! through the [`jiesu_search::IndexUpdater`], and times a mixed set of searches and
//! duplicate checks.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use jiesu_search::{SearchError, SearchIndex, SearchQuery, UpdaterConfig};

use super::rng::Rng;
use super::search_data::Generator;

/// Indexes `appeals` generated appeals (in `dir`, or in memory), times the searches and
/// duplicate checks, and prints the table, then the RESULT line.
pub fn run(appeals: usize, dir: Option<&Path>) -> anyhow::Result<()> {
    eprintln!("生成并索引 {appeals} 件诉求…");
    let report = bench_search(appeals, dir)?;
    print!("{}", report.table());
    println!("{}", report.result_line());
    Ok(())
}

/// How many searches and duplicate checks are timed.
const QUERIES: usize = 1_000;
const DUPLICATE_CHECKS: usize = 1_000;
/// Untimed searches run first to warm caches.
const WARM_UP: usize = 100;

/// What `bench_search` measured.
#[derive(Debug)]
struct SearchBenchReport {
    docs: usize,
    /// Generating, sending and indexing every appeal, including all commits.
    index_time: Duration,
    /// Waiting for background merges after the last commit.
    merge_time: Duration,
    segments: usize,
    index_bytes: Option<u64>,
    queries: usize,
    search_p50: Duration,
    search_p99: Duration,
    search_max: Duration,
    /// Mean `total` over the searches, to show the queries are not trivially empty.
    mean_total: f64,
    /// Per kind of query: name, count, p50, p99.
    kinds: Vec<(String, usize, Duration, Duration)>,
    duplicate_checks: usize,
    duplicate_p50: Duration,
    duplicate_p99: Duration,
    /// Share of duplicate checks whose candidates were non-empty.
    duplicate_found: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

impl SearchBenchReport {
    /// Appeals indexed per second, commits included.
    fn index_per_s(&self) -> f64 {
        if self.index_time.is_zero() {
            return 0.0;
        }
        self.docs as f64 / self.index_time.as_secs_f64()
    }

    /// A table for people.
    fn table(&self) -> String {
        let size = self.index_bytes.map_or("（内存中）".to_string(), |b| {
            format!("{:.1} MiB", b as f64 / 1048576.0)
        });
        let rows = [
            ("诉求数 docs", self.docs.to_string()),
            (
                "建索引 indexing",
                format!(
                    "{:.1} s，{:.0} 件/秒",
                    self.index_time.as_secs_f64(),
                    self.index_per_s()
                ),
            ),
            (
                "合并 merging",
                format!("{:.1} s", self.merge_time.as_secs_f64()),
            ),
            ("段数 segments", self.segments.to_string()),
            ("索引大小 size", size),
            (
                "检索 search",
                format!(
                    "{} 次：p50 {:.2} ms，p99 {:.2} ms，最长 {:.2} ms，平均命中 {:.0}",
                    self.queries,
                    ms(self.search_p50),
                    ms(self.search_p99),
                    ms(self.search_max),
                    self.mean_total
                ),
            ),
            (
                "查重 duplicates",
                format!(
                    "{} 次：p50 {:.2} ms，p99 {:.2} ms，有候选 {:.0}%",
                    self.duplicate_checks,
                    ms(self.duplicate_p50),
                    ms(self.duplicate_p99),
                    self.duplicate_found * 100.0
                ),
            ),
        ];
        let mut out = String::new();
        for (name, value) in rows {
            out.push_str(&format!("{name:<18} {value}\n"));
        }
        for (kind, n, p50, p99) in &self.kinds {
            out.push_str(&format!(
                "  {kind:<16} {n:>4} 次：p50 {:.2} ms，p99 {:.2} ms\n",
                ms(*p50),
                ms(*p99)
            ));
        }
        out
    }

    /// `RESULT docs=… index_per_s=… p50_ms=… p99_ms=… dup_p99_ms=…`
    fn result_line(&self) -> String {
        format!(
            "RESULT docs={} index_per_s={:.0} p50_ms={:.2} p99_ms={:.2} dup_p99_ms={:.2}",
            self.docs,
            self.index_per_s(),
            ms(self.search_p50),
            ms(self.search_p99),
            ms(self.duplicate_p99)
        )
    }
}

/// Generates `appeals` synthetic appeals, indexes them (in `dir`, or in memory), then times
/// ~1,000 mixed searches and ~1,000 duplicate checks. Runs on its own thread, so it may be
/// called from anywhere (blocking: from async code use `spawn_blocking`).
fn bench_search(appeals: usize, dir: Option<&Path>) -> Result<SearchBenchReport, SearchError> {
    let dir = dir.map(Path::to_path_buf);
    std::thread::scope(|scope| {
        scope
            .spawn(move || index_and_measure(appeals, dir.as_deref()))
            .join()
            .unwrap_or(Err(SearchError::UpdaterStopped))
    })
}

fn index_and_measure(appeals: usize, dir: Option<&Path>) -> Result<SearchBenchReport, SearchError> {
    let index = match dir {
        Some(dir) => SearchIndex::open(dir)?,
        None => SearchIndex::in_memory()?,
    };
    let generator = Generator::new(appeals, Utc::now());

    let started = Instant::now();
    let updater = index.updater(UpdaterConfig::default())?;
    for i in 0..appeals {
        updater.upsert_blocking(&generator.appeal(i))?;
    }
    updater.flush_blocking()?;
    let index_time = started.elapsed();
    let started = Instant::now();
    updater.close()?;
    let merge_time = started.elapsed();
    measure(&index, &generator, dir, index_time, merge_time)
}

fn measure(
    index: &SearchIndex,
    generator: &Generator,
    dir: Option<&Path>,
    index_time: Duration,
    merge_time: Duration,
) -> Result<SearchBenchReport, SearchError> {
    let appeals = generator.n;
    // Make sure the reader sees the merged segments.
    index.reload()?;
    let segments = index.num_segments();
    let index_bytes = dir.map(dir_size);

    let mut rng = Rng::new(0x5eed);
    let queries: Vec<(&str, SearchQuery)> = (0..QUERIES + WARM_UP)
        .map(|_| generator.query(&mut rng))
        .collect();
    let mut search_times = Vec::with_capacity(QUERIES);
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut totals = 0usize;
    for (i, (kind, query)) in queries.iter().enumerate() {
        let t = Instant::now();
        let results = index.search(query)?;
        let elapsed = t.elapsed();
        if i >= WARM_UP {
            search_times.push(elapsed);
            by_kind.entry(kind).or_default().push(elapsed);
            totals += results.total;
        }
    }
    let kinds = by_kind
        .into_iter()
        .map(|(kind, mut times)| {
            let n = times.len();
            let (p50, p99, _) = percentiles(&mut times);
            (kind.to_string(), n, p50, p99)
        })
        .collect();

    let since = generator.now - chrono::Duration::days(90);
    let mut duplicate_times = Vec::with_capacity(DUPLICATE_CHECKS);
    let mut found = 0usize;
    for _ in 0..DUPLICATE_CHECKS {
        let original = rng.below(appeals.max(1));
        let draft = generator.twin(original, &mut rng);
        let t = Instant::now();
        let candidates = index.similar(
            &draft.title,
            &draft.text,
            draft.place.district.as_deref(),
            since,
            true,
            10,
        )?;
        duplicate_times.push(t.elapsed());
        found += usize::from(!candidates.is_empty());
    }

    let (search_p50, search_p99, search_max) = percentiles(&mut search_times);
    let (duplicate_p50, duplicate_p99, _) = percentiles(&mut duplicate_times);
    Ok(SearchBenchReport {
        docs: appeals,
        index_time,
        merge_time,
        segments,
        index_bytes,
        queries: QUERIES,
        search_p50,
        search_p99,
        search_max,
        mean_total: totals as f64 / QUERIES as f64,
        kinds,
        duplicate_checks: DUPLICATE_CHECKS,
        duplicate_p50,
        duplicate_p99,
        duplicate_found: found as f64 / DUPLICATE_CHECKS as f64,
    })
}

fn percentiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    if times.is_empty() {
        return Default::default();
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    (at(0.50), at(0.99), times[times.len() - 1])
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_bench_runs() {
        let report = bench_search(2_000, None).unwrap();
        assert_eq!(report.docs, 2_000);
        assert!(report.mean_total > 0.0, "{}", report.table());
        assert!(report.duplicate_found > 0.5, "{}", report.table());
        assert!(
            report
                .result_line()
                .starts_with("RESULT docs=2000 index_per_s=")
        );
    }
}
