//! Watches for a newly activated dispatch model (trained or restored by any process) and
//! swaps it in without a restart.

use std::time::Duration;

use jiesu_web::AppState;

pub async fn run(state: AppState, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.tick().await; // the model was loaded at start
    loop {
        ticker.tick().await;
        if let Err(e) = state.refresh_model().await {
            tracing::error!(error = %e, "dispatch model refresh failed");
        }
    }
}
