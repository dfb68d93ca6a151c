//! Government tasks (任务): drafts and live tasks.

/// Implements [`TaskStore`](crate::TaskStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_tasks {
    ($store:ty, $db:ty) => {
            const TASK_COLUMNS: &str = "id, document, number, section, title, body_text, lead_bodies, \
                co_bodies, due, cadence, created_ms, published_ms, closed_ms";

            fn task_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredTask> {
                let due: Option<String> = row.try_get("due").map_err(db_err)?;
                let cadence: String = row.try_get("cadence").map_err(db_err)?;
                let ms = |name: &str| -> StoreResult<Option<DateTime<Utc>>> {
                    row.try_get::<Option<i64>, _>(name).map_err(db_err)?.map($crate::sql::from_ms).transpose()
                };
                Ok($crate::StoredTask {
                    id: row.try_get("id").map_err(db_err)?,
                    draft: ::jiesu_domain::task::TaskDraft {
                        document: row.try_get("document").map_err(db_err)?,
                        number: row.try_get("number").map_err(db_err)?,
                        section: row.try_get("section").map_err(db_err)?,
                        title: row.try_get("title").map_err(db_err)?,
                        text: row.try_get("body_text").map_err(db_err)?,
                        lead_bodies: from_json(&row.try_get::<String, _>("lead_bodies").map_err(db_err)?)?,
                        co_bodies: from_json(&row.try_get::<String, _>("co_bodies").map_err(db_err)?)?,
                        due: due
                            .map(|d| d.parse().map_err(|e| StoreError::Corrupt(format!("due {d}: {e}"))))
                            .transpose()?,
                        cadence: ::jiesu_domain::task::Cadence::parse(&cadence)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    },
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                    published_at: ms("published_ms")?,
                    closed_at: ms("closed_ms")?,
                })
            }

            /// Binds a draft's fields as `$1`…`$9`: document, number, section, title, text, lead
            /// and co-bodies (JSON), due, cadence — the order the INSERT and the UPDATE name them.
            fn bind_draft<'q>(
                q: ::sqlx::query::Query<'q, $db, <$db as ::sqlx::Database>::Arguments>,
                draft: &'q ::jiesu_domain::task::TaskDraft,
            ) -> StoreResult<::sqlx::query::Query<'q, $db, <$db as ::sqlx::Database>::Arguments>> {
                Ok(q.bind(draft.document.as_str())
                    .bind(draft.number.as_str())
                    .bind(draft.section.as_str())
                    .bind(draft.title.as_str())
                    .bind(draft.text.as_str())
                    .bind(to_json(&draft.lead_bodies)?)
                    .bind(to_json(&draft.co_bodies)?)
                    .bind(draft.due.map(|d| d.to_string()))
                    .bind(draft.cadence.keyword()))
            }

            #[$crate::async_trait]
            impl $crate::TaskStore for $store {
                async fn create_task_drafts(
                    &self,
                    drafts: &[::jiesu_domain::task::TaskDraft],
                    at: DateTime<Utc>,
                ) -> StoreResult<Vec<i64>> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let mut ids = Vec::with_capacity(drafts.len());
                    for draft in drafts {
                        let row = bind_draft(::sqlx::query(
                            "INSERT INTO tasks (document, number, section, title, body_text, lead_bodies, \
                             co_bodies, due, cadence, created_ms) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                        ), draft)?
                        .bind(to_ms(at))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db_err)?;
                        ids.push(row.try_get(0).map_err(db_err)?);
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(ids)
                }

                async fn publish_tasks(&self, ids: &[i64], at: DateTime<Utc>) -> StoreResult<u64> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    for &id in ids {
                        let done = ::sqlx::query(
                            "UPDATE tasks SET published_ms = $1 WHERE id = $2 AND published_ms IS NULL",
                        )
                        .bind(to_ms(at))
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::NotFound("任务草稿"));
                        }
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(ids.len() as u64)
                }

                async fn update_task_draft(&self, id: i64, draft: &::jiesu_domain::task::TaskDraft) -> StoreResult<()> {
                    let done = bind_draft(::sqlx::query(
                        "UPDATE tasks SET document = $1, number = $2, section = $3, title = $4, body_text = $5, \
                         lead_bodies = $6, co_bodies = $7, due = $8, cadence = $9 \
                         WHERE id = $10 AND published_ms IS NULL",
                    ), draft)?
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Stale);
                    }
                    Ok(())
                }

                async fn discard_task_draft(&self, id: i64) -> StoreResult<()> {
                    let done = ::sqlx::query("DELETE FROM tasks WHERE id = $1 AND published_ms IS NULL")
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Stale);
                    }
                    Ok(())
                }

                async fn task(&self, id: i64) -> StoreResult<$crate::StoredTask> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = "));
                    q.push_bind(id);
                    let row = q
                        .build()
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("任务"))?;
                    task_row(&row)
                }

                async fn tasks(&self, published: Option<bool>, page: Page) -> StoreResult<Vec<$crate::StoredTask>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(format!("SELECT {TASK_COLUMNS} FROM tasks"));
                    match published {
                        None => {}
                        Some(true) => {
                            q.push(" WHERE published_ms IS NOT NULL");
                        }
                        Some(false) => {
                            q.push(" WHERE published_ms IS NULL");
                        }
                    }
                    q.push(" ORDER BY id LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(task_row).collect()
                }
            }
    };
}
