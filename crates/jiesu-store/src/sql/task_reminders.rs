//! Reminders on government tasks: urges (督办), the reminder lists and the attention count.

/// Implements [`TaskReminderStore`](crate::TaskReminderStore) inside
/// [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_task_reminders {
    ($store:ty, $db:ty) => {
        #[$crate::async_trait]
        impl $crate::TaskReminderStore for $store {
            async fn add_urge(&self, urge: &$crate::NewUrge) -> StoreResult<i64> {
                let row = ::sqlx::query(
                    "INSERT INTO task_urges (task_id, author, note, created_ms) \
                     SELECT id, $1, $2, $3 FROM tasks WHERE id = $4 AND published_ms IS NOT NULL \
                     AND done_ms IS NULL AND closed_ms IS NULL RETURNING id",
                )
                .bind(urge.author.as_str())
                .bind(urge.note.as_str())
                .bind(to_ms(urge.at))
                .bind(urge.task)
                .fetch_optional(self.writer())
                .await
                .map_err(db_err)?
                .ok_or(StoreError::Stale)?;
                row.try_get(0).map_err(db_err)
            }

            async fn urges(&self, task: i64) -> StoreResult<Vec<$crate::StoredUrge>> {
                let rows = ::sqlx::query(
                    "SELECT id, task_id, author, note, created_ms FROM task_urges WHERE task_id = $1 ORDER BY id",
                )
                .bind(task)
                .fetch_all(self.reader())
                .await
                .map_err(db_err)?;
                rows.iter()
                    .map(|row| {
                        Ok($crate::StoredUrge {
                            id: row.try_get("id").map_err(db_err)?,
                            task: row.try_get("task_id").map_err(db_err)?,
                            author: row.try_get("author").map_err(db_err)?,
                            note: row.try_get("note").map_err(db_err)?,
                            created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                        })
                    })
                    .collect()
            }

            async fn task_reminders(
                &self,
                body: Option<BodyId>,
                limit: i64,
            ) -> StoreResult<Vec<$crate::Reminder>> {
                // An alert still holds while the task's alert key (clock:due:level|…, kept by the
                // scanner) names it; both sides read open live tasks only.
                let mut q = ::sqlx::QueryBuilder::<$db>::new(
                    "SELECT t.id, t.title, 0 AS urge, a.message, a.timing, a.created_ms \
                     FROM task_alerts a JOIN tasks t ON t.id = a.task_id \
                     WHERE t.published_ms IS NOT NULL AND t.done_ms IS NULL AND t.closed_ms IS NULL \
                     AND ('|' || t.alerted || '|') LIKE ('%|' || a.clock || ':' || a.due || ':' || CAST(a.timing AS TEXT) || '|%')",
                );
                if let Some(body) = body {
                    q.push(" AND t.id IN (SELECT task_id FROM task_bodies WHERE lead = 1 AND body_id = ")
                        .push_bind(body.0)
                        .push(")");
                }
                q.push(
                    " UNION ALL SELECT t.id, t.title, 1 AS urge, u.note, t.timing, u.created_ms \
                     FROM task_urges u JOIN tasks t ON t.id = u.task_id \
                     WHERE t.done_ms IS NULL AND t.closed_ms IS NULL",
                );
                if let Some(body) = body {
                    q.push(" AND t.id IN (SELECT task_id FROM task_bodies WHERE lead = 1 AND body_id = ")
                        .push_bind(body.0)
                        .push(")");
                }
                q.push(" ORDER BY 6 DESC, 1 DESC LIMIT ").push_bind(limit);
                let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                rows.iter()
                    .map(|row| {
                        let urge: i32 = row.try_get(2).map_err(db_err)?;
                        Ok($crate::Reminder {
                            task: row.try_get(0).map_err(db_err)?,
                            title: row.try_get(1).map_err(db_err)?,
                            kind: if urge == 1 {
                                $crate::ReminderKind::Urge
                            } else {
                                $crate::ReminderKind::Alert
                            },
                            message: row.try_get(3).map_err(db_err)?,
                            timing: row.try_get(4).map_err(db_err)?,
                            created_at: $crate::sql::from_ms(row.try_get(5).map_err(db_err)?)?,
                        })
                    })
                    .collect()
            }

            async fn tasks_needing_attention(&self, body: Option<BodyId>) -> StoreResult<i64> {
                // The board's sums (migration 0026) count 临期 and 超期 per lead body and document.
                let mut q = ::sqlx::QueryBuilder::<$db>::new(
                    "SELECT CAST(COALESCE(SUM(due_soon + late), 0) AS BIGINT) FROM task_board_sums",
                );
                if let Some(body) = body {
                    q.push(" WHERE body_id = ").push_bind(body.0);
                }
                let row = q.build().fetch_one(self.reader()).await.map_err(db_err)?;
                row.try_get(0).map_err(db_err)
            }
        }
    };
}
