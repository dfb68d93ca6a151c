//! Errors of the calendar (工作日历错误).

use thiserror::Error;

/// Why a calendar file or a working-hours setting was refused (工作日历错误).
///
/// Line-level variants carry the 1-based line number and the line's text so an admin can
/// find the mistake in the file they uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The line does not follow `DATE[..DATE] off|work [NAME]` or `year YYYY`.
    #[error("日历文件第 {line} 行「{content}」格式有误：{reason}")]
    Malformed {
        line: usize,
        content: String,
        reason: String,
    },
    /// The keyword is neither `off` nor `work`.
    #[error(
        "日历文件第 {line} 行「{content}」的类型「{keyword}」未知，应为 off（放假）或 work（调休上班）"
    )]
    UnknownKeyword {
        line: usize,
        content: String,
        keyword: String,
    },
    /// A range ends before it starts, or the entry comes before the previous one.
    #[error("日历文件第 {line} 行「{content}」日期顺序有误：{reason}")]
    OutOfOrder {
        line: usize,
        content: String,
        reason: String,
    },
    /// The entry repeats an earlier one.
    #[error("日历文件第 {line} 行「{content}」与第 {other_line} 行重复")]
    Duplicate {
        line: usize,
        content: String,
        other_line: usize,
    },
    /// The entry shares days with an earlier one.
    #[error("日历文件第 {line} 行「{content}」与第 {other_line} 行的日期重叠")]
    Overlap {
        line: usize,
        content: String,
        other_line: usize,
    },
    /// A date lies outside the year the file declares.
    #[error("日历文件第 {line} 行「{content}」的日期不属于声明的 {declared} 年")]
    WrongYear {
        line: usize,
        content: String,
        declared: i32,
    },
    /// A `work` (调休上班) day that is already a Monday–Friday working day.
    #[error("日历文件第 {line} 行「{content}」：调休上班日 {date} 不是周六或周日")]
    WorkOnWeekday {
        line: usize,
        content: String,
        date: String,
    },
    /// No `year YYYY` line before the first entry.
    #[error("日历文件缺少年份声明（第一条有效内容应为「year YYYY」）")]
    MissingYear,
    /// The declared year is outside the supported span.
    #[error("日历文件第 {line} 行：年份 {year} 超出支持范围（{min}–{max}）")]
    YearOutOfRange {
        line: usize,
        year: i32,
        min: i32,
        max: i32,
    },
    /// The working-hours setting (工作时间) is invalid.
    #[error("工作时间设置「{content}」有误：{reason}")]
    WorkingHours { content: String, reason: String },
    /// A number of working hours that is negative or not a number.
    #[error("工作时长「{value}」不合法：应为非负数")]
    InvalidAmount { value: String },
}
