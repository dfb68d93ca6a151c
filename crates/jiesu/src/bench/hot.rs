//! `jiesu bench hot`: hot issues of a CSV file (or of generated messages), timed, as CSV and
//! a one-line result.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use jiesu_text::cell::neutralise;
use jiesu_text::hot::{
    HotConfig, HotDetector, HotError, HotGroup, HotMessage, read_messages, read_messages_from,
    write_messages_to,
};

use super::hot_data::generate_messages;

/// Ranks the hot issues of `input`, or of `generate`d messages: those are written to CSV in
/// memory first (and to `save` when given) so that reading them is timed as for a file.
/// Prints the `top` groups as CSV, then the RESULT line.
pub fn run(
    input: Option<&Path>,
    generate: Option<usize>,
    save: Option<&Path>,
    top: usize,
) -> anyhow::Result<()> {
    let report = match generate {
        Some(n) => {
            eprintln!("生成 {n} 条模拟留言…");
            let mut csv = Vec::new();
            write_messages_to(&generate_messages(n), &mut csv)?;
            if let Some(path) = save {
                std::fs::write(path, &csv)?;
                eprintln!("模拟留言已另存为 {}", path.display());
            }
            eprintln!("发现热点问题…");
            bench_hot_from(csv.as_slice(), top)?
        }
        None => {
            let input = input.context("请指定 --input 或 --generate")?;
            bench_hot(input, top)?
        }
    };
    print!("{}", report.csv());
    println!("{}", report.result_line());
    Ok(())
}

/// The outcome of [`bench_hot`].
#[derive(Debug)]
struct HotBenchReport {
    /// Messages read.
    messages: usize,
    /// Groups of two messages or more.
    groups: usize,
    /// The hottest groups, at most `top`.
    top: Vec<HotGroup>,
    /// Seconds from opening the file (or the first byte read) to the ranked groups.
    seconds: f64,
}

impl HotBenchReport {
    /// The ranked groups as CSV with header
    /// `rank,heat,count,first,last,place,description,member_ids` (heat with two decimals,
    /// times as `YYYY-MM-DD HH:MM:SS`, member ids joined with `;`).
    fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let fmt = "%Y-%m-%d %H:%M:%S";
        let mut rows = vec![
            [
                "rank",
                "heat",
                "count",
                "first",
                "last",
                "place",
                "description",
                "member_ids",
            ]
            .map(String::from),
        ];
        for (rank, g) in self.top.iter().enumerate() {
            rows.push([
                (rank + 1).to_string(),
                format!("{:.2}", g.heat),
                g.count.to_string(),
                g.first.format(fmt).to_string(),
                g.last.format(fmt).to_string(),
                neutralise(&g.place).into_owned(),
                neutralise(&g.description).into_owned(),
                neutralise(&g.member_ids.join(";")).into_owned(),
            ]);
        }
        for row in rows {
            // Writing to memory cannot fail.
            let _ = writer.write_record(&row);
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// `RESULT messages=… groups=… seconds=…`.
    fn result_line(&self) -> String {
        format!(
            "RESULT messages={} groups={} seconds={:.3}",
            self.messages, self.groups, self.seconds
        )
    }
}

/// Reads the messages of `input` (the board's CSV export), finds the hot issues with the
/// default settings and keeps the `top` hottest.
fn bench_hot(input: &Path, top: usize) -> Result<HotBenchReport, HotError> {
    let start = Instant::now();
    let messages = read_messages(input)?;
    Ok(rank(start, &messages, top))
}

/// [`bench_hot`] over CSV from any reader (e.g. generated messages held in memory).
fn bench_hot_from(input: impl Read, top: usize) -> Result<HotBenchReport, HotError> {
    let start = Instant::now();
    let messages = read_messages_from(input)?;
    Ok(rank(start, &messages, top))
}

fn rank(start: Instant, messages: &[HotMessage], top: usize) -> HotBenchReport {
    let detector = HotDetector::new(Default::default(), HotConfig::default());
    let groups = detector.discover(messages);
    let seconds = start.elapsed().as_secs_f64();
    HotBenchReport {
        messages: messages.len(),
        groups: groups.len(),
        top: groups.into_iter().take(top).collect(),
        seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_messages_survive_the_csv_and_hold_hot_issues() {
        let messages = generate_messages(2_000);
        let mut csv = Vec::new();
        write_messages_to(&messages, &mut csv).unwrap();
        assert_eq!(read_messages_from(csv.as_slice()).unwrap(), messages);
        let report = bench_hot_from(csv.as_slice(), 3).unwrap();
        assert_eq!(report.messages, 2_000);
        assert_eq!(report.top.len(), 3);
        assert!(report.top[0].count >= 5, "{:?}", report.top[0]);
    }
}
