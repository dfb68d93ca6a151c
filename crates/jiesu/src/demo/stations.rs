//! The demo's liaison stations (联络站): three stations of invented names, each with its
//! representatives, receptions that gather the demo's liaison-station appeals, and one
//! monthly review (月调度) whose issues are tasks.

use anyhow::Result;
use chrono::{Datelike, Duration, Utc};
use jiesu_domain::deadline::china_local;
use jiesu_domain::ids::UserId;
use jiesu_domain::kinds::Channel;
use jiesu_domain::station::{IssueDraft, MeetingDraft, MeetingKind, ReceptionDraft, StationDraft};
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::{AppealFilter, Page, Store};

use super::DemoLogin;
use super::city::City;

/// Liaison-station appeals gathered into each station's receptions.
const ITEMS_PER_STATION: i64 = 12;

/// Adds two more representatives (their logins are returned), three stations and their
/// receptions, and a monthly review. `deputy` is the demo's first representative.
pub async fn create_stations(
    store: &dyn Store,
    city: &City,
    deputy: UserId,
) -> Result<Vec<DemoLogin>> {
    let mut logins = Vec::new();
    let mut reps = vec![deputy];
    for (username, name) in [("deputy2", "人大代表林静"), ("deputy3", "人大代表韩磊")] {
        let password = format!("demo-{username}");
        let hash = jiesu_app::auth::hash_password(password.clone())
            .await
            .map_err(anyhow::Error::msg)?;
        let user = store
            .create_user(
                &NewUser {
                    username: username.into(),
                    display_name: name.into(),
                    role: Role::Representative,
                    body: None,
                },
                &hash,
            )
            .await?;
        reps.push(user.id);
        logins.push(DemoLogin {
            role: Role::Representative,
            username: username.into(),
            password,
            body: None,
        });
    }
    let stations = [
        (
            "青禾社区人大代表联络站",
            "青禾路18号社区服务中心二楼",
            vec![reps[0], reps[1]],
            vec![1, 3, 5],
        ),
        (
            "河畔街道人大代表之家",
            "滨河大道66号",
            vec![reps[0], reps[2]],
            vec![2, 4],
        ),
        (
            "云杉园区代表联络点",
            "云杉路9号园区服务大厅",
            vec![reps[2]],
            vec![3],
        ),
    ];
    let open: Vec<_> = store
        .list_appeals(
            &AppealFilter {
                channel: Some(Channel::LiaisonStation),
                ..AppealFilter::default()
            },
            Page::new(0, ITEMS_PER_STATION * stations.len() as i64),
        )
        .await?
        .items;
    let now = Utc::now();
    for (i, (name, address, representatives, days)) in stations.into_iter().enumerate() {
        let spot = &city.spots[i % city.spots.len()];
        let id = store
            .create_station(
                &StationDraft {
                    name: name.into(),
                    address: address.into(),
                    district: spot.district.clone(),
                    street: spot.street.clone(),
                    representatives: representatives.clone(),
                    opening_days: days,
                }
                .validated()?,
                now,
            )
            .await?;
        // Each station's appeals, one reception per day they were raised.
        let mine = open
            .iter()
            .skip(i * ITEMS_PER_STATION as usize)
            .take(ITEMS_PER_STATION as usize);
        let mut days: Vec<(chrono::NaiveDate, Vec<_>)> = Vec::new();
        for appeal in mine {
            let day = china_local(appeal.created_at).date();
            match days.iter_mut().find(|(d, _)| *d == day) {
                Some((_, ids)) => ids.push(appeal.id),
                None => days.push((day, vec![appeal.id])),
            }
        }
        for (day, appeals) in days {
            let reception = ReceptionDraft {
                station: id,
                held_on: day,
                received_by: representatives[0],
                note: format!("{}月例行接待", day.month()),
            };
            store.create_reception(&reception, &appeals, now).await?;
        }
    }
    create_review(store, city, now).await?;
    Ok(logins)
}

/// A monthly review (月调度) of last month with two issues, each a published task.
async fn create_review(store: &dyn Store, city: &City, now: chrono::DateTime<Utc>) -> Result<()> {
    let bodies = store.bodies().await?;
    let name_of = |id| {
        bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name.clone())
            .unwrap_or_default()
    };
    let held_on = china_local(now - Duration::days(10)).date();
    let meeting = MeetingDraft {
        kind: MeetingKind::Monthly,
        held_on,
        title: format!("{}月接诉即办月调度会", held_on.month()),
        participants: vec!["王主任".into(), "督办员赵敏".into(), "人大代表孙平".into()],
        minutes: "通报本月诉求办理情况，研究联络站集中反映的问题，明确牵头单位和完成时限。".into(),
        issues: vec![
            IssueDraft {
                text: "青禾路沿线路灯夜间不亮，群众多次反映".into(),
                raised_by: "人大代表孙平".into(),
                lead_body: name_of(city.spots[0].street_body),
            },
            IssueDraft {
                text: "河畔小区雨后积水，排水管网需疏通".into(),
                raised_by: "人大代表林静".into(),
                lead_body: name_of(city.spots[0].district_body),
            },
        ],
    };
    jiesu_app::meetings::save(store, meeting).await?;
    Ok(())
}
