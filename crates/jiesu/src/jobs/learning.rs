//! Smart dispatch's learning loop inside `jiesu serve` (学习): the fast adaptation relearns
//! the labelled examples every few minutes, and a full retrain runs on its schedule — one
//! server of several claims each due retrain through the database.

use std::time::Duration;

use chrono::Utc;
use jiesu_app::App;
use jiesu_app::dispatch::retrain::claim_due;

/// Relearns the examples every `interval`, starting now.
pub async fn learn(app: App, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        if let Err(e) = app.learn().await {
            tracing::error!(error = %e, "learning from the labelled examples failed");
        }
    }
}

/// Retrains every `every`; checks once a minute (or every `every`, if shorter) whether a
/// retrain is due.
pub async fn retrain(app: App, every: Duration) {
    let mut ticker = tokio::time::interval(every.min(Duration::from_secs(60)));
    loop {
        ticker.tick().await;
        match claim_due(&*app.store, every, Utc::now()).await {
            Ok(false) => {}
            Ok(true) => {
                if let Err(e) = app.retrain("schedule").await {
                    tracing::error!(error = %e, "scheduled retrain failed");
                }
            }
            Err(e) => tracing::error!(error = %e, "retrain schedule check failed"),
        }
    }
}
