//! Who may call what (访问控制): one written table, enforced for every route by one layer.
//! A route without a rule is refused (and a test fails), so no route is open by accident.

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiesu_domain::user::Role;

use crate::error::ApiError;
use crate::extract::{CurrentUser, Scope, resolve_caller};
use crate::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone, signed in or not (health, public portal, sign-in).
    Anyone,
    /// Any signed-in staff user; finer checks happen in the domain (e.g. lifecycle roles).
    Staff,
    /// Signed-in users with one of these roles.
    Roles(&'static [Role]),
    /// A web page for signed-in users with one of these roles (empty: any staff). Signed-out
    /// visitors are sent to `/login`, a wrong role gets the 403 page.
    Page(&'static [Role]),
}

use Role::*;

const INTAKE: &[Role] = &[Operator, Dispatcher, Admin, Representative];
const ADMIN: &[Role] = &[Admin];
/// The supervision office (督查室) imports and publishes task lists.
const TASK_OFFICE: &[Role] = &[Supervisor, Admin];
/// Who sees the supervision board: the office and leaders (领导看板).
const TASK_VIEWERS: &[Role] = &[Leader, Supervisor, Admin];
const STAFF_PAGE: Who = Who::Page(&[]);
/// Who reads the assessment of bodies (考核) and the monthly report.
const ASSESSORS: &[Role] = &[Leader, Supervisor, Admin];
/// Who opens a liaison station's page (联络站): its representatives (checked per station),
/// the supervision office, leaders and administrators.
const STATION_PAGE: &[Role] = &[Representative, Supervisor, Leader, Admin];

/// Who types in the letters and mails of a campaign (民生实事意见征集): intake staff and the office.
const CAMPAIGN_ENTRY: &[Role] = &[Operator, Dispatcher, Supervisor, Admin];
/// Who answers a campaign's group: the body it was given to (checked per group) and the office.
const CAMPAIGN_ANSWER: &[Role] = &[Handler, Supervisor, Admin];

/// The access table: method, route pattern, who.
pub const RULES: &[(&str, &str, Who)] = &[
    ("GET", "/healthz", Who::Anyone),
    ("GET", "/api/openapi.json", Who::Anyone),
    ("POST", "/api/public/appeals", Who::Anyone),
    ("GET", "/api/public/appeals/{number}", Who::Anyone),
    ("POST", "/api/public/appeals/{number}/rating", Who::Anyone),
    ("POST", "/api/session", Who::Anyone),
    ("DELETE", "/api/session", Who::Staff),
    ("GET", "/api/me", Who::Staff),
    ("POST", "/api/appeals", Who::Roles(INTAKE)),
    ("GET", "/api/appeals", Who::Staff),
    ("GET", "/api/appeals/{id}", Who::Staff),
    ("POST", "/api/appeals/{id}/actions", Who::Staff),
    ("GET", "/api/appeals/{id}/reply-review", Who::Staff),
    ("GET", "/api/appeals/{id}/attachments", Who::Staff),
    ("GET", "/api/attachments/{id}", Who::Staff),
    ("GET", "/api/attachments/{id}/thumbnail", Who::Staff),
    (
        "GET",
        "/api/public/appeals/{number}/attachments/{id}",
        Who::Anyone,
    ),
    (
        "GET",
        "/api/public/appeals/{number}/attachments/{id}/thumbnail",
        Who::Anyone,
    ),
    ("GET", "/api/stats/status", Who::Staff),
    ("GET", "/api/bodies", Who::Staff),
    ("POST", "/api/bodies", Who::Roles(ADMIN)),
    ("GET", "/api/users", Who::Roles(ADMIN)),
    ("POST", "/api/users", Who::Roles(ADMIN)),
    ("GET", "/api/categories", Who::Staff),
    ("PUT", "/api/categories", Who::Roles(ADMIN)),
    ("GET", "/api/inbox", Who::Staff),
    ("POST", "/api/inbox/{id}/read", Who::Staff),
    ("GET", "/api/time-limits", Who::Staff),
    ("PUT", "/api/time-limits", Who::Roles(ADMIN)),
    ("GET", "/api/calendar/{year}", Who::Staff),
    ("PUT", "/api/calendar", Who::Roles(ADMIN)),
    ("POST", "/api/dispatch/suggest", Who::Staff),
    ("GET", "/api/dispatch/routing", Who::Staff),
    ("PUT", "/api/dispatch/routing", Who::Roles(ADMIN)),
    ("GET", "/api/dispatch/models", Who::Staff),
    ("POST", "/api/dispatch/models", Who::Roles(ADMIN)),
    (
        "POST",
        "/api/dispatch/models/{version}/activate",
        Who::Roles(ADMIN),
    ),
    ("GET", "/api/dispatch/accuracy", Who::Staff),
    ("GET", "/api/dispatch/learning", Who::Roles(ADMIN)),
    ("POST", "/api/dispatch/learning/retrain", Who::Roles(ADMIN)),
    (
        "POST",
        "/api/dispatch/models/{version}/pin",
        Who::Roles(ADMIN),
    ),
    ("DELETE", "/api/dispatch/models/pin", Who::Roles(ADMIN)),
    ("GET", "/api/dispatch/auto", Who::Staff),
    ("PUT", "/api/dispatch/auto", Who::Roles(ADMIN)),
    ("GET", "/api/dispatch/models/{version}/figures", Who::Staff),
    ("GET", "/api/search", Who::Staff),
    ("POST", "/api/appeals/similar", Who::Staff),
    ("GET", "/api/tasks", Who::Staff),
    ("POST", "/api/tasks/propose", Who::Staff),
    ("POST", "/api/tasks/import", Who::Roles(TASK_OFFICE)),
    ("POST", "/api/tasks/publish", Who::Roles(TASK_OFFICE)),
    ("GET", "/api/stations", Who::Staff),
    ("POST", "/api/stations", Who::Roles(ADMIN)),
    ("GET", "/api/stations/{id}", Who::Staff),
    ("PUT", "/api/stations/{id}", Who::Roles(ADMIN)),
    (
        "POST",
        "/api/stations/{id}/receptions",
        Who::Roles(&[Representative]),
    ),
    (
        "GET",
        "/api/stations/{id}/receptions/{reception}",
        Who::Staff,
    ),
    ("GET", "/api/stations/{id}/items", Who::Staff),
    (
        "POST",
        "/api/stations/{id}/items/{appeal}/triage",
        Who::Roles(&[Representative, Supervisor, Admin]),
    ),
    ("GET", "/api/meetings", Who::Staff),
    ("POST", "/api/meetings", Who::Roles(TASK_OFFICE)),
    ("GET", "/api/meetings/{id}", Who::Staff),
    (
        "POST",
        "/api/meetings/{id}/issues/{issue}/feedback",
        Who::Roles(TASK_OFFICE),
    ),
    ("GET", "/api/points", Who::Anyone),
    ("POST", "/api/points", Who::Roles(ADMIN)),
    ("GET", "/api/points/nearest", Who::Anyone),
    ("GET", "/api/points/map", Who::Anyone),
    ("PUT", "/api/points/map", Who::Roles(ADMIN)),
    ("POST", "/api/points/import", Who::Roles(ADMIN)),
    ("GET", "/api/points/export", Who::Roles(ADMIN)),
    ("GET", "/api/points/{id}", Who::Anyone),
    ("PUT", "/api/points/{id}", Who::Roles(ADMIN)),
    ("DELETE", "/api/points/{id}", Who::Roles(ADMIN)),
    ("GET", "/api/points/{id}/appeals", Who::Staff),
    ("GET", "/api/point-kinds", Who::Anyone),
    ("POST", "/api/point-kinds", Who::Roles(ADMIN)),
    ("POST", "/api/appeals/{id}/point", Who::Roles(INTAKE)),
    ("GET", "/api/public/campaigns", Who::Anyone),
    ("GET", "/api/public/campaigns/{id}", Who::Anyone),
    ("GET", "/api/public/campaigns/{id}/proposals", Who::Anyone),
    ("POST", "/api/public/campaigns/{id}/proposals", Who::Anyone),
    ("POST", "/api/public/proposals/{id}/support", Who::Anyone),
    ("GET", "/api/campaigns", Who::Staff),
    ("POST", "/api/campaigns", Who::Roles(TASK_OFFICE)),
    ("GET", "/api/campaigns/{id}", Who::Staff),
    ("PUT", "/api/campaigns/{id}", Who::Roles(TASK_OFFICE)),
    (
        "POST",
        "/api/campaigns/{id}/proposals",
        Who::Roles(CAMPAIGN_ENTRY),
    ),
    (
        "POST",
        "/api/campaigns/{id}/grouping",
        Who::Roles(TASK_OFFICE),
    ),
    ("GET", "/api/campaigns/{id}/groups", Who::Staff),
    (
        "POST",
        "/api/campaigns/{id}/publish",
        Who::Roles(TASK_OFFICE),
    ),
    ("GET", "/api/campaigns/{id}/export", Who::Roles(TASK_OFFICE)),
    ("GET", "/api/campaign-groups/{id}", Who::Staff),
    (
        "POST",
        "/api/campaign-groups/{id}/assign",
        Who::Roles(TASK_OFFICE),
    ),
    (
        "POST",
        "/api/campaign-groups/{id}/answer",
        Who::Roles(CAMPAIGN_ANSWER),
    ),
    (
        "PUT",
        "/api/campaign-groups/{id}/answer",
        Who::Roles(CAMPAIGN_ANSWER),
    ),
    ("GET", "/api/tasks/board", Who::Staff),
    ("GET", "/api/tasks/live", Who::Staff),
    ("GET", "/api/tasks/{id}", Who::Staff),
    ("PUT", "/api/tasks/{id}", Who::Roles(TASK_OFFICE)),
    ("DELETE", "/api/tasks/{id}", Who::Roles(TASK_OFFICE)),
    ("GET", "/api/tasks/{id}/milestones", Who::Staff),
    (
        "POST",
        "/api/tasks/{id}/milestones",
        Who::Roles(TASK_OFFICE),
    ),
    ("POST", "/api/tasks/{id}/reports", Who::Staff),
    ("POST", "/api/tasks/{id}/close", Who::Roles(TASK_OFFICE)),
    ("POST", "/api/tasks/{id}/urge", Who::Roles(TASK_OFFICE)),
    ("GET", "/api/tasks/reminders", Who::Staff),
    (
        "POST",
        "/api/task-reports/{id}/review",
        Who::Roles(TASK_OFFICE),
    ),
    ("GET", "/tasks", Who::Page(TASK_VIEWERS)),
    ("GET", "/tasks/mine", Who::Page(&[Handler])),
    ("GET", "/tasks/import", Who::Page(TASK_OFFICE)),
    ("POST", "/tasks/import", Who::Page(TASK_OFFICE)),
    ("POST", "/tasks/import/publish", Who::Page(TASK_OFFICE)),
    ("GET", "/tasks/drafts/{id}", Who::Page(TASK_OFFICE)),
    ("POST", "/tasks/drafts/{id}", Who::Page(TASK_OFFICE)),
    ("POST", "/tasks/drafts/{id}/discard", Who::Page(TASK_OFFICE)),
    ("GET", "/tasks/{id}", STAFF_PAGE),
    ("POST", "/tasks/{id}/report", STAFF_PAGE),
    ("POST", "/tasks/{id}/milestones", Who::Page(TASK_OFFICE)),
    ("POST", "/tasks/{id}/close", Who::Page(TASK_OFFICE)),
    ("POST", "/tasks/{id}/urge", Who::Page(TASK_OFFICE)),
    ("POST", "/tasks/reports/{id}/review", Who::Page(TASK_OFFICE)),
    ("GET", "/api/tokens", Who::Staff),
    ("POST", "/api/tokens", Who::Staff),
    ("DELETE", "/api/tokens/{id}", Who::Staff),
    ("GET", "/api/knowledge", Who::Staff),
    ("POST", "/api/knowledge", Who::Roles(ADMIN)),
    ("GET", "/api/knowledge/{id}", Who::Staff),
    ("PUT", "/api/knowledge/{id}", Who::Roles(ADMIN)),
    (
        "GET",
        "/api/hot",
        Who::Roles(&[Leader, Supervisor, Dispatcher, Admin]),
    ),
    ("GET", "/api/assessment", Who::Roles(ASSESSORS)),
    (
        "GET",
        "/api/assessment/bodies/{id}/cases",
        Who::Roles(&[Leader, Supervisor, Admin, Handler]),
    ),
    ("GET", "/api/assessment/weights", Who::Staff),
    ("PUT", "/api/assessment/weights", Who::Roles(ADMIN)),
    (
        "GET",
        "/api/assessment/disputes",
        Who::Roles(&[Leader, Supervisor, Admin, Handler]),
    ),
    ("POST", "/api/assessment/disputes", Who::Roles(&[Handler])),
    (
        "POST",
        "/api/assessment/disputes/{id}/decision",
        Who::Roles(&[Supervisor, Admin]),
    ),
    // Open311 GeoReport v2: reads are public, a post carries its own `api_key`
    ("GET", "/open311/v2/{file}", Who::Anyone),
    ("POST", "/open311/v2/{file}", Who::Anyone),
    ("GET", "/open311/v2/services/{file}", Who::Anyone),
    ("GET", "/open311/v2/requests/{file}", Who::Anyone),
    ("GET", "/open311/v2/tokens/{file}", Who::Anyone),
    // web pages
    ("GET", "/", STAFF_PAGE),
    ("GET", "/login", Who::Anyone),
    ("POST", "/login", Who::Anyone),
    ("POST", "/logout", Who::Anyone),
    ("GET", "/static/{file}", Who::Anyone),
    ("GET", "/portal", Who::Anyone),
    ("POST", "/portal", Who::Anyone),
    ("GET", "/portal/done", Who::Anyone),
    ("GET", "/portal/track", Who::Anyone),
    ("POST", "/portal/rate", Who::Anyone),
    ("GET", "/points", Who::Anyone),
    ("GET", "/points/{id}", Who::Anyone),
    ("GET", "/admin/points", Who::Page(ADMIN)),
    ("POST", "/admin/points", Who::Page(ADMIN)),
    ("POST", "/admin/points/kinds", Who::Page(ADMIN)),
    ("POST", "/admin/points/import", Who::Page(ADMIN)),
    ("GET", "/admin/points/export.csv", Who::Page(ADMIN)),
    ("GET", "/admin/points/export.xlsx", Who::Page(ADMIN)),
    ("POST", "/admin/points/{id}/delete", Who::Page(ADMIN)),
    ("GET", "/campaigns", Who::Anyone),
    ("GET", "/campaigns/{id}", Who::Anyone),
    ("POST", "/campaigns/{id}/proposals", Who::Anyone),
    ("POST", "/campaigns/proposals/{id}/support", Who::Anyone),
    ("GET", "/admin/campaigns", STAFF_PAGE),
    ("POST", "/admin/campaigns", Who::Page(TASK_OFFICE)),
    ("GET", "/admin/campaigns/{id}", STAFF_PAGE),
    ("POST", "/admin/campaigns/{id}", Who::Page(TASK_OFFICE)),
    (
        "POST",
        "/admin/campaigns/{id}/proposals",
        Who::Page(CAMPAIGN_ENTRY),
    ),
    (
        "POST",
        "/admin/campaigns/{id}/grouping",
        Who::Page(TASK_OFFICE),
    ),
    (
        "POST",
        "/admin/campaigns/{id}/publish",
        Who::Page(TASK_OFFICE),
    ),
    (
        "GET",
        "/admin/campaigns/{id}/export.xlsx",
        Who::Page(TASK_OFFICE),
    ),
    ("GET", "/admin/campaign-groups/{id}", STAFF_PAGE),
    (
        "POST",
        "/admin/campaign-groups/{id}/assign",
        Who::Page(TASK_OFFICE),
    ),
    (
        "POST",
        "/admin/campaign-groups/{id}/answer",
        Who::Page(CAMPAIGN_ANSWER),
    ),
    (
        "POST",
        "/admin/campaign-groups/{id}/correction",
        Who::Page(CAMPAIGN_ANSWER),
    ),
    ("GET", "/inbox", STAFF_PAGE),
    ("POST", "/inbox/read-all", STAFF_PAGE),
    ("POST", "/inbox/{id}/read", STAFF_PAGE),
    ("GET", "/appeals", STAFF_PAGE),
    ("GET", "/appeals/new", Who::Page(INTAKE)),
    ("POST", "/appeals/new", Who::Page(INTAKE)),
    ("GET", "/appeals/{id}", STAFF_PAGE),
    ("POST", "/appeals/{id}/act", STAFF_PAGE),
    (
        "GET",
        "/hot",
        Who::Page(&[Leader, Supervisor, Dispatcher, Admin]),
    ),
    ("GET", "/knowledge", STAFF_PAGE),
    ("GET", "/assessment", Who::Page(ASSESSORS)),
    ("GET", "/assessment/report", Who::Page(ASSESSORS)),
    ("GET", "/assessment/report.xlsx", Who::Page(ASSESSORS)),
    (
        "GET",
        "/assessment/bodies/{id}",
        Who::Page(&[Leader, Supervisor, Admin, Handler]),
    ),
    (
        "GET",
        "/assessment/disputes",
        Who::Page(&[Leader, Supervisor, Admin]),
    ),
    ("POST", "/assessment/disputes", Who::Page(&[Handler])),
    (
        "POST",
        "/assessment/disputes/{id}",
        Who::Page(&[Supervisor, Admin]),
    ),
    ("GET", "/admin/assessment", Who::Page(ADMIN)),
    ("POST", "/admin/assessment", Who::Page(ADMIN)),
    ("GET", "/admin/knowledge", Who::Page(ADMIN)),
    ("POST", "/admin/knowledge", Who::Page(ADMIN)),
    ("GET", "/admin/bodies", Who::Page(ADMIN)),
    ("POST", "/admin/bodies", Who::Page(ADMIN)),
    ("GET", "/admin/users", Who::Page(ADMIN)),
    ("POST", "/admin/users", Who::Page(ADMIN)),
    ("GET", "/admin/models", Who::Page(ADMIN)),
    ("POST", "/admin/models/auto", Who::Page(ADMIN)),
    ("POST", "/admin/models/{version}/activate", Who::Page(ADMIN)),
    ("GET", "/admin/routing", Who::Page(ADMIN)),
    ("POST", "/admin/routing", Who::Page(ADMIN)),
    ("GET", "/admin/categories", Who::Page(ADMIN)),
    ("POST", "/admin/categories", Who::Page(ADMIN)),
    ("GET", "/admin/time-limits", Who::Page(ADMIN)),
    ("POST", "/admin/time-limits", Who::Page(ADMIN)),
    ("GET", "/admin/calendar", Who::Page(ADMIN)),
    ("POST", "/admin/calendar", Who::Page(ADMIN)),
    ("GET", "/admin/stations", Who::Page(ADMIN)),
    ("POST", "/admin/stations", Who::Page(ADMIN)),
    ("GET", "/stations", Who::Page(STATION_PAGE)),
    ("GET", "/stations/{id}", Who::Page(STATION_PAGE)),
    (
        "POST",
        "/stations/{id}/receptions",
        Who::Page(&[Representative]),
    ),
    (
        "GET",
        "/stations/{id}/receptions/{reception}/sheet",
        Who::Page(STATION_PAGE),
    ),
    (
        "POST",
        "/stations/{id}/items/{appeal}/triage",
        Who::Page(&[Representative, Supervisor, Admin]),
    ),
    ("GET", "/meetings", STAFF_PAGE),
    ("POST", "/meetings", Who::Page(TASK_OFFICE)),
    ("GET", "/meetings/{id}", STAFF_PAGE),
    (
        "POST",
        "/meetings/{id}/issues/{issue}/feedback",
        Who::Page(TASK_OFFICE),
    ),
    ("GET", "/admin/models/learning", Who::Page(ADMIN)),
    ("POST", "/admin/models/learning/retrain", Who::Page(ADMIN)),
    ("POST", "/admin/models/learning/pin", Who::Page(ADMIN)),
    ("GET", "/admin/notifications", Who::Page(ADMIN)),
    ("POST", "/admin/notifications/{id}/retry", Who::Page(ADMIN)),
];

/// The rule for a route, if the table has one.
pub fn rule(method: &Method, path: &str) -> Option<Who> {
    RULES
        .iter()
        .find(|(m, p, _)| *m == method.as_str() && *p == path)
        .map(|(_, _, who)| *who)
}

/// A state-changing request sent by another site's page with this site's cookies (CSRF):
/// the browser says so in `Sec-Fetch-Site`, or its `Origin` names another host. Only a
/// request that carries no cookie and is authenticated by its `Authorization` header is
/// exempt: it has no ambient credentials, and another site's page cannot set that header.
fn is_cross_site_write(parts: &axum::http::request::Parts) -> bool {
    use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN};
    let header_only =
        parts.headers.contains_key(AUTHORIZATION) && !parts.headers.contains_key(COOKIE);
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) || header_only {
        return false;
    }
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (header(ORIGIN.as_str()), header(HOST.as_str())) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) != Some(host),
        _ => false,
    }
}

/// The layer: finds the route's rule, resolves the caller and lets the request through or
/// answers 401/403.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(path) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
    else {
        return next.run(request).await; // no route matched: the 404 fallback answers
    };
    let Some(who) = rule(request.method(), &path) else {
        if RULES.iter().any(|(_, p, _)| *p == path) {
            return next.run(request).await; // a known path, another method: the router answers 405
        }
        tracing::error!(method = %request.method(), %path, "route has no access rule");
        return ApiError::forbidden().into_response();
    };
    let (mut parts, body) = request.into_parts();
    if is_cross_site_write(&parts) {
        tracing::warn!(method = %parts.method, %path, "cross-site write refused");
        return ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "cross_site",
            "跨站请求已被拒绝",
        )
        .into_response();
    }
    let (user, scope) = match resolve_caller(&state, &parts).await {
        Ok(Some((user, scope))) => (Some(user), scope),
        Ok(None) => (None, Scope::Full),
        Err(e) => return e.into_response(),
    };
    if scope == Scope::ReadOnly && !matches!(parts.method, Method::GET | Method::HEAD) {
        return ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "read_only_token",
            "该令牌只能读取",
        )
        .into_response();
    }
    match (who, &user) {
        (Who::Anyone, _) => {}
        (Who::Page(_), None) => return crate::pages::to_login(&parts),
        (_, None) => return ApiError::unauthorized().into_response(),
        (Who::Staff, Some(_)) => {}
        (Who::Roles(roles), Some(u)) if roles.contains(&u.role) => {}
        (Who::Roles(_), Some(_)) => return ApiError::forbidden().into_response(),
        (Who::Page(roles), Some(u)) if roles.is_empty() || roles.contains(&u.role) => {}
        (Who::Page(_), Some(_)) => return crate::pages::forbidden_page(),
    }
    if let Some(user) = user {
        parts.extensions.insert(CurrentUser(user));
    }
    next.run(Request::from_parts(parts, body)).await
}
