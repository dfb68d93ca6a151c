//! Prints held-out mistakes of one cross-validation fold (for error analysis by hand):
//! `cargo run --release -p jiesu-text --example errors_dispatch -- TRAIN.csv [N]`
use jiesu_text::dispatch::{Dataset, TrainOptions, TrainingRecord, stratified_folds, train};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = Dataset::from_path(&args[0]).expect("dataset");
    let n: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(40);
    let mut labels: Vec<String> = Vec::new();
    let y: Vec<usize> = data
        .records
        .iter()
        .map(|r| {
            let l = r.first_level().unwrap_or_default().to_string();
            labels.iter().position(|x| *x == l).unwrap_or_else(|| {
                labels.push(l);
                labels.len() - 1
            })
        })
        .collect();
    let folds = stratified_folds(&y, 5, 20200);
    let train_recs: Vec<TrainingRecord> = data
        .records
        .iter()
        .zip(&folds)
        .filter(|(_, f)| **f != 0)
        .map(|(r, _)| r.clone())
        .collect();
    let model = train(&train_recs, &TrainOptions::default(), |_, _| {}).expect("train");
    let mut shown = 0;
    let (mut errors, mut top2, mut total) = (0, 0, 0);
    for (r, f) in data.records.iter().zip(&folds) {
        if *f != 0 {
            continue;
        }
        total += 1;
        let s = model.suggest(&r.title, &r.text).expect("suggest");
        let truth = r.first_level().unwrap_or_default();
        if s.top[0].0 != truth {
            errors += 1;
            if s.top.get(1).is_some_and(|t| t.0 == truth) {
                top2 += 1;
            }
            if shown < n {
                shown += 1;
                println!(
                    "{truth} -> {} ({:.2}) | {} | {}",
                    s.top[0].0,
                    s.top[0].1,
                    r.title,
                    r.text.chars().take(60).collect::<String>()
                );
            }
        }
    }
    println!("errors {errors}/{total}, truth second in {top2}");
}
