//! The point an appeal names, chosen on the intake forms (staff intake and the portal):
//! every service point (便民点位), grouped by kind in the kinds' order, each with its
//! district and street so points of the same name tell apart.

use crate::pages::PageError;
use crate::state::AppState;

/// One point in the list.
pub struct PointOpt {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

/// The points of one kind (an `<optgroup>`).
pub struct PointGroup {
    pub kind: String,
    pub points: Vec<PointOpt>,
}

/// Every point by kind, `selected` (the form's value, a point id) chosen.
pub async fn point_groups(state: &AppState, selected: &str) -> Result<Vec<PointGroup>, PageError> {
    let index = state.point_index().await?;
    let kinds = state.point_kinds().await?;
    let selected = selected.trim().parse::<i64>().ok();
    Ok(kinds
        .into_iter()
        .map(|kind| {
            let mut points: Vec<PointOpt> = index
                .points()
                .iter()
                .filter(|p| p.draft.kind == kind.name)
                .map(|p| PointOpt {
                    id: p.id,
                    label: format!("{}（{}{}）", p.draft.name, p.draft.district, p.draft.street),
                    selected: Some(p.id) == selected,
                })
                .collect();
            points.sort_by(|a, b| a.label.cmp(&b.label));
            PointGroup {
                kind: kind.name,
                points,
            }
        })
        .filter(|g| !g.points.is_empty())
        .collect())
}
