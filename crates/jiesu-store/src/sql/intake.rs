//! Intake (受理): numbering and storing new appeals with their registration, one by one in a
//! batch's transaction, and whole imported appeals.

/// Implements [`IntakeStore`](crate::IntakeStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_intake {
    ($store:ty, $db:ty) => {
            /// Takes the next `n` values of a counter; returns the last of them.
            async fn reserve(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                counter: &str,
                n: i64,
            ) -> StoreResult<i64> {
                ::sqlx::query(
                    "INSERT INTO counters (name, last) VALUES ($1, $2) \
                     ON CONFLICT (name) DO UPDATE SET last = counters.last + $2 RETURNING last",
                )
                .bind(counter)
                .bind(n)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?
                .try_get(0)
                .map_err(db_err)
            }

            /// The counter of the day's numbers (China time) of `at`, and that day.
            fn day_counter(at: DateTime<Utc>) -> (String, ::chrono::NaiveDate) {
                let day = ::jiesu_domain::deadline::china_local(at).date();
                (format!("day:{day}"), day)
            }

            /// Inserts new appeals with their query codes, many rows per statement.
            async fn insert_appeals(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                appeals: &[(&Appeal, &str)],
            ) -> StoreResult<()> {
                for chunk in appeals.chunks($crate::sql::ROWS_PER_STATEMENT) {
                    let rows = chunk.iter().map(|(a, _)| $crate::sql::AppealRow::of(a)).collect::<Result<Vec<_>, _>>()?;
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO appeals (id, number, query_code, status, channel, appeal_type, urgency, \
                         category_l1, lead_body_id, district, title, body_text, created_ms, updated_ms, version, data, \
                         warn_ms, due_ms, frozen_state, next_check_ms, flagged, merged_into_id) ",
                    );
                    q.push_values(chunk.iter().zip(&rows), |mut row, ((appeal, query_code), stored)| {
                        let c = &stored.columns;
                        row.push_bind(appeal.id.0)
                            .push_bind(appeal.number.0.as_str())
                            .push_bind(*query_code)
                            .push_bind(c.status)
                            .push_bind(c.channel)
                            .push_bind(c.appeal_type)
                            .push_bind(c.urgency)
                            .push_bind(c.category_l1.as_deref())
                            .push_bind(c.lead_body)
                            .push_bind(c.district.as_deref())
                            .push_bind(appeal.title.as_str())
                            .push_bind(appeal.text.as_str())
                            .push_bind(to_ms(appeal.created_at))
                            .push_bind(to_ms(appeal.updated_at))
                            .push_bind(appeal.version)
                            .push_bind(stored.data.as_str())
                            .push_bind(c.warn_ms)
                            .push_bind(c.due_ms)
                            .push_bind(c.frozen_state)
                            .push_bind(c.next_check_ms)
                            .push_bind(c.flagged)
                            .push_bind(c.merged_into);
                    });
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            /// Links appeals to their lead and co-handling bodies, many rows per statement.
            async fn insert_appeal_bodies(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                appeals: &[&Appeal],
            ) -> StoreResult<()> {
                let links: Vec<(i64, i64)> = appeals
                    .iter()
                    .flat_map(|a| a.bodies().map(move |b| (a.id.0, b.0)))
                    .collect();
                for chunk in links.chunks($crate::sql::ROWS_PER_STATEMENT) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new("INSERT INTO appeal_bodies (appeal_id, body_id) ");
                    q.push_values(chunk, |mut row, (appeal, body)| {
                        row.push_bind(*appeal).push_bind(*body);
                    });
                    q.push(" ON CONFLICT DO NOTHING");
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            /// What a caller's idempotency key already names: the first appeal with its
            /// query code for the same request, `KeyReused` for another.
            async fn known_key(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                key: &$crate::IdempotencyKey,
            ) -> StoreResult<Option<StoreResult<Registered>>> {
                let row = ::sqlx::query(
                    "SELECT a.data, a.query_code, k.request_hash FROM idempotency_keys k JOIN appeals a ON a.id = k.appeal_id WHERE k.caller = $1 AND k.key = $2",
                )
                .bind(key.caller.as_str())
                .bind(key.key.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
                let Some(row) = row else {
                    return Ok(None);
                };
                if row.try_get::<String, _>(2).map_err(db_err)? != key.request_hash {
                    return Ok(Some(Err(StoreError::KeyReused)));
                }
                Ok(Some(Ok(Registered {
                    appeal: from_json(&row.try_get::<String, _>(0).map_err(db_err)?)?,
                    created: false,
                    query_code: row.try_get(1).map_err(db_err)?,
                })))
            }

            /// Forgets the idempotency keys of a batch's registrations expired by the latest
            /// of their times.
            async fn purge_expired_keys(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                registrations: &[Registration],
            ) -> StoreResult<()> {
                let Some(latest) = registrations.iter().filter_map(|r| r.idempotency_key.as_ref()).map(|k| k.used_at).max() else {
                    return Ok(());
                };
                ::sqlx::query("DELETE FROM idempotency_keys WHERE created_ms < $1")
                    .bind(to_ms(latest - $crate::IDEMPOTENCY_KEY_LIFETIME))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            /// Numbers and stores one intake inside a batch's transaction.
            async fn insert_registration(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                r: &Registration,
            ) -> StoreResult<Registered> {
                let (counter, day) = day_counter(r.at);
                let number = AppealNumber::new(day, reserve(&mut *tx, &counter, 1).await?);
                let id = AppealId(reserve(&mut *tx, "appeal_id", 1).await?);
                let mut appeal = ::jiesu_domain::lifecycle::registered(id, number, r.draft.clone(), r.at);
                appeal.deadline = r.deadline;
                let event = Event::new(id, 1, EventKind::Register { draft: Box::new(r.draft.clone()) }, r.actor.clone(), r.at, "");
                insert_appeals(&mut *tx, &[(&appeal, r.query_code.as_str())]).await?;
                insert_events(&mut *tx, &[(&event, &event_data(&event)?)]).await?;
                if let Some(key) = &r.idempotency_key {
                    ::sqlx::query("INSERT INTO idempotency_keys (caller, key, request_hash, appeal_id, created_ms) VALUES ($1, $2, $3, $4, $5)")
                        .bind(key.caller.as_str())
                        .bind(key.key.as_str())
                        .bind(key.request_hash.as_str())
                        .bind(id.0)
                        .bind(to_ms(key.used_at))
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                }
                insert_attachments(&mut *tx, ::jiesu_domain::attachment::OwnerKind::Appeal, id.0, Some(1), &r.attachments).await?;
                // A point deleted since the application checked it is left out rather than
                // failing the whole batch of intakes this one shares a transaction with.
                if let Some(point) = r.point {
                    ::sqlx::query(
                        "INSERT INTO appeal_points (appeal_id, point_id, created_ms) \
                         SELECT $1, id, $3 FROM points WHERE id = $2",
                    )
                        .bind(id.0)
                        .bind(point)
                        .bind(to_ms(r.at))
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                }
                if let Some(answer) = &r.answered {
                    let next = Event::new(id, 2, answer.kind.clone(), r.actor.clone(), r.at, &event.hash);
                    let mut after = appeal.clone();
                    after.apply(&next);
                    after.deadline = answer.deadline;
                    let notices = ::jiesu_domain::notice::notices_for(&next.kind, &after);
                    let recording = Recording::new(appeal, next, after, notices)?;
                    record_in(&mut *tx, ::std::slice::from_ref(&recording)).await?;
                    appeal = recording.into_after();
                }
                Ok(Registered { appeal, created: true, query_code: r.query_code.clone() })
            }

            /// One intake of a batch. A caller's known idempotency key answers as [`known_key`];
            /// the same key another process inserts at the same moment rolls this intake back
            /// to its savepoint and answers as the winner's, leaving the rest of the batch intact.
            async fn register_one(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                r: &Registration,
            ) -> StoreResult<StoreResult<Registered>> {
                let Some(key) = &r.idempotency_key else {
                    return Ok(Ok(insert_registration(tx, r).await?));
                };
                if let Some(known) = known_key(&mut *tx, key).await? {
                    return Ok(known);
                }
                let mut savepoint = ::sqlx::Connection::begin(&mut *tx).await.map_err(db_err)?;
                match insert_registration(&mut savepoint, r).await {
                    Ok(registered) => {
                        savepoint.commit().await.map_err(db_err)?;
                        Ok(Ok(registered))
                    }
                    Err(StoreError::Unique { constraint }) => {
                        savepoint.rollback().await.map_err(db_err)?;
                        Ok(known_key(&mut *tx, key).await?.unwrap_or(Err(StoreError::Unique { constraint })))
                    }
                    Err(e) => Err(e),
                }
            }

            #[$crate::async_trait]
            impl $crate::IntakeStore for $store {
                async fn register_many(&self, registrations: &[Registration]) -> StoreResult<Vec<StoreResult<Registered>>> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    purge_expired_keys(&mut tx, registrations).await?;
                    let mut results = Vec::with_capacity(registrations.len());
                    for r in registrations {
                        results.push(register_one(&mut tx, r).await?);
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(results)
                }

                async fn import_appeals(&self, batch: &[ImportedAppeal]) -> StoreResult<Vec<AppealId>> {
                    if batch.is_empty() {
                        return Ok(Vec::new());
                    }
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    // Ids and the day's numbers are taken for the whole batch at once, in its order.
                    let first_id = reserve(&mut tx, "appeal_id", batch.len() as i64).await? - batch.len() as i64 + 1;
                    // Per day counter: first how many appeals need a number, then the next serial.
                    let mut serials: ::std::collections::BTreeMap<String, (::chrono::NaiveDate, i64)> = Default::default();
                    for item in batch.iter().filter(|item| item.appeal.number.0.is_empty()) {
                        let (counter, day) = day_counter(item.appeal.created_at);
                        serials.entry(counter).or_insert((day, 0)).1 += 1;
                    }
                    for (counter, (_, serial)) in serials.iter_mut() {
                        *serial = reserve(&mut tx, counter, *serial).await? - *serial + 1;
                    }
                    let mut appeals = Vec::with_capacity(batch.len());
                    let mut events = Vec::new();
                    let mut stints = Vec::new();
                    for (item, id) in batch.iter().zip(first_id..) {
                        let id = AppealId(id);
                        let mut appeal = item.appeal.clone();
                        appeal.id = id;
                        if appeal.number.0.is_empty() {
                            let (counter, _) = day_counter(appeal.created_at);
                            if let Some((day, serial)) = serials.get_mut(&counter) {
                                appeal.number = AppealNumber::new(*day, *serial);
                                *serial += 1;
                            }
                        }
                        appeal.version = item.events.len() as i64;
                        let mut prev = String::new();
                        let first = events.len();
                        for (i, e) in item.events.iter().enumerate() {
                            let event = Event::new(id, i as i64 + 1, e.kind.clone(), e.actor.clone(), e.at, &prev);
                            prev = event.hash.clone();
                            events.push(event);
                        }
                        stints.push(::jiesu_domain::assessment::facts::stints_of_log(&events[first..]));
                        appeals.push(appeal);
                    }
                    let rows: Vec<(&Appeal, &str)> = appeals
                        .iter()
                        .zip(batch)
                        .map(|(appeal, item)| (appeal, item.query_code.as_str()))
                        .collect();
                    insert_appeals(&mut tx, &rows).await?;
                    insert_appeal_bodies(&mut tx, &appeals.iter().collect::<Vec<_>>()).await?;
                    let data = events.iter().map(event_data).collect::<Result<Vec<_>, _>>()?;
                    let events: Vec<_> = events.iter().zip(&data).map(|(e, d)| (e, d.as_str())).collect();
                    insert_events(&mut tx, &events).await?;
                    insert_stints(&mut tx, &stints.iter().flatten().collect::<Vec<_>>()).await?;
                    for first in stints.iter().filter_map(|s| s.first()) {
                        let new = NewStint {
                            body: first.body,
                            dispatched_at: first.dispatched_at,
                            registered_at: appeals[(first.appeal.0 - first_id) as usize].created_at,
                            phone: first.phone.clone(),
                            place_key: first.place_key.clone(),
                        };
                        mark_repeats(&mut tx, first.appeal, &new).await?;
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(appeals.iter().map(|a| a.id).collect())
                }
            }
    };
}
