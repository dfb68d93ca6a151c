//! The appeal (诉求): what the citizen asked, who and where, and where it stands now.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::auto_dispatch::AutoDispatch;
use crate::category::CategoryPath;
use crate::error::DomainError;
use crate::ids::{AppealId, BodyId};
use crate::kinds::{AppealType, Channel, Urgency};
use crate::status::Status;

/// Longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest appeal text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The number read out on the phone (受理编号): the day of intake and its serial, e.g.
/// `2026112600042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppealNumber(pub String);

impl AppealNumber {
    pub fn new(day: NaiveDate, serial: i64) -> AppealNumber {
        AppealNumber(format!("{}{:05}", day.format("%Y%m%d"), serial))
    }
}

impl std::fmt::Display for AppealNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The person behind the appeal (诉求人).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citizen {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Mail address (电子邮箱), where the citizen is told by mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Asked that name, phone and mail address be kept from the bodies (保密).
    #[serde(default)]
    pub confidential: bool,
    /// Gave no name at all (匿名).
    #[serde(default)]
    pub anonymous: bool,
}

/// Where the problem is (诉求地点).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lng: Option<f64>,
}

/// Smart dispatch's suggestion at intake (智能派单建议), kept with the appeal so the centre
/// can measure how often the final dispatch agreed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedDispatch {
    /// First-level category.
    pub category: Option<String>,
    pub body: Option<BodyId>,
    pub confidence: f32,
    pub model_version: Option<i64>,
}

/// What intake records before the appeal has a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealDraft {
    pub channel: Channel,
    pub appeal_type: AppealType,
    pub title: String,
    pub text: String,
    pub citizen: Citizen,
    pub place: Place,
    pub category: Option<CategoryPath>,
    pub urgency: Urgency,
    /// What smart dispatch suggested at intake.
    #[serde(default)]
    pub suggested: Option<SuggestedDispatch>,
}

impl AppealDraft {
    /// Trims the texts and checks every field; the first problem found is returned.
    pub fn validated(mut self) -> Result<AppealDraft, DomainError> {
        self.title = clean_text("title", &self.title, MAX_TITLE_CHARS, true)?;
        self.text = clean_text("text", &self.text, MAX_TEXT_CHARS, true)?;
        self.place.address = clean_text("place.address", &self.place.address, 500, false)?;
        for (field, value) in [
            ("place.district", &mut self.place.district),
            ("place.street", &mut self.place.street),
            ("citizen.name", &mut self.citizen.name),
        ] {
            if let Some(v) = value.as_deref() {
                let v = clean_text(field, v, 100, false)?;
                *value = (!v.is_empty()).then_some(v);
            }
        }
        self.citizen.phone = match self.citizen.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(phone) => Some(validate_phone(phone)?),
        };
        self.citizen.email = match self.citizen.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(email) => Some(validate_email(email)?),
        };
        let in_range =
            |lat: f64, lng: f64| (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng);
        match (self.place.lat, self.place.lng) {
            (Some(lat), Some(lng)) if !in_range(lat, lng) => {
                return Err(invalid("place", "坐标超出范围"));
            }
            (Some(_), None) | (None, Some(_)) => return Err(invalid("place", "经纬度须同时提供")),
            _ => {}
        }
        if self.citizen.anonymous {
            self.citizen.name = None;
        }
        Ok(self)
    }
}

fn invalid(field: &'static str, reason: &str) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.to_string(),
    }
}

/// Trims `value`, refuses control characters (other than line breaks and tabs), an empty
/// value where `required`, and more than `max` characters.
pub fn clean_text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<String, DomainError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(invalid(field, "不能为空"));
    }
    if value.chars().count() > max {
        return Err(DomainError::InvalidField {
            field,
            reason: format!("不能超过 {max} 个字"),
        });
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(invalid(field, "含有控制字符"));
    }
    Ok(value.to_string())
}

/// Accepts a mainland mobile (11 digits starting with 1) or a landline (area code, optional
/// dash, 7–8 digits, optional extension); spaces and dashes are dropped.
pub fn validate_phone(phone: &str) -> Result<String, DomainError> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let ok_mobile = digits.len() == 11 && digits.starts_with('1');
    let ok_landline = (10..=16).contains(&digits.len()) && digits.starts_with('0') && !ok_mobile;
    let ok_short = matches!(digits.len(), 5 | 7 | 8); // service numbers and local lines
    if digits.chars().all(|c| c.is_ascii_digit()) && (ok_mobile || ok_landline || ok_short) {
        Ok(digits)
    } else {
        Err(invalid("citizen.phone", "电话号码格式不正确"))
    }
}

/// Longest mail address accepted (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Accepts `local@domain.tld` in ASCII: no spaces, quotes or angle brackets (nothing that
/// could smuggle a second recipient or header into a mail), a dotted domain of letters,
/// digits and dashes. The domain is lower-cased.
pub fn validate_email(email: &str) -> Result<String, DomainError> {
    let bad = || invalid("citizen.email", "电子邮箱格式不正确");
    if email.len() > MAX_EMAIL_CHARS {
        return Err(bad());
    }
    let (local, domain) = email.rsplit_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
    } else {
        Err(bad())
    }
}

/// Masks a mail address for lists and staff: `w***@example.cn`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let head: String = local.chars().take(1).collect();
            format!("{head}***@{domain}")
        }
        None => "****".into(),
    }
}

/// Masks a phone for lists and bodies: `138****1234`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "****".into();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// A handler's pending request for more time (延期申请).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    pub reason: String,
    pub until: NaiveDate,
}

/// The result of calling the citizen back (回访).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackResult {
    pub solved: bool,
    pub satisfaction: crate::event::Satisfaction,
    pub note: String,
}

/// A co-body's part of the answer (协办意见), the latest it gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoOpinion {
    pub body: BodyId,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// An appeal as it stands: the registration plus everything its events changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appeal {
    pub id: AppealId,
    pub number: AppealNumber,
    pub channel: Channel,
    pub appeal_type: AppealType,
    pub title: String,
    pub text: String,
    pub citizen: Citizen,
    pub place: Place,
    pub category: Option<CategoryPath>,
    pub urgency: Urgency,
    /// What smart dispatch suggested at intake.
    #[serde(default)]
    pub suggested: Option<SuggestedDispatch>,
    pub status: Status,
    pub lead_body: Option<BodyId>,
    pub co_bodies: Vec<BodyId>,
    pub merged_into: Option<AppealId>,
    /// The state the appeal had when it was merged, restored by an unmerge.
    #[serde(default)]
    pub merged_from: Option<Status>,
    pub pending_extension: Option<ExtensionRequest>,
    pub extended_until: Option<NaiveDate>,
    pub last_reply: Option<String>,
    pub callback: Option<CallbackResult>,
    /// Callback attempts that did not reach the citizen (回访未接通) since the answer was
    /// approved for callback.
    #[serde(default)]
    pub callback_attempts: u32,
    /// Whether it was answered on the spot (直办).
    pub answered_directly: bool,
    pub return_count: u32,
    /// The state the appeal had when its body returned it (退单), restored when the
    /// dispatcher rejects the return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_from: Option<Status>,
    /// The co-bodies' opinions given since the dispatch (协办意见), one per body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_opinions: Vec<CoOpinion>,
    pub reopen_count: u32,
    /// The handler has contacted the citizen (已联系).
    #[serde(default)]
    pub contacted: bool,
    /// The clock is stopped while waiting for the citizen (暂停计时).
    #[serde(default)]
    pub paused: bool,
    /// Flagged for a leader's personal supervision (挂牌督办).
    #[serde(default)]
    pub flagged: bool,
    /// The current dispatch was the system's (自动派单): the model and its confidence. A
    /// dispatcher may take such an appeal back (收回人工派单).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_dispatched: Option<AutoDispatch>,
    /// How many reminders (催办) were sent.
    #[serde(default)]
    pub reminders: u32,
    /// The reply date of an open supervision notice (督办单).
    #[serde(default)]
    pub supervised_until: Option<NaiveDate>,
    /// The citizen's own rating after closing (市民评价).
    #[serde(default)]
    pub citizen_rating: Option<crate::event::Satisfaction>,
    /// The superior the case was escalated to (上报).
    #[serde(default)]
    pub escalated_to: Option<BodyId>,
    /// The deadline of the current stage (时限), projected from the events with the
    /// calendar and the time-limit rules; `None` when nothing is timed.
    #[serde(default)]
    pub deadline: Option<crate::deadline::Deadline>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// How many events the appeal has: the optimistic-concurrency token.
    pub version: i64,
}

impl Appeal {
    /// The bodies that may see and act on the appeal.
    pub fn bodies(&self) -> impl Iterator<Item = BodyId> + '_ {
        self.lead_body
            .into_iter()
            .chain(self.co_bodies.iter().copied())
    }

    /// The co-bodies that have not given their opinion yet.
    pub fn missing_co_opinions(&self) -> impl Iterator<Item = BodyId> + '_ {
        self.co_bodies
            .iter()
            .copied()
            .filter(|b| !self.co_opinions.iter().any(|o| o.body == *b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_is_date_and_serial() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(AppealNumber::new(day, 42).0, "2026112600042");
    }

    #[test]
    fn phones() {
        assert_eq!(validate_phone("138 1234 5678").unwrap(), "13812345678");
        assert_eq!(validate_phone("0351-1234567").unwrap(), "03511234567");
        assert!(validate_phone("12ab").is_err());
        assert!(validate_phone("2381234567899").is_err());
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }

    #[test]
    fn mail_addresses() {
        assert_eq!(
            validate_email("li.ming+12345@Mail.Example.CN").unwrap(),
            "li.ming+12345@mail.example.cn"
        );
        for bad in [
            "no-at-sign",
            "a@b",
            "a b@example.cn",
            "a@example.cn>, c@evil.cn",
            "<a@example.cn>",
            "a@-x.cn",
            ".a@example.cn",
            "a..b@example.cn",
            "张@example.cn",
            "a@example.cn\r\nBcc: c@evil.cn",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
        assert_eq!(mask_email("liming@example.cn"), "l***@example.cn");
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(clean_text("title", "路灯\u{0000}坏了", 10, true).is_err());
        assert!(clean_text("title", "  ", 10, true).is_err());
        assert_eq!(
            clean_text("title", " 路灯坏了 ", 10, true).unwrap(),
            "路灯坏了"
        );
        assert!(clean_text("title", &"长".repeat(11), 10, true).is_err());
    }
}
