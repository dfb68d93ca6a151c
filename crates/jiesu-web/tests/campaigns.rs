//! Suggestion campaigns over the JSON API on a real server, on SQLite and PostgreSQL: the
//! office opens a campaign; citizens submit proposals and support them (a second vote of
//! the same voter is not counted); an operator types in a letter; after the close the
//! office groups and ranks the proposals, gives each group to a body; the body answers (an
//! adopted group becomes a live task, a refusal needs its reason); answers are corrected
//! (the task kept, closed or made anew, every answer recorded) until the office publishes;
//! the public reads every outcome; the workbook downloads.

mod support;

use std::sync::Arc;

use chrono::{Days, Utc};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::{NewUser, Role};
use jiesu_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use support::Api;

fn proposal(title: &str, place: &str, phone: &str) -> Value {
    json!({
        "title": title,
        "text": format!("{title}，建议列入明年民生实事。"),
        "topic": "公共设施",
        "place": place,
        "name": "市民",
        "phone": phone,
        "anonymous": false
    })
}

async fn story(store: Arc<dyn Store>) {
    let transport = store
        .create_body(&NewBody {
            name: "示范市交通局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let parks = store
        .create_body(&NewBody {
            name: "示范市园林局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    support::create_users(
        &*store,
        [
            ("sup", Role::Supervisor, None),
            ("op", Role::Operator, None),
            ("parks", Role::Handler, Some(parks.id)),
            ("roads", Role::Handler, Some(transport.id)),
        ]
        .map(|(name, role, body)| NewUser {
            display_name: format!("{name}用户"),
            ..support::staff(name, role, body)
        }),
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store.clone()).await.unwrap());
    let api = Api {
        base: support::serve(state).await,
        http: Client::new(),
    };
    let sup = support::token(&api.http, &api.base, "sup").await;
    let op = support::token(&api.http, &api.base, "op").await;
    let parks_user = support::token(&api.http, &api.base, "parks").await;
    let roads_user = support::token(&api.http, &api.base, "roads").await;

    // 1. The office opens a campaign; an operator may not.
    let today = (Utc::now() + chrono::Duration::hours(8)).date_naive();
    let mut campaign = json!({
        "title": "明年民生实事征集",
        "description": "请提出建议。",
        "opens": (today - Days::new(5)).to_string(),
        "closes": (today + Days::new(5)).to_string(),
        "channels": ["网页", "信件"],
        "topics": ["公共设施", "交通出行"],
        "bodies": ["示范市交通局", "示范市园林局"]
    });
    let (status, _) = api
        .call("POST", "/api/campaigns", &op, Some(campaign.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, created) = api
        .call("POST", "/api/campaigns", &sup, Some(campaign.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();

    // 2. Citizens submit on the web, an operator types in a letter.
    let (status, list) = api.call("GET", "/api/public/campaigns", "", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["state"], "征集中");
    let mut ids = Vec::new();
    for (title, place, phone) in [
        ("城东公园增设公共厕所", "城东公园", "13900000001"),
        ("城东公园公厕太少", "城东公园", "13900000002"),
        ("青禾路公交站距离太远", "青禾路", "13900000003"),
    ] {
        let (status, p) = api
            .call(
                "POST",
                &format!("/api/public/campaigns/{id}/proposals"),
                "",
                Some(proposal(title, place, phone)),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        ids.push(p["id"].as_i64().unwrap());
    }
    let (status, e) = api
        .call(
            "POST",
            &format!("/api/public/campaigns/{id}/proposals"),
            "",
            Some(json!({"title": "养老", "text": "建议", "topic": "养老服务"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let mut letter = proposal("城东公园北门没有厕所", "城东公园", "13900000004");
    letter["channel"] = json!("信件");
    let (status, p) = api
        .call(
            "POST",
            &format!("/api/campaigns/{id}/proposals"),
            &op,
            Some(letter.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    letter["channel"] = json!("邮件");
    let (status, _) = api
        .call(
            "POST",
            &format!("/api/campaigns/{id}/proposals"),
            &op,
            Some(letter),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "mail is not a channel of it"
    );

    // 3. Support: once per voter.
    let vote = |voter: &str| json!({"voter": voter});
    let support = format!("/api/public/proposals/{}/support", ids[2]);
    let (status, s) = api
        .call("POST", &support, "", Some(vote("voter-aaaaaaaaaaaaaaaa")))
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(
        (s["counted"].as_bool(), s["supports"].as_i64()),
        (Some(true), Some(1))
    );
    let (_, s) = api
        .call("POST", &support, "", Some(vote("voter-aaaaaaaaaaaaaaaa")))
        .await;
    assert_eq!(
        (s["counted"].as_bool(), s["supports"].as_i64()),
        (Some(false), Some(1))
    );
    let (_, s) = api
        .call("POST", &support, "", Some(vote("voter-bbbbbbbbbbbbbbbb")))
        .await;
    assert_eq!(s["supports"], 2);
    let (status, _) = api.call("POST", &support, "", Some(vote("short"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, public) = api
        .call(
            "GET",
            &format!("/api/public/campaigns/{id}/proposals"),
            "",
            None,
        )
        .await;
    assert_eq!(public.as_array().unwrap().len(), 4);
    assert!(public[0].get("phone").is_none(), "{public}");

    // 4. Grouping waits for the close.
    let (status, _) = api
        .call("POST", &format!("/api/campaigns/{id}/grouping"), &sup, None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    campaign["opens"] = json!((today - Days::new(10)).to_string());
    campaign["closes"] = json!((today - Days::new(1)).to_string());
    let (status, _) = api
        .call("PUT", &format!("/api/campaigns/{id}"), &sup, Some(campaign))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api
        .call(
            "POST",
            &format!("/api/public/campaigns/{id}/proposals"),
            "",
            Some(proposal("晚到的建议", "", "13900000009")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "the web form closed");
    let (status, grouped) = api
        .call("POST", &format!("/api/campaigns/{id}/grouping"), &sup, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{grouped}");
    assert_eq!(grouped["proposals"], 4);
    let (_, groups) = api
        .call("GET", &format!("/api/campaigns/{id}/groups"), &sup, None)
        .await;
    let groups = groups.as_array().unwrap().clone();
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert_eq!(
        (groups[0]["rank"].as_i64(), groups[0]["people"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(groups[1]["supports"], 2);
    let (g1, g2) = (
        groups[0]["id"].as_i64().unwrap(),
        groups[1]["id"].as_i64().unwrap(),
    );

    // 5. Each group to a body; the body answers its own, not another's.
    for (g, body) in [(g1, parks.id.0), (g2, transport.id.0)] {
        let (status, _) = api
            .call(
                "POST",
                &format!("/api/campaign-groups/{g}/assign"),
                &sup,
                Some(json!({"body": body})),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let adopted = json!({"outcome": "采纳", "reply": "明年在公园北门新建公厕一座。"});
    let (status, _) = api
        .call(
            "POST",
            &format!("/api/campaign-groups/{g1}/answer"),
            &roads_user,
            Some(adopted.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answered) = api
        .call(
            "POST",
            &format!("/api/campaign-groups/{g1}/answer"),
            &parks_user,
            Some(adopted),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let task = answered["task"]
        .as_i64()
        .expect("an adopted group becomes a task");
    let stored = store.task(task).await.unwrap();
    assert!(stored.published_at.is_some(), "the task is live");
    assert_eq!(stored.draft.lead_bodies, ["示范市园林局"]);
    let (status, e) = api
        .call(
            "POST",
            &format!("/api/campaign-groups/{g2}/answer"),
            &roads_user,
            Some(json!({"outcome": "不予采纳", "reply": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["message"].as_str().unwrap().contains("理由"), "{e}");
    let (status, _) = api
        .call("POST", &format!("/api/campaigns/{id}/publish"), &sup, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a group is not answered yet");
    let (status, answered) = api
        .call(
            "POST",
            &format!("/api/campaign-groups/{g2}/answer"),
            &roads_user,
            Some(json!({"outcome": "不予采纳", "reply": "该路段已有规划站点，明年调整线路。"})),
        )
        .await;
    assert_eq!(
        (status, answered["task"].clone()),
        (StatusCode::OK, Value::Null)
    );

    // 6. Corrections (更正答复) until publication: the task follows the answer, every
    // answer stays in the group's record.
    let correct = |user: &str, answer: Value| {
        let (api, user) = (&api, user.to_string());
        async move {
            api.call(
                "PUT",
                &format!("/api/campaign-groups/{g1}/answer"),
                &user,
                Some(answer),
            )
            .await
        }
    };
    let (status, _) = correct(
        &roads_user,
        json!({"outcome": "部分采纳", "reply": "另一单位无权更正。"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, partly) = correct(
        &parks_user,
        json!({"outcome": "部分采纳", "reply": "明年先在公园北门设移动公厕。"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{partly}");
    assert_eq!(partly["task"], task, "采纳 ⇄ 部分采纳 keeps the task");
    let kept = store.task(task).await.unwrap();
    assert!(kept.closed_at.is_none());
    assert!(
        kept.draft.text.contains("部分采纳") && kept.draft.text.contains("移动公厕"),
        "{}",
        kept.draft.text
    );
    let (status, e) = correct(&parks_user, json!({"outcome": "不予采纳", "reply": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, refused) = correct(
        &parks_user,
        json!({"outcome": "不予采纳", "reply": "选址与绿地保护规划冲突。"}),
    )
    .await;
    assert_eq!(
        (status, refused["task"].clone()),
        (StatusCode::OK, Value::Null)
    );
    let (status, withdrawn) = api
        .call("GET", &format!("/api/tasks/{task}"), &sup, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(withdrawn["status"], "closed", "{withdrawn}");
    let (status, again) = correct(
        &sup,
        json!({"outcome": "采纳", "reply": "经协调，明年在公园东门新建公厕一座。"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let new_task = again["task"].as_i64().expect("adopted again: a new task");
    assert_ne!(new_task, task);
    assert!(store.task(new_task).await.unwrap().published_at.is_some());
    let (_, detail) = api
        .call("GET", &format!("/api/campaign-groups/{g1}"), &sup, None)
        .await;
    assert_eq!(
        (detail["outcome"].clone(), detail["task"].clone()),
        (json!("采纳"), json!(new_task))
    );
    let record: Vec<(String, String, Value)> = detail["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["outcome"].as_str().unwrap().to_string(),
                a["by"].as_str().unwrap().to_string(),
                a["task"].clone(),
            )
        })
        .collect();
    assert_eq!(
        record,
        [
            ("采纳".into(), "parks用户".into(), json!(task)),
            ("部分采纳".into(), "parks用户".into(), json!(task)),
            ("不予采纳".into(), "parks用户".into(), Value::Null),
            ("采纳".into(), "sup用户".into(), json!(new_task)),
        ]
    );

    // 7. Published: every group's outcome is public; the workbook downloads; no more
    // corrections.
    let (status, _) = api
        .call("POST", &format!("/api/campaigns/{id}/publish"), &sup, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, e) = correct(
        &parks_user,
        json!({"outcome": "部分采纳", "reply": "公布后再改。"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap().contains("已公布"), "{e}");
    let (_, public) = api
        .call("GET", &format!("/api/public/campaigns/{id}"), "", None)
        .await;
    assert_eq!(public["state"], "已公布");
    let outcomes = public["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[0]["outcome"], "采纳");
    assert_eq!(outcomes[1]["body"], "示范市交通局");
    let res = api
        .http
        .get(format!("{}/api/campaigns/{id}/export", api.base))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.bytes().await.unwrap().starts_with(b"PK"),
        "an XLSX file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_over_the_api_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(support::sqlite_store(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_over_the_api_on_postgres() {
    story(support::postgres_store("campaigns").await).await;
}
