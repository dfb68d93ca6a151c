//! Nearest-neighbour votes: the categories of the most similar past appeals (cosine of the
//! TF-IDF vectors), added to the linear scores. Catches repeated and near-duplicate appeals
//! that a linear model can smooth away.

use serde::{Deserialize, Serialize};

use super::features::SparseVec;

/// Training vectors with an inverted index over their features.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct KnnIndex {
    n_classes: usize,
    labels: Vec<u16>,
    k: usize,
    /// Exponent on similarities in the vote.
    power: f32,
    /// Posting list start per feature (length n_features + 1), then (doc, value) pairs.
    offsets: Vec<u32>,
    docs: Vec<u32>,
    values: Vec<f32>,
}

impl KnnIndex {
    /// Indexes `rows` (L2-normalized per block) keeping only features present in at most
    /// `max_df` documents: very common features cost time and say little about similarity.
    pub fn build(
        rows: &[SparseVec],
        labels: &[usize],
        n_classes: usize,
        n_features: usize,
        k: usize,
        power: f32,
        max_df: usize,
    ) -> KnnIndex {
        let mut df = vec![0u32; n_features];
        for r in rows {
            for &(f, _) in r {
                df[f as usize] += 1;
            }
        }
        let keep = |f: u32| (df[f as usize] as usize) <= max_df && df[f as usize] >= 2;
        let mut offsets = vec![0u32; n_features + 1];
        for r in rows {
            for &(f, _) in r {
                if keep(f) {
                    offsets[f as usize + 1] += 1;
                }
            }
        }
        for f in 0..n_features {
            offsets[f + 1] += offsets[f];
        }
        let total = offsets[n_features] as usize;
        let mut docs = vec![0u32; total];
        let mut values = vec![0f32; total];
        let mut fill = offsets.clone();
        for (d, r) in rows.iter().enumerate() {
            let norm: f32 = r
                .iter()
                .filter(|&&(f, _)| keep(f))
                .map(|&(_, v)| v * v)
                .sum::<f32>()
                .sqrt();
            if norm == 0.0 {
                continue;
            }
            for &(f, v) in r {
                if keep(f) {
                    let at = fill[f as usize] as usize;
                    docs[at] = d as u32;
                    values[at] = v / norm;
                    fill[f as usize] += 1;
                }
            }
        }
        KnnIndex {
            n_classes,
            labels: labels.iter().map(|&l| l as u16).collect(),
            k,
            power,
            offsets,
            docs,
            values,
        }
    }

    /// Similarity-weighted votes of the `k` nearest training appeals, per class (sum ≤ 1
    /// times the best similarity).
    pub fn votes(&self, x: &[(u32, f32)]) -> Vec<f32> {
        let mut votes = vec![0f32; self.n_classes];
        let n_docs = self.labels.len();
        let mut sims = vec![0f32; n_docs];
        let mut touched: Vec<u32> = Vec::new();
        let n_features = self.offsets.len().saturating_sub(1);
        let mut norm = 0f32;
        for &(f, v) in x {
            let f = f as usize;
            if f >= n_features {
                continue;
            }
            let (a, b) = (self.offsets[f] as usize, self.offsets[f + 1] as usize);
            if a == b {
                continue;
            }
            norm += v * v;
            for (&d, &w) in self.docs[a..b].iter().zip(&self.values[a..b]) {
                let s = &mut sims[d as usize];
                if *s == 0.0 {
                    touched.push(d);
                }
                *s += v * w;
            }
        }
        if norm == 0.0 || touched.is_empty() {
            return votes;
        }
        let norm = norm.sqrt();
        let k = self.k.min(touched.len());
        if k < touched.len() {
            touched.select_nth_unstable_by(k, |&a, &b| sims[b as usize].total_cmp(&sims[a as usize]));
        }
        for &d in &touched[..k] {
            let s = (sims[d as usize] / norm).max(0.0);
            votes[self.labels[d as usize] as usize] += s.powf(self.power) / k as f32;
        }
        votes
    }
}
