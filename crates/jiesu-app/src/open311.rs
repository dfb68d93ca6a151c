//! Open311 GeoReport v2 (开放311接口): our categories as services, our appeals as service
//! requests, and intake from an Open311 client. This module holds the mapping — service
//! codes, open/closed from our states, what of an appeal is public — and the use cases the
//! web edge's `/open311/v2/` routes call; the wire formats (JSON, XML) live in the edge.
//!
//! What a service request shows is public (the specification's reads need no key): never
//! the citizen's name or phone, and for a confidential (保密) citizen neither the
//! description nor the place.

use chrono::{DateTime, Duration, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::{Appeal, Citizen, Place};
use jiesu_domain::body::Body;
use jiesu_domain::category::CategoryPath;
use jiesu_domain::kinds::{AppealType, Channel};
use jiesu_domain::status::Status;
use jiesu_domain::user::{Actor, User};
use jiesu_store::{AppealFilter, Page};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::App;
use crate::error::AppResult;
use crate::intake::{CallerKey, IntakeRequest};

/// The longest window a request list may span, and the default window (the last days).
pub const MAX_WINDOW_DAYS: i64 = 90;
/// The most service requests one list answers.
pub const MAX_REQUESTS: i64 = Page::MAX_LIMIT;

/// A category offered as an Open311 service (服务类型).
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Every service takes the attributes of [`attributes`].
    pub metadata: bool,
    /// `realtime`: a request gets its id at once.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub keywords: String,
    /// The first level of the category.
    pub group: String,
}

/// The stable code of a category: the first 8 hex digits of the SHA-256 of its levels
/// joined with `/`, so codes survive reordering the taxonomy and are safe in a URL.
pub fn service_code(path: &CategoryPath) -> String {
    let digest = Sha256::digest(path.levels().join("/").as_bytes());
    hex::encode(&digest[..4])
}

fn service(path: &CategoryPath) -> Service {
    let levels = path.levels();
    Service {
        service_code: service_code(path),
        service_name: levels.last().cloned().unwrap_or_default(),
        description: path.to_string(),
        metadata: true,
        kind: "realtime",
        keywords: levels.join(","),
        group: path.first().to_string(),
    }
}

/// `open` or `closed`, as the specification knows states.
pub fn open_or_closed(status: Status) -> &'static str {
    if status.is_open() { "open" } else { "closed" }
}

/// One value a list attribute takes.
#[derive(Debug, Clone, Serialize)]
pub struct AttributeValue {
    pub key: String,
    pub name: String,
}

/// An attribute a service request may carry (`attribute[code]` when posting).
#[derive(Debug, Clone, Serialize)]
pub struct Attribute {
    pub variable: bool,
    pub code: &'static str,
    pub datatype: &'static str,
    pub required: bool,
    pub datatype_description: &'static str,
    pub order: u32,
    pub description: &'static str,
    pub values: Vec<AttributeValue>,
}

/// The attributes every service takes: the type of appeal (诉求类型, complaint when not
/// given) and whether the citizen asks for confidentiality (保密).
pub fn attributes() -> Vec<Attribute> {
    let values = |pairs: Vec<(String, String)>| {
        pairs
            .into_iter()
            .map(|(key, name)| AttributeValue { key, name })
            .collect()
    };
    vec![
        Attribute {
            variable: true,
            code: "type",
            datatype: "singlevaluelist",
            required: false,
            datatype_description: "诉求类型，默认为投诉",
            order: 1,
            description: "诉求类型",
            values: values(
                AppealType::ALL
                    .iter()
                    .map(|t| (t.label().to_string(), t.label().to_string()))
                    .collect(),
            ),
        },
        Attribute {
            variable: true,
            code: "confidential",
            datatype: "singlevaluelist",
            required: false,
            datatype_description: "是否要求对诉求人信息保密，默认为否",
            order: 2,
            description: "保密",
            values: values(vec![
                ("true".into(), "是".into()),
                ("false".into(), "否".into()),
            ]),
        },
    ]
}

/// A service's definition: its code and its attributes.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

/// An appeal as an Open311 service request: only what may be public.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRequest {
    /// The appeal's number (受理编号).
    pub service_request_id: String,
    pub status: &'static str,
    /// Our state in Chinese (办理中, 已办结…).
    pub status_notes: String,
    pub service_name: Option<String>,
    pub service_code: Option<String>,
    /// The title; withheld for a confidential citizen.
    pub description: Option<String>,
    /// The lead body (承办单位), once dispatched.
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: DateTime<Utc>,
    pub updated_datetime: DateTime<Utc>,
    pub expected_datetime: Option<DateTime<Utc>>,
    /// Withheld for a confidential citizen.
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

/// The public view of `appeal`; `bodies` name the agency.
pub fn service_request(appeal: &Appeal, bodies: &[Body]) -> ServiceRequest {
    let hidden = appeal.citizen.confidential;
    let place = (!hidden).then_some(&appeal.place);
    ServiceRequest {
        service_request_id: appeal.number.0.clone(),
        status: open_or_closed(appeal.status),
        status_notes: appeal.status.label().to_string(),
        service_name: appeal
            .category
            .as_ref()
            .and_then(|c| c.levels().last().cloned()),
        service_code: appeal.category.as_ref().map(service_code),
        description: (!hidden).then(|| appeal.title.clone()),
        agency_responsible: appeal
            .lead_body
            .and_then(|id| bodies.iter().find(|b| b.id == id))
            .map(|b| b.name.clone()),
        service_notice: None,
        requested_datetime: appeal.created_at,
        updated_datetime: appeal.updated_at,
        expected_datetime: None,
        address: place.map(|p| p.address.clone()).filter(|a| !a.is_empty()),
        address_id: None,
        zipcode: None,
        lat: place.and_then(|p| p.lat),
        long: place.and_then(|p| p.lng),
        media_url: None,
    }
}

/// The filters of `GET requests` (all optional; ids override the others).
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    pub ids: Vec<String>,
    pub service_codes: Vec<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// `open` and/or `closed`; empty means both.
    pub statuses: Vec<String>,
}

/// A service request posted by an Open311 client (`POST requests`).
#[derive(Debug, Clone, Default)]
pub struct NewServiceRequest {
    pub service_code: String,
    pub description: String,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub address_string: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `attribute[code]` values by code.
    pub attributes: Vec<(String, String)>,
}

/// A posted request as registered: its number and what the client may tell the citizen.
#[derive(Debug, Clone, Serialize)]
pub struct Posted {
    pub service_request_id: String,
    /// Our intake is immediate: the token is the request's id.
    pub token: String,
    /// The citizen's query code (查询码), in words.
    pub service_notice: String,
    pub account_id: Option<String>,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// The title of an appeal posted without one: the start of its description.
fn title_of(description: &str) -> String {
    const TITLE_CHARS: usize = 30;
    let first_line = description.trim().lines().next().unwrap_or_default();
    first_line.chars().take(TITLE_CHARS).collect()
}

fn yes(value: &str) -> Result<bool, DomainError> {
    match value.trim() {
        "true" | "1" | "是" => Ok(true),
        "false" | "0" | "否" | "" => Ok(false),
        _ => Err(invalid("attribute[confidential]", "只能是 true 或 false")),
    }
}

impl App {
    /// Every leaf category as a service, in the taxonomy's order.
    pub fn open311_services(&self) -> Vec<Service> {
        self.taxonomy().leaves().map(service).collect()
    }

    /// The category with this service code.
    fn category_of(&self, code: &str) -> Result<CategoryPath, DomainError> {
        self.taxonomy()
            .leaves()
            .find(|p| service_code(p) == code.trim())
            .cloned()
            .ok_or_else(|| invalid("service_code", format!("未知服务类型「{}」", code.trim())))
    }

    /// The definition of the service `code`; `None` when no such service exists.
    pub fn open311_definition(&self, code: &str) -> Option<ServiceDefinition> {
        self.category_of(code).ok().map(|path| ServiceDefinition {
            service_code: service_code(&path),
            attributes: attributes(),
        })
    }

    /// One appeal by its number, as a service request.
    pub async fn open311_request(&self, id: &str) -> AppResult<ServiceRequest> {
        let (appeal, _) = self.store.appeal_by_number(id.trim()).await?;
        Ok(service_request(&appeal, &self.store.bodies().await?))
    }

    /// The appeals matching `query`, newest first, at most [`MAX_REQUESTS`].
    pub async fn open311_requests(
        &self,
        query: &RequestQuery,
        now: DateTime<Utc>,
    ) -> AppResult<Vec<ServiceRequest>> {
        let bodies = self.store.bodies().await?;
        if !query.ids.is_empty() {
            let mut out = Vec::new();
            for id in query.ids.iter().take(MAX_REQUESTS as usize) {
                match self.store.appeal_by_number(id.trim()).await {
                    Ok((appeal, _)) => out.push(service_request(&appeal, &bodies)),
                    Err(jiesu_store::StoreError::NotFound(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            return Ok(out);
        }
        let window = Duration::days(MAX_WINDOW_DAYS);
        let (start, end) = match (query.start, query.end) {
            (Some(s), Some(e)) => (s, e),
            (Some(s), None) => (s, (s + window).min(now)),
            (None, Some(e)) => (e - window, e),
            (None, None) => (now - window, now),
        };
        if end < start {
            return Err(invalid("end_date", "结束时间不能早于开始时间").into());
        }
        if end - start > window {
            return Err(invalid(
                "start_date",
                format!("时间范围不能超过 {MAX_WINDOW_DAYS} 天"),
            )
            .into());
        }
        let mut statuses = Vec::new();
        for s in &query.statuses {
            match s.trim() {
                "open" => statuses.extend(Status::ALL.iter().filter(|s| s.is_open())),
                "closed" => statuses.extend(Status::ALL.iter().filter(|s| !s.is_open())),
                _ => return Err(invalid("status", "只能是 open 或 closed").into()),
            }
        }
        let categories = query
            .service_codes
            .iter()
            .map(|c| self.category_of(c))
            .collect::<Result<Vec<_>, _>>()?;
        let first_levels: std::collections::BTreeSet<&str> =
            categories.iter().map(CategoryPath::first).collect();
        let filter = AppealFilter {
            statuses,
            category_l1: (first_levels.len() == 1)
                .then(|| first_levels.into_iter().next().map(str::to_string))
                .flatten(),
            from: Some(start),
            to: Some(end),
            ..AppealFilter::default()
        };
        let page = self
            .store
            .list_appeals(&filter, Page::new(0, MAX_REQUESTS))
            .await?;
        Ok(page
            .items
            .iter()
            .filter(|a| {
                categories.is_empty() || a.category.as_ref().is_some_and(|c| categories.contains(c))
            })
            .map(|a| service_request(a, &bodies))
            .collect())
    }

    /// Registers a posted service request as an appeal through intake, on behalf of
    /// `client` (the account of the API key).
    pub async fn open311_submit(
        &self,
        client: &User,
        request: NewServiceRequest,
        idempotency_key: Option<CallerKey>,
    ) -> AppResult<Posted> {
        let category = self.category_of(&request.service_code)?;
        let mut appeal_type = AppealType::Complaint;
        let mut confidential = false;
        for (code, value) in &request.attributes {
            match code.as_str() {
                "type" => {
                    appeal_type = AppealType::ALL
                        .iter()
                        .copied()
                        .find(|t| t.label() == value.trim())
                        .ok_or_else(|| invalid("attribute[type]", "未知诉求类型"))?;
                }
                "confidential" => confidential = yes(value)?,
                _ => return Err(invalid("attribute", format!("未知属性「{code}」")).into()),
            }
        }
        let has_place = request.lat.is_some()
            || request.long.is_some()
            || request
                .address_string
                .as_deref()
                .is_some_and(|a| !a.trim().is_empty());
        if !has_place {
            return Err(invalid("lat", "须提供经纬度或地址 address_string").into());
        }
        let name: String = [request.last_name, request.first_name]
            .into_iter()
            .flatten()
            .map(|n| n.trim().to_string())
            .collect();
        let intake = IntakeRequest {
            channel: Some(Channel::Website),
            appeal_type,
            title: title_of(&request.description),
            text: request.description,
            citizen: Citizen {
                anonymous: name.is_empty(),
                name: (!name.is_empty()).then_some(name),
                phone: request.phone,
                email: request.email,
                confidential,
            },
            place: Place {
                address: request.address_string.unwrap_or_default(),
                lat: request.lat,
                lng: request.long,
                ..Place::default()
            },
            category: Some(category.levels().join("/")),
            urgency: None,
            received_at: None,
            point_id: None,
            files: vec![],
        };
        let registered = self
            .intake(
                intake,
                Channel::Website,
                Actor::user(client),
                idempotency_key,
                None,
            )
            .await?;
        Ok(Posted {
            service_request_id: registered.appeal.number.0.clone(),
            token: registered.appeal.number.0.clone(),
            service_notice: format!(
                "已受理，受理编号 {}，查询码 {}",
                registered.appeal.number, registered.query_code
            ),
            account_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_short() {
        let path = CategoryPath::parse("城乡建设/市政设施/路灯").unwrap();
        assert_eq!(service_code(&path), service_code(&path.clone()));
        assert_eq!(service_code(&path).len(), 8);
        assert_ne!(
            service_code(&path),
            service_code(&CategoryPath::parse("城乡建设/市政设施").unwrap())
        );
    }

    #[test]
    fn states_map_to_open_or_closed() {
        assert_eq!(open_or_closed(Status::Handling), "open");
        assert_eq!(open_or_closed(Status::AwaitingCallback), "open");
        assert_eq!(open_or_closed(Status::Closed), "closed");
        assert_eq!(open_or_closed(Status::Merged), "closed");
    }

    #[test]
    fn titles_come_from_the_description() {
        assert_eq!(title_of("  路灯不亮\n第二行"), "路灯不亮");
        assert_eq!(title_of(&"长".repeat(50)).chars().count(), 30);
    }
}
