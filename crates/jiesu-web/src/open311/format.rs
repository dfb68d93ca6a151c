//! The two wire formats of GeoReport v2 (格式): JSON, and XML with a root element named for
//! the list and one child per item (`<services><service>…`), and the specification's error
//! list `[{"code", "description"}]` in either.

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;

/// The format a path asks for by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// Splits `requests.json` into `requests` and its format; `None` without a known extension.
pub fn split(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((name, format))
}

/// An answer: `value` as JSON, or as XML under the element `root`.
pub fn answer(format: Format, status: StatusCode, root: &str, value: &impl Serialize) -> Response {
    let value = match serde_json::to_value(value) {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "open311 answer not serializable");
            return Open311Error::new(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误")
                .answer(format);
        }
    };
    match format {
        Format::Json => (
            status,
            [(CONTENT_TYPE, "application/json; charset=utf-8")],
            value.to_string(),
        )
            .into_response(),
        Format::Xml => (
            status,
            [(CONTENT_TYPE, "text/xml; charset=utf-8")],
            xml(root, &value),
        )
            .into_response(),
    }
}

/// `value` as an XML document with the root element `root`.
pub fn xml(root: &str, value: &Value) -> String {
    let mut out = String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    element(&mut out, root, value);
    out
}

/// The element name of one item of the list `list`.
fn item_name(list: &str) -> &'static str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "errors" => "error",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        _ => "item",
    }
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => {
            out.push('<');
            out.push_str(name);
            out.push_str("/>");
            return;
        }
        _ => {
            out.push('<');
            out.push_str(name);
            out.push('>');
        }
    }
    match value {
        Value::Array(items) => {
            let item = item_name(name);
            for v in items {
                element(out, item, v);
            }
        }
        Value::Object(fields) => {
            for (k, v) in fields {
                element(out, k, v);
            }
        }
        Value::String(s) => escape(out, s),
        other => out.push_str(&other.to_string()),
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// An error as the specification lists it: the HTTP code and a description (in Chinese).
#[derive(Debug)]
pub struct Open311Error {
    pub status: StatusCode,
    pub description: String,
}

#[derive(Serialize)]
struct ErrorItem<'a> {
    code: u16,
    description: &'a str,
}

impl Open311Error {
    pub fn new(status: StatusCode, description: impl Into<String>) -> Open311Error {
        Open311Error {
            status,
            description: description.into(),
        }
    }

    pub fn bad_request(description: impl Into<String>) -> Open311Error {
        Open311Error::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn not_found(description: impl Into<String>) -> Open311Error {
        Open311Error::new(StatusCode::NOT_FOUND, description)
    }

    /// The error list in `format`.
    pub fn answer(&self, format: Format) -> Response {
        let items = [ErrorItem {
            code: self.status.as_u16(),
            description: &self.description,
        }];
        answer(format, self.status, "errors", &items)
    }
}

/// The application's errors keep their status, except that a field the specification's
/// client got wrong is its 400.
impl From<ApiError> for Open311Error {
    fn from(e: ApiError) -> Open311Error {
        let status = match e.status {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            s => s,
        };
        Open311Error::new(status, e.message)
    }
}

impl From<jiesu_app::AppError> for Open311Error {
    fn from(e: jiesu_app::AppError) -> Open311Error {
        ApiError::from(e).into()
    }
}

impl From<jiesu_store::StoreError> for Open311Error {
    fn from(e: jiesu_store::StoreError) -> Open311Error {
        ApiError::from(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_become_elements_per_item() {
        let doc = xml(
            "services",
            &json!([{"service_code": "a1", "metadata": true, "group": "R&D <x>"}]),
        );
        assert_eq!(
            doc,
            r#"<?xml version="1.0" encoding="utf-8"?><services><service><group>R&amp;D &lt;x&gt;</group><metadata>true</metadata><service_code>a1</service_code></service></services>"#
        );
    }

    #[test]
    fn missing_values_are_empty_elements() {
        assert!(xml("service_requests", &json!([{"lat": null}])).contains("<lat/>"));
    }

    #[test]
    fn extensions_pick_the_format() {
        assert_eq!(split("requests.json"), Some(("requests", Format::Json)));
        assert_eq!(split("1.2.xml"), Some(("1.2", Format::Xml)));
        assert_eq!(split("requests"), None);
        assert_eq!(split("requests.csv"), None);
    }
}
