//! Notices (站内消息): inboxes and webhook delivery.

/// Implements [`NoticeStore`](crate::NoticeStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_notices {
    ($store:ty, $db:ty) => {
            fn inbox_item(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<InboxItem> {
                let body: Option<i64> = row.try_get("body_id").map_err(db_err)?;
                let role: Option<String> = row.try_get("role").map_err(db_err)?;
                let recipient = match (body, role) {
                    (Some(b), _) => Recipient::Body(BodyId(b)),
                    (None, Some(r)) => Recipient::Role(Role::parse(&r).map_err(|e| StoreError::Corrupt(e.to_string()))?),
                    (None, None) => return Err(StoreError::Corrupt("notice without recipient".into())),
                };
                Ok(InboxItem {
                    id: row.try_get("id").map_err(db_err)?,
                    appeal: AppealId(row.try_get("appeal_id").map_err(db_err)?),
                    recipient,
                    kind: row.try_get("kind").map_err(db_err)?,
                    message: row.try_get("message").map_err(db_err)?,
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                    read: row.try_get::<i64, _>("is_read").map_err(db_err)? != 0,
                })
            }

            #[$crate::async_trait]
            impl $crate::NoticeStore for $store {
                async fn inbox(&self, user: &User, unread_only: bool, page: Page) -> StoreResult<Vec<InboxItem>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT n.id, n.appeal_id, n.body_id, n.role, n.kind, n.message, n.created_ms, \
                         CAST(CASE WHEN r.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS is_read \
                         FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ",
                    );
                    q.push_bind(user.id.0);
                    q.push(" WHERE (n.role = ").push_bind(user.role.label());
                    if let Some(body) = user.body {
                        q.push(" OR n.body_id = ").push_bind(body.0);
                    }
                    q.push(")");
                    if unread_only {
                        q.push(" AND r.user_id IS NULL");
                    }
                    q.push(" ORDER BY n.id DESC LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(inbox_item).collect()
                }

                async fn mark_read(&self, user: &User, notice: i64) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO notification_reads (notification_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(notice)
                    .bind(user.id.0)
                    .execute(self.writer())
                    .await
                    .map_err(|e| match db_err(e) {
                        StoreError::MissingReference { .. } => StoreError::NotFound("消息"),
                        other => other,
                    })?;
                    Ok(())
                }

                async fn claim_deliveries(&self, claim: &str, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Delivery>> {
                    let now_ms = to_ms(now);
                    ::sqlx::query(
                        "UPDATE notifications SET webhook_claim = $1, webhook_claim_ms = $2 WHERE id IN ( \
                         SELECT id FROM notifications WHERE webhook_state = 0 AND webhook_next_ms <= $2 \
                         AND (webhook_claim IS NULL OR webhook_claim_ms < $3) ORDER BY id LIMIT $4)",
                    )
                    .bind(claim)
                    .bind(now_ms)
                    .bind(now_ms - 60_000)
                    .bind(limit)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    let rows = ::sqlx::query(
                        "SELECT id, appeal_id, body_id, role, kind, message, created_ms, CAST(0 AS BIGINT) AS is_read, webhook_attempts \
                         FROM notifications WHERE webhook_claim = $1 AND webhook_state = 0 ORDER BY id",
                    )
                    .bind(claim)
                    .fetch_all(self.writer())
                    .await
                    .map_err(db_err)?;
                    rows.iter()
                        .map(|row| Ok(Delivery { item: inbox_item(row)?, attempts: row.try_get("webhook_attempts").map_err(db_err)? }))
                        .collect()
                }

                async fn finish_delivery(&self, id: i64, delivered: bool, retry_at: Option<DateTime<Utc>>) -> StoreResult<()> {
                    let state: i64 = match (delivered, retry_at) {
                        (true, _) => 1,
                        (false, Some(_)) => 0,
                        (false, None) => 2,
                    };
                    ::sqlx::query(
                        "UPDATE notifications SET webhook_state = $1, webhook_attempts = webhook_attempts + 1, \
                         webhook_next_ms = $2, webhook_claim = NULL, webhook_claim_ms = NULL WHERE id = $3",
                    )
                    .bind(state)
                    .bind(retry_at.map(to_ms).unwrap_or(0))
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }
            }
    };
}
