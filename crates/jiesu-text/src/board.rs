//! The message board's CSV exports (留言板导出): the columns every export shares, found by
//! name in any order, with a byte-order mark and stray spaces in the header tolerated. The
//! hot-issue and reply readers each add their own columns.

use std::io::Read;

pub const ID: &str = "留言编号";
pub const USER: &str = "留言用户";
pub const TITLE: &str = "留言主题";
pub const TIME: &str = "留言时间";
pub const TEXT: &str = "留言详情";

/// A CSV reader over an export; rows may have fewer fields than the header.
pub(crate) fn reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().flexible(true).from_reader(input)
}

/// The header of an export, cleaned, to find columns by name.
pub(crate) struct Columns(Vec<String>);

impl Columns {
    pub(crate) fn read<R: Read>(reader: &mut csv::Reader<R>) -> csv::Result<Columns> {
        Ok(Columns(
            reader
                .headers()?
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
                .collect(),
        ))
    }

    /// The position of the column `name`, if the export has it.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|h| h == name)
    }
}
