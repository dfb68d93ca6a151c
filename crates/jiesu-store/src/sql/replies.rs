//! Reply reviews (答复评价): scores per reply, the decision, and means per body.

/// Implements [`ReplyReviewStore`](crate::ReplyReviewStore) inside
/// [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_replies {
    ($store:ty, $db:ty) => {
            fn reply_score_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::ReplyScore> {
                let get_f64 = |name: &str| -> StoreResult<f64> { row.try_get(name).map_err(db_err) };
                let approved: Option<i64> = row.try_get("approved").map_err(db_err)?;
                let reviewed: Option<i64> = row.try_get("reviewed_ms").map_err(db_err)?;
                let gaps: String = row.try_get("gaps").map_err(db_err)?;
                Ok($crate::ReplyScore {
                    appeal: AppealId(row.try_get("appeal_id").map_err(db_err)?),
                    reply_seq: row.try_get("reply_seq").map_err(db_err)?,
                    body: row.try_get::<Option<i64>, _>("body_id").map_err(db_err)?.map(BodyId),
                    relevance: get_f64("relevance")?,
                    completeness: get_f64("completeness")?,
                    tone: get_f64("tone")?,
                    timeliness: get_f64("timeliness")?,
                    overall: get_f64("overall")?,
                    gaps: from_json(&gaps)?,
                    replied_at: $crate::sql::from_ms(row.try_get("replied_ms").map_err(db_err)?)?,
                    scored_at: $crate::sql::from_ms(row.try_get("scored_ms").map_err(db_err)?)?,
                    approved: approved.map(|a| a != 0),
                    reviewed_at: reviewed.map($crate::sql::from_ms).transpose()?,
                })
            }

            #[$crate::async_trait]
            impl $crate::ReplyReviewStore for $store {
                async fn save_reply_score(&self, score: &$crate::ReplyScore) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO reply_reviews (appeal_id, reply_seq, body_id, relevance, completeness, tone, \
                         timeliness, overall, gaps, replied_ms, scored_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                         ON CONFLICT (appeal_id, reply_seq) DO UPDATE SET body_id = excluded.body_id, \
                         relevance = excluded.relevance, completeness = excluded.completeness, tone = excluded.tone, \
                         timeliness = excluded.timeliness, overall = excluded.overall, gaps = excluded.gaps, \
                         replied_ms = excluded.replied_ms, scored_ms = excluded.scored_ms",
                    )
                    .bind(score.appeal.0)
                    .bind(score.reply_seq)
                    .bind(score.body.map(|b| b.0))
                    .bind(score.relevance)
                    .bind(score.completeness)
                    .bind(score.tone)
                    .bind(score.timeliness)
                    .bind(score.overall)
                    .bind(to_json(&score.gaps)?)
                    .bind(to_ms(score.replied_at))
                    .bind(to_ms(score.scored_at))
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }

                async fn decide_reply_score(
                    &self,
                    appeal: AppealId,
                    reply_seq: i64,
                    approved: bool,
                    at: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE reply_reviews SET approved = $1, reviewed_ms = $2 WHERE appeal_id = $3 AND reply_seq = $4",
                    )
                    .bind(i64::from(approved))
                    .bind(to_ms(at))
                    .bind(appeal.0)
                    .bind(reply_seq)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("答复评价"));
                    }
                    Ok(())
                }

                async fn reply_scores(&self, appeal: AppealId) -> StoreResult<Vec<$crate::ReplyScore>> {
                    let rows = ::sqlx::query(
                        "SELECT appeal_id, reply_seq, body_id, relevance, completeness, tone, timeliness, overall, \
                         gaps, replied_ms, scored_ms, approved, reviewed_ms FROM reply_reviews \
                         WHERE appeal_id = $1 ORDER BY reply_seq DESC",
                    )
                    .bind(appeal.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(reply_score_row).collect()
                }

                async fn weakest_replies(
                    &self,
                    from: DateTime<Utc>,
                    to: DateTime<Utc>,
                    limit: i64,
                ) -> StoreResult<Vec<$crate::ReplyScore>> {
                    let rows = ::sqlx::query(
                        "SELECT appeal_id, reply_seq, body_id, relevance, completeness, tone, timeliness, overall, \
                         gaps, replied_ms, scored_ms, approved, reviewed_ms FROM reply_reviews \
                         WHERE replied_ms >= $1 AND replied_ms < $2 \
                         ORDER BY overall, appeal_id, reply_seq LIMIT $3",
                    )
                    .bind(to_ms(from))
                    .bind(to_ms(to))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(reply_score_row).collect()
                }

                async fn reply_review_mean_by_body(
                    &self,
                    from: DateTime<Utc>,
                    to: DateTime<Utc>,
                ) -> StoreResult<Vec<$crate::BodyReplyMean>> {
                    let rows = ::sqlx::query(
                        "SELECT body_id, COUNT(*) AS replies, AVG(relevance) AS relevance, \
                         AVG(completeness) AS completeness, AVG(tone) AS tone, AVG(timeliness) AS timeliness, \
                         AVG(overall) AS overall FROM reply_reviews \
                         WHERE body_id IS NOT NULL AND replied_ms >= $1 AND replied_ms < $2 \
                         GROUP BY body_id ORDER BY body_id",
                    )
                    .bind(to_ms(from))
                    .bind(to_ms(to))
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter()
                        .map(|row| {
                            let get_f64 = |name: &str| -> StoreResult<f64> { row.try_get(name).map_err(db_err) };
                            Ok($crate::BodyReplyMean {
                                body: BodyId(row.try_get("body_id").map_err(db_err)?),
                                replies: row.try_get("replies").map_err(db_err)?,
                                relevance: get_f64("relevance")?,
                                completeness: get_f64("completeness")?,
                                tone: get_f64("tone")?,
                                timeliness: get_f64("timeliness")?,
                                overall: get_f64("overall")?,
                            })
                        })
                        .collect()
                }
            }
    };
}
