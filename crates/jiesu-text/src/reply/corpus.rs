//! The appeals a reply is judged among (诉求语料): how many of them hold each character
//! bigram and trigram, so that an estate's or a road's name shared by an appeal and its reply
//! counts for more than 问题 or 小区. Derived at run time from whatever appeals are at hand
//! (a CSV file, the store's recent appeals); nothing learned is kept in the code.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::grams::{chars, distinct, grams};

/// Hashes an n-gram key with one multiplication (as rustc's FxHash does): the keys are
/// character codes, not chosen by an adversary, and every reply looks up about a thousand.
#[derive(Debug, Clone, Copy, Default)]
struct GramHasher(u64);

impl Hasher for GramHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// How many documents hold each n-gram.
type Frequencies = HashMap<u64, u32, BuildHasherDefault<GramHasher>>;

/// Document frequencies of character bigrams and trigrams over a set of appeals.
#[derive(Debug, Clone, Default)]
pub struct AppealCorpus {
    documents: u32,
    bigrams: Frequencies,
    trigrams: Frequencies,
}

impl AppealCorpus {
    /// The frequencies over `appeals` (each an appeal's title and text together), counted
    /// on every core.
    pub fn build<'a>(appeals: impl IntoIterator<Item = &'a str>) -> Self {
        let appeals: Vec<&str> = appeals.into_iter().collect();
        appeals
            .par_iter()
            .fold(Self::default, |mut corpus, appeal| {
                corpus.add(appeal);
                corpus
            })
            .reduce(Self::default, Self::merged)
    }

    /// Two corpora's counts together.
    fn merged(self, other: Self) -> Self {
        let (mut big, small) = if self.bigrams.len() >= other.bigrams.len() {
            (self, other)
        } else {
            (other, self)
        };
        big.documents += small.documents;
        for (key, n) in small.bigrams {
            *big.bigrams.entry(key).or_default() += n;
        }
        for (key, n) in small.trigrams {
            *big.trigrams.entry(key).or_default() += n;
        }
        big
    }

    /// Counts one more appeal.
    pub fn add(&mut self, appeal: &str) {
        let chars = chars(appeal);
        self.documents += 1;
        for key in distinct(&chars, 2) {
            *self.bigrams.entry(key).or_default() += 1;
        }
        for key in distinct(&chars, 3) {
            *self.trigrams.entry(key).or_default() += 1;
        }
    }

    /// How many appeals were counted.
    pub fn len(&self) -> usize {
        self.documents as usize
    }

    /// True when no appeal was counted.
    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// The rarity of a bigram: `ln((N+1)/(df+1))`, zero for one every appeal holds.
    pub(crate) fn bigram_rarity(&self, key: u64) -> f64 {
        self.rarity(self.bigrams.get(&key))
    }

    /// The rarity of a trigram, as for bigrams.
    pub(crate) fn trigram_rarity(&self, key: u64) -> f64 {
        self.rarity(self.trigrams.get(&key))
    }

    fn rarity(&self, df: Option<&u32>) -> f64 {
        let n = f64::from(self.documents) + 1.0;
        let df = f64::from(df.copied().unwrap_or(0)) + 1.0;
        (n / df).ln().max(0.0)
    }

    /// The unit-length TF-IDF vector of a text's bigrams (sublinear term frequency, smoothed
    /// IDF), sorted by key.
    pub(crate) fn tfidf(&self, chars: &[char]) -> Vec<(u64, f64)> {
        let mut keys: Vec<u64> = grams(chars, 2).collect();
        keys.sort_unstable();
        let mut vector: Vec<(u64, f64)> = Vec::with_capacity(keys.len());
        for key in keys {
            match vector.last_mut() {
                Some((last, count)) if *last == key => *count += 1.0,
                _ => vector.push((key, 1.0)),
            }
        }
        for (key, weight) in &mut vector {
            *weight = (1.0 + weight.ln()) * (self.bigram_rarity(*key) + 1.0);
        }
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        vector
    }
}

/// The cosine of two unit vectors sorted by key.
pub(crate) fn cosine(a: &[(u64, f64)], b: &[(u64, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
