//! What `jiesu bench dispatch` measures for automatic dispatch (自动派单): top-3 accuracy,
//! and at each target precision the share of appeals dispatched on their own and the
//! precision they then have — the threshold chosen on the training file's out-of-fold
//! predictions, the share and precision measured on appeals the model had not seen.

use jiesu_text::dispatch::{
    DispatchModel, OperatingCurve, TrainOptions, TrainingRecord, stratified_folds, train,
};

/// Target precisions the benchmark reports.
pub const TARGETS: [f64; 4] = [0.95, 0.97, 0.98, 0.99];

/// What one model said about one appeal.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Up to three first-level categories, best first.
    pub top: Vec<String>,
    pub confidence: f32,
}

impl Scored {
    pub fn of(model: &DispatchModel, record: &TrainingRecord) -> Scored {
        match model.suggest(&record.title, &record.text) {
            Ok(s) => Scored {
                top: s.top.into_iter().map(|t| t.0).collect(),
                confidence: s.confidence,
            },
            Err(_) => Scored {
                top: Vec::new(),
                confidence: 0.0,
            },
        }
    }

    pub fn first(&self) -> &str {
        self.top.first().map_or("", String::as_str)
    }
}

/// Thresholds of [`TARGETS`] from a curve; `None` where the curve never reaches the target
/// (nothing is then dispatched on its own).
pub fn thresholds(curve: Option<&OperatingCurve>) -> [Option<f32>; 4] {
    TARGETS.map(|t| curve.and_then(|c| c.threshold_for(t)))
}

/// The operating curve of a model trained with `options`, from `folds`-fold out-of-fold
/// predictions on `records` (for models that do not measure their own, like the baseline).
pub fn out_of_fold_curve(
    records: &[TrainingRecord],
    options: &TrainOptions,
    folds: usize,
    first_level: impl Fn(&TrainingRecord) -> String,
) -> OperatingCurve {
    let mut labels: Vec<String> = Vec::new();
    let y: Vec<usize> = records
        .iter()
        .map(|r| {
            let l = first_level(r);
            labels.iter().position(|x| *x == l).unwrap_or_else(|| {
                labels.push(l);
                labels.len() - 1
            })
        })
        .collect();
    let fold_of = stratified_folds(&y, folds, 20201);
    let mut predictions = Vec::with_capacity(records.len());
    for f in 0..folds {
        let fit: Vec<TrainingRecord> = records
            .iter()
            .zip(&fold_of)
            .filter(|&(_, &g)| g != f)
            .map(|(r, _)| r.clone())
            .collect();
        let Ok(model) = train(&fit, options, |_, _| {}) else {
            continue;
        };
        for (r, _) in records.iter().zip(&fold_of).filter(|&(_, &g)| g == f) {
            let s = Scored::of(&model, r);
            predictions.push((s.confidence, s.first() == first_level(r)));
        }
    }
    OperatingCurve::from_predictions(&predictions)
}

/// Top-3 and automatic-dispatch counts of one side (ours or the baseline).
#[derive(Debug, Default, Clone)]
pub struct AutoTally {
    n: usize,
    top3: usize,
    auto: [usize; 4],
    auto_right: [usize; 4],
}

impl AutoTally {
    /// Counts one prediction against the truth, dispatched on its own at each target whose
    /// threshold its confidence reaches.
    pub fn add(&mut self, truth: &str, scored: &Scored, thresholds: &[Option<f32>; 4]) {
        self.n += 1;
        self.top3 += usize::from(scored.top.iter().take(3).any(|t| t == truth));
        for (i, threshold) in thresholds.iter().enumerate() {
            if threshold.is_some_and(|t| scored.confidence >= t) {
                self.auto[i] += 1;
                self.auto_right[i] += usize::from(scored.first() == truth);
            }
        }
    }

    pub fn top3(&self) -> f64 {
        self.top3 as f64 / self.n.max(1) as f64
    }

    /// Share dispatched on their own at target `i` and their precision (1 when none was).
    pub fn auto_at(&self, i: usize) -> (f64, f64) {
        let share = self.auto[i] as f64 / self.n.max(1) as f64;
        let precision = if self.auto[i] == 0 {
            1.0
        } else {
            self.auto_right[i] as f64 / self.auto[i] as f64
        };
        (share, precision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_top3_and_auto() {
        let mut t = AutoTally::default();
        let sure = Scored {
            top: vec!["甲".into(), "乙".into()],
            confidence: 0.99,
        };
        let unsure = Scored {
            top: vec!["乙".into(), "丙".into(), "甲".into()],
            confidence: 0.4,
        };
        let th = [Some(0.5), Some(0.9), None, Some(0.995)];
        t.add("甲", &sure, &th);
        t.add("甲", &unsure, &th);
        assert_eq!(t.top3(), 1.0);
        assert_eq!(t.auto_at(0), (0.5, 1.0));
        assert_eq!(t.auto_at(2), (0.0, 1.0));
        assert_eq!(t.auto_at(3), (0.0, 1.0));
    }
}
