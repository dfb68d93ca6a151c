//! Reading appeals: one, many, their events, lists with filters, counts, and the queues
//! the scanner and the search index follow.

/// Implements [`AppealStore`](crate::AppealStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_appeals {
    ($store:ty, $db:ty) => {
            /// Appends the WHERE clause of a filter.
            fn push_filter(q: &mut ::sqlx::QueryBuilder<$db>, f: &AppealFilter) {
                q.push(" WHERE 1=1");
                if !f.statuses.is_empty() {
                    q.push(" AND status IN (");
                    let mut list = q.separated(", ");
                    for s in &f.statuses {
                        list.push_bind(s.code());
                    }
                    q.push(")");
                }
                if let Some(bodies) = &f.bodies {
                    q.push(" AND id IN (SELECT appeal_id FROM appeal_bodies WHERE body_id IN (");
                    let mut list = q.separated(", ");
                    list.push_bind(-1_i64);
                    for b in bodies {
                        list.push_bind(b.0);
                    }
                    q.push("))");
                }
                if let Some(c) = &f.category_l1 {
                    q.push(" AND category_l1 = ").push_bind(c.clone());
                }
                if let Some(c) = f.channel {
                    q.push(" AND channel = ").push_bind(c.label());
                }
                if let Some(t) = f.appeal_type {
                    q.push(" AND appeal_type = ").push_bind(t.label());
                }
                if let Some(from) = f.from {
                    q.push(" AND created_ms >= ").push_bind(to_ms(from));
                }
                if let Some(to) = f.to {
                    q.push(" AND created_ms < ").push_bind(to_ms(to));
                }
                if f.flagged {
                    q.push(" AND flagged = 1");
                }
                if let Some((state, now)) = f.deadline {
                    // The predicate of the partial index `appeals_open`, written as there so
                    // the planner walks that index.
                    q.push(" AND (due_ms IS NOT NULL OR frozen_state IS NOT NULL)");
                    let now = to_ms(now);
                    match state {
                        ::jiesu_domain::deadline::DeadlineState::Overdue => {
                            q.push(" AND (due_ms < ").push_bind(now).push(" OR frozen_state = 'overdue')");
                        }
                        ::jiesu_domain::deadline::DeadlineState::Warning => {
                            q.push(" AND ((warn_ms <= ").push_bind(now).push(" AND due_ms >= ").push_bind(now);
                            q.push(") OR frozen_state = 'warning')");
                        }
                        ::jiesu_domain::deadline::DeadlineState::Normal => {
                            q.push(" AND (warn_ms > ").push_bind(now).push(" OR frozen_state = 'normal')");
                        }
                    }
                }
                if let Some(words) = &f.words {
                    for word in words.split_whitespace().take(8) {
                        let pattern = format!("%{}%", word.replace(['%', '_'], ""));
                        q.push(" AND (title LIKE ").push_bind(pattern.clone());
                        q.push(" OR body_text LIKE ").push_bind(pattern).push(")");
                    }
                }
            }

            /// An event from `SELECT appeal_id, seq, data, prev_hash, hash`.
            fn event_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<Event> {
                event_from_row(
                    row.try_get(0).map_err(db_err)?,
                    row.try_get(1).map_err(db_err)?,
                    &row.try_get::<String, _>(2).map_err(db_err)?,
                    row.try_get(3).map_err(db_err)?,
                    row.try_get(4).map_err(db_err)?,
                )
            }

            fn ids_list(q: &mut ::sqlx::QueryBuilder<$db>, ids: &[AppealId]) {
                q.push("(");
                let mut list = q.separated(", ");
                list.push_bind(-1_i64);
                for id in ids {
                    list.push_bind(id.0);
                }
                q.push(")");
            }

            #[$crate::async_trait]
            impl $crate::AppealStore for $store {
                async fn appeal(&self, id: AppealId) -> StoreResult<Appeal> {
                    let row = ::sqlx::query("SELECT data FROM appeals WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("诉求"))?;
                    from_json(&row.try_get::<String, _>(0).map_err(db_err)?)
                }

                async fn followers(&self, lead: AppealId) -> StoreResult<Vec<Appeal>> {
                    let rows = ::sqlx::query(
                        "SELECT data FROM appeals WHERE merged_into_id = $1 AND merged_into_id IS NOT NULL ORDER BY id",
                    )
                    .bind(lead.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(|row| from_json(&row.try_get::<String, _>(0).map_err(db_err)?)).collect()
                }

                async fn leads_with_merged(&self, lead_statuses: &[Status], limit: i64) -> StoreResult<Vec<AppealId>> {
                    // `status = 'merged'` written as in the partial index `appeals_merged`.
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT DISTINCT f.merged_into_id FROM appeals f JOIN appeals l ON l.id = f.merged_into_id \
                         WHERE f.status = 'merged' AND l.status IN (",
                    );
                    let mut list = q.separated(", ");
                    list.push_bind("-");
                    for s in lead_statuses {
                        list.push_bind(s.code());
                    }
                    q.push(") ORDER BY f.merged_into_id LIMIT ").push_bind(limit);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(|r| Ok(AppealId(r.try_get(0).map_err(db_err)?))).collect()
                }

                async fn appeal_by_number(&self, number: &str) -> StoreResult<(Appeal, String)> {
                    let row = ::sqlx::query("SELECT data, query_code FROM appeals WHERE number = $1")
                        .bind(number)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("诉求"))?;
                    let appeal = from_json(&row.try_get::<String, _>(0).map_err(db_err)?)?;
                    Ok((appeal, row.try_get(1).map_err(db_err)?))
                }

                async fn events(&self, id: AppealId) -> StoreResult<Vec<Event>> {
                    let rows = ::sqlx::query(
                        "SELECT appeal_id, seq, data, prev_hash, hash FROM events WHERE appeal_id = $1 ORDER BY seq",
                    )
                    .bind(id.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(event_row).collect()
                }

                async fn appeals_by_ids(&self, ids: &[AppealId]) -> StoreResult<Vec<Appeal>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT data FROM appeals WHERE id IN ");
                    ids_list(&mut q, ids);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(|row| from_json(&row.try_get::<String, _>(0).map_err(db_err)?)).collect()
                }

                async fn events_for(&self, ids: &[AppealId]) -> StoreResult<Vec<Event>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT appeal_id, seq, data, prev_hash, hash FROM events WHERE appeal_id IN ",
                    );
                    ids_list(&mut q, ids);
                    q.push(" ORDER BY appeal_id, seq");
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(event_row).collect()
                }

                async fn events_with_action(&self, action: &str, since: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Event>> {
                    let rows = ::sqlx::query(
                        "SELECT appeal_id, seq, data, prev_hash, hash FROM events \
                         WHERE action = $1 AND at_ms >= $2 ORDER BY at_ms, appeal_id, seq LIMIT $3",
                    )
                    .bind(action)
                    .bind(to_ms(since))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(event_row).collect()
                }

                async fn appeals_with_heads(&self, ids: &[AppealId]) -> StoreResult<Vec<(Appeal, String)>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT a.data, e.hash FROM appeals a \
                         JOIN events e ON e.appeal_id = a.id AND e.seq = a.version WHERE a.id IN ",
                    );
                    ids_list(&mut q, ids);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter()
                        .map(|row| {
                            let appeal = from_json(row.try_get::<&str, _>(0).map_err(db_err)?)?;
                            Ok((appeal, row.try_get(1).map_err(db_err)?))
                        })
                        .collect()
                }

                async fn open_appeal_ids(&self, after: AppealId, limit: i64) -> StoreResult<Vec<AppealId>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT id FROM appeals WHERE id > ");
                    q.push_bind(after.0).push(" AND status NOT IN (");
                    let mut ended = q.separated(", ");
                    for status in ::jiesu_domain::status::Status::ALL.iter().filter(|s| !s.is_open()) {
                        ended.push_bind(status.code());
                    }
                    q.push(") ORDER BY id LIMIT ").push_bind(limit);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(|r| Ok(AppealId(r.try_get(0).map_err(db_err)?))).collect()
                }

                async fn changed_since(&self, updated_ms: i64, id: i64, limit: i64) -> StoreResult<Vec<Appeal>> {
                    let rows = ::sqlx::query(
                        "SELECT data FROM appeals WHERE updated_ms > $1 OR (updated_ms = $1 AND id > $2) \
                         ORDER BY updated_ms, id LIMIT $3",
                    )
                    .bind(updated_ms)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(|row| from_json(&row.try_get::<String, _>(0).map_err(db_err)?)).collect()
                }

                async fn due_for_check(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<AppealId>> {
                    let rows = ::sqlx::query(
                        "SELECT id FROM appeals WHERE next_check_ms IS NOT NULL AND next_check_ms <= $1 \
                         ORDER BY next_check_ms LIMIT $2",
                    )
                    .bind(to_ms(now))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(|r| Ok(AppealId(r.try_get(0).map_err(db_err)?))).collect()
                }

                async fn list_appeals(&self, filter: &AppealFilter, page: Page) -> StoreResult<AppealPage> {
                    // Counting stops at the cap, so a broad filter costs a bounded scan.
                    let source = if $crate::sql::sorts_by_id_index(filter) { self.appeals_of_bodies() } else { "appeals" };
                    let mut count = ::sqlx::QueryBuilder::<$db>::new(format!("SELECT COUNT(*) FROM (SELECT 1 FROM {source}"));
                    push_filter(&mut count, filter);
                    let cap = page.count_cap();
                    count.push(" LIMIT ").push_bind(cap.saturating_add(1)).push(") AS capped");
                    let total: i64 = count
                        .build()
                        .fetch_one(self.reader())
                        .await
                        .map_err(db_err)?
                        .try_get(0)
                        .map_err(db_err)?;
                    // The page's ids are chosen first and only their rows read: sorting the
                    // matches with their whole `data` (a body's thousands of appeals) spilled
                    // the sorter; sorting `(created_ms, id)` does not.
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT data FROM appeals WHERE id IN (SELECT id FROM {source}"
                    ));
                    push_filter(&mut q, filter);
                    let order = filter.order.sql();
                    q.push(format!(" ORDER BY {order} LIMIT "))
                        .push_bind(page.limit)
                        .push(" OFFSET ")
                        .push_bind(page.offset)
                        .push(format!(") ORDER BY {order}"));
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    let items = rows
                        .iter()
                        .map(|row| from_json(&row.try_get::<String, _>(0).map_err(db_err)?))
                        .collect::<StoreResult<Vec<Appeal>>>()?;
                    Ok(AppealPage { items, total: total.min(cap), exact: total <= cap })
                }

                async fn count_by_status(&self, filter: &AppealFilter) -> StoreResult<Vec<(Status, i64)>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT status, COUNT(*) FROM appeals");
                    push_filter(&mut q, filter);
                    q.push(" GROUP BY status");
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    let mut out = Vec::new();
                    for row in &rows {
                        let code: String = row.try_get(0).map_err(db_err)?;
                        if let Some(status) = Status::from_code(&code) {
                            out.push((status, row.try_get(1).map_err(db_err)?));
                        }
                    }
                    out.sort();
                    Ok(out)
                }

                async fn count_by(&self, filter: &AppealFilter, group: $crate::CountGroup) -> StoreResult<Vec<(String, i64)>> {
                    let key = group.key_sql();
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(format!("SELECT {key} AS k, COUNT(*) AS n FROM appeals"));
                    push_filter(&mut q, filter);
                    q.push(" GROUP BY k ORDER BY n DESC, k");
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter()
                        .map(|row| {
                            let raw: String = row.try_get(0).map_err(db_err)?;
                            Ok((group.display_key(raw), row.try_get(1).map_err(db_err)?))
                        })
                        .collect()
                }
            }
    };
}
