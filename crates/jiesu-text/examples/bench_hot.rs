//! Runs hot-issue discovery on a CSV file, or on synthetic messages made from it.
//!
//! ```text
//! cargo run --release -p jiesu-text --example bench_hot -- FILE [TOP]
//! cargo run --release -p jiesu-text --example bench_hot -- FILE [TOP] --synthetic N
//! ```
//!
//! `--synthetic N` mixes and perturbs the file's messages into N new ones (in memory only)
//! and times discovery on them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use jiesu_text::hot::{HotDetector, HotMessage, bench_hot, read_messages};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(input) = args.first().map(PathBuf::from) else {
        eprintln!("用法：bench_hot FILE [TOP] [--synthetic N]");
        return ExitCode::FAILURE;
    };
    let top: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let synthetic: Option<usize> = args
        .iter()
        .position(|a| a == "--synthetic")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok());
    match synthetic {
        None => match bench_hot(&input, top) {
            Ok(report) => {
                print!("{}", report.csv());
                println!("{}", report.result_line());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Some(n) => {
            let base = match read_messages(&input) {
                Ok(m) if !m.is_empty() => m,
                Ok(_) => {
                    eprintln!("留言文件为空");
                    return ExitCode::FAILURE;
                }
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            let messages = synthesize(&base, n);
            let start = Instant::now();
            let groups = HotDetector::default().discover(&messages);
            let seconds = start.elapsed().as_secs_f64();
            for g in groups.iter().take(top) {
                println!("{:.2}\t{}\t{}\t{}", g.heat, g.count, g.place, g.description);
            }
            println!(
                "RESULT messages={} groups={} seconds={seconds:.3}",
                messages.len(),
                groups.len()
            );
            ExitCode::SUCCESS
        }
    }
}

/// A small deterministic generator (xorshift) so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `n` messages made from `base`: each takes one message's title, drops or swaps a few of
/// its characters, glues the first half of its text to the second half of another's, and
/// moves its time by up to a year.
fn synthesize(base: &[HotMessage], n: usize) -> Vec<HotMessage> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|k| {
            let a = &base[rng.below(base.len())];
            let b = &base[rng.below(base.len())];
            let mut title: Vec<char> = a.title.chars().collect();
            for _ in 0..2 {
                if title.len() > 4 {
                    let i = rng.below(title.len());
                    if rng.below(2) == 0 {
                        title.remove(i);
                    } else {
                        let j = rng.below(title.len());
                        title.swap(i, j);
                    }
                }
            }
            let ta: Vec<char> = a.text.chars().collect();
            let tb: Vec<char> = b.text.chars().collect();
            let text: String = ta[..ta.len() / 2]
                .iter()
                .chain(&tb[tb.len() / 2..])
                .collect();
            let shift = chrono::Duration::minutes(rng.below(525_600) as i64 - 262_800);
            HotMessage {
                id: format!("S{k}"),
                user: format!("U{}", rng.below(n / 2 + 1)),
                title: title.into_iter().collect(),
                text,
                time: a.time + shift,
                likes: (a.likes + b.likes) / 2,
                dislikes: a.dislikes,
            }
        })
        .collect()
}
