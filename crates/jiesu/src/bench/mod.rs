//! Benchmarks (`jiesu bench …`): each prints a table for people and ends with one line for
//! machines, `RESULT key=value …`.

pub mod intake;

use std::time::Duration;

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
