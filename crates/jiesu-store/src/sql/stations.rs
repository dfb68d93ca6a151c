//! Liaison stations (联络站), receptions, their items, and meetings with their issues.

/// Implements [`StationStore`](crate::StationStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_stations {
    ($store:ty, $db:ty) => {
            const STATION_COLUMNS: &str = "id, name, address, district, street, representatives, opening_days";
            const RECEPTION_COLUMNS: &str = "id, station_id, held_on, received_by, note, created_ms";
            const ITEM_COLUMNS: &str = "appeal_id, reception_id, station_id, created_ms, triage, triage_note, task_id";
            const MEETING_COLUMNS: &str = "id, kind, held_on, title, participants, minutes, created_ms";

            /// A reception's row, in the caller's transaction.
            async fn insert_reception(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                draft: &::jiesu_domain::station::ReceptionDraft,
                at: DateTime<Utc>,
            ) -> StoreResult<i64> {
                let row = ::sqlx::query(
                    "INSERT INTO receptions (station_id, held_on, received_by, note, created_ms) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(draft.station)
                .bind(draft.held_on.to_string())
                .bind(draft.received_by.0)
                .bind(draft.note.as_str())
                .bind(to_ms(at))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
                row.try_get(0).map_err(db_err)
            }

            /// One appeal of a reception, in the caller's transaction.
            async fn insert_station_item(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                appeal: i64,
                reception: i64,
                station: i64,
                at: DateTime<Utc>,
            ) -> StoreResult<()> {
                ::sqlx::query(
                    "INSERT INTO station_items (appeal_id, reception_id, station_id, created_ms) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(appeal)
                .bind(reception)
                .bind(station)
                .bind(to_ms(at))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                Ok(())
            }

            fn stored_date(text: &str) -> StoreResult<::chrono::NaiveDate> {
                text.parse().map_err(|e| StoreError::Corrupt(format!("date {text}: {e}")))
            }

            fn station_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredStation> {
                Ok($crate::StoredStation {
                    id: row.try_get("id").map_err(db_err)?,
                    draft: ::jiesu_domain::station::StationDraft {
                        name: row.try_get("name").map_err(db_err)?,
                        address: row.try_get("address").map_err(db_err)?,
                        district: row.try_get("district").map_err(db_err)?,
                        street: row.try_get("street").map_err(db_err)?,
                        representatives: from_json(&row.try_get::<String, _>("representatives").map_err(db_err)?)?,
                        opening_days: from_json(&row.try_get::<String, _>("opening_days").map_err(db_err)?)?,
                    },
                })
            }

            fn reception_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredReception> {
                Ok($crate::StoredReception {
                    id: row.try_get("id").map_err(db_err)?,
                    draft: ::jiesu_domain::station::ReceptionDraft {
                        station: row.try_get("station_id").map_err(db_err)?,
                        held_on: stored_date(&row.try_get::<String, _>("held_on").map_err(db_err)?)?,
                        received_by: UserId(row.try_get("received_by").map_err(db_err)?),
                        note: row.try_get("note").map_err(db_err)?,
                    },
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                })
            }

            fn item_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StationItem> {
                let triage: Option<String> = row.try_get("triage").map_err(db_err)?;
                Ok($crate::StationItem {
                    appeal: AppealId(row.try_get("appeal_id").map_err(db_err)?),
                    reception: row.try_get("reception_id").map_err(db_err)?,
                    station: row.try_get("station_id").map_err(db_err)?,
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                    triage: triage
                        .map(|t| ::jiesu_domain::station::Triage::parse(&t).map_err(|e| StoreError::Corrupt(e.to_string())))
                        .transpose()?,
                    triage_note: row.try_get("triage_note").map_err(db_err)?,
                    task: row.try_get("task_id").map_err(db_err)?,
                })
            }

            fn issue_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredIssue> {
                Ok($crate::StoredIssue {
                    id: row.try_get("id").map_err(db_err)?,
                    text: row.try_get("body_text").map_err(db_err)?,
                    raised_by: row.try_get("raised_by").map_err(db_err)?,
                    lead_body: row.try_get("lead_body").map_err(db_err)?,
                    task: row.try_get("task_id").map_err(db_err)?,
                    feedback: row.try_get("feedback").map_err(db_err)?,
                    feedback_at: row
                        .try_get::<Option<i64>, _>("feedback_ms")
                        .map_err(db_err)?
                        .map($crate::sql::from_ms)
                        .transpose()?,
                })
            }

            impl $store {
                /// The meetings of `rows` with their issues (one query for all the issues).
                async fn meetings_with_issues(
                    &self,
                    rows: Vec<<$db as ::sqlx::Database>::Row>,
                ) -> StoreResult<Vec<$crate::StoredMeeting>> {
                    let mut meetings = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let kind: String = row.try_get("kind").map_err(db_err)?;
                        meetings.push($crate::StoredMeeting {
                            id: row.try_get("id").map_err(db_err)?,
                            draft: ::jiesu_domain::station::MeetingDraft {
                                kind: ::jiesu_domain::station::MeetingKind::parse(&kind)
                                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                                held_on: stored_date(&row.try_get::<String, _>("held_on").map_err(db_err)?)?,
                                title: row.try_get("title").map_err(db_err)?,
                                participants: from_json(&row.try_get::<String, _>("participants").map_err(db_err)?)?,
                                minutes: row.try_get("minutes").map_err(db_err)?,
                                issues: Vec::new(),
                            },
                            issues: Vec::new(),
                            created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                        });
                    }
                    if meetings.is_empty() {
                        return Ok(meetings);
                    }
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT id, meeting_id, body_text, raised_by, lead_body, task_id, feedback, feedback_ms \
                         FROM meeting_issues WHERE meeting_id IN (",
                    );
                    let mut ids = q.separated(", ");
                    for m in &meetings {
                        ids.push_bind(m.id);
                    }
                    q.push(") ORDER BY meeting_id, position");
                    for row in q.build().fetch_all(self.reader()).await.map_err(db_err)? {
                        let meeting: i64 = row.try_get("meeting_id").map_err(db_err)?;
                        let issue = issue_row(&row)?;
                        if let Some(m) = meetings.iter_mut().find(|m| m.id == meeting) {
                            m.draft.issues.push(::jiesu_domain::station::IssueDraft {
                                text: issue.text.clone(),
                                raised_by: issue.raised_by.clone(),
                                lead_body: issue.lead_body.clone(),
                            });
                            m.issues.push(issue);
                        }
                    }
                    Ok(meetings)
                }
            }

            #[$crate::async_trait]
            impl $crate::StationStore for $store {
                async fn create_station(
                    &self,
                    draft: &::jiesu_domain::station::StationDraft,
                    at: DateTime<Utc>,
                ) -> StoreResult<i64> {
                    let row = ::sqlx::query(
                        "INSERT INTO stations (name, address, district, street, representatives, opening_days, created_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(draft.name.as_str())
                    .bind(draft.address.as_str())
                    .bind(draft.district.as_str())
                    .bind(draft.street.as_str())
                    .bind(to_json(&draft.representatives)?)
                    .bind(to_json(&draft.opening_days)?)
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    row.try_get(0).map_err(db_err)
                }

                async fn update_station(
                    &self,
                    id: i64,
                    draft: &::jiesu_domain::station::StationDraft,
                ) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE stations SET name = $1, address = $2, district = $3, street = $4, \
                         representatives = $5, opening_days = $6 WHERE id = $7",
                    )
                    .bind(draft.name.as_str())
                    .bind(draft.address.as_str())
                    .bind(draft.district.as_str())
                    .bind(draft.street.as_str())
                    .bind(to_json(&draft.representatives)?)
                    .bind(to_json(&draft.opening_days)?)
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("联络站"));
                    }
                    Ok(())
                }

                async fn station(&self, id: i64) -> StoreResult<$crate::StoredStation> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {STATION_COLUMNS} FROM stations WHERE id = $1")))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("联络站"))?;
                    station_row(&row)
                }

                async fn stations(&self) -> StoreResult<Vec<$crate::StoredStation>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {STATION_COLUMNS} FROM stations ORDER BY name")))
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter().map(station_row).collect()
                }

                async fn create_reception(
                    &self,
                    draft: &::jiesu_domain::station::ReceptionDraft,
                    appeals: &[AppealId],
                    at: DateTime<Utc>,
                ) -> StoreResult<i64> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let id = insert_reception(&mut tx, draft, at).await?;
                    for appeal in appeals {
                        insert_station_item(&mut tx, appeal.0, id, draft.station, at).await?;
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(id)
                }

                async fn record_reception(
                    &self,
                    draft: &::jiesu_domain::station::ReceptionDraft,
                    registrations: &[Registration],
                    at: DateTime<Utc>,
                ) -> StoreResult<(i64, Vec<Registered>)> {
                    if registrations.iter().any(|r| r.idempotency_key.is_some()) {
                        return Err(StoreError::Other("a reception's intakes carry no idempotency key".into()));
                    }
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let id = insert_reception(&mut tx, draft, at).await?;
                    let mut registered = Vec::with_capacity(registrations.len());
                    for r in registrations {
                        let done = insert_registration(&mut tx, r).await?;
                        insert_station_item(&mut tx, done.appeal.id.0, id, draft.station, at).await?;
                        registered.push(done);
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok((id, registered))
                }

                async fn reception(&self, id: i64) -> StoreResult<$crate::StoredReception> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {RECEPTION_COLUMNS} FROM receptions WHERE id = $1")))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("接待记录"))?;
                    reception_row(&row)
                }

                async fn receptions(&self, station: i64, page: Page) -> StoreResult<Vec<$crate::StoredReception>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {RECEPTION_COLUMNS} FROM receptions WHERE station_id = $1 \
                         ORDER BY held_on DESC, id DESC LIMIT $2 OFFSET $3"
                    )))
                    .bind(station)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(reception_row).collect()
                }

                async fn station_items(
                    &self,
                    station: i64,
                    reception: Option<i64>,
                    days: Option<(::chrono::NaiveDate, ::chrono::NaiveDate)>,
                ) -> StoreResult<Vec<$crate::StationItem>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT {} FROM station_items i JOIN receptions r ON r.id = i.reception_id WHERE i.station_id = ",
                        ITEM_COLUMNS
                            .split(", ")
                            .map(|c| format!("i.{c}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    q.push_bind(station);
                    if let Some(reception) = reception {
                        q.push(" AND i.reception_id = ").push_bind(reception);
                    }
                    if let Some((from, to)) = days {
                        q.push(" AND r.held_on >= ").push_bind(from.to_string());
                        q.push(" AND r.held_on <= ").push_bind(to.to_string());
                    }
                    q.push(" ORDER BY r.held_on, i.appeal_id");
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(item_row).collect()
                }

                async fn triage_item(
                    &self,
                    appeal: AppealId,
                    triage: ::jiesu_domain::station::Triage,
                    note: &str,
                    task: Option<i64>,
                    at: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE station_items SET triage = $1, triage_note = $2, task_id = $3, triaged_ms = $4 \
                         WHERE appeal_id = $5",
                    )
                    .bind(triage.label())
                    .bind(note)
                    .bind(task)
                    .bind(to_ms(at))
                    .bind(appeal.0)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("联络站诉求"));
                    }
                    Ok(())
                }

                async fn create_meeting(
                    &self,
                    draft: &::jiesu_domain::station::MeetingDraft,
                    tasks: &[Option<i64>],
                    at: DateTime<Utc>,
                ) -> StoreResult<i64> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let row = ::sqlx::query(
                        "INSERT INTO meetings (kind, held_on, title, participants, minutes, created_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(draft.kind.label())
                    .bind(draft.held_on.to_string())
                    .bind(draft.title.as_str())
                    .bind(to_json(&draft.participants)?)
                    .bind(draft.minutes.as_str())
                    .bind(to_ms(at))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    let id: i64 = row.try_get(0).map_err(db_err)?;
                    for (position, issue) in draft.issues.iter().enumerate() {
                        ::sqlx::query(
                            "INSERT INTO meeting_issues (meeting_id, position, body_text, raised_by, lead_body, task_id) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(id)
                        .bind(position as i64)
                        .bind(issue.text.as_str())
                        .bind(issue.raised_by.as_str())
                        .bind(issue.lead_body.as_str())
                        .bind(tasks.get(position).copied().flatten())
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(id)
                }

                async fn link_issue_tasks(&self, meeting: i64, tasks: &[Option<i64>]) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    for (position, task) in tasks.iter().enumerate() {
                        let Some(task) = task else { continue };
                        let done = ::sqlx::query("UPDATE meeting_issues SET task_id = $1 WHERE meeting_id = $2 AND position = $3")
                            .bind(*task)
                            .bind(meeting)
                            .bind(position as i64)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::NotFound("会议议题"));
                        }
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(())
                }

                async fn meeting(&self, id: i64) -> StoreResult<$crate::StoredMeeting> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1")))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("会议"))?;
                    self.meetings_with_issues(vec![row])
                        .await?
                        .pop()
                        .ok_or(StoreError::NotFound("会议"))
                }

                async fn meetings(&self, page: Page) -> StoreResult<Vec<$crate::StoredMeeting>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {MEETING_COLUMNS} FROM meetings ORDER BY held_on DESC, id DESC LIMIT $1 OFFSET $2"
                    )))
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    self.meetings_with_issues(rows).await
                }

                async fn give_issue_feedback(
                    &self,
                    meeting: i64,
                    issue: i64,
                    feedback: &str,
                    at: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE meeting_issues SET feedback = $1, feedback_ms = $2 WHERE id = $3 AND meeting_id = $4",
                    )
                    .bind(feedback)
                    .bind(to_ms(at))
                    .bind(issue)
                    .bind(meeting)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("会议议题"));
                    }
                    Ok(())
                }
            }
    };
}
