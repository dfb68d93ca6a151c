//! The words of the messages (通知模板): per event an SMS text, a mail subject and a mail
//! body, in Chinese, configurable by the operator. A template may name only the appeal's
//! number (`{number}`) and, in the receipt, the citizen's query code (`{query_code}`):
//! there is no placeholder for the name, the phone, the place or the text of the appeal,
//! so no template can put a confidential (保密) citizen's data in a message.

use std::collections::HashMap;

use serde::Deserialize;

use super::MessageEvent;

/// Longest template accepted, in characters.
const MAX_TEMPLATE_CHARS: usize = 1000;

/// Where a message goes (发送渠道).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageChannel {
    /// 短信, to a mobile phone.
    Sms,
    /// 邮件, to a mail address.
    Mail,
}

impl MessageChannel {
    pub const ALL: [MessageChannel; 2] = [MessageChannel::Sms, MessageChannel::Mail];

    /// The name stored with a message.
    pub fn code(self) -> &'static str {
        match self {
            MessageChannel::Sms => "sms",
            MessageChannel::Mail => "mail",
        }
    }

    pub fn from_code(code: &str) -> Option<MessageChannel> {
        MessageChannel::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The name staff read.
    pub fn label(self) -> &'static str {
        match self {
            MessageChannel::Sms => "短信",
            MessageChannel::Mail => "邮件",
        }
    }
}

/// The words of one event's messages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTexts {
    pub sms: String,
    pub subject: String,
    pub mail: String,
}

/// One event's words as an operator's file gives them: any may be left out (the default
/// stays).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventOverride {
    sms: Option<String>,
    subject: Option<String>,
    mail: Option<String>,
}

/// A message as rendered: its subject (mail only) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// The templates of every event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTexts(HashMap<&'static str, EventTexts>);

const MAIL_FOOT: &str = "\n\n此邮件由系统自动发送，请勿直接回复。\n12345 政务服务便民热线";

impl Default for MessageTexts {
    fn default() -> MessageTexts {
        let texts = MessageEvent::ALL.map(|event| {
            let (sms, subject, mail) = match event {
                MessageEvent::Received => (
                    "【12345】您的诉求已受理，受理编号 {number}，查询码 {query_code}，可凭此查询办理进度。",
                    "您的诉求已受理（受理编号 {number}）",
                    "您好：\n\n您的诉求已受理，受理编号 {number}，查询码 {query_code}。\n您可凭受理编号和查询码在网上查询办理进度和答复。",
                ),
                MessageEvent::Dispatched => (
                    "【12345】您的诉求（受理编号 {number}）已转交承办单位办理。",
                    "您的诉求已转交承办单位（受理编号 {number}）",
                    "您好：\n\n您的诉求（受理编号 {number}）已转交承办单位办理，请耐心等待答复。",
                ),
                MessageEvent::Answered => (
                    "【12345】您的诉求（受理编号 {number}）已办理答复，可凭查询码查看答复。",
                    "您的诉求已答复（受理编号 {number}）",
                    "您好：\n\n您的诉求（受理编号 {number}）已办理答复，您可凭受理编号和查询码在网上查看答复。",
                ),
                MessageEvent::CallbackDue => (
                    "【12345】您的诉求（受理编号 {number}）近日将进行回访，请留意来电。",
                    "您的诉求待回访（受理编号 {number}）",
                    "您好：\n\n您的诉求（受理编号 {number}）已办理答复，近日将电话回访，请您对办理结果作出评价。",
                ),
            };
            (
                event.code(),
                EventTexts {
                    sms: sms.into(),
                    subject: subject.into(),
                    mail: format!("{mail}{MAIL_FOOT}"),
                },
            )
        });
        MessageTexts(texts.into_iter().collect())
    }
}

impl MessageTexts {
    /// The default templates with those of an operator's JSON file laid over them:
    /// `{"received": {"sms": "…", "subject": "…", "mail": "…"}, …}`, every part optional. An
    /// unknown event or part, or a template with a placeholder it may not use, is refused.
    pub fn from_json(text: &str) -> Result<MessageTexts, String> {
        let given: HashMap<String, EventOverride> =
            serde_json::from_str(text).map_err(|e| format!("通知模板文件格式不正确：{e}"))?;
        let mut texts = MessageTexts::default();
        for (code, over) in given {
            let event = MessageEvent::ALL
                .into_iter()
                .find(|e| e.code() == code)
                .ok_or_else(|| {
                    let known: Vec<&str> = MessageEvent::ALL.iter().map(|e| e.code()).collect();
                    format!("未知通知事件「{code}」，可用：{}", known.join("、"))
                })?;
            let slot = texts
                .0
                .get_mut(event.code())
                .expect("every event has texts");
            for (part, value, target) in [
                ("sms", over.sms, &mut slot.sms),
                ("subject", over.subject, &mut slot.subject),
                ("mail", over.mail, &mut slot.mail),
            ] {
                if let Some(value) = value {
                    check(event, &value).map_err(|e| format!("{code}.{part}：{e}"))?;
                    *target = value;
                }
            }
        }
        Ok(texts)
    }

    /// The message `event` sends on `channel` for the appeal `number`; `query_code` is
    /// said only in the receipt.
    pub fn render(
        &self,
        event: MessageEvent,
        channel: MessageChannel,
        number: &str,
        query_code: &str,
    ) -> Rendered {
        let texts = &self.0[event.code()];
        let fill = |template: &str| {
            let text = template.replace("{number}", number);
            if event == MessageEvent::Received {
                text.replace("{query_code}", query_code)
            } else {
                text
            }
        };
        match channel {
            MessageChannel::Sms => Rendered {
                subject: String::new(),
                body: fill(&texts.sms),
            },
            MessageChannel::Mail => Rendered {
                subject: fill(&texts.subject),
                body: fill(&texts.mail),
            },
        }
    }
}

/// Refuses a template that is empty, too long, has a control character other than a line
/// break, or names anything but the placeholders `event` may use.
fn check(event: MessageEvent, template: &str) -> Result<(), String> {
    if template.trim().is_empty() {
        return Err("模板不能为空".into());
    }
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(format!("模板不能超过 {MAX_TEMPLATE_CHARS} 个字"));
    }
    if template.chars().any(|c| c.is_control() && c != '\n') {
        return Err("模板含有控制字符".into());
    }
    let allowed: &[&str] = if event == MessageEvent::Received {
        &["number", "query_code"]
    } else {
        &["number"]
    };
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("模板中的花括号不成对".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("模板中的花括号不成对")?;
        let name = &after[..close];
        if !allowed.contains(&name) {
            let allowed: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
            return Err(format!(
                "模板不能使用「{{{name}}}」，只能使用 {}",
                allowed.join("、")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_say_the_number_and_only_the_receipt_says_the_code() {
        let texts = MessageTexts::default();
        for channel in MessageChannel::ALL {
            let receipt = texts.render(MessageEvent::Received, channel, "2026120100001", "123456");
            assert!(receipt.body.contains("2026120100001") && receipt.body.contains("123456"));
            for event in &MessageEvent::ALL[1..] {
                let told = texts.render(*event, channel, "2026120100001", "123456");
                assert!(told.body.contains("2026120100001"), "{}", told.body);
                assert!(!told.body.contains("123456") && !told.subject.contains("123456"));
            }
        }
        for (event, texts) in &texts.0 {
            let event = MessageEvent::ALL
                .into_iter()
                .find(|e| e.code() == *event)
                .unwrap();
            for t in [&texts.sms, &texts.subject, &texts.mail] {
                check(event, t).unwrap();
            }
        }
    }

    #[test]
    fn an_operators_templates_may_name_only_the_number_and_the_code() {
        let texts = MessageTexts::from_json(
            r#"{"dispatched": {"sms": "【示例热线】{number} 已派单"}, "received": {"subject": "已受理 {number}"}}"#,
        )
        .unwrap();
        let told = texts.render(MessageEvent::Dispatched, MessageChannel::Sms, "N1", "C1");
        assert_eq!(told.body, "【示例热线】N1 已派单");
        let mail = texts.render(MessageEvent::Received, MessageChannel::Mail, "N1", "C1");
        assert_eq!(mail.subject, "已受理 N1");
        assert!(mail.body.contains("C1"), "the default mail body stays");

        for bad in [
            r#"{"received": {"sms": "{name}您好，{number}"}}"#,
            r#"{"received": {"sms": "{number} {phone}"}}"#,
            r#"{"answered": {"mail": "查询码 {query_code}"}}"#,
            r#"{"received": {"sms": "{number"}}"#,
            r#"{"received": {"sms": "number}"}}"#,
            r#"{"received": {"sms": ""}}"#,
            r#"{"closed": {"sms": "{number}"}}"#,
            r#"{"received": {"fax": "{number}"}}"#,
            "not json",
        ] {
            assert!(MessageTexts::from_json(bad).is_err(), "{bad}");
        }
    }
}
