//! `jiesu serve`: the web pages and the API on one address.

use std::sync::Arc;

use anyhow::{Context, Result};
use jiesu_app::App;
use jiesu_app::search::Search;
use jiesu_store::Store;
use jiesu_web::AppState;

use crate::cli::JobOptions;

pub async fn run(db: &str, listen: &str, jobs: &JobOptions) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let mut jobs = jobs.clone();
    jobs.index_dir.get_or_insert_with(|| default_index_dir(db));
    serve_until_ctrl_c(store, listen, &jobs).await
}

/// Where a database's full-text index lives unless configured: beside an SQLite file
/// (`jiesu.db` → `jiesu.db-index`), or under `jiesu-index/` named after a PostgreSQL
/// database — so two databases never share an index.
pub fn default_index_dir(db: &str) -> std::path::PathBuf {
    if let Some(path) = db
        .strip_prefix("sqlite://")
        .or_else(|| db.strip_prefix("sqlite:"))
    {
        return std::path::PathBuf::from(format!("{path}-index"));
    }
    let name: String = db
        .split("://")
        .nth(1)
        .unwrap_or(db)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    std::path::Path::new("jiesu-index").join(name)
}

/// Serves `store` on `listen`, with the background jobs, until Ctrl-C or SIGTERM.
pub async fn serve_until_ctrl_c(
    store: Arc<dyn Store>,
    listen: &str,
    jobs: &JobOptions,
) -> Result<()> {
    let state = start(store, jobs).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("无法监听 {listen}"))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, backend = state.store.backend(), "serving");
    println!("jiesu 已启动：http://{addr}/");
    jiesu_web::serve_with(
        listener,
        state,
        jobs.server.serve_config(),
        shutdown_signal(),
    )
    .await?;
    Ok(())
}

/// The server's state over `store` with everything `jiesu serve` runs beside the requests:
/// the search index and its catch-up, the deadline scanner, the settings watcher and the
/// webhook notifier.
pub async fn start(store: Arc<dyn Store>, jobs: &JobOptions) -> Result<AppState> {
    let index_dir = jobs
        .index_dir
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("jiesu-index"));
    if let Some(parent) = index_dir.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建 {}", parent.display()))?;
    }
    let search = Search::open(Some(&index_dir))
        .with_context(|| format!("无法打开检索索引 {}", index_dir.display()))?;
    let files = jobs.files.files(store.clone())?;
    tracing::info!(storage = %files.storage.label(), "attachments");
    let senders = jobs.notify.senders()?;
    let channels = senders.as_ref().map(|s| s.channels()).unwrap_or_default();
    let app = App::load(store)
        .await?
        .with_search(search)
        .with_files(files)
        .with_message_channels(&channels)
        .with_message_texts(jobs.notify.texts()?);
    if let Some(days) = jobs.escalate_after_days {
        app.save_escalate_after_days(days).await?;
    }
    tokio::spawn(crate::jobs::search::run(
        app.clone(),
        std::time::Duration::from_secs(5),
    ));
    let scan = std::time::Duration::from_secs(jobs.scan_seconds.max(1));
    tokio::spawn(crate::jobs::scanner::run(app.clone(), scan));
    tokio::spawn(crate::jobs::settings::run(
        app.clone(),
        std::time::Duration::from_secs(jobs.settings_seconds.max(1)),
    ));
    if jobs.learning.learn_seconds > 0 {
        tokio::spawn(crate::jobs::learning::learn(
            app.clone(),
            std::time::Duration::from_secs(jobs.learning.learn_seconds),
        ));
    }
    if let Some(every) = jobs.learning.retrain_every.0 {
        tokio::spawn(crate::jobs::learning::retrain(app.clone(), every));
    }
    if !jobs.webhook_url.is_empty() {
        let url = jobs.webhook_url.clone();
        tokio::spawn(crate::jobs::webhook::run(
            app.store.clone(),
            url,
            std::time::Duration::from_secs(2),
        ));
    }
    if let Some(senders) = senders {
        tokio::spawn(crate::jobs::citizen_messages::run(
            app.clone(),
            Box::new(senders),
            std::time::Duration::from_secs(2),
        ));
    }
    let mut state = AppState::new(app);
    state.secure_cookies = jobs.server.tls();
    state.limits = jiesu_web::limits::Limits::new(jobs.server.limits());
    Ok(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
