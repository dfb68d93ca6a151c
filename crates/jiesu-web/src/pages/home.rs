//! The home page of each role (工作台): its own queues and counts; for leaders the
//! dashboard (数据驾驶舱) with a trend chart, the category mix and the bodies ranking.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, Days, NaiveDate};
use jiesu_domain::body::{Body, BodyKind};
use jiesu_domain::status::Status;
use jiesu_domain::user::Role;
use jiesu_store::{AppealFilter, Page};

use super::appeals::{Row, rows};
use super::support::{day_start, today, visible_bodies};
use super::{PageError, Shell, chart, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Rows of each queue on the home page (the full list is paginated on /appeals).
const QUEUE_ROWS: i64 = 10;

pub struct Stat {
    pub label: &'static str,
    pub value: i64,
    pub tone: &'static str,
    pub href: String,
}

pub struct Queue {
    pub title: &'static str,
    pub hint: &'static str,
    pub total: i64,
    pub rows: Vec<Row>,
    pub more: String,
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
}

/// A queue of the home page: title, hint, the status it lists, the extra column's header.
type QueueSpec = (&'static str, &'static str, Status, Option<&'static str>);

fn count(counts: &[(Status, i64)], status: Status) -> i64 {
    counts
        .iter()
        .filter(|(s, _)| *s == status)
        .map(|(_, n)| n)
        .sum()
}

fn list_link(status: Status) -> String {
    format!("/appeals?status={}", status.code())
}

pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let user = user.0;
    if user.role == Role::Leader {
        let d = dashboard(&state).await?;
        return Ok(render(&DashboardPage {
            shell: Shell::new(&user, "数据驾驶舱", "/"),
            d,
        }));
    }
    let bodies = state.store.bodies().await?;
    let mine = visible_bodies(&user, &bodies);
    let base = AppealFilter {
        bodies: mine.clone(),
        ..AppealFilter::default()
    };
    let counts = state.store.count_by_status(&base).await?;
    let total_since = |from: NaiveDate| {
        let filter = AppealFilter {
            from: Some(day_start(from)),
            ..base.clone()
        };
        let store = state.store.clone();
        async move {
            Ok::<i64, PageError>(
                store
                    .count_by_status(&filter)
                    .await?
                    .iter()
                    .map(|(_, n)| n)
                    .sum(),
            )
        }
    };
    let stat = |label, status: Status, tone| Stat {
        label,
        value: count(&counts, status),
        tone,
        href: list_link(status),
    };
    use Status::*;
    let (stats, queue_specs): (Vec<Stat>, Vec<QueueSpec>) = match user.role {
        Role::Operator | Role::Representative => (
            vec![
                Stat {
                    label: "今日受理",
                    value: total_since(today()).await?,
                    tone: "blue",
                    href: "/appeals".into(),
                },
                stat("待派单", Registered, "amber"),
                stat("待回访", AwaitingCallback, "teal"),
                stat("已办结", Closed, "green"),
            ],
            vec![(
                "待派单诉求",
                "已受理、等待派单员派单的诉求",
                Registered,
                None,
            )],
        ),
        Role::Dispatcher => (
            vec![
                stat("待派单", Registered, "amber"),
                stat("退单待审", Returned, "red"),
                stat("待签收", Dispatched, "blue"),
                Stat {
                    label: "今日受理",
                    value: total_since(today()).await?,
                    tone: "teal",
                    href: "/appeals".into(),
                },
            ],
            vec![
                (
                    "待派单",
                    "确认分类和承办单位后派单，重复诉求可并案",
                    Registered,
                    None,
                ),
                (
                    "退单待审",
                    "承办单位退回的诉求：核实退单理由后改派",
                    Returned,
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
                ("待签收", "派给本单位的诉求，请及时签收", Dispatched, None),
                (
                    "办理中",
                    "已签收的诉求：答复、申请延期或退单",
                    Handling,
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
                    "待审核答复",
                    "审核承办单位的答复：通过或退回重办",
                    Replied,
                    None,
                ),
                (
                    "待回访",
                    "电话回访市民，记录是否解决及满意度",
                    AwaitingCallback,
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
            vec![("待派单诉求", "全部待派单诉求", Registered, None)],
        ),
    };
    let mut queues = Vec::new();
    for (title, hint, status, extra) in queue_specs {
        let filter = AppealFilter {
            statuses: vec![status],
            ..base.clone()
        };
        let found = state
            .store
            .list_appeals(&filter, Page::new(0, QUEUE_ROWS))
            .await?;
        queues.push(Queue {
            title,
            hint,
            total: found.total,
            rows: rows(&state, &bodies, found.items, extra.is_some()).await?,
            more: list_link(status),
            extra,
        });
    }
    let title = match user.role {
        Role::Handler => format!(
            "办件工作台 · {}",
            super::appeals::body_name(&bodies, user.body)
        ),
        _ => "工作台".to_string(),
    };
    Ok(render(&HomePage {
        shell: Shell::new(&user, title, "/"),
        stats,
        queues,
        intake: matches!(
            user.role,
            Role::Operator | Role::Representative | Role::Dispatcher | Role::Admin
        ),
    }))
}

// ---------- the leader's dashboard ----------

/// How long the dashboard's figures are reused (they take several count queries).
const DASHBOARD_TTL: Duration = Duration::from_secs(60);
/// Days in the trend chart.
const TREND_DAYS: u64 = 30;

pub struct Dashboard {
    pub today: i64,
    pub week: i64,
    pub month: i64,
    pub open: i64,
    pub by_status: Vec<(&'static str, i64)>,
    pub trend_svg: String,
    pub category_svg: String,
    pub ranking: Vec<(usize, String, &'static str, i64, u32)>,
    pub computed: String,
}

type Cached = Option<(usize, Instant, Arc<Dashboard>)>;
static CACHE: Mutex<Cached> = Mutex::new(None);

async fn dashboard(state: &AppState) -> Result<Arc<Dashboard>, PageError> {
    let key = Arc::as_ptr(&state.store) as *const () as usize;
    if let Ok(guard) = CACHE.lock()
        && let Some((k, at, d)) = guard.as_ref()
        && *k == key
        && at.elapsed() < DASHBOARD_TTL
    {
        return Ok(d.clone());
    }
    let d = Arc::new(compute(state).await?);
    if let Ok(mut guard) = CACHE.lock() {
        *guard = Some((key, Instant::now(), d.clone()));
    }
    Ok(d)
}

async fn total(state: &AppState, filter: &AppealFilter) -> Result<i64, PageError> {
    Ok(state
        .store
        .count_by_status(filter)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum())
}

async fn compute(state: &AppState) -> Result<Dashboard, PageError> {
    let day = today();
    let since = |d: NaiveDate| AppealFilter {
        from: Some(day_start(d)),
        ..AppealFilter::default()
    };
    let week_start = day - Days::new(day.weekday().num_days_from_monday().into());
    let month_start = day.with_day(1).unwrap_or(day);
    let all = state
        .store
        .count_by_status(&AppealFilter::default())
        .await?;
    let mut trend = Vec::new();
    for i in (0..TREND_DAYS).rev() {
        let d = day - Days::new(i);
        let filter = AppealFilter {
            from: Some(day_start(d)),
            to: d.succ_opt().map(day_start),
            ..AppealFilter::default()
        };
        trend.push((
            format!("{}/{}", d.month(), d.day()),
            total(state, &filter).await?,
        ));
    }
    let month = since(month_start);
    let mut categories = Vec::new();
    for c in state.taxonomy().first_levels() {
        let n = total(
            state,
            &AppealFilter {
                category_l1: Some(c.to_string()),
                ..month.clone()
            },
        )
        .await?;
        if n > 0 {
            categories.push((c.to_string(), n));
        }
    }
    categories.sort_by_key(|c| std::cmp::Reverse(c.1));
    categories.truncate(10);
    let bodies = state.store.bodies().await?;
    let handling: Vec<&Body> = bodies
        .iter()
        .filter(|b| !matches!(b.kind, BodyKind::City | BodyKind::District))
        .collect();
    let mut ranking = Vec::new();
    for b in handling {
        let filter = AppealFilter {
            bodies: Some(vec![b.id]),
            ..month.clone()
        };
        let counts = state.store.count_by_status(&filter).await?;
        let n: i64 = counts.iter().map(|(_, n)| n).sum();
        if n > 0 {
            let closed = count(&counts, Status::Closed) + count(&counts, Status::Archived);
            let rate = u32::try_from(closed * 100 / n).unwrap_or(0);
            ranking.push((b.name.clone(), b.kind.label(), n, rate));
        }
    }
    ranking.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    ranking.truncate(10);
    Ok(Dashboard {
        today: total(state, &since(day)).await?,
        week: total(state, &since(week_start)).await?,
        month: total(state, &month).await?,
        open: all
            .iter()
            .filter(|(s, _)| s.is_open())
            .map(|(_, n)| n)
            .sum(),
        by_status: Status::ALL
            .iter()
            .map(|s| (s.label(), count(&all, *s)))
            .collect(),
        trend_svg: chart::columns("近30日受理量", &trend, 5),
        category_svg: chart::bars("本月诉求分类", &categories),
        ranking: ranking
            .into_iter()
            .enumerate()
            .map(|(i, (name, kind, n, rate))| (i + 1, name, kind, n, rate))
            .collect(),
        computed: super::support::fmt_time(chrono::Utc::now()),
    })
}
