//! The webhook notifier (消息推送): POSTs each notice as JSON to a configured URL. Delivery
//! is claimed in the database, retried with exponential back-off, and never blocks a
//! request: it runs in its own task.

use std::time::Duration;

use chrono::Utc;
use jiesu_store::{Delivery, Store};
use serde_json::json;

/// Attempts before a notice is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before attempt `attempts + 1`: 10 s, 20 s, 40 s … capped at one hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    let seconds = 10i64.saturating_mul(1 << attempts.clamp(0, 12));
    chrono::Duration::seconds(seconds.min(3600))
}

/// Delivers pending notices to `url` every `interval`, until the process ends.
pub async fn run(store: std::sync::Arc<dyn Store>, url: String, interval: Duration) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook client could not be built");
            return;
        }
    };
    let claim = format!("{}-{}", std::process::id(), rand::random::<u64>());
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        let batch = match store.claim_deliveries(&claim, Utc::now(), 50).await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(error = %e, "webhook claim failed");
                continue;
            }
        };
        for delivery in batch {
            deliver(&*store, &client, &url, delivery).await;
        }
    }
}

async fn deliver(store: &dyn Store, client: &reqwest::Client, url: &str, d: Delivery) {
    let body = json!({
        "id": d.item.id,
        "appeal": d.item.appeal,
        "recipient": d.item.recipient,
        "kind": d.item.kind,
        "message": d.item.message,
        "created_at": d.item.created_at,
    });
    let ok = match client.post(url).json(&body).send().await {
        Ok(resp) if resp.status().is_success() => true,
        Ok(resp) => {
            tracing::warn!(status = %resp.status(), id = d.item.id, "webhook refused");
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, id = d.item.id, "webhook unreachable");
            false
        }
    };
    let retry_at = (!ok && d.attempts + 1 < MAX_ATTEMPTS).then(|| Utc::now() + backoff(d.attempts));
    if let Err(e) = store.finish_delivery(d.item.id, ok, retry_at).await {
        tracing::error!(error = %e, id = d.item.id, "webhook bookkeeping failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0).num_seconds(), 10);
        assert_eq!(backoff(1).num_seconds(), 20);
        assert_eq!(backoff(3).num_seconds(), 80);
        assert_eq!(backoff(20).num_seconds(), 3600);
    }
}
