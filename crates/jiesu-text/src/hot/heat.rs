//! The heat index (热度指数) of a group of messages: the sum of four explicit parts, each a
//! value of the group times a named weight, so that the hot page can show why a group ranks
//! where it does.
//!
//! ```text
//! volume        V = ln(1 + citizens)                     distinct citizens who wrote
//! attention     A = ln(1 + likes / l̄ + dislikes / d̄)     l̄, d̄: likes and dislikes per message
//!                                                        over the whole analysed set
//! concentration C = peak / messages                      peak: messages in the densest
//!                                                        CONCENTRATION_DAYS window
//! growth        G = clamp((r₁ − r₀) / (r₁ + r₀), 0, 1)   r₁: messages in the group's last
//!                                                        GROWTH_DAYS, r₀: in those before
//! heat          H = W_VOLUME·V + W_ATTENTION·A + W_CONCENTRATION·C + W_GROWTH·G
//! ```
//!
//! - **Volume** counts people, not messages: one citizen writing ten times is one voice.
//! - **Attention** is what other citizens did on the board: each like or dislike is one more
//!   person saying "this matters to me too". A reaction counts in units of how often it is
//!   given on the board, so a dislike, given far more rarely than a like, says more; a kind of
//!   reaction nobody gave counts nothing. The logarithm keeps one message with thousands of
//!   likes from burying dozens of citizens.
//! - **Concentration** is the share of the group's messages written within a short window:
//!   an issue that flares up (many people within weeks) is hotter than the same number of
//!   messages spread over a year.
//! - **Growth** tells whether the group was still rising when last heard of (more messages in
//!   its last weeks than in the weeks before).
//!
//! Concentration and growth are shares (0 to 1): they tilt the ranking between groups of
//! similar size and attention, they cannot lift two messages above dozens.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Weight of volume: the reference part (one unit per e-fold of citizens).
pub const W_VOLUME: f64 = 1.0;
/// Weight of attention: a little over half of volume, as a reaction costs less than a
/// message.
pub const W_ATTENTION: f64 = 0.6;
/// Weight of concentration in time.
pub const W_CONCENTRATION: f64 = 0.5;
/// Weight of growth.
pub const W_GROWTH: f64 = 0.5;
/// Days of the window concentration is measured in.
pub const CONCENTRATION_DAYS: i64 = 30;
/// Days of each of the two windows growth compares.
pub const GROWTH_DAYS: i64 = 30;

/// How often each kind of reaction is given on the board: per message, over the analysed set.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ReactionRates {
    /// Likes per message.
    pub likes: f64,
    /// Dislikes per message.
    pub dislikes: f64,
}

impl ReactionRates {
    /// The rates of a set of messages given as `(likes, dislikes)`.
    pub fn of(reactions: impl IntoIterator<Item = (u32, u32)>) -> Self {
        let (mut n, mut likes, mut dislikes) = (0usize, 0u64, 0u64);
        for (l, d) in reactions {
            n += 1;
            likes += u64::from(l);
            dislikes += u64::from(d);
        }
        let per = |total: u64| if n == 0 { 0.0 } else { total as f64 / n as f64 };
        ReactionRates {
            likes: per(likes),
            dislikes: per(dislikes),
        }
    }

    /// Likes and dislikes in units of their rates (a kind nobody gives counts nothing).
    fn weigh(&self, likes: u64, dislikes: u64) -> f64 {
        let unit = |count: u64, rate: f64| if rate > 0.0 { count as f64 / rate } else { 0.0 };
        unit(likes, self.likes) + unit(dislikes, self.dislikes)
    }
}

/// One group's heat, its parts' values and their contributions (weight × value).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Heat {
    /// The heat index: the sum of the four contributions.
    pub total: f64,
    /// Distinct citizens.
    pub citizens: usize,
    /// Likes, summed.
    pub likes: u64,
    /// Dislikes, summed.
    pub dislikes: u64,
    /// Likes and dislikes in units of their board rates.
    pub reactions: f64,
    /// Messages in the densest [`CONCENTRATION_DAYS`] window.
    pub peak: usize,
    /// `peak` over the group's messages (0 to 1).
    pub concentration: f64,
    /// Growth at the group's end (0 to 1).
    pub growth: f64,
    /// `W_VOLUME × ln(1 + citizens)`.
    pub volume_part: f64,
    /// `W_ATTENTION × ln(1 + reactions)`.
    pub attention_part: f64,
    /// `W_CONCENTRATION × concentration`.
    pub concentration_part: f64,
    /// `W_GROWTH × growth`.
    pub growth_part: f64,
}

/// What a group's heat is computed from.
#[derive(Debug, Clone, Copy)]
pub struct HeatInput<'a> {
    /// Distinct citizens who wrote.
    pub citizens: usize,
    /// Likes, summed.
    pub likes: u64,
    /// Dislikes, summed.
    pub dislikes: u64,
    /// When each message was written, oldest first.
    pub times: &'a [NaiveDateTime],
}

/// The heat of the [module formula](self).
pub fn heat(input: &HeatInput<'_>, rates: &ReactionRates) -> Heat {
    let reactions = rates.weigh(input.likes, input.dislikes);
    let peak = densest_window(input.times, CONCENTRATION_DAYS);
    let concentration = if input.times.is_empty() {
        0.0
    } else {
        peak as f64 / input.times.len() as f64
    };
    let growth = growth(input.times);
    let volume_part = W_VOLUME * (input.citizens as f64).ln_1p();
    let attention_part = W_ATTENTION * reactions.ln_1p();
    let concentration_part = W_CONCENTRATION * concentration;
    let growth_part = W_GROWTH * growth;
    Heat {
        total: volume_part + attention_part + concentration_part + growth_part,
        citizens: input.citizens,
        likes: input.likes,
        dislikes: input.dislikes,
        reactions,
        peak,
        concentration,
        growth,
        volume_part,
        attention_part,
        concentration_part,
        growth_part,
    }
}

/// Most of `times` (sorted) within any `days` long window.
fn densest_window(times: &[NaiveDateTime], days: i64) -> usize {
    let window = chrono::Duration::days(days);
    let mut best = 0;
    let mut from = 0;
    for (to, &t) in times.iter().enumerate() {
        while t - times[from] > window {
            from += 1;
        }
        best = best.max(to + 1 - from);
    }
    best
}

/// `clamp((r₁ − r₀) / (r₁ + r₀), 0, 1)` over the last two [`GROWTH_DAYS`] windows ending at
/// the last of `times` (sorted).
fn growth(times: &[NaiveDateTime]) -> f64 {
    let Some(&last) = times.last() else {
        return 0.0;
    };
    let window = chrono::Duration::days(GROWTH_DAYS);
    let recent = times.iter().filter(|&&t| t > last - window).count() as f64;
    let earlier = times
        .iter()
        .filter(|&&t| t > last - window - window && t <= last - window)
        .count() as f64;
    ((recent - earlier) / (recent + earlier)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
            .and_then(|x| x.and_hms_opt(9, 0, 0))
            .unwrap_or_default()
            + chrono::Duration::days(d)
    }

    fn heat_of(citizens: usize, likes: u64, dislikes: u64, days: &[i64]) -> Heat {
        let times: Vec<NaiveDateTime> = days.iter().map(|&d| day(d)).collect();
        let rates = ReactionRates {
            likes: 2.0,
            dislikes: 0.1,
        };
        heat(
            &HeatInput {
                citizens,
                likes,
                dislikes,
                times: &times,
            },
            &rates,
        )
    }

    #[test]
    fn the_total_is_the_sum_of_the_parts() {
        let h = heat_of(5, 10, 1, &[0, 3, 40, 41, 42]);
        let sum = h.volume_part + h.attention_part + h.concentration_part + h.growth_part;
        assert!((h.total - sum).abs() < 1e-9);
        assert_eq!(h.peak, 3);
        assert!((h.concentration - 0.6).abs() < 1e-9);
        assert!((h.reactions - 15.0).abs() < 1e-9);
        assert!((h.growth - 0.2).abs() < 1e-9);
    }

    #[test]
    fn people_then_attention_then_time() {
        let spread = [0, 60, 120, 180, 240];
        assert!(heat_of(20, 0, 0, &[0; 20]).total > heat_of(2, 0, 0, &[0, 1]).total);
        assert!(heat_of(5, 40, 0, &spread).total > heat_of(5, 0, 0, &spread).total);
        // A dislike is rarer than a like, so it weighs more.
        assert!(heat_of(5, 0, 2, &spread).total > heat_of(5, 2, 0, &spread).total);
        assert!(heat_of(5, 0, 0, &[0, 1, 2, 3, 4]).total > heat_of(5, 0, 0, &spread).total);
        let fading = heat_of(5, 0, 0, &[0, 1, 2, 3, 40]);
        assert_eq!(fading.growth, 0.0);
    }

    #[test]
    fn a_reaction_nobody_gives_counts_nothing() {
        let rates = ReactionRates::of([(0, 0), (0, 0)]);
        assert_eq!(rates.weigh(5, 5), 0.0);
        assert_eq!(ReactionRates::of([(3, 1), (1, 0)]).likes, 2.0);
    }
}
