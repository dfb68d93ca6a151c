//! Mail by SMTP (邮件通知): each message as a plain-text mail in UTF-8 from the centre's
//! address, through the operator's mail server (lettre on tokio, TLS by rustls).

use std::time::Duration;

use jiesu_store::CitizenMessage;
use jiesu_store::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::Sender;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same host or network, or a test sink).
    None,
    /// STARTTLS, required (port 587 by default).
    StartTls,
    /// TLS from the first byte (SMTPS, port 465 by default).
    Tls,
}

/// Where and as whom mail is sent. Not `Debug`: it holds the password.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    /// `None`: the usual port of `tls` (25, 587, 465).
    pub port: Option<u16>,
    pub tls: SmtpTls,
    /// The sender, `noreply@example.cn` or `12345热线 <noreply@example.cn>`.
    pub from: String,
    /// The login, if the server wants one; the password comes from the environment.
    pub username: Option<String>,
    pub password: Option<String>,
}

/// Sends messages as mail through one SMTP server.
pub struct MailSender {
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl MailSender {
    /// A sender for `config`; a bad sender address, host or TLS setting is refused here,
    /// before the server starts.
    pub fn new(config: SmtpConfig) -> Result<MailSender, String> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|_| format!("发件地址「{}」格式不正确", config.from))?;
        let host = config.host.trim();
        if host.is_empty() {
            return Err("未设置邮件服务器地址".into());
        }
        let builder = match config.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| format!("邮件服务器 TLS 设置无效：{e}"))?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .map_err(|e| format!("邮件服务器 TLS 设置无效：{e}"))?,
        };
        let mut builder = builder.timeout(Some(Duration::from_secs(10)));
        if let Some(port) = config.port {
            builder = builder.port(port);
        }
        match (config.username, config.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user, password));
            }
            (Some(_), None) => return Err("设置了邮件登录名，但未设置密码环境变量".into()),
            (None, _) => {}
        }
        Ok(MailSender {
            from,
            transport: builder.build(),
        })
    }
}

#[async_trait]
impl Sender for MailSender {
    async fn send(&self, m: &CitizenMessage) -> Result<(), String> {
        let to: Mailbox = m
            .recipient
            .parse()
            .map_err(|_| "收件地址格式不正确".to_string())?;
        let mail = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.as_str())
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|_| "邮件内容无法生成".to_string())?;
        match self.transport.send(mail).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_timeout() => Err("邮件服务器超时".into()),
            Err(e) => Err(match e.status() {
                Some(code) => format!("邮件服务器返回 {code}"),
                None => "无法连接邮件服务器".into(),
            }),
        }
    }
}
