//! `jiesu bench hot`: hot issues of a CSV file, timed, as CSV and a one-line result.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use super::error::HotError;
use super::group::HotGroup;
use super::message::HotMessage;
use super::reader::{read_messages, read_messages_from};
use super::{HotConfig, HotDetector};
use crate::cell::neutralise;

/// The outcome of [`bench_hot`].
#[derive(Debug, Clone, PartialEq)]
pub struct HotBenchReport {
    /// Messages read.
    pub messages: usize,
    /// Groups of two messages or more.
    pub groups: usize,
    /// The hottest groups, at most `top`.
    pub top: Vec<HotGroup>,
    /// Seconds from opening the file (or the first byte read) to the ranked groups.
    pub seconds: f64,
}

impl HotBenchReport {
    /// The ranked groups as CSV with header
    /// `rank,heat,count,first,last,place,description,member_ids` (heat with two decimals,
    /// times as `YYYY-MM-DD HH:MM:SS`, member ids joined with `;`).
    pub fn csv(&self) -> String {
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
    pub fn result_line(&self) -> String {
        format!(
            "RESULT messages={} groups={} seconds={:.3}",
            self.messages, self.groups, self.seconds
        )
    }
}

/// Reads the messages of `input` (the board's CSV export), finds the hot issues with the
/// default settings and keeps the `top` hottest.
pub fn bench_hot(input: &Path, top: usize) -> Result<HotBenchReport, HotError> {
    let start = Instant::now();
    let messages = read_messages(input)?;
    Ok(rank(start, &messages, top))
}

/// [`bench_hot`] over CSV from any reader (e.g. generated messages held in memory).
pub fn bench_hot_from(input: impl Read, top: usize) -> Result<HotBenchReport, HotError> {
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
