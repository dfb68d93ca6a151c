//! Whether and how `jiesu serve` tells citizens (通知): off, to the log (the demo), or
//! through an HTTP SMS gateway whose secret comes from the environment only.

use std::collections::HashMap;

use anyhow::{Result, bail};
use jiesu_app::notify::{HttpSmsSender, LogSender, Sender};

/// How citizens are told.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyMode {
    /// Citizens are not told; nothing is queued.
    Off,
    /// Messages are written to the log (演示).
    Log,
    /// Messages are posted to the HTTP SMS gateway at `--notify-sms-url`.
    Sms,
}

/// The options of telling citizens.
#[derive(clap::Args, Clone)]
pub struct NotifyOptions {
    /// Tell citizens who left a phone when their appeal is received, dispatched, answered
    /// and when a callback is due.
    #[arg(long, env = "JIESU_NOTIFY", value_enum, default_value = "off")]
    pub notify: NotifyMode,
    /// The SMS gateway's URL (with `--notify sms`); its bearer secret is read from
    /// `JIESU_NOTIFY_SMS_SECRET`.
    #[arg(long, env = "JIESU_NOTIFY_SMS_URL")]
    pub notify_sms_url: Option<String>,
    /// The gateway's template per event: `received=SMS_1,dispatched=SMS_2,answered=SMS_3,callback_due=SMS_4`.
    #[arg(long, env = "JIESU_NOTIFY_SMS_TEMPLATES", default_value = "")]
    pub notify_sms_templates: String,
}

impl NotifyOptions {
    /// The sender the options name; `None` when citizens are not told.
    pub fn sender(&self) -> Result<Option<Box<dyn Sender>>> {
        match self.notify {
            NotifyMode::Off => Ok(None),
            NotifyMode::Log => Ok(Some(Box::new(LogSender))),
            NotifyMode::Sms => {
                let Some(url) = self.notify_sms_url.clone().filter(|u| !u.trim().is_empty()) else {
                    bail!("--notify sms 需要 --notify-sms-url（短信网关地址）");
                };
                let secret = std::env::var("JIESU_NOTIFY_SMS_SECRET")
                    .ok()
                    .filter(|s| !s.is_empty());
                let sender =
                    HttpSmsSender::new(url, secret, templates(&self.notify_sms_templates)?)
                        .map_err(anyhow::Error::msg)?;
                Ok(Some(Box::new(sender)))
            }
        }
    }
}

/// Parses `event=template,…`; an unknown event or a pair without `=` is refused.
fn templates(text: &str) -> Result<HashMap<String, String>> {
    let known: Vec<&str> = jiesu_app::notify::MessageEvent::ALL
        .iter()
        .map(|e| e.code())
        .collect();
    let mut out = HashMap::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((event, template)) = pair.split_once('=') else {
            bail!("短信模板「{pair}」应为 事件=模板编号");
        };
        let event = event.trim();
        if !known.contains(&event) {
            bail!("未知通知事件「{event}」，可用：{}", known.join("、"));
        }
        out.insert(event.to_string(), template.trim().to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_and_refuse_unknown_events() {
        let t = templates("received=SMS_1, answered=SMS_3").unwrap();
        assert_eq!(t["received"], "SMS_1");
        assert_eq!(t.len(), 2);
        assert!(templates("closed=SMS_9").is_err());
        assert!(templates("received").is_err());
        assert!(templates("").unwrap().is_empty());
    }
}
