//! Telling citizens (通知): a citizen who left a mobile phone or a mail address is told when
//! the appeal is received (its number and query code), dispatched, answered and when the
//! callback is due — by SMS to the phone and by mail to the mail address. Messages go to an
//! outbox right after the change that causes them (one per appeal, event and channel, so a
//! step the appeal passes twice is told once) and a job sends them through a [`Sender`]
//! with retry and back-off; staff see those pending or given up. A message says only what
//! its template ([`texts`]) says — the number, the query code and the step — so nothing of
//! a confidential (保密) citizen leaves in it.
//!
//! - [`texts`]: the templates per event and channel, and what they may name.
//! - [`sender`]: the sender trait, the log, the HTTP SMS gateway and the routing by channel.
//! - [`mail`]: mail by SMTP.

pub mod mail;
pub mod sender;
pub mod texts;

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{Appeal, mask_email, mask_phone};
use jiesu_domain::status::Status;
use jiesu_store::{CitizenMessage, NewMessage, Store};

pub use mail::{MailSender, SmtpConfig, SmtpTls};
pub use sender::{HttpSmsSender, LogSender, Sender, Senders};
pub use texts::{MessageChannel, MessageTexts};

use crate::App;

/// What a message tells (通知事项).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageEvent {
    /// 已受理: the number and the query code.
    Received,
    /// 已派单: sent to the body that handles it.
    Dispatched,
    /// 已答复: the answer is approved.
    Answered,
    /// 待回访: the centre will call back.
    CallbackDue,
}

impl MessageEvent {
    pub const ALL: [MessageEvent; 4] = [
        MessageEvent::Received,
        MessageEvent::Dispatched,
        MessageEvent::Answered,
        MessageEvent::CallbackDue,
    ];

    /// The name stored and sent to gateways.
    pub fn code(self) -> &'static str {
        match self {
            MessageEvent::Received => "received",
            MessageEvent::Dispatched => "dispatched",
            MessageEvent::Answered => "answered",
            MessageEvent::CallbackDue => "callback_due",
        }
    }

    /// The events a change to `status` tells (receipt is told by intake, with the code).
    fn after(status: Status) -> &'static [MessageEvent] {
        match status {
            Status::Dispatched => &[MessageEvent::Dispatched],
            Status::AwaitingCallback => &[MessageEvent::Answered, MessageEvent::CallbackDue],
            _ => &[],
        }
    }
}

/// The attempts a message gets before it is given up.
pub const MAX_ATTEMPTS: i64 = 6;

/// The wait after a failed attempt `attempts` (0-based): 30 s, 60 s, 120 s … capped at an hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    let seconds = 30i64.saturating_mul(1 << attempts.clamp(0, 12));
    chrono::Duration::seconds(seconds.min(3600))
}

impl App {
    /// Puts the messages `event`s owe the citizen of `appeal` in the outbox: by SMS to a
    /// mobile phone and by mail to a mail address, on the channels this server sends. A
    /// failure is logged: the change stands.
    pub(crate) async fn tell_citizen(
        &self,
        appeal: &Appeal,
        events: &[MessageEvent],
        query_code: &str,
    ) {
        let citizen = &appeal.citizen;
        let mobile = citizen.phone.as_deref().filter(|p| is_mobile(p));
        let contacts = [
            (MessageChannel::Sms, mobile),
            (MessageChannel::Mail, citizen.email.as_deref()),
        ];
        for (channel, recipient) in contacts {
            let Some(recipient) = recipient.filter(|_| self.message_channels.contains(&channel))
            else {
                continue;
            };
            for event in events {
                let text = self
                    .message_texts
                    .render(*event, channel, &appeal.number.0, query_code);
                let message = NewMessage {
                    appeal: appeal.id,
                    event: event.code().into(),
                    channel: channel.code().into(),
                    recipient: recipient.into(),
                    subject: text.subject,
                    body: text.body,
                    at: Utc::now(),
                };
                if let Err(e) = self.store.enqueue_message(&message).await {
                    tracing::error!(error = %e, appeal = appeal.id.0, event = event.code(), "citizen message not queued");
                }
            }
        }
    }

    /// Tells the citizen what the change of `appeal` to its current state means for them.
    pub(crate) async fn tell_citizen_of_change(&self, appeal: &Appeal) {
        self.tell_citizen(appeal, MessageEvent::after(appeal.status), "")
            .await;
    }

    /// Sends the messages due at `now` through `sender`: each sent one is marked, a failed
    /// one tried again after [`backoff`] or, after [`MAX_ATTEMPTS`], given up for staff to
    /// see. Returns how many were sent.
    pub async fn send_due_messages(
        &self,
        sender: &dyn Sender,
        claim: &str,
        now: DateTime<Utc>,
    ) -> usize {
        send_due(&*self.store, sender, claim, now).await
    }
}

async fn send_due(
    store: &dyn Store,
    sender: &dyn Sender,
    claim: &str,
    now: DateTime<Utc>,
) -> usize {
    let batch = match store.claim_messages(claim, now, 50).await {
        Ok(batch) => batch,
        Err(e) => {
            tracing::error!(error = %e, "citizen messages not claimed");
            return 0;
        }
    };
    let mut sent = 0;
    for message in batch {
        let result = sender.send(&message).await;
        let (error, retry_at) = match &result {
            Ok(()) => (None, None),
            Err(e) => {
                tracing::warn!(error = %e, id = message.id, to = %masked(&message), "citizen message not sent");
                let retry =
                    (message.attempts + 1 < MAX_ATTEMPTS).then(|| now + backoff(message.attempts));
                (Some(e.as_str()), retry)
            }
        };
        sent += usize::from(result.is_ok());
        if let Err(e) = store.finish_message(message.id, now, error, retry_at).await {
            tracing::error!(error = %e, id = message.id, "citizen message bookkeeping failed");
        }
    }
    sent
}

/// A mainland mobile number, the only phone an SMS reaches.
fn is_mobile(phone: &str) -> bool {
    phone.len() == 11 && phone.starts_with('1') && phone.bytes().all(|b| b.is_ascii_digit())
}

/// The recipient as staff and the log see it: the phone or the mail address masked.
pub fn masked(message: &CitizenMessage) -> String {
    match MessageChannel::from_code(&message.channel) {
        Some(MessageChannel::Mail) => mask_email(&message.recipient),
        _ => mask_phone(&message.recipient),
    }
}

/// What staff see of a message: the recipient masked, and in the receipt the query code
/// (the citizen's own secret; the only run of exactly six digits a receipt has, the number
/// being thirteen) masked too.
pub fn for_staff(mut message: CitizenMessage) -> CitizenMessage {
    message.recipient = masked(&message);
    if message.event == MessageEvent::Received.code() {
        message.body = mask_six_digit_runs(&message.body);
    }
    message
}

fn mask_six_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 6 {
            out.push_str("******");
        } else {
            out.extend(&chars[i..i + run.max(1)]);
        }
        i += run.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(channel: MessageChannel, recipient: &str) -> CitizenMessage {
        let text = MessageTexts::default().render(
            MessageEvent::Received,
            channel,
            "2026120100001",
            "123456",
        );
        CitizenMessage {
            id: 1,
            appeal: jiesu_domain::ids::AppealId(1),
            event: "received".into(),
            channel: channel.code().into(),
            recipient: recipient.into(),
            subject: text.subject,
            body: text.body,
            state: jiesu_store::MessageState::Pending,
            attempts: 0,
            next_at: Utc::now(),
            last_error: String::new(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn staff_see_neither_recipient_nor_query_code() {
        let seen = for_staff(message(MessageChannel::Sms, "13800001111"));
        assert_eq!(seen.recipient, "138****1111");
        assert!(!seen.body.contains("123456"), "{}", seen.body);
        assert!(seen.body.contains("查询码 ******，可凭此"), "{}", seen.body);
        assert!(seen.body.contains("2026120100001"), "{}", seen.body);
        let seen = for_staff(message(MessageChannel::Mail, "liming@example.cn"));
        assert_eq!(seen.recipient, "l***@example.cn");
        assert!(!seen.body.contains("123456"), "{}", seen.body);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0).num_seconds(), 30);
        assert_eq!(backoff(2).num_seconds(), 120);
        assert_eq!(backoff(30).num_seconds(), 3600);
    }

    #[test]
    fn only_mobiles_get_an_sms() {
        assert!(is_mobile("13800001111"));
        assert!(!is_mobile("03511234567") && !is_mobile("12345"));
    }
}
