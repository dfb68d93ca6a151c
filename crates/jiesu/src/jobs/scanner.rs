//! Runs the deadline scanner every interval: appeals, then government tasks' clocks.

use std::time::Duration;

use chrono::Utc;
use jiesu_app::App;

/// Scans now and then every `interval`, until the process ends. Each pass first picks up
/// settings changed by any server, so that every process scans under the same rules and
/// none re-projects deadlines under rules another has replaced.
pub async fn run(app: App, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let started = std::time::Instant::now();
        if let Err(e) = app.refresh_settings().await {
            tracing::error!(error = %e, "settings refresh before the deadline scan failed");
            continue;
        }
        match jiesu_app::scanner::scan(&app.store, &app.timekeeper(), Utc::now()).await {
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
        let calendar = &app.timekeeper().calendar;
        match jiesu_app::tasks::scan::scan_tasks(&*app.store, calendar, Utc::now()).await {
            Ok(report) if report.changed > 0 => tracing::info!(
                checked = report.checked,
                changed = report.changed,
                alerts = report.alerts,
                "task deadline scan"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "task deadline scan failed"),
        }
    }
}
