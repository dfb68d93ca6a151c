//! Stacking of the first-level classifiers: the final logit of a class is a weighted sum of
//! the members' scores for it plus a class bias, with the weights and biases learned by
//! minimizing the log-loss on held-out (internal cross-validation) scores. This both blends
//! the members and calibrates the probabilities.

use serde::{Deserialize, Serialize};

/// Learned blend of member scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stacker {
    /// Weight of each member's scores.
    pub member_weights: Vec<f32>,
    /// Added to each class's logit.
    pub class_bias: Vec<f32>,
}

/// L2 penalty on the class biases (per example), keeping them from chasing fold noise.
const BIAS_PENALTY: f64 = 1e-3;
const ITERATIONS: usize = 300;

impl Stacker {
    /// A blend with the given member weights and no class bias.
    pub fn fixed(member_weights: Vec<f32>, n_classes: usize) -> Stacker {
        Stacker {
            member_weights,
            class_bias: vec![0.0; n_classes],
        }
    }

    /// Final logits of one appeal; `members[m]` holds member `m`'s score of every class.
    pub fn logits(&self, members: &[Vec<f32>]) -> Vec<f32> {
        let mut out = self.class_bias.clone();
        for (s, &w) in members.iter().zip(&self.member_weights) {
            for (o, v) in out.iter_mut().zip(s) {
                *o += w * v;
            }
        }
        out
    }

    /// Fits the weights and biases on held-out member scores `held[i][m][c]` with true
    /// classes `truth`, starting from `start` (full-batch gradient descent with Adam steps on
    /// the convex log-loss).
    pub fn fit(held: &[Vec<Vec<f32>>], truth: &[usize], start: Stacker) -> Stacker {
        let n_members = start.member_weights.len();
        let n_classes = start.class_bias.len();
        let mut theta: Vec<f64> = start
            .member_weights
            .iter()
            .chain(&start.class_bias)
            .map(|&v| f64::from(v))
            .collect();
        let n = held.len().max(1) as f64;
        let (mut m, mut v) = (vec![0f64; theta.len()], vec![0f64; theta.len()]);
        let (b1, b2, lr) = (0.9f64, 0.999f64, 0.05f64);
        for t in 1..=ITERATIONS {
            let mut grad = vec![0f64; theta.len()];
            for (x, &y) in held.iter().zip(truth) {
                let mut z: Vec<f64> = theta[n_members..].to_vec();
                for (s, &w) in x.iter().zip(&theta[..n_members]) {
                    for (z, &v) in z.iter_mut().zip(s) {
                        *z += w * f64::from(v);
                    }
                }
                let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
                for (c, zc) in z.iter().enumerate() {
                    let g = (zc - max).exp() / sum - if c == y { 1.0 } else { 0.0 };
                    for (k, s) in x.iter().enumerate() {
                        grad[k] += g * f64::from(s[c]) / n;
                    }
                    grad[n_members + c] += g / n;
                }
            }
            for c in 0..n_classes {
                grad[n_members + c] += 2.0 * BIAS_PENALTY * theta[n_members + c];
            }
            for k in 0..theta.len() {
                m[k] = b1 * m[k] + (1.0 - b1) * grad[k];
                v[k] = b2 * v[k] + (1.0 - b2) * grad[k] * grad[k];
                let mh = m[k] / (1.0 - b1.powi(t as i32));
                let vh = v[k] / (1.0 - b2.powi(t as i32));
                theta[k] -= lr * mh / (vh.sqrt() + 1e-8);
            }
        }
        Stacker {
            member_weights: theta[..n_members].iter().map(|&v| v as f32).collect(),
            class_bias: theta[n_members..].iter().map(|&v| v as f32).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_informative_member_gets_the_weight() {
        // Member 0 always points at the truth; member 1 is noise.
        let truth: Vec<usize> = (0..60).map(|i| i % 3).collect();
        let held: Vec<Vec<Vec<f32>>> = truth
            .iter()
            .enumerate()
            .map(|(i, &y)| {
                let good: Vec<f32> = (0..3).map(|c| if c == y { 1.0 } else { 0.0 }).collect();
                let noise: Vec<f32> = (0..3)
                    .map(|c| if c == (i / 3) % 3 { 1.0 } else { 0.0 })
                    .collect();
                vec![good, noise]
            })
            .collect();
        let s = Stacker::fit(&held, &truth, Stacker::fixed(vec![1.0, 1.0], 3));
        assert!(
            s.member_weights[0] > 2.0 * s.member_weights[1].abs(),
            "{s:?}"
        );
        let l = s.logits(&held[4]);
        assert_eq!(crate::dispatch::train::argmax(&l), truth[4]);
    }
}
