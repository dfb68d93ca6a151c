//! Attachments (附件) through the API: uploaded with an intake and with a reply as
//! multipart, listed and downloaded by those who may see the appeal, refused to another
//! body's handler, shown to the citizen with the query code; a bad file leaves nothing
//! behind. Run on SQLite with a files directory and on PostgreSQL in the database.

mod support;

use std::sync::Arc;

use jiesu_app::attachments::{FileStorage, Files};
use jiesu_domain::attachment::AttachmentLimits;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::Role;
use jiesu_store::Store;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

async fn street(store: &Arc<dyn Store>, name: &str) -> BodyId {
    let new = NewBody {
        name: name.into(),
        kind: BodyKind::Street,
        parent: None,
        areas: vec![],
    };
    store.create_body(&new).await.unwrap().id
}

/// A multipart body: `data` (JSON) and the files.
fn upload(data: &Value, files: &[(&str, &'static [u8])]) -> Form {
    let mut form = Form::new().text("data", data.to_string());
    for (name, content) in files {
        form = form.part("files", Part::bytes(*content).file_name(name.to_string()));
    }
    form
}

async fn send(http: &reqwest::Client, url: String, token: &str, form: Form) -> (u16, Value) {
    let r = http
        .post(url)
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn fetch(http: &reqwest::Client, url: String, token: &str) -> (u16, String, Vec<u8>) {
    let r = http.get(url).bearer_auth(token).send().await.unwrap();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), kind, r.bytes().await.unwrap().to_vec())
}

async fn attachments_reach_only_those_who_may_see(
    store: Arc<dyn Store>,
    storage: Option<FileStorage>,
) {
    let (east, west) = (
        street(&store, "东湖街道").await,
        street(&store, "西山街道").await,
    );
    support::users(
        &*store,
        &[
            ("op", Role::Operator, None),
            ("disp", Role::Dispatcher, None),
            ("east", Role::Handler, Some(east)),
            ("west", Role::Handler, Some(west)),
        ],
    )
    .await;
    let mut app = jiesu_app::App::load(store.clone()).await.unwrap();
    if let Some(storage) = storage {
        let limits = AttachmentLimits {
            max_bytes: 4096,
            max_files: 3,
        };
        app = app.with_files(Files { storage, limits });
    }
    let base = support::serve(jiesu_web::AppState::new(app)).await;
    let http = reqwest::Client::new();
    let [op, disp, mine, theirs] = [
        support::token(&http, &base, "op").await,
        support::token(&http, &base, "disp").await,
        support::token(&http, &base, "east").await,
        support::token(&http, &base, "west").await,
    ];
    let intake = json!({"type": "投诉", "title": "井盖缺失", "text": "东湖路口井盖缺失，夜间危险",
                        "citizen": {"name": "王先生", "phone": "13900001111"}});

    // A file that is not what it claims: refused by name, and no appeal is recorded.
    let (status, error) = send(
        &http,
        format!("{base}/api/appeals"),
        &op,
        upload(
            &intake,
            &[("现场.jpg", PNG), ("说明.pdf", b"MZ\x90\0not a pdf")],
        ),
    )
    .await;
    assert_eq!(status, 422, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("说明.pdf"),
        "{error}"
    );
    let listed: Value = http
        .get(format!("{base}/api/appeals"))
        .bearer_auth(&op)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 0, "{listed}");

    // The intake with a photo and a PDF, dispatched to the east street.
    let (status, registered) = send(
        &http,
        format!("{base}/api/appeals"),
        &op,
        upload(&intake, &[("现场.png", PNG), ("证明.pdf", PDF)]),
    )
    .await;
    assert_eq!(status, 201, "{registered}");
    let id = registered["appeal"]["id"].as_i64().unwrap();
    let number = registered["appeal"]["number"].as_str().unwrap().to_string();
    let code = registered["query_code"].as_str().unwrap().to_string();
    for action in [
        json!({"action": "dispatch", "lead": east.0, "note": ""}),
        json!({"action": "sign"}),
    ] {
        let who = if action["action"] == "sign" {
            &mine
        } else {
            &disp
        };
        let r = http
            .post(format!("{base}/api/appeals/{id}/actions"))
            .bearer_auth(who)
            .json(&action)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{action}: {}", r.status());
    }

    // The handler replies with a photo of the work done.
    let (status, detail) = send(
        &http,
        format!("{base}/api/appeals/{id}/actions"),
        &mine,
        upload(
            &json!({"action": "reply", "text": "已补装井盖"}),
            &[("整改后.png", PNG)],
        ),
    )
    .await;
    assert_eq!(status, 200, "{detail}");

    let list = |token: String| {
        let http = http.clone();
        let url = format!("{base}/api/appeals/{id}/attachments");
        async move {
            let r = http.get(url).bearer_auth(token).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, files) = list(op.clone()).await;
    assert_eq!(status, 200, "{files}");
    let names: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["现场.png", "证明.pdf", "整改后.png"]);
    assert_eq!(files[2]["owner"], "reply");
    assert!(
        files[1]["thumbnail_url"].is_null(),
        "a PDF has no thumbnail"
    );
    let photo = files[0]["id"].as_i64().unwrap();

    // The operator and the east handler download; the west handler is refused.
    let (status, kind, bytes) = fetch(&http, format!("{base}/api/attachments/{photo}"), &op).await;
    assert_eq!((status, kind.as_str(), &bytes[..]), (200, "image/png", PNG));
    let (status, kind, bytes) = fetch(
        &http,
        format!("{base}/api/attachments/{photo}/thumbnail"),
        &mine,
    )
    .await;
    assert_eq!((status, kind.as_str()), (200, "image/jpeg"));
    assert_eq!(&bytes[..3], b"\xFF\xD8\xFF");
    for url in [
        format!("{base}/api/attachments/{photo}"),
        format!("{base}/api/attachments/{photo}/thumbnail"),
        format!("{base}/api/appeals/{id}/attachments"),
    ] {
        let (status, _, _) = fetch(&http, url.clone(), &theirs).await;
        assert_eq!(status, 404, "{url} as another body's handler");
    }

    // The citizen sees the files they gave, with the query code only.
    let view: Value = http
        .get(format!("{base}/api/public/appeals/{number}?code={code}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public = view["attachments"].as_array().unwrap();
    assert_eq!(public.len(), 2, "{view}");
    let url = public[0]["url"].as_str().unwrap();
    let (status, _, bytes) = fetch(&http, format!("{base}{url}"), "").await;
    assert_eq!((status, &bytes[..]), (200, PNG));
    let wrong = url.replace(&code, "000000");
    let (status, _, _) = fetch(&http, format!("{base}{wrong}"), "").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_in_a_directory_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    let storage = FileStorage::directory(&files).unwrap();
    attachments_reach_only_those_who_may_see(
        support::sqlite_store(dir.path()).await,
        Some(storage),
    )
    .await;
    let stored = walk(&files);
    // Two photos with their thumbnails and one PDF; the refused upload left nothing.
    assert_eq!(stored, 5, "files kept in the directory");
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk(&p) } else { 1 })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_in_the_database_on_postgres() {
    attachments_reach_only_those_who_may_see(support::postgres_store("files").await, None).await;
}
