//! Benchmarks (`jiesu bench …`): each prints a table for people and ends with one line for
//! machines, `RESULT key=value …`.

pub mod deadlines;
pub mod intake;
pub mod load;
pub mod pages;

use std::path::Path;

use anyhow::Context;
use std::time::Duration;

/// `jiesu bench hot`: ranked hot-issue groups as CSV, then the RESULT line. The messages
/// come from `input`, or are `generate`d: written to CSV in memory first (and to `save` when
/// given) so that reading them is timed as for a file.
pub fn hot(
    input: Option<&Path>,
    generate: Option<usize>,
    save: Option<&Path>,
    top: usize,
) -> anyhow::Result<()> {
    let report = match generate {
        Some(n) => {
            eprintln!("生成 {n} 条模拟留言…");
            let mut csv = Vec::new();
            jiesu_text::hot::write_messages_to(&jiesu_text::hot::generate_messages(n), &mut csv)?;
            if let Some(path) = save {
                std::fs::write(path, &csv)?;
                eprintln!("模拟留言已另存为 {}", path.display());
            }
            eprintln!("发现热点问题…");
            jiesu_text::hot::bench_hot_from(csv.as_slice(), top)?
        }
        None => {
            let input = input.context("请指定 --input 或 --generate")?;
            jiesu_text::hot::bench_hot(input, top)?
        }
    };
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

/// `jiesu bench dispatch`: our model and the baseline side by side, then the RESULT line.
pub fn dispatch(train: &Path, test: Option<&Path>, folds: usize) -> anyhow::Result<()> {
    eprintln!(
        "训练并评估派单模型（{}）…",
        if test.is_some() {
            "训练集/测试集"
        } else {
            "交叉验证"
        }
    );
    let report = jiesu_text::dispatch::bench_dispatch(train, test, folds)?;
    print!("{}", report.table());
    println!("{}", report.result_line());
    Ok(())
}

/// `jiesu bench search`: index N generated appeals, then time queries and duplicate checks.
pub fn search(appeals: usize, dir: Option<&Path>) -> anyhow::Result<()> {
    eprintln!("生成并索引 {appeals} 件诉求…");
    let report = jiesu_search::bench_search(appeals, dir)?;
    print!("{}", report.table());
    println!("{}", report.result_line());
    Ok(())
}

/// Prints the machine-readable last line.
/// The median of some readings (zero for none).
pub fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

pub fn print_result(pairs: &[(&str, String)]) {
    let line: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!("RESULT {}", line.join(" "));
}
