//! Attachments (附件): photos and documents uploaded with an appeal (intake by an operator,
//! the portal, the API) or with a reply. Bytes are stored first ([`FileStorage`]), then the
//! metadata is recorded in the owner's own transaction; when that fails the bytes are
//! deleted again, so no appeal lacks its files and no file lacks its owner. Files are served
//! only to those who may see their appeal ([`crate::visibility`]).

mod storage;
mod thumbnail;

pub use storage::{FileStorage, S3Config};
pub use thumbnail::{THUMBNAIL_SIDE, thumbnail};

use bytes::Bytes;
use chrono::Utc;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::attachment::{
    Attachment, AttachmentLimits, NewAttachment, OwnerKind, clean_name,
};
use jiesu_domain::ids::AppealId;
use jiesu_domain::user::{Actor, User};
use jiesu_store::StoreError;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::visibility::may_see;

/// A file as an edge received it: the name the client gave and the bytes (类型以内容为准).
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub content: Bytes,
}

/// Where attachments are kept and how many and how large they may be.
#[derive(Debug, Clone)]
pub struct Files {
    pub storage: FileStorage,
    pub limits: AttachmentLimits,
}

/// Files whose bytes are stored and whose metadata is not yet recorded: recorded with their
/// owner, or [`discarded`](Files::discard) when the owner's write fails.
#[derive(Debug, Default)]
pub struct Stored {
    pub attachments: Vec<NewAttachment>,
}

impl Stored {
    /// Every key the bytes were stored under (files and thumbnails).
    pub fn keys(&self) -> Vec<String> {
        self.attachments
            .iter()
            .flat_map(|a| std::iter::once(a.storage_key.clone()).chain(a.thumbnail_key.clone()))
            .collect()
    }
}

/// A new storage key: the day and 128 random bits, never guessed from the content.
fn new_key(at: chrono::DateTime<Utc>) -> String {
    format!(
        "attachments/{}/{}",
        at.format("%Y%m%d"),
        hex::encode(rand::random::<[u8; 16]>())
    )
}

impl Files {
    /// Checks one item's uploads (number, size, kind by content; images must decode),
    /// makes the images' thumbnails and stores every file's bytes. On any error nothing
    /// stays stored.
    pub async fn store(&self, uploads: Vec<Upload>, by: &Actor) -> AppResult<Stored> {
        if uploads.is_empty() {
            return Ok(Stored::default());
        }
        let kinds = self
            .limits
            .check(uploads.iter().map(|u| (u.name.as_str(), &u.content[..])))?;
        let at = Utc::now();
        let prepared = tokio::task::spawn_blocking(move || {
            uploads
                .into_iter()
                .zip(kinds)
                .map(|(upload, kind)| {
                    let thumb = match kind.is_image() {
                        false => None,
                        true => Some(thumbnail(&upload.content).ok_or_else(|| {
                            jiesu_domain::DomainError::InvalidField {
                                field: "files",
                                reason: format!(
                                    "附件「{}」无法作为图片打开",
                                    clean_name(&upload.name)
                                ),
                            }
                        })?),
                    };
                    Ok((upload, kind, thumb))
                })
                .collect::<Result<Vec<_>, jiesu_domain::DomainError>>()
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
        let mut stored = Stored::default();
        for (upload, kind, thumb) in prepared {
            let file = NewAttachment {
                name: clean_name(&upload.name),
                kind,
                size: upload.content.len() as i64,
                sha256: hex::encode(Sha256::digest(&upload.content)),
                storage_key: new_key(at),
                thumbnail_key: thumb.as_ref().map(|_| new_key(at)),
                by: by.clone(),
                at,
            };
            let written = async {
                self.storage.put(&file.storage_key, upload.content).await?;
                if let (Some(key), Some(thumb)) = (&file.thumbnail_key, thumb) {
                    self.storage.put(key, thumb.into()).await?;
                }
                AppResult::Ok(())
            }
            .await;
            stored.attachments.push(file);
            if let Err(e) = written {
                self.discard(stored).await;
                return Err(e);
            }
        }
        Ok(stored)
    }

    /// Deletes the bytes of files whose owner was not recorded. A failure is logged: the
    /// bytes are then unreachable, never served, and no metadata names them.
    pub async fn discard(&self, stored: Stored) {
        let keys = stored.keys();
        if keys.is_empty() {
            return;
        }
        if let Err(e) = self.storage.delete(&keys).await {
            tracing::warn!(error = %e, ?keys, "stored attachment bytes could not be removed");
        }
    }
}

impl crate::App {
    /// An appeal's files and its replies' files, for a user who may see the appeal.
    pub async fn appeal_attachments(
        &self,
        user: &User,
        appeal: &Appeal,
    ) -> AppResult<Vec<Attachment>> {
        self.check_may_see(user, appeal).await?;
        Ok(self.store.appeal_attachments(appeal.id).await?)
    }

    /// A file's metadata and bytes (its thumbnail's with `thumbnail`), for a user who may see
    /// its appeal; to anyone else it does not exist.
    pub async fn attachment_content(
        &self,
        user: &User,
        id: i64,
        thumbnail: bool,
    ) -> AppResult<(Attachment, Bytes)> {
        let attachment = self.store.attachment(id).await?;
        let appeal = self.store.appeal(AppealId(attachment.owner_id)).await?;
        self.check_may_see(user, &appeal).await?;
        self.attachment_bytes(attachment, thumbnail).await
    }

    /// The files a citizen sees of their own appeal (opened with its query code): those they
    /// gave with it — none for a confidential (保密) appeal, whose files are never public.
    pub async fn citizen_attachments(&self, appeal: &Appeal) -> AppResult<Vec<Attachment>> {
        if appeal.citizen.confidential {
            return Ok(Vec::new());
        }
        let all = self.store.appeal_attachments(appeal.id).await?;
        Ok(all
            .into_iter()
            .filter(|a| a.owner_kind == OwnerKind::Appeal)
            .collect())
    }

    /// A file of a citizen's own appeal (opened with its query code), as
    /// [`citizen_attachments`](Self::citizen_attachments) lists them.
    pub async fn citizen_attachment_content(
        &self,
        appeal: &Appeal,
        id: i64,
        thumbnail: bool,
    ) -> AppResult<(Attachment, Bytes)> {
        let attachment = self
            .citizen_attachments(appeal)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound("附件"))?;
        self.attachment_bytes(attachment, thumbnail).await
    }

    async fn attachment_bytes(
        &self,
        attachment: Attachment,
        thumbnail: bool,
    ) -> AppResult<(Attachment, Bytes)> {
        let key = match thumbnail {
            true => attachment
                .file
                .thumbnail_key
                .clone()
                .ok_or(StoreError::NotFound("缩略图"))?,
            false => attachment.file.storage_key.clone(),
        };
        let bytes = self.files().storage.get(&key).await?;
        Ok((attachment, bytes))
    }

    /// Not found, for a user who may not see `appeal`: a file's existence is not told.
    async fn check_may_see(&self, user: &User, appeal: &Appeal) -> AppResult<()> {
        let bodies = self.store.bodies().await?;
        match may_see(user, &bodies, appeal) {
            true => Ok(()),
            false => Err(StoreError::NotFound("附件").into()),
        }
    }
}
