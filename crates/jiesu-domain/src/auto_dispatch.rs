//! Automatic dispatch (自动派单): the admins' settings and the rule deciding whether a newly
//! registered appeal is dispatched by the system on the model's word, or waits in the
//! manual queue (人工派单). The threshold itself comes from the active model's operating
//! curve at the target precision; this rule only compares.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::BodyId;
use crate::kinds::{AppealType, Channel};

/// Lowest and highest target precision an admin may set.
pub const MIN_TARGET_PRECISION: f64 = 0.5;
pub const MAX_TARGET_PRECISION: f64 = 0.999;
/// The target precision until an admin sets one.
pub const DEFAULT_TARGET_PRECISION: f64 = 0.98;

/// What a dispatch by the system records: the model that decided and how sure it was.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AutoDispatch {
    pub model_version: i64,
    pub confidence: f32,
}

/// The admins' settings of automatic dispatch (自动派单设置). Off until an admin turns it
/// on; empty lists allow every type, channel or category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoDispatchSettings {
    #[serde(default)]
    pub enabled: bool,
    /// The precision the threshold is derived for (e.g. 0.98).
    #[serde(default = "default_precision")]
    pub target_precision: f64,
    #[serde(default)]
    pub types: Vec<AppealType>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// First-level categories.
    #[serde(default)]
    pub categories: Vec<String>,
}

fn default_precision() -> f64 {
    DEFAULT_TARGET_PRECISION
}

impl Default for AutoDispatchSettings {
    fn default() -> Self {
        AutoDispatchSettings {
            enabled: false,
            target_precision: DEFAULT_TARGET_PRECISION,
            types: Vec::new(),
            channels: Vec::new(),
            categories: Vec::new(),
        }
    }
}

/// What the rule is asked about one appeal.
#[derive(Debug, Clone)]
pub struct AutoDispatchCase<'a> {
    pub appeal_type: AppealType,
    pub channel: Channel,
    /// The model's first-level category.
    pub category: Option<&'a str>,
    /// A first-level category given at intake, if any.
    pub given_category: Option<&'a str>,
    pub confidence: f32,
    /// The body the routing table, the place or the model chose.
    pub body: Option<BodyId>,
    /// The active model's threshold at the target precision; `None` when the model has no
    /// operating curve or never reaches the target.
    pub threshold: Option<f32>,
}

/// Why an appeal waits in the manual queue instead (for people, Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualReason(pub String);

impl AutoDispatchSettings {
    /// Checks an admin's settings: a target precision within bounds and no empty category.
    pub fn validated(mut self) -> Result<AutoDispatchSettings, DomainError> {
        if !(MIN_TARGET_PRECISION..=MAX_TARGET_PRECISION).contains(&self.target_precision) {
            return Err(DomainError::InvalidField {
                field: "target_precision",
                reason: format!(
                    "目标准确率须在 {MIN_TARGET_PRECISION} 与 {MAX_TARGET_PRECISION} 之间"
                ),
            });
        }
        for c in &mut self.categories {
            *c = c.trim().to_string();
        }
        self.categories.retain(|c| !c.is_empty());
        self.categories.sort();
        self.categories.dedup();
        self.types.sort();
        self.types.dedup();
        self.channels.sort();
        self.channels.dedup();
        Ok(self)
    }

    /// Whether the system dispatches this appeal on its own: on, within the allowed types,
    /// channels and categories, a body chosen, and sure enough. Returns the body.
    pub fn decide(&self, case: &AutoDispatchCase) -> Result<BodyId, ManualReason> {
        let refuse = |r: &str| Err(ManualReason(r.to_string()));
        if !self.enabled {
            return refuse("自动派单未开启");
        }
        if !self.types.is_empty() && !self.types.contains(&case.appeal_type) {
            return refuse("诉求类型不在自动派单范围内");
        }
        if !self.channels.is_empty() && !self.channels.contains(&case.channel) {
            return refuse("受理渠道不在自动派单范围内");
        }
        let Some(category) = case.category else {
            return refuse("模型未给出分类");
        };
        if !self.categories.is_empty() && !self.categories.iter().any(|c| c == category) {
            return refuse("分类不在自动派单范围内");
        }
        if case.given_category.is_some_and(|g| g != category) {
            return refuse("受理时填写的分类与模型分类不一致");
        }
        let Some(threshold) = case.threshold else {
            return refuse("当前模型达不到目标准确率");
        };
        if case.confidence < threshold {
            return Err(ManualReason(format!(
                "置信度 {:.1}% 低于自动派单阈值 {:.1}%",
                case.confidence * 100.0,
                threshold * 100.0
            )));
        }
        case.body
            .ok_or_else(|| ManualReason("未能确定承办单位".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(confidence: f32) -> AutoDispatchCase<'static> {
        AutoDispatchCase {
            appeal_type: AppealType::Complaint,
            channel: Channel::Hotline,
            category: Some("城乡建设"),
            given_category: None,
            confidence,
            body: Some(BodyId(7)),
            threshold: Some(0.9),
        }
    }

    #[test]
    fn off_until_turned_on() {
        let s = AutoDispatchSettings::default();
        assert!(s.decide(&case(0.99)).is_err());
        let on = AutoDispatchSettings { enabled: true, ..s };
        assert_eq!(on.decide(&case(0.99)), Ok(BodyId(7)));
        assert!(on.decide(&case(0.5)).unwrap_err().0.contains("低于"));
    }

    #[test]
    fn limits_apply() {
        let s = AutoDispatchSettings {
            enabled: true,
            channels: vec![Channel::Website],
            ..AutoDispatchSettings::default()
        };
        assert!(s.decide(&case(0.99)).is_err());
        let s = AutoDispatchSettings {
            enabled: true,
            categories: vec!["交通运输".into()],
            ..AutoDispatchSettings::default()
        };
        assert!(s.decide(&case(0.99)).is_err());
        let s = AutoDispatchSettings {
            enabled: true,
            ..AutoDispatchSettings::default()
        };
        let mut c = case(0.99);
        c.given_category = Some("交通运输");
        assert!(s.decide(&c).is_err());
        c.given_category = None;
        c.threshold = None;
        assert!(s.decide(&c).is_err());
    }

    #[test]
    fn precision_is_bounded() {
        let s = AutoDispatchSettings {
            target_precision: 1.0,
            ..AutoDispatchSettings::default()
        };
        assert!(s.validated().is_err());
    }
}
