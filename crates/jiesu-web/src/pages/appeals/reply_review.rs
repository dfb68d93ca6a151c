//! The reply review panel (答复评价) of the review form: the four scores of the reply under
//! review and its gaps, for the reviewer to read before deciding.

use jiesu_domain::ids::AppealId;
use jiesu_store::ReplyScore;

use crate::pages::PageError;
use crate::state::AppState;

/// One score as a labelled meter.
pub struct ScoreRow {
    pub label: &'static str,
    pub value: f64,
    /// The score in percent, rounded.
    pub percent: u32,
}

/// What the panel shows.
pub struct ReplyReviewPanel {
    pub scores: Vec<ScoreRow>,
    pub overall: u32,
    /// `good` (≥ 80), `fair` (≥ 60) or `poor`.
    pub level: &'static str,
    pub gaps: Vec<String>,
}

impl ReplyReviewPanel {
    fn of(score: &ReplyScore) -> Self {
        let percent = |v: f64| (v * 100.0).round().clamp(0.0, 100.0) as u32;
        let scores = [
            ("针对性", score.relevance),
            ("完整性", score.completeness),
            ("语气规范", score.tone),
            ("及时性", score.timeliness),
        ]
        .into_iter()
        .map(|(label, value)| ScoreRow {
            label,
            value,
            percent: percent(value),
        })
        .collect();
        let overall = percent(score.overall);
        ReplyReviewPanel {
            scores,
            overall,
            level: match overall {
                80.. => "good",
                60..80 => "fair",
                _ => "poor",
            },
            gaps: score.gaps.clone(),
        }
    }
}

/// The panel for the latest reply of appeal `id` (scored now if it was not yet); `None`
/// when it has no reply.
pub async fn panel(state: &AppState, id: AppealId) -> Result<Option<ReplyReviewPanel>, PageError> {
    Ok(state
        .reply_review(id)
        .await?
        .as_ref()
        .map(ReplyReviewPanel::of))
}
