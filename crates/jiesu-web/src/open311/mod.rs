//! Open311 GeoReport v2 (开放311接口) under `/open311/v2/`: discovery, services, service
//! definitions, service requests (read by anyone, posted with an `api_key` — one of our API
//! tokens (接口令牌) with write scope, of an account that may take appeals) and tokens, each
//! as `.json` or `.xml`. The mapping lives in [`jiesu_app::open311`].

pub mod format;

use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::header::HOST;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use jiesu_app::open311::{NewServiceRequest, RequestQuery};
use jiesu_domain::user::Role;
use jiesu_store::StoreError;
use serde::Serialize;

use crate::state::AppState;
use format::{Format, Open311Error, answer, split};

/// The address every route starts with.
pub const PREFIX: &str = "/open311/v2";

/// When this endpoint's interface last changed (the discovery's `changeset`).
const CHANGESET: &str = "2026-12-06T00:00:00Z";

/// The roles whose API keys may post service requests: those that take appeals.
const POSTERS: &[Role] = &[
    Role::Operator,
    Role::Dispatcher,
    Role::Admin,
    Role::Representative,
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(top).post(post_request))
        .route("/open311/v2/services/{file}", get(definition))
        .route("/open311/v2/requests/{file}", get(one_request))
        .route("/open311/v2/tokens/{file}", get(token))
}

type Params = Vec<(String, String)>;

/// The values of `name` in `params`, each split at commas, blanks left out.
fn list(params: &Params, name: &str) -> Vec<String> {
    params
        .iter()
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn one<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The 404 a path without a known extension gets.
fn unsupported() -> Response {
    Open311Error::not_found("不支持的格式，请使用 .json 或 .xml").answer(Format::Json)
}

fn respond(format: Format, result: Result<Response, Open311Error>) -> Response {
    result.unwrap_or_else(|e| e.answer(format))
}

async fn top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: Result<Query<Params>, QueryRejection>,
) -> Response {
    let Some((name, format)) = split(&file) else {
        return unsupported();
    };
    let result = match name {
        "discovery" => Ok(discovery(format, &headers)),
        "services" => Ok(answer(
            format,
            StatusCode::OK,
            "services",
            &state.open311_services(),
        )),
        "requests" => match query {
            Ok(Query(params)) => requests(&state, format, &params).await,
            Err(_) => Err(Open311Error::bad_request("查询参数格式错误")),
        },
        _ => Err(Open311Error::not_found("接口不存在")),
    };
    respond(format, result)
}

#[derive(Serialize)]
struct Endpoint {
    specification: &'static str,
    url: String,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: [&'static str; 2],
}

#[derive(Serialize)]
struct Discovery {
    changeset: &'static str,
    contact: &'static str,
    key_service: &'static str,
    endpoints: [Endpoint; 1],
}

fn discovery(format: Format, headers: &HeaderMap) -> Response {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let doc = Discovery {
        changeset: CHANGESET,
        contact: "12345 市民服务热线",
        key_service: "接口密钥（api_key）为系统中的接口令牌，请向管理员申请",
        endpoints: [Endpoint {
            specification: "http://wiki.open311.org/GeoReport_v2",
            url: format!("http://{host}{PREFIX}"),
            changeset: CHANGESET,
            kind: "production",
            formats: ["text/xml", "application/json"],
        }],
    };
    answer(format, StatusCode::OK, "discovery", &doc)
}

fn date(params: &Params, name: &'static str) -> Result<Option<DateTime<Utc>>, Open311Error> {
    one(params, name)
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| {
                    Open311Error::bad_request(format!(
                        "{name} 须为 W3C 格式的时间，如 2026-01-01T00:00:00Z"
                    ))
                })
        })
        .transpose()
}

async fn requests(
    state: &AppState,
    format: Format,
    params: &Params,
) -> Result<Response, Open311Error> {
    let query = RequestQuery {
        ids: list(params, "service_request_id"),
        service_codes: list(params, "service_code"),
        start: date(params, "start_date")?,
        end: date(params, "end_date")?,
        statuses: list(params, "status"),
    };
    let found = state.open311_requests(&query, Utc::now()).await?;
    Ok(answer(format, StatusCode::OK, "service_requests", &found))
}

async fn definition(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((code, format)) = split(&file) else {
        return unsupported();
    };
    let result = state
        .open311_definition(code)
        .map(|d| answer(format, StatusCode::OK, "service_definition", &d))
        .ok_or_else(|| Open311Error::not_found(format!("服务类型「{code}」不存在")));
    respond(format, result)
}

async fn one_request(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((id, format)) = split(&file) else {
        return unsupported();
    };
    let result = match state.open311_request(id).await {
        Ok(found) => Ok(answer(format, StatusCode::OK, "service_requests", &[found])),
        Err(jiesu_app::AppError::Store(StoreError::NotFound(_))) => {
            Err(Open311Error::not_found(format!("服务请求「{id}」不存在")))
        }
        Err(e) => Err(e.into()),
    };
    respond(format, result)
}

#[derive(Serialize)]
struct TokenAnswer {
    service_request_id: String,
    token: String,
}

/// Our intake is immediate, so a token is the request's id: it names the request at once.
async fn token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((token, format)) = split(&file) else {
        return unsupported();
    };
    let result = match state.store.appeal_by_number(token.trim()).await {
        Ok((appeal, _)) => {
            let found = [TokenAnswer {
                service_request_id: appeal.number.0.clone(),
                token: appeal.number.0,
            }];
            Ok(answer(format, StatusCode::OK, "service_requests", &found))
        }
        Err(StoreError::NotFound(_)) => Err(Open311Error::not_found(format!(
            "令牌「{}」不存在",
            token.trim()
        ))),
        Err(e) => Err(e.into()),
    };
    respond(format, result)
}

fn number(params: &Params, name: &'static str) -> Result<Option<f64>, Open311Error> {
    one(params, name)
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| Open311Error::bad_request(format!("{name} 须为数字")))
        })
        .transpose()
}

/// The account of an API key that may post service requests; a missing, unknown, revoked
/// or read-only key, or one of a role that does not take appeals, gets the 403 the
/// specification names for an invalid `api_key`.
async fn poster(
    state: &AppState,
    key: Option<&str>,
) -> Result<jiesu_domain::user::User, Open311Error> {
    let invalid = || Open311Error::new(StatusCode::FORBIDDEN, "api_key 无效或无权提交诉求");
    let key = key.ok_or_else(invalid)?;
    match state.store.token_user(&jiesu_app::auth::digest(key)).await {
        Ok((user, scope)) if scope == "write" && POSTERS.contains(&user.role) => Ok(user),
        Ok(_) | Err(StoreError::NotFound(_)) => Err(invalid()),
        Err(e) => Err(e.into()),
    }
}

async fn post_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    form: Result<Form<Params>, FormRejection>,
) -> Response {
    let Some((name, format)) = split(&file) else {
        return unsupported();
    };
    if name != "requests" {
        return Open311Error::new(StatusCode::METHOD_NOT_ALLOWED, "该接口不支持此请求方法")
            .answer(format);
    }
    let result = async {
        let Form(params) = form.map_err(|_| {
            Open311Error::bad_request("请以表单（application/x-www-form-urlencoded）提交")
        })?;
        let client = poster(&state, one(&params, "api_key")).await?;
        let service_code = one(&params, "service_code")
            .ok_or_else(|| Open311Error::bad_request("缺少 service_code"))?;
        let description = one(&params, "description")
            .ok_or_else(|| Open311Error::bad_request("缺少 description"))?;
        let attributes = params
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("attribute[")
                    .and_then(|k| k.strip_suffix(']'))
                    .map(|k| (k.to_string(), v.clone()))
            })
            .collect();
        let text = |name| one(&params, name).map(str::to_string);
        let request = NewServiceRequest {
            service_code: service_code.to_string(),
            description: description.to_string(),
            lat: number(&params, "lat")?,
            long: number(&params, "long")?,
            address_string: text("address_string"),
            first_name: text("first_name"),
            last_name: text("last_name"),
            phone: text("phone"),
            email: text("email"),
            attributes,
        };
        let posted = state.open311_submit(&client, request, None).await?;
        Ok(answer(
            format,
            StatusCode::OK,
            "service_requests",
            &[posted],
        ))
    }
    .await;
    respond(format, result)
}
