//! What the tests of telling citizens share: an application on a fresh SQLite file that
//! tells citizens, and a citizen's intake.

use std::sync::Arc;

use jiesu_app::App;
use jiesu_app::intake::IntakeRequest;
use jiesu_domain::appeal::{Citizen, Place};
use jiesu_domain::kinds::{AppealType, Channel};
use jiesu_domain::user::Actor;
use jiesu_store::{Registered, Store};

/// The application on a fresh SQLite file in `dir`, telling citizens on every channel.
pub async fn app(dir: &std::path::Path) -> App {
    let store: Arc<dyn Store> = Arc::new(
        jiesu_store_sqlite::SqliteStore::open(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .unwrap(),
    );
    App::load(store).await.unwrap().with_citizen_messages(true)
}

/// A citizen's intake of `title` with a phone and, if given, a mail address.
pub fn intake(title: &str, phone: &str, email: Option<&str>, confidential: bool) -> IntakeRequest {
    IntakeRequest {
        channel: None,
        appeal_type: AppealType::Complaint,
        title: title.into(),
        text: format!("{title}，请尽快处理"),
        citizen: Citizen {
            name: Some("王小明".into()),
            phone: Some(phone.into()),
            email: email.map(String::from),
            confidential,
            anonymous: false,
        },
        place: Place {
            address: "示范区青禾小区".into(),
            ..Place::default()
        },
        category: None,
        urgency: None,
        received_at: None,
        point_id: None,
        files: vec![],
    }
}

/// Files `request` as a hotline intake.
pub async fn file(app: &App, request: IntakeRequest) -> Registered {
    app.intake(request, Channel::Hotline, Actor::citizen(), None, None)
        .await
        .unwrap()
}
