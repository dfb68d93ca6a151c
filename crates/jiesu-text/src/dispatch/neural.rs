//! A small neural classifier over the same sparse TF-IDF features: every feature has a
//! learned embedding, an appeal is the TF-IDF-weighted sum of its features' embeddings, a
//! ReLU hidden layer reads that sum and a softmax layer gives the categories
//! (fastText-style, with one non-linearity). Trained here by plain SGD with a linearly
//! decaying learning rate; it errs differently from the linear SVMs, which is what an
//! ensemble needs.

use serde::{Deserialize, Serialize};

use super::linear::{Csr, Rng};

/// How the neural classifier is trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeuralParams {
    /// Width of the feature embeddings and of the hidden layer (0 switches the model off).
    pub dim: usize,
    /// Passes over the training data.
    pub epochs: usize,
    /// Initial learning rate, decaying linearly to zero.
    pub lr: f32,
    /// Weigh each class's examples by `n / (k * n_class)`.
    pub class_balanced: bool,
    /// Features share this many embeddings (feature index modulo `buckets`), which bounds
    /// the model's size whatever the vocabulary; 0: one embedding per feature.
    pub buckets: usize,
}

impl Default for NeuralParams {
    fn default() -> Self {
        NeuralParams {
            dim: 128,
            epochs: 8,
            lr: 0.2,
            class_balanced: true,
            buckets: 1 << 15,
        }
    }
}

/// The trained network.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SparseNet {
    /// Rows of `emb`; feature `f` reads row `f % n_rows`.
    n_rows: usize,
    dim: usize,
    n_classes: usize,
    /// Feature-major embeddings: `emb[f * dim..(f + 1) * dim]`.
    emb: Vec<f32>,
    hidden_bias: Vec<f32>,
    /// Class-major output weights: `out[c * dim..(c + 1) * dim]`.
    out: Vec<f32>,
    out_bias: Vec<f32>,
}

impl SparseNet {
    /// Trains on the rows of `x` with `labels[i] < n_classes`.
    pub(crate) fn train(
        x: &Csr,
        labels: &[usize],
        n_classes: usize,
        params: &NeuralParams,
        seed: u64,
    ) -> SparseNet {
        let dim = params.dim.max(1);
        let mut rng = Rng::new(seed);
        let mut uniform = |scale: f32| {
            let u = (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
            (2.0 * u - 1.0) * scale
        };
        let emb_scale = (3.0 / dim as f32).sqrt();
        let out_scale = (6.0 / (dim + n_classes) as f32).sqrt();
        let n_rows = match params.buckets {
            0 => x.n_cols,
            b => b.min(x.n_cols),
        }
        .max(1);
        let mut net = SparseNet {
            n_rows,
            dim,
            n_classes,
            emb: (0..n_rows * dim).map(|_| uniform(emb_scale)).collect(),
            hidden_bias: vec![0.0; dim],
            out: (0..n_classes * dim).map(|_| uniform(out_scale)).collect(),
            out_bias: vec![0.0; n_classes],
        };

        let n = labels.len();
        let mut counts = vec![0usize; n_classes];
        for &l in labels {
            counts[l] += 1;
        }
        let class_weight: Vec<f32> = counts
            .iter()
            .map(|&c| {
                if params.class_balanced && c > 0 {
                    n as f32 / (n_classes as f32 * c as f32)
                } else {
                    1.0
                }
            })
            .collect();

        let mut order: Vec<usize> = (0..n).collect();
        let mut rng = Rng::new(seed.wrapping_add(1));
        let total_steps = (params.epochs * n).max(1) as f32;
        let mut step = 0usize;
        let mut hidden = vec![0f32; dim];
        let mut d_hidden = vec![0f32; dim];
        let mut probs = vec![0f32; n_classes];
        for _ in 0..params.epochs {
            rng.shuffle(&mut order);
            for &r in &order {
                let lr = params.lr * (1.0 - step as f32 / total_steps);
                step += 1;
                let (idx, vals) = x.row(r);
                net.forward(idx, vals, &mut hidden, &mut probs);
                // Gradient of the weighted cross-entropy with respect to the logits.
                let w = class_weight[labels[r]];
                for (c, p) in probs.iter_mut().enumerate() {
                    *p = w * (*p - if c == labels[r] { 1.0 } else { 0.0 });
                }
                d_hidden.fill(0.0);
                for (c, &g) in probs.iter().enumerate() {
                    let row = &mut net.out[c * dim..(c + 1) * dim];
                    for ((dh, o), &h) in d_hidden.iter_mut().zip(row.iter_mut()).zip(&hidden) {
                        *dh += g * *o;
                        *o -= lr * g * h;
                    }
                    net.out_bias[c] -= lr * g;
                }
                for (dh, &h) in d_hidden.iter_mut().zip(&hidden) {
                    if h <= 0.0 {
                        *dh = 0.0;
                    }
                }
                for (b, &dh) in net.hidden_bias.iter_mut().zip(&d_hidden) {
                    *b -= lr * dh;
                }
                for (&f, &v) in idx.iter().zip(vals) {
                    let row = f as usize % n_rows;
                    let e = &mut net.emb[row * dim..(row + 1) * dim];
                    let s = lr * v;
                    for (e, &dh) in e.iter_mut().zip(&d_hidden) {
                        *e -= s * dh;
                    }
                }
            }
        }
        net
    }

    /// Hidden activations and class probabilities of one sparse row.
    fn forward(&self, idx: &[u32], vals: &[f32], hidden: &mut [f32], probs: &mut [f32]) {
        hidden.copy_from_slice(&self.hidden_bias);
        for (&f, &v) in idx.iter().zip(vals) {
            let row = f as usize % self.n_rows;
            let e = &self.emb[row * self.dim..(row + 1) * self.dim];
            for (h, &e) in hidden.iter_mut().zip(e) {
                *h += v * e;
            }
        }
        for h in hidden.iter_mut() {
            *h = h.max(0.0);
        }
        for (c, p) in probs.iter_mut().enumerate() {
            let row = &self.out[c * self.dim..(c + 1) * self.dim];
            *p = self.out_bias[c] + row.iter().zip(&*hidden).map(|(w, h)| w * h).sum::<f32>();
        }
        let max = probs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for p in probs.iter_mut() {
            *p = (*p - max).exp();
            sum += *p;
        }
        for p in probs.iter_mut() {
            *p /= sum;
        }
    }

    /// Log-probabilities of every class for a sparse vector.
    pub fn log_probs(&self, x: &[(u32, f32)]) -> Vec<f32> {
        let idx: Vec<u32> = x.iter().map(|&(i, _)| i).collect();
        let vals: Vec<f32> = x.iter().map(|&(_, v)| v).collect();
        let mut hidden = vec![0f32; self.dim];
        let mut probs = vec![0f32; self.n_classes];
        self.forward(&idx, &vals, &mut hidden, &mut probs);
        probs.into_iter().map(|p| p.max(1e-9).ln()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::features::SparseVec;

    #[test]
    fn separable_data_is_learned() {
        let rows: Vec<SparseVec> = (0..40)
            .map(|i| vec![((i % 2) as u32, 1.0), (2 + (i % 5) as u32, 0.3)])
            .collect();
        let labels: Vec<usize> = (0..40).map(|i| i % 2).collect();
        let x = Csr::from_rows(&rows, 7);
        let params = NeuralParams {
            dim: 8,
            epochs: 20,
            ..NeuralParams::default()
        };
        let net = SparseNet::train(&x, &labels, 2, &params, 3);
        let p = net.log_probs(&[(0, 1.0)]);
        assert!(p[0] > p[1], "{p:?}");
        let p = net.log_probs(&[(1, 1.0)]);
        assert!(p[1] > p[0], "{p:?}");
        assert!((p.iter().map(|v| v.exp()).sum::<f32>() - 1.0).abs() < 1e-4);
    }
}
