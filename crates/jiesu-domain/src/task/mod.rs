//! Government tasks (任务, 督查督办): measures of a policy document that bodies carry out and
//! report on, followed by a supervision office (督查室).
//!
//! - [`TaskDraft`]: a task as proposed by an import or written by a supervisor.
//! - [`TaskStatus`]: 草稿 → 未启动 / 推进中 / 已完成 / 逾期 → 已销号, derived from the facts.
//! - [`Cadence`]: how often progress is reported (报送周期) and when the next report is due
//!   on the working-day calendar; [`ReportTiming`] says whether it is 临期 or 超期.
//! - [`Review`]: the office's verdict on a progress report (进展报送).
//! - [`MilestoneDraft`] (节点), [`ReportDraft`] (进展报送), and the clocks the scanner watches
//!   ([`ClockFacts`], [`Timing`]: 正常 / 临期 / 超期).

mod cadence;
mod progress;
mod status;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;

pub use cadence::{Cadence, ReportTiming};
pub use progress::{
    ClockAlert, ClockFacts, MilestoneDraft, ReportDraft, TaskClock, Timing, on_time,
};
pub use status::{Review, TaskFacts, TaskStatus};

/// A task as proposed or written, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDraft {
    /// The source document's title (来源文件).
    #[serde(default)]
    pub document: String,
    /// The measure's numbering in the document: "二、（三）", "1.".
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub section: String,
    pub title: String,
    #[serde(default)]
    pub text: String,
    /// Lead bodies (牵头单位) by name as written.
    #[serde(default)]
    pub lead_bodies: Vec<String>,
    /// Co-bodies (责任单位) by name as written.
    #[serde(default)]
    pub co_bodies: Vec<String>,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub cadence: Cadence,
}

impl TaskDraft {
    /// Trims and checks every field.
    pub fn validated(mut self) -> Result<TaskDraft, DomainError> {
        self.document = clean_text("document", &self.document, 200, false)?;
        self.number = clean_text("number", &self.number, 40, false)?;
        self.section = clean_text("section", &self.section, 200, false)?;
        self.title = clean_text("title", &self.title, 300, true)?;
        self.text = clean_text("text", &self.text, 20_000, false)?;
        for (field, names) in [
            ("lead_bodies", &mut self.lead_bodies),
            ("co_bodies", &mut self.co_bodies),
        ] {
            let mut clean = Vec::with_capacity(names.len());
            for name in names.iter() {
                let name = clean_text(field, name, 100, false)?;
                if !name.is_empty() && !clean.contains(&name) {
                    clean.push(name);
                }
            }
            *names = clean;
        }
        // A cadence given as JSON is checked as its stored form is (day 1 to 31).
        self.cadence = Cadence::parse(&self.cadence.keyword())?;
        Ok(self)
    }
}

/// A progress report's percent: 0 to 100.
pub fn check_percent(percent: i64) -> Result<u8, DomainError> {
    u8::try_from(percent)
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| DomainError::InvalidField {
            field: "percent",
            reason: "进度须在 0 到 100 之间".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_needs_a_title_and_keeps_each_body_once() {
        let draft = TaskDraft {
            document: String::new(),
            number: "1.".into(),
            section: String::new(),
            title: "  ".into(),
            text: String::new(),
            lead_bodies: vec![],
            co_bodies: vec![],
            due: None,
            cadence: Cadence::default(),
        };
        assert!(draft.clone().validated().is_err());
        let draft = TaskDraft {
            title: "推进".into(),
            co_bodies: vec!["市财政局".into(), " 市财政局".into(), String::new()],
            ..draft
        }
        .validated()
        .unwrap();
        assert_eq!(draft.co_bodies, ["市财政局"]);
        assert!(check_percent(101).is_err());
        assert_eq!(check_percent(40).unwrap(), 40);
    }
}
