//! Model versions (模型版本): stored, listed, activated one at a time.

/// Implements [`ModelStore`](crate::ModelStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_models {
    ($store:ty, $db:ty) => {
            fn model_record(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::ModelRecord> {
                Ok($crate::ModelRecord {
                    version: row.try_get("version").map_err(db_err)?,
                    kind: row.try_get("kind").map_err(db_err)?,
                    meta: from_json(&row.try_get::<String, _>("meta").map_err(db_err)?)?,
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                    active: row.try_get::<i64, _>("active").map_err(db_err)? != 0,
                    activated_at: row
                        .try_get::<Option<i64>, _>("activated_ms")
                        .map_err(db_err)?
                        .map($crate::sql::from_ms)
                        .transpose()?,
                })
            }

            #[$crate::async_trait]
            impl $crate::ModelStore for $store {
                async fn save_model(&self, kind: &str, meta: &::serde_json::Value, bytes: &[u8], at: DateTime<Utc>) -> StoreResult<i64> {
                    let row = ::sqlx::query(
                        "INSERT INTO models (kind, meta, bytes, created_ms, active) VALUES ($1, $2, $3, $4, 0) RETURNING version",
                    )
                    .bind(kind)
                    .bind(meta.to_string())
                    .bind(bytes)
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    row.try_get(0).map_err(db_err)
                }

                async fn models(&self, kind: &str) -> StoreResult<Vec<$crate::ModelRecord>> {
                    let rows = ::sqlx::query(
                        "SELECT version, kind, meta, created_ms, active, activated_ms FROM models WHERE kind = $1 ORDER BY version DESC",
                    )
                    .bind(kind)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(model_record).collect()
                }

                async fn activate_model(&self, kind: &str, version: i64, at: DateTime<Utc>) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    // Activating the active version again keeps the time it was activated.
                    let found = ::sqlx::query(
                        "UPDATE models SET activated_ms = CASE WHEN active = 1 AND activated_ms IS NOT NULL THEN activated_ms ELSE $3 END, active = 1 WHERE kind = $1 AND version = $2",
                    )
                        .bind(kind)
                        .bind(version)
                        .bind(at.timestamp_millis())
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    if found.rows_affected() != 1 {
                        return Err(StoreError::NotFound("模型版本"));
                    }
                    ::sqlx::query("UPDATE models SET active = 0 WHERE kind = $1 AND version <> $2")
                        .bind(kind)
                        .bind(version)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    bump_settings_version(&mut tx).await?;
                    tx.commit().await.map_err(db_err)?;
                    Ok(())
                }

                async fn active_model(&self, kind: &str) -> StoreResult<Option<($crate::ModelRecord, Vec<u8>)>> {
                    let row = ::sqlx::query(
                        "SELECT version, kind, meta, created_ms, active, activated_ms, bytes FROM models WHERE kind = $1 AND active = 1",
                    )
                    .bind(kind)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?;
                    row.map(|r| Ok((model_record(&r)?, r.try_get("bytes").map_err(db_err)?))).transpose()
                }
            }
    };
}
