//! The supervision office's board (督查看板): per lead body, how many live tasks, how many
//! done, 临期 and 超期, and the on-time rates that feed the body's assessment.

use jiesu_store::{BoardRow, DocumentRow, Store, TaskFilter};
use serde::Serialize;

use crate::error::AppResult;

/// One body's line, with its name and rates (0 to 1; `None` when nothing was due).
#[derive(Debug, Clone, Serialize)]
pub struct BodyLine {
    pub body_name: String,
    #[serde(flatten)]
    pub counts: BoardRow,
    /// Done or closed among its tasks (完成率).
    pub completion: Option<f64>,
    /// Reports on time, milestones on time, tasks done on time (按时率).
    pub reports_on_time_rate: Option<f64>,
    pub milestones_on_time_rate: Option<f64>,
    pub done_on_time_rate: Option<f64>,
    /// All three together: what the assessment reads (任务按时率).
    pub on_time_rate: Option<f64>,
}

/// One source document's line of the leader's view, with its completion (完成率).
#[derive(Debug, Clone, Serialize)]
pub struct DocumentLine {
    #[serde(flatten)]
    pub counts: DocumentRow,
    pub completion: Option<f64>,
}

/// The board and its totals: per lead body, and per source document (the leader's view).
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub bodies: Vec<BodyLine>,
    pub documents: Vec<DocumentLine>,
    pub tasks: i64,
    pub done: i64,
    pub due_soon: i64,
    pub late: i64,
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl BodyLine {
    pub fn of(counts: BoardRow, body_name: String) -> BodyLine {
        let c = &counts;
        BodyLine {
            completion: rate(c.done, c.tasks),
            reports_on_time_rate: rate(c.reports_on_time, c.reports),
            milestones_on_time_rate: rate(c.milestones_on_time, c.milestones_done),
            done_on_time_rate: rate(c.done_on_time, c.done),
            on_time_rate: rate(
                c.reports_on_time + c.milestones_on_time + c.done_on_time,
                c.reports + c.milestones_done + c.done,
            ),
            body_name,
            counts,
        }
    }
}

/// The board for the live tasks `filter` takes (its status is for lists, not the sums).
pub async fn board(store: &dyn Store, filter: &TaskFilter) -> AppResult<Board> {
    let (rows, documents, bodies) = tokio::try_join!(
        store.task_board(filter),
        store.document_board(filter),
        store.bodies()
    )?;
    let lines: Vec<BodyLine> = rows
        .into_iter()
        .map(|row| {
            let name = bodies
                .iter()
                .find(|b| b.id == row.body)
                .map_or_else(|| format!("单位 {}", row.body.0), |b| b.name.clone());
            BodyLine::of(row, name)
        })
        .collect();
    let sum = |f: fn(&BoardRow) -> i64| lines.iter().map(|l| f(&l.counts)).sum();
    Ok(Board {
        tasks: sum(|c| c.tasks),
        done: sum(|c| c.done),
        due_soon: sum(|c| c.due_soon),
        late: sum(|c| c.late),
        bodies: lines,
        documents: documents
            .into_iter()
            .map(|counts| DocumentLine {
                completion: rate(counts.done, counts.tasks),
                counts,
            })
            .collect(),
    })
}
