//! Liaison stations (人大代表联络站) and the meetings that raise issues to follow up
//! (协商会议, 月调度, 季协调, 年对接).
//!
//! - [`StationDraft`]: a station — name, address, district and street, the representatives
//!   who receive there, its opening days.
//! - [`ReceptionDraft`]: one reception (接待) at a station: when and who received.
//! - [`Triage`]: the station's judgement of an item raised (分析研判).
//! - [`MeetingDraft`]: a meeting with its participants, minutes and the issues it raised;
//!   each issue becomes a task (任务).

mod meeting;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;
use crate::ids::UserId;
use crate::kinds::labelled_enum;

pub use meeting::{IssueDraft, MeetingDraft, MeetingKind};

/// A liaison station (联络站) as written by an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationDraft {
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub street: String,
    /// The representatives (人大代表) who receive there, by user id.
    #[serde(default)]
    pub representatives: Vec<UserId>,
    /// The days it is open, Monday = 1 … Sunday = 7, each once, in order.
    #[serde(default)]
    pub opening_days: Vec<u8>,
}

impl StationDraft {
    /// Trims and checks every field; representatives and days are kept once, in order.
    pub fn validated(mut self) -> Result<StationDraft, DomainError> {
        self.name = clean_text("name", &self.name, 100, true)?;
        self.address = clean_text("address", &self.address, 200, false)?;
        self.district = clean_text("district", &self.district, 50, false)?;
        self.street = clean_text("street", &self.street, 50, false)?;
        if let Some(day) = self.opening_days.iter().find(|d| !(1..=7).contains(*d)) {
            return Err(DomainError::InvalidField {
                field: "opening_days",
                reason: format!("开放日「{day}」不合法，应为 1（周一）到 7（周日）"),
            });
        }
        self.opening_days.sort_unstable();
        self.opening_days.dedup();
        let mut seen = Vec::with_capacity(self.representatives.len());
        for id in &self.representatives {
            if !seen.contains(id) {
                seen.push(*id);
            }
        }
        self.representatives = seen;
        Ok(self)
    }

    /// "周一、周三" (or "未设置").
    pub fn opening_label(&self) -> String {
        if self.opening_days.is_empty() {
            return "未设置".into();
        }
        self.opening_days
            .iter()
            .map(|d| weekday_label(*d))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Whether the station is open on `date`.
    pub fn open_on(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        let day = date.weekday().number_from_monday() as u8;
        self.opening_days.contains(&day)
    }
}

/// "周一" … "周日" for 1 … 7.
pub fn weekday_label(day: u8) -> &'static str {
    match day {
        1 => "周一",
        2 => "周二",
        3 => "周三",
        4 => "周四",
        5 => "周五",
        6 => "周六",
        _ => "周日",
    }
}

/// Every day of the week, Monday first, as 1 … 7.
pub const WEEK: [u8; 7] = [1, 2, 3, 4, 5, 6, 7];

/// One reception (接待) at a station: the day, who received, a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionDraft {
    pub station: i64,
    pub held_on: NaiveDate,
    /// The representative who received (接待代表).
    pub received_by: UserId,
    #[serde(default)]
    pub note: String,
}

impl ReceptionDraft {
    pub fn validated(mut self) -> Result<ReceptionDraft, DomainError> {
        self.note = clean_text("note", &self.note, 2000, false)?;
        Ok(self)
    }
}

labelled_enum! {
    /// What a station decides to do with an item raised (分析研判).
    Triage, "triage" {
        AnswerOnSpot => "当场答复",
        Dispatch => "转派单",
        Suggestion => "转建议",
        Task => "转任务",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_keeps_its_days_and_representatives_once() {
        let draft = StationDraft {
            name: " 青禾社区联络站 ".into(),
            address: "示范区青禾路1号".into(),
            district: "示范区".into(),
            street: "青禾街道".into(),
            representatives: vec![UserId(3), UserId(2), UserId(3)],
            opening_days: vec![5, 1, 5],
        }
        .validated()
        .unwrap();
        assert_eq!(draft.name, "青禾社区联络站");
        assert_eq!(draft.representatives, [UserId(3), UserId(2)]);
        assert_eq!(draft.opening_days, [1, 5]);
        assert_eq!(draft.opening_label(), "周一、周五");
        assert!(draft.open_on("2026-12-07".parse().unwrap()), "a Monday");
        assert!(!draft.open_on("2026-12-08".parse().unwrap()));
        let bad = StationDraft {
            opening_days: vec![8],
            ..draft.clone()
        };
        assert!(bad.validated().is_err());
        let unnamed = StationDraft {
            name: " ".into(),
            ..draft
        };
        assert!(unnamed.validated().is_err());
        assert_eq!(Triage::parse("转任务").unwrap(), Triage::Task);
    }
}
