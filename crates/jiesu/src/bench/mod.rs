//! Benchmarks (`jiesu bench …`): each prints a table for people and ends with one line for
//! machines, `RESULT key=value …`.

pub mod intake;
pub mod pages;

use std::path::Path;
use std::time::Duration;

/// `jiesu bench hot`: ranked hot-issue groups as CSV, then the RESULT line.
pub fn hot(input: &Path, top: usize) -> anyhow::Result<()> {
    let report = jiesu_text::hot::bench_hot(input, top)?;
    print!("{}", report.csv());
    println!("{}", report.result_line());
    Ok(())
}

/// The `q`-quantile of sorted durations.
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Prints the machine-readable last line.
pub fn print_result(pairs: &[(&str, String)]) {
    let line: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("RESULT {}", line.join(" "));
}
