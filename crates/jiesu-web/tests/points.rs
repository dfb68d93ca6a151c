//! Service points (便民点位) over the JSON API on a real server, on SQLite and PostgreSQL:
//! the admin adds points checked against their kind and the city's districts, imports a
//! table all or none (a bad row named by its line), exports it; anyone lists, filters and
//! finds the nearest points by coordinates or a typed street; an appeal names a point and
//! staff see it among the point's open appeals.

mod support;

use std::sync::Arc;

use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::Role;
use jiesu_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

struct Api {
    base: String,
    http: Client,
}

impl Api {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn raw(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Vec<u8>) {
        let res = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(token)
            .body(body)
            .send()
            .await
            .unwrap();
        (res.status(), res.bytes().await.unwrap().to_vec())
    }
}

fn station(name: &str, lon: f64, lat: f64, facilities: &[&str]) -> Value {
    json!({
        "name": name, "kind": "爱心驿站", "address": "青禾路1号", "lon": lon, "lat": lat,
        "district": "示范区", "street": "青禾街道", "hours": "8:00-20:00",
        "facilities": facilities,
    })
}

const TABLE_HEAD: &str = "名称,类型,地址,经度,纬度,区县,街道,开放时间,联系方式,设施\n";

async fn story(store: Arc<dyn Store>) {
    let district = store
        .create_body(&NewBody {
            name: "示范区人民政府".into(),
            kind: BodyKind::District,
            parent: None,
            areas: vec!["示范区".into()],
        })
        .await
        .unwrap();
    store
        .create_body(&NewBody {
            name: "示范区青禾街道办事处".into(),
            kind: BodyKind::Street,
            parent: Some(district.id),
            areas: vec!["青禾街道".into()],
        })
        .await
        .unwrap();
    support::users(
        &*store,
        &[("adm", Role::Admin, None), ("op", Role::Operator, None)],
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store).await.unwrap());
    let api = Api {
        base: support::serve(state).await,
        http: Client::new(),
    };
    let adm = support::token(&api.http, &api.base, "adm").await;
    let op = support::token(&api.http, &api.base, "op").await;

    // Adding points: only the admin, checked against the kind and the districts.
    let a = station("青禾驿站", 112.40, 37.70, &["饮水", "充电"]);
    let (status, _) = api
        .call("POST", "/api/points", Some(&op), Some(a.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = api
        .call(
            "POST",
            "/api/points",
            Some(&adm),
            Some(station("甲", 112.4, 37.7, &["加油枪"])),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["message"].as_str().unwrap().contains("加油枪"), "{err}");
    let mut elsewhere = a.clone();
    elsewhere["district"] = json!("火星区");
    let (status, err) = api
        .call("POST", "/api/points", Some(&adm), Some(elsewhere))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["message"].as_str().unwrap().contains("不是本市的区县"),
        "{err}"
    );
    let (status, created) = api.call("POST", "/api/points", Some(&adm), Some(a)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let first = created["id"].as_i64().unwrap();

    // An import with one bad row stores nothing and names the row.
    let bad = format!(
        "{TABLE_HEAD}松林驿站,爱心驿站,松林路2号,112.41,37.71,示范区,青禾街道,,,饮水\n\
         坏行,爱心驿站,,东经,37.7,示范区,,,,\n"
    );
    let (status, body) = api
        .raw(
            "POST",
            "/api/points/import?format=csv",
            &adm,
            bad.into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_slice(&body).unwrap();
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("第 3 行") && message.contains("经度"),
        "{message}"
    );
    let (_, list) = api.call("GET", "/api/points", None, None).await;
    assert_eq!(list["total"], 1, "nothing half-imported");

    let good = format!(
        "{TABLE_HEAD}松林驿站,爱心驿站,松林路2号,112.41,37.71,示范区,青禾街道,,,饮水、药箱\n\
         荷塘公厕,公厕,荷塘路3号,112.45,37.75,示范区,,全天开放,,无障碍厕位\n"
    );
    let (status, body) = api
        .raw(
            "POST",
            "/api/points/import?format=csv",
            &adm,
            good.into_bytes(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&body)
    );

    // Export, then the XLSX back in: rows keep their ids, so they replace, not add.
    let (status, csv) = api
        .raw("GET", "/api/points/export?format=csv", &adm, vec![])
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.starts_with("编号,名称,类型") && csv.contains("荷塘公厕"),
        "{csv}"
    );
    let (_, xlsx) = api
        .raw("GET", "/api/points/export?format=xlsx", &adm, vec![])
        .await;
    let (status, again) = api
        .raw("POST", "/api/points/import?format=xlsx", &adm, xlsx)
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&again)
    );
    let (_, list) = api.call("GET", "/api/points", None, None).await;
    assert_eq!(list["total"], 3);

    // Filters and the nearest, for anyone.
    let (_, water) = api
        .call(
            "GET",
            "/api/points?kind=%E7%88%B1%E5%BF%83%E9%A9%BF%E7%AB%99&facility=%E8%8D%AF%E7%AE%B1",
            None,
            None,
        )
        .await;
    assert_eq!(water["total"], 1);
    assert_eq!(water["items"][0]["name"], "松林驿站");
    let (status, near) = api
        .call(
            "GET",
            "/api/points/nearest?lon=112.449&lat=37.749&k=2",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{near}");
    assert_eq!(near["items"][0]["name"], "荷塘公厕");
    assert_eq!(near["items"][1]["name"], "松林驿站");
    assert!(near["items"][0]["distance_m"].as_f64().unwrap() < 200.0);
    let (status, near) = api
        .call(
            "GET",
            "/api/points/nearest?place=%E9%9D%92%E7%A6%BE%E8%A1%97%E9%81%93&k=1",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{near}");
    assert_eq!(near["origin"]["label"], "示范区青禾街道");
    let (status, err) = api
        .call(
            "GET",
            "/api/points/nearest?place=%E7%81%AB%E6%98%9F",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["message"].as_str().unwrap().contains("找不到"), "{err}");
    let (status, _) = api.call("GET", "/api/points/nearest", None, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api
        .call("GET", "/api/points/nearest?lon=500&lat=37", None, None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // An appeal names a point; staff see it among the point's open appeals.
    let (status, appeal) = api
        .call(
            "POST",
            "/api/appeals",
            Some(&op),
            Some(json!({"type": "投诉", "title": "驿站没有热水", "text": "青禾驿站的饮水机坏了"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{appeal}");
    let appeal_id = appeal["appeal"]["id"].as_i64().unwrap();
    let path = format!("/api/appeals/{appeal_id}/point");
    let (status, _) = api
        .call("POST", &path, Some(&op), Some(json!({"point_id": 99999})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api
        .call("POST", &path, Some(&op), Some(json!({"point_id": first})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, open) = api
        .call(
            "GET",
            &format!("/api/points/{first}/appeals"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open[0]["title"], "驿站没有热水");
    let (status, _) = api
        .call("GET", &format!("/api/points/{first}/appeals"), None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An intake names the point itself (recorded with the appeal); an unknown one is a
    // field of the request the caller got wrong.
    let (status, named) = api
        .call(
            "POST",
            "/api/appeals",
            Some(&op),
            Some(
                json!({"type": "投诉", "title": "驿站门口积水", "text": "驿站门口一下雨就积水",
                        "point_id": first, "citizen": {"email": "citizen@example.cn"}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{named}");
    assert_eq!(named["appeal"]["citizen"]["email"], "citizen@example.cn");
    let (_, open) = api
        .call(
            "GET",
            &format!("/api/points/{first}/appeals"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(open[0]["title"], "驿站门口积水", "{open}");
    for (body, field) in [
        (
            json!({"type": "投诉", "title": "积水", "text": "积水", "point_id": 99999}),
            "point_id",
        ),
        (
            json!({"type": "投诉", "title": "积水", "text": "积水", "point_id": -1}),
            "point_id",
        ),
        (
            json!({"type": "投诉", "title": "积水", "text": "积水",
                "citizen": {"email": "a@example.cn>, b@example.cn"}}),
            "citizen.email",
        ),
    ] {
        let (status, err) = api
            .call("POST", "/api/appeals", Some(&op), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["message"].as_str().unwrap().contains(field), "{err}");
    }

    // The public page lists and maps them.
    let page = api
        .http
        .get(format!("{}/points?kind=%E5%85%AC%E5%8E%95", api.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("荷塘公厕") && !page.contains("松林驿站"),
        "{page}"
    );
    assert!(page.contains("<svg") && page.contains("map-dot"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn points_over_the_api_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn points_over_the_api_on_postgres() {
    story(support::postgres_store("points").await).await;
}
