//! The heat index (热度指数) of a group of messages.
//!
//! ```text
//! breadth   B = users + ln(1 + count − users)        distinct citizens; one citizen writing
//!                                                    again and again adds little
//! attention A = likes + 0.5 × dislikes               a dislike is attention too
//! base      S = 3 × ln(1 + B) + 0.5 × ln(1 + A)      people first, attention second
//! recency   R = exp(−age / 90 days)                  age = reference time − group's last message
//! growth    G = clamp((r₁ − r₀) / (r₁ + r₀), 0, 1)   r₁: messages in the 30 days before the
//!                                                    reference time, r₀: in the 30 days before
//!                                                    those (0 when both are 0)
//! heat      H = S × (0.8 + 0.2 × R) × (1 + 0.2 × G)
//! ```
//!
//! The reference time is the latest message of the analysed set (not the wall clock), so a
//! report on last year's data ranks as it did then. Logarithms keep one message with
//! thousands of likes from outranking dozens of citizens writing about the same thing;
//! recency and growth only tilt the ranking (at most −20 % and +20 %).

use chrono::NaiveDateTime;

/// What the heat of a group is computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatInput {
    /// Messages in the group.
    pub count: usize,
    /// Distinct citizens who wrote them.
    pub users: usize,
    /// Likes, summed.
    pub likes: u64,
    /// Dislikes, summed.
    pub dislikes: u64,
    /// Days from the group's last message to the reference time (≥ 0).
    pub age_days: f64,
    /// Messages in the 30 days before the reference time.
    pub recent: usize,
    /// Messages in the 30 days before those.
    pub earlier: usize,
}

/// Days of the recency half-life scale (the `90` of the formula).
pub const RECENCY_DAYS: f64 = 90.0;
/// Length of the growth windows (the `30` of the formula).
pub const GROWTH_DAYS: i64 = 30;

/// The heat index of the [module formula](self).
pub fn heat(input: &HeatInput) -> f64 {
    let users = input.users.min(input.count) as f64;
    let breadth = users + (input.count as f64 - users).ln_1p();
    let attention = input.likes as f64 + 0.5 * input.dislikes as f64;
    let base = 3.0 * breadth.ln_1p() + 0.5 * attention.ln_1p();
    let recency = (-input.age_days.max(0.0) / RECENCY_DAYS).exp();
    let (r1, r0) = (input.recent as f64, input.earlier as f64);
    let growth = if r1 + r0 > 0.0 {
        ((r1 - r0) / (r1 + r0)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    base * (0.8 + 0.2 * recency) * (1.0 + 0.2 * growth)
}

/// Fills the time parts of a [`HeatInput`] from message times and the reference time.
pub(crate) fn time_parts(times: &[NaiveDateTime], reference: NaiveDateTime) -> (f64, usize, usize) {
    let last = times.iter().max().copied().unwrap_or(reference);
    let age_days = (reference - last).num_seconds().max(0) as f64 / 86_400.0;
    let window = chrono::Duration::days(GROWTH_DAYS);
    let recent = times
        .iter()
        .filter(|&&t| t > reference - window && t <= reference)
        .count();
    let earlier = times
        .iter()
        .filter(|&&t| t > reference - window - window && t <= reference - window)
        .count();
    (age_days, recent, earlier)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(count: usize, users: usize, likes: u64) -> HeatInput {
        HeatInput {
            count,
            users,
            likes,
            dislikes: 0,
            age_days: 0.0,
            recent: 0,
            earlier: 0,
        }
    }

    #[test]
    fn people_outweigh_likes() {
        assert!(heat(&input(10, 10, 0)) > heat(&input(2, 2, 500)));
        assert!(heat(&input(5, 5, 10)) > heat(&input(5, 5, 0)));
        assert!(heat(&input(5, 5, 0)) > heat(&input(5, 1, 0)));
    }

    #[test]
    fn old_groups_cool_down_and_growing_ones_warm_up() {
        let fresh = input(4, 4, 0);
        let old = HeatInput {
            age_days: 365.0,
            ..fresh
        };
        let growing = HeatInput { recent: 4, ..fresh };
        assert!(heat(&old) < heat(&fresh));
        assert!(heat(&growing) > heat(&fresh));
        assert!(heat(&old) >= 0.8 * heat(&fresh) - 1e-9);
    }
}
