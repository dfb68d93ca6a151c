//! Where attachments' bytes are kept (附件存储): in the database (the default, one file to
//! back up with SQLite), in a configured directory, or in an S3-compatible object store for
//! production (through `object_store`: its local file system and Amazon S3 stores). The metadata is always in the database; this is only the bytes.

use std::sync::Arc;

use bytes::Bytes;
use jiesu_store::{Store, StoreError};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};

use crate::error::{AppError, AppResult};

/// An S3-compatible bucket (S3 存储): `url` is `s3://bucket`; `endpoint` the service's
/// address when it is not Amazon's (MinIO, a cloud's S3 service: path-style requests, plain
/// HTTP allowed for `http://…`). Without keys, the instance's own credentials are used.
#[derive(Clone)]
pub struct S3Config {
    pub url: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

/// The storage of attachments' bytes, by key.
#[derive(Clone)]
pub enum FileStorage {
    /// In the store's own database (`attachment_blobs`).
    Database(Arc<dyn Store>),
    /// In an object store: a local directory or an S3-compatible bucket.
    Objects {
        objects: Arc<dyn ObjectStore>,
        /// What the store is, for logs and `--help` ("目录 /var/jiesu/files", "S3 …").
        label: String,
    },
}

impl std::fmt::Debug for FileStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

fn storage_error(e: object_store::Error) -> AppError {
    match e {
        object_store::Error::NotFound { .. } => StoreError::NotFound("附件").into(),
        e => AppError::Internal(format!("attachment storage: {e}")),
    }
}

impl FileStorage {
    /// A local directory (created if missing).
    pub fn directory(dir: &std::path::Path) -> AppResult<FileStorage> {
        std::fs::create_dir_all(dir)
            .map_err(|e| AppError::Internal(format!("files directory {}: {e}", dir.display())))?;
        let objects =
            object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(storage_error)?;
        Ok(FileStorage::Objects {
            objects: Arc::new(objects),
            label: format!("directory {}", dir.display()),
        })
    }

    /// An S3-compatible bucket as `config` names it.
    pub fn s3(config: &S3Config) -> AppResult<FileStorage> {
        let mut builder = object_store::aws::AmazonS3Builder::new().with_url(&config.url);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(region) = &config.region {
            builder = builder.with_region(region);
        }
        if let (Some(id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let objects = builder.build().map_err(storage_error)?;
        Ok(FileStorage::Objects {
            objects: Arc::new(objects),
            label: match &config.endpoint {
                Some(endpoint) => format!("S3 {} at {endpoint}", config.url),
                None => format!("S3 {}", config.url),
            },
        })
    }

    /// Where the bytes are, for logs.
    pub fn label(&self) -> String {
        match self {
            FileStorage::Database(store) => format!("database ({})", store.backend()),
            FileStorage::Objects { label, .. } => label.clone(),
        }
    }

    pub async fn put(&self, key: &str, content: Bytes) -> AppResult<()> {
        match self {
            FileStorage::Database(store) => Ok(store.put_blob(key, &content).await?),
            FileStorage::Objects { objects, .. } => {
                objects
                    .put(&Path::from(key), content.into())
                    .await
                    .map_err(storage_error)?;
                Ok(())
            }
        }
    }

    /// The bytes under `key`; [`StoreError::NotFound`] if none.
    pub async fn get(&self, key: &str) -> AppResult<Bytes> {
        match self {
            FileStorage::Database(store) => Ok(store.blob(key).await?.into()),
            FileStorage::Objects { objects, .. } => objects
                .get(&Path::from(key))
                .await
                .map_err(storage_error)?
                .bytes()
                .await
                .map_err(storage_error),
        }
    }

    /// Forgets the bytes under `keys`; keys already gone are no error.
    pub async fn delete(&self, keys: &[String]) -> AppResult<()> {
        match self {
            FileStorage::Database(store) => Ok(store.delete_blobs(keys).await?),
            FileStorage::Objects { objects, .. } => {
                for key in keys {
                    match objects.delete(&Path::from(key.as_str())).await {
                        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                        Err(e) => return Err(storage_error(e)),
                    }
                }
                Ok(())
            }
        }
    }
}
