//! Where messages go (发送通道): an HTTP SMS gateway, the mail server ([`super::mail`]) or
//! the log (the demo), each message to the sender of its channel.

use std::collections::HashMap;
use std::time::Duration;

use jiesu_store::CitizenMessage;
use jiesu_store::async_trait;

/// Sends one message; an error is a short reason (kept for staff and retried).
#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, message: &CitizenMessage) -> Result<(), String>;
}

use super::MessageChannel;

/// Writes each message to the log, the recipient masked (演示).
pub struct LogSender;

#[async_trait]
impl Sender for LogSender {
    async fn send(&self, m: &CitizenMessage) -> Result<(), String> {
        tracing::info!(to = %super::masked(m), channel = %m.channel, event = %m.event, subject = %m.subject, body = %m.body, "citizen message (log sender)");
        Ok(())
    }
}

/// The sender of each channel (短信、邮件): a message goes to its channel's sender.
#[derive(Default)]
pub struct Senders {
    by_channel: Vec<(MessageChannel, Box<dyn Sender>)>,
}

impl Senders {
    /// Sends `channel`'s messages through `sender` (replacing an earlier one).
    pub fn with(mut self, channel: MessageChannel, sender: Box<dyn Sender>) -> Senders {
        self.by_channel.retain(|(c, _)| *c != channel);
        self.by_channel.push((channel, sender));
        self
    }

    /// The channels there is a sender for: citizens are told on those only.
    pub fn channels(&self) -> Vec<MessageChannel> {
        self.by_channel.iter().map(|(c, _)| *c).collect()
    }
}

#[async_trait]
impl Sender for Senders {
    async fn send(&self, m: &CitizenMessage) -> Result<(), String> {
        let channel = MessageChannel::from_code(&m.channel);
        match self.by_channel.iter().find(|(c, _)| Some(*c) == channel) {
            Some((_, sender)) => sender.send(m).await,
            None => Err(format!("未配置「{}」发送通道", m.channel)),
        }
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
