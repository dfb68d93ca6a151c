//! Reading messages from the board's CSV export ([`board`](crate::board)): columns 留言编号,
//! 留言用户, 留言主题, 留言时间, 留言详情, 反对数, 点赞数, found by name.

use std::io::Read;
use std::path::Path;

use super::error::HotError;
use super::message::{HotMessage, parse_time};

use crate::board::{Columns, reader};
pub(super) use crate::board::{ID, TEXT, TIME, TITLE, USER};

pub(super) const DISLIKES: &str = "反对数";
pub(super) const LIKES: &str = "点赞数";

/// Reads every message of a CSV file.
pub fn read_messages(path: &Path) -> Result<Vec<HotMessage>, HotError> {
    let file = std::fs::File::open(path).map_err(|source| HotError::Io {
        path: path.display().to_string(),
        source,
    })?;
    read_messages_from(std::io::BufReader::new(file))
}

/// Reads every message of a CSV stream. Title and text keep their line breaks and spaces
/// (the analysis folds them); numbers may be empty (0); rows without title and text are
/// skipped.
pub fn read_messages_from(input: impl Read) -> Result<Vec<HotMessage>, HotError> {
    let mut reader = reader(input);
    let columns = Columns::read(&mut reader)?;
    let column = |name: &'static str| columns.find(name).ok_or(HotError::MissingColumn(name));
    let (id, user, title, time, text) = (
        column(ID)?,
        column(USER)?,
        column(TITLE)?,
        column(TIME)?,
        column(TEXT)?,
    );
    let likes = columns.find(LIKES);
    let dislikes = columns.find(DISLIKES);
    let mut messages = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record?;
        let row = index + 1;
        let field = |i: usize| record.get(i).unwrap_or("");
        if field(title).trim().is_empty() && field(text).trim().is_empty() {
            continue;
        }
        let when = field(time);
        let time = parse_time(when).ok_or_else(|| HotError::BadTime {
            row,
            value: when.to_string(),
        })?;
        let count = |i: Option<usize>, column: &'static str| -> Result<u32, HotError> {
            let value = crate::place::fold(i.map(field).unwrap_or(""));
            if value.is_empty() {
                return Ok(0);
            }
            value
                .parse()
                .map_err(|_| HotError::BadNumber { row, column, value })
        };
        messages.push(HotMessage {
            id: field(id).trim().to_string(),
            user: field(user).trim().to_string(),
            title: field(title).to_string(),
            text: field(text).to_string(),
            time,
            likes: count(likes, LIKES)?,
            dislikes: count(dislikes, DISLIKES)?,
        });
    }
    Ok(messages)
}
