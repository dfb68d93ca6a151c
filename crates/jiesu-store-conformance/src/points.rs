//! Service points (便民点位): kinds keep their checklists, points are saved all or none,
//! filtered by kind, district and facility, and appeals that name a point are counted.

use std::sync::Arc;

use jiesu_domain::point::{PointDraft, PointKind};
use jiesu_store::{Page, PointFilter, Store, StoreError};

use super::{at, registered_appeal, registration};

fn point(name: &str, kind: &str, district: &str, facilities: &[&str]) -> PointDraft {
    PointDraft {
        name: name.into(),
        kind: kind.into(),
        address: "青禾路8号".into(),
        lon: 116.25,
        lat: 39.5,
        district: district.into(),
        street: "青禾街道".into(),
        hours: "8:00-20:00".into(),
        contact: "010-12345678".into(),
        facilities: facilities.iter().map(|f| f.to_string()).collect(),
    }
}

pub async fn points_are_saved_filtered_and_named_by_appeals(store: Arc<dyn Store>) {
    let kinds = store.point_kinds().await.unwrap();
    assert_eq!(kinds[0].name, "爱心驿站");
    assert!(kinds[0].facilities.contains(&"饮水".to_string()));
    let added = PointKind {
        name: "充电站".into(),
        facilities: vec!["快充".into(), "慢充".into()],
    };
    store.save_point_kind(&added).await.unwrap();
    let kinds = store.point_kinds().await.unwrap();
    assert_eq!(kinds.last(), Some(&added));

    let a = point("青禾驿站", "爱心驿站", "示范区", &["饮水", "充电"]);
    let b = point("松林回收点", "回收点", "示范区", &["旧衣物"]);
    let c = point("湖畔驿站", "爱心驿站", "湖滨区", &["饮水"]);
    let ids = store
        .save_points(&[(None, a.clone()), (None, b), (None, c)], at(2, 9))
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(store.point(ids[0]).await.unwrap().draft, a);

    let by = |kind: Option<&str>, district: Option<&str>, facility: Option<&str>| PointFilter {
        kind: kind.map(Into::into),
        district: district.map(Into::into),
        facility: facility.map(Into::into),
    };
    let names = |points: Vec<jiesu_domain::point::Point>| {
        points.into_iter().map(|p| p.draft.name).collect::<Vec<_>>()
    };
    let f = by(Some("爱心驿站"), None, Some("饮水"));
    assert_eq!(
        names(store.points(&f, Page::default()).await.unwrap()),
        ["青禾驿站", "湖畔驿站"]
    );
    assert_eq!(store.count_points(&f).await.unwrap(), 2);
    let f = by(None, Some("示范区"), Some("充电"));
    assert_eq!(
        names(store.points(&f, Page::default()).await.unwrap()),
        ["青禾驿站"]
    );

    // An update with one unknown id changes nothing.
    let mut renamed = a.clone();
    renamed.name = "青禾爱心驿站".into();
    renamed.facilities = vec!["药箱".into()];
    let refused = store
        .save_points(
            &[
                (Some(ids[0]), renamed.clone()),
                (Some(ids[2] + 100), a.clone()),
            ],
            at(3, 9),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))));
    assert_eq!(store.point(ids[0]).await.unwrap().draft, a);
    let stamp = store.points_stamp().await.unwrap();
    store
        .save_points(&[(Some(ids[0]), renamed.clone())], at(3, 9))
        .await
        .unwrap();
    assert_ne!(store.points_stamp().await.unwrap(), stamp);
    assert_eq!(store.point(ids[0]).await.unwrap().draft, renamed);
    assert_eq!(
        store
            .count_points(&by(None, None, Some("充电")))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .count_points(&by(None, None, Some("药箱")))
            .await
            .unwrap(),
        1
    );

    // Appeals naming a point: three open ones in the window make it a complained point.
    let mut appeals = Vec::new();
    for (i, day) in [4, 5, 6].into_iter().enumerate() {
        let id = registered_appeal(&*store, &format!("驿站没有热水{i}"), at(day, 9)).await;
        store.name_point(id, ids[0], at(day, 9)).await.unwrap();
        appeals.push(id);
    }
    assert_eq!(
        store.point_of_appeal(appeals[0]).await.unwrap(),
        Some(ids[0])
    );
    let open = store.point_appeals(ids[0], Page::default()).await.unwrap();
    assert_eq!(open, [appeals[2], appeals[1], appeals[0]]);
    let complained = store
        .complained_points(at(1, 0), 3, Page::default())
        .await
        .unwrap();
    assert_eq!(complained.len(), 1);
    assert_eq!(complained[0].point.id, ids[0]);
    assert_eq!(complained[0].open_appeals, 3);
    assert!(
        store
            .complained_points(at(5, 0), 3, Page::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store.name_point(appeals[0], ids[2] + 100, at(7, 9)).await,
        Err(StoreError::MissingReference { .. })
    ));
    // An intake that names a point records it with the appeal; a point gone meanwhile is
    // left out without failing the intake.
    let mut named = registration("驿站门口积水", None, at(8, 9));
    named.point = Some(ids[2]);
    let named = store.register(named).await.unwrap().appeal.id;
    assert_eq!(store.point_of_appeal(named).await.unwrap(), Some(ids[2]));
    let mut unknown = registration("驿站门口积水", None, at(8, 10));
    unknown.point = Some(ids[2] + 100);
    let unknown = store.register(unknown).await.unwrap().appeal.id;
    assert_eq!(store.point_of_appeal(unknown).await.unwrap(), None);

    store.delete_point(ids[1]).await.unwrap();
    assert!(matches!(
        store.point(ids[1]).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.delete_point(ids[1]).await,
        Err(StoreError::NotFound(_))
    ));
    store.delete_point(ids[0]).await.unwrap();
    assert_eq!(store.point_of_appeal(appeals[0]).await.unwrap(), None);
    assert_eq!(store.all_points().await.unwrap().len(), 1);
}
