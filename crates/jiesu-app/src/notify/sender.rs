//! Where messages go (发送通道): an HTTP SMS gateway, or the log (the demo).

use std::collections::HashMap;
use std::time::Duration;

use jiesu_domain::appeal::mask_phone;
use jiesu_store::CitizenMessage;
use jiesu_store::async_trait;

/// Sends one message; an error is a short reason (kept for staff and retried).
#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, message: &CitizenMessage) -> Result<(), String>;
}

/// Writes each message to the log, the phone masked (演示).
pub struct LogSender;

#[async_trait]
impl Sender for LogSender {
    async fn send(&self, m: &CitizenMessage) -> Result<(), String> {
        tracing::info!(to = %mask_phone(&m.recipient), event = %m.event, body = %m.body, "citizen message (log sender)");
        Ok(())
    }
}

/// An HTTP SMS gateway (短信网关): POSTs `{"to", "event", "template", "text"}` as JSON to
/// `url`, with `Authorization: Bearer <secret>` when a secret is set; `template` is the
/// gateway's template for the event (`templates`, by event code; the event code when
/// none is set). A 2xx answer is sent.
pub struct HttpSmsSender {
    url: String,
    secret: Option<String>,
    templates: HashMap<String, String>,
    client: reqwest::Client,
}

impl HttpSmsSender {
    /// `secret` comes from the environment, never from a flag.
    pub fn new(
        url: String,
        secret: Option<String>,
        templates: HashMap<String, String>,
    ) -> Result<HttpSmsSender, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(HttpSmsSender {
            url,
            secret,
            templates,
            client,
        })
    }
}

#[async_trait]
impl Sender for HttpSmsSender {
    async fn send(&self, m: &CitizenMessage) -> Result<(), String> {
        let template = self.templates.get(&m.event).unwrap_or(&m.event);
        let body = serde_json::json!({
            "to": m.recipient,
            "event": m.event,
            "template": template,
            "text": m.body,
        });
        let mut request = self.client.post(&self.url).json(&body);
        if let Some(secret) = &self.secret {
            request = request.bearer_auth(secret);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("短信网关返回 {}", r.status().as_u16())),
            Err(e) if e.is_timeout() => Err("短信网关超时".into()),
            Err(_) => Err("无法连接短信网关".into()),
        }
    }
}
