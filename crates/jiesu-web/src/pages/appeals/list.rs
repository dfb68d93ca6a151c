//! The searchable list of appeals (诉求查询): the store's filters, or the full-text index
//! with highlighted snippets when one is attached.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use jiesu_app::search::Search;
use jiesu_app::visibility::visible_bodies;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::body::Body;
use jiesu_domain::deadline::DeadlineState;
use jiesu_domain::ids::AppealId;
use jiesu_domain::kinds::{AppealType, Channel};
use jiesu_domain::status::Status;
use jiesu_search::{Hit, SearchResults};
use jiesu_store::{AppealFilter, AppealOrder, Page};
use serde::Deserialize;

use super::row::{Row, Sorts, rows};
use crate::extract::CurrentUser;
use crate::pages::support::{Opt, day_start, options};
use crate::pages::{PageError, Shell, encode, render};
use crate::state::AppState;

/// Rows per list page.
pub const PAGE_ROWS: i64 = 20;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    r#type: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// `warning` (临期) or `overdue` (超期).
    #[serde(default)]
    deadline: String,
    /// `1`: only flagged appeals (挂牌督办).
    #[serde(default)]
    flagged: String,
    /// The order ([`AppealOrder::code`]); newest first when absent or unknown.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<Row>,
    sorts: Sorts,
    total: i64,
    /// False when more match than were counted: `total` (and the page count) is a floor.
    exact: bool,
    page: i64,
    pages: i64,
    q: String,
    from: String,
    to: String,
    deadlines: Vec<Opt>,
    orders: Vec<Opt>,
    flagged: bool,
    statuses: Vec<Opt>,
    types: Vec<Opt>,
    channels: Vec<Opt>,
    categories: Vec<Opt>,
    district: String,
    /// A full-text index is attached (the district filter needs it).
    has_index: bool,
    /// Full-text hits (with highlighted snippets) when the index answered.
    hits: Vec<SearchRow>,
    /// The index answered, but may miss recent changes.
    incomplete: bool,
    /// A query the index could not read (the Chinese message).
    query_error: Option<String>,
    prev_link: Option<String>,
    next_link: Option<String>,
}

/// The deadline filter of a list link: `warning` (临期) or `overdue` (超期).
fn deadline_param(text: &str) -> Option<DeadlineState> {
    match text.trim() {
        "warning" => Some(DeadlineState::Warning),
        "overdue" => Some(DeadlineState::Overdue),
        _ => None,
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let statuses: Vec<Status> = query
        .status
        .split(',')
        .filter_map(|s| Status::from_code(s.trim()))
        .collect();
    let filter = AppealFilter {
        statuses,
        bodies: visible_bodies(&user.0, &bodies),
        category_l1: Some(query.category.trim().to_string()).filter(|s| !s.is_empty()),
        channel: Channel::parse(&query.channel).ok(),
        appeal_type: AppealType::parse(&query.r#type).ok(),
        from: date(&query.from).map(day_start),
        to: date(&query.to).and_then(|d| d.succ_opt()).map(day_start),
        words: Some(query.q.trim().to_string()).filter(|s| !s.is_empty()),
        deadline: deadline_param(&query.deadline).map(|s| (s, Utc::now())),
        flagged: query.flagged == "1",
        order: AppealOrder::from_code(query.sort.trim()).unwrap_or_default(),
    };
    let page_no = query.page.unwrap_or(1).max(1);
    let offset = (page_no - 1).saturating_mul(PAGE_ROWS);
    let (mut hits, mut incomplete, mut query_error) = (Vec::new(), false, None);
    let (total, exact, items) = match state.search() {
        // The index has no deadline or 挂牌 filter: those lists come from the store.
        Some(search) if Search::can_list(&filter) => {
            match full_text(&search, &filter, &query.district, offset).await {
                Ok(found) => {
                    incomplete = !found.complete;
                    let appeals = state.store.appeals_by_ids(&ids_of(&found)).await?;
                    hits = search_rows(&state, &bodies, appeals, found.hits).await?;
                    (found.total as i64, true, Vec::new())
                }
                Err(message) => {
                    query_error = Some(message);
                    (0, true, Vec::new())
                }
            }
        }
        _ => {
            let found = state
                .store
                .list_appeals(&filter, Page::new(offset, PAGE_ROWS))
                .await?;
            (found.total, found.exact, found.items)
        }
    };
    let pages = ((total + PAGE_ROWS - 1) / PAGE_ROWS).max(1);
    // Past an inexact count the next page is offered while pages come full.
    let more = page_no < pages || (!exact && items.len() as i64 == PAGE_ROWS);
    // The list's link without page or order: the sort links start from it.
    let unsorted = format!(
        "/appeals?status={}&type={}&channel={}&category={}&district={}&q={}&from={}&to={}&deadline={}&flagged={}&",
        encode(&query.status),
        encode(&query.r#type),
        encode(&query.channel),
        encode(&query.category),
        encode(&query.district),
        encode(&query.q),
        encode(&query.from),
        encode(&query.to),
        encode(&query.deadline),
        encode(&query.flagged),
    );
    let link = |p: i64| format!("{unsorted}sort={}&page={p}", filter.order.code());
    let taxonomy = state.taxonomy();
    let all = [("", "全部")];
    let page = ListPage {
        shell: Shell::load(&state, &user.0, "诉求查询", "/appeals").await,
        rows: rows(&state, &bodies, items, false).await?,
        sorts: Sorts::new(unsorted.clone(), filter.order),
        total,
        exact,
        hits,
        incomplete,
        query_error,
        page: page_no,
        pages,
        prev_link: (page_no > 1).then(|| link(page_no - 1)),
        next_link: more.then(|| link(page_no + 1)),
        statuses: options(
            all.into_iter()
                .chain(Status::ALL.iter().map(|s| (s.code(), s.label()))),
            &query.status,
        ),
        types: options(
            all.into_iter()
                .chain(AppealType::ALL.iter().map(|t| (t.label(), t.label()))),
            &query.r#type,
        ),
        channels: options(
            all.into_iter()
                .chain(Channel::ALL.iter().map(|c| (c.label(), c.label()))),
            &query.channel,
        ),
        categories: options(
            all.into_iter()
                .chain(taxonomy.first_levels().into_iter().map(|c| (c, c))),
            &query.category,
        ),
        deadlines: options(
            all.into_iter()
                .chain([("warning", "临期"), ("overdue", "超期")]),
            &query.deadline,
        ),
        orders: options(
            AppealOrder::ALL.iter().map(|o| (o.code(), o.label())),
            filter.order.code(),
        ),
        flagged: query.flagged == "1",
        q: query.q,
        district: query.district,
        has_index: state.search().is_some(),
        from: query.from,
        to: query.to,
    };
    Ok(render(&page))
}

/// One full-text hit: the table row and the index's highlighted snippets.
pub struct SearchRow {
    pub row: Row,
    /// Escaped HTML from the index with `<mark>` around the matches (shown with `|safe`).
    pub title_html: String,
    pub text_html: String,
}

/// Asks the index for one page of the list's filters. A query the index cannot read
/// answers its Chinese message.
async fn full_text(
    search: &Search,
    filter: &AppealFilter,
    district: &str,
    offset: i64,
) -> Result<SearchResults, String> {
    let district = Some(district.trim().to_string()).filter(|d| !d.is_empty());
    match search
        .list(filter, district, Page::new(offset, PAGE_ROWS))
        .await
    {
        Ok(found) => Ok(found),
        Err(e) if e.is_bad_query() => Err(e.to_string()),
        Err(e) => {
            tracing::error!(error = %e, "page search failed");
            Err("检索失败，请稍后重试。".into())
        }
    }
}

fn ids_of(found: &SearchResults) -> Vec<AppealId> {
    found.hits.iter().map(|h| h.id).collect()
}

/// The hits in the index's order, each with its stored appeal (a hit whose appeal is gone
/// is left out).
async fn search_rows(
    state: &AppState,
    bodies: &[Body],
    appeals: Vec<Appeal>,
    hits: Vec<Hit>,
) -> Result<Vec<SearchRow>, PageError> {
    let mut ordered = Vec::with_capacity(hits.len());
    let mut snippets = Vec::with_capacity(hits.len());
    for hit in hits {
        if let Some(a) = appeals.iter().find(|a| a.id == hit.id) {
            ordered.push(a.clone());
            snippets.push((hit.title_snippet, hit.text_snippet));
        }
    }
    let rows = rows(state, bodies, ordered, false).await?;
    Ok(rows
        .into_iter()
        .zip(snippets)
        .map(|(row, (title_html, text_html))| SearchRow {
            row,
            title_html,
            text_html,
        })
        .collect())
}
