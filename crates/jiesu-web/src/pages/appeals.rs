//! Appeal pages (诉求): the searchable list, the intake form, one appeal with its timeline
//! and the action forms the signed-in user may use, and the one action handler.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Duration, NaiveDate, Utc};
use jiesu_app::AppError;
use jiesu_domain::DomainError;
use jiesu_domain::appeal::{Appeal, Citizen, Place};
use jiesu_domain::body::Body;
use jiesu_domain::category::CategoryPath;
use jiesu_domain::deadline::DeadlineState;
use jiesu_domain::event::{Event, EventKind, Satisfaction, logs_by_appeal};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::status::Status;
use jiesu_domain::user::{Actor, Role, User};
use jiesu_search::{Hit, SearchResults};
use jiesu_store::{AppealFilter, Page, StoreError};
use serde::Deserialize;

use super::support::{DeadlineBadge, day_start, fmt_time};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;
use jiesu_app::intake::{DirectAnswer, IntakeRequest};
use jiesu_app::search::Search;
use jiesu_app::visibility::{may_see, redact, visible_bodies};

/// Rows per list page.
pub const PAGE_ROWS: i64 = 20;

/// One appeal as a table row.
pub struct Row {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub type_label: &'static str,
    pub category: String,
    pub status_code: &'static str,
    pub status_label: &'static str,
    /// The deadline state and due time, when timed.
    pub deadline: Option<DeadlineBadge>,
    pub urgent: bool,
    pub flagged: bool,
    pub body: String,
    pub created: String,
    /// A column some queues add (e.g. the reason of a return).
    pub extra: String,
}

pub fn body_name(bodies: &[Body], id: Option<BodyId>) -> String {
    id.and_then(|id| bodies.iter().find(|b| b.id == id))
        .map(|b| b.name.clone())
        .unwrap_or_default()
}

/// Table rows for a page of appeals, with each row's deadline state (from the stored
/// deadline) and, with `with_return_reason`, the reason of the latest return (one events
/// query per row, bounded by the page size).
pub async fn rows(
    state: &AppState,
    bodies: &[Body],
    items: Vec<Appeal>,
    with_return_reason: bool,
) -> Result<Vec<Row>, PageError> {
    let now = Utc::now();
    // The return reasons of all rows from one query.
    let logs = if with_return_reason {
        let ids: Vec<AppealId> = items.iter().map(|a| a.id).collect();
        logs_by_appeal(state.store.events_for(&ids).await?)
    } else {
        Default::default()
    };
    let mut out = Vec::with_capacity(items.len());
    for a in items {
        let extra = logs
            .get(&a.id)
            .map(|log| last_return_reason(log))
            .unwrap_or_default();
        out.push(Row {
            id: a.id.0,
            number: a.number.0.clone(),
            type_label: a.appeal_type.label(),
            category: a
                .category
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "未分类".into()),
            status_code: a.status.code(),
            status_label: a.status.label(),
            deadline: DeadlineBadge::of(state, &a, now),
            urgent: a.urgency != Urgency::Normal,
            flagged: a.flagged,
            body: body_name(bodies, a.lead_body),
            created: fmt_time(a.created_at),
            title: a.title,
            extra,
        });
    }
    Ok(out)
}

fn last_return_reason(events: &[Event]) -> String {
    events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::Return { reason } => Some(format!("{}：{}", e.actor.name, reason)),
            _ => None,
        })
        .unwrap_or_default()
}

// ---------- the list ----------

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
    #[serde(default)]
    page: Option<i64>,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn options<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
    current: &str,
) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            value: value.into(),
            label: label.into(),
            selected: value == current,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<Row>,
    total: i64,
    /// False when more match than were counted: `total` (and the page count) is a floor.
    exact: bool,
    page: i64,
    pages: i64,
    q: String,
    from: String,
    to: String,
    deadlines: Vec<Opt>,
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
    let link = |p: i64| {
        format!(
            "/appeals?status={}&type={}&channel={}&category={}&district={}&q={}&from={}&to={}&deadline={}&flagged={}&page={p}",
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
        )
    };
    let taxonomy = state.taxonomy();
    let all = [("", "全部")];
    let page = ListPage {
        shell: Shell::load(&state, &user.0, "诉求查询", "/appeals").await,
        rows: rows(&state, &bodies, items, false).await?,
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

// ---------- intake ----------

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    shell: Shell,
    channels: Vec<Opt>,
    types: Vec<Opt>,
    urgencies: Vec<Opt>,
    categories: Vec<Opt>,
    may_answer: bool,
}

pub async fn intake_form(State(state): State<AppState>, user: CurrentUser) -> Response {
    let shell = Shell::load(&state, &user.0, "受理登记", "/appeals/new").await;
    let taxonomy = state.taxonomy();
    let default_channel = if user.0.role == Role::Representative {
        "联络站"
    } else {
        "热线"
    };
    let none = [("", "（暂不分类）")];
    let leaves: Vec<String> = taxonomy.leaves().map(|p| p.levels().join("/")).collect();
    render(&IntakePage {
        shell,
        channels: options(
            Channel::ALL.iter().map(|c| (c.label(), c.label())),
            default_channel,
        ),
        types: options(
            AppealType::ALL.iter().map(|t| (t.label(), t.label())),
            "投诉",
        ),
        urgencies: options(Urgency::ALL.iter().map(|u| (u.label(), u.label())), "一般"),
        categories: options(
            none.into_iter()
                .chain(leaves.iter().map(|l| (l.as_str(), l.as_str()))),
            "",
        ),
        may_answer: matches!(user.0.role, Role::Operator | Role::Admin),
    })
}

#[derive(Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    r#type: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    confidential: Option<String>,
    #[serde(default)]
    anonymous: Option<String>,
    #[serde(default)]
    address: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    category: String,
    /// `dispatch` (转派单) or `direct` (直办).
    #[serde(default)]
    mode: String,
    #[serde(default)]
    answer: String,
    /// The knowledge article the direct answer cites (its id; empty: none).
    #[serde(default)]
    article: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The text fields of an intake form (staff intake and the portal).
pub struct DraftFields<'a> {
    pub appeal_type: &'a str,
    pub urgency: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub category: &'a str,
}

/// Builds the shared intake request from form fields (staff intake and the portal).
pub fn request_of(
    channel: Channel,
    f: DraftFields<'_>,
    citizen: Citizen,
    place: Place,
) -> Result<IntakeRequest, PageError> {
    Ok(IntakeRequest {
        channel: Some(channel),
        appeal_type: AppealType::parse(f.appeal_type)?,
        title: f.title.to_string(),
        text: f.text.to_string(),
        citizen,
        place,
        category: opt(f.category),
        urgency: opt(f.urgency).map(|u| Urgency::parse(&u)).transpose()?,
        received_at: None,
    })
}

pub async fn intake(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<IntakeForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/appeals/new");
    let citizen = Citizen {
        name: opt(&form.name),
        phone: opt(&form.phone),
        confidential: form.confidential.is_some(),
        anonymous: form.anonymous.is_some(),
    };
    let place = Place {
        address: form.address.clone(),
        district: opt(&form.district),
        street: opt(&form.street),
        lat: None,
        lng: None,
    };
    let channel = Channel::parse(&form.channel).map_err(|e| back(e.into()))?;
    let fields = DraftFields {
        appeal_type: &form.r#type,
        urgency: &form.urgency,
        title: &form.title,
        text: &form.text,
        category: &form.category,
    };
    let request = request_of(channel, fields, citizen, place).map_err(back)?;
    let direct = form.mode == "direct";
    if direct && form.answer.trim().is_empty() {
        return Err(PageError::invalid("选择「直办」时请填写答复内容。").back("/appeals/new"));
    }
    let gone = || PageError::invalid("所选知识不存在或已失效，请重新选择。");
    let answer = match (direct, form.article.trim()) {
        (false, _) => None,
        (true, "") => Some(DirectAnswer {
            answer: form.answer,
            article: None,
        }),
        (true, text) => Some(DirectAnswer {
            answer: form.answer,
            article: Some(text.parse().map_err(|_| back(gone()))?),
        }),
    };
    let registered = state
        .intake(request, channel, user.actor(), None, answer)
        .await
        .map_err(|e| match e {
            AppError::Store(StoreError::NotFound(_))
            | AppError::Domain(DomainError::InvalidField {
                field: "article", ..
            }) => back(gone()),
            e => back(e.into()),
        })?;
    let id = registered.appeal.id;
    let notice = if direct {
        format!("已受理并直办办结，编号 {}", registered.appeal.number)
    } else {
        format!("已受理并转派单，编号 {}", registered.appeal.number)
    };
    Ok(redirect(&format!(
        "/appeals/{}?ok={}",
        id.0,
        encode(&notice)
    )))
}

// ---------- one appeal ----------

pub struct Step {
    pub label: &'static str,
    pub actor: String,
    pub role: &'static str,
    pub at: String,
    pub detail: String,
}

/// Which action forms the page shows (each one the domain would accept now).
#[derive(Default)]
pub struct Can {
    pub answer_directly: bool,
    pub dispatch: bool,
    pub merge: bool,
    pub unmerge: bool,
    pub sign: bool,
    pub return_: bool,
    pub request_extension: bool,
    pub decide_extension: bool,
    pub reply: bool,
    pub review: bool,
    pub callback: bool,
    pub reopen: bool,
    pub archive: bool,
    pub comment: bool,
    pub contact: bool,
    pub pause: bool,
    pub resume: bool,
    pub remind: bool,
    pub supervise: bool,
    pub flag: bool,
}

impl Can {
    fn of(appeal: &Appeal, actor: &Actor) -> Can {
        let now = Utc::now();
        let ok = |kind: EventKind| appeal.check(&kind, actor, now).is_ok();
        let text = || "-".to_string();
        Can {
            answer_directly: ok(EventKind::AnswerDirectly {
                answer: text(),
                article: None,
            }),
            dispatch: ok(EventKind::Dispatch {
                lead: BodyId(0),
                co: vec![],
                note: String::new(),
                category: None,
            }),
            merge: ok(EventKind::Merge {
                into: AppealId(appeal.id.0 + 1),
                note: String::new(),
            }),
            unmerge: ok(EventKind::Unmerge { reason: text() }),
            sign: ok(EventKind::Sign),
            return_: ok(EventKind::Return { reason: text() }),
            request_extension: ok(EventKind::RequestExtension {
                reason: text(),
                until: (now + Duration::days(30)).date_naive(),
            }),
            decide_extension: ok(EventKind::DecideExtension {
                approve: true,
                note: String::new(),
            }),
            reply: ok(EventKind::Reply { text: text() }),
            review: ok(EventKind::Review {
                approve: true,
                reason: String::new(),
            }),
            callback: ok(EventKind::Callback {
                solved: true,
                satisfaction: Satisfaction::Satisfied,
                note: String::new(),
            }),
            reopen: ok(EventKind::Reopen { reason: text() }),
            archive: ok(EventKind::Archive),
            comment: ok(EventKind::Comment { text: text() }),
            contact: ok(EventKind::Contact {
                note: String::new(),
            }),
            pause: ok(EventKind::Pause { reason: text() }),
            resume: ok(EventKind::Resume {
                note: String::new(),
            }),
            remind: ok(EventKind::Remind {
                note: String::new(),
                auto: None,
            }),
            supervise: ok(EventKind::Supervise {
                note: text(),
                reply_by: (now + Duration::days(7)).date_naive(),
            }),
            flag: ok(EventKind::Flag {
                note: String::new(),
            }),
        }
    }

    fn any(&self) -> bool {
        self.answer_directly
            || self.dispatch
            || self.merge
            || self.unmerge
            || self.sign
            || self.return_
            || self.request_extension
            || self.decide_extension
            || self.reply
            || self.review
            || self.callback
            || self.reopen
            || self.archive
            || self.contact
            || self.pause
            || self.resume
            || self.remind
            || self.supervise
            || self.flag
    }
}

pub struct BodyOpt {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub selected: bool,
}

/// Every body as a choice, `selected` marked.
pub(crate) fn body_options(
    bodies: &[jiesu_domain::body::Body],
    selected: Option<jiesu_domain::ids::BodyId>,
) -> Vec<BodyOpt> {
    bodies
        .iter()
        .map(|b| BodyOpt {
            id: b.id.0,
            name: b.name.clone(),
            kind: b.kind.label(),
            selected: Some(b.id) == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "appeal.html")]
struct AppealPage {
    shell: Shell,
    a: Appeal,
    status_code: &'static str,
    deadline: Option<DeadlineBadge>,
    escalated_to: String,
    lead: String,
    co: String,
    category: String,
    merged_into: Option<(i64, String)>,
    followers: Vec<FollowerRow>,
    created: String,
    updated: String,
    steps: Vec<Step>,
    can: Can,
    any_action: bool,
    bodies: Vec<BodyOpt>,
    categories: Vec<Opt>,
    callback_script: String,
    today: String,
    tomorrow: String,
}

/// An appeal merged into the one shown (并案诉求).
struct FollowerRow {
    id: i64,
    number: String,
    title: String,
    status_code: &'static str,
    status_label: &'static str,
    /// Whether the user may open it (a handler sees only their bodies' appeals).
    link: bool,
}

#[derive(Deserialize, Default)]
pub struct Notice {
    pub ok: Option<String>,
}

/// Loads an appeal the user may see: 404 if unknown, 403 if another body's.
async fn visible(
    state: &AppState,
    user: &User,
    id: i64,
    bodies: &[Body],
) -> Result<Appeal, PageError> {
    let appeal = state
        .store
        .appeal(AppealId(id))
        .await
        .map_err(|e| PageError::from(e).back("/appeals"))?;
    if !may_see(user, bodies, &appeal) {
        return Err(PageError::forbidden("该诉求不属于您的单位，您无权查看。"));
    }
    Ok(appeal)
}

/// The text fields of an event kind without a dedicated description.
fn generic_detail(kind: &EventKind) -> String {
    let value = serde_json::to_value(kind).unwrap_or_default();
    let Some(map) = value.as_object() else {
        return String::new();
    };
    map.iter()
        .filter(|(k, _)| k.as_str() != "action")
        .filter_map(|(_, v)| match v {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn describe(kind: &EventKind, bodies: &[Body]) -> String {
    let name = |b: &BodyId| body_name(bodies, Some(*b));
    match kind {
        EventKind::Register { draft } => format!(
            "渠道：{}；类型：{}",
            draft.channel.label(),
            draft.appeal_type.label()
        ),
        EventKind::AnswerDirectly { answer, .. } => format!("答复：{answer}"),
        EventKind::Dispatch {
            lead,
            co,
            note,
            category,
        } => {
            let mut s = format!("主办：{}", name(lead));
            if !co.is_empty() {
                s.push_str(&format!(
                    "；协办：{}",
                    co.iter().map(name).collect::<Vec<_>>().join("、")
                ));
            }
            if let Some(c) = category {
                s.push_str(&format!("；分类：{c}"));
            }
            if !note.is_empty() {
                s.push_str(&format!("；说明：{note}"));
            }
            s
        }
        EventKind::Sign | EventKind::Archive => String::new(),
        EventKind::Return { reason } => format!("退单理由：{reason}"),
        EventKind::RequestExtension { reason, until } => {
            format!("申请延期至 {until}；理由：{reason}")
        }
        EventKind::DecideExtension { note, .. } => note.clone(),
        EventKind::Reply { text } => format!("答复：{text}"),
        EventKind::Review { reason, .. } => reason.clone(),
        EventKind::Callback {
            solved,
            satisfaction,
            note,
        } => format!(
            "{}，{}{}",
            if *solved { "已解决" } else { "未解决" },
            satisfaction.label(),
            if note.is_empty() {
                String::new()
            } else {
                format!("；{note}")
            }
        ),
        EventKind::Close { note } => note.clone(),
        EventKind::Reopen { reason } => format!("重办理由：{reason}"),
        EventKind::Merge { note, .. } => note.clone(),
        EventKind::FollowLead { reply, .. } => format!("主诉求答复：{reply}"),
        EventKind::Comment { text } => text.clone(),
        EventKind::Pause { reason } => format!("暂停理由：{reason}"),
        EventKind::Supervise { note, reply_by } => format!("请于 {reply_by} 前回复；{note}"),
        EventKind::Escalate { to, note } => {
            format!(
                "上报至{}{}",
                name(to),
                if note.is_empty() {
                    String::new()
                } else {
                    format!("；{note}")
                }
            )
        }
        EventKind::Rate { satisfaction, note } => format!(
            "{}{}",
            satisfaction.label(),
            if note.is_empty() {
                String::new()
            } else {
                format!("；{note}")
            }
        ),
        other => generic_detail(other),
    }
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let appeal = visible(&state, &user.0, id, &bodies).await?;
    let events = state.store.events(appeal.id).await?;
    let lead_appeal = match appeal.merged_into {
        Some(into) => state.store.appeal(into).await.ok(),
        None => None,
    };
    let merged_into = appeal.merged_into.map(|into| {
        let number = lead_appeal.as_ref().map(|a| a.number.0.clone());
        (into.0, number.unwrap_or_default())
    });
    let followers = state
        .store
        .followers(appeal.id)
        .await?
        .into_iter()
        .map(|f| FollowerRow {
            id: f.id.0,
            link: may_see(&user.0, &bodies, &f),
            number: f.number.0,
            title: f.title,
            status_code: f.status.code(),
            status_label: f.status.label(),
        })
        .collect();
    // A follower was handled by its lead's body.
    let handled_by = lead_appeal
        .as_ref()
        .and_then(|l| l.lead_body)
        .or(appeal.lead_body);
    let can = Can::of(&appeal, &user.actor());
    let taxonomy = state.taxonomy();
    let current = appeal
        .category
        .as_ref()
        .map(|c| c.levels().join("/"))
        .unwrap_or_default();
    let leaves: Vec<String> = taxonomy.leaves().map(|p| p.levels().join("/")).collect();
    let keep = [("", "（不修改分类）")];
    let steps = events
        .iter()
        .map(|e| Step {
            label: e.kind.label(),
            actor: e.actor.name.clone(),
            role: e.actor.role.map(|r| r.label()).unwrap_or(""),
            at: fmt_time(e.at),
            detail: describe(&e.kind, &bodies),
        })
        .collect();
    let appeal = redact(&user.0, appeal, false);
    let now = Utc::now();
    let callback_script = format!(
        "您好，这里是12345市民服务热线。关于您在 {} 反映的「{}」问题，承办单位{}已经答复。请问您反映的问题是否已经解决？您对办理结果是否满意？",
        appeal
            .created_at
            .with_timezone(&super::support::beijing())
            .format("%-m月%-d日"),
        appeal.title,
        body_name(&bodies, handled_by),
    );
    let page = AppealPage {
        shell: Shell::load(&state, &user.0, format!("诉求 {}", appeal.number), "")
            .await
            .with_notice(n.ok),
        status_code: appeal.status.code(),
        deadline: DeadlineBadge::of(&state, &appeal, now),
        escalated_to: body_name(&bodies, appeal.escalated_to),
        lead: body_name(&bodies, appeal.lead_body),
        co: appeal
            .co_bodies
            .iter()
            .map(|b| body_name(&bodies, Some(*b)))
            .collect::<Vec<_>>()
            .join("、"),
        category: appeal
            .category
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_else(|| "未分类".into()),
        merged_into,
        followers,
        created: fmt_time(appeal.created_at),
        updated: fmt_time(appeal.updated_at),
        steps,
        any_action: can.any(),
        can,
        bodies: body_options(&bodies, appeal.lead_body),
        categories: options(
            keep.into_iter()
                .chain(leaves.iter().map(|l| (l.as_str(), l.as_str()))),
            if current.is_empty() { "" } else { "-" },
        ),
        callback_script,
        today: super::support::today().to_string(),
        tomorrow: (super::support::today() + Duration::days(1)).to_string(),
        a: appeal,
    };
    Ok(render(&page))
}

/// The fields of an action form, as posted (repeated keys kept, e.g. several co-bodies).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn yes(&self, key: &str) -> bool {
        matches!(self.get(key), "yes" | "true" | "on" | "1")
    }

    fn text(&self, key: &str) -> String {
        self.get(key).trim().to_string()
    }
}

fn body_id(text: &str) -> Result<BodyId, PageError> {
    text.trim()
        .parse()
        .map(BodyId)
        .map_err(|_| PageError::invalid("请选择承办单位。"))
}

fn date(f: &Fields, key: &str, missing: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(f.get(key).trim(), "%Y-%m-%d")
        .map_err(|_| PageError::invalid(missing))
}

/// Turns a posted form into the event it asks for.
async fn kind_of(state: &AppState, f: &Fields) -> Result<EventKind, PageError> {
    Ok(match f.get("action") {
        "answer_directly" => EventKind::AnswerDirectly {
            answer: f.text("answer"),
            article: None,
        },
        "dispatch" => {
            let lead = body_id(f.get("lead"))?;
            let co = f
                .all("co")
                .filter(|s| !s.is_empty())
                .map(body_id)
                .collect::<Result<Vec<_>, _>>()?;
            let category = match f.get("category") {
                "" | "-" => None,
                c => Some(CategoryPath::parse(c)?),
            };
            if let Some(c) = &category {
                state.taxonomy().check(c)?;
            }
            EventKind::Dispatch {
                lead,
                co: co.into_iter().filter(|b| *b != lead).collect(),
                note: f.text("note"),
                category,
            }
        }
        "merge" => {
            let into = f.text("into");
            let id = match state.store.appeal_by_number(&into).await {
                Ok((a, _)) => a.id,
                Err(_) => {
                    return Err(PageError::invalid(format!(
                        "找不到编号为「{into}」的诉求。"
                    )));
                }
            };
            EventKind::Merge {
                into: id,
                note: f.text("note"),
            }
        }
        "unmerge" => EventKind::Unmerge {
            reason: f.text("reason"),
        },
        "sign" => EventKind::Sign,
        "return" => EventKind::Return {
            reason: f.text("reason"),
        },
        "request_extension" => EventKind::RequestExtension {
            reason: f.text("reason"),
            until: date(f, "until", "请填写延期至的日期。")?,
        },
        "decide_extension" => EventKind::DecideExtension {
            approve: f.yes("approve"),
            note: f.text("note"),
        },
        "reply" => EventKind::Reply {
            text: f.text("text"),
        },
        "review" => EventKind::Review {
            approve: f.yes("approve"),
            reason: f.text("reason"),
        },
        "callback" => EventKind::Callback {
            solved: f.yes("solved"),
            satisfaction: Satisfaction::parse(f.get("satisfaction"))?,
            note: f.text("note"),
        },
        "reopen" => EventKind::Reopen {
            reason: f.text("reason"),
        },
        "archive" => EventKind::Archive,
        "comment" => EventKind::Comment {
            text: f.text("text"),
        },
        "contact" => EventKind::Contact {
            note: f.text("note"),
        },
        "pause" => EventKind::Pause {
            reason: f.text("reason"),
        },
        "resume" => EventKind::Resume {
            note: f.text("note"),
        },
        "remind" => EventKind::Remind {
            note: f.text("note"),
            auto: None,
        },
        "supervise" => EventKind::Supervise {
            note: f.text("note"),
            reply_by: date(f, "reply_by", "请填写督办回复日期。")?,
        },
        "flag" => EventKind::Flag {
            note: f.text("note"),
        },
        _ => return Err(PageError::invalid("未知的操作。")),
    })
}

/// Every lifecycle form posts here: the same workflow as the API, with the version the form
/// was rendered with (a stale form gets the 409 page), then back to the appeal.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/appeals/{id}");
    let bodies = state.store.bodies().await?;
    let appeal = visible(&state, &user.0, id, &bodies).await?;
    let fields = Fields(pairs);
    let version = fields.get("version").parse::<i64>().ok();
    let kind = kind_of(&state, &fields)
        .await
        .map_err(|e| e.back(back.clone()))?;
    let label = kind.label();
    state
        .act(appeal.id, kind, &user.actor(), version)
        .await
        .map_err(|e| PageError::from(e).back(back.clone()))?;
    super::home::invalidate();
    Ok(redirect(&format!(
        "{back}?ok={}",
        encode(&format!("已{label}"))
    )))
}
