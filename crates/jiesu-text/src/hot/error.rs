//! Errors of hot-issue discovery, with messages for the people who run it.

use thiserror::Error;

/// Why messages could not be read or analysed.
#[derive(Debug, Error)]
pub enum HotError {
    /// The input file could not be opened or read.
    #[error("无法读取留言文件 {path}：{source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The CSV is malformed.
    #[error("留言文件格式错误：{0}")]
    Csv(#[from] csv::Error),
    /// A required column is missing from the header.
    #[error("留言文件缺少“{0}”列")]
    MissingColumn(&'static str),
    /// A time could not be understood.
    #[error("第 {row} 行的留言时间“{value}”无法识别")]
    BadTime {
        /// 1-based data row (the header is row 0).
        row: usize,
        /// The text found.
        value: String,
    },
    /// A like or dislike count is not a number.
    #[error("第 {row} 行的{column}“{value}”不是整数")]
    BadNumber {
        /// 1-based data row.
        row: usize,
        /// The column (反对数 or 点赞数).
        column: &'static str,
        /// The text found.
        value: String,
    },
}
