//! Following published tasks: bodies, milestones, reports and reviews, 销号, clocks, board.

/// Implements [`TaskFollowStore`](crate::TaskFollowStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_task_follow {
    ($store:ty, $db:ty) => {
        fn parse_day(text: &str) -> StoreResult<::chrono::NaiveDate> {
            text.parse()
                .map_err(|e| StoreError::Corrupt(format!("date {text}: {e}")))
        }

        fn opt_ms(row: &<$db as ::sqlx::Database>::Row, name: &str) -> StoreResult<Option<DateTime<Utc>>> {
            row.try_get::<Option<i64>, _>(name)
                .map_err(db_err)?
                .map($crate::sql::from_ms)
                .transpose()
        }

        /// 销号 of a live open task: closed time `$1`, note `$2`, task `$3` (also what a
        /// campaign group's corrected answer does to the task it no longer adopts).
        const CLOSE_TASK: &str = "UPDATE tasks SET closed_ms = $1, close_note = $2 \
            WHERE id = $3 AND published_ms IS NOT NULL AND closed_ms IS NULL";

        /// Rows per statement of the scanner's writes (6 bound values a row: far below either
        /// backend's limit).
        const CLOCK_ROWS: usize = 1_000;

        const REPORT_COLUMNS: &str = "id, task_id, body_id, author, text, percent, attachments, \
            milestone_id, due, on_time, created_ms, verdict, reason, reviewed_ms";

        fn report_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredReport> {
            let verdict: String = row.try_get("verdict").map_err(db_err)?;
            let review = match verdict.as_str() {
                "pending" => ::jiesu_domain::task::Review::Pending,
                "accepted" => ::jiesu_domain::task::Review::Accepted,
                "sent_back" => ::jiesu_domain::task::Review::SentBack {
                    reason: row.try_get("reason").map_err(db_err)?,
                },
                other => return Err(StoreError::Corrupt(format!("verdict {other}"))),
            };
            let percent: i64 = row.try_get("percent").map_err(db_err)?;
            let due: Option<String> = row.try_get("due").map_err(db_err)?;
            Ok($crate::StoredReport {
                id: row.try_get("id").map_err(db_err)?,
                task: row.try_get("task_id").map_err(db_err)?,
                body: row.try_get::<Option<i64>, _>("body_id").map_err(db_err)?.map(BodyId),
                author: row.try_get("author").map_err(db_err)?,
                report: ::jiesu_domain::task::ReportDraft {
                    text: row.try_get("text").map_err(db_err)?,
                    percent: u8::try_from(percent)
                        .map_err(|_| StoreError::Corrupt(format!("percent {percent}")))?,
                    attachments: from_json(&row.try_get::<String, _>("attachments").map_err(db_err)?)?,
                    milestone: row.try_get("milestone_id").map_err(db_err)?,
                },
                due: due.as_deref().map(parse_day).transpose()?,
                on_time: row.try_get::<i64, _>("on_time").map_err(db_err)? == 1,
                created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                review,
                reviewed_at: opt_ms(row, "reviewed_ms")?,
            })
        }

        /// Appends the filter's conditions on live tasks `t`. A status is the one
        /// [`TaskFacts::status`](::jiesu_domain::task::TaskFacts::status) derives on its day.
        fn push_task_filter(q: &mut ::sqlx::QueryBuilder<$db>, filter: &$crate::TaskFilter) {
            use ::jiesu_domain::task::TaskStatus;
            if let Some(document) = &filter.document {
                q.push(" AND t.document = ").push_bind(document.clone());
            }
            if let Some(body) = filter.body {
                q.push(" AND t.id IN (SELECT task_id FROM task_bodies WHERE body_id = ")
                    .push_bind(body.0)
                    .push(")");
            }
            let Some((status, today)) = filter.status else {
                return;
            };
            const OPEN: &str = " AND t.closed_ms IS NULL AND COALESCE(t.accepted_percent, 0) <> 100";
            match status {
                TaskStatus::Draft => {
                    q.push(" AND 1 = 0");
                }
                TaskStatus::Closed => {
                    q.push(" AND t.closed_ms IS NOT NULL");
                }
                TaskStatus::Done => {
                    q.push(" AND t.closed_ms IS NULL AND t.accepted_percent = 100");
                }
                TaskStatus::Overdue => {
                    q.push(OPEN).push(" AND t.due < ").push_bind(today.to_string());
                }
                TaskStatus::InProgress | TaskStatus::NotStarted => {
                    q.push(OPEN)
                        .push(" AND (t.due IS NULL OR t.due >= ")
                        .push_bind(today.to_string())
                        .push(")")
                        .push(if status == TaskStatus::InProgress {
                            " AND t.last_report_ms IS NOT NULL"
                        } else {
                            " AND t.last_report_ms IS NULL"
                        });
                }
            }
        }

        #[$crate::async_trait]
        impl $crate::TaskFollowStore for $store {
            async fn publish_assigned(
                &self,
                assignments: &[$crate::TaskAssignment],
                at: DateTime<Utc>,
            ) -> StoreResult<u64> {
                let mut tx = self.writer().begin().await.map_err(db_err)?;
                for a in assignments {
                    let done = ::sqlx::query(
                        "UPDATE tasks SET published_ms = $1 WHERE id = $2 AND published_ms IS NULL",
                    )
                    .bind(to_ms(at))
                    .bind(a.task)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("任务草稿"));
                    }
                    let bodies = a.lead.iter().map(|b| (b, 1_i64)).chain(
                        a.co.iter().filter(|b| !a.lead.contains(b)).map(|b| (b, 0_i64)),
                    );
                    for (body, lead) in bodies {
                        ::sqlx::query(
                            "INSERT INTO task_bodies (task_id, body_id, lead) VALUES ($1, $2, $3) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(a.task)
                        .bind(body.0)
                        .bind(lead)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    }
                }
                tx.commit().await.map_err(db_err)?;
                Ok(assignments.len() as u64)
            }

            async fn task_standing(&self, task: i64) -> StoreResult<$crate::TaskStanding> {
                let row = ::sqlx::query(
                    "SELECT last_report_ms, accepted_percent, done_ms, close_note, timing \
                     FROM tasks WHERE id = $1",
                )
                .bind(task)
                .fetch_optional(self.reader())
                .await
                .map_err(db_err)?
                .ok_or(StoreError::NotFound("任务"))?;
                let bodies = ::sqlx::query(
                    "SELECT body_id, lead FROM task_bodies WHERE task_id = $1 ORDER BY lead DESC, body_id",
                )
                .bind(task)
                .fetch_all(self.reader())
                .await
                .map_err(db_err)?;
                let (mut lead, mut co) = (Vec::new(), Vec::new());
                for b in &bodies {
                    let id = BodyId(b.try_get("body_id").map_err(db_err)?);
                    if b.try_get::<i64, _>("lead").map_err(db_err)? == 1 {
                        lead.push(id);
                    } else {
                        co.push(id);
                    }
                }
                Ok($crate::TaskStanding {
                    lead,
                    co,
                    last_report_at: opt_ms(&row, "last_report_ms")?,
                    accepted_percent: row
                        .try_get::<Option<i64>, _>("accepted_percent")
                        .map_err(db_err)?
                        .and_then(|p| u8::try_from(p).ok()),
                    done_at: opt_ms(&row, "done_ms")?,
                    close_note: row.try_get("close_note").map_err(db_err)?,
                    timing: ::jiesu_domain::task::Timing::from_code(row.try_get("timing").map_err(db_err)?),
                })
            }

            async fn add_milestones(
                &self,
                task: i64,
                milestones: &[::jiesu_domain::task::MilestoneDraft],
            ) -> StoreResult<Vec<i64>> {
                let mut tx = self.writer().begin().await.map_err(db_err)?;
                let mut ids = Vec::with_capacity(milestones.len());
                for m in milestones {
                    let row = ::sqlx::query(
                        "INSERT INTO task_milestones (task_id, due, expected) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(task)
                    .bind(m.due.to_string())
                    .bind(m.expected.as_str())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    ids.push(row.try_get(0).map_err(db_err)?);
                }
                ::sqlx::query("UPDATE tasks SET next_check = '' WHERE id = $1")
                    .bind(task)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                Ok(ids)
            }

            async fn milestones(&self, task: i64) -> StoreResult<Vec<$crate::StoredMilestone>> {
                let rows = ::sqlx::query(
                    "SELECT id, task_id, due, expected, done_ms, done_on_time FROM task_milestones \
                     WHERE task_id = $1 ORDER BY due, id",
                )
                .bind(task)
                .fetch_all(self.reader())
                .await
                .map_err(db_err)?;
                rows.iter()
                    .map(|row| {
                        let on_time: Option<i64> = row.try_get("done_on_time").map_err(db_err)?;
                        Ok($crate::StoredMilestone {
                            id: row.try_get("id").map_err(db_err)?,
                            task: row.try_get("task_id").map_err(db_err)?,
                            due: parse_day(&row.try_get::<String, _>("due").map_err(db_err)?)?,
                            expected: row.try_get("expected").map_err(db_err)?,
                            done: opt_ms(row, "done_ms")?.map(|at| (at, on_time == Some(1))),
                        })
                    })
                    .collect()
            }

            async fn add_report(&self, r: &$crate::NewReport) -> StoreResult<i64> {
                let mut tx = self.writer().begin().await.map_err(db_err)?;
                let row = ::sqlx::query(
                    "INSERT INTO task_reports (task_id, body_id, author, text, percent, attachments, \
                     milestone_id, due, on_time, created_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(r.task)
                .bind(r.body.map(|b| b.0))
                .bind(r.author.as_str())
                .bind(r.report.text.as_str())
                .bind(i64::from(r.report.percent))
                .bind(to_json(&r.report.attachments)?)
                .bind(r.report.milestone)
                .bind(r.due.map(|d| d.to_string()))
                .bind(i64::from(r.on_time))
                .bind(to_ms(r.at))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
                let id: i64 = row.try_get(0).map_err(db_err)?;
                ::sqlx::query(
                    "UPDATE tasks SET last_report_ms = $1, reports = reports + 1, next_check = '', \
                     reports_on_time = reports_on_time + $2 WHERE id = $3",
                )
                .bind(to_ms(r.at))
                .bind(i64::from(r.on_time))
                .bind(r.task)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                Ok(id)
            }

            async fn reports(&self, task: i64) -> StoreResult<Vec<$crate::StoredReport>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {REPORT_COLUMNS} FROM task_reports WHERE task_id = "
                ));
                q.push_bind(task).push(" ORDER BY id");
                let rows = q
                    .build()
                    .fetch_all(self.reader())
                .await
                .map_err(db_err)?;
                rows.iter().map(report_row).collect()
            }

            async fn report(&self, id: i64) -> StoreResult<$crate::StoredReport> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {REPORT_COLUMNS} FROM task_reports WHERE id = "
                ));
                q.push_bind(id);
                let row = q
                    .build()
                    .fetch_optional(self.reader())
                .await
                .map_err(db_err)?
                .ok_or(StoreError::NotFound("进展报送"))?;
                report_row(&row)
            }

            async fn review_report(&self, v: &$crate::Verdict, at: DateTime<Utc>) -> StoreResult<()> {
                use ::jiesu_domain::task::Review;
                let (verdict, reason) = match &v.review {
                    Review::Pending => ("pending", ""),
                    Review::Accepted => ("accepted", ""),
                    Review::SentBack { reason } => ("sent_back", reason.as_str()),
                };
                let mut tx = self.writer().begin().await.map_err(db_err)?;
                let row = ::sqlx::query(
                    "UPDATE task_reports SET verdict = $1, reason = $2, reviewed_ms = $3 \
                     WHERE id = $4 AND verdict = 'pending' RETURNING task_id, percent, created_ms",
                )
                .bind(verdict)
                .bind(reason)
                .bind(to_ms(at))
                .bind(v.report)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?
                .ok_or(StoreError::Stale)?;
                if v.review == Review::Accepted {
                    let task: i64 = row.try_get("task_id").map_err(db_err)?;
                    let percent: i64 = row.try_get("percent").map_err(db_err)?;
                    let reported: i64 = row.try_get("created_ms").map_err(db_err)?;
                    ::sqlx::query("UPDATE tasks SET accepted_percent = $1 WHERE id = $2")
                        .bind(percent)
                        .bind(task)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    if let Some(on_time) = v.done_on_time {
                        ::sqlx::query(
                            "UPDATE tasks SET done_ms = $1, done_on_time = $2, timing = 0, alerted = '' \
                             WHERE id = $3 AND done_ms IS NULL",
                        )
                        .bind(reported)
                        .bind(i64::from(on_time))
                        .bind(task)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    }
                    if let Some((milestone, on_time)) = v.milestone {
                        let reached = ::sqlx::query(
                            "UPDATE task_milestones SET done_ms = $1, done_on_time = $2 \
                             WHERE id = $3 AND task_id = $4 AND done_ms IS NULL",
                        )
                        .bind(reported)
                        .bind(i64::from(on_time))
                        .bind(milestone)
                        .bind(task)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                        if reached.rows_affected() == 1 {
                            ::sqlx::query(
                                "UPDATE tasks SET milestones_done = milestones_done + 1, next_check = '', \
                                 milestones_on_time = milestones_on_time + $1 WHERE id = $2",
                            )
                            .bind(i64::from(on_time))
                            .bind(task)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        }
                    }
                }
                tx.commit().await.map_err(db_err)?;
                Ok(())
            }

            async fn close_task(&self, task: i64, note: &str, at: DateTime<Utc>) -> StoreResult<()> {
                let done = ::sqlx::query(CLOSE_TASK)
                .bind(to_ms(at))
                .bind(note)
                .bind(task)
                .execute(self.writer())
                .await
                .map_err(db_err)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Stale);
                }
                Ok(())
            }

            async fn task_clocks(&self, through: ::chrono::NaiveDate) -> StoreResult<Vec<$crate::TaskClocks>> {
                let rows = ::sqlx::query(
                    "SELECT t.id, t.title, t.cadence, t.due, t.published_ms, t.last_report_ms, \
                     t.done_ms, t.timing, t.alerted, \
                     (SELECT MIN(m.due) FROM task_milestones m WHERE m.task_id = t.id AND m.done_ms IS NULL) \
                     AS next_milestone \
                     FROM tasks t WHERE t.published_ms IS NOT NULL AND t.closed_ms IS NULL \
                     AND t.done_ms IS NULL AND t.next_check <= $1 ORDER BY t.next_check, t.id",
                )
                .bind(through.to_string())
                .fetch_all(self.reader())
                .await
                .map_err(db_err)?;
                // Read in the order of the next-check index (ordering by id alone makes SQLite scan
                // every task), then put in id order.
                let mut clocks = rows.iter()
                    .map(|row| {
                        let cadence: String = row.try_get("cadence").map_err(db_err)?;
                        let due: Option<String> = row.try_get("due").map_err(db_err)?;
                        let next: Option<String> = row.try_get("next_milestone").map_err(db_err)?;
                        Ok($crate::TaskClocks {
                            id: row.try_get("id").map_err(db_err)?,
                            title: row.try_get("title").map_err(db_err)?,
                            cadence: ::jiesu_domain::task::Cadence::parse(&cadence)
                                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                            due: due.as_deref().map(parse_day).transpose()?,
                            published_at: $crate::sql::from_ms(row.try_get("published_ms").map_err(db_err)?)?,
                            last_report_at: opt_ms(row, "last_report_ms")?,
                            next_milestone: next.as_deref().map(parse_day).transpose()?,
                            done: false,
                            timing: ::jiesu_domain::task::Timing::from_code(row.try_get("timing").map_err(db_err)?),
                            alerted: row.try_get("alerted").map_err(db_err)?,
                        })
                    })
                    .collect::<StoreResult<Vec<$crate::TaskClocks>>>()?;
                clocks.sort_unstable_by_key(|c| c.id);
                Ok(clocks)
            }

            async fn record_clocks(&self, changes: &[$crate::ClockChange], at: DateTime<Utc>) -> StoreResult<u64> {
                // Set-based: one UPDATE … FROM (VALUES …) and one multi-row INSERT per batch, all
                // in one transaction, instead of a statement per task and per alert. A VALUES
                // list's columns are named column1, column2… on both backends.
                let mut tx = self.writer().begin().await.map_err(db_err)?;
                let mut recorded = 0;
                for batch in changes.chunks(CLOCK_ROWS) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "UPDATE tasks SET timing = v.column2, alerted = v.column3, next_check = v.column4 FROM (",
                    );
                    q.push_values(batch, |mut b, change| {
                        b.push_bind(change.task)
                            .push_bind(change.timing.code())
                            .push_bind(change.alerted.clone())
                            .push_bind(change.next_check.to_string());
                    });
                    q.push(") AS v WHERE tasks.id = v.column1");
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                let alerts: Vec<(i64, &::jiesu_domain::task::ClockAlert, &str)> = changes
                    .iter()
                    .flat_map(|c| c.alerts.iter().map(move |(a, m)| (c.task, a, m.as_str())))
                    .collect();
                for batch in alerts.chunks(CLOCK_ROWS) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO task_alerts (task_id, clock, due, timing, message, created_ms) ",
                    );
                    q.push_values(batch, |mut b, (task, alert, message)| {
                        b.push_bind(*task)
                            .push_bind(alert.clock.keyword())
                            .push_bind(alert.due.to_string())
                            .push_bind(alert.timing.code())
                            .push_bind(message.to_string())
                            .push_bind(to_ms(at));
                    });
                    q.push(" ON CONFLICT DO NOTHING");
                    recorded += q.build().execute(&mut *tx).await.map_err(db_err)?.rows_affected();
                }
                tx.commit().await.map_err(db_err)?;
                Ok(recorded)
            }

            async fn task_alerts(&self, task: i64) -> StoreResult<Vec<$crate::StoredAlert>> {
                let rows = ::sqlx::query(
                    "SELECT clock, due, timing, message, created_ms FROM task_alerts WHERE task_id = $1 \
                     ORDER BY created_ms, due, clock, timing",
                )
                .bind(task)
                .fetch_all(self.reader())
                .await
                .map_err(db_err)?;
                rows.iter()
                    .map(|row| {
                        let clock: String = row.try_get("clock").map_err(db_err)?;
                        Ok($crate::StoredAlert {
                            task,
                            alert: ::jiesu_domain::task::ClockAlert {
                                clock: ::jiesu_domain::task::TaskClock::parse(&clock)
                                    .ok_or_else(|| StoreError::Corrupt(format!("clock {clock}")))?,
                                due: parse_day(&row.try_get::<String, _>("due").map_err(db_err)?)?,
                                timing: ::jiesu_domain::task::Timing::from_code(row.try_get("timing").map_err(db_err)?),
                            },
                            message: row.try_get("message").map_err(db_err)?,
                            created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                        })
                    })
                    .collect()
            }

            async fn task_board(&self, filter: &$crate::TaskFilter) -> StoreResult<Vec<$crate::BoardRow>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new(
                    "SELECT body_id, CAST(SUM(tasks) AS BIGINT) AS tasks, CAST(SUM(done) AS BIGINT) AS done, \
                     CAST(SUM(closed) AS BIGINT) AS closed, CAST(SUM(due_soon) AS BIGINT) AS due_soon, \
                     CAST(SUM(late) AS BIGINT) AS late, CAST(SUM(done_on_time) AS BIGINT) AS done_on_time, \
                     CAST(SUM(reports) AS BIGINT) AS reports, \
                     CAST(SUM(reports_on_time) AS BIGINT) AS reports_on_time, \
                     CAST(SUM(milestones_done) AS BIGINT) AS milestones_done, \
                     CAST(SUM(milestones_on_time) AS BIGINT) AS milestones_on_time \
                     FROM task_board_sums WHERE 1 = 1",
                );
                if let Some(document) = &filter.document {
                    q.push(" AND document = ").push_bind(document.clone());
                }
                if let Some(body) = filter.body {
                    q.push(" AND body_id = ").push_bind(body.0);
                }
                q.push(" GROUP BY body_id HAVING SUM(tasks) > 0 ORDER BY body_id");
                let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                // The sums are kept per (body, document) by migration 0026's triggers; SUM of BIGINT is
                // NUMERIC on PostgreSQL, so the query casts it back.
                rows.iter()
                    .map(|row| {
                        let sum = |name: &str| -> StoreResult<i64> { row.try_get(name).map_err(db_err) };
                        Ok($crate::BoardRow {
                            body: BodyId(row.try_get("body_id").map_err(db_err)?),
                            tasks: row.try_get("tasks").map_err(db_err)?,
                            done: row.try_get("done").map_err(db_err)?,
                            closed: row.try_get("closed").map_err(db_err)?,
                            due_soon: row.try_get("due_soon").map_err(db_err)?,
                            late: row.try_get("late").map_err(db_err)?,
                            done_on_time: row.try_get("done_on_time").map_err(db_err)?,
                            reports: sum("reports")?,
                            reports_on_time: sum("reports_on_time")?,
                            milestones_done: sum("milestones_done")?,
                            milestones_on_time: sum("milestones_on_time")?,
                        })
                    })
                    .collect()
            }

            async fn document_board(&self, filter: &$crate::TaskFilter) -> StoreResult<Vec<$crate::DocumentRow>> {
                // From the per-(body, document) sums migration 0026's triggers keep, as the board
                // per body reads them: no scan of the tasks per request.
                let mut q = ::sqlx::QueryBuilder::<$db>::new(
                    "SELECT document, CAST(SUM(tasks) AS BIGINT) AS tasks, CAST(SUM(done) AS BIGINT) AS done, \
                     CAST(SUM(closed) AS BIGINT) AS closed, CAST(SUM(due_soon) AS BIGINT) AS due_soon, \
                     CAST(SUM(late) AS BIGINT) AS late FROM task_board_sums WHERE 1 = 1",
                );
                if let Some(document) = &filter.document {
                    q.push(" AND document = ").push_bind(document.clone());
                }
                if let Some(body) = filter.body {
                    q.push(" AND body_id = ").push_bind(body.0);
                }
                q.push(" GROUP BY document HAVING SUM(tasks) > 0 ORDER BY document");
                let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                rows.iter()
                    .map(|row| {
                        Ok($crate::DocumentRow {
                            document: row.try_get("document").map_err(db_err)?,
                            tasks: row.try_get("tasks").map_err(db_err)?,
                            done: row.try_get("done").map_err(db_err)?,
                            closed: row.try_get("closed").map_err(db_err)?,
                            due_soon: row.try_get("due_soon").map_err(db_err)?,
                            late: row.try_get("late").map_err(db_err)?,
                        })
                    })
                    .collect()
            }

            async fn live_task_ids(&self, filter: &$crate::TaskFilter, page: Page) -> StoreResult<Vec<i64>> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new(
                    "SELECT t.id FROM tasks t WHERE t.published_ms IS NOT NULL",
                );
                push_task_filter(&mut q, filter);
                q.push(" ORDER BY t.id LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
                let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                rows.iter().map(|r| r.try_get(0).map_err(db_err)).collect()
            }
        }
    };
}
