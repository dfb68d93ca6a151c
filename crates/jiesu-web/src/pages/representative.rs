//! The representative's home (代表工作台): the appeals received at liaison stations (联络站),
//! the ones still being handled that the representative follows, and the ones answered —
//! not the operator's workbench.

use askama::Template;
use axum::response::Response;
use jiesu_domain::body::Body;
use jiesu_domain::kinds::Channel;
use jiesu_domain::status::Status;
use jiesu_domain::user::User;
use jiesu_store::{AppealFilter, AppealOrder, Page};

use super::appeals::{Row, Sorts, rows};
use super::{PageError, Shell, encode, render};
use crate::state::AppState;

/// Rows of each list on the page (the full list is on /appeals).
const ROWS: i64 = 10;

#[derive(Template)]
#[template(path = "representative.html")]
struct RepresentativePage {
    shell: Shell,
    following_total: i64,
    following: Vec<Row>,
    answered_total: i64,
    answered: Vec<Row>,
    all_link: String,
    /// The table headers' sort links: to the full list of the station's appeals.
    sorts: Sorts,
}

pub async fn home(state: &AppState, user: &User, bodies: &[Body]) -> Result<Response, PageError> {
    let station = |statuses: Vec<Status>| AppealFilter {
        channel: Some(Channel::LiaisonStation),
        statuses,
        ..AppealFilter::default()
    };
    let open: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect();
    let following = state
        .store
        .list_appeals(&station(open), Page::new(0, ROWS))
        .await?;
    let answered = state
        .store
        .list_appeals(
            &station(vec![Status::Closed, Status::Archived]),
            Page::new(0, ROWS),
        )
        .await?;
    let all_link = format!(
        "/appeals?channel={}",
        encode(Channel::LiaisonStation.label())
    );
    Ok(render(&RepresentativePage {
        shell: Shell::load(state, user, "代表工作台 · 联络站受理", "/").await,
        following_total: following.total,
        following: rows(state, bodies, following.items, false).await?,
        answered_total: answered.total,
        answered: rows(state, bodies, answered.items, false).await?,
        all_link: all_link.clone(),
        sorts: Sorts::new(format!("{all_link}&"), AppealOrder::default()),
    }))
}
