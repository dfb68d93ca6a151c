//! `jiesu bench dispatch --new-class [CATEGORY]`: how fast smart dispatch learns a category
//! the centre adds. The category is held out of training; then 5, 10, 20 and 50 of its
//! records are fed, as corrections, through the learning path ([`Adaptation`]); after each
//! step the category's recall and the other categories' macro-F1 are measured on held-out
//! records. Last, a full retrain on the history plus the 50 examples.
//!
//! The others' macro-F1 is measured on the held-out records of the other categories only,
//! so it falls exactly when the new category takes appeals that are not its own; the delta
//! is against the model before any example.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use jiesu_app::dispatch::ExampleSource;
use jiesu_text::dispatch::{
    AdaptOptions, Adaptation, Dataset, DispatchModel, LabelledExample, TrainOptions,
    TrainingRecord, evaluate, stratified_folds, train,
};

use super::rng::Rng;

/// Examples fed, in steps.
const STEPS: [usize; 4] = [5, 10, 20, 50];

/// One measurement: the new category's recall and the others' macro-F1.
struct Step {
    examples: usize,
    recall: f64,
    others_f1: f64,
    /// Time to learn from the examples (adaptation or full retrain), seconds.
    seconds: f64,
}

fn first_level(r: &TrainingRecord) -> &str {
    r.first_level().unwrap_or_default().trim()
}

/// Runs the benchmark and prints the table and the RESULT line. `max_false_positive`
/// replaces the adaptation's default threshold share.
pub fn run(
    train_path: &Path,
    test_path: Option<&Path>,
    new_class: Option<&str>,
    max_false_positive: Option<f32>,
) -> anyhow::Result<()> {
    let data = Dataset::from_path(train_path)?;
    let (train_set, test_set): (Vec<TrainingRecord>, Vec<TrainingRecord>) = match test_path {
        Some(p) => (data.records, Dataset::from_path(p)?.records),
        None => split(data.records),
    };
    let class = match new_class {
        Some(c) => c.to_string(),
        None => smallest_class(&train_set).ok_or_else(|| anyhow::anyhow!("训练文件中没有分类"))?,
    };
    let (history, mut pool): (Vec<TrainingRecord>, Vec<TrainingRecord>) =
        train_set.into_iter().partition(|r| first_level(r) != class);
    anyhow::ensure!(
        pool.len() >= STEPS[STEPS.len() - 1],
        "分类「{class}」在训练文件中只有 {} 条，至少需要 {} 条",
        pool.len(),
        STEPS[STEPS.len() - 1]
    );
    Rng::new(24).shuffle(&mut pool);
    eprintln!("新分类「{class}」：先用其余 {} 条训练…", history.len());
    let start = Instant::now();
    let model = train(&history, &TrainOptions::default(), |_, _| {})?;
    let train_seconds = start.elapsed().as_secs_f64();

    let weight = ExampleSource::Correction.weight();
    let as_examples = |n: usize| -> Vec<LabelledExample> {
        pool[..n]
            .iter()
            .map(|r| LabelledExample {
                record: r.clone(),
                weight,
            })
            .collect()
    };
    let score = |predict: &dyn Fn(&TrainingRecord) -> String| -> (f64, f64) {
        measure(&class, &test_set, predict)
    };
    let top = |s: Result<jiesu_text::dispatch::Suggestion, _>| -> String {
        s.ok()
            .and_then(|s| s.top.first().map(|t| t.0.clone()))
            .unwrap_or_default()
    };
    let (_, base_f1) = score(&|r| top(model.suggest(&r.title, &r.text)));

    let defaults = AdaptOptions::default();
    let options = AdaptOptions {
        max_false_positive: max_false_positive.unwrap_or(defaults.max_false_positive),
        ..defaults
    };
    let mut steps = Vec::new();
    for n in STEPS {
        let examples = as_examples(n);
        let start = Instant::now();
        let adaptation = Adaptation::fit(&model, &examples, &history, &options);
        let seconds = start.elapsed().as_secs_f64();
        let (recall, others_f1) = score(&|r| top(adaptation.suggest(&model, &r.title, &r.text)));
        steps.push(Step {
            examples: n,
            recall,
            others_f1,
            seconds,
        });
    }
    let retrained = retrain(&history, &as_examples(STEPS[STEPS.len() - 1]))?;
    let (recall, others_f1) = score(&|r| top(retrained.0.suggest(&r.title, &r.text)));
    let full = Step {
        examples: STEPS[STEPS.len() - 1],
        recall,
        others_f1,
        seconds: retrained.1,
    };
    print!(
        "{}",
        table(&class, &test_set, &steps, &full, base_f1, train_seconds)
    );
    println!(
        "{}",
        result_line(&class, &steps, &full, base_f1, train_seconds)
    );
    Ok(())
}

/// A stratified 80/20 split of one file.
fn split(records: Vec<TrainingRecord>) -> (Vec<TrainingRecord>, Vec<TrainingRecord>) {
    let mut labels: Vec<String> = Vec::new();
    let y: Vec<usize> = records
        .iter()
        .map(|r| {
            let l = first_level(r);
            labels.iter().position(|x| x == l).unwrap_or_else(|| {
                labels.push(l.to_string());
                labels.len() - 1
            })
        })
        .collect();
    let fold_of = stratified_folds(&y, 5, 20200);
    let (test, train): (Vec<_>, Vec<_>) =
        records.into_iter().zip(fold_of).partition(|&(_, f)| f == 0);
    (
        train.into_iter().map(|(r, _)| r).collect(),
        test.into_iter().map(|(r, _)| r).collect(),
    )
}

/// The category with the fewest records (the likeliest to be a recent addition).
fn smallest_class(records: &[TrainingRecord]) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in records {
        *counts.entry(first_level(r)).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(l, _)| !l.is_empty())
        .min_by_key(|&(_, n)| n)
        .map(|(l, _)| l.to_string())
}

/// The new category's recall over its test records, and the others' macro-F1 over theirs.
fn measure(
    class: &str,
    test: &[TrainingRecord],
    predict: &dyn Fn(&TrainingRecord) -> String,
) -> (f64, f64) {
    let mut labels: Vec<String> = vec![class.to_string()];
    let mut index = |l: &str| {
        labels.iter().position(|x| x == l).unwrap_or_else(|| {
            labels.push(l.to_string());
            labels.len() - 1
        })
    };
    let (mut hits, mut total) = (0usize, 0usize);
    let (mut truth, mut predicted) = (Vec::new(), Vec::new());
    for r in test {
        let guess = predict(r);
        if first_level(r) == class {
            total += 1;
            hits += usize::from(guess == class);
        } else {
            truth.push(index(first_level(r)));
            predicted.push(index(&guess));
        }
    }
    // Macro-F1 over the other categories only: the new one has no true records here.
    let eval = evaluate(&labels, &truth, &predicted);
    let scored: Vec<f64> = eval
        .per_class
        .iter()
        .filter(|c| c.label != class && c.support > 0)
        .map(|c| c.f1)
        .collect();
    let others = scored.iter().sum::<f64>() / scored.len().max(1) as f64;
    (hits as f64 / total.max(1) as f64, others)
}

/// The full retrain: history plus the examples, each as many times as its weight.
fn retrain(
    history: &[TrainingRecord],
    examples: &[LabelledExample],
) -> anyhow::Result<(DispatchModel, f64)> {
    let mut records = history.to_vec();
    for e in examples {
        for _ in 0..e.weight.round().max(1.0) as usize {
            records.push(e.record.clone());
        }
    }
    let start = Instant::now();
    let model = train(&records, &TrainOptions::default(), |_, _| {})?;
    Ok((model, start.elapsed().as_secs_f64()))
}

fn table(
    class: &str,
    test: &[TrainingRecord],
    steps: &[Step],
    full: &Step,
    base_f1: f64,
    train_seconds: f64,
) -> String {
    let n_class = test.iter().filter(|r| first_level(r) == class).count();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "new class {class}: {n_class} of {} held-out records; base model trained without it in {train_seconds:.2} s",
        test.len()
    );
    let _ = writeln!(
        t,
        "{:<22} {:>8} {:>10} {:>10} {:>10}",
        "examples fed", "recall", "others F1", "delta", "learn s"
    );
    let _ = writeln!(
        t,
        "{:<22} {:>8.4} {:>10.4} {:>10.4} {:>10}",
        "0 (base model)", 0.0, base_f1, 0.0, "-"
    );
    for s in steps.iter().chain(std::iter::once(full)) {
        let name = if std::ptr::eq(s, full) {
            format!("{} (full retrain)", s.examples)
        } else {
            format!("{} (adaptation)", s.examples)
        };
        let _ = writeln!(
            t,
            "{name:<22} {:>8.4} {:>10.4} {:>+10.4} {:>10.3}",
            s.recall,
            s.others_f1,
            s.others_f1 - base_f1,
            s.seconds
        );
    }
    t
}

fn result_line(
    class: &str,
    steps: &[Step],
    full: &Step,
    base_f1: f64,
    train_seconds: f64,
) -> String {
    let mut line = format!("RESULT new_class={class}");
    for s in steps {
        let _ = write!(
            line,
            " recall_at_{n}={:.4} others_f1_delta_at_{n}={:.4}",
            s.recall,
            s.others_f1 - base_f1,
            n = s.examples
        );
    }
    let slowest = steps.iter().map(|s| s.seconds).fold(0.0, f64::max);
    let _ = write!(
        line,
        " others_f1_base={base_f1:.4} adapt_s_max={slowest:.3} retrain_recall={:.4} retrain_others_f1_delta={:.4} retrain_s={:.2} train_s={train_seconds:.2}",
        full.recall,
        full.others_f1 - base_f1,
        full.seconds
    );
    line
}
