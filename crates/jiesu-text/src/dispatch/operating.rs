//! The operating curve (运行曲线) of automatic dispatch: for every confidence threshold, the
//! share of appeals whose confidence reaches it (dispatched on their own) and the precision
//! of the first category among them. Built from out-of-fold predictions — confidences the
//! model gave to appeals it had not been trained on — so an admin's target precision can be
//! turned into a threshold without a separate test set.

use serde::{Deserialize, Serialize};

/// How many points a curve keeps at most (about one per half percent of the appeals).
const MAX_POINTS: usize = 200;

/// One point of the curve: dispatching every appeal whose confidence is at least
/// `threshold` sends `share` of them on their own, with `precision` of those right.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OperatingPoint {
    pub threshold: f32,
    pub share: f64,
    pub precision: f64,
}

/// The curve, thresholds falling (share rising) along it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OperatingCurve {
    pub points: Vec<OperatingPoint>,
    /// Predictions the curve was measured on.
    pub n: usize,
}

impl OperatingCurve {
    /// The curve of `(confidence, correct)` predictions. Appeals of equal confidence fall on
    /// the same side of every threshold, so a point never splits them.
    pub fn from_predictions(predictions: &[(f32, bool)]) -> OperatingCurve {
        let mut sorted: Vec<(f32, bool)> = predictions
            .iter()
            .copied()
            .filter(|(c, _)| c.is_finite())
            .collect();
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
        let n = sorted.len();
        let step = n.div_ceil(MAX_POINTS).max(1);
        let mut points = Vec::new();
        let mut correct = 0usize;
        let mut next = step;
        for (k, &(confidence, right)) in sorted.iter().enumerate() {
            correct += usize::from(right);
            let taken = k + 1;
            let tie_follows = sorted.get(taken).is_some_and(|(c, _)| *c == confidence);
            if (taken >= next || taken == n) && !tie_follows {
                points.push(OperatingPoint {
                    threshold: confidence,
                    share: taken as f64 / n as f64,
                    precision: correct as f64 / taken as f64,
                });
                next = taken + step;
            }
        }
        OperatingCurve { points, n }
    }

    /// The lowest threshold whose appeals reach `precision`: the point sending the largest
    /// share on its own at that precision; `None` when no point reaches it.
    pub fn point_for(&self, precision: f64) -> Option<OperatingPoint> {
        self.points
            .iter()
            .filter(|p| p.precision >= precision)
            .max_by(|a, b| a.share.total_cmp(&b.share))
            .copied()
    }

    /// The threshold for a target precision (see [`OperatingCurve::point_for`]).
    pub fn threshold_for(&self, precision: f64) -> Option<f32> {
        self.point_for(precision).map(|p| p.threshold)
    }
}

/// What dispatching above a threshold did on labelled appeals: the share dispatched on
/// their own and their precision (1 when none was).
pub fn measure_at(predictions: &[(f32, bool)], threshold: f32) -> (f64, f64) {
    let taken: Vec<bool> = predictions
        .iter()
        .filter(|(c, _)| *c >= threshold)
        .map(|&(_, right)| right)
        .collect();
    let share = taken.len() as f64 / predictions.len().max(1) as f64;
    let precision = if taken.is_empty() {
        1.0
    } else {
        taken.iter().filter(|&&r| r).count() as f64 / taken.len() as f64
    };
    (share, precision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_keeps_the_target_precision() {
        // 90 sure and right, then 10 unsure of which half are wrong.
        let mut p: Vec<(f32, bool)> = (0..90).map(|i| (0.99 - i as f32 * 0.001, true)).collect();
        p.extend((0..10).map(|i| (0.5 - i as f32 * 0.01, i % 2 == 0)));
        let curve = OperatingCurve::from_predictions(&p);
        assert_eq!(curve.n, 100);
        let point = curve.point_for(0.98).unwrap();
        assert!(point.share >= 0.9 && point.precision >= 0.98, "{point:?}");
        let (share, precision) = measure_at(&p, point.threshold);
        assert!((share - point.share).abs() < 1e-9 && precision >= 0.98);
        assert!(curve.point_for(1.01).is_none());
    }

    #[test]
    fn ties_are_never_split() {
        let p = vec![(0.9, true), (0.9, false), (0.9, true), (0.2, false)];
        let curve = OperatingCurve::from_predictions(&p);
        assert!(
            curve
                .points
                .iter()
                .all(|q| q.share != 0.25 && q.share != 0.5)
        );
    }
}
