//! Watches the settings stamp: a change of time limits, calendar, taxonomy, routing,
//! escalation threshold, bodies or active model made by any server process is picked up here
//! within one interval, without a restart.

use std::time::Duration;

use jiesu_app::App;

pub async fn run(app: App, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.tick().await; // the settings were loaded at start
    loop {
        ticker.tick().await;
        if let Err(e) = app.refresh_settings().await {
            tracing::error!(error = %e, "settings refresh failed");
        }
    }
}
