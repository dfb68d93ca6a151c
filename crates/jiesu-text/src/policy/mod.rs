//! Policy text to task list (政策文件 → 任务清单): a document's plain text — a clean file, a
//! pasted web page or the text of a newspaper column whose lines break inside words — split
//! into its numbered parts and measures, with one proposed task per measure.
//!
//! - [`propose`]: the proposed tasks of a document, in reading order.
//! - [`document_year`]: the year a document was issued in, when its text says so.
//!
//! Parts that only state principles (总体要求, 指导思想, 基本原则, 工作目标…) propose no task;
//! neither do the guarantees (组织保障, 保障措施…) unless a measure there names a body or a
//! deadline: a supervision office follows measures someone has to carry out.

mod bodies;
mod due;
mod lines;
mod marker;
mod measure;
mod outline;
mod year;

use chrono::NaiveDate;
use serde::Serialize;

pub use year::document_year;

/// One proposed task (任务草稿): a measure of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposedTask {
    /// The measure's numbering with its parts': "二、（三）", "1.".
    pub number: String,
    /// The heading of the part the measure is in; empty for a measure at the top.
    pub section: String,
    /// The measure's heading, or its first sentence, without the numbering.
    pub title: String,
    /// Lead bodies (牵头单位) as written.
    pub lead_bodies: Vec<String>,
    /// Co-bodies (责任单位、配合单位) as written.
    pub co_bodies: Vec<String>,
    /// The deadline the text names, resolved against the document's year.
    pub due: Option<NaiveDate>,
    /// The measure's full text, without its numbering.
    pub text: String,
}

/// The tasks a document proposes; `year` resolves deadlines written without one ("年底前").
pub fn propose(text: &str, year: i32) -> Vec<ProposedTask> {
    let lines = lines::lines(text);
    let outline = outline::outline(&lines);
    let first_is_lead = [
        "第一位的为牵头",
        "第一的为牵头",
        "首位的为牵头",
        "第一位为牵头",
    ]
    .iter()
    .any(|phrase| text.contains(phrase));
    measure::measures(&outline)
        .into_iter()
        .filter_map(|m| {
            let mut found = bodies::bodies(&m.text);
            if first_is_lead && found.lead.is_empty() && !found.co.is_empty() {
                found.lead.push(found.co.remove(0));
            }
            let due = due::due(&m.text, year);
            if m.optional && due.is_none() && found.lead.is_empty() && found.co.is_empty() {
                return None;
            }
            Some(ProposedTask {
                due,
                number: m.number,
                section: m.section,
                title: m.title,
                lead_bodies: found.lead,
                co_bodies: found.co,
                text: m.text,
            })
        })
        .collect()
}
