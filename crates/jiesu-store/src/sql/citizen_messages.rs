//! Messages to citizens (通知): the outbox.

/// Implements [`CitizenMessageStore`](crate::CitizenMessageStore) inside
/// [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_citizen_messages {
    ($store:ty, $db:ty) => {
            fn citizen_message(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::CitizenMessage> {
                let state: i64 = row.try_get("state").map_err(db_err)?;
                Ok($crate::CitizenMessage {
                    id: row.try_get("id").map_err(db_err)?,
                    appeal: AppealId(row.try_get("appeal_id").map_err(db_err)?),
                    event: row.try_get("event").map_err(db_err)?,
                    channel: row.try_get("channel").map_err(db_err)?,
                    recipient: row.try_get("recipient").map_err(db_err)?,
                    subject: row.try_get("subject").map_err(db_err)?,
                    body: row.try_get("body").map_err(db_err)?,
                    state: $crate::MessageState::from_code(state)
                        .ok_or_else(|| StoreError::Corrupt(format!("message state {state}")))?,
                    attempts: row.try_get("attempts").map_err(db_err)?,
                    next_at: $crate::sql::from_ms(row.try_get("next_ms").map_err(db_err)?)?,
                    last_error: row.try_get("last_error").map_err(db_err)?,
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                })
            }

            #[$crate::async_trait]
            impl $crate::CitizenMessageStore for $store {
                async fn enqueue_message(&self, m: &$crate::NewMessage) -> StoreResult<bool> {
                    let at = to_ms(m.at);
                    let done = ::sqlx::query(
                        "INSERT INTO citizen_messages (appeal_id, event, channel, recipient, subject, body, next_ms, created_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (appeal_id, event, channel) DO NOTHING",
                    )
                    .bind(m.appeal.0)
                    .bind(&m.event)
                    .bind(&m.channel)
                    .bind(&m.recipient)
                    .bind(&m.subject)
                    .bind(&m.body)
                    .bind(at)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn claim_messages(&self, claim: &str, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<$crate::CitizenMessage>> {
                    let now_ms = to_ms(now);
                    ::sqlx::query(
                        "UPDATE citizen_messages SET claim = $1, claim_ms = $2 WHERE id IN ( \
                         SELECT id FROM citizen_messages WHERE state = 0 AND next_ms <= $2 \
                         AND (claim IS NULL OR claim_ms < $3) ORDER BY next_ms, id LIMIT $4)",
                    )
                    .bind(claim)
                    .bind(now_ms)
                    .bind(now_ms - 60_000)
                    .bind(limit)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    let rows = ::sqlx::query(
                        "SELECT id, appeal_id, event, channel, recipient, subject, body, state, attempts, next_ms, last_error, \
                         created_ms FROM citizen_messages WHERE claim = $1 AND state = 0 ORDER BY id",
                    )
                    .bind(claim)
                    .fetch_all(self.writer())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(citizen_message).collect()
                }

                async fn finish_message(&self, id: i64, at: DateTime<Utc>, error: Option<&str>, retry_at: Option<DateTime<Utc>>) -> StoreResult<()> {
                    let state = match (error, retry_at) {
                        (None, _) => $crate::MessageState::Sent,
                        (Some(_), Some(_)) => $crate::MessageState::Pending,
                        (Some(_), None) => $crate::MessageState::Failed,
                    };
                    ::sqlx::query(
                        "UPDATE citizen_messages SET state = $1, attempts = attempts + 1, next_ms = $2, \
                         last_error = $3, sent_ms = $4, claim = NULL, claim_ms = NULL WHERE id = $5",
                    )
                    .bind(state.code())
                    .bind(to_ms(retry_at.unwrap_or(at)))
                    .bind(error.unwrap_or(""))
                    .bind(error.is_none().then(|| to_ms(at)))
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }

                async fn messages(&self, state: $crate::MessageState, limit: i64) -> StoreResult<Vec<$crate::CitizenMessage>> {
                    let rows = ::sqlx::query(
                        "SELECT id, appeal_id, event, channel, recipient, subject, body, state, attempts, next_ms, last_error, \
                         created_ms FROM citizen_messages WHERE state = $1 ORDER BY id DESC LIMIT $2",
                    )
                    .bind(state.code())
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(citizen_message).collect()
                }

                async fn retry_message(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE citizen_messages SET state = 0, attempts = 0, next_ms = $1, claim = NULL, claim_ms = NULL \
                         WHERE id = $2 AND state <> 1",
                    )
                    .bind(to_ms(now))
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("待发送的通知"));
                    }
                    Ok(())
                }
            }
    };
}
