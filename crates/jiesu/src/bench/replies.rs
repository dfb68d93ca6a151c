//! `jiesu bench replies`: reply review (答复评价) over a CSV file shaped like replies.csv —
//! the score distribution, the weakest and strongest replies with their gaps, the scores as
//! CSV, and, with `--swap-eval`, how well relevance tells an appeal's own reply from the reply
//! of its most similar other appeal.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use jiesu_text::place::Gazetteer;
use jiesu_text::reply::{
    AppealCorpus, ReplyReview, ReplyReviewer, ReplyRow, read_replies, roc_auc, swapped_pairs,
    tfidf_cosine,
};
use rayon::prelude::*;

use super::print_result;

/// How many of the weakest and of the strongest replies are shown.
const SHOWN: usize = 10;

/// Scores every reply of `input`, prints the report and writes `scores` when given; with
/// `swap_eval`, measures relevance on the swapped set instead.
pub fn run(input: &Path, scores: Option<&Path>, swap_eval: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let rows = read_replies(input)?;
    anyhow::ensure!(!rows.is_empty(), "答复文件 {} 没有答复", input.display());
    let reviewer = reviewer_for(&rows);
    if swap_eval {
        return evaluate(&rows, &reviewer);
    }
    let reviews: Vec<ReplyReview> = rows
        .par_iter()
        .map(|row| reviewer.review(&row.appeal(), &row.reply, row.replied))
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    print_distribution(&reviews);
    print_extremes(&rows, &reviews);
    if let Some(path) = scores {
        write_scores(path, &rows, &reviews)
            .with_context(|| format!("无法写入评分文件 {}", path.display()))?;
    }
    let mean = reviews.iter().map(|r| r.overall).sum::<f64>() / reviews.len() as f64;
    print_result(&[
        ("replies", rows.len().to_string()),
        ("seconds", format!("{seconds:.3}")),
        ("mean_overall", format!("{mean:.3}")),
    ]);
    Ok(())
}

/// A reviewer whose rarities come from the appeals of the file itself.
fn reviewer_for(rows: &[ReplyRow]) -> ReplyReviewer {
    let texts: Vec<String> = rows
        .iter()
        .map(|r| format!("{}\n{}", r.title, r.text))
        .collect();
    let corpus = AppealCorpus::build(texts.iter().map(String::as_str));
    ReplyReviewer::new(corpus, Gazetteer::empty())
}

/// A score dimension: its Chinese name and how to read it.
type Dimension = (&'static str, fn(&ReplyReview) -> f64);

fn print_distribution(reviews: &[ReplyReview]) {
    println!("评分分布（{} 条答复）", reviews.len());
    println!(
        "{:<8} {:>6} {:>6} {:>6} {:>6}",
        "维度", "均值", "P10", "P50", "P90"
    );
    let dimensions: [Dimension; 5] = [
        ("针对性", |r| r.relevance),
        ("完整性", |r| r.completeness),
        ("语气规范", |r| r.tone),
        ("及时性", |r| r.timeliness),
        ("综合", |r| r.overall),
    ];
    for (name, score) in dimensions {
        let mut values: Vec<f64> = reviews.iter().map(score).collect();
        values.sort_by(f64::total_cmp);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let q = |p| super::percentile(&values, p);
        println!(
            "{name:<8} {mean:>6.3} {:>6.3} {:>6.3} {:>6.3}",
            q(0.1),
            q(0.5),
            q(0.9)
        );
    }
    let mut bins = [0usize; 10];
    for review in reviews {
        bins[((review.overall * 10.0) as usize).min(9)] += 1;
    }
    println!("综合得分直方图");
    for (i, count) in bins.iter().enumerate() {
        println!(
            "  {:.1}–{:.1} {count:>6}",
            i as f64 / 10.0,
            (i + 1) as f64 / 10.0
        );
    }
}

fn print_extremes(rows: &[ReplyRow], reviews: &[ReplyReview]) {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|a, b| reviews[*a].overall.total_cmp(&reviews[*b].overall));
    let show = |title: &str, indices: &mut dyn Iterator<Item = &usize>| {
        println!("{title}");
        for &i in indices.take(SHOWN) {
            let review = &reviews[i];
            let gaps: Vec<String> = review.gaps.iter().map(|g| g.message()).collect();
            let subject: String = rows[i].title.chars().take(30).collect();
            println!(
                "  {} 综合 {:.2}（针对性 {:.2} 完整性 {:.2} 语气 {:.2} 及时 {:.2}）{}｜{}",
                rows[i].id,
                review.overall,
                review.relevance,
                review.completeness,
                review.tone,
                review.timeliness,
                subject,
                if gaps.is_empty() {
                    "无缺项".to_string()
                } else {
                    gaps.join("；")
                }
            );
        }
    };
    show("最弱的答复", &mut order.iter());
    show("最强的答复", &mut order.iter().rev());
}

fn write_scores(path: &Path, rows: &[ReplyRow], reviews: &[ReplyReview]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record([
        "留言编号",
        "relevance",
        "completeness",
        "tone",
        "timeliness",
        "overall",
    ])?;
    for (row, review) in rows.iter().zip(reviews) {
        let scores = [
            review.relevance,
            review.completeness,
            review.tone,
            review.timeliness,
            review.overall,
        ]
        .map(|s| format!("{s:.4}"));
        writer.write_record(
            std::iter::once(row.id.as_str()).chain(scores.iter().map(String::as_str)),
        )?;
    }
    writer.flush()?;
    Ok(())
}

/// ROC-AUC of relevance and of the TF-IDF cosine on the swapped set, on the half of the
/// appeals the weights were chosen on (even rows), on the other half and on all.
fn evaluate(rows: &[ReplyRow], reviewer: &ReplyReviewer) -> anyhow::Result<()> {
    let started = Instant::now();
    let pairs = swapped_pairs(rows, reviewer.corpus());
    let scored: Vec<(bool, f64, f64, bool)> = pairs
        .iter()
        .map(|pair| {
            let appeal = rows[pair.appeal].appeal();
            let reply = &rows[pair.reply].reply;
            let relevance = reviewer
                .review(&appeal, reply, rows[pair.appeal].replied)
                .relevance;
            let baseline = tfidf_cosine(&appeal, reply, reviewer.corpus());
            (pair.appeal % 2 == 0, relevance, baseline, pair.genuine())
        })
        .collect();
    let auc = |half: Option<bool>, pick: fn(&(bool, f64, f64, bool)) -> f64| {
        let scores: Vec<(f64, bool)> = scored
            .iter()
            .filter(|s| half.is_none_or(|h| s.0 == h))
            .map(|s| (pick(s), s.3))
            .collect();
        roc_auc(&scores)
    };
    let relevance = |s: &(bool, f64, f64, bool)| s.1;
    let baseline = |s: &(bool, f64, f64, bool)| s.2;
    println!(
        "错配检验：{} 对（每条诉求配本身答复与最相似诉求的答复，答复近乎相同者除外）",
        pairs.len()
    );
    println!("{:<18} {:>8} {:>12}", "", "针对性", "TF-IDF 余弦");
    let halves = [
        ("调参半（偶数行）", Some(true)),
        ("留出半（奇数行）", Some(false)),
        ("全部", None),
    ];
    for (name, half) in halves {
        println!(
            "{name:<18} {:>8.4} {:>12.4}",
            auc(half, relevance),
            auc(half, baseline)
        );
    }
    print_result(&[
        ("pairs", pairs.len().to_string()),
        ("auc", format!("{:.4}", auc(Some(false), relevance))),
        ("baseline_auc", format!("{:.4}", auc(Some(false), baseline))),
        ("auc_tune", format!("{:.4}", auc(Some(true), relevance))),
        ("auc_all", format!("{:.4}", auc(None, relevance))),
        ("seconds", format!("{:.3}", started.elapsed().as_secs_f64())),
    ]);
    Ok(())
}
