//! One-vs-rest linear classifiers trained by dual coordinate descent (the L2-regularized,
//! squared-hinge SVM of Hsieh et al. 2008, as in LIBLINEAR), with class-balanced costs.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::features::SparseVec;

/// Rows of sparse vectors, in compressed-row form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
    pub n_cols: usize,
}

impl Csr {
    pub fn from_rows(rows: &[SparseVec], n_cols: usize) -> Csr {
        let mut m = Csr {
            indptr: Vec::with_capacity(rows.len() + 1),
            n_cols,
            ..Csr::default()
        };
        m.indptr.push(0);
        for row in rows {
            for &(i, v) in row {
                m.indices.push(i);
                m.values.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }

    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[r], self.indptr[r + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }
}

/// How a linear classifier is trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SvmParams {
    /// Cost of a margin violation (inverse regularization strength).
    pub c: f32,
    /// Weigh each class's errors by `n / (k * n_class)` so small categories count as much.
    pub class_balanced: bool,
    /// Value of the constant feature that carries the bias.
    pub bias: f32,
    /// Passes over the data, at most.
    pub max_iter: usize,
    /// Stop when the projected-gradient spread falls below this.
    pub eps: f32,
}

impl Default for SvmParams {
    fn default() -> Self {
        SvmParams {
            c: 0.2,
            class_balanced: true,
            bias: 1.0,
            max_iter: 60,
            eps: 0.1,
        }
    }
}

/// Small deterministic PRNG (SplitMix64) for shuffles and fold assignment.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        super::features::mix(self.0)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Trains one binary squared-hinge SVM; `y[i]` is true for the positive class. Returns the
/// weights (length `n_cols`) and the bias.
pub(crate) fn train_binary(
    x: &Csr,
    y: &[bool],
    cost_pos: f32,
    cost_neg: f32,
    params: &SvmParams,
    seed: u64,
) -> (Vec<f32>, f32) {
    let n = x.n_rows();
    let mut w = vec![0f32; x.n_cols];
    let mut b = 0f32;
    let bias2 = params.bias * params.bias;
    let mut alpha = vec![0f32; n];
    let diag: Vec<f32> = (0..n)
        .map(|i| 0.5 / if y[i] { cost_pos } else { cost_neg })
        .collect();
    let qd: Vec<f32> = (0..n)
        .map(|i| {
            let (_, vals) = x.row(i);
            vals.iter().map(|v| v * v).sum::<f32>() + bias2 + diag[i]
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Rng::new(seed);
    let mut active = n;
    let mut pg_max_old = f32::INFINITY;
    for _ in 0..params.max_iter {
        rng.shuffle(&mut order[..active]);
        let mut pg_max = f32::NEG_INFINITY;
        let mut pg_min = f32::INFINITY;
        let mut s = 0;
        while s < active {
            let i = order[s];
            let yi = if y[i] { 1.0 } else { -1.0 };
            let (idx, vals) = x.row(i);
            let mut dot = b * params.bias;
            for (&j, &v) in idx.iter().zip(vals) {
                dot += w[j as usize] * v;
            }
            let g = yi * dot - 1.0 + diag[i] * alpha[i];
            let mut pg = 0.0;
            if alpha[i] == 0.0 {
                if g > pg_max_old {
                    // Shrinking: this variable is at its bound and likely stays there.
                    active -= 1;
                    order.swap(s, active);
                    continue;
                } else if g < 0.0 {
                    pg = g;
                }
            } else {
                pg = g;
            }
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (alpha[i] - g / qd[i]).max(0.0);
                let d = (alpha[i] - old) * yi;
                for (&j, &v) in idx.iter().zip(vals) {
                    w[j as usize] += d * v;
                }
                b += d * params.bias;
            }
            s += 1;
        }
        if pg_max - pg_min <= params.eps {
            if active == n {
                break;
            }
            // Converged on the active set: check all variables once more.
            active = n;
            pg_max_old = f32::INFINITY;
            continue;
        }
        pg_max_old = if pg_max <= 0.0 { f32::INFINITY } else { pg_max };
    }
    (w, b * params.bias)
}

/// A one-vs-rest linear classifier over `n_features` features.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinearOvr {
    pub n_classes: usize,
    pub n_features: usize,
    /// Feature-major weights: `weights[f * n_classes + c]`.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

impl LinearOvr {
    /// Trains one binary SVM per class (in parallel). `labels[i] < n_classes`.
    pub(crate) fn train(
        x: &Csr,
        labels: &[usize],
        n_classes: usize,
        params: &SvmParams,
        seed: u64,
    ) -> LinearOvr {
        LinearOvr::train_with(x, labels, n_classes, params, seed, |_, m| m.clone())
    }

    /// Like [`LinearOvr::train`], with the data of class `c` given by `view(c, x)`.
    fn train_with(
        x: &Csr,
        labels: &[usize],
        n_classes: usize,
        params: &SvmParams,
        seed: u64,
        view: impl Fn(usize, &Csr) -> Csr + Sync,
    ) -> LinearOvr {
        let n = labels.len() as f32;
        let mut counts = vec![0usize; n_classes];
        for &l in labels {
            counts[l] += 1;
        }
        let per_class: Vec<(Vec<f32>, f32)> = (0..n_classes)
            .into_par_iter()
            .map(|c| {
                let y: Vec<bool> = labels.iter().map(|&l| l == c).collect();
                let (cp, cn) = if params.class_balanced && counts[c] > 0 {
                    let pos = counts[c] as f32;
                    // Balanced weights of the binary problem: n / (2 * n_side).
                    (
                        params.c * n / (2.0 * pos),
                        params.c * n / (2.0 * (n - pos).max(1.0)),
                    )
                } else {
                    (params.c, params.c)
                };
                let xc = view(c, x);
                train_binary(&xc, &y, cp, cn, params, seed.wrapping_add(c as u64))
            })
            .collect();
        let mut weights = vec![0f32; x.n_cols * n_classes];
        let mut bias = vec![0f32; n_classes];
        for (c, (w, b)) in per_class.into_iter().enumerate() {
            for (f, v) in w.into_iter().enumerate() {
                weights[f * n_classes + c] = v;
            }
            bias[c] = b;
        }
        LinearOvr {
            n_classes,
            n_features: x.n_cols,
            weights,
            bias,
        }
    }

    /// One-vs-rest NB-SVM (Wang & Manning 2012): each class's SVM is trained on features
    /// scaled by their naive-Bayes log-count ratio for that class; the ratios are folded
    /// into the returned weights, so prediction costs the same as a plain linear model.
    pub(crate) fn train_nb(
        x: &Csr,
        labels: &[usize],
        n_classes: usize,
        params: &SvmParams,
        alpha: f32,
        seed: u64,
    ) -> LinearOvr {
        // Binarized feature counts per class.
        let mut counts = vec![0f32; x.n_cols * n_classes];
        let mut totals = vec![0f32; n_classes];
        for (r, &l) in labels.iter().enumerate() {
            let (idx, _) = x.row(r);
            for &j in idx {
                counts[j as usize * n_classes + l] += 1.0;
                totals[l] += 1.0;
            }
        }
        let all_total: f32 = totals.iter().sum();
        let ratios: Vec<Vec<f32>> = (0..n_classes)
            .map(|c| {
                let p_norm = totals[c] + alpha * x.n_cols as f32;
                let q_norm = all_total - totals[c] + alpha * x.n_cols as f32;
                (0..x.n_cols)
                    .map(|j| {
                        let row = &counts[j * n_classes..(j + 1) * n_classes];
                        let p = row[c] + alpha;
                        let q = row.iter().sum::<f32>() - row[c] + alpha;
                        ((p / p_norm) / (q / q_norm)).ln()
                    })
                    .collect()
            })
            .collect();
        let mut model = LinearOvr::train_with(x, labels, n_classes, params, seed, |c, m| {
            let r = &ratios[c];
            let mut scaled = m.clone();
            for (v, &j) in scaled.values.iter_mut().zip(&m.indices) {
                *v *= r[j as usize];
            }
            scaled
        });
        for f in 0..x.n_cols {
            for (c, r) in ratios.iter().enumerate() {
                model.weights[f * n_classes + c] *= r[f];
            }
        }
        model
    }

    /// `a * self + b * other` (scores combine the same way).
    pub(crate) fn blend(&self, a: f32, other: &LinearOvr, b: f32) -> LinearOvr {
        LinearOvr {
            n_classes: self.n_classes,
            n_features: self.n_features,
            weights: self
                .weights
                .iter()
                .zip(&other.weights)
                .map(|(x, y)| a * x + b * y)
                .collect(),
            bias: self
                .bias
                .iter()
                .zip(&other.bias)
                .map(|(x, y)| a * x + b * y)
                .collect(),
        }
    }

    /// Decision values of every class for a sparse vector.
    pub fn scores(&self, x: &[(u32, f32)]) -> Vec<f32> {
        let mut s = self.bias.clone();
        for &(f, v) in x {
            let f = f as usize;
            if f < self.n_features {
                let row = &self.weights[f * self.n_classes..(f + 1) * self.n_classes];
                for (acc, w) in s.iter_mut().zip(row) {
                    *acc += w * v;
                }
            }
        }
        s
    }

    /// Weight of feature `f` for class `c`.
    pub fn weight(&self, f: u32, c: usize) -> f32 {
        self.weights
            .get(f as usize * self.n_classes + c)
            .copied()
            .unwrap_or(0.0)
    }
}

/// A linear classifier over a subset of the global features (for the lower levels of the
/// category tree and the responsible body, trained on the records of one branch only).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalLinear {
    /// Sorted global feature indices; position = local index.
    features: Vec<u32>,
    model: LinearOvr,
}

impl LocalLinear {
    pub(crate) fn train(
        rows: &[&SparseVec],
        labels: &[usize],
        n_classes: usize,
        params: &SvmParams,
        seed: u64,
    ) -> LocalLinear {
        let mut features: Vec<u32> = rows
            .iter()
            .flat_map(|r| r.iter().map(|&(i, _)| i))
            .collect();
        features.sort_unstable();
        features.dedup();
        let local: Vec<SparseVec> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&(i, v)| (features.binary_search(&i).unwrap_or(0) as u32, v))
                    .collect()
            })
            .collect();
        let x = Csr::from_rows(&local, features.len());
        let model = LinearOvr::train(&x, labels, n_classes, params, seed);
        LocalLinear { features, model }
    }

    pub fn scores(&self, x: &[(u32, f32)]) -> Vec<f32> {
        let local: SparseVec = x
            .iter()
            .filter_map(|&(i, v)| {
                self.features
                    .binary_search(&i)
                    .ok()
                    .map(|li| (li as u32, v))
            })
            .collect();
        self.model.scores(&local)
    }
}

/// Softmax of `scores / temperature`.
pub(crate) fn softmax(scores: &[f32], temperature: f32) -> Vec<f32> {
    let t = temperature.max(1e-3);
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = scores.iter().map(|s| ((s - max) / t).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// The temperature that minimizes the log-loss of softmax probabilities on held-out scores
/// (temperature scaling, a one-parameter calibration).
pub(crate) fn fit_temperature(scores: &[Vec<f32>], truth: &[usize]) -> f32 {
    let nll = |t: f32| -> f64 {
        scores
            .iter()
            .zip(truth)
            .map(|(s, &y)| -(f64::from(softmax(s, t)[y]).max(1e-12)).ln())
            .sum()
    };
    // Golden-section search on ln(t) over [ln 0.01, ln 10].
    let (mut a, mut b) = ((0.01f32).ln(), (10f32).ln());
    let g = 0.618_034f32;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    for _ in 0..40 {
        if nll(c.exp()) < nll(d.exp()) {
            b = d;
        } else {
            a = c;
        }
        c = b - g * (b - a);
        d = a + g * (b - a);
    }
    ((a + b) / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_data_is_learned() {
        let rows: Vec<SparseVec> = vec![
            vec![(0, 1.0)],
            vec![(0, 0.9), (2, 0.1)],
            vec![(1, 1.0)],
            vec![(1, 0.8), (2, 0.2)],
        ];
        let x = Csr::from_rows(&rows, 3);
        let m = LinearOvr::train(&x, &[0, 0, 1, 1], 2, &SvmParams::default(), 1);
        let s = m.scores(&[(0, 1.0)]);
        assert!(s[0] > s[1], "{s:?}");
        let s = m.scores(&[(1, 1.0)]);
        assert!(s[1] > s[0], "{s:?}");
    }

    #[test]
    fn softmax_sums_to_one_and_temperature_sharpens() {
        let p = softmax(&[1.0, 0.0, -1.0], 1.0);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        let sharp = softmax(&[1.0, 0.0, -1.0], 0.1);
        assert!(sharp[0] > p[0]);
        // Confident and right: a low temperature fits best.
        let scores = vec![vec![1.0, -1.0]; 10];
        assert!(fit_temperature(&scores, &[0; 10]) < 0.5);
    }
}
