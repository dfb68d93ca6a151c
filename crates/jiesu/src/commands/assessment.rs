//! `jiesu assessment rebuild`: the assessment facts of appeals recorded before they were
//! kept, rebuilt from their events with progress shown.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_app::App;

pub async fn rebuild(db: &str) -> Result<()> {
    let app = App::load(crate::backend::open(db).await?).await?;
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} 补建考核事实：已检查 {pos} 件诉求 {msg}")
            .expect("valid template"),
    );
    let done = app
        .backfill_assessment_facts(|p| {
            bar.set_position(p.checked as u64);
            bar.set_message(format!("（补建 {} 件）", p.restored));
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "补建考核事实完成：检查 {} 件无考核事实的诉求，补建 {} 件（其余未派单）",
        done.checked, done.restored
    );
    Ok(())
}
