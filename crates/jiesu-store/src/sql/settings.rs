//! Named settings (配置) and the settings stamp.

/// Implements [`SettingStore`](crate::SettingStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_settings {
    ($store:ty, $db:ty) => {
            #[$crate::async_trait]
            impl $crate::SettingStore for $store {
                async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    ::sqlx::query(
                        "INSERT INTO settings (key, value) VALUES ($1, $2) \
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    bump_settings_version(&mut tx).await?;
                    tx.commit().await.map_err(db_err)
                }

                async fn swap_setting(&self, key: &str, expected: Option<&str>, value: &str) -> StoreResult<bool> {
                    let done = match expected {
                        None => ::sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                            .bind(key)
                            .bind(value)
                            .execute(self.writer())
                            .await,
                        Some(expected) => ::sqlx::query("UPDATE settings SET value = $3 WHERE key = $1 AND value = $2")
                            .bind(key)
                            .bind(expected)
                            .bind(value)
                            .execute(self.writer())
                            .await,
                    }
                    .map_err(db_err)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn settings_version(&self) -> StoreResult<i64> {
                    ::sqlx::query_scalar("SELECT version FROM settings_version WHERE id = 1")
                        .fetch_one(self.reader())
                        .await
                        .map_err(db_err)
                }

                async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
                    let row = ::sqlx::query("SELECT value FROM settings WHERE key = $1")
                        .bind(key)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?;
                    row.map(|r| r.try_get::<String, _>(0).map_err(db_err)).transpose()
                }

                async fn settings_with_prefix(&self, prefix: &str) -> StoreResult<Vec<(String, String)>> {
                    let rows = ::sqlx::query("SELECT key, value FROM settings WHERE substr(key, 1, length($1)) = $1 ORDER BY key")
                        .bind(prefix)
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter()
                        .map(|r| Ok((r.try_get(0).map_err(db_err)?, r.try_get(1).map_err(db_err)?)))
                        .collect()
                }
            }
    };
}
