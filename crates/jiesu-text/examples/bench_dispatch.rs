//! Dispatch benchmark: `cargo run --release -p jiesu-text --example bench_dispatch -- TRAIN.csv [TEST.csv] [--folds K]`
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut files: Vec<PathBuf> = Vec::new();
    let mut folds = 5;
    while let Some(a) = args.next() {
        if a == "--folds" {
            folds = args.next().and_then(|v| v.parse().ok()).unwrap_or(5);
        } else {
            files.push(a.into());
        }
    }
    let Some(train) = files.first() else {
        eprintln!("usage: bench_dispatch TRAIN.csv [TEST.csv] [--folds K]");
        std::process::exit(2);
    };
    match jiesu_text::dispatch::bench_dispatch(train, files.get(1).map(PathBuf::as_path), folds) {
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
