//! Assessment (考核): the stints' facts, a period's counts, weights and disputes.

/// Implements [`AssessmentStore`](crate::AssessmentStore) inside
/// [`sql_store!`](crate::sql_store), with the helpers the workflow's writes and the import
/// use to keep the facts.
#[macro_export]
#[doc(hidden)]
macro_rules! sql_assessment {
    ($store:ty, $db:ty) => {
            use ::jiesu_domain::assessment::dispute::{Dispute, DisputeStatus};
            use ::jiesu_domain::assessment::facts::{FactChange, NewStint, Stint};
            use ::jiesu_domain::assessment::rates::Counts;
            use ::jiesu_domain::assessment::weights::{WeightSet, Weights};
            use ::jiesu_domain::deadline::Stage;

            /// The current (latest) stint of appeal `$1`.
            const CURRENT_STINT: &str =
                "appeal_id = $1 AND stint = (SELECT MAX(stint) FROM assessment_facts WHERE appeal_id = $1)";

            const STINT_COLUMNS: &str = "f.appeal_id, f.stint, f.body_id, f.dispatched_ms, f.signed, f.contacted, f.replied, \
                f.returned, f.return_invalid, f.called_back, f.solved, f.satisfied, f.reminders, f.supervisions, \
                f.reopened, f.closed_ms, f.repeated, f.excluded";

            const DISPUTE_COLUMNS: &str =
                "id, appeal_id, body_id, reason, status, filed_by, filed_ms, decided_by, decided_ms, note";

            fn flag(v: Option<bool>) -> Option<i32> {
                v.map(i32::from)
            }

            fn stint_from_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<Stint> {
                let opt = |i: usize| -> StoreResult<Option<bool>> {
                    Ok(row.try_get::<Option<i32>, _>(i).map_err(db_err)?.map(|v| v != 0))
                };
                let yes = |i: usize| -> StoreResult<bool> { Ok(row.try_get::<i32, _>(i).map_err(db_err)? != 0) };
                let count = |i: usize| -> StoreResult<i64> { Ok(i64::from(row.try_get::<i32, _>(i).map_err(db_err)?)) };
                Ok(Stint {
                    appeal: AppealId(row.try_get(0).map_err(db_err)?),
                    stint: row.try_get(1).map_err(db_err)?,
                    body: BodyId(row.try_get(2).map_err(db_err)?),
                    dispatched_at: $crate::sql::from_ms(row.try_get(3).map_err(db_err)?)?,
                    phone: None,
                    place_key: None,
                    signed: opt(4)?,
                    contacted: opt(5)?,
                    replied: opt(6)?,
                    returned: yes(7)?,
                    return_invalid: yes(8)?,
                    called_back: yes(9)?,
                    solved: yes(10)?,
                    satisfied: opt(11)?,
                    reminders: count(12)?,
                    supervisions: count(13)?,
                    reopened: count(14)?,
                    closed_at: row
                        .try_get::<Option<i64>, _>(15)
                        .map_err(db_err)?
                        .map($crate::sql::from_ms)
                        .transpose()?,
                    repeated: yes(16)?,
                    excluded: yes(17)?,
                })
            }

            fn dispute_from_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<Dispute> {
                let status: String = row.try_get(4).map_err(db_err)?;
                Ok(Dispute {
                    id: row.try_get(0).map_err(db_err)?,
                    appeal: AppealId(row.try_get(1).map_err(db_err)?),
                    body: BodyId(row.try_get(2).map_err(db_err)?),
                    reason: row.try_get(3).map_err(db_err)?,
                    status: DisputeStatus::parse(&status).map_err(|_| StoreError::Corrupt(format!("申诉状态 {status}")))?,
                    filed_by: row.try_get::<Option<i64>, _>(5).map_err(db_err)?.map(UserId),
                    filed_at: $crate::sql::from_ms(row.try_get(6).map_err(db_err)?)?,
                    decided_by: row.try_get::<Option<i64>, _>(7).map_err(db_err)?.map(UserId),
                    decided_at: row
                        .try_get::<Option<i64>, _>(8)
                        .map_err(db_err)?
                        .map($crate::sql::from_ms)
                        .transpose()?,
                    note: row.try_get(9).map_err(db_err)?,
                })
            }

            /// Marks the closed cases an appeal registered at `new.registered_at` repeats
            /// (重复诉求): the same citizen, or the same thing at the same place, closed in the
            /// 30 days before.
            async fn mark_repeats(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                appeal: AppealId,
                new: &NewStint,
            ) -> StoreResult<()> {
                for (column, key) in [("phone", &new.phone), ("place_key", &new.place_key)] {
                    let Some(key) = key else { continue };
                    ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "UPDATE assessment_facts SET repeated = 1 WHERE {column} = $1 AND closed_ms >= $2 \
                         AND closed_ms <= $3 AND appeal_id <> $4 AND repeated = 0"
                    )))
                    .bind(key.as_str())
                    .bind(to_ms(new.repeat_since()))
                    .bind(to_ms(new.registered_at))
                    .bind(appeal.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                }
                Ok(())
            }

            /// Stores whole stints (an import's), many rows per statement.
            async fn insert_stints(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                stints: &[&Stint],
            ) -> StoreResult<()> {
                for chunk in stints.chunks($crate::sql::ROWS_PER_STATEMENT / 2) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO assessment_facts (appeal_id, stint, body_id, dispatched_ms, phone, place_key, signed, \
                         contacted, replied, returned, return_invalid, called_back, solved, satisfied, reminders, \
                         supervisions, reopened, closed_ms, repeated, excluded) ",
                    );
                    q.push_values(chunk, |mut row, s| {
                        row.push_bind(s.appeal.0)
                            .push_bind(s.stint)
                            .push_bind(s.body.0)
                            .push_bind(to_ms(s.dispatched_at))
                            .push_bind(s.phone.clone())
                            .push_bind(s.place_key.clone())
                            .push_bind(flag(s.signed))
                            .push_bind(flag(s.contacted))
                            .push_bind(flag(s.replied))
                            .push_bind(i32::from(s.returned))
                            .push_bind(i32::from(s.return_invalid))
                            .push_bind(i32::from(s.called_back))
                            .push_bind(i32::from(s.solved))
                            .push_bind(flag(s.satisfied))
                            .push_bind(s.reminders as i32)
                            .push_bind(s.supervisions as i32)
                            .push_bind(s.reopened as i32)
                            .push_bind(s.closed_at.map(to_ms))
                            .push_bind(i32::from(s.repeated))
                            .push_bind(i32::from(s.excluded));
                    });
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            /// Applies an event's changes to the assessment facts, inside the event's
            /// transaction.
            async fn apply_fact_changes(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                event: &Event,
                changes: &[FactChange],
            ) -> StoreResult<()> {
                let appeal = event.appeal;
                for change in changes {
                    let (set, value): (&str, Option<i64>) = match change {
                        FactChange::Stint(new) => {
                            let earlier: i64 = ::sqlx::query_scalar("SELECT COUNT(*) FROM assessment_facts WHERE appeal_id = $1")
                                .bind(appeal.0)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(db_err)?;
                            if earlier == 0 {
                                mark_repeats(&mut *tx, appeal, new).await?;
                            }
                            let stint = Stint::open(appeal, event.seq, new.clone());
                            insert_stints(&mut *tx, &[&stint]).await?;
                            continue;
                        }
                        FactChange::Stage { stage, on_time } => (
                            match stage {
                                Stage::Sign => "signed = COALESCE(signed, $2)",
                                Stage::Contact => "contacted = COALESCE(contacted, $2)",
                                Stage::Reply => "replied = COALESCE(replied, $2)",
                                Stage::Close => continue,
                            },
                            Some(i64::from(*on_time)),
                        ),
                        FactChange::Returned => ("returned = 1", None),
                        FactChange::ReturnJudged { approved } => ("return_invalid = $2", Some(i64::from(!approved))),
                        FactChange::CalledBack { solved } => ("called_back = 1, solved = $2", Some(i64::from(*solved))),
                        FactChange::Rated(s) => (
                            "satisfied = $2",
                            Some(i64::from(::jiesu_domain::assessment::facts::is_satisfied(*s))),
                        ),
                        FactChange::Reminded => ("reminders = reminders + 1", None),
                        FactChange::Supervised => ("supervisions = supervisions + 1", None),
                        FactChange::Reopened => ("reopened = reopened + 1", None),
                        FactChange::Closed { at } => ("closed_ms = $2", Some(to_ms(*at))),
                    };
                    let sql = format!("UPDATE assessment_facts SET {set} WHERE {CURRENT_STINT}");
                    let mut q = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(appeal.0);
                    if let Some(value) = value {
                        q = q.bind(value);
                    }
                    q.execute(&mut *tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            #[$crate::async_trait]
            impl $crate::AssessmentStore for $store {
                async fn assessment_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(BodyId, Counts)>> {
                    let rows = ::sqlx::query(
                        "SELECT body_id, COUNT(*), \
                         SUM(CASE WHEN signed = 1 THEN 1 ELSE 0 END), COUNT(signed), \
                         SUM(CASE WHEN contacted = 1 THEN 1 ELSE 0 END), COUNT(contacted), \
                         SUM(CASE WHEN replied = 1 THEN 1 ELSE 0 END), COUNT(replied), \
                         SUM(called_back), SUM(solved * called_back), \
                         COUNT(satisfied), SUM(CASE WHEN satisfied = 1 THEN 1 ELSE 0 END), \
                         SUM(returned), SUM(return_invalid), \
                         SUM(CASE WHEN closed_ms IS NULL THEN 0 ELSE 1 END), SUM(repeated), \
                         SUM(reminders), SUM(supervisions), SUM(reopened), \
                         SUM(CASE WHEN signed = 0 OR contacted = 0 OR replied = 0 THEN 1 ELSE 0 END) \
                         FROM assessment_facts WHERE dispatched_ms >= $1 AND dispatched_ms < $2 AND excluded = 0 \
                         GROUP BY body_id ORDER BY body_id",
                    )
                    .bind(to_ms(from))
                    .bind(to_ms(to))
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    let reviews = ::sqlx::query(
                        "SELECT body_id, COUNT(*), SUM(overall) FROM reply_reviews \
                         WHERE body_id IS NOT NULL AND replied_ms >= $1 AND replied_ms < $2 GROUP BY body_id",
                    )
                    .bind(to_ms(from))
                    .bind(to_ms(to))
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    let mut counts: ::std::collections::BTreeMap<i64, Counts> = rows.iter()
                        .map(|r| {
                            let n = |i: usize| -> StoreResult<i64> { r.try_get::<i64, _>(i).map_err(db_err) };
                            Ok((
                                n(0)?,
                                Counts {
                                    cases: n(1)?,
                                    signed_on_time: n(2)?,
                                    sign_decided: n(3)?,
                                    contacted_on_time: n(4)?,
                                    contact_decided: n(5)?,
                                    replied_on_time: n(6)?,
                                    reply_decided: n(7)?,
                                    called_back: n(8)?,
                                    solved: n(9)?,
                                    rated: n(10)?,
                                    satisfied: n(11)?,
                                    returns: n(12)?,
                                    invalid_returns: n(13)?,
                                    closed: n(14)?,
                                    repeated: n(15)?,
                                    reminders: n(16)?,
                                    supervisions: n(17)?,
                                    reopened: n(18)?,
                                    overdue: n(19)?,
                                    reviewed: 0,
                                    review_points: 0,
                                    ..Counts::default()
                                },
                            ))
                        })
                        .collect::<StoreResult<_>>()?;
                    for r in &reviews {
                        let body: i64 = r.try_get(0).map_err(db_err)?;
                        let sum: f64 = r.try_get(2).map_err(db_err)?;
                        let c = counts.entry(body).or_default();
                        c.reviewed = r.try_get(1).map_err(db_err)?;
                        // Thousandths, rounded: the same figure whatever order a backend adds in.
                        c.review_points = (sum * 1000.0).round() as i64;
                    }
                    Ok(counts.into_iter().map(|(body, c)| (BodyId(body), c)).collect())
                }

                async fn costly_cases(&self, body: BodyId, from: DateTime<Utc>, to: DateTime<Utc>, limit: i64) -> StoreResult<Vec<$crate::CostlyCase>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {STINT_COLUMNS}, a.number, a.title FROM assessment_facts f JOIN appeals a ON a.id = f.appeal_id \
                         WHERE f.body_id = $1 AND f.dispatched_ms >= $2 AND f.dispatched_ms < $3 \
                         AND (f.signed = 0 OR f.contacted = 0 OR f.replied = 0 OR (f.called_back = 1 AND f.solved = 0) \
                         OR f.satisfied = 0 OR f.return_invalid = 1 OR f.repeated = 1) \
                         ORDER BY f.dispatched_ms DESC, f.appeal_id DESC LIMIT $4"
                    )))
                    .bind(body.0)
                    .bind(to_ms(from))
                    .bind(to_ms(to))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::CostlyCase {
                                stint: stint_from_row(r)?,
                                number: r.try_get(18).map_err(db_err)?,
                                title: r.try_get(19).map_err(db_err)?,
                            })
                        })
                        .collect()
                }

                async fn appeals_without_facts(
                    &self,
                    after: Option<(DateTime<Utc>, AppealId)>,
                    limit: i64,
                ) -> StoreResult<Vec<(DateTime<Utc>, AppealId)>> {
                    let (after_ms, after_id) = after.map_or((i64::MIN, 0), |(at, id)| (to_ms(at), id.0));
                    let rows: Vec<(i64, i64)> = ::sqlx::query_as(
                        "SELECT a.created_ms, a.id FROM appeals a \
                         WHERE (a.created_ms > $1 OR (a.created_ms = $1 AND a.id > $2)) AND NOT EXISTS \
                         (SELECT 1 FROM assessment_facts f WHERE f.appeal_id = a.id) ORDER BY a.created_ms, a.id LIMIT $3",
                    )
                    .bind(after_ms)
                    .bind(after_id)
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.into_iter()
                        .map(|(ms, id)| Ok(($crate::sql::from_ms(ms)?, AppealId(id))))
                        .collect()
                }

                async fn restore_facts(&self, appeals: &[$crate::RebuiltFacts]) -> StoreResult<usize> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let mut restored = 0;
                    for rebuilt in appeals {
                        let Some(first) = rebuilt.stints.first() else { continue };
                        if rebuilt.stints.iter().any(|s| s.appeal != first.appeal) {
                            return Err(StoreError::Other("rebuilt stints of one appeal each".into()));
                        }
                        let kept: i64 = ::sqlx::query_scalar("SELECT COUNT(*) FROM assessment_facts WHERE appeal_id = $1")
                            .bind(first.appeal.0)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        if kept > 0 {
                            continue;
                        }
                        let new = NewStint {
                            body: first.body,
                            dispatched_at: first.dispatched_at,
                            registered_at: rebuilt.registered_at,
                            phone: first.phone.clone(),
                            place_key: first.place_key.clone(),
                        };
                        mark_repeats(&mut *tx, first.appeal, &new).await?;
                        insert_stints(&mut *tx, &rebuilt.stints.iter().collect::<Vec<_>>()).await?;
                        restored += 1;
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(restored)
                }

                async fn task_counts(
                    &self,
                    period: &::jiesu_domain::assessment::period::Period,
                    today: ::chrono::NaiveDate,
                ) -> StoreResult<Vec<(BodyId, Counts)>> {
                    // Dates are stored as YYYY-MM-DD text, so text order is date order.
                    let tasks = ::sqlx::query(
                        "SELECT tb.body_id, COUNT(*), COUNT(CASE WHEN t.done_on_time = 1 THEN 1 END) \
                         FROM tasks t JOIN task_bodies tb ON tb.task_id = t.id AND tb.lead = 1 \
                         WHERE t.published_ms IS NOT NULL AND t.due >= $1 AND t.due < $2 \
                         AND (t.done_ms IS NOT NULL OR t.due < $3) GROUP BY tb.body_id",
                    )
                    .bind(period.start.to_string())
                    .bind(period.end.to_string())
                    .bind(today.to_string())
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    let reports = ::sqlx::query(
                        "SELECT body_id, COUNT(*), COUNT(CASE WHEN on_time = 1 THEN 1 END) FROM task_reports \
                         WHERE body_id IS NOT NULL AND due IS NOT NULL AND created_ms >= $1 AND created_ms < $2 \
                         GROUP BY body_id",
                    )
                    .bind(to_ms(period.from()))
                    .bind(to_ms(period.to()))
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    let mut counts: ::std::collections::BTreeMap<i64, Counts> = Default::default();
                    for r in &tasks {
                        let c = counts.entry(r.try_get(0).map_err(db_err)?).or_default();
                        c.tasks_decided = r.try_get(1).map_err(db_err)?;
                        c.tasks_on_time = r.try_get(2).map_err(db_err)?;
                    }
                    for r in &reports {
                        let c = counts.entry(r.try_get(0).map_err(db_err)?).or_default();
                        c.task_reports = r.try_get(1).map_err(db_err)?;
                        c.task_reports_on_time = r.try_get(2).map_err(db_err)?;
                    }
                    Ok(counts.into_iter().map(|(body, c)| (BodyId(body), c)).collect())
                }

                async fn stints(&self, appeal: AppealId) -> StoreResult<Vec<Stint>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {STINT_COLUMNS} FROM assessment_facts f WHERE f.appeal_id = $1 ORDER BY f.stint")))
                        .bind(appeal.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter().map(stint_from_row).collect()
                }

                async fn current_weights(&self) -> StoreResult<Option<Weights>> {
                    let row = ::sqlx::query("SELECT version, data FROM assessment_weights ORDER BY version DESC LIMIT 1")
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?;
                    row.map(|r| {
                        Ok(Weights {
                            version: r.try_get(0).map_err(db_err)?,
                            set: from_json(&r.try_get::<String, _>(1).map_err(db_err)?)?,
                        })
                    })
                    .transpose()
                }

                async fn save_weights(&self, set: &WeightSet, by: Option<UserId>, at: DateTime<Utc>) -> StoreResult<Weights> {
                    let version: i64 = ::sqlx::query_scalar(
                        "INSERT INTO assessment_weights (version, data, created_ms, created_by) \
                         SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM assessment_weights RETURNING version",
                    )
                    .bind(to_json(set)?)
                    .bind(to_ms(at))
                    .bind(by.map(|u| u.0))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(Weights { version, set: set.clone() })
                }

                async fn file_dispute(&self, d: &$crate::NewDispute) -> StoreResult<Dispute> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let stints: i64 = ::sqlx::query_scalar("SELECT COUNT(*) FROM assessment_facts WHERE appeal_id = $1 AND body_id = $2")
                        .bind(d.appeal.0)
                        .bind(d.body.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    if stints == 0 {
                        return Err(StoreError::NotFound("承办记录"));
                    }
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "INSERT INTO assessment_disputes (appeal_id, body_id, reason, status, filed_by, filed_ms) \
                         VALUES ($1, $2, $3, 'pending', $4, $5) RETURNING {DISPUTE_COLUMNS}"
                    )))
                    .bind(d.appeal.0)
                    .bind(d.body.0)
                    .bind(d.reason.as_str())
                    .bind(d.by.map(|u| u.0))
                    .bind(to_ms(d.at))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    let dispute = dispute_from_row(&row)?;
                    tx.commit().await.map_err(db_err)?;
                    Ok(dispute)
                }

                async fn decide_dispute(&self, id: i64, accept: bool, note: &str, by: Option<UserId>, at: DateTime<Utc>) -> StoreResult<Dispute> {
                    let status = if accept { DisputeStatus::Accepted } else { DisputeStatus::Rejected };
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "UPDATE assessment_disputes SET status = $2, note = $3, decided_by = $4, decided_ms = $5 \
                         WHERE id = $1 AND status = 'pending' RETURNING {DISPUTE_COLUMNS}"
                    )))
                    .bind(id)
                    .bind(status.code())
                    .bind(note)
                    .bind(by.map(|u| u.0))
                    .bind(to_ms(at))
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    let Some(row) = row else {
                        drop(tx);
                        self.dispute(id).await?;
                        return Err(StoreError::Stale);
                    };
                    let dispute = dispute_from_row(&row)?;
                    if accept {
                        ::sqlx::query("UPDATE assessment_facts SET excluded = 1 WHERE appeal_id = $1 AND body_id = $2")
                            .bind(dispute.appeal.0)
                            .bind(dispute.body.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(dispute)
                }

                async fn dispute(&self, id: i64) -> StoreResult<Dispute> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {DISPUTE_COLUMNS} FROM assessment_disputes WHERE id = $1")))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("申诉"))?;
                    dispute_from_row(&row)
                }

                async fn disputes(&self, status: Option<DisputeStatus>, limit: i64) -> StoreResult<Vec<Dispute>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {DISPUTE_COLUMNS} FROM assessment_disputes WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2"
                    )))
                    .bind(status.map(|s| s.code()))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(dispute_from_row).collect()
                }
            }
    };
}
