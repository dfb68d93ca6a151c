//! Attachments (附件): metadata written inside an owner's transaction, read back for pages
//! and downloads; the bytes of the database storage.

/// The columns an attachment is read from.
#[macro_export]
#[doc(hidden)]
macro_rules! attachment_columns {
    () => {
        "id, owner_kind, owner_id, event_seq, name, content_type, size, sha256, storage_key, \
         thumbnail_key, uploaded_by, uploaded_ms"
    };
}

/// Implements [`AttachmentStore`](crate::AttachmentStore) inside
/// [`sql_store!`](crate::sql_store), and `insert_attachments` for the intake's and the
/// workflow's transactions.
#[macro_export]
#[doc(hidden)]
macro_rules! sql_attachments {
    ($store:ty, $db:ty) => {
            /// Records files with their owner, inside the owner's transaction.
            async fn insert_attachments(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                owner_kind: ::jiesu_domain::attachment::OwnerKind,
                owner_id: i64,
                event_seq: Option<i64>,
                files: &[::jiesu_domain::attachment::NewAttachment],
            ) -> StoreResult<()> {
                for f in files {
                    ::sqlx::query(
                        "INSERT INTO attachments (owner_kind, owner_id, event_seq, name, content_type, size, sha256, \
                         storage_key, thumbnail_key, uploaded_by, uploaded_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(owner_kind.as_str())
                    .bind(owner_id)
                    .bind(event_seq)
                    .bind(f.name.as_str())
                    .bind(f.kind.content_type())
                    .bind(f.size)
                    .bind(f.sha256.as_str())
                    .bind(f.storage_key.as_str())
                    .bind(f.thumbnail_key.as_deref())
                    .bind(to_json(&f.by)?)
                    .bind(to_ms(f.at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                }
                Ok(())
            }

            fn attachment_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<::jiesu_domain::attachment::Attachment> {
                use ::jiesu_domain::attachment::{Attachment, FileKind, NewAttachment, OwnerKind};
                let owner_kind: String = row.try_get("owner_kind").map_err(db_err)?;
                let content_type: String = row.try_get("content_type").map_err(db_err)?;
                Ok(Attachment {
                    id: row.try_get("id").map_err(db_err)?,
                    owner_kind: OwnerKind::parse(&owner_kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("attachment owner {owner_kind}")))?,
                    owner_id: row.try_get("owner_id").map_err(db_err)?,
                    event_seq: row.try_get("event_seq").map_err(db_err)?,
                    file: NewAttachment {
                        name: row.try_get("name").map_err(db_err)?,
                        kind: FileKind::from_content_type(&content_type)
                            .ok_or_else(|| StoreError::Corrupt(format!("attachment type {content_type}")))?,
                        size: row.try_get("size").map_err(db_err)?,
                        sha256: row.try_get("sha256").map_err(db_err)?,
                        storage_key: row.try_get("storage_key").map_err(db_err)?,
                        thumbnail_key: row.try_get("thumbnail_key").map_err(db_err)?,
                        by: from_json(&row.try_get::<String, _>("uploaded_by").map_err(db_err)?)?,
                        at: $crate::sql::from_ms(row.try_get("uploaded_ms").map_err(db_err)?)?,
                    },
                })
            }

            #[$crate::async_trait]
            impl $crate::AttachmentStore for $store {
                async fn put_blob(&self, key: &str, content: &[u8]) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO attachment_blobs (key, content) VALUES ($1, $2) \
                         ON CONFLICT (key) DO UPDATE SET content = excluded.content",
                    )
                    .bind(key)
                    .bind(content)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }

                async fn blob(&self, key: &str) -> StoreResult<Vec<u8>> {
                    ::sqlx::query_scalar::<$db, Vec<u8>>("SELECT content FROM attachment_blobs WHERE key = $1")
                        .bind(key)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("附件"))
                }

                async fn delete_blobs(&self, keys: &[String]) -> StoreResult<()> {
                    for key in keys {
                        ::sqlx::query("DELETE FROM attachment_blobs WHERE key = $1")
                            .bind(key.as_str())
                            .execute(self.writer())
                            .await
                            .map_err(db_err)?;
                    }
                    Ok(())
                }

                async fn attachment(&self, id: i64) -> StoreResult<::jiesu_domain::attachment::Attachment> {
                    let row = ::sqlx::query(concat!("SELECT ", $crate::attachment_columns!(), " FROM attachments WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("附件"))?;
                    attachment_row(&row)
                }

                async fn appeal_attachments(&self, appeal: AppealId) -> StoreResult<Vec<::jiesu_domain::attachment::Attachment>> {
                    let rows = ::sqlx::query(concat!(
                        "SELECT ", $crate::attachment_columns!(), " FROM attachments \
                         WHERE owner_id = $1 AND owner_kind IN ('appeal', 'reply') ORDER BY id"
                    ))
                    .bind(appeal.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(attachment_row).collect()
                }
            }
    };
}
