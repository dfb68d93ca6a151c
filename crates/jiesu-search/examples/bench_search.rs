//! Times indexing, search and duplicate checks on synthetic appeals.
//!
//! ```text
//! cargo run --release -p jiesu-search --example bench_search -- 100000 [/tmp/index-dir]
//! ```
//!
//! Without a directory the index is kept in memory; for 1,000,000 appeals give one on disk.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let appeals = args
        .next()
        .map(|n| n.replace('_', "").parse().expect("appeal count"))
        .unwrap_or(100_000);
    let dir = args.next().map(PathBuf::from);
    match jiesu_search::bench_search(appeals, dir.as_deref()) {
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
