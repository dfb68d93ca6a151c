//! Listing appeals: filters and pagination (筛选 · 分页).

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::deadline::DeadlineState;
use jiesu_domain::ids::BodyId;
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::status::Status;
use serde::Serialize;

/// Which appeals to list. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AppealFilter {
    pub statuses: Vec<Status>,
    /// Appeals sent (as lead or co-body) to any of these bodies.
    pub bodies: Option<Vec<BodyId>>,
    pub category_l1: Option<String>,
    pub channel: Option<Channel>,
    pub appeal_type: Option<AppealType>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Words that must appear in the title or the text.
    pub words: Option<String>,
    /// Only appeals in this deadline state (临期 / 超期) at `now`.
    pub deadline: Option<(DeadlineState, DateTime<Utc>)>,
    /// Only flagged appeals (挂牌督办).
    pub flagged: bool,
    /// The order of the list.
    pub order: AppealOrder,
}

/// The order of a list of appeals (排序).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AppealOrder {
    /// Newest first (最新受理).
    #[default]
    Newest,
    /// Oldest first (受理最早): the ones waiting longest.
    Oldest,
    /// The nearest deadline first (时限最近), overdue ones at the top; appeals without a
    /// running deadline last.
    Deadline,
    /// 特急, then 紧急, then 一般 (紧急程度), each by the nearest deadline.
    Urgency,
}

impl AppealOrder {
    pub const ALL: &[AppealOrder] = &[
        AppealOrder::Newest,
        AppealOrder::Oldest,
        AppealOrder::Deadline,
        AppealOrder::Urgency,
    ];

    /// The name query strings use.
    pub fn code(self) -> &'static str {
        match self {
            AppealOrder::Newest => "newest",
            AppealOrder::Oldest => "oldest",
            AppealOrder::Deadline => "deadline",
            AppealOrder::Urgency => "urgency",
        }
    }

    /// Parses [`AppealOrder::code`].
    pub fn from_code(code: &str) -> Option<AppealOrder> {
        AppealOrder::ALL.iter().copied().find(|o| o.code() == code)
    }

    /// The Chinese name of the order.
    pub fn label(self) -> &'static str {
        match self {
            AppealOrder::Newest => "最新受理",
            AppealOrder::Oldest => "受理最早",
            AppealOrder::Deadline => "时限最近",
            AppealOrder::Urgency => "紧急程度",
        }
    }

    /// The SQL `ORDER BY` terms over the `appeals` columns, ending with the id so pages
    /// never overlap.
    pub fn sql(self) -> String {
        let by_deadline = "CASE WHEN due_ms IS NULL THEN 1 ELSE 0 END, due_ms, id";
        match self {
            AppealOrder::Newest => "created_ms DESC, id DESC".into(),
            AppealOrder::Oldest => "created_ms, id".into(),
            AppealOrder::Deadline => by_deadline.into(),
            AppealOrder::Urgency => format!(
                "CASE urgency WHEN '{}' THEN 0 WHEN '{}' THEN 1 ELSE 2 END, {by_deadline}",
                Urgency::Critical.label(),
                Urgency::Urgent.label()
            ),
        }
    }
}

/// A window into a list. `limit` is capped at [`Page::MAX_LIMIT`].
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    pub const MAX_LIMIT: i64 = 200;

    pub fn new(offset: i64, limit: i64) -> Page {
        Page {
            offset: offset.max(0),
            limit: limit.clamp(1, Page::MAX_LIMIT),
        }
    }

    /// How far a count of this page's list goes: to [`COUNT_CAP`] or the page's end.
    pub fn count_cap(&self) -> i64 {
        COUNT_CAP.max(self.offset.saturating_add(self.limit))
    }
}

impl Default for Page {
    fn default() -> Self {
        Page::new(0, 20)
    }
}

/// Lists count matches up to this many (or up to the end of the page asked for, when that
/// is further); beyond it the total says "at least". A count walks the list's index entry by
/// entry, and most lists are asked for their first pages: counting a broad filter to the
/// end cost more than the page itself.
pub const COUNT_CAP: i64 = 1_000;

/// One page of appeals, newest first, and how many match in all (up to [`Page::count_cap`]).
#[derive(Debug, Clone, Serialize)]
pub struct AppealPage {
    pub items: Vec<Appeal>,
    pub total: i64,
    /// False when more than [`Page::count_cap`] match and `total` is the cap.
    pub exact: bool,
}

/// What [`Store::count_by`](crate::Store::count_by) groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountGroup {
    /// The day of intake in China's time, as `YYYY-MM-DD`.
    Day,
    CategoryL1,
    /// The lead body's id.
    LeadBody,
    Status,
    Channel,
    AppealType,
    District,
}

impl CountGroup {
    /// The SQL expression of the group key, as text ('' for none).
    pub fn key_sql(self) -> &'static str {
        match self {
            CountGroup::Day => "CAST((created_ms + 28800000) / 86400000 AS TEXT)",
            CountGroup::CategoryL1 => "COALESCE(category_l1, '')",
            CountGroup::LeadBody => "COALESCE(CAST(lead_body_id AS TEXT), '')",
            CountGroup::Status => "status",
            CountGroup::Channel => "channel",
            CountGroup::AppealType => "appeal_type",
            CountGroup::District => "COALESCE(district, '')",
        }
    }

    /// The key as people read it (days become dates).
    pub fn display_key(self, raw: String) -> String {
        match self {
            CountGroup::Day => raw
                .parse::<i64>()
                .ok()
                .and_then(|d| chrono::DateTime::from_timestamp(d * 86_400, 0))
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or(raw),
            _ => raw,
        }
    }
}
