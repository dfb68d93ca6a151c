//! Measuring relevance on a swapped set (错配检验): each appeal beside its own reply and beside
//! the reply of its most similar other appeal; a good relevance score ranks the first above
//! the second. Pairs whose two replies are near-identical (one template for both) are left
//! out: no reader could tell them apart.

use rayon::prelude::*;

use super::corpus::{AppealCorpus, cosine};
use super::grams::chars;
use super::reader::ReplyRow;

/// Replies more alike than this (TF-IDF cosine) count as near-identical.
const NEAR_IDENTICAL: f64 = 0.8;

/// One appeal beside a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwapPair {
    /// The row of the appeal.
    pub appeal: usize,
    /// The row whose reply is put beside it.
    pub reply: usize,
}

impl SwapPair {
    /// True for the appeal's own reply.
    pub fn genuine(&self) -> bool {
        self.appeal == self.reply
    }
}

/// For every row, its genuine pair and its swapped pair (the reply of the row whose appeal is
/// most similar by TF-IDF cosine), unless the two replies are near-identical.
pub fn swapped_pairs(rows: &[ReplyRow], corpus: &AppealCorpus) -> Vec<SwapPair> {
    let appeals: Vec<Vec<(u64, f64)>> = rows
        .par_iter()
        .map(|r| corpus.tfidf(&chars(&format!("{}\n{}", r.title, r.text))))
        .collect();
    let replies: Vec<Vec<(u64, f64)>> = rows
        .par_iter()
        .map(|r| corpus.tfidf(&chars(&r.reply)))
        .collect();
    let mut postings: std::collections::HashMap<u64, Vec<(usize, f64)>> =
        std::collections::HashMap::new();
    for (doc, vector) in appeals.iter().enumerate() {
        for (key, weight) in vector {
            postings.entry(*key).or_default().push((doc, *weight));
        }
    }
    // Bigrams in more than a tenth of the appeals barely move the ranking; skipping them
    // keeps the search linear in practice.
    let common = (rows.len() / 10).max(50);
    let nearest: Vec<Option<usize>> = appeals
        .par_iter()
        .enumerate()
        .map(|(doc, vector)| {
            let mut scores = vec![0.0f64; rows.len()];
            for (key, weight) in vector {
                let list = &postings[key];
                if list.len() > common {
                    continue;
                }
                for (other, w) in list {
                    scores[*other] += weight * w;
                }
            }
            scores[doc] = f64::NEG_INFINITY;
            scores
                .iter()
                .enumerate()
                .filter(|(_, s)| **s > 0.0)
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(other, _)| other)
        })
        .collect();
    let mut pairs = Vec::new();
    for (doc, other) in nearest.into_iter().enumerate() {
        let Some(other) = other else { continue };
        if cosine(&replies[doc], &replies[other]) > NEAR_IDENTICAL {
            continue;
        }
        pairs.push(SwapPair {
            appeal: doc,
            reply: doc,
        });
        pairs.push(SwapPair {
            appeal: doc,
            reply: other,
        });
    }
    pairs
}

/// The area under the ROC curve of `scores` for telling `true` from `false` (ties count
/// half); 0.5 when either class is empty.
pub fn roc_auc(scores: &[(f64, bool)]) -> f64 {
    let mut sorted: Vec<(f64, bool)> = scores.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = sorted.iter().filter(|s| s.1).count() as f64;
    let negatives = sorted.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return 0.5;
    }
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let mid_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += mid_rank * sorted[i..j].iter().filter(|s| s.1).count() as f64;
        i = j;
    }
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}
