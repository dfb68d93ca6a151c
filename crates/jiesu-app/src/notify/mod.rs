//! Telling citizens (通知): a citizen who left a phone is told when the appeal is received
//! (its number and query code), dispatched, answered and when a callback is due. Messages
//! go to an outbox right after the change that causes them (one per appeal and event) and
//! a job sends them through a [`Sender`] with retry and back-off; staff see those pending or
//! given up. A message says only what its template says — the number, the query code and
//! the step — so nothing of a confidential (保密) citizen leaves in it.

pub mod sender;

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{Appeal, mask_phone};
use jiesu_domain::status::Status;
use jiesu_store::{CitizenMessage, NewMessage, Store};

pub use sender::{HttpSmsSender, LogSender, Sender};

use crate::App;

/// What precedes the query code in a message.
const QUERY_CODE_LABEL: &str = "查询码 ";

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

    /// The text of the message: only the number and, on receipt, the query code.
    pub fn render(self, number: &str, query_code: &str) -> String {
        match self {
            MessageEvent::Received => format!(
                "【12345】您的诉求已受理，受理编号 {number}，{QUERY_CODE_LABEL}{query_code}，可凭此查询办理进度。"
            ),
            MessageEvent::Dispatched => {
                format!("【12345】您的诉求（受理编号 {number}）已转交承办单位办理。")
            }
            MessageEvent::Answered => {
                format!("【12345】您的诉求（受理编号 {number}）已办理答复，可凭查询码查看答复。")
            }
            MessageEvent::CallbackDue => {
                format!("【12345】您的诉求（受理编号 {number}）近日将进行回访，请留意来电。")
            }
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
    /// Puts the messages `event`s owe the citizen of `appeal` in the outbox, if the citizen
    /// left a phone and telling citizens is on. A failure is logged: the change stands.
    pub(crate) async fn tell_citizen(
        &self,
        appeal: &Appeal,
        events: &[MessageEvent],
        query_code: &str,
    ) {
        let Some(phone) = appeal
            .citizen
            .phone
            .as_deref()
            .filter(|_| self.tells_citizens())
        else {
            return;
        };
        for event in events {
            let message = NewMessage {
                appeal: appeal.id,
                event: event.code().into(),
                channel: "sms".into(),
                recipient: phone.into(),
                body: event.render(&appeal.number.0, query_code),
                at: Utc::now(),
            };
            if let Err(e) = self.store.enqueue_message(&message).await {
                tracing::error!(error = %e, appeal = appeal.id.0, event = event.code(), "citizen message not queued");
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
                tracing::warn!(error = %e, id = message.id, to = %mask_phone(&message.recipient), "citizen message not sent");
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

/// What staff see of a message: the phone and the query code masked (the code is the
/// citizen's own secret).
pub fn for_staff(mut message: CitizenMessage) -> CitizenMessage {
    message.recipient = mask_phone(&message.recipient);
    if let Some((head, tail)) = message.body.split_once(QUERY_CODE_LABEL) {
        let rest: String = tail.chars().skip_while(char::is_ascii_digit).collect();
        message.body = format!("{head}{QUERY_CODE_LABEL}******{rest}");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_see_neither_phone_nor_query_code() {
        let message = CitizenMessage {
            id: 1,
            appeal: jiesu_domain::ids::AppealId(1),
            event: "received".into(),
            channel: "sms".into(),
            recipient: "13800001111".into(),
            body: MessageEvent::Received.render("2026120100001", "123456"),
            state: jiesu_store::MessageState::Pending,
            attempts: 0,
            next_at: Utc::now(),
            last_error: String::new(),
            created_at: Utc::now(),
        };
        let seen = for_staff(message);
        assert_eq!(seen.recipient, "138****1111");
        assert!(!seen.body.contains("123456"), "{}", seen.body);
        assert!(seen.body.contains("查询码 ******，可凭此"), "{}", seen.body);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0).num_seconds(), 30);
        assert_eq!(backoff(2).num_seconds(), 120);
        assert_eq!(backoff(30).num_seconds(), 3600);
    }

    #[test]
    fn messages_say_the_number_and_only_receipt_the_code() {
        let text = MessageEvent::Received.render("2026120100001", "123456");
        assert!(text.contains("2026120100001") && text.contains("123456"));
        for event in &MessageEvent::ALL[1..] {
            assert!(!event.render("2026120100001", "123456").contains("123456"));
        }
    }
}
