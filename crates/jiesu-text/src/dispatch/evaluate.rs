//! Measuring a classifier: accuracy, macro-F1, per-class precision/recall/F1, and stratified
//! K-fold splits.

use serde::{Deserialize, Serialize};

use super::linear::Rng;

/// Scores of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassScore {
    pub label: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Number of true examples of the class.
    pub support: usize,
}

/// Scores of a set of predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1 over the classes present in the truth.
    pub macro_f1: f64,
    pub per_class: Vec<ClassScore>,
    pub n: usize,
}

/// Scores predictions against the truth; both index into `labels`.
pub fn evaluate(labels: &[String], truth: &[usize], predicted: &[usize]) -> Evaluation {
    let k = labels.len();
    let mut tp = vec![0usize; k];
    let mut fp = vec![0usize; k];
    let mut fn_ = vec![0usize; k];
    let mut correct = 0;
    for (&t, &p) in truth.iter().zip(predicted) {
        if t == p {
            tp[t] += 1;
            correct += 1;
        } else {
            fn_[t] += 1;
            if p < k {
                fp[p] += 1;
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let per_class: Vec<ClassScore> = (0..k)
        .map(|c| {
            let precision = ratio(tp[c], tp[c] + fp[c]);
            let recall = ratio(tp[c], tp[c] + fn_[c]);
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            ClassScore {
                label: labels[c].clone(),
                precision,
                recall,
                f1,
                support: tp[c] + fn_[c],
            }
        })
        .collect();
    let present: Vec<&ClassScore> = per_class.iter().filter(|c| c.support > 0).collect();
    let macro_f1 = if present.is_empty() {
        0.0
    } else {
        present.iter().map(|c| c.f1).sum::<f64>() / present.len() as f64
    };
    Evaluation {
        accuracy: ratio(correct, truth.len()),
        macro_f1,
        per_class,
        n: truth.len(),
    }
}

/// Assigns each example to one of `k` folds so that every class is spread evenly over the
/// folds (stratified), in a deterministic shuffled order.
pub fn stratified_folds(labels: &[usize], k: usize, seed: u64) -> Vec<usize> {
    let k = k.max(1);
    let n_classes = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (i, &l) in labels.iter().enumerate() {
        by_class[l].push(i);
    }
    let mut rng = Rng::new(seed);
    let mut folds = vec![0usize; labels.len()];
    // Continue the round-robin across classes so fold sizes stay balanced too.
    let mut next = 0usize;
    for members in &mut by_class {
        rng.shuffle(members);
        for &i in members.iter() {
            folds[i] = next % k;
            next += 1;
        }
    }
    folds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_f1_averages_classes() {
        let labels = vec!["a".to_string(), "b".to_string()];
        let e = evaluate(&labels, &[0, 0, 1, 1], &[0, 1, 1, 1]);
        assert!((e.accuracy - 0.75).abs() < 1e-9);
        // a: p=1, r=0.5, f1=2/3; b: p=2/3, r=1, f1=0.8.
        assert!((e.macro_f1 - (2.0 / 3.0 + 0.8) / 2.0).abs() < 1e-9);
        assert_eq!(e.per_class[1].support, 2);
    }

    #[test]
    fn folds_are_stratified_and_deterministic() {
        let labels: Vec<usize> = (0..100).map(|i| usize::from(i % 10 == 0)).collect();
        let folds = stratified_folds(&labels, 5, 7);
        assert_eq!(folds, stratified_folds(&labels, 5, 7));
        for f in 0..5 {
            let minority = (0..100)
                .filter(|&i| folds[i] == f && labels[i] == 1)
                .count();
            let size = folds.iter().filter(|&&g| g == f).count();
            assert_eq!(minority, 2);
            assert_eq!(size, 20);
        }
    }
}
