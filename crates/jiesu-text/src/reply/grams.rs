//! Character n-grams of Chinese text: the unit every reply signal counts, since appeals and
//! replies name the same estates, roads and things in the same characters without word
//! boundaries.

use crate::normalize::{fold, is_punctuation};

/// The meaningful characters of a text: folded (full-width forms, whitespace) and without
/// whitespace and punctuation.
pub(crate) fn chars(text: &str) -> Vec<char> {
    folded_chars(&fold(text))
}

/// [`chars`] of a text already folded.
pub(crate) fn folded_chars(folded: &str) -> Vec<char> {
    folded
        .chars()
        .filter(|c| !c.is_whitespace() && !is_punctuation(*c))
        .collect()
}

/// The keys of the `n`-grams of `chars` (n ≤ 3: 21 bits per character), repeats included.
pub(crate) fn grams(chars: &[char], n: usize) -> impl Iterator<Item = u64> + '_ {
    chars
        .windows(n)
        .map(|w| w.iter().fold(0u64, |key, c| (key << 21) | u64::from(*c)))
}

/// The distinct `n`-grams of `chars`, sorted.
pub(crate) fn distinct(chars: &[char], n: usize) -> Vec<u64> {
    let mut keys: Vec<u64> = grams(chars, n).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// How many of the sorted `wanted` keys are in the sorted `have` keys, each weighed by
/// `weight`.
pub(crate) fn shared_weight(wanted: &[u64], have: &[u64], weight: impl Fn(u64) -> f64) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < wanted.len() && j < have.len() {
        match wanted[i].cmp(&have[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += weight(wanted[i]);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
