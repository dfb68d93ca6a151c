//! Benchmarks (`jiesu bench …`): each prints a table for people and ends with one line for
//! machines, `RESULT key=value …`.

pub mod assessment;
pub mod campaign;
pub mod deadlines;
pub mod dispatch;
mod dispatch_auto;
pub mod dispatch_new_class;
pub mod hot;
mod hot_data;
pub mod intake;
pub mod learning;
pub mod load;
pub mod pages;
pub mod points;
mod raw_insert;
pub mod replies;
mod rng;
pub mod search;
mod search_data;
pub mod tasks;

/// The `q`-quantile of sorted values (zero for none): durations, microseconds…
pub fn percentile<T: Copy + Default>(sorted: &[T], q: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The median of some readings (zero for none).
pub fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Prints the machine-readable last line.
pub fn print_result(pairs: &[(&str, String)]) {
    let line: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("RESULT {}", line.join(" "));
}
