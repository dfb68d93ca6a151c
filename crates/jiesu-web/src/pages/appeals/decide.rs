//! What the dispatcher's decision starts from (派单参考): smart dispatch's suggestion for the
//! appeal — the same answer `/api/dispatch/suggest` gives — and the open appeals about the
//! same thing in the same place, offered for 并案.

use chrono::{Duration, Utc};
use jiesu_app::visibility::may_see;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::category::CategoryPath;
use jiesu_domain::ids::BodyId;

use crate::extract::CurrentUser;
use crate::pages::PageError;
use crate::pages::support::{body_name, fmt_time};
use crate::state::AppState;

/// How many 并案 candidates the page offers.
const CANDIDATES: usize = 5;

/// How far back 并案 candidates are looked for, in days.
const CANDIDATE_DAYS: i64 = 60;

/// Smart dispatch's suggestion as the dispatch form shows it (派单建议).
pub struct Suggestion {
    /// The deepest category path the taxonomy knows (`A/B/C`), or `-` for none.
    pub category: String,
    /// The top category's confidence as people read it, e.g. "87%".
    pub confidence: String,
    pub lead: Option<BodyId>,
    pub lead_name: String,
    /// Where the body comes from: 派单规则, 历史派单 or 属地.
    pub source: &'static str,
    /// The words that weighed most, heaviest first.
    pub words: String,
    /// Why the suggestion should not be trusted without reading, if so.
    pub caution: Option<String>,
}

impl Suggestion {
    /// Whether there is something to apply in one click: a body to send it to.
    pub fn usable(&self) -> bool {
        self.lead.is_some()
    }
}

fn percent(p: f32) -> String {
    if p >= 0.995 {
        "99% 以上".into()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// The suggestion for `appeal`'s title, text and address.
pub fn suggestion(state: &AppState, appeal: &Appeal, bodies: &[Body]) -> Suggestion {
    let s = state
        .assistant()
        .suggest(&appeal.title, &appeal.text, &appeal.place.address);
    let taxonomy = state.taxonomy();
    let mut levels: Vec<String> = s
        .categories
        .first()
        .map(|c| c.0.clone())
        .into_iter()
        .collect();
    levels.extend(s.lower_levels.iter().map(|l| l.0.clone()));
    // The deepest prefix the taxonomy knows.
    let category = (1..=levels.len())
        .rev()
        .filter_map(|n| CategoryPath::new(levels[..n].to_vec()).ok())
        .find(|p| taxonomy.contains(p))
        .map(|p| p.levels().join("/"))
        .unwrap_or_else(|| "-".into());
    let lead = s.body.as_ref().map(|b| b.id);
    Suggestion {
        category,
        confidence: percent(s.confidence),
        lead,
        lead_name: body_name(bodies, lead),
        source: match s.body.as_ref().map(|b| b.source) {
            Some("routing") => "派单规则",
            Some("area") => "属地",
            _ => "历史派单",
        },
        words: s
            .words
            .iter()
            .filter(|(w, _)| w.chars().count() > 1)
            .take(6)
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        caution: s.reason,
    }
}

/// An open appeal likely about the same thing in the same place (并案候选).
pub struct Candidate {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub status_label: &'static str,
    pub created: String,
}

/// Open appeals of the last [`CANDIDATE_DAYS`] days in `appeal`'s district (when it names
/// one) whose text is most like its own, that `user` may see and it may be merged into.
/// Empty without a search index.
pub async fn candidates(
    state: &AppState,
    user: &CurrentUser,
    appeal: &Appeal,
    bodies: &[Body],
) -> Result<Vec<Candidate>, PageError> {
    let Some(search) = state.search() else {
        return Ok(Vec::new());
    };
    let (title, text) = (appeal.title.clone(), appeal.text.clone());
    let district = appeal.place.district.clone();
    let since = Utc::now() - Duration::days(CANDIDATE_DAYS);
    let place = district.clone();
    let found = tokio::task::spawn_blocking(move || {
        search
            .index
            .similar(&title, &text, place.as_deref(), since, true, CANDIDATES + 1)
    })
    .await
    .map_err(|_| PageError::internal())?
    .unwrap_or_else(|e| {
        tracing::warn!(error = %e, "merge candidates unavailable");
        Vec::new()
    });
    let ids: Vec<_> = found
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| *id != appeal.id)
        .collect();
    let appeals = state.store.appeals_by_ids(&ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| appeals.iter().find(|a| a.id == *id))
        .filter(|a| a.status.is_open() && a.merged_into.is_none())
        .filter(|a| district.is_none() || a.place.district == district)
        .filter(|a| may_see(&user.0, bodies, a))
        .take(CANDIDATES)
        .map(|a| Candidate {
            id: a.id.0,
            number: a.number.0.clone(),
            title: a.title.clone(),
            status_label: a.status.label(),
            created: fmt_time(a.created_at),
        })
        .collect())
}
