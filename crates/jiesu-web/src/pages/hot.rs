//! Hot issues (热点问题) for leaders, supervisors, dispatchers and admins: the same cached
//! analysis as `/api/hot`, ranked by heat, each group opening to its appeals.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiesu_app::hot::{CONCENTRATION_DAYS, Heat};
use serde::Deserialize;

use super::{PageError, Shell, encode, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// The periods offered, in days.
const PERIODS: [i64; 3] = [7, 30, 90];
/// Groups shown.
const TOP: usize = 50;
/// Member numbers looked up to link their appeal pages directly (one query each); the rest
/// link to the list searched by number.
const LOOKUPS: usize = 300;

pub struct Period {
    pub days: i64,
    pub selected: bool,
}

/// A member appeal: its number and where it opens.
pub struct Member {
    pub number: String,
    pub href: String,
}

/// One part of a group's heat as shown: its name, its value in words and what it adds.
pub struct HeatPart {
    pub name: &'static str,
    pub value: String,
    pub adds: String,
}

pub struct Group {
    pub rank: usize,
    pub heat: String,
    pub parts: Vec<HeatPart>,
    pub count: usize,
    pub users: usize,
    pub place: String,
    pub description: String,
    pub keywords: String,
    pub first: String,
    pub last: String,
    pub members: Vec<Member>,
}

#[derive(Template)]
#[template(path = "hot.html")]
struct HotPage {
    shell: Shell,
    periods: Vec<Period>,
    days: i64,
    appeals: usize,
    groups: Vec<Group>,
}

#[derive(Deserialize, Default)]
pub struct HotQuery {
    #[serde(default)]
    days: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<HotQuery>,
) -> Result<Response, PageError> {
    let days = q.days.filter(|d| PERIODS.contains(d)).unwrap_or(30);
    let report = state.hot_issues(days).await?;
    // Member ids are appeal numbers; open each appeal directly when it is found.
    let numbers: Vec<String> = report
        .groups
        .iter()
        .take(TOP)
        .flat_map(|g| g.member_ids.iter().cloned())
        .take(LOOKUPS)
        .collect();
    let mut ids = std::collections::HashMap::new();
    for number in numbers {
        if let Ok((a, _)) = state.store.appeal_by_number(&number).await {
            ids.insert(number, a.id.0);
        }
    }
    let groups = report
        .groups
        .into_iter()
        .take(TOP)
        .enumerate()
        .map(|(i, g)| Group {
            rank: i + 1,
            heat: format!("{:.1}", g.heat),
            parts: heat_parts(&g.parts),
            count: g.count,
            users: g.users,
            place: g.place,
            description: g.description,
            keywords: g.keywords.join("、"),
            first: g.first.format("%Y-%m-%d %H:%M").to_string(),
            last: g.last.format("%Y-%m-%d %H:%M").to_string(),
            members: g
                .member_ids
                .into_iter()
                .map(|number| Member {
                    href: match ids.get(&number) {
                        Some(id) => format!("/appeals/{id}"),
                        None => format!("/appeals?q={}", encode(&number)),
                    },
                    number,
                })
                .collect(),
        })
        .collect();
    Ok(render(&HotPage {
        shell: Shell::load(&state, &user.0, "热点问题", "/hot").await,
        periods: PERIODS
            .iter()
            .map(|&d| Period {
                days: d,
                selected: d == days,
            })
            .collect(),
        days,
        appeals: report.appeals,
        groups,
    }))
}

/// The heat's four parts (see `jiesu_text::hot::heat`) with their values and contributions.
fn heat_parts(h: &Heat) -> Vec<HeatPart> {
    let part = |name, value: String, adds: f64| HeatPart {
        name,
        value,
        adds: format!("+{adds:.2}"),
    };
    vec![
        part("诉求人数", format!("{} 人", h.citizens), h.volume_part),
        part(
            "公众关注",
            format!("点赞 {}，反对 {}", h.likes, h.dislikes),
            h.attention_part,
        ),
        part(
            "时间集中度",
            format!(
                "{CONCENTRATION_DAYS} 天内最多 {} 件（占 {:.0}%）",
                h.peak,
                100.0 * h.concentration
            ),
            h.concentration_part,
        ),
        part(
            "增长势头",
            format!("{:.0}%", 100.0 * h.growth),
            h.growth_part,
        ),
    ]
}
