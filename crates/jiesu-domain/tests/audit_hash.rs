//! The audit chain's hash is part of the stored data: chains written by earlier releases must
//! still verify, so the hash of a given event never changes.

use chrono::{TimeZone, Utc};
use jiesu_domain::event::{Event, EventKind, verify_chain};
use jiesu_domain::ids::{AppealId, BodyId, UserId};
use jiesu_domain::user::{Actor, Role};

fn dispatcher() -> Actor {
    Actor {
        user: Some(UserId(7)),
        name: "派单员甲".into(),
        role: Some(Role::Dispatcher),
        body: None,
        system: false,
    }
}

#[test]
fn an_events_hash_is_pinned() {
    let at = Utc.with_ymd_and_hms(2024, 2, 9, 1, 30, 0).unwrap();
    let kind = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![BodyId(4)],
        note: "请核实\"东门\"路灯".into(),
        category: None,
        auto: None,
    };
    let first = Event::new(AppealId(42), 1, kind, dispatcher(), at, "");
    assert_eq!(
        first.hash,
        "1d5c5990401a02451b06c7610b04ed6c68aad3323dea892408a96c9f569c20df"
    );
    let second = Event::new(
        AppealId(42),
        2,
        EventKind::Comment {
            text: "已联系市民".into(),
        },
        Actor::system(),
        at,
        &first.hash,
    );
    assert_eq!(second.prev_hash, first.hash);
    assert_eq!(verify_chain(&[first, second]), Ok(()));
}
