//! Where `jiesu serve` and `jiesu demo` keep attachments (附件存储) and how large they may
//! be: in the database by default, or in a directory.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use jiesu_app::attachments::{FileStorage, Files};
use jiesu_domain::attachment::AttachmentLimits;
use jiesu_store::Store;

/// The attachments' options.
#[derive(clap::Args, Clone)]
pub struct FileOptions {
    /// Keep attachments' bytes in this directory (created if missing) instead of the
    /// database; their metadata stays in the database.
    #[arg(long, env = "JIESU_FILES_DIR")]
    pub files_dir: Option<PathBuf>,
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
        let storage = match &self.files_dir {
            None => FileStorage::Database(store),
            Some(dir) => FileStorage::directory(dir)
                .with_context(|| format!("无法使用附件目录 {}", dir.display()))?,
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
