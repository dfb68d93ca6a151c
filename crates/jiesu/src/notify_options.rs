//! Whether and how `jiesu serve` tells citizens (通知): off, to the log (the demo), through
//! an HTTP SMS gateway, by mail through an SMTP server, or both. Secrets (the gateway's
//! bearer token, the mail password) come from the environment only.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use jiesu_app::notify::{
    HttpSmsSender, LogSender, MailSender, MessageChannel, MessageTexts, Senders, SmtpConfig,
    SmtpTls,
};

/// How citizens are told; `sms` and `mail` combine (`--notify sms,mail`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyMode {
    /// Citizens are not told; nothing is queued.
    Off,
    /// Messages of the channels not given otherwise are written to the log (演示).
    Log,
    /// SMS to mobile phones, posted to the HTTP SMS gateway at `--notify-sms-url`.
    Sms,
    /// Mail to mail addresses, through the SMTP server at `--notify-smtp-host`.
    Mail,
}

/// How the connection to the mail server is protected.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTlsMode {
    /// Plain SMTP (a relay on the same host, a test sink).
    None,
    /// STARTTLS, required (port 587 by default).
    Starttls,
    /// TLS from the first byte (SMTPS, port 465 by default).
    Tls,
}

/// The options of telling citizens.
#[derive(clap::Args, Clone)]
pub struct NotifyOptions {
    /// Tell citizens who left a mobile phone or a mail address when their appeal is
    /// received, dispatched, answered and when a callback is due: `off`, `log`, `sms`,
    /// `mail`, or `sms,mail`.
    #[arg(
        long,
        env = "JIESU_NOTIFY",
        value_enum,
        value_delimiter = ',',
        default_value = "off"
    )]
    pub notify: Vec<NotifyMode>,
    /// The SMS gateway's URL (with `--notify sms`); its bearer secret is read from
    /// `JIESU_NOTIFY_SMS_SECRET`.
    #[arg(long, env = "JIESU_NOTIFY_SMS_URL")]
    pub notify_sms_url: Option<String>,
    /// The gateway's template per event: `received=SMS_1,dispatched=SMS_2,answered=SMS_3,callback_due=SMS_4`.
    #[arg(long, env = "JIESU_NOTIFY_SMS_TEMPLATES", default_value = "")]
    pub notify_sms_templates: String,
    /// The mail server (with `--notify mail`); the password is read from
    /// `JIESU_NOTIFY_SMTP_PASSWORD`.
    #[arg(long, env = "JIESU_NOTIFY_SMTP_HOST")]
    pub notify_smtp_host: Option<String>,
    /// The mail server's port (default: 25, 587 with STARTTLS, 465 with TLS).
    #[arg(long, env = "JIESU_NOTIFY_SMTP_PORT")]
    pub notify_smtp_port: Option<u16>,
    /// How the connection to the mail server is protected.
    #[arg(
        long,
        env = "JIESU_NOTIFY_SMTP_TLS",
        value_enum,
        default_value = "starttls"
    )]
    pub notify_smtp_tls: SmtpTlsMode,
    /// The login at the mail server, if it wants one.
    #[arg(long, env = "JIESU_NOTIFY_SMTP_USER")]
    pub notify_smtp_user: Option<String>,
    /// The sender of the mail: `noreply@example.cn` or `12345热线 <noreply@example.cn>`.
    #[arg(long, env = "JIESU_NOTIFY_MAIL_FROM")]
    pub notify_mail_from: Option<String>,
    /// A JSON file with the words of the messages per event, laid over the defaults:
    /// `{"received": {"sms": "…", "subject": "…", "mail": "…"}, …}`; templates may name only
    /// `{number}` and, in `received`, `{query_code}`.
    #[arg(long, env = "JIESU_NOTIFY_TEXTS")]
    pub notify_texts: Option<PathBuf>,
}

impl NotifyOptions {
    /// The senders the options name, by channel; `None` when citizens are not told.
    pub fn senders(&self) -> Result<Option<Senders>> {
        let modes = &self.notify;
        if modes.contains(&NotifyMode::Off) {
            if modes.len() > 1 {
                bail!("--notify off 不能与其他方式同时使用");
            }
            return Ok(None);
        }
        let mut senders = Senders::default();
        if modes.contains(&NotifyMode::Log) {
            for channel in MessageChannel::ALL {
                senders = senders.with(channel, Box::new(LogSender));
            }
        }
        if modes.contains(&NotifyMode::Sms) {
            senders = senders.with(MessageChannel::Sms, Box::new(self.sms()?));
        }
        if modes.contains(&NotifyMode::Mail) {
            senders = senders.with(MessageChannel::Mail, Box::new(self.mail()?));
        }
        Ok(Some(senders))
    }

    /// The words of the messages: the defaults, or the file's laid over them.
    pub fn texts(&self) -> Result<MessageTexts> {
        let Some(path) = &self.notify_texts else {
            return Ok(MessageTexts::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("无法读取通知模板文件 {}", path.display()))?;
        MessageTexts::from_json(&text).map_err(anyhow::Error::msg)
    }

    fn sms(&self) -> Result<HttpSmsSender> {
        let Some(url) = self.notify_sms_url.clone().filter(|u| !u.trim().is_empty()) else {
            bail!("--notify sms 需要 --notify-sms-url（短信网关地址）");
        };
        let secret = std::env::var("JIESU_NOTIFY_SMS_SECRET")
            .ok()
            .filter(|s| !s.is_empty());
        HttpSmsSender::new(url, secret, templates(&self.notify_sms_templates)?)
            .map_err(anyhow::Error::msg)
    }

    fn mail(&self) -> Result<MailSender> {
        let Some(host) = self
            .notify_smtp_host
            .clone()
            .filter(|h| !h.trim().is_empty())
        else {
            bail!("--notify mail 需要 --notify-smtp-host（邮件服务器地址）");
        };
        let Some(from) = self
            .notify_mail_from
            .clone()
            .filter(|f| !f.trim().is_empty())
        else {
            bail!("--notify mail 需要 --notify-mail-from（发件地址）");
        };
        let tls = match self.notify_smtp_tls {
            SmtpTlsMode::None => SmtpTls::None,
            SmtpTlsMode::Starttls => SmtpTls::StartTls,
            SmtpTlsMode::Tls => SmtpTls::Tls,
        };
        MailSender::new(SmtpConfig {
            host,
            port: self.notify_smtp_port,
            tls,
            from,
            username: self.notify_smtp_user.clone().filter(|u| !u.is_empty()),
            password: std::env::var("JIESU_NOTIFY_SMTP_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
        })
        .map_err(anyhow::Error::msg)
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
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        notify: NotifyOptions,
    }

    fn parse(args: &[&str]) -> NotifyOptions {
        Cli::parse_from(std::iter::once("jiesu").chain(args.iter().copied())).notify
    }

    #[test]
    fn templates_parse_and_refuse_unknown_events() {
        let t = templates("received=SMS_1, answered=SMS_3").unwrap();
        assert_eq!(t["received"], "SMS_1");
        assert_eq!(t.len(), 2);
        assert!(templates("closed=SMS_9").is_err());
        assert!(templates("received").is_err());
        assert!(templates("").unwrap().is_empty());
    }

    #[test]
    fn modes_combine_and_each_needs_its_server() {
        let both = parse(&[
            "--notify",
            "sms,mail",
            "--notify-sms-url",
            "http://127.0.0.1:9/sms",
            "--notify-smtp-host",
            "127.0.0.1",
            "--notify-smtp-tls",
            "none",
            "--notify-mail-from",
            "12345热线 <noreply@example.cn>",
        ]);
        let senders = both.senders().unwrap().unwrap();
        assert_eq!(
            senders.channels(),
            [MessageChannel::Sms, MessageChannel::Mail]
        );
        let mail_to_log = parse(&["--notify", "log,mail", "--notify-smtp-host", "127.0.0.1"]);
        assert!(
            mail_to_log.senders().is_err(),
            "mail needs a sender address"
        );
        assert!(parse(&["--notify", "off"]).senders().unwrap().is_none());
        assert!(parse(&["--notify", "off,log"]).senders().is_err());
        assert!(parse(&["--notify", "mail"]).senders().is_err());
        assert_eq!(
            parse(&["--notify", "log"])
                .senders()
                .unwrap()
                .unwrap()
                .channels()
                .len(),
            2
        );
    }
}
