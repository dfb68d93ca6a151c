//! The SQL implementation of [`Store`](crate::Store), written once and instantiated for each
//! backend by [`sql_store!`](crate::sql_store). Both backends speak the same SQL here:
//! `$n` placeholders (SQLite numbers them by first appearance), `ON CONFLICT … DO UPDATE`,
//! `RETURNING`, times as milliseconds since the epoch. Only connection set-up and the
//! migrations differ, and those live in each backend's crate.
//!
//! A backend type provides three inherent methods: `writer()` and `reader()`, returning the
//! pools to write and to read with (SQLite writes through one connection; PostgreSQL uses one
//! pool for both), and `appeals_of_bodies()`, the table expression a list of bodies' appeals
//! reads (SQLite names the index its planner would not choose).

use chrono::{DateTime, TimeZone, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::user::Actor;

use crate::error::StoreError;
use crate::filter::AppealFilter;

/// Rows per multi-row statement: well under both backends' limits on bind parameters.
pub const ROWS_PER_STATEMENT: usize = 500;

/// Whether a list finds its appeals through `appeal_bodies` and needs nothing but the
/// narrow columns of an id-keyed index to filter and sort them (a body's list without
/// status, words or deadline filters: those have indexes of their own or need the row).
pub fn sorts_by_id_index(filter: &AppealFilter) -> bool {
    filter.bodies.is_some()
        && filter.statuses.is_empty()
        && filter.words.is_none()
        && filter.deadline.is_none()
}

/// Milliseconds since the epoch, the stored form of every time.
pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`to_ms`].
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// What an event row holds besides its keys.
#[derive(serde::Deserialize)]
pub struct EventData {
    pub kind: EventKind,
    pub actor: Actor,
    pub at_us: i64,
}

/// [`EventData`] to write, borrowed from the event.
#[derive(serde::Serialize)]
struct EventDataRef<'a> {
    kind: &'a EventKind,
    actor: &'a Actor,
    at_us: i64,
}

/// Serializes for a TEXT column.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("serialize: {e}")))
}

/// Deserializes a TEXT column.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Other(format!("corrupt row: {e}")))
}

/// Rebuilds an event from its row.
pub fn event_from_row(
    appeal: i64,
    seq: i64,
    data: &str,
    prev_hash: String,
    hash: String,
) -> Result<Event, StoreError> {
    let data: EventData = from_json(data)?;
    Ok(Event {
        appeal: jiesu_domain::ids::AppealId(appeal),
        seq,
        kind: data.kind,
        actor: data.actor,
        at: Utc
            .timestamp_micros(data.at_us)
            .single()
            .unwrap_or_default(),
        prev_hash,
        hash,
    })
}

/// The row form of an event.
pub fn event_data(event: &Event) -> Result<String, StoreError> {
    to_json(&EventDataRef {
        kind: &event.kind,
        actor: &event.actor,
        at_us: event.at.timestamp_micros(),
    })
}

/// An appeal as its row stores it: the columns queries filter on and the JSON of the whole.
#[derive(Debug, Clone)]
pub struct AppealRow {
    pub columns: AppealColumns,
    pub data: String,
}

impl AppealRow {
    pub fn of(appeal: &Appeal) -> Result<AppealRow, StoreError> {
        Ok(AppealRow {
            columns: AppealColumns::of(appeal),
            data: crate::stored_json::stored_json(appeal)?,
        })
    }
}

/// The rows a [`Recording`](crate::Recording) writes: the appeal's new row with the
/// updatable columns that changed, and the event's data.
#[derive(Debug, Clone)]
pub struct RecordingRows {
    pub appeal: AppealRow,
    pub changed: Vec<&'static str>,
    pub event_data: String,
}

impl RecordingRows {
    pub fn encode(
        before: &Appeal,
        event: &Event,
        after: &Appeal,
    ) -> Result<RecordingRows, StoreError> {
        let appeal = AppealRow::of(after)?;
        let changed = appeal
            .columns
            .changed_since(Some(&AppealColumns::of(before)));
        Ok(RecordingRows {
            appeal,
            changed,
            event_data: event_data(event)?,
        })
    }
}

/// One appeal row to store if the appeal is still at version `expected`.
pub struct AppealWrite<'a> {
    pub id: i64,
    pub expected: i64,
    pub version: i64,
    pub updated_ms: i64,
    pub row: &'a AppealRow,
    pub changed: &'a [&'static str],
}

/// The columns of `appeals` that queries filter on, taken from the appeal.
#[derive(Debug, Clone)]
pub struct AppealColumns {
    pub status: &'static str,
    pub channel: &'static str,
    pub appeal_type: &'static str,
    pub urgency: &'static str,
    pub category_l1: Option<String>,
    pub lead_body: Option<i64>,
    pub district: Option<String>,
    pub warn_ms: Option<i64>,
    pub due_ms: Option<i64>,
    pub frozen_state: Option<&'static str>,
    pub next_check_ms: Option<i64>,
    pub flagged: i64,
    /// The lead it is merged into (并案), kept after it followed the lead's answer.
    pub merged_into: Option<i64>,
}

/// The columns an update of an appeal may change, besides `updated_ms`, `version` and
/// `data`, which every update writes.
pub const UPDATABLE_COLUMNS: [&str; 9] = [
    "status",
    "category_l1",
    "lead_body_id",
    "warn_ms",
    "due_ms",
    "frozen_state",
    "next_check_ms",
    "flagged",
    "merged_into_id",
];

/// One column's value, to compare and to bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnValue<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
}

impl AppealColumns {
    pub fn of(appeal: &Appeal) -> AppealColumns {
        use jiesu_domain::deadline::from_china_local;
        let deadline = appeal.deadline.filter(|_| appeal.status.is_open());
        let running = deadline.filter(|d| d.due.frozen.is_none());
        AppealColumns {
            warn_ms: running.map(|d| to_ms(from_china_local(d.due.warn_at))),
            due_ms: running.map(|d| to_ms(from_china_local(d.due.due_at))),
            frozen_state: deadline.and_then(|d| d.due.frozen).map(|f| match f {
                jiesu_domain::deadline::DeadlineState::Normal => "normal",
                jiesu_domain::deadline::DeadlineState::Warning => "warning",
                jiesu_domain::deadline::DeadlineState::Overdue => "overdue",
            }),
            next_check_ms: deadline.and_then(|d| d.next_check).map(to_ms),
            flagged: i64::from(appeal.flagged && appeal.status.is_open()),
            status: appeal.status.code(),
            channel: appeal.channel.label(),
            appeal_type: appeal.appeal_type.label(),
            urgency: appeal.urgency.label(),
            category_l1: appeal.category.as_ref().map(|c| c.first().to_string()),
            lead_body: appeal.lead_body.map(|b| b.0),
            district: appeal.place.district.clone(),
            merged_into: appeal.merged_into.map(|a| a.0),
        }
    }

    /// The value of one of [`UPDATABLE_COLUMNS`].
    pub fn value(&self, column: &str) -> ColumnValue<'_> {
        let text = ColumnValue::Text;
        match column {
            "status" => text(Some(self.status)),
            "category_l1" => text(self.category_l1.as_deref()),
            "lead_body_id" => ColumnValue::Int(self.lead_body),
            "warn_ms" => ColumnValue::Int(self.warn_ms),
            "due_ms" => ColumnValue::Int(self.due_ms),
            "frozen_state" => text(self.frozen_state),
            "next_check_ms" => ColumnValue::Int(self.next_check_ms),
            "merged_into_id" => ColumnValue::Int(self.merged_into),
            _ => ColumnValue::Int(Some(self.flagged)),
        }
    }

    /// The updatable columns whose values differ from `before`'s (all of them without a
    /// `before`). Writing only these spares the indexes of the others.
    pub fn changed_since(&self, before: Option<&AppealColumns>) -> Vec<&'static str> {
        UPDATABLE_COLUMNS
            .into_iter()
            .filter(|c| before.is_none_or(|b| b.value(c) != self.value(c)))
            .collect()
    }
}

/// Maps a driver error to a [`StoreError`] that carries meaning.
#[macro_export]
macro_rules! map_sqlx_error {
    ($e:expr) => {{
        let e: ::sqlx::Error = $e;
        match &e {
            ::sqlx::Error::RowNotFound => $crate::StoreError::NotFound("记录"),
            ::sqlx::Error::Database(db) if db.is_unique_violation() => {
                $crate::StoreError::Conflict(format!(
                    "唯一约束 {}",
                    db.constraint().unwrap_or_default()
                ))
            }
            _ => $crate::StoreError::Other(e.to_string()),
        }
    }};
}

/// Implements [`Store`](crate::Store) for a backend type over a `sqlx` database type.
#[macro_export]
macro_rules! sql_store {
    ($store:ty, $db:ty, $backend:literal) => {
        const _: () = {
            use ::chrono::{DateTime, Utc};
            use ::jiesu_domain::appeal::{Appeal, AppealNumber};
            use ::jiesu_domain::body::{Body, BodyKind, NewBody};
            use ::jiesu_domain::event::{Event, EventKind};
            use ::jiesu_domain::ids::{AppealId, BodyId, UserId};
            use ::jiesu_domain::status::Status;
            use ::jiesu_domain::user::{Actor, NewUser, Role, User};
            use ::sqlx::Row;
            use $crate::sql::{event_data, event_from_row, from_json, to_json, to_ms, AppealColumns};
            use ::jiesu_domain::knowledge::{Article, ArticleDraft};
            use ::jiesu_domain::notice::Recipient;
            use $crate::{
                AppealFilter, AppealPage, Delivery, ImportedAppeal, InboxItem, Page, Recording, Registered,
                Registration, StoreError, StoreResult,
            };

            fn db_err(e: ::sqlx::Error) -> StoreError {
                $crate::map_sqlx_error!(e)
            }

            fn user_from_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<User> {
                let role: String = row.try_get("role").map_err(db_err)?;
                Ok(User {
                    id: UserId(row.try_get("id").map_err(db_err)?),
                    username: row.try_get("username").map_err(db_err)?,
                    display_name: row.try_get("display_name").map_err(db_err)?,
                    role: Role::parse(&role).map_err(|e| StoreError::Other(e.to_string()))?,
                    body: row.try_get::<Option<i64>, _>("body_id").map_err(db_err)?.map(BodyId),
                })
            }

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

            fn inbox_item(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<InboxItem> {
                let body: Option<i64> = row.try_get("body_id").map_err(db_err)?;
                let role: Option<String> = row.try_get("role").map_err(db_err)?;
                let recipient = match (body, role) {
                    (Some(b), _) => Recipient::Body(BodyId(b)),
                    (None, Some(r)) => Recipient::Role(Role::parse(&r).map_err(|e| StoreError::Other(e.to_string()))?),
                    (None, None) => return Err(StoreError::Other("notice without recipient".into())),
                };
                Ok(InboxItem {
                    id: row.try_get("id").map_err(db_err)?,
                    appeal: AppealId(row.try_get("appeal_id").map_err(db_err)?),
                    recipient,
                    kind: row.try_get("kind").map_err(db_err)?,
                    message: row.try_get("message").map_err(db_err)?,
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?),
                    read: row.try_get::<i64, _>("is_read").map_err(db_err)? != 0,
                })
            }

            fn model_record(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::ModelRecord> {
                Ok($crate::ModelRecord {
                    version: row.try_get("version").map_err(db_err)?,
                    kind: row.try_get("kind").map_err(db_err)?,
                    meta: from_json(&row.try_get::<String, _>("meta").map_err(db_err)?)?,
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?),
                    active: row.try_get::<i64, _>("active").map_err(db_err)? != 0,
                })
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

            fn article_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<Article> {
                let date = |name: &str| -> StoreResult<Option<::chrono::NaiveDate>> {
                    let text: Option<String> = row.try_get(name).map_err(db_err)?;
                    Ok(text.and_then(|t| t.parse().ok()))
                };
                Ok(Article {
                    id: row.try_get("id").map_err(db_err)?,
                    draft: ArticleDraft {
                        question: row.try_get("question").map_err(db_err)?,
                        answer: row.try_get("answer").map_err(db_err)?,
                        category: row.try_get("category").map_err(db_err)?,
                        valid_from: date("valid_from")?,
                        valid_to: date("valid_to")?,
                        source: row.try_get("source").map_err(db_err)?,
                    },
                })
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
                    Err(StoreError::Conflict(_)) => {
                        savepoint.rollback().await.map_err(db_err)?;
                        Ok(known_key(&mut *tx, key).await?.unwrap_or(Err(StoreError::Conflict("幂等键冲突".into()))))
                    }
                    Err(e) => Err(e),
                }
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
                Ok((written, won.iter().map(|r| r.event().clone()).collect()))
            }

            #[$crate::async_trait]
            impl $crate::Store for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }

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

                async fn record_many(&self, recordings: &[Recording]) -> StoreResult<Vec<StoreResult<Event>>> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let (written, events) = record_in(&mut tx, recordings).await?;
                    tx.commit().await.map_err(db_err)?;
                    let mut events = events.into_iter();
                    Ok(recordings
                        .iter()
                        .map(|r| match written.contains(&r.after().id.0) {
                            true => events.next().ok_or(StoreError::Other("missing event".into())),
                            false => Err(StoreError::Conflict("此诉求已被他人处理，请刷新".into())),
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
                        return Err(StoreError::Conflict("此诉求已被他人处理，请刷新".into()));
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(events)
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

                async fn appeal(&self, id: AppealId) -> StoreResult<Appeal> {
                    let row = ::sqlx::query("SELECT data FROM appeals WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("诉求"))?;
                    from_json(&row.try_get::<String, _>(0).map_err(db_err)?)
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

                async fn save_model(&self, kind: &str, meta: &::serde_json::Value, bytes: &[u8], at: DateTime<Utc>) -> StoreResult<i64> {
                    let row = ::sqlx::query(
                        "INSERT INTO models (kind, meta, bytes, created_ms, active) VALUES ($1, $2, $3, $4, 0) RETURNING version",
                    )
                    .bind(kind)
                    .bind(meta.to_string())
                    .bind(bytes)
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    row.try_get(0).map_err(db_err)
                }

                async fn models(&self, kind: &str) -> StoreResult<Vec<$crate::ModelRecord>> {
                    let rows = ::sqlx::query(
                        "SELECT version, kind, meta, created_ms, active FROM models WHERE kind = $1 ORDER BY version DESC",
                    )
                    .bind(kind)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(model_record).collect()
                }

                async fn activate_model(&self, kind: &str, version: i64) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let found = ::sqlx::query("UPDATE models SET active = 1 WHERE kind = $1 AND version = $2")
                        .bind(kind)
                        .bind(version)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    if found.rows_affected() != 1 {
                        return Err(StoreError::NotFound("模型版本"));
                    }
                    ::sqlx::query("UPDATE models SET active = 0 WHERE kind = $1 AND version <> $2")
                        .bind(kind)
                        .bind(version)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    tx.commit().await.map_err(db_err)?;
                    Ok(())
                }

                async fn active_model(&self, kind: &str) -> StoreResult<Option<($crate::ModelRecord, Vec<u8>)>> {
                    let row = ::sqlx::query(
                        "SELECT version, kind, meta, created_ms, active, bytes FROM models WHERE kind = $1 AND active = 1",
                    )
                    .bind(kind)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?;
                    row.map(|r| Ok((model_record(&r)?, r.try_get("bytes").map_err(db_err)?))).transpose()
                }

                async fn create_article(&self, draft: &ArticleDraft, at: DateTime<Utc>) -> StoreResult<Article> {
                    let row = ::sqlx::query(
                        "INSERT INTO articles (question, answer, category, valid_from, valid_to, source, updated_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(draft.question.as_str())
                    .bind(draft.answer.as_str())
                    .bind(draft.category.as_deref())
                    .bind(draft.valid_from.map(|d| d.to_string()))
                    .bind(draft.valid_to.map(|d| d.to_string()))
                    .bind(draft.source.as_str())
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(Article { id: row.try_get(0).map_err(db_err)?, draft: draft.clone() })
                }

                async fn update_article(&self, id: i64, draft: &ArticleDraft, at: DateTime<Utc>) -> StoreResult<Article> {
                    let done = ::sqlx::query(
                        "UPDATE articles SET question = $1, answer = $2, category = $3, valid_from = $4, valid_to = $5, \
                         source = $6, updated_ms = $7 WHERE id = $8",
                    )
                    .bind(draft.question.as_str())
                    .bind(draft.answer.as_str())
                    .bind(draft.category.as_deref())
                    .bind(draft.valid_from.map(|d| d.to_string()))
                    .bind(draft.valid_to.map(|d| d.to_string()))
                    .bind(draft.source.as_str())
                    .bind(to_ms(at))
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("知识条目"));
                    }
                    Ok(Article { id, draft: draft.clone() })
                }

                async fn article(&self, id: i64) -> StoreResult<Article> {
                    let row = ::sqlx::query(
                        "SELECT id, question, answer, category, valid_from, valid_to, source FROM articles WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("知识条目"))?;
                    article_row(&row)
                }

                async fn find_articles(&self, words: &str, page: Page) -> StoreResult<Vec<Article>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT id, question, answer, category, valid_from, valid_to, source FROM articles WHERE 1=1",
                    );
                    for word in words.split_whitespace().take(8) {
                        let pattern = format!("%{}%", word.replace(['%', '_'], ""));
                        q.push(" AND (question LIKE ").push_bind(pattern.clone());
                        q.push(" OR answer LIKE ").push_bind(pattern).push(")");
                    }
                    q.push(" ORDER BY updated_ms DESC, id DESC LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(article_row).collect()
                }

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
                        StoreError::Other(m) if m.to_lowercase().contains("foreign key") => StoreError::NotFound("消息"),
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
                    q.push(" ORDER BY created_ms DESC, id DESC LIMIT ")
                        .push_bind(page.limit)
                        .push(" OFFSET ")
                        .push_bind(page.offset)
                        .push(") ORDER BY created_ms DESC, id DESC");
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
                        for (i, e) in item.events.iter().enumerate() {
                            let event = Event::new(id, i as i64 + 1, e.kind.clone(), e.actor.clone(), e.at, &prev);
                            prev = event.hash.clone();
                            events.push(event);
                        }
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
                    tx.commit().await.map_err(db_err)?;
                    Ok(appeals.iter().map(|a| a.id).collect())
                }

                async fn create_body(&self, body: &NewBody) -> StoreResult<Body> {
                    let row = ::sqlx::query(
                        "INSERT INTO bodies (name, kind, parent_id, areas) VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(body.name.as_str())
                    .bind(body.kind.label())
                    .bind(body.parent.map(|p| p.0))
                    .bind(to_json(&body.areas)?)
                    .fetch_one(self.writer())
                    .await
                    .map_err(|e| match db_err(e) {
                        StoreError::Other(m) if m.contains("FOREIGN KEY") || m.contains("foreign key") => {
                            StoreError::NotFound("上级单位")
                        }
                        other => other,
                    })?;
                    Ok(Body {
                        id: BodyId(row.try_get(0).map_err(db_err)?),
                        name: body.name.clone(),
                        kind: body.kind,
                        parent: body.parent,
                        areas: body.areas.clone(),
                    })
                }

                async fn bodies(&self) -> StoreResult<Vec<Body>> {
                    let rows = ::sqlx::query("SELECT id, name, kind, parent_id, areas FROM bodies ORDER BY id")
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter()
                        .map(|row| {
                            let kind: String = row.try_get(2).map_err(db_err)?;
                            Ok(Body {
                                id: BodyId(row.try_get(0).map_err(db_err)?),
                                name: row.try_get(1).map_err(db_err)?,
                                kind: BodyKind::parse(&kind).map_err(|e| StoreError::Other(e.to_string()))?,
                                parent: row.try_get::<Option<i64>, _>(3).map_err(db_err)?.map(BodyId),
                                areas: from_json(&row.try_get::<String, _>(4).map_err(db_err)?)?,
                            })
                        })
                        .collect()
                }

                async fn create_user(&self, user: &NewUser, password_hash: &str) -> StoreResult<User> {
                    let row = ::sqlx::query(
                        "INSERT INTO users (username, display_name, role, body_id, password_hash) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(user.username.as_str())
                    .bind(user.display_name.as_str())
                    .bind(user.role.label())
                    .bind(user.body.map(|b| b.0))
                    .bind(password_hash)
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(User {
                        id: UserId(row.try_get(0).map_err(db_err)?),
                        username: user.username.clone(),
                        display_name: user.display_name.clone(),
                        role: user.role,
                        body: user.body,
                    })
                }

                async fn users(&self) -> StoreResult<Vec<User>> {
                    let rows = ::sqlx::query("SELECT id, username, display_name, role, body_id FROM users ORDER BY id")
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter().map(user_from_row).collect()
                }

                async fn credentials(&self, username: &str) -> StoreResult<$crate::Credentials> {
                    let row = ::sqlx::query(
                        "SELECT id, username, display_name, role, body_id, password_hash, failed_logins, locked_until_ms \
                         FROM users WHERE username = $1",
                    )
                    .bind(username)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("用户"))?;
                    let locked: i64 = row.try_get("locked_until_ms").map_err(db_err)?;
                    Ok($crate::Credentials {
                        user: user_from_row(&row)?,
                        password_hash: row.try_get("password_hash").map_err(db_err)?,
                        failed_logins: row.try_get("failed_logins").map_err(db_err)?,
                        locked_until: (locked > 0).then(|| $crate::sql::from_ms(locked)),
                    })
                }

                async fn login_failed(&self, username: &str, max_failures: i64, lock_until: DateTime<Utc>) -> StoreResult<()> {
                    ::sqlx::query(
                        "UPDATE users SET failed_logins = failed_logins + 1, \
                         locked_until_ms = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until_ms END \
                         WHERE username = $1",
                    )
                    .bind(username)
                    .bind(max_failures)
                    .bind(to_ms(lock_until))
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }

                async fn login_succeeded(&self, username: &str) -> StoreResult<()> {
                    ::sqlx::query("UPDATE users SET failed_logins = 0, locked_until_ms = 0 WHERE username = $1")
                        .bind(username)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    Ok(())
                }

                async fn create_session(&self, token_hash: &str, user: UserId, expires: DateTime<Utc>) -> StoreResult<()> {
                    ::sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES ($1, $2, $3)")
                        .bind(token_hash)
                        .bind(user.0)
                        .bind(to_ms(expires))
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    Ok(())
                }

                async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<User> {
                    let row = ::sqlx::query(
                        "SELECT u.id, u.username, u.display_name, u.role, u.body_id FROM sessions s \
                         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_ms > $2",
                    )
                    .bind(token_hash)
                    .bind(to_ms(now))
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("会话"))?;
                    user_from_row(&row)
                }

                async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                    ::sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    Ok(())
                }

                async fn create_api_token(&self, user: UserId, name: &str, scope: &str, token_hash: &str, at: DateTime<Utc>) -> StoreResult<$crate::ApiToken> {
                    let row = ::sqlx::query(
                        "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(user.0)
                    .bind(name)
                    .bind(token_hash)
                    .bind(scope)
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok($crate::ApiToken { id: row.try_get(0).map_err(db_err)?, user, name: name.into(), scope: scope.into(), created_at: at, revoked_at: None })
                }

                async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<$crate::ApiToken>> {
                    let rows = ::sqlx::query(
                        "SELECT id, user_id, name, scope, created_ms, revoked_ms FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
                    )
                    .bind(user.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::ApiToken {
                                id: r.try_get(0).map_err(db_err)?,
                                user: UserId(r.try_get(1).map_err(db_err)?),
                                name: r.try_get(2).map_err(db_err)?,
                                scope: r.try_get(3).map_err(db_err)?,
                                created_at: $crate::sql::from_ms(r.try_get(4).map_err(db_err)?),
                                revoked_at: r.try_get::<Option<i64>, _>(5).map_err(db_err)?.map($crate::sql::from_ms),
                            })
                        })
                        .collect()
                }

                async fn revoke_api_token(&self, user: UserId, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
                    let done = ::sqlx::query("UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2 AND user_id = $3 AND revoked_ms IS NULL")
                        .bind(to_ms(at))
                        .bind(id)
                        .bind(user.0)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("令牌"));
                    }
                    Ok(())
                }

                async fn token_user(&self, token_hash: &str) -> StoreResult<(User, String)> {
                    let row = ::sqlx::query(
                        "SELECT u.id, u.username, u.display_name, u.role, u.body_id, t.scope FROM api_tokens t \
                         JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_ms IS NULL",
                    )
                    .bind(token_hash)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("令牌"))?;
                    Ok((user_from_row(&row)?, row.try_get("scope").map_err(db_err)?))
                }

                async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO settings (key, value) VALUES ($1, $2) \
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )
                    .bind(key)
                    .bind(value)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }

                async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
                    let row = ::sqlx::query("SELECT value FROM settings WHERE key = $1")
                        .bind(key)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?;
                    row.map(|r| r.try_get::<String, _>(0).map_err(db_err)).transpose()
                }

                async fn settings_with_prefix(&self, prefix: &str) -> StoreResult<Vec<(String, String)>> {
                    let rows = ::sqlx::query("SELECT key, value FROM settings WHERE substr(key, 1, length($1)) = $1 ORDER BY key")
                        .bind(prefix)
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter()
                        .map(|r| Ok((r.try_get(0).map_err(db_err)?, r.try_get(1).map_err(db_err)?)))
                        .collect()
                }
            }
        };
    };
}

/// Adds `raw_insert_rate` to a backend type: single-row insert transactions per second on a
/// scratch table, through the backend's write pool — the yardstick `jiesu bench intake`
/// compares the full intake path with.
#[macro_export]
macro_rules! raw_insert_probe {
    ($store:ty, $db:ty) => {
        impl $store {
            pub async fn raw_insert_rate(
                &self,
                rows: usize,
                concurrency: usize,
            ) -> $crate::StoreResult<f64> {
                let err = |e: ::sqlx::Error| $crate::StoreError::Other(e.to_string());
                ::sqlx::query("DROP TABLE IF EXISTS bench_raw")
                    .execute(self.writer())
                    .await
                    .map_err(err)?;
                ::sqlx::query(
                    "CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)",
                )
                .execute(self.writer())
                .await
                .map_err(err)?;
                let payload = "压测".repeat(300);
                let next = ::std::sync::Arc::new(::std::sync::atomic::AtomicUsize::new(0));
                let started = ::std::time::Instant::now();
                let mut tasks = Vec::new();
                for _ in 0..concurrency.max(1) {
                    let (pool, next, payload) =
                        (self.writer().clone(), next.clone(), payload.clone());
                    tasks.push(::tokio::spawn(async move {
                        loop {
                            let i = next.fetch_add(1, ::std::sync::atomic::Ordering::Relaxed);
                            if i >= rows {
                                return Ok::<(), ::sqlx::Error>(());
                            }
                            let mut tx = pool.begin().await?;
                            ::sqlx::query("INSERT INTO bench_raw (id, payload) VALUES ($1, $2)")
                                .bind(i as i64)
                                .bind(payload.as_str())
                                .execute(&mut *tx)
                                .await?;
                            tx.commit().await?;
                        }
                    }));
                }
                for t in tasks {
                    t.await
                        .map_err(|e| $crate::StoreError::Other(e.to_string()))?
                        .map_err(err)?;
                }
                let rate = rows as f64 / started.elapsed().as_secs_f64();
                ::sqlx::query("DROP TABLE bench_raw")
                    .execute(self.writer())
                    .await
                    .map_err(err)?;
                Ok(rate)
            }
        }
    };
}
