//! Server-rendered pages (网页) in Simplified Chinese, one module per area. Every route is
//! listed in [`crate::access::RULES`] with [`crate::access::Who::Page`], so a signed-out
//! visitor is sent to `/login` and a wrong role gets the 403 page. Lifecycle forms post to
//! [`appeals`], which calls the same workflow as the API and redirects back (POST-redirect-GET).

mod admin;
mod appeals;
mod assessment;
mod assets;
mod attachments;
mod calendar;
mod campaigns;
mod campaigns_admin;
mod chart;
mod form;
mod home;
mod hot;
mod inbox;
mod knowledge;
mod learning;
mod meetings;
mod models;
mod notifications;
mod places;
mod point_choice;
mod point_map;
mod points;
mod points_admin;
mod portal;
mod representative;
mod routing;
mod session;
mod station_admin;
mod stations;
mod support;
mod task_import;
mod tasks;
mod time_limits;

use askama::Template;
use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use jiesu_app::AppError;
use jiesu_domain::DomainError;
use jiesu_domain::user::{Role, User};
use jiesu_store::{Page, StoreError};

use crate::error::ApiError;
use crate::state::AppState;

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(session::form).post(session::sign_in))
        .route("/logout", post(session::sign_out))
        .route("/static/{file}", get(assets::file))
        .route("/portal", get(portal::page).post(portal::submit))
        .route("/portal/done", get(portal::done))
        .route("/portal/track", get(portal::track))
        .route("/portal/rate", post(portal::rate))
        .route("/points", get(points::list))
        .route("/points/{id}", get(points::detail))
        .route(
            "/admin/points",
            get(points_admin::page).post(points_admin::add_point),
        )
        .route("/admin/points/kinds", post(points_admin::save_kind))
        .route("/admin/points/import", post(points_admin::import))
        .route("/admin/points/export.csv", get(points_admin::export_csv))
        .route("/admin/points/export.xlsx", get(points_admin::export_xlsx))
        .route(
            "/admin/points/{id}/delete",
            post(points_admin::delete_point),
        )
        .route("/campaigns", get(campaigns::list))
        .route("/campaigns/{id}", get(campaigns::page))
        .route("/campaigns/{id}/proposals", post(campaigns::submit))
        .route(
            "/campaigns/proposals/{id}/support",
            post(campaigns::support),
        )
        .route(
            "/admin/campaigns",
            get(campaigns_admin::list).post(campaigns_admin::create),
        )
        .route(
            "/admin/campaigns/{id}",
            get(campaigns_admin::page).post(campaigns_admin::update),
        )
        .route(
            "/admin/campaigns/{id}/proposals",
            post(campaigns_admin::enter),
        )
        .route(
            "/admin/campaigns/{id}/grouping",
            post(campaigns_admin::group),
        )
        .route(
            "/admin/campaigns/{id}/publish",
            post(campaigns_admin::publish),
        )
        .route(
            "/admin/campaigns/{id}/export.xlsx",
            get(campaigns_admin::export),
        )
        .route(
            "/admin/campaign-groups/{id}",
            get(campaigns_admin::group_page),
        )
        .route(
            "/admin/campaign-groups/{id}/assign",
            post(campaigns_admin::assign),
        )
        .route(
            "/admin/campaign-groups/{id}/answer",
            post(campaigns_admin::answer),
        )
        .route(
            "/admin/campaign-groups/{id}/correction",
            post(campaigns_admin::correct),
        )
        .route("/inbox", get(inbox::page))
        .route("/inbox/read-all", post(inbox::read_all))
        .route("/inbox/{id}/read", post(inbox::mark_read))
        .route("/hot", get(hot::page))
        .route("/tasks", get(tasks::board_page))
        .route("/tasks/mine", get(tasks::mine))
        .route(
            "/tasks/import",
            get(task_import::page).post(task_import::import),
        )
        .route("/tasks/import/publish", post(task_import::publish))
        .route(
            "/tasks/drafts/{id}",
            get(task_import::draft_page).post(task_import::edit),
        )
        .route("/tasks/drafts/{id}/discard", post(task_import::discard))
        .route("/tasks/{id}", get(tasks::task))
        .route("/tasks/{id}/report", post(tasks::report))
        .route("/tasks/{id}/milestones", post(tasks::add_milestone))
        .route("/tasks/{id}/close", post(tasks::close))
        .route("/tasks/{id}/urge", post(tasks::urge))
        .route("/tasks/reports/{id}/review", post(tasks::review))
        .route("/assessment", get(assessment::ranking))
        .route("/assessment/bodies/{id}", get(assessment::body))
        .route("/assessment/report", get(assessment::report))
        .route("/assessment/report.xlsx", get(assessment::report_xlsx))
        .route(
            "/assessment/disputes",
            get(assessment::disputes).post(assessment::file_dispute),
        )
        .route(
            "/assessment/disputes/{id}",
            post(assessment::decide_dispute),
        )
        .route(
            "/admin/assessment",
            get(assessment::weights).post(assessment::save_weights),
        )
        .route("/knowledge", get(knowledge::page))
        .route("/admin/models/learning", get(learning::page))
        .route("/admin/models/learning/retrain", post(learning::retrain))
        .route("/admin/models/learning/pin", post(learning::pin))
        .route("/admin/notifications", get(notifications::page))
        .route(
            "/admin/notifications/{id}/retry",
            post(notifications::retry),
        )
        .route(
            "/admin/knowledge",
            get(knowledge::admin).post(knowledge::save),
        )
        .route("/admin/bodies", get(admin::bodies).post(admin::create_body))
        .route("/admin/models", get(models::page))
        .route("/admin/models/auto", post(models::save_auto))
        .route("/admin/models/{version}/activate", post(models::activate))
        .route("/admin/routing", get(routing::page).post(routing::save))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route(
            "/admin/categories",
            get(admin::categories).post(admin::replace_categories),
        )
        .route(
            "/admin/time-limits",
            get(time_limits::time_limits).post(time_limits::replace_time_limits),
        )
        .route(
            "/admin/calendar",
            get(calendar::calendar).post(calendar::save_calendar_year),
        )
        .route("/stations", get(stations::list))
        .route("/stations/{id}", get(stations::page))
        .route("/stations/{id}/receptions", post(stations::receive))
        .route(
            "/stations/{id}/receptions/{reception}/sheet",
            get(stations::sheet),
        )
        .route(
            "/stations/{id}/items/{appeal}/triage",
            post(stations::triage),
        )
        .route(
            "/admin/stations",
            get(station_admin::page).post(station_admin::save),
        )
        .route("/meetings", get(meetings::list).post(meetings::create))
        .route("/meetings/{id}", get(meetings::page))
        .route(
            "/meetings/{id}/issues/{issue}/feedback",
            post(meetings::feedback),
        )
        .merge(appeals::router())
        .fallback(not_found)
}

/// Unknown paths: a Chinese 404 page, or the API's JSON error under `/api/`.
async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found("接口").into_response();
    }
    PageError::not_found("页面").into_response()
}

/// A navigation link of the header.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
    /// A count shown beside the link (the tasks that are 临期 or 超期), empty for none.
    pub badge: String,
}

/// The frame of every signed-in page: who is signed in and where they may go.
pub struct Shell {
    pub title: String,
    pub user_name: String,
    pub role_label: &'static str,
    pub nav: Vec<NavItem>,
    /// A one-line notice after a successful action (from `?ok=`).
    pub notice: Option<String>,
    /// Unread notices in the inbox (站内消息), shown as a badge in the header.
    pub unread: String,
}

/// The most unread notices counted for the header badge ("99+" beyond).
const UNREAD_SHOWN: i64 = 99;

impl Shell {
    /// The frame with the user's unread count (one bounded query; 0 if it fails).
    pub async fn load(
        state: &AppState,
        user: &User,
        title: impl Into<String>,
        current: &str,
    ) -> Shell {
        let unread = state
            .store
            .inbox(user, true, Page::new(0, UNREAD_SHOWN + 1))
            .await
            .map(|items| items.len() as i64)
            .unwrap_or(0);
        let mut shell = Shell::new(user, title, current);
        shell.unread = count_label(unread);
        // The task link carries how many open tasks (the body's, or all for the office and
        // leaders) are 临期 or 超期; one read of the board's sums.
        let attention = match user.role {
            Role::Handler => user.body.map(Some),
            Role::Leader | Role::Supervisor | Role::Admin => Some(None),
            _ => None,
        };
        if let Some(body) = attention {
            let count = state.store.tasks_needing_attention(body).await.unwrap_or(0);
            for item in &mut shell.nav {
                if matches!(item.href, "/tasks" | "/tasks/mine") {
                    item.badge = count_label(count);
                }
            }
        }
        shell
    }

    fn new(user: &User, title: impl Into<String>, current: &str) -> Shell {
        let mut links: Vec<(&'static str, &'static str)> = vec![("/", home_label(user.role))];
        if matches!(
            user.role,
            Role::Operator | Role::Dispatcher | Role::Admin | Role::Representative
        ) {
            links.push(("/appeals/new", "受理登记"));
        }
        links.push(("/appeals", "诉求查询"));
        if matches!(
            user.role,
            Role::Leader | Role::Supervisor | Role::Dispatcher | Role::Admin
        ) {
            links.push(("/hot", "热点问题"));
        }
        if matches!(user.role, Role::Leader | Role::Supervisor | Role::Admin) {
            links.push(("/assessment", "考核排名"));
        }
        if matches!(
            user.role,
            Role::Representative | Role::Supervisor | Role::Leader | Role::Admin
        ) {
            links.push(("/stations", "联络站"));
        }
        if matches!(user.role, Role::Leader | Role::Supervisor | Role::Admin) {
            links.push(("/tasks", "督查督办"));
        }
        if user.role == Role::Handler {
            links.push(("/tasks/mine", "本单位任务"));
        }
        links.push(("/admin/campaigns", "意见征集"));
        links.push(("/knowledge", "知识库"));
        if user.role == Role::Admin {
            links.extend([
                ("/admin/knowledge", "知识库维护"),
                ("/admin/bodies", "承办单位"),
                ("/admin/users", "用户管理"),
                ("/admin/categories", "诉求分类"),
                ("/admin/models", "派单模型"),
                ("/admin/routing", "派单规则"),
                ("/admin/time-limits", "时限规则"),
                ("/admin/calendar", "工作日历"),
                ("/admin/assessment", "考核权重"),
                ("/admin/stations", "联络站管理"),
                ("/admin/models/learning", "模型学习"),
                ("/admin/notifications", "市民通知"),
                ("/admin/points", "点位管理"),
            ]);
        }
        links.push(("/portal", "市民门户"));
        Shell {
            title: title.into(),
            user_name: user.display_name.clone(),
            role_label: user.role.label(),
            nav: links
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    active: href == current,
                    badge: String::new(),
                })
                .collect(),
            notice: None,
            unread: String::new(),
        }
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Shell {
        self.notice = notice.filter(|n| !n.is_empty() && n.chars().count() <= 60);
        self
    }
}

/// A count for a badge: empty for none, "99+" beyond [`UNREAD_SHOWN`].
fn count_label(n: i64) -> String {
    match n {
        0 => String::new(),
        n if n > UNREAD_SHOWN => format!("{UNREAD_SHOWN}+"),
        n => n.to_string(),
    }
}

/// What each role's home page is called.
fn home_label(role: Role) -> &'static str {
    match role {
        Role::Operator => "受理工作台",
        Role::Dispatcher => "派单工作台",
        Role::Handler => "办件工作台",
        Role::Supervisor => "督办工作台",
        Role::Leader => "数据驾驶舱",
        Role::Admin => "管理首页",
        Role::Representative => "代表工作台",
    }
}

/// Renders a template as an HTML page.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => ([(CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(%e, "template failed");
            PageError::internal().into_response()
        }
    }
}

/// [`render`], answered with 422 when `refused`: a form shown again with why what was typed
/// was refused.
pub fn render_form(template: &impl Template, refused: bool) -> Response {
    let mut response = render(template);
    if refused && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// A 303 redirect (after a POST, or to the sign-in page).
pub fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_string())]).into_response()
}

/// A page that could not be shown: rendered as a Chinese error page, never a stack trace.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
    /// Where the "back" link goes.
    pub back: String,
    /// Seconds after which a refused client may try again (sent as `Retry-After` with 429).
    pub retry_after: Option<u64>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    e: &'a PageError,
}

impl PageError {
    pub fn new(status: StatusCode, title: &'static str, message: impl Into<String>) -> PageError {
        PageError {
            status,
            title,
            message: message.into(),
            back: "/".into(),
            retry_after: None,
        }
    }

    pub fn back(mut self, to: impl Into<String>) -> PageError {
        self.back = to.into();
        self
    }

    pub fn not_found(what: &str) -> PageError {
        PageError::new(
            StatusCode::NOT_FOUND,
            "页面不存在",
            format!("您要找的{what}不存在或已被删除。"),
        )
    }

    pub fn forbidden(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::FORBIDDEN, "无权访问", message)
    }

    pub fn conflict(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::CONFLICT, "此诉求已被他人处理，请刷新", message)
    }

    pub fn invalid(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "填写有误", message)
    }

    pub fn internal() -> PageError {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务器繁忙",
            "服务器内部错误，请稍后重试。",
        )
    }
}

/// The 403 page the access layer answers for a signed-in user of the wrong role.
pub fn forbidden_page() -> Response {
    PageError::forbidden("您的角色无权访问此页面。").into_response()
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let html = ErrorPage { e: &self }
            .render()
            .unwrap_or_else(|_| self.message.clone());
        let mut response = (
            self.status,
            [
                (CONTENT_TYPE, "text/html; charset=utf-8"),
                (CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<AppError> for PageError {
    /// The API's mapping ([`crate::error::describe`]), worded for a page where a page says
    /// more: what to do after a conflict.
    fn from(e: AppError) -> PageError {
        match &e {
            AppError::Store(StoreError::NotFound(what)) => PageError::not_found(what),
            AppError::Store(StoreError::Stale) | AppError::Changed => PageError::conflict(
                "您打开页面后，此诉求已被他人处理。请刷新页面查看最新状态后再操作。",
            ),
            AppError::Store(StoreError::Unique { .. }) => PageError::new(
                StatusCode::CONFLICT,
                "名称已存在",
                "同名记录已存在，请换一个名称。",
            ),
            AppError::Domain(DomainError::IllegalTransition { .. }) => {
                PageError::conflict(format!("{e}。请刷新页面查看最新状态。"))
            }
            _ => crate::error::describe(&e).into(),
        }
    }
}

impl From<DomainError> for PageError {
    fn from(e: DomainError) -> PageError {
        AppError::Domain(e).into()
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> PageError {
        AppError::Store(e).into()
    }
}

impl From<ApiError> for PageError {
    /// The shared intake, sign-in and portal code answers [`ApiError`]s: same status, the
    /// Chinese message, and a page title that fits the status.
    fn from(e: ApiError) -> PageError {
        let title = match e.status {
            StatusCode::NOT_FOUND => "页面不存在",
            StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => "无权访问",
            StatusCode::CONFLICT => "此诉求已被他人处理，请刷新",
            StatusCode::TOO_MANY_REQUESTS => "操作过于频繁",
            s if s.is_server_error() => return PageError::internal(),
            _ => "填写有误",
        };
        PageError {
            retry_after: e.retry_after,
            ..PageError::new(e.status, title, e.message)
        }
    }
}

/// Percent-encodes a query value (for redirects with a notice).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Sends a signed-out visitor to the sign-in page, coming back here afterwards (for a GET).
pub fn to_login(parts: &axum::http::request::Parts) -> Response {
    if parts.method == axum::http::Method::GET && parts.uri.path() != "/" {
        redirect(&format!("/login?next={}", encode(&parts.uri.to_string())))
    } else {
        redirect("/login")
    }
}
