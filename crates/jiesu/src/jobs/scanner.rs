//! Runs the deadline scanner every interval.

use std::time::Duration;

use chrono::Utc;
use jiesu_web::AppState;

/// Scans now and then every `interval`, until the process ends.
pub async fn run(state: AppState, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let started = std::time::Instant::now();
        match jiesu_store::scanner::scan(&state.store, &state.timekeeper(), Utc::now()).await {
            Ok(report) if report.checked + report.reprojected + report.followed > 0 => {
                tracing::info!(
                    reprojected = report.reprojected,
                    followed = report.followed,
                    checked = report.checked,
                    reminded = report.reminded,
                    escalated = report.escalated,
                    conflicts = report.conflicts,
                    ms = started.elapsed().as_millis() as u64,
                    "deadline scan"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "deadline scan failed"),
        }
    }
}
