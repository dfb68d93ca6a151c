//! The SQL implementation of [`Store`](crate::Store), written once and instantiated for each
//! backend by [`sql_store!`](crate::sql_store), one file (and one macro) per area of the store:
//! intake, the workflow's writes, reading appeals, bodies, accounts, models, knowledge,
//! notices, settings, reply reviews, attachments, government tasks, assessment and suggestion
//! campaigns; [`rows`]
//! encodes what they store. Both backends speak the same SQL here:
//! `$n` placeholders (SQLite numbers them by first appearance), `ON CONFLICT … DO UPDATE`,
//! `RETURNING`, times as milliseconds since the epoch. Only connection set-up and the
//! migrations differ, and those live in each backend's crate.
//!
//! A backend type provides three inherent methods: `writer()` and `reader()`, returning the
//! pools to write and to read with (SQLite writes through one connection; PostgreSQL uses one
//! pool for both), and `appeals_of_bodies()`, the table expression a list of bodies' appeals
//! reads (SQLite names the index its planner would not choose).

mod accounts;
mod appeals;
mod assessment;
mod attachments;
mod bodies;
mod campaigns;
mod citizen_messages;
mod intake;
mod knowledge;
mod models;
mod notices;
mod points;
mod replies;
pub mod rows;
mod settings;
mod stations;
mod task_follow;
mod task_reminders;
mod tasks;
mod workflow;

pub use rows::*;

/// Maps a driver error to a [`StoreError`] that carries meaning.
#[macro_export]
macro_rules! map_sqlx_error {
    ($e:expr) => {{
        let e: ::sqlx::Error = $e;
        match &e {
            ::sqlx::Error::RowNotFound => $crate::StoreError::NotFound("记录"),
            ::sqlx::Error::Database(db) if db.is_unique_violation() => $crate::StoreError::Unique {
                constraint: db.constraint().unwrap_or_default().to_string(),
            },
            ::sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                $crate::StoreError::MissingReference {
                    constraint: db.constraint().unwrap_or_default().to_string(),
                }
            }
            _ => $crate::StoreError::Other(e.to_string()),
        }
    }};
}

/// Implements [`Store`](crate::Store) — every area trait — for a backend type over a `sqlx`
/// database type. The areas' macros expand into one scope: the imports and the shared
/// helpers here serve them all.
#[macro_export]
macro_rules! sql_store {
    ($store:ty, $db:ty, $backend:literal) => {
        const _: () = {
            use ::chrono::{DateTime, Utc};
            use ::jiesu_domain::appeal::{Appeal, AppealNumber};
            use ::jiesu_domain::body::{Body, BodyKind, NewBody};
            use ::jiesu_domain::event::{Event, EventKind};
            use ::jiesu_domain::ids::{AppealId, BodyId, UserId};
            use ::jiesu_domain::knowledge::{Article, ArticleDraft};
            use ::jiesu_domain::notice::Recipient;
            use ::jiesu_domain::status::Status;
            use ::jiesu_domain::user::{Actor, NewUser, Role, User};
            use ::sqlx::Row;
            use $crate::sql::{
                AppealColumns, event_data, event_from_row, from_json, to_json, to_ms,
            };
            use $crate::{
                AppealFilter, AppealPage, Delivery, ImportedAppeal, InboxItem, Page, Recording,
                Registered, Registration, StoreError, StoreResult,
            };

            fn db_err(e: ::sqlx::Error) -> StoreError {
                $crate::map_sqlx_error!(e)
            }

            /// Moves the settings stamp forward inside `tx`: every server reloads its settings.
            async fn bump_settings_version(
                tx: &mut <$db as ::sqlx::Database>::Connection,
            ) -> StoreResult<()> {
                ::sqlx::query("UPDATE settings_version SET version = version + 1 WHERE id = 1")
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            impl $crate::Store for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }
            }

            $crate::sql_intake!($store, $db);
            $crate::sql_workflow!($store, $db);
            $crate::sql_appeals!($store, $db);
            $crate::sql_bodies!($store, $db);
            $crate::sql_accounts!($store, $db);
            $crate::sql_models!($store, $db);
            $crate::sql_knowledge!($store, $db);
            $crate::sql_notices!($store, $db);
            $crate::sql_settings!($store, $db);
            $crate::sql_replies!($store, $db);
            $crate::sql_attachments!($store, $db);
            $crate::sql_tasks!($store, $db);
            $crate::sql_stations!($store, $db);
            $crate::sql_task_follow!($store, $db);
            $crate::sql_task_reminders!($store, $db);
            $crate::sql_assessment!($store, $db);
            $crate::sql_citizen_messages!($store, $db);
            $crate::sql_points!($store, $db);
            $crate::sql_campaigns!($store, $db);
        };
    };
}
