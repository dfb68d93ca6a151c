//! Sending messages to citizens (通知发送): every `interval`, the outbox's due messages go
//! through the configured sender, retried with back-off (see [`jiesu_app::notify`]).

use std::time::Duration;

use jiesu_app::App;
use jiesu_app::notify::Sender;

/// Sends due messages through `sender` every `interval`, until the process ends.
pub async fn run(app: App, sender: Box<dyn Sender>, interval: Duration) {
    let claim = format!("{}-{}", std::process::id(), rand::random::<u64>());
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        app.send_due_messages(&*sender, &claim, chrono::Utc::now())
            .await;
    }
}
