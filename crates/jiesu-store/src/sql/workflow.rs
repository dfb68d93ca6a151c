//! The workflow's writes (流转): events appended under the appeal's version, new states,
//! notices, and re-projected deadlines.

/// Implements [`WorkflowStore`](crate::WorkflowStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_workflow {
    ($store:ty, $db:ty) => {
            /// Inserts events with their encoded data ([`event_data`]), many rows per statement.
            async fn insert_events(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                events: &[(&Event, &str)],
            ) -> StoreResult<()> {
                for chunk in events.chunks($crate::sql::ROWS_PER_STATEMENT) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO events (appeal_id, seq, action, data, actor_id, at_ms, prev_hash, hash) ",
                    );
                    q.push_values(chunk, |mut row, (event, data)| {
                        row.push_bind(event.appeal.0)
                            .push_bind(event.seq)
                            .push_bind(event.kind.name())
                            .push_bind(*data)
                            .push_bind(event.actor.user.map(|u| u.0))
                            .push_bind(to_ms(event.at))
                            .push_bind(event.prev_hash.as_str())
                            .push_bind(event.hash.as_str());
                    });
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            async fn set_appeal_bodies(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                appeal: &Appeal,
            ) -> StoreResult<()> {
                ::sqlx::query("DELETE FROM appeal_bodies WHERE appeal_id = $1")
                    .bind(appeal.id.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                insert_appeal_bodies(tx, &[appeal]).await
            }

            /// Stores each appeal row whose appeal is still at its expected version, many rows
            /// per statement, writing only the columns that changed; returns the ids written
            /// (the others moved on: a conflict).
            ///
            /// A statement first runs inside a savepoint without naming the rows it wrote: when
            /// it wrote all of them (no conflict, the usual case) its count says so, and no row
            /// comes back to the caller. Otherwise the savepoint is undone and the statement runs
            /// again, returning the ids it wrote.
            async fn update_appeals(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                writes: &[$crate::sql::AppealWrite<'_>],
            ) -> StoreResult<::std::collections::HashSet<i64>> {
                let mut shapes: ::std::collections::BTreeMap<&[&'static str], Vec<&$crate::sql::AppealWrite<'_>>> = Default::default();
                for write in writes {
                    shapes.entry(write.changed).or_default().push(write);
                }
                let mut written = ::std::collections::HashSet::with_capacity(writes.len());
                for (changed, writes) in shapes {
                    for chunk in writes.chunks($crate::sql::ROWS_PER_STATEMENT) {
                        let mut attempt = ::sqlx::Connection::begin(&mut *tx).await.map_err(db_err)?;
                        let done = appeal_update(changed, chunk, false)
                            .build()
                            .execute(&mut *attempt)
                            .await
                            .map_err(db_err)?;
                        if done.rows_affected() == chunk.len() as u64 {
                            attempt.commit().await.map_err(db_err)?;
                            written.extend(chunk.iter().map(|write| write.id));
                            continue;
                        }
                        attempt.rollback().await.map_err(db_err)?;
                        for row in appeal_update(changed, chunk, true).build().fetch_all(&mut *tx).await.map_err(db_err)? {
                            written.insert(row.try_get::<i64, _>(0).map_err(db_err)?);
                        }
                    }
                }
                Ok(written)
            }

            /// The statement storing `chunk` (rows that change the same `changed` columns) where
            /// each appeal is still at its expected version; with `returning`, it names the
            /// appeals it wrote.
            fn appeal_update(
                changed: &[&'static str],
                chunk: &[&$crate::sql::AppealWrite<'_>],
                returning: bool,
            ) -> ::sqlx::QueryBuilder<$db> {
                let mut q = ::sqlx::QueryBuilder::<$db>::new("WITH v (vid, expected, updated_ms, version, data");
                for column in changed {
                    q.push(", ").push(column);
                }
                q.push(") AS (");
                q.push_values(chunk, |mut row, write| {
                    row.push_bind(write.id)
                        .push_bind(write.expected)
                        .push_bind(write.updated_ms)
                        .push_bind(write.version)
                        .push_bind(write.row.data.as_str());
                    for column in changed {
                        match write.row.columns.value(column) {
                            $crate::sql::ColumnValue::Text(v) => row.push_bind(v),
                            $crate::sql::ColumnValue::Int(v) => row.push_bind(v),
                        };
                    }
                });
                q.push(") UPDATE appeals SET updated_ms = v.updated_ms, version = v.version, data = v.data");
                for column in changed {
                    q.push(format!(", {column} = v.{column}"));
                }
                q.push(" FROM v WHERE appeals.id = v.vid AND appeals.version = v.expected");
                if returning {
                    q.push(" RETURNING appeals.id");
                }
                q
            }

            /// Stores the notices of the recordings, many rows per statement.
            async fn insert_notices(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                recordings: &[&Recording],
            ) -> StoreResult<()> {
                let notices: Vec<_> = recordings
                    .iter()
                    .flat_map(|r| r.notices().iter().map(move |n| (r, n)))
                    .collect();
                for chunk in notices.chunks($crate::sql::ROWS_PER_STATEMENT) {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO notifications (appeal_id, body_id, role, kind, message, created_ms) ",
                    );
                    q.push_values(chunk, |mut row, (r, notice)| {
                        let (body, role) = match notice.recipient {
                            Recipient::Body(b) => (Some(b.0), None),
                            Recipient::Role(role) => (None, Some(role.label())),
                        };
                        row.push_bind(r.after().id.0)
                            .push_bind(body)
                            .push_bind(role)
                            .push_bind(notice.kind.as_str())
                            .push_bind(notice.message.as_str())
                            .push_bind(to_ms(r.event().at));
                    });
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            /// Appends the recordings' events inside `tx` (each guarded by its appeal's version),
            /// with the new states and the notices; returns the ids written and their events.
            async fn record_in(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                recordings: &[Recording],
            ) -> StoreResult<(::std::collections::HashSet<i64>, Vec<Event>)> {
                if recordings.iter().any(|r| {
                    r.after().version != r.before().version + 1 || r.after().id != r.before().id || r.event().appeal != r.after().id || r.event().seq != r.after().version
                }) {
                    return Err(StoreError::Other("recording must advance the version by one".into()));
                }
                let writes: Vec<_> = recordings
                    .iter()
                    .map(|r| $crate::sql::AppealWrite {
                        id: r.after().id.0,
                        expected: r.before().version,
                        version: r.after().version,
                        updated_ms: to_ms(r.event().at),
                        row: &r.rows().appeal,
                        changed: &r.rows().changed,
                    })
                    .collect();
                let written = update_appeals(&mut *tx, &writes).await?;
                let won: Vec<&Recording> = recordings.iter().filter(|r| written.contains(&r.after().id.0)).collect();
                let events: Vec<_> = won.iter().map(|r| (r.event(), r.rows().event_data.as_str())).collect();
                insert_events(&mut *tx, &events).await?;
                for r in won.iter().filter(|r| matches!(r.event().kind, EventKind::Dispatch { .. })) {
                    set_appeal_bodies(&mut *tx, r.after()).await?;
                }
                insert_notices(&mut *tx, &won).await?;
                for r in won.iter().filter(|r| !r.attachments().is_empty()) {
                    let owner = ::jiesu_domain::attachment::OwnerKind::Reply;
                    insert_attachments(&mut *tx, owner, r.after().id.0, Some(r.event().seq), r.attachments()).await?;
                }
                for r in &won {
                    apply_fact_changes(&mut *tx, r.event(), r.fact_changes()).await?;
                }
                Ok((written, won.iter().map(|r| r.event().clone()).collect()))
            }

            #[$crate::async_trait]
            impl $crate::WorkflowStore for $store {
                async fn record_many(&self, recordings: &[Recording]) -> StoreResult<Vec<StoreResult<Event>>> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let (written, events) = record_in(&mut tx, recordings).await?;
                    tx.commit().await.map_err(db_err)?;
                    let mut events = events.into_iter();
                    Ok(recordings
                        .iter()
                        .map(|r| match written.contains(&r.after().id.0) {
                            true => events.next().ok_or(StoreError::Other("missing event".into())),
                            false => Err(StoreError::Stale),
                        })
                        .collect())
                }

                async fn record_all(&self, recordings: &[Recording]) -> StoreResult<Vec<Event>> {
                    let ids: ::std::collections::HashSet<i64> = recordings.iter().map(|r| r.after().id.0).collect();
                    if ids.len() != recordings.len() {
                        return Err(StoreError::Other("one recording per appeal".into()));
                    }
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let (written, events) = record_in(&mut tx, recordings).await?;
                    if written.len() != recordings.len() {
                        tx.rollback().await.map_err(db_err)?;
                        return Err(StoreError::Stale);
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(events)
                }

                async fn record_chain(&self, recordings: &[Recording]) -> StoreResult<Vec<Event>> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let mut events = Vec::with_capacity(recordings.len());
                    for recording in recordings {
                        let (written, mut recorded) = record_in(&mut tx, ::std::slice::from_ref(recording)).await?;
                        if written.is_empty() {
                            tx.rollback().await.map_err(db_err)?;
                            return Err(StoreError::Stale);
                        }
                        events.append(&mut recorded);
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(events)
                }

                async fn refresh_deadlines(&self, appeals: &[Appeal]) -> StoreResult<()> {
                    let rows = appeals.iter().map($crate::sql::AppealRow::of).collect::<Result<Vec<_>, _>>()?;
                    let writes: Vec<_> = appeals
                        .iter()
                        .zip(&rows)
                        .map(|(a, row)| $crate::sql::AppealWrite {
                            id: a.id.0,
                            expected: a.version,
                            version: a.version,
                            updated_ms: to_ms(a.updated_at),
                            row,
                            changed: &$crate::sql::UPDATABLE_COLUMNS,
                        })
                        .collect();
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    update_appeals(&mut tx, &writes).await?;
                    tx.commit().await.map_err(db_err)?;
                    Ok(())
                }
            }
    };
}
