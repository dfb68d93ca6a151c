//! Keeps the full-text index in step with the database: a catch-up from the change feed at
//! start (an index that is missing or behind is filled) and every interval after (writes of
//! other server processes).

use std::time::Duration;

use jiesu_app::App;

pub async fn run(app: App, interval: Duration) {
    let Some(search) = app.search() else { return };
    let mut ticker = tokio::time::interval(interval);
    let mut first = true;
    loop {
        ticker.tick().await;
        match search.catch_up(app.store.clone()).await {
            Ok(n) if first || n > 0 => tracing::info!(
                indexed = n,
                docs = search.index.num_docs(),
                "search index caught up"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "search index catch-up failed"),
        }
        first = false;
    }
}
