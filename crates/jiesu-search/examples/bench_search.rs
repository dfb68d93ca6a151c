//! Times indexing, search and duplicate checks on synthetic appeals.
//!
//! ```text
//! cargo run --release -p jiesu-search --example bench_search -- 100000 [/tmp/index-dir] [--reuse]
//! ```
//!
//! Without a directory the index is kept in memory; for 1,000,000 appeals give one on disk.
//! `--reuse` times only the queries against the index an earlier run left in the directory.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reuse = args.iter().any(|a| a == "--reuse");
    let mut args = args.into_iter().filter(|a| a != "--reuse");
    let appeals = args
        .next()
        .map(|n| n.replace('_', "").parse().expect("appeal count"))
        .unwrap_or(100_000);
    let dir = args.next().map(PathBuf::from);
    let report = match (&dir, reuse) {
        (Some(dir), true) => jiesu_search::bench_search_existing(appeals, dir),
        _ => jiesu_search::bench_search(appeals, dir.as_deref()),
    };
    match report {
        Ok(report) => {
            print!("{}", report.table());
            println!("{}", report.result_line());
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
