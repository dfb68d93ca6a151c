//! Attachments (附件): bytes kept in the database, and metadata recorded only with its owner —
//! an intake, a reply that wins its version check — and read back whole.

use std::sync::Arc;

use jiesu_app::workflow::prepare;
use jiesu_domain::attachment::{FileKind, NewAttachment, OwnerKind};
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::EventKind;
use jiesu_domain::user::{Actor, Role};
use jiesu_store::{Store, StoreError};

use crate::{at, registration, staff};

fn file(name: &str, kind: FileKind, by: &Actor) -> NewAttachment {
    NewAttachment {
        name: name.into(),
        kind,
        size: 1234,
        sha256: format!("{:0>64}", name.len()),
        storage_key: format!("key-{name}"),
        thumbnail_key: kind.is_image().then(|| format!("thumb-{name}")),
        by: by.clone(),
        at: at(6, 9),
    }
}

pub async fn attachments_are_recorded_with_their_owner(store: Arc<dyn Store>) {
    // The database storage: bytes in, the same bytes out, gone when deleted.
    store
        .put_blob("key-现场.jpg", b"\xFF\xD8\xFFbytes")
        .await
        .unwrap();
    assert_eq!(
        store.blob("key-现场.jpg").await.unwrap(),
        b"\xFF\xD8\xFFbytes"
    );
    store.put_blob("key-orphan", b"x").await.unwrap();
    store.delete_blobs(&["key-orphan".into()]).await.unwrap();
    assert!(matches!(
        store.blob("key-orphan").await,
        Err(StoreError::NotFound(_))
    ));

    // An intake's files are recorded with it, owned by the appeal and its first event.
    let citizen = Actor::citizen();
    let mut r = registration("井盖缺失", None, at(6, 9));
    r.attachments = vec![
        file("现场.jpg", FileKind::Jpeg, &citizen),
        file("证明.pdf", FileKind::Pdf, &citizen),
    ];
    let id = store.register(r).await.unwrap().appeal.id;
    let files = store.appeal_attachments(id).await.unwrap();
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|f| f.owner_kind == OwnerKind::Appeal
        && f.owner_id == id.0
        && f.event_seq == Some(1)));
    assert_eq!(files[0].file, file("现场.jpg", FileKind::Jpeg, &citizen));
    assert_eq!(files[1].file.thumbnail_key, None);
    assert_eq!(store.attachment(files[1].id).await.unwrap(), files[1]);

    // A reply's files are recorded with the reply's event; a stale reply records none.
    let handler = staff(Role::Handler, None);
    let appeal = store.appeal(id).await.unwrap();
    let events = store.events(id).await.unwrap();
    let reply = |text: &str, name: &str| {
        prepare(
            &Timekeeper::default(),
            appeal.clone(),
            &events,
            EventKind::Comment { text: text.into() },
            &handler,
            at(6, 10),
        )
        .unwrap()
        .with_attachments(vec![file(name, FileKind::Png, &handler)])
    };
    let first = store
        .record(&reply("已到现场", "整改后.png"))
        .await
        .unwrap();
    assert!(matches!(
        store.record(&reply("重复提交", "迟到.png")).await,
        Err(StoreError::Stale)
    ));
    let files = store.appeal_attachments(id).await.unwrap();
    assert_eq!(files.len(), 3, "the stale recording left no file");
    assert_eq!(files[2].owner_kind, OwnerKind::Reply);
    assert_eq!(files[2].event_seq, Some(first.seq));
    assert_eq!(files[2].file.name, "整改后.png");

    // Another appeal's list holds none of them; an unknown id is not found.
    let other = store
        .register(registration("路灯不亮", None, at(6, 11)))
        .await
        .unwrap()
        .appeal
        .id;
    assert!(store.appeal_attachments(other).await.unwrap().is_empty());
    assert!(matches!(
        store.attachment(i64::MAX).await,
        Err(StoreError::NotFound(_))
    ));
}
