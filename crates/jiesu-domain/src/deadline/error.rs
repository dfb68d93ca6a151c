//! Errors of the time-limit rules (时限规则错误).

use thiserror::Error;

/// Why a time-limit rule or rule book was refused (时限规则错误).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RuleError {
    /// A limit field (`sign`, `contact`, `reply`, `close`) is zero, negative or too large.
    #[error("时限规则「{rule}」的字段 {field} 不合法：{reason}")]
    InvalidLimit {
        rule: String,
        field: &'static str,
        reason: String,
    },
    /// `category_l1` is present but blank.
    #[error("时限规则「{rule}」的字段 category_l1 不能为空；不限分类请省略该字段")]
    BlankCategory { rule: String },
    /// Two rules have the same conditions (type, category, urgency).
    #[error("时限规则「{rule}」重复：同样的适用条件只能有一条规则")]
    DuplicateRule { rule: String },
    /// No rule applies to every appeal.
    #[error("时限规则缺少兜底规则（类型、一级分类、紧急程度均不限的一条）")]
    NoFallback,
    /// The warning share is not in (0, 1].
    #[error("字段 warn_share 不合法：{value} 应大于 0 且不大于 1（如 0.8 表示用时达八成即临期）")]
    InvalidWarnShare { value: String },
    /// The rule book text is not valid JSON of the expected shape.
    #[error("时限规则格式有误：{0}")]
    Format(String),
}
