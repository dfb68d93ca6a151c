//! Confidence (置信度) that an appeal's first category is right, the score automatic
//! dispatch is decided on. The calibrated top-1 probability alone ranks appeals poorly at
//! the sure end; a logistic regression over more signals — the margin between the first
//! two categories, whether each stacked member picks the same category, how far each member
//! is sure of its own choice — fitted on out-of-fold predictions, ranks them better. The
//! operating curve is measured on cross-fitted confidences (each half of the out-of-fold
//! predictions scored by a regression fitted on the other half), so it is not flattered
//! by the regression having seen the very predictions it is measured on.

use serde::{Deserialize, Serialize};

use super::operating::OperatingCurve;
use super::train::argmax;

/// L2 penalty on the weights, per example.
const PENALTY: f64 = 1e-3;
const ITERATIONS: usize = 400;
/// Fewer wrong out-of-fold predictions than this teach the regression nothing about
/// mistakes (with none it would give every appeal the same score): the top-1 probability
/// is then the confidence.
const MIN_MISTAKES: usize = 10;

/// Learned confidence: a logistic regression over standardized [`signals`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfidenceModel {
    mean: Vec<f32>,
    scale: Vec<f32>,
    weights: Vec<f32>,
    bias: f32,
}

/// Top value and margin to the second of a score vector.
fn top_two(s: &[f32]) -> (f32, f32) {
    let (mut a, mut b) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
    for &v in s {
        if v > a {
            b = a;
            a = v;
        } else if v > b {
            b = v;
        }
    }
    if b.is_finite() { (a, a - b) } else { (a, 0.0) }
}

/// What the confidence is computed from, for one appeal: the log-odds of the top
/// probability, the log-ratio of the first two probabilities, then per member whether it
/// agrees with the blend's first category and its own margin.
pub fn signals(members: &[Vec<f32>], probs: &[f32]) -> Vec<f32> {
    let best = argmax(probs);
    let (p1, gap) = top_two(probs);
    let p2 = p1 - gap;
    let p1 = p1.clamp(1e-6, 1.0 - 1e-6);
    let mut out = vec![(p1 / (1.0 - p1)).ln(), (p1 / p2.max(1e-6)).ln().min(20.0)];
    for m in members {
        out.push(f32::from(u8::from(argmax(m) == best)));
        out.push(top_two(m).1.min(50.0));
    }
    out
}

impl ConfidenceModel {
    /// The probability that the first category is right, given its [`signals`].
    pub fn predict(&self, signals: &[f32]) -> f32 {
        let z: f32 = self.bias
            + signals
                .iter()
                .zip(&self.mean)
                .zip(&self.scale)
                .zip(&self.weights)
                .map(|(((x, m), s), w)| w * (x - m) / s)
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Fits the regression on signals `x` and whether the first category was right.
    pub fn fit(x: &[Vec<f32>], right: &[bool]) -> ConfidenceModel {
        let d = x.first().map_or(0, Vec::len);
        let n = x.len().max(1) as f64;
        let mut mean = vec![0f64; d];
        for row in x {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += f64::from(*v) / n;
            }
        }
        let mut var = vec![0f64; d];
        for row in x {
            for ((s, v), m) in var.iter_mut().zip(row).zip(&mean) {
                *s += (f64::from(*v) - m).powi(2) / n;
            }
        }
        let scale: Vec<f64> = var.iter().map(|v| v.sqrt().max(1e-6)).collect();
        let z: Vec<Vec<f64>> = x
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&mean)
                    .zip(&scale)
                    .map(|((v, m), s)| (f64::from(*v) - m) / s)
                    .collect()
            })
            .collect();
        // theta: weights then bias; full-batch Adam on the convex log-loss.
        let mut theta = vec![0f64; d + 1];
        let (mut m1, mut m2) = (vec![0f64; d + 1], vec![0f64; d + 1]);
        let (b1, b2, lr) = (0.9f64, 0.999f64, 0.05f64);
        for t in 1..=ITERATIONS {
            let mut grad = vec![0f64; d + 1];
            for (row, &y) in z.iter().zip(right) {
                let s = theta[d] + row.iter().zip(&theta).map(|(a, w)| a * w).sum::<f64>();
                let g = 1.0 / (1.0 + (-s).exp()) - f64::from(u8::from(y));
                for (gk, a) in grad.iter_mut().zip(row) {
                    *gk += g * a / n;
                }
                grad[d] += g / n;
            }
            for k in 0..d {
                grad[k] += 2.0 * PENALTY * theta[k];
            }
            for k in 0..=d {
                m1[k] = b1 * m1[k] + (1.0 - b1) * grad[k];
                m2[k] = b2 * m2[k] + (1.0 - b2) * grad[k] * grad[k];
                let mh = m1[k] / (1.0 - b1.powi(t as i32));
                let vh = m2[k] / (1.0 - b2.powi(t as i32));
                theta[k] -= lr * mh / (vh.sqrt() + 1e-8);
            }
        }
        ConfidenceModel {
            mean: mean.iter().map(|&v| v as f32).collect(),
            scale: scale.iter().map(|&v| v as f32).collect(),
            weights: theta[..d].iter().map(|&v| v as f32).collect(),
            bias: theta[d] as f32,
        }
    }
}

/// Fits the confidence on out-of-fold member scores `held[i][m][c]`, their blended
/// probabilities and the true classes, and measures the operating curve on cross-fitted
/// confidences. With too few mistakes to learn from, no regression: the curve is then
/// the top-1 probability's.
pub(crate) fn fit_on_held(
    held: &[Vec<Vec<f32>>],
    probs: &[Vec<f32>],
    truth: &[usize],
) -> (Option<ConfidenceModel>, OperatingCurve) {
    let x: Vec<Vec<f32>> = held.iter().zip(probs).map(|(m, p)| signals(m, p)).collect();
    let right: Vec<bool> = probs
        .iter()
        .zip(truth)
        .map(|(p, &t)| argmax(p) == t)
        .collect();
    if right.iter().filter(|r| !**r).count() < MIN_MISTAKES {
        let top: Vec<(f32, bool)> = probs
            .iter()
            .zip(&right)
            .map(|(p, &r)| (top_two(p).0, r))
            .collect();
        return (None, OperatingCurve::from_predictions(&top));
    }
    let half = |parity: usize| -> (Vec<Vec<f32>>, Vec<bool>) {
        (0..x.len())
            .filter(|i| i % 2 == parity)
            .map(|i| (x[i].clone(), right[i]))
            .unzip()
    };
    let fitted = [0, 1].map(|p| {
        let (xs, ys) = half(p);
        ConfidenceModel::fit(&xs, &ys)
    });
    let crossed: Vec<(f32, bool)> = (0..x.len())
        .map(|i| (fitted[1 - i % 2].predict(&x[i]), right[i]))
        .collect();
    (
        Some(ConfidenceModel::fit(&x, &right)),
        OperatingCurve::from_predictions(&crossed),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_raises_confidence() {
        // Right exactly when both members agree.
        let x: Vec<Vec<f32>> = (0..200)
            .map(|i| {
                let agree = f32::from(u8::from(i % 3 != 0));
                vec![1.0, 1.0, 1.0, 2.0, agree, 1.0]
            })
            .collect();
        let right: Vec<bool> = (0..200).map(|i| i % 3 != 0).collect();
        let c = ConfidenceModel::fit(&x, &right);
        assert!(c.predict(&x[1]) > 0.9, "{}", c.predict(&x[1]));
        assert!(c.predict(&x[0]) < 0.1, "{}", c.predict(&x[0]));
    }

    #[test]
    fn without_mistakes_the_top_probability_is_the_confidence() {
        let held = vec![vec![vec![1.0, 0.0], vec![-0.1, -2.0]]; 40];
        let probs = vec![vec![0.9, 0.1]; 40];
        let (model, curve) = fit_on_held(&held, &probs, &[0; 40]);
        assert!(model.is_none());
        assert_eq!(curve.threshold_for(0.99), Some(0.9));
    }

    #[test]
    fn signals_name_agreement_and_margins() {
        let members = vec![vec![2.0, 0.5, 0.0], vec![-0.1, -2.0, -3.0]];
        let s = signals(&members, &[0.7, 0.2, 0.1]);
        assert_eq!(s.len(), 6);
        assert_eq!(s[2], 1.0);
        assert!((s[3] - 1.5).abs() < 1e-6);
        assert!((s[1] - (3.5f32).ln()).abs() < 1e-5);
    }
}
