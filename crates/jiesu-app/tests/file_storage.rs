//! Where attachments' bytes are kept (附件存储): every storage keeps, returns and forgets
//! bytes by key the same way — the database (SQLite), a directory, and an S3-compatible
//! store (a local S3 server at `JIESU_TEST_S3`, by default http://127.0.0.1:5000, which
//! must be running: CI starts `moto_server`).

use std::sync::Arc;

use jiesu_app::AppError;
use jiesu_app::attachments::{FileStorage, S3Config};
use jiesu_store::StoreError;

async fn keeps_returns_and_forgets(storage: FileStorage) {
    let key = "attachments/20261206/00ff";
    storage
        .put(key, "现场照片".as_bytes().to_vec().into())
        .await
        .unwrap();
    assert_eq!(&storage.get(key).await.unwrap()[..], "现场照片".as_bytes());
    storage.put(key, b"again".to_vec().into()).await.unwrap();
    assert_eq!(&storage.get(key).await.unwrap()[..], b"again");
    storage
        .delete(&[key.to_string(), "never-stored".into()])
        .await
        .unwrap();
    assert!(
        matches!(
            storage.get(key).await,
            Err(AppError::Store(StoreError::NotFound(_)))
        ),
        "{storage:?}: deleted bytes are not found"
    );
}

#[tokio::test]
async fn in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = jiesu_store_sqlite::SqliteStore::open(&url).await.unwrap();
    keeps_returns_and_forgets(FileStorage::Database(Arc::new(store))).await;
}

#[tokio::test]
async fn in_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    keeps_returns_and_forgets(FileStorage::directory(&dir.path().join("files")).unwrap()).await;
}

#[tokio::test]
async fn in_an_s3_compatible_store() {
    let endpoint =
        std::env::var("JIESU_TEST_S3").unwrap_or_else(|_| "http://127.0.0.1:5000".into());
    let bucket = format!("jiesu-test-{}", std::process::id());
    // The local server takes any credentials; the bucket is made for this run.
    let made = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("an S3-compatible server must be running at {endpoint}: {e}"));
    assert!(
        made.status().is_success(),
        "creating bucket: {}",
        made.status()
    );
    let storage = FileStorage::s3(&S3Config {
        url: format!("s3://{bucket}"),
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
    })
    .unwrap();
    keeps_returns_and_forgets(storage).await;
}
