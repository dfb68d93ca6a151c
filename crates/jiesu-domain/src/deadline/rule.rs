//! Time-limit rules (时限规则) and the rule book that picks one for an appeal.

use serde::{Deserialize, Serialize};

use super::error::RuleError;
use super::limit::Limit;
use super::state::Stage;
use crate::kinds::{AppealType, Urgency};

/// The limits of each stage for the appeals a rule applies to (时限规则).
///
/// A rule applies when each of `appeal_type`, `category_l1` and `urgency` is either `None`
/// (any) or equal to the appeal's. Stage origins: `sign` counts from dispatch (派单),
/// `contact` and `reply` from signing (签收), `close` from the reply (答复) — the
/// callback window (回访), so the closing deadline is reply + `close`.
///
/// Serde form (absent selectors mean "any"):
/// `{"appeal_type":"投诉","sign":{"working_days":1},"contact":{"working_days":1},
///   "reply":{"working_days":13},"close":{"working_days":2}}`.
/// Deserializing validates, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawRule")]
pub struct TimeLimitRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeal_type: Option<AppealType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_l1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    /// Sign (签收) after dispatch.
    pub sign: Limit,
    /// First contact with the citizen (首次联系) after signing.
    pub contact: Limit,
    /// Reply (答复) after signing.
    pub reply: Limit,
    /// Close (办结) after the reply, for the callback.
    pub close: Limit,
}

impl TimeLimitRule {
    /// A catch-all rule with these limits; set the selectors with struct update syntax.
    pub fn any(sign: Limit, contact: Limit, reply: Limit, close: Limit) -> TimeLimitRule {
        TimeLimitRule {
            appeal_type: None,
            category_l1: None,
            urgency: None,
            sign,
            contact,
            reply,
            close,
        }
    }

    /// The limit of `stage`.
    pub fn limit(&self, stage: Stage) -> Limit {
        match stage {
            Stage::Sign => self.sign,
            Stage::Contact => self.contact,
            Stage::Reply => self.reply,
            Stage::Close => self.close,
        }
    }

    /// Checks every limit (positive, at most a year) and that a category is not blank.
    pub fn validate(&self) -> Result<(), RuleError> {
        for (field, limit) in [
            ("sign", self.sign),
            ("contact", self.contact),
            ("reply", self.reply),
            ("close", self.close),
        ] {
            limit.check().map_err(|reason| RuleError::InvalidLimit {
                rule: self.conditions(),
                field,
                reason,
            })?;
        }
        if self
            .category_l1
            .as_deref()
            .is_some_and(|c| c.trim().is_empty())
        {
            return Err(RuleError::BlankCategory {
                rule: self.conditions(),
            });
        }
        Ok(())
    }

    /// The rule's conditions for messages, e.g. `类型=投诉，分类=不限，紧急程度=紧急`.
    pub fn conditions(&self) -> String {
        format!(
            "类型={}，分类={}，紧急程度={}",
            self.appeal_type.map_or("不限", AppealType::label),
            self.category_l1.as_deref().unwrap_or("不限"),
            self.urgency.map_or("不限", Urgency::label),
        )
    }

    /// Whether the rule applies to an appeal with these attributes.
    pub fn matches(
        &self,
        appeal_type: AppealType,
        category_l1: Option<&str>,
        urgency: Urgency,
    ) -> bool {
        self.appeal_type.is_none_or(|t| t == appeal_type)
            && self
                .category_l1
                .as_deref()
                .is_none_or(|c| Some(c) == category_l1)
            && self.urgency.is_none_or(|u| u == urgency)
    }

    /// How specific the rule is: urgency weighs more than category, category more than
    /// type, so every combination of selectors has its own weight.
    pub fn specificity(&self) -> u8 {
        4 * u8::from(self.urgency.is_some())
            + 2 * u8::from(self.category_l1.is_some())
            + u8::from(self.appeal_type.is_some())
    }

    fn selectors(&self) -> (Option<AppealType>, Option<&str>, Option<Urgency>) {
        (self.appeal_type, self.category_l1.as_deref(), self.urgency)
    }
}

/// A limit as written in a rule file, before validation (a negative number is caught here
/// with the field's name rather than as a bare number-format error).
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawLimit {
    WorkingDays(i64),
    WorkingHours(i64),
    ClockHours(i64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    appeal_type: Option<AppealType>,
    #[serde(default)]
    category_l1: Option<String>,
    #[serde(default)]
    urgency: Option<Urgency>,
    sign: RawLimit,
    contact: RawLimit,
    reply: RawLimit,
    close: RawLimit,
}

impl TryFrom<RawRule> for TimeLimitRule {
    type Error = RuleError;

    fn try_from(raw: RawRule) -> Result<Self, Self::Error> {
        let mut rule = TimeLimitRule {
            appeal_type: raw.appeal_type,
            category_l1: raw.category_l1,
            urgency: raw.urgency,
            sign: Limit::WorkingDays(1),
            contact: Limit::WorkingDays(1),
            reply: Limit::WorkingDays(1),
            close: Limit::WorkingDays(1),
        };
        let conditions = rule.conditions();
        let convert = |field: &'static str, raw: RawLimit| {
            let (value, make): (i64, fn(u32) -> Limit) = match raw {
                RawLimit::WorkingDays(v) => (v, Limit::WorkingDays),
                RawLimit::WorkingHours(v) => (v, Limit::WorkingHours),
                RawLimit::ClockHours(v) => (v, Limit::ClockHours),
            };
            u32::try_from(value)
                .map(make)
                .map_err(|_| RuleError::InvalidLimit {
                    rule: conditions.clone(),
                    field,
                    reason: format!("时限不能为负数或过大（{value}）"),
                })
        };
        rule.sign = convert("sign", raw.sign)?;
        rule.contact = convert("contact", raw.contact)?;
        rule.reply = convert("reply", raw.reply)?;
        rule.close = convert("close", raw.close)?;
        rule.validate()?;
        Ok(rule)
    }
}

/// The default share of a limit after which a case is 临期 (yellow).
pub const DEFAULT_WARN_SHARE: f64 = 0.8;

fn default_warn_share() -> f64 {
    DEFAULT_WARN_SHARE
}

/// The default limit for a co-body's opinion (协办时限), from dispatch.
pub const DEFAULT_CO_OPINION: Limit = Limit::WorkingDays(5);

fn default_co_opinion() -> Limit {
    DEFAULT_CO_OPINION
}

/// The set of time-limit rules in force (时限规则表), the warning share (临期比例) and the
/// co-bodies' limit (协办时限: from dispatch, capped by the lead's reply limit from the same
/// dispatch). Always valid: every rule is valid, no two rules have the same conditions, and
/// a catch-all rule exists, so [`RuleBook::rule_for`] always finds one.
///
/// Serde form: `{"warn_share": 0.8, "co_opinion": {"working_days": 5}, "rules": [ ... ]}`
/// (`warn_share` and `co_opinion` may be omitted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawRuleBook")]
pub struct RuleBook {
    warn_share: f64,
    co_opinion: Limit,
    rules: Vec<TimeLimitRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleBook {
    #[serde(default = "default_warn_share")]
    warn_share: f64,
    #[serde(default = "default_co_opinion")]
    co_opinion: Limit,
    rules: Vec<TimeLimitRule>,
}

impl TryFrom<RawRuleBook> for RuleBook {
    type Error = RuleError;

    fn try_from(raw: RawRuleBook) -> Result<Self, Self::Error> {
        RuleBook::new(raw.rules, raw.warn_share)?.with_co_opinion(raw.co_opinion)
    }
}

impl Default for RuleBook {
    fn default() -> Self {
        RuleBook::defaults()
    }
}

impl RuleBook {
    /// Validates and builds a rule book.
    pub fn new(rules: Vec<TimeLimitRule>, warn_share: f64) -> Result<RuleBook, RuleError> {
        if !(warn_share > 0.0 && warn_share <= 1.0) {
            return Err(RuleError::InvalidWarnShare {
                value: warn_share.to_string(),
            });
        }
        for (i, rule) in rules.iter().enumerate() {
            rule.validate()?;
            if rules[..i].iter().any(|r| r.selectors() == rule.selectors()) {
                return Err(RuleError::DuplicateRule {
                    rule: rule.conditions(),
                });
            }
        }
        if !rules.iter().any(|r| r.specificity() == 0) {
            return Err(RuleError::NoFallback);
        }
        Ok(RuleBook {
            warn_share,
            co_opinion: DEFAULT_CO_OPINION,
            rules,
        })
    }

    /// The book with `limit` as the co-bodies' limit (协办时限).
    pub fn with_co_opinion(self, limit: Limit) -> Result<RuleBook, RuleError> {
        limit.check().map_err(|reason| RuleError::InvalidLimit {
            rule: "协办时限".into(),
            field: "co_opinion",
            reason,
        })?;
        Ok(RuleBook {
            co_opinion: limit,
            ..self
        })
    }

    /// The limits used in practice by 12345 centres:
    ///
    /// | applies to | sign | contact | reply | close (after reply) |
    /// |---|---|---|---|---|
    /// | any (fallback) | 1 working day | 1 working day | 13 working days | 2 working days |
    /// | 咨询, 求助 | 1 wd | 1 wd | 3 wd | 2 wd |
    /// | 投诉, 举报, 建议 | 1 wd | 1 wd | 13 wd | 2 wd |
    /// | 表扬 | 1 wd | 1 wd | 5 wd | 2 wd |
    /// | 行政复议 (transfer) | 2 wd | 2 wd | 2 wd | 2 wd |
    /// | 紧急 (any type) | 2 clock h | 2 clock h | 8 clock h | 2 wd |
    /// | 特急 (any type) | 2 clock h | 1 clock h | 4 clock h | 2 wd |
    ///
    /// Warning share 0.8.
    pub fn defaults() -> RuleBook {
        let wd = Limit::WorkingDays;
        let ch = Limit::ClockHours;
        let by_type = |t: AppealType, sign, contact, reply| TimeLimitRule {
            appeal_type: Some(t),
            ..TimeLimitRule::any(sign, contact, reply, wd(2))
        };
        let by_urgency = |u: Urgency, sign, contact, reply| TimeLimitRule {
            urgency: Some(u),
            ..TimeLimitRule::any(sign, contact, reply, wd(2))
        };
        let rules = vec![
            TimeLimitRule::any(wd(1), wd(1), wd(13), wd(2)),
            by_type(AppealType::Consultation, wd(1), wd(1), wd(3)),
            by_type(AppealType::Help, wd(1), wd(1), wd(3)),
            by_type(AppealType::Complaint, wd(1), wd(1), wd(13)),
            by_type(AppealType::Report, wd(1), wd(1), wd(13)),
            by_type(AppealType::Suggestion, wd(1), wd(1), wd(13)),
            by_type(AppealType::Praise, wd(1), wd(1), wd(5)),
            by_type(AppealType::Reconsideration, wd(2), wd(2), wd(2)),
            by_urgency(Urgency::Urgent, ch(2), ch(2), ch(8)),
            by_urgency(Urgency::Critical, ch(2), ch(1), ch(4)),
        ];
        RuleBook::new(rules, DEFAULT_WARN_SHARE).expect("the default rules are valid")
    }

    /// Reads a rule book from JSON (the serde form), validating it.
    pub fn from_json(text: &str) -> Result<RuleBook, RuleError> {
        serde_json::from_str(text).map_err(|e| RuleError::Format(e.to_string()))
    }

    /// The rule book as pretty JSON, for the store or the admin page.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a rule book serializes")
    }

    /// The rules, in the order given.
    pub fn rules(&self) -> &[TimeLimitRule] {
        &self.rules
    }

    /// The share of a limit after which a case is 临期.
    pub fn warn_share(&self) -> f64 {
        self.warn_share
    }

    /// The co-bodies' limit for their opinions (协办时限), from dispatch.
    pub fn co_opinion(&self) -> Limit {
        self.co_opinion
    }

    /// The most specific rule that applies (see [`TimeLimitRule::specificity`]).
    pub fn rule_for(
        &self,
        appeal_type: AppealType,
        category_l1: Option<&str>,
        urgency: Urgency,
    ) -> &TimeLimitRule {
        self.rules
            .iter()
            .filter(|r| r.matches(appeal_type, category_l1, urgency))
            .max_by_key(|r| r.specificity())
            .expect("a rule book always has a catch-all rule")
    }
}
