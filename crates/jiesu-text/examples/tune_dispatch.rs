//! Cross-validates the dispatch model with options given as JSON (for tuning by hand):
//! `cargo run --release -p jiesu-text --example tune_dispatch -- TRAIN.csv '{"svm":{"c":0.3,...}}'`
//! Fields left out keep their defaults (`"calibration_folds":0` makes a run faster but
//! leaves the ensemble uncalibrated and unstacked).
use jiesu_text::dispatch::{Dataset, TrainOptions, cross_validate};

fn merge(base: &mut serde_json::Value, patch: &serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                merge(b.entry(k.clone()).or_insert(serde_json::Value::Null), v);
            }
        }
        (b, p) => *b = p.clone(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = Dataset::from_path(&args[0]).expect("dataset");
    for patch in &args[1..] {
        let mut value = serde_json::to_value(TrainOptions::default()).expect("json");
        merge(
            &mut value,
            &serde_json::from_str(patch).expect("patch json"),
        );
        let options: TrainOptions = serde_json::from_value(value).expect("options");
        let start = std::time::Instant::now();
        let eval = cross_validate(&data.records, &options, 5, 20200).expect("cv");
        println!(
            "macro_f1={:.4} acc={:.4} s={:.1} {patch}",
            eval.macro_f1,
            eval.accuracy,
            start.elapsed().as_secs_f64()
        );
    }
}
