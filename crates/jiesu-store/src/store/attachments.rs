//! Attachments (附件): the metadata of files owned by appeals and replies, and the bytes of
//! those kept in the database. An attachment's metadata is written only with its owner (an
//! intake's [`Registration`](crate::Registration), a reply's [`Recording`](crate::Recording)),
//! in the owner's transaction, so no appeal lacks its files and no file lacks its owner.

use async_trait::async_trait;
use jiesu_domain::attachment::Attachment;
use jiesu_domain::ids::AppealId;

use crate::error::StoreResult;

#[async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Keeps `content` under `key` in the database (the default storage of attachments);
    /// the same key again replaces it.
    async fn put_blob(&self, key: &str, content: &[u8]) -> StoreResult<()>;
    /// The bytes kept under `key`; [`NotFound`](crate::StoreError::NotFound) if none.
    async fn blob(&self, key: &str) -> StoreResult<Vec<u8>>;
    /// Forgets the bytes kept under `keys` (an upload whose owner was not recorded).
    async fn delete_blobs(&self, keys: &[String]) -> StoreResult<()>;
    async fn attachment(&self, id: i64) -> StoreResult<Attachment>;
    /// An appeal's own files and its replies' files, in the order they were recorded.
    async fn appeal_attachments(&self, appeal: AppealId) -> StoreResult<Vec<Attachment>>;
}
