//! The home page of each role (工作台): its own queues and counts; for leaders the
//! dashboard (数据驾驶舱) with a trend chart, the category mix, districts, overdue cases by
//! body, the bodies ranking and the flagged cases (挂牌督办).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, Days, NaiveDate, Utc};
use jiesu_domain::body::Body;
use jiesu_domain::deadline::DeadlineState;
use jiesu_domain::status::Status;
use jiesu_domain::user::{Role, User};
use jiesu_store::{AppealFilter, AppealOrder, AppealPage, CountGroup, Page};

use super::appeals::{Row, Sorts, rows};
use super::support::{body_name, day_start, fmt_time, today};
use super::{PageError, Shell, chart, render};
use crate::extract::CurrentUser;
use crate::state::AppState;
use jiesu_app::visibility::visible_bodies;

/// Rows of each queue on the home page (the full list is paginated on /appeals).
const QUEUE_ROWS: i64 = 10;

pub struct Stat {
    pub label: &'static str,
    pub value: i64,
    pub tone: &'static str,
    pub href: String,
}

pub struct Queue {
    pub id: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    pub total: i64,
    pub rows: Vec<Row>,
    pub more: String,
    /// The header's sort links, to the full list.
    pub sorts: Sorts,
    /// Header of the extra column, if the queue shows one.
    pub extra: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    stats: Vec<Stat>,
    queues: Vec<Queue>,
    intake: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    shell: Shell,
    d: Arc<Dashboard>,
    flagged: Queue,
    /// Service points with repeated complaints (便民点位).
    complained: Vec<super::points::Complained>,
}

/// What a queue lists: the status or deadline filter, and its link to the full list. A
/// deadline queue may keep to the states the role acts on (none named: all).
#[derive(Clone, Copy, Debug)]
enum Pick {
    Status(Status),
    Deadline(DeadlineState, &'static [Status]),
    Flagged,
}

impl Pick {
    fn filter(self, base: &AppealFilter) -> AppealFilter {
        let mut f = base.clone();
        match self {
            Pick::Status(s) => f.statuses = vec![s],
            Pick::Deadline(d, statuses) => {
                f.deadline = Some((d, Utc::now()));
                f.statuses = statuses.to_vec();
            }
            Pick::Flagged => f.flagged = true,
        }
        f.order = self.order();
        f
    }

    /// Work queues put the nearest deadline (the most overdue) first; the flagged cases
    /// come newest first.
    fn order(self) -> AppealOrder {
        match self {
            Pick::Flagged => AppealOrder::Newest,
            _ => AppealOrder::Deadline,
        }
    }

    /// Deadline and flag filters read columns the store does not index yet (a full scan at
    /// 100,000 appeals): their queues are reused for a short while.
    fn cached(self) -> bool {
        !matches!(self, Pick::Status(_))
    }

    /// The full list's link without its order, ending with `&`.
    fn unsorted_link(self) -> String {
        match self {
            Pick::Status(s) => format!("/appeals?status={}&", s.code()),
            Pick::Deadline(d, statuses) => format!(
                "/appeals?deadline={}&status={}&",
                match d {
                    DeadlineState::Overdue => "overdue",
                    _ => "warning",
                },
                statuses
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Pick::Flagged => "/appeals?flagged=1&".into(),
        }
    }

    fn link(self) -> String {
        format!("{}sort={}", self.unsorted_link(), self.order().code())
    }

    fn sorts(self) -> Sorts {
        Sorts::new(self.unsorted_link(), self.order())
    }
}

/// A queue of the home page: id, title, hint, what it lists, the extra column's header.
type QueueSpec = (
    &'static str,
    &'static str,
    &'static str,
    Pick,
    Option<&'static str>,
);

fn count(counts: &[(Status, i64)], status: Status) -> i64 {
    counts
        .iter()
        .filter(|(s, _)| *s == status)
        .map(|(_, n)| n)
        .sum()
}

/// The counts by status of `filter`, from one grouped query.
async fn by_status(
    state: &AppState,
    filter: &AppealFilter,
) -> Result<Vec<(Status, i64)>, PageError> {
    Ok(state
        .store
        .count_by(filter, CountGroup::Status)
        .await?
        .into_iter()
        .filter_map(|(k, n)| Status::from_code(&k).map(|s| (s, n)))
        .collect())
}

/// Appeals received since the start of `day` (one grouped query, summed).
async fn received_since(
    state: &AppState,
    base: &AppealFilter,
    day: NaiveDate,
) -> Result<i64, PageError> {
    let filter = AppealFilter {
        from: Some(day_start(day)),
        ..base.clone()
    };
    Ok(by_status(state, &filter)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum())
}

/// How long a deadline or flag queue is reused (an action on the pages clears them).
const QUEUE_TTL: Duration = Duration::from_secs(30);

type QueueCache = Vec<((usize, String), Instant, Arc<AppealPage>)>;
static QUEUES: Mutex<QueueCache> = Mutex::new(Vec::new());

/// Forgets the reused queues (after an action, so the acting user sees it at once).
pub fn invalidate() {
    if let Ok(mut cache) = QUEUES.lock() {
        cache.clear();
    }
}

/// The first rows of a queue and its total, reused for [`QUEUE_TTL`] when `pick` is cached.
async fn first_rows(
    state: &AppState,
    base: &AppealFilter,
    pick: Pick,
) -> Result<Arc<AppealPage>, PageError> {
    let key = (
        Arc::as_ptr(&state.store) as *const () as usize,
        format!("{pick:?}{:?}", base.bodies),
    );
    if pick.cached()
        && let Ok(cache) = QUEUES.lock()
        && let Some((_, _, found)) = cache
            .iter()
            .find(|(k, at, _)| *k == key && at.elapsed() < QUEUE_TTL)
    {
        return Ok(found.clone());
    }
    let found = Arc::new(
        state
            .store
            .list_appeals(&pick.filter(base), Page::new(0, QUEUE_ROWS))
            .await?,
    );
    if pick.cached()
        && let Ok(mut cache) = QUEUES.lock()
    {
        cache.retain(|(k, at, _)| *k != key && at.elapsed() < QUEUE_TTL);
        cache.push((key, Instant::now(), found.clone()));
    }
    Ok(found)
}

async fn queue(
    state: &AppState,
    bodies: &[Body],
    base: &AppealFilter,
    (id, title, hint, pick, extra): QueueSpec,
) -> Result<Queue, PageError> {
    let found = first_rows(state, base, pick).await?;
    Ok(Queue {
        id,
        title,
        hint,
        total: found.total,
        rows: rows(state, bodies, found.items.clone(), extra.is_some()).await?,
        more: pick.link(),
        sorts: pick.sorts(),
        extra,
    })
}

pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let user = user.0;
    let bodies = state.store.bodies().await?;
    if user.role == Role::Leader {
        return leader_home(&state, &user, &bodies).await;
    }
    if user.role == Role::Representative {
        return super::representative::home(&state, &user, &bodies).await;
    }
    let base = AppealFilter {
        bodies: visible_bodies(&user, &bodies),
        ..AppealFilter::default()
    };
    let counts = by_status(&state, &base).await?;
    let stat = |label, status: Status, tone| Stat {
        label,
        value: count(&counts, status),
        tone,
        href: Pick::Status(status).link(),
    };
    use Status::*;
    let received = if matches!(
        user.role,
        Role::Operator | Role::Representative | Role::Dispatcher
    ) {
        received_since(&state, &base, today()).await?
    } else {
        0
    };
    let received_today = |tone| Stat {
        label: "今日受理",
        value: received,
        tone,
        href: "/appeals".into(),
    };
    let (stats, queue_specs): (Vec<Stat>, Vec<QueueSpec>) = match user.role {
        Role::Operator | Role::Representative => (
            vec![
                received_today("blue"),
                stat("待派单", Registered, "amber"),
                stat("待回访", AwaitingCallback, "teal"),
                stat("已办结", Closed, "green"),
            ],
            vec![(
                "q-registered",
                "待派单诉求",
                "已受理、等待派单员派单的诉求",
                Pick::Status(Registered),
                None,
            )],
        ),
        Role::Dispatcher => (
            vec![
                stat("待派单", Registered, "amber"),
                stat("退单待审", Returned, "red"),
                stat("待签收", Dispatched, "blue"),
                received_today("teal"),
            ],
            vec![
                (
                    "q-registered",
                    "待派单",
                    "确认分类和承办单位后派单，重复诉求可并案",
                    Pick::Status(Registered),
                    None,
                ),
                (
                    "q-returned",
                    "退单待审",
                    "承办单位退回的诉求：核实退单理由后改派",
                    Pick::Status(Returned),
                    Some("退单理由"),
                ),
            ],
        ),
        Role::Handler => (
            vec![
                stat("待签收", Dispatched, "amber"),
                stat("办理中", Handling, "blue"),
                stat("待审核", Replied, "teal"),
                stat("已办结", Closed, "green"),
            ],
            vec![
                (
                    "q-overdue",
                    "超期诉求",
                    "待本单位签收或办理、已超过时限的诉求，请立即办理并说明情况",
                    Pick::Deadline(DeadlineState::Overdue, &[Dispatched, Handling]),
                    None,
                ),
                (
                    "q-dispatched",
                    "待签收",
                    "派给本单位的诉求，时限最近的在前，请及时签收",
                    Pick::Status(Dispatched),
                    None,
                ),
                (
                    "q-handling",
                    "办理中",
                    "已签收的诉求：联系市民、答复、申请延期或退单",
                    Pick::Status(Handling),
                    None,
                ),
            ],
        ),
        Role::Supervisor => (
            vec![
                stat("待审核", Replied, "amber"),
                stat("待回访", AwaitingCallback, "teal"),
                stat("办理中", Handling, "blue"),
                stat("待签收", Dispatched, "red"),
            ],
            vec![
                (
                    "q-overdue",
                    "超期诉求",
                    "已超过办理时限：催办、下发督办单或挂牌督办",
                    Pick::Deadline(DeadlineState::Overdue, &[]),
                    None,
                ),
                (
                    "q-warning",
                    "临期诉求",
                    "即将到期：提醒承办单位抓紧办理",
                    Pick::Deadline(DeadlineState::Warning, &[]),
                    None,
                ),
                (
                    "q-replied",
                    "待审核答复",
                    "审核承办单位的答复：通过或退回重办",
                    Pick::Status(Replied),
                    None,
                ),
                (
                    "q-callback",
                    "待回访",
                    "电话回访市民，记录是否解决及满意度",
                    Pick::Status(AwaitingCallback),
                    None,
                ),
            ],
        ),
        Role::Admin | Role::Leader => (
            vec![
                stat("待派单", Registered, "amber"),
                stat("办理中", Handling, "blue"),
                stat("待回访", AwaitingCallback, "teal"),
                stat("已办结", Closed, "green"),
            ],
            vec![(
                "q-registered",
                "待派单诉求",
                "全部待派单诉求",
                Pick::Status(Registered),
                None,
            )],
        ),
    };
    let mut queues = Vec::new();
    for spec in queue_specs {
        queues.push(queue(&state, &bodies, &base, spec).await?);
    }
    let title = match user.role {
        Role::Handler => format!("办件工作台 · {}", body_name(&bodies, user.body)),
        _ => "工作台".to_string(),
    };
    Ok(render(&HomePage {
        shell: Shell::load(&state, &user, title, "/").await,
        stats,
        queues,
        intake: matches!(
            user.role,
            Role::Operator | Role::Representative | Role::Dispatcher | Role::Admin
        ),
    }))
}

async fn leader_home(
    state: &AppState,
    user: &User,
    bodies: &[Body],
) -> Result<Response, PageError> {
    let d = dashboard(state, bodies).await?;
    let flagged = queue(
        state,
        bodies,
        &AppealFilter::default(),
        (
            "q-flagged",
            "挂牌督办",
            "领导挂牌督办、尚未办结的诉求",
            Pick::Flagged,
            None,
        ),
    )
    .await?;
    let complained = super::points::complained(state).await?;
    Ok(render(&DashboardPage {
        shell: Shell::load(state, user, "数据驾驶舱", "/").await,
        d,
        flagged,
        complained,
    }))
}

// ---------- the leader's dashboard ----------

/// How long the dashboard's figures are reused.
const DASHBOARD_TTL: Duration = Duration::from_secs(60);
/// Days in the trend chart.
const TREND_DAYS: u64 = 30;
/// Rows of the dashboard's rankings.
const TOP: usize = 10;

pub struct RankRow {
    pub rank: usize,
    pub name: String,
    pub kind: &'static str,
    pub count: i64,
    /// Closed share of this month's cases, in percent.
    pub rate: i64,
    pub overdue: i64,
}

pub struct Dashboard {
    pub today: i64,
    pub week: i64,
    pub month: i64,
    pub open: i64,
    pub overdue: i64,
    pub by_status: Vec<(&'static str, i64)>,
    pub trend_svg: String,
    pub category_svg: String,
    pub district_svg: String,
    pub overdue_svg: String,
    pub ranking: Vec<RankRow>,
    pub computed: String,
}

type Cached = Option<(usize, Instant, Arc<Dashboard>)>;
static CACHE: Mutex<Cached> = Mutex::new(None);

async fn dashboard(state: &AppState, bodies: &[Body]) -> Result<Arc<Dashboard>, PageError> {
    let key = Arc::as_ptr(&state.store) as *const () as usize;
    if let Ok(guard) = CACHE.lock()
        && let Some((k, at, d)) = guard.as_ref()
        && *k == key
        && at.elapsed() < DASHBOARD_TTL
    {
        return Ok(d.clone());
    }
    let d = Arc::new(compute(state, bodies).await?);
    if let Ok(mut guard) = CACHE.lock() {
        *guard = Some((key, Instant::now(), d.clone()));
    }
    Ok(d)
}

/// Grouped counts as a map from key to count.
async fn grouped(
    state: &AppState,
    filter: &AppealFilter,
    group: CountGroup,
) -> Result<HashMap<String, i64>, PageError> {
    Ok(state
        .store
        .count_by(filter, group)
        .await?
        .into_iter()
        .collect())
}

/// The largest `TOP` groups with a name, as chart bars.
fn top_bars(counts: &HashMap<String, i64>, name: impl Fn(&str) -> String) -> Vec<(String, i64)> {
    let mut bars: Vec<(String, i64)> = counts
        .iter()
        .filter(|(k, n)| !k.is_empty() && **n > 0)
        .map(|(k, n)| (name(k), *n))
        .filter(|(label, _)| !label.is_empty())
        .collect();
    bars.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    bars.truncate(TOP);
    bars
}

/// Seven grouped queries: status, days, categories, districts, bodies (all and closed), and
/// overdue cases by lead body.
async fn compute(state: &AppState, bodies: &[Body]) -> Result<Dashboard, PageError> {
    let day = today();
    let week_start = day - Days::new(day.weekday().num_days_from_monday().into());
    let month_start = day.with_day(1).unwrap_or(day);
    let trend_start = (day - Days::new(TREND_DAYS - 1)).min(month_start);
    let all = by_status(state, &AppealFilter::default()).await?;
    let since = |d: NaiveDate| AppealFilter {
        from: Some(day_start(d)),
        ..AppealFilter::default()
    };
    let per_day = grouped(state, &since(trend_start), CountGroup::Day).await?;
    let on = |d: NaiveDate| per_day.get(&d.to_string()).copied().unwrap_or(0);
    let total_from = |from: NaiveDate| {
        from.iter_days()
            .take_while(|d| *d <= day)
            .map(on)
            .sum::<i64>()
    };
    let trend: Vec<(String, i64)> = (0..TREND_DAYS)
        .rev()
        .map(|i| {
            let d = day - Days::new(i);
            (format!("{}/{}", d.month(), d.day()), on(d))
        })
        .collect();
    let month = since(month_start);
    let categories = grouped(state, &month, CountGroup::CategoryL1).await?;
    let districts = grouped(state, &month, CountGroup::District).await?;
    let volume = grouped(state, &month, CountGroup::LeadBody).await?;
    let closed = grouped(
        state,
        &AppealFilter {
            statuses: vec![Status::Closed, Status::Archived],
            ..month.clone()
        },
        CountGroup::LeadBody,
    )
    .await?;
    let overdue = grouped(
        state,
        &AppealFilter {
            deadline: Some((DeadlineState::Overdue, Utc::now())),
            ..AppealFilter::default()
        },
        CountGroup::LeadBody,
    )
    .await?;
    let body_of = |key: &str| -> Option<&Body> {
        let id: i64 = key.parse().ok()?;
        bodies.iter().find(|b| b.id.0 == id)
    };
    let body_label = |key: &str| body_of(key).map(|b| b.name.clone()).unwrap_or_default();
    let mut ranking: Vec<RankRow> = volume
        .iter()
        .filter_map(|(key, n)| {
            let body = body_of(key)?;
            let done = closed.get(key).copied().unwrap_or(0);
            Some(RankRow {
                rank: 0,
                name: body.name.clone(),
                kind: body.kind.label(),
                count: *n,
                rate: if *n > 0 { done * 100 / n } else { 0 },
                overdue: overdue.get(key).copied().unwrap_or(0),
            })
        })
        .collect();
    ranking.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    ranking.truncate(TOP);
    for (i, r) in ranking.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(Dashboard {
        today: on(day),
        week: total_from(week_start),
        month: total_from(month_start),
        open: all
            .iter()
            .filter(|(s, _)| s.is_open())
            .map(|(_, n)| n)
            .sum(),
        overdue: overdue.values().sum(),
        by_status: Status::ALL
            .iter()
            .map(|s| (s.label(), count(&all, *s)))
            .collect(),
        trend_svg: chart::columns("近30日受理量", &trend, 5),
        category_svg: chart::bars("本月诉求分类", &top_bars(&categories, str::to_string)),
        district_svg: chart::bars("本月各区诉求量", &top_bars(&districts, str::to_string)),
        overdue_svg: chart::bars("超期诉求（按主办单位）", &top_bars(&overdue, body_label)),
        ranking,
        computed: fmt_time(Utc::now()),
    })
}
