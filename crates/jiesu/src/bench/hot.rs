//! `jiesu bench hot`: hot issues of a CSV file (or of generated messages), timed, as CSV and
//! a one-line result. On generated messages the planted issues are known, so the result also
//! tells how well they were found: `planted_recall` (share of the planted issues that one of
//! the top K groups is mostly about, K the number of planted issues) and `purity` (share of
//! those groups' messages that belong to the issue they are about).

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use jiesu_text::cell::neutralise;
use jiesu_text::hot::{
    HotConfig, HotDetector, HotError, HotGroup, HotMessage, read_messages, read_messages_from,
    write_messages_to,
};

use super::hot_data::{Planted, generate_planted};

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
            let planted = generate_planted(n);
            let mut csv = Vec::new();
            write_messages_to(&planted.messages, &mut csv)?;
            if let Some(path) = save {
                std::fs::write(path, &csv)?;
                eprintln!("模拟留言已另存为 {}", path.display());
            }
            eprintln!("发现热点问题…");
            let mut report = bench_hot_from(csv.as_slice(), top)?;
            report.quality = Some(Quality::of(&planted, &report.ranked));
            report
        }
        None => {
            let input = input.context("请指定 --input 或 --generate")?;
            bench_hot(input, top)?
        }
    };
    print!("{}", report.csv());
    if let Some(q) = &report.quality {
        eprintln!(
            "埋设热点 {} 个：前 {} 组找回 {} 个（召回率 {:.3}），这些组的纯度 {:.3}",
            q.issues, q.issues, q.found, q.recall, q.purity
        );
    }
    println!("{}", report.result_line());
    Ok(())
}

/// How well the planted issues of generated messages were found.
#[derive(Debug, Clone, PartialEq)]
struct Quality {
    /// Planted issues.
    issues: usize,
    /// Planted issues that one of the top `issues` groups is mostly (over half) about.
    found: usize,
    /// `found / issues`.
    recall: f64,
    /// Over the groups that found an issue: their messages of that issue over all their
    /// messages.
    purity: f64,
}

impl Quality {
    /// Compares the top `planted.issues` of the `ranked` groups with the planted issues.
    fn of(planted: &Planted, ranked: &[HotGroup]) -> Quality {
        let issue_of: std::collections::HashMap<&str, usize> = planted
            .messages
            .iter()
            .zip(&planted.issue)
            .filter_map(|(m, issue)| issue.map(|k| (m.id.as_str(), k)))
            .collect();
        let mut found = std::collections::HashSet::new();
        let (mut pure, mut members) = (0usize, 0usize);
        for group in ranked.iter().take(planted.issues) {
            let mut counts: std::collections::HashMap<usize, usize> = Default::default();
            for id in &group.member_ids {
                if let Some(&k) = issue_of.get(id.as_str()) {
                    *counts.entry(k).or_default() += 1;
                }
            }
            let best = counts
                .into_iter()
                .max_by_key(|&(k, c)| (c, std::cmp::Reverse(k)));
            if let Some((k, c)) = best
                && 2 * c > group.count
                && found.insert(k)
            {
                pure += c;
                members += group.count;
            }
        }
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Quality {
            issues: planted.issues,
            found: found.len(),
            recall: ratio(found.len(), planted.issues),
            purity: ratio(pure, members),
        }
    }
}

/// The outcome of [`bench_hot`].
#[derive(Debug)]
struct HotBenchReport {
    /// Messages read.
    messages: usize,
    /// Groups of two messages or more, hottest first.
    ranked: Vec<HotGroup>,
    /// Groups printed.
    top: usize,
    /// Planted issues found, for generated messages.
    quality: Option<Quality>,
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
        for (rank, g) in self.ranked.iter().take(self.top).enumerate() {
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

    /// `RESULT messages=… groups=… seconds=…`, then `planted_recall=… purity=…` for
    /// generated messages.
    fn result_line(&self) -> String {
        let mut line = format!(
            "RESULT messages={} groups={} seconds={:.3}",
            self.messages,
            self.ranked.len(),
            self.seconds
        );
        if let Some(q) = &self.quality {
            line.push_str(&format!(
                " planted_recall={:.3} purity={:.3}",
                q.recall, q.purity
            ));
        }
        line
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
        ranked: groups,
        top,
        quality: None,
        seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_messages_survive_the_csv_and_hold_hot_issues() {
        let planted = generate_planted(2_000);
        let mut csv = Vec::new();
        write_messages_to(&planted.messages, &mut csv).unwrap();
        assert_eq!(
            read_messages_from(csv.as_slice()).unwrap(),
            planted.messages
        );
        let report = bench_hot_from(csv.as_slice(), 3).unwrap();
        assert_eq!(report.messages, 2_000);
        assert!(report.ranked[0].count >= 5, "{:?}", report.ranked[0]);
        assert_eq!(report.csv().lines().count(), 4);
        let quality = Quality::of(&planted, &report.ranked);
        assert_eq!(quality.issues, 2);
        assert!(quality.found <= 2 && (0.0..=1.0).contains(&quality.purity));

        // Groups that are exactly the planted issues, plus one stray message in the first:
        // both found, purity (n - 1) / n over their n messages.
        let issue_group = |k: usize, stray: Option<&str>| {
            let mut group = report.ranked[0].clone();
            group.member_ids = planted
                .messages
                .iter()
                .zip(&planted.issue)
                .filter(|(_, i)| **i == Some(k))
                .map(|(m, _)| m.id.clone())
                .chain(stray.map(String::from))
                .collect();
            group.count = group.member_ids.len();
            group
        };
        let stray = planted
            .messages
            .iter()
            .zip(&planted.issue)
            .find(|(_, i)| i.is_none())
            .map(|(m, _)| m.id.as_str());
        let ideal = [issue_group(0, stray), issue_group(1, None)];
        let quality = Quality::of(&planted, &ideal);
        let n = (ideal[0].count + ideal[1].count) as f64;
        assert_eq!((quality.found, quality.recall), (2, 1.0));
        assert!((quality.purity - (n - 1.0) / n).abs() < 1e-9, "{quality:?}");
    }
}
