//! The trained model's doubt (疑虑) about an appeal: one minus its top probability. The
//! model has no category for an appeal of a category the centre just added, so it is seldom
//! sure of one; the adaptation adds the doubt to a new category's decision value (see
//! [`super::adapt`]).
//!
//! On appeals it was trained on, the model is surer than on appeals it has not seen (it
//! learned their very words), so their doubts are too small: a threshold set on them would
//! let more unseen appeals through than intended. [`history_doubts`] softens their
//! probabilities with a temperature chosen so that their mean top probability equals the
//! accuracy the model's internal cross-validation measured — the mean top probability of a
//! calibrated model on appeals it has not seen.

use rayon::prelude::*;

use super::dataset::TrainingRecord;
use super::model::DispatchModel;

/// The doubt of a suggestion's categories (best first, with their probabilities).
pub(crate) fn doubt(top: &[(String, f32)]) -> f32 {
    1.0 - top.first().map_or(0.0, |t| t.1)
}

/// The top probability of `top` (the first probabilities of a distribution over `k`
/// categories, best first; the rest shared evenly by the others) at temperature `t`.
fn tempered_top(top: &[f32], k: usize, t: f32) -> f32 {
    let Some(&first) = top.first() else {
        return 0.0;
    };
    let others = k.saturating_sub(top.len()).max(1) as f32;
    let rest = (1.0 - top.iter().sum::<f32>()).max(0.0) / others;
    let e = 1.0 / t;
    let power = |p: f32| p.max(1e-9).powf(e);
    let z = top.iter().map(|&p| power(p)).sum::<f32>() + others * power(rest);
    power(first) / z
}

/// The temperature (at least 1) at which the mean top probability of `tops` falls to
/// `target`; 1 when it is no higher already.
fn temperature(tops: &[Vec<f32>], k: usize, target: f32) -> f32 {
    let mean = |t: f32| tops.iter().map(|p| tempered_top(p, k, t)).sum::<f32>() / tops.len() as f32;
    let (mut low, mut high) = (1.0f32, 50.0f32);
    if tops.is_empty() || mean(low) <= target {
        return 1.0;
    }
    // The mean falls as the temperature rises: bisect on a log scale.
    for _ in 0..40 {
        let mid = (low * high).sqrt();
        if mean(mid) > target {
            low = mid;
        } else {
            high = mid;
        }
    }
    (low * high).sqrt()
}

/// The doubts of history records (ones the model may have been trained on), corrected as if
/// the model had not seen them; uncorrected when the model has no cross-validated accuracy.
pub(crate) fn history_doubts(model: &DispatchModel, records: &[&TrainingRecord]) -> Vec<f32> {
    let tops: Vec<Vec<f32>> = records
        .par_iter()
        .map(|r| {
            model
                .suggest(&r.title, &r.text)
                .map(|s| s.top.iter().map(|t| t.1).collect())
                .unwrap_or_default()
        })
        .collect();
    let k = model.labels().len();
    let t = model
        .meta()
        .metrics
        .as_ref()
        .map_or(1.0, |m| temperature(&tops, k, m.accuracy as f32));
    tops.iter().map(|p| 1.0 - tempered_top(p, k, t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_temperature_brings_the_mean_top_probability_to_the_target() {
        let tops = vec![
            vec![0.99, 0.005, 0.003],
            vec![0.95, 0.03, 0.01],
            vec![0.7, 0.2, 0.05],
        ];
        let t = temperature(&tops, 6, 0.8);
        assert!(t > 1.0);
        let mean = tops.iter().map(|p| tempered_top(p, 6, t)).sum::<f32>() / 3.0;
        assert!((mean - 0.8).abs() < 1e-3, "{mean}");
        // The order of the appeals by doubt is kept.
        let tempered: Vec<f32> = tops.iter().map(|p| tempered_top(p, 6, t)).collect();
        assert!(tempered[0] > tempered[1] && tempered[1] > tempered[2]);
    }

    #[test]
    fn probabilities_no_surer_than_the_target_are_left_alone() {
        let tops = vec![vec![0.6, 0.3, 0.1], vec![0.5, 0.4, 0.1]];
        assert_eq!(temperature(&tops, 3, 0.9), 1.0);
        assert!((tempered_top(&tops[0], 3, 1.0) - 0.6).abs() < 1e-5);
        assert_eq!(temperature(&[], 3, 0.9), 1.0);
    }

    #[test]
    fn the_doubt_is_one_minus_the_top_probability() {
        assert!(
            (doubt(&[("城乡建设".into(), 0.75), ("交通运输".into(), 0.2)]) - 0.25).abs() < 1e-6
        );
        assert_eq!(doubt(&[]), 1.0);
    }
}
