//! Where `jiesu serve` and `jiesu demo` keep attachments (附件存储) and how large they may
//! be: in the database by default, in a directory, or in an S3-compatible bucket.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use jiesu_app::attachments::{FileStorage, Files, S3Config};
use jiesu_domain::attachment::AttachmentLimits;
use jiesu_store::Store;

/// The attachments' options.
#[derive(clap::Args, Clone)]
pub struct FileOptions {
    /// Keep attachments' bytes in this directory (created if missing) instead of the
    /// database; their metadata stays in the database.
    #[arg(long, env = "JIESU_FILES_DIR")]
    pub files_dir: Option<PathBuf>,
    /// Keep attachments' bytes in this S3-compatible bucket (`s3://bucket`).
    #[arg(long, env = "JIESU_FILES_S3_URL", conflicts_with = "files_dir")]
    pub files_s3_url: Option<String>,
    /// The S3 service's address when it is not Amazon's (MinIO, a cloud's S3-compatible
    /// service), e.g. http://127.0.0.1:9000.
    #[arg(long, env = "JIESU_FILES_S3_ENDPOINT", requires = "files_s3_url")]
    pub files_s3_endpoint: Option<String>,
    /// The bucket's region.
    #[arg(long, env = "AWS_REGION", requires = "files_s3_url")]
    pub files_s3_region: Option<String>,
    /// The S3 access key id (without it, the instance's own credentials).
    #[arg(long, env = "AWS_ACCESS_KEY_ID", hide_env_values = true)]
    pub files_s3_access_key_id: Option<String>,
    /// The S3 secret access key.
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub files_s3_secret_access_key: Option<String>,
    /// The largest attachment accepted, in megabytes.
    #[arg(long, env = "JIESU_FILES_MAX_MB", default_value_t = 10)]
    pub files_max_mb: usize,
    /// Attachments per appeal or reply.
    #[arg(long, env = "JIESU_FILES_MAX_COUNT", default_value_t = 9)]
    pub files_max_count: usize,
}

impl FileOptions {
    /// The storage and limits these options name, over `store` for the database storage.
    pub fn files(&self, store: Arc<dyn Store>) -> Result<Files> {
        let storage = match (&self.files_dir, &self.files_s3_url) {
            (Some(dir), _) => FileStorage::directory(dir)
                .with_context(|| format!("无法使用附件目录 {}", dir.display()))?,
            (None, Some(url)) => FileStorage::s3(&S3Config {
                url: url.clone(),
                endpoint: self.files_s3_endpoint.clone(),
                region: self.files_s3_region.clone(),
                access_key_id: self.files_s3_access_key_id.clone(),
                secret_access_key: self.files_s3_secret_access_key.clone(),
            })
            .with_context(|| format!("无法使用附件存储 {url}"))?,
            (None, None) => FileStorage::Database(store),
        };
        Ok(Files {
            storage,
            limits: AttachmentLimits {
                max_bytes: self.files_max_mb.max(1) * 1024 * 1024,
                max_files: self.files_max_count.max(1),
            },
        })
    }
}
