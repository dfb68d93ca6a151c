//! Failure throttling (失败限速): after a number of free failures for a key, each further
//! failure doubles the time the key must wait before its next attempt, up to a ceiling. A
//! success forgets the key; so does a quiet period. Per process and in memory.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Keys kept at most; the oldest half is dropped when full (an attacker cycling keys
/// cannot grow the map without bound).
const MAX_KEYS: usize = 100_000;

/// Failures counted per key, with a progressive delay.
#[derive(Clone)]
pub struct Throttle<K> {
    free: u32,
    first_delay: Duration,
    max_delay: Duration,
    forget_after: Duration,
    failures: Arc<Mutex<HashMap<K, Failures>>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    /// `free` failures pass without delay; then the delay starts at `first_delay` and
    /// doubles with each failure up to `max_delay`. Failures are forgotten after
    /// `forget_after` without one.
    pub fn new(
        free: u32,
        first_delay: Duration,
        max_delay: Duration,
        forget_after: Duration,
    ) -> Throttle<K> {
        Throttle {
            free,
            first_delay,
            max_delay,
            forget_after,
            failures: Arc::default(),
        }
    }

    fn delay(&self, count: u32) -> Duration {
        let doublings = count.saturating_sub(self.free).min(30);
        self.first_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }

    /// How long `key` must still wait before its next attempt; `None` when it may try now.
    pub fn wait(&self, key: &K) -> Option<Duration> {
        let failures = self.failures.lock().ok()?;
        let entry = failures.get(key)?;
        if entry.count < self.free {
            return None;
        }
        self.delay(entry.count)
            .checked_sub(entry.last.elapsed())
            .filter(|left| !left.is_zero())
    }

    /// Counts a failure of `key`; returns the wait it now faces, if any.
    pub fn failed(&self, key: K) -> Option<Duration> {
        let mut failures = self.failures.lock().ok()?;
        if failures.len() >= MAX_KEYS {
            let mut ages: Vec<Instant> = failures.values().map(|f| f.last).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            failures.retain(|_, f| f.last > cut);
        }
        let now = Instant::now();
        let entry = failures.entry(key).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(entry.last) > self.forget_after {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        (entry.count >= self.free).then(|| self.delay(entry.count))
    }

    /// Forgets the failures of `key` (after a success).
    pub fn succeeded(&self, key: &K) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_the_free_failures() {
        let t = Throttle::new(
            3,
            Duration::from_secs(1),
            Duration::from_secs(5),
            Duration::from_secs(3600),
        );
        assert_eq!(t.failed("a"), None);
        assert_eq!(t.failed("a"), None);
        assert!(t.wait(&"a").is_none());
        assert_eq!(t.failed("a"), Some(Duration::from_secs(1)));
        assert!(t.wait(&"a").is_some());
        assert_eq!(t.failed("a"), Some(Duration::from_secs(2)));
        assert_eq!(t.failed("a"), Some(Duration::from_secs(4)));
        assert_eq!(t.failed("a"), Some(Duration::from_secs(5)));
        assert!(t.wait(&"b").is_none(), "other keys are not affected");
        t.succeeded(&"a");
        assert!(t.wait(&"a").is_none());
    }
}
