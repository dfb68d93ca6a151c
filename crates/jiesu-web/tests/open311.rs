//! Open311 GeoReport v2 (开放311接口) through HTTP: discovery, services and their
//! definitions, posting with an API key, reading requests with the specification's filters,
//! tokens, both formats, the error list — and a confidential citizen never shown.

mod support;

use jiesu_domain::user::Role;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

struct Server {
    base: String,
    http: Client,
    /// A write-scoped key of an operator.
    key: String,
    /// A read-scoped key of the same operator.
    read_key: String,
}

async fn api_key(s: &Client, base: &str, token: &str, scope: &str) -> String {
    let r: Value = s
        .post(format!("{base}/api/tokens"))
        .bearer_auth(token)
        .json(&json!({"name": format!("open311 {scope}"), "scope": scope}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["secret"].as_str().unwrap().to_string()
}

async fn start() -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = support::sqlite_store(dir.path()).await;
    support::users(&*store, &[("op", Role::Operator, None)]).await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store).await.unwrap());
    let base = support::serve(state).await;
    let http = Client::new();
    let token = support::token(&http, &base, "op").await;
    let key = api_key(&http, &base, &token, "write").await;
    let read_key = api_key(&http, &base, &token, "read").await;
    (
        Server {
            base,
            http,
            key,
            read_key,
        },
        dir,
    )
}

impl Server {
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}/open311/v2/{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let (status, text) = self.get(path).await;
        (status, serde_json::from_str(&text).unwrap())
    }

    async fn post(&self, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}/open311/v2/requests.json", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        (r.status(), r.json().await.unwrap())
    }

    /// The code of the first service.
    async fn a_service(&self) -> String {
        let (_, services) = self.get_json("services.json").await;
        services[0]["service_code"].as_str().unwrap().to_string()
    }
}

/// The fields of `form` and then `extra`.
fn with<'a>(form: &[(&'a str, &'a str)], extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    [form, extra].concat()
}

/// The one error of a specification error list, as (code, description).
fn error_of(v: &Value) -> (u64, String) {
    let list = v.as_array().expect("an error list");
    assert_eq!(list.len(), 1, "{v}");
    (
        list[0]["code"].as_u64().unwrap(),
        list[0]["description"].as_str().unwrap().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_and_services_in_both_formats() {
    let (s, _dir) = start().await;
    let (status, discovery) = s.get_json("discovery.json").await;
    assert_eq!(status, StatusCode::OK);
    let endpoint = &discovery["endpoints"][0];
    assert!(endpoint["url"].as_str().unwrap().ends_with("/open311/v2"));
    assert_eq!(endpoint["formats"], json!(["text/xml", "application/json"]));
    let (status, xml) = s.get("discovery.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(xml.contains("<endpoints><endpoint>"), "{xml}");
    assert!(xml.contains("<format>application/json</format>"), "{xml}");

    let (_, services) = s.get_json("services.json").await;
    let services = services.as_array().unwrap();
    assert!(services.len() > 10);
    let first = &services[0];
    assert_eq!(first["metadata"], json!(true));
    assert_eq!(first["type"], json!("realtime"));
    let code = first["service_code"].as_str().unwrap();
    let (_, xml) = s.get("services.xml").await;
    assert!(xml.starts_with(r#"<?xml version="1.0" encoding="utf-8"?><services><service>"#));
    assert!(xml.contains(&format!("<service_code>{code}</service_code>")));

    let (status, definition) = s.get_json(&format!("services/{code}.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(definition["service_code"], json!(code));
    let codes: Vec<&str> = definition["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["type", "confidential"]);
    let (_, xml) = s.get(&format!("services/{code}.xml")).await;
    assert!(xml.contains("<service_definition>"), "{xml}");
    assert!(xml.contains("<values><value><key>投诉</key>"), "{xml}");

    let (status, err) = s.get_json("services/nothing.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_of(&err).0, 404);
    let (status, xml) = s.get("services/nothing.xml").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        xml.contains("<errors><error><code>404</code><description>"),
        "{xml}"
    );
    let (status, _) = s.get("services.csv").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posting_needs_a_write_key_of_an_intake_role_and_valid_fields() {
    let (s, _dir) = start().await;
    let code = s.a_service().await;
    let base = [
        ("service_code", code.as_str()),
        ("description", "青禾小区东门路灯不亮"),
        ("address_string", "示范区青禾小区东门"),
    ];
    for key in ["", "wrong", s.read_key.as_str()] {
        let mut form = base.to_vec();
        form.push(("api_key", key));
        let (status, err) = s.post(&form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{key}: {err}");
        assert_eq!(error_of(&err).0, 403);
    }
    let key = s.key.as_str();
    let (status, err) = s
        .post(&[
            ("api_key", key),
            ("service_code", "nothing"),
            ("description", "x"),
            ("lat", "1"),
            ("long", "2"),
        ])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert!(error_of(&err).1.contains("service_code"), "{err}");
    let mut cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (with(&base, &[("lat", "north"), ("long", "1")]), "lat"),
        (with(&base, &[("lat", "30.5")]), "place"),
        (
            with(&base, &[("attribute[type]", "问候")]),
            "attribute[type]",
        ),
        (with(&base, &[("attribute[colour]", "red")]), "attribute"),
        (with(&base, &[("phone", "12ab")]), "phone"),
        (with(&base, &[("email", "a@example.cn>, b@x.cn")]), "email"),
    ];
    cases.push((
        vec![("service_code", code.as_str()), ("description", "路灯不亮")],
        "address_string",
    ));
    for (mut form, field) in cases {
        form.push(("api_key", key));
        let (status, err) = s.post(&form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {err}");
        assert!(error_of(&err).1.contains(field), "{field}: {err}");
    }
    let (status, posted) = s
        .post(&with(
            &base,
            &[("api_key", key), ("attribute[type]", "求助")],
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    let id = posted[0]["service_request_id"].as_str().unwrap();
    assert!(
        posted[0]["service_notice"]
            .as_str()
            .unwrap()
            .contains("查询码")
    );
    let (_, token) = s.get_json(&format!("tokens/{id}.json")).await;
    assert_eq!(token[0]["service_request_id"], json!(id));
    let (status, err) = s.get_json("tokens/000.json").await;
    assert_eq!((status, error_of(&err).0), (StatusCode::NOT_FOUND, 404));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_read_with_filters_and_never_show_a_confidential_citizen() {
    let (s, _dir) = start().await;
    let (_, services) = s.get_json("services.json").await;
    let code_a = services[0]["service_code"].as_str().unwrap().to_string();
    let code_b = services[services.as_array().unwrap().len() - 1]["service_code"]
        .as_str()
        .unwrap()
        .to_string();
    let key = s.key.clone();
    let (_, open) = s
        .post(&[
            ("api_key", &key),
            ("service_code", &code_a),
            ("description", "青禾小区路面塌陷"),
            ("lat", "30.25"),
            ("long", "120.5"),
            ("address_string", "示范区青禾小区北门"),
            ("first_name", "小明"),
            ("last_name", "王"),
            ("phone", "13800001111"),
            ("email", "xiaoming@example.cn"),
        ])
        .await;
    let open_id = open[0]["service_request_id"].as_str().unwrap().to_string();
    let (_, secret) = s
        .post(&[
            ("api_key", &key),
            ("service_code", &code_b),
            ("description", "举报示范区某处噪声"),
            ("address_string", "示范区青禾路八号"),
            ("first_name", "小红"),
            ("last_name", "李"),
            ("phone", "13900002222"),
            ("attribute[confidential]", "true"),
        ])
        .await;
    let secret_id = secret[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();

    let (status, one) = s.get_json(&format!("requests/{open_id}.json")).await;
    assert_eq!(status, StatusCode::OK);
    let one = &one[0];
    assert_eq!(one["status"], json!("open"));
    assert_eq!(one["service_code"], json!(code_a));
    assert_eq!(one["description"], json!("青禾小区路面塌陷"));
    assert_eq!(one["address"], json!("示范区青禾小区北门"));
    assert_eq!(
        (one["lat"].as_f64(), one["long"].as_f64()),
        (Some(30.25), Some(120.5))
    );

    for path in [
        format!("requests/{secret_id}.json"),
        format!("requests/{secret_id}.xml"),
        "requests.json".to_string(),
        "requests.xml".to_string(),
    ] {
        let (status, text) = s.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        for private in [
            "13800001111",
            "13900002222",
            "xiaoming@",
            "王小明",
            "李小红",
            "噪声",
            "青禾路八号",
        ] {
            assert!(!text.contains(private), "{path} shows {private}: {text}");
        }
    }
    let (_, xml) = s.get(&format!("requests/{secret_id}.xml")).await;
    assert!(xml.contains("<service_requests><request>"), "{xml}");
    assert!(xml.contains("<description/>"), "{xml}");

    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["service_request_id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, all) = s.get_json("requests.json").await;
    assert_eq!(ids(&all), [secret_id.as_str(), open_id.as_str()]);
    let (_, listed) = s
        .get_json(&format!("requests.json?service_code={code_a}"))
        .await;
    assert_eq!(ids(&listed), [open_id.as_str()]);
    let (_, listed) = s.get_json("requests.json?status=closed").await;
    assert_eq!(ids(&listed), Vec::<String>::new());
    let (_, listed) = s.get_json("requests.json?status=open,closed").await;
    assert_eq!(ids(&listed).len(), 2);
    let (_, listed) = s
        .get_json(&format!(
            "requests.json?service_request_id={open_id},404,{secret_id}"
        ))
        .await;
    assert_eq!(ids(&listed), [open_id.as_str(), secret_id.as_str()]);
    let (_, listed) = s
        .get_json("requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z")
        .await;
    assert_eq!(ids(&listed), Vec::<String>::new());

    for (query, field) in [
        ("status=pending", "status"),
        ("start_date=yesterday", "start_date"),
        (
            "start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z",
            "90",
        ),
        ("service_code=nothing", "service_code"),
    ] {
        let (status, err) = s.get_json(&format!("requests.json?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {err}");
        let (code, description) = error_of(&err);
        assert_eq!(code, 400);
        assert!(description.contains(field), "{query}: {description}");
    }
    let (status, err) = s.get_json("requests/2020010100001.json").await;
    assert_eq!((status, error_of(&err).0), (StatusCode::NOT_FOUND, 404));
}
