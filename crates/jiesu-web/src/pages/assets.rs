//! The pages' own style sheet and script, embedded in the binary (no CDN; works offline).

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::PageError;

const CSS: &str = include_str!("../../static/app.css");
const JS: &str = include_str!("../../static/app.js");
const PICKER: &str = include_str!("../../static/picker.js");
const INTAKE_JS: &str = include_str!("../../static/intake.js");
const RECEPTION_JS: &str = include_str!("../../static/reception.js");
const ICON: &str = include_str!("../../static/favicon.svg");
const POINTS_JS: &str = include_str!("../../static/points.js");

pub async fn file(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        "picker.js" => (PICKER, "text/javascript; charset=utf-8"),
        "intake.js" => (INTAKE_JS, "text/javascript; charset=utf-8"),
        "reception.js" => (RECEPTION_JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (ICON, "image/svg+xml"),
        "points.js" => (POINTS_JS, "text/javascript; charset=utf-8"),
        _ => return PageError::not_found("文件").into_response(),
    };
    (
        [
            (CONTENT_TYPE, kind),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
