//! The one error type of the search crate. Messages are Chinese because [`SearchError::BadQuery`]
//! is shown to people as it is; the others are logged and answered with a generic message.

/// What can go wrong while indexing or searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The user's query (or a filter value) cannot be understood. The message says why, in
    /// words a person can act on; the web layer answers 400 with it.
    #[error("检索条件有误：{0}")]
    BadQuery(String),
    /// An appeal id that cannot be indexed (ids are positive).
    #[error("诉求编号 {0} 无法编入索引")]
    InvalidId(i64),
    /// Another process (or another updater in this one) holds the index's writer lock.
    #[error("检索索引正由其他进程写入：{0}")]
    Locked(String),
    /// The index directory cannot be opened or created.
    #[error("无法打开检索索引目录：{0}")]
    Directory(String),
    /// The index itself failed (I/O, corruption, a bug).
    #[error("检索索引出错：{0}")]
    Index(#[from] tantivy::TantivyError),
    /// The appeal source (the database) failed during a catch-up or rebuild.
    #[error("读取诉求数据失败：{0}")]
    Source(String),
    /// The updater thread has stopped (it failed, or was closed).
    #[error("检索索引更新线程已停止")]
    UpdaterStopped,
    #[error("检索索引文件读写失败：{0}")]
    Io(#[from] std::io::Error),
}

impl SearchError {
    /// True for errors caused by what the user typed (answer 400, show the message).
    pub fn is_bad_query(&self) -> bool {
        matches!(self, SearchError::BadQuery(_))
    }

    pub(crate) fn bad(message: impl Into<String>) -> SearchError {
        SearchError::BadQuery(message.into())
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        SearchError::Directory(e.to_string())
    }
}
