//! The domain's typed errors. Each carries a Chinese message fit to show an operator; the
//! edge (HTTP, CLI) maps the variant to a status code.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A field failed validation; `field` is its API name.
    #[error("字段 {field} 不合法：{reason}")]
    InvalidField { field: &'static str, reason: String },
    /// The action is not allowed in the appeal's current state.
    #[error("当前状态「{state}」下不能执行「{action}」")]
    IllegalTransition {
        state: &'static str,
        action: &'static str,
    },
    /// The action is allowed in this state but not for this actor or with these facts.
    #[error("{0}")]
    Refused(String),
}
