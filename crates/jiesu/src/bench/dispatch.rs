//! `jiesu bench dispatch`: our model against the classical baseline, by stratified K-fold
//! cross-validation or on a separate test file.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use jiesu_text::dispatch::features::is_han;
use jiesu_text::dispatch::{
    Dataset, DatasetError, DispatchModel, Evaluation, TrainOptions, TrainingRecord, evaluate,
    stratified_folds, train,
};

use super::dispatch_auto::{AutoTally, Scored, TARGETS, out_of_fold_curve, thresholds};
use super::percentile;

/// Trains and evaluates on `train_path` (and `test_path`, else by `folds`-fold cross-validation);
/// prints our model and the baseline side by side, then the RESULT line.
pub fn run(train_path: &Path, test_path: Option<&Path>, folds: usize) -> anyhow::Result<()> {
    eprintln!(
        "训练并评估派单模型（{}）…",
        if test_path.is_some() {
            "训练集/测试集"
        } else {
            "交叉验证"
        }
    );
    let report = bench_dispatch(train_path, test_path, folds)?;
    print!("{}", report.table());
    println!("{}", report.result_line());
    Ok(())
}

/// Results of a dispatch benchmark run.
#[derive(Debug)]
struct DispatchBenchReport {
    /// How the figures were obtained, e.g. "5-fold stratified CV on FILE".
    method: String,
    n_train: usize,
    n_test: usize,
    /// Our model, pooled over all held-out predictions.
    ours: Evaluation,
    /// The baseline (word-unigram TF-IDF + linear SVM), same protocol.
    baseline: Evaluation,
    /// Macro-F1 of each fold (ours, baseline); one entry with a test file.
    fold_macro_f1: Vec<(f64, f64)>,
    /// Seconds to train our model on the whole training file (2 cores).
    train_seconds: f64,
    /// Seconds to train the baseline on the whole training file.
    baseline_train_seconds: f64,
    /// Latency of one `suggest` call on held-out appeals, microseconds (per appeal the
    /// median of three runs, to keep scheduler noise of a shared machine out).
    p50_us: f64,
    p99_us: f64,
    /// Serialized size of the model trained on the whole training file.
    model_mb: f64,
    /// Accuracy and macro-F1 the model measured on itself while training (internal CV).
    internal_macro_f1: Option<f64>,
    /// Top-3 accuracy and automatic dispatch at the target precisions (ours, baseline).
    ours_auto: AutoTally,
    baseline_auto: AutoTally,
}

fn first_level(r: &TrainingRecord) -> String {
    r.first_level().unwrap_or_default().trim().to_string()
}

fn label_index(labels: &mut Vec<String>, label: &str) -> usize {
    match labels.iter().position(|l| l == label) {
        Some(i) => i,
        None => {
            labels.push(label.to_string());
            labels.len() - 1
        }
    }
}

/// Runs of `suggest` per appeal when timing; the median is kept, so a run interrupted by
/// the operating system (other processes on a shared machine) does not count as latency.
const TIMING_RUNS: usize = 3;

/// Predicts every test record; returns what the model said and the latency of each call
/// (µs, median of [`TIMING_RUNS`] runs).
fn predict_all(model: &DispatchModel, test: &[&TrainingRecord]) -> (Vec<Scored>, Vec<f64>) {
    let mut predicted = Vec::with_capacity(test.len());
    let mut latencies = Vec::with_capacity(test.len());
    for r in test {
        let mut runs = [0f64; TIMING_RUNS];
        let mut suggestion = None;
        for run in &mut runs {
            let start = Instant::now();
            let s = Scored::of(model, r);
            *run = start.elapsed().as_secs_f64() * 1e6;
            suggestion = Some(s);
        }
        runs.sort_by(f64::total_cmp);
        latencies.push(runs[TIMING_RUNS / 2]);
        predicted.extend(suggestion);
    }
    (predicted, latencies)
}

/// Runs the benchmark. With `test`, trains on `train` and evaluates on `test`; without,
/// runs stratified `folds`-fold cross-validation on `train` (folds below 2 count as 5). In
/// both cases the model is also trained once on the whole of `train` to time training and
/// weigh the model.
fn bench_dispatch(
    train_path: &Path,
    test: Option<&Path>,
    folds: usize,
) -> Result<DispatchBenchReport, DatasetError> {
    let train_set = Dataset::from_path(train_path)?;
    let ours_options = TrainOptions::default();
    let base_options = TrainOptions::baseline();

    let mut labels: Vec<String> = Vec::new();
    let mut truth: Vec<usize> = Vec::new();
    let mut ours_pred: Vec<usize> = Vec::new();
    let mut base_pred: Vec<usize> = Vec::new();
    let mut latencies: Vec<f64> = Vec::new();
    let mut fold_macro_f1 = Vec::new();
    let mut ours_auto = AutoTally::default();
    let mut baseline_auto = AutoTally::default();

    let mut run_split = |train_recs: &[TrainingRecord],
                         test_recs: &[&TrainingRecord]|
     -> Result<(), DatasetError> {
        let ours = train(train_recs, &ours_options, |_, _| {})?;
        let base = train(train_recs, &base_options, |_, _| {})?;
        let (p_ours, lat) = predict_all(&ours, test_recs);
        let (p_base, _) = predict_all(&base, test_recs);
        let ours_thresholds = thresholds(ours.meta().operating_curve.as_ref());
        let base_curve = out_of_fold_curve(train_recs, &base_options, 3, first_level);
        let base_thresholds = thresholds(Some(&base_curve));
        let start = truth.len();
        for ((r, po), pb) in test_recs.iter().zip(p_ours).zip(p_base) {
            let t = first_level(r);
            ours_auto.add(&t, &po, &ours_thresholds);
            baseline_auto.add(&t, &pb, &base_thresholds);
            truth.push(label_index(&mut labels, &t));
            ours_pred.push(label_index(&mut labels, po.first()));
            base_pred.push(label_index(&mut labels, pb.first()));
        }
        latencies.extend(lat);
        let f_ours = evaluate(&labels, &truth[start..], &ours_pred[start..]).macro_f1;
        let f_base = evaluate(&labels, &truth[start..], &base_pred[start..]).macro_f1;
        fold_macro_f1.push((f_ours, f_base));
        Ok(())
    };

    let (method, n_test) = match test {
        Some(test_path) => {
            let test_set = Dataset::from_path(test_path)?;
            let test_refs: Vec<&TrainingRecord> = test_set.records.iter().collect();
            run_split(&train_set.records, &test_refs)?;
            (
                format!(
                    "train {} / test {}",
                    train_path.display(),
                    test_path.display()
                ),
                test_refs.len(),
            )
        }
        None => {
            let k = if folds < 2 { 5 } else { folds };
            let mut fold_labels: Vec<String> = Vec::new();
            let y: Vec<usize> = train_set
                .records
                .iter()
                .map(|r| label_index(&mut fold_labels, &first_level(r)))
                .collect();
            let fold_of = stratified_folds(&y, k, 20200);
            for f in 0..k {
                let train_recs: Vec<TrainingRecord> = train_set
                    .records
                    .iter()
                    .zip(&fold_of)
                    .filter(|&(_, &g)| g != f)
                    .map(|(r, _)| r.clone())
                    .collect();
                let test_recs: Vec<&TrainingRecord> = train_set
                    .records
                    .iter()
                    .zip(&fold_of)
                    .filter(|&(_, &g)| g == f)
                    .map(|(r, _)| r)
                    .collect();
                run_split(&train_recs, &test_recs)?;
            }
            (
                format!("{k}-fold stratified CV on {}", train_path.display()),
                train_set.records.len(),
            )
        }
    };

    let start = Instant::now();
    let full = train(&train_set.records, &ours_options, |_, _| {})?;
    let train_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let _ = train(&train_set.records, &base_options, |_, _| {})?;
    let baseline_train_seconds = start.elapsed().as_secs_f64();
    let model_mb = full.to_bytes().map(|b| b.len()).unwrap_or(0) as f64 / 1_048_576.0;

    latencies.sort_by(f64::total_cmp);
    Ok(DispatchBenchReport {
        method,
        n_train: train_set.records.len(),
        n_test,
        ours: evaluate(&labels, &truth, &ours_pred),
        baseline: evaluate(&labels, &truth, &base_pred),
        fold_macro_f1,
        train_seconds,
        baseline_train_seconds,
        p50_us: percentile(&latencies, 0.50),
        p99_us: percentile(&latencies, 0.99),
        model_mb,
        internal_macro_f1: full.meta().metrics.as_ref().map(|m| m.macro_f1),
        ours_auto,
        baseline_auto,
    })
}

impl DispatchBenchReport {
    /// A table for people: overall figures and per-class F1, ours beside the baseline.
    fn table(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(t, "dispatch benchmark: {}", self.method);
        let _ = writeln!(
            t,
            "records: {} training, {} evaluated",
            self.n_train, self.n_test
        );
        let _ = writeln!(t, "{:<24} {:>10} {:>10}", "", "ours", "baseline");
        let _ = writeln!(
            t,
            "{:<24} {:>10.4} {:>10.4}",
            "macro-F1", self.ours.macro_f1, self.baseline.macro_f1
        );
        let _ = writeln!(
            t,
            "{:<24} {:>10.4} {:>10.4}",
            "accuracy", self.ours.accuracy, self.baseline.accuracy
        );
        for (i, (a, b)) in self.fold_macro_f1.iter().enumerate() {
            let _ = writeln!(
                t,
                "{:<24} {:>10.4} {:>10.4}",
                format!("  fold {} macro-F1", i + 1),
                a,
                b
            );
        }
        let _ = writeln!(
            t,
            "{:<24} {:>10.4} {:>10.4}",
            "top-3 accuracy",
            self.ours_auto.top3(),
            self.baseline_auto.top3()
        );
        for (i, target) in TARGETS.iter().enumerate() {
            let (os, op) = self.ours_auto.auto_at(i);
            let (bs, bp) = self.baseline_auto.auto_at(i);
            let _ = writeln!(
                t,
                "{:<24} {:>10.4} {:>10.4}",
                format!("auto share @{target:.2}"),
                os,
                bs
            );
            let _ = writeln!(
                t,
                "{:<24} {:>10.4} {:>10.4}",
                "  measured precision", op, bp
            );
        }
        let _ = writeln!(t, "per-class F1 (support):");
        for (o, b) in self.ours.per_class.iter().zip(&self.baseline.per_class) {
            if o.support == 0 {
                continue;
            }
            let name = format!("  {} ({})", o.label, o.support);
            let pad = 24usize.saturating_sub(display_width(&name));
            let _ = writeln!(t, "{name}{} {:>10.4} {:>10.4}", " ".repeat(pad), o.f1, b.f1);
        }
        let _ = writeln!(
            t,
            "{:<24} {:>10.2} {:>10.2}",
            "train s (full file)", self.train_seconds, self.baseline_train_seconds
        );
        let _ = writeln!(t, "{:<24} {:>10.1}", "suggest p50 µs", self.p50_us);
        let _ = writeln!(t, "{:<24} {:>10.1}", "suggest p99 µs", self.p99_us);
        let _ = writeln!(t, "{:<24} {:>10.2}", "model MB", self.model_mb);
        if let Some(f) = self.internal_macro_f1 {
            let _ = writeln!(t, "{:<24} {:>10.4}", "internal CV macro-F1", f);
        }
        t
    }

    /// One machine-readable line: `RESULT macro_f1=… accuracy=… baseline_macro_f1=…
    /// train_s=… p99_us=… model_mb=… top3=… auto_at_98=… precision_at_98=…`.
    fn result_line(&self) -> String {
        let at_98 = TARGETS.iter().position(|&t| t == 0.98).unwrap_or(2);
        let (auto, precision) = self.ours_auto.auto_at(at_98);
        format!(
            "RESULT macro_f1={:.4} accuracy={:.4} baseline_macro_f1={:.4} train_s={:.2} p99_us={:.1} model_mb={:.2} top3={:.4} auto_at_98={:.4} precision_at_98={:.4}",
            self.ours.macro_f1,
            self.ours.accuracy,
            self.baseline.macro_f1,
            self.train_seconds,
            self.p99_us,
            self.model_mb,
            self.ours_auto.top3(),
            auto,
            precision
        )
    }
}

/// Terminal width of a string: CJK characters take two columns.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_han(c) { 2 } else { 1 }).sum()
}
