//! Named settings (配置) and the settings stamp every server reloads by.

use crate::error::StoreResult;
use async_trait::async_trait;

#[async_trait]
pub trait SettingStore: Send + Sync {
    /// Saves a named setting, replacing any earlier value, and moves the settings stamp
    /// forward in the same transaction (as creating a body and activating a model do).
    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()>;
    /// Replaces a named setting only if it still holds `expected` (`None`: only if it was
    /// never saved) — compare and swap, for processes that coordinate through a setting.
    /// True if it was replaced. The settings stamp does not move.
    async fn swap_setting(
        &self,
        key: &str,
        expected: Option<&str>,
        value: &str,
    ) -> StoreResult<bool>;
    /// The settings stamp: it moves forward with every change of a setting, a body or the
    /// active model, so a server that loaded its settings at one stamp knows when to reload.
    async fn settings_version(&self) -> StoreResult<i64>;
    /// A named setting, or `None` before one is saved.
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    /// Every setting whose key starts with `prefix`, in key order.
    async fn settings_with_prefix(&self, prefix: &str) -> StoreResult<Vec<(String, String)>>;
}
