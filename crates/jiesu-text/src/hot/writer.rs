//! Writing messages in the board's CSV export format, the one [`read_messages`] reads.
//!
//! [`read_messages`]: super::read_messages

use std::io::Write;

use super::error::HotError;
use super::message::HotMessage;
use super::reader::{DISLIKES, ID, LIKES, TEXT, TIME, TITLE, USER};
use crate::cell::neutralise;

/// Writes `messages` as CSV with the header 留言编号, 留言用户, 留言主题, 留言时间, 留言详情,
/// 反对数, 点赞数 (times as `2019/4/25 9:32:09`); text that a spreadsheet would take for a
/// formula is quoted ([`neutralise`]).
pub fn write_messages_to(messages: &[HotMessage], output: impl Write) -> Result<(), HotError> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record([ID, USER, TITLE, TIME, TEXT, DISLIKES, LIKES])?;
    for m in messages {
        writer.write_record([
            neutralise(&m.id).as_ref(),
            &neutralise(&m.user),
            &neutralise(&m.title),
            &m.time.format("%Y/%-m/%-d %-H:%M:%S").to_string(),
            &neutralise(&m.text),
            &m.dislikes.to_string(),
            &m.likes.to_string(),
        ])?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(())
}
