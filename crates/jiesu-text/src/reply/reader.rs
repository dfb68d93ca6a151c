//! Reading published replies from CSV: columns 留言编号, 留言用户, 留言主题, 留言时间,
//! 留言详情, 答复意见, 答复时间, found by name (in any order, BOM and stray spaces tolerated).

use std::io::Read;
use std::path::Path;

use chrono::NaiveDateTime;
use thiserror::Error;

use super::review::AppealForReview;
use crate::board::{Columns, ID, TEXT, TIME, TITLE, USER, reader};
use crate::hot::parse_time;

const REPLY: &str = "答复意见";
const REPLIED: &str = "答复时间";

/// One appeal and the reply it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRow {
    /// 留言编号.
    pub id: String,
    /// 留言用户.
    pub user: String,
    /// 留言主题.
    pub title: String,
    /// 留言时间.
    pub time: NaiveDateTime,
    /// 留言详情.
    pub text: String,
    /// 答复意见.
    pub reply: String,
    /// 答复时间.
    pub replied: NaiveDateTime,
}

impl ReplyRow {
    /// The appeal side of the row, with the default reply limit.
    pub fn appeal(&self) -> AppealForReview<'_> {
        AppealForReview {
            title: &self.title,
            text: &self.text,
            citizen: Some(self.user.as_str()).filter(|u| !u.is_empty()),
            received: self.time,
            deadline: None,
        }
    }
}

/// Why a reply file could not be read.
#[derive(Debug, Error)]
pub enum ReplyFileError {
    /// The file could not be opened or read.
    #[error("无法读取答复文件 {path}：{source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The CSV is malformed.
    #[error("答复文件格式错误：{0}")]
    Csv(#[from] csv::Error),
    /// A required column is missing from the header.
    #[error("答复文件缺少“{0}”列")]
    MissingColumn(&'static str),
    /// A time could not be understood.
    #[error("第 {row} 行的{column}“{value}”无法识别")]
    BadTime {
        /// 1-based data row.
        row: usize,
        /// 留言时间 or 答复时间.
        column: &'static str,
        /// The text found.
        value: String,
    },
}

/// Reads every row of a CSV file.
pub fn read_replies(path: &Path) -> Result<Vec<ReplyRow>, ReplyFileError> {
    let file = std::fs::File::open(path).map_err(|source| ReplyFileError::Io {
        path: path.display().to_string(),
        source,
    })?;
    read_replies_from(std::io::BufReader::new(file))
}

/// Reads every row of a CSV stream; rows without a reply are skipped.
pub fn read_replies_from(input: impl Read) -> Result<Vec<ReplyRow>, ReplyFileError> {
    let mut reader = reader(input);
    let columns = Columns::read(&mut reader)?;
    let column = |name: &'static str| {
        columns
            .find(name)
            .ok_or(ReplyFileError::MissingColumn(name))
    };
    let mut at = [0usize; 7];
    for (slot, name) in at
        .iter_mut()
        .zip([ID, USER, TITLE, TIME, TEXT, REPLY, REPLIED])
    {
        *slot = column(name)?;
    }
    let [id, user, title, time, text, reply, replied] = at;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record?;
        let row = index + 1;
        let field = |i: usize| record.get(i).unwrap_or("");
        if field(reply).trim().is_empty() {
            continue;
        }
        let when = |i: usize, column: &'static str| {
            parse_time(field(i)).ok_or_else(|| ReplyFileError::BadTime {
                row,
                column,
                value: field(i).to_string(),
            })
        };
        rows.push(ReplyRow {
            id: field(id).trim().to_string(),
            user: field(user).trim().to_string(),
            title: field(title).to_string(),
            time: when(time, TIME)?,
            text: field(text).to_string(),
            reply: field(reply).to_string(),
            replied: when(replied, REPLIED)?,
        });
    }
    Ok(rows)
}
