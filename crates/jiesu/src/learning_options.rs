//! How `jiesu serve` runs smart dispatch's learning loop (学习): how often the fast
//! adaptation relearns the labelled examples, and how often a full retrain runs.

use std::time::Duration;

/// The learning loop's options.
#[derive(clap::Args, Clone)]
pub struct LearningOptions {
    /// Retrain smart dispatch on this schedule (`24h`, `90m`, `7d`); off when empty. Of
    /// several servers on one database, one runs each retrain.
    #[arg(long, env = "JIESU_RETRAIN_EVERY", default_value = "", value_parser = parse_every)]
    pub retrain_every: Every,
    /// Seconds between relearning the labelled examples (学习样本) on top of the active
    /// model; 0 turns it off.
    #[arg(long, env = "JIESU_LEARN_SECONDS", default_value_t = 300)]
    pub learn_seconds: u64,
}

/// A schedule's interval, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Every(pub Option<Duration>);

/// Parses `90s`, `30m`, `24h`, `7d` (empty or `0`: off).
pub fn parse_every(s: &str) -> Result<Every, String> {
    let s = s.trim();
    if s.is_empty() || s == "0" {
        return Ok(Every(None));
    }
    let (number, unit) = s.split_at(s.len() - 1);
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "无法识别的时间间隔「{s}」：请写成 90s、30m、24h 或 7d"
            ));
        }
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("无法识别的时间间隔「{s}」：请写成 90s、30m、24h 或 7d"))?;
    Ok(Every((n > 0).then(|| Duration::from_secs(n * seconds))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_and_bad_ones_are_refused() {
        assert_eq!(parse_every("").unwrap(), Every(None));
        assert_eq!(parse_every("0").unwrap(), Every(None));
        assert_eq!(
            parse_every("24h").unwrap(),
            Every(Some(Duration::from_secs(86_400)))
        );
        assert_eq!(
            parse_every("90s").unwrap(),
            Every(Some(Duration::from_secs(90)))
        );
        assert!(parse_every("3w").is_err());
        assert!(parse_every("h").is_err());
    }
}
