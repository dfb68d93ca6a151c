//! `jiesu models retrain|pin|unpin|learning`: smart dispatch's learning loop by hand.

use anyhow::{Result, anyhow};
use jiesu_app::{App, AppError};

async fn app(db: &str) -> Result<App> {
    let store = crate::backend::open(db).await?;
    App::load(store).await.map_err(chinese)
}

/// The Chinese message the API and pages give for the same error.
fn chinese(e: AppError) -> anyhow::Error {
    anyhow!(jiesu_web::error::describe(&e).message)
}

pub async fn retrain(db: &str) -> Result<()> {
    let app = app(db).await?;
    eprintln!("训练候选模型并与现用模型比较…");
    let run = app.retrain("cli").await.map_err(chinese)?;
    let active = run
        .active_macro_f1
        .map_or("（无现用模型）".to_string(), |f| format!("{f:.4}"));
    println!(
        "候选模型版本 {}：宏F1 {:.4}，现用模型 {active}（同一批 {} 条近期诉求）；{} 条历史、{} 条学习样本；{}",
        run.candidate,
        run.candidate_macro_f1,
        run.held_back,
        run.records,
        run.examples,
        run.decision.label()
    );
    Ok(())
}

pub async fn pin(db: &str, version: Option<i64>) -> Result<()> {
    app(db).await?.pin_model(version).await.map_err(chinese)?;
    match version {
        Some(v) => println!("已锁定并启用派单模型版本 {v}：重训不再自动替换"),
        None => println!("已解除锁定：重训的模型不低于现用模型时自动启用"),
    }
    Ok(())
}

pub async fn learning(db: &str) -> Result<()> {
    let report = app(db).await?.learning_report().await.map_err(chinese)?;
    for s in &report.examples {
        println!("{}（权重 {}）: {} 条", s.label, s.weight, s.count);
    }
    println!(
        "现用模型: {}；锁定: {}",
        report.active.map_or("无".into(), |v| v.to_string()),
        report.pinned.map_or("无".into(), |v| v.to_string())
    );
    for r in &report.runs {
        println!(
            "{} 候选 {} 宏F1 {:.4} 对比 {} → {}",
            r.at.format("%Y-%m-%d %H:%M"),
            r.candidate,
            r.candidate_macro_f1,
            r.active_macro_f1.map_or("-".into(), |f| format!("{f:.4}")),
            r.decision.label()
        );
    }
    Ok(())
}
