//! Every route has a written access rule, and the server enforces each rule for every role:
//! a route added without a rule fails here.

mod support;

use std::path::Path;

use axum::response::IntoResponse;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::user::{NewUser, Role};
use jiesu_web::access::{RULES, Who};
use reqwest::{Method, StatusCode};

/// The `(method, path)` of every `.route(…)` call in the crate's sources.
fn declared_routes() -> Vec<(String, String)> {
    let mut files = vec![];
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let mut routes = vec![];
    for source in files {
        let mut rest = source.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            // The call's arguments, up to the matching parenthesis.
            let (mut depth, mut end) = (1, 0);
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let args = &rest[..end];
            let Some(path) = args
                .trim_start()
                .strip_prefix('"')
                .and_then(|p| p.split('"').next())
            else {
                continue; // not a router call (e.g. a routing-table method)
            };
            for method in ["get", "post", "put", "delete", "patch"] {
                let call = format!("{method}(");
                let mut calls = args.match_indices(&call).filter(|(i, _)| {
                    *i == 0 || matches!(args.as_bytes()[i - 1], b' ' | b'\n' | b'(' | b'.' | b',')
                });
                if calls.next().is_some() {
                    routes.push((method.to_uppercase(), path.to_string()));
                }
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

#[test]
fn every_route_has_exactly_one_rule_and_every_rule_a_route() {
    let routes = declared_routes();
    assert!(
        routes.len() > 30,
        "found {} routes: {routes:?}",
        routes.len()
    );
    for (method, path) in &routes {
        let rules = RULES
            .iter()
            .filter(|(m, p, _)| m == method && p == path)
            .count();
        assert_eq!(
            rules, 1,
            "{method} {path} must have exactly one rule in access.rs"
        );
    }
    for (method, path, _) in RULES {
        assert!(
            routes.iter().any(|(m, p)| m == method && p == path),
            "rule {method} {path} names no route"
        );
    }
}

async fn body_of(response: axum::response::Response) -> bytes::Bytes {
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
}

fn sample_path(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{number}", "2026010100001")
        .replace("{version}", "1")
        .replace("{year}", "2024")
        .replace("{file}", "app.css")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_gets_what_the_table_says() {
    let dir = tempfile::tempdir().unwrap();
    let store = support::sqlite_store(dir.path()).await;
    let body = store
        .create_body(&NewBody {
            name: "测试街道".into(),
            kind: BodyKind::Street,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    let roles = [
        Role::Operator,
        Role::Dispatcher,
        Role::Handler,
        Role::Supervisor,
        Role::Leader,
        Role::Admin,
        Role::Representative,
    ];
    support::create_users(
        &*store,
        roles.map(|role| NewUser {
            display_name: role.label().into(),
            ..support::staff(&format!("{role:?}").to_lowercase(), role, Some(body.id))
        }),
    )
    .await;
    let state = jiesu_web::AppState::new(jiesu_app::App::load(store).await.unwrap());
    let base = support::serve(state).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut tokens = vec![];
    for role in roles {
        tokens.push((
            role,
            support::token(&http, &base, &format!("{role:?}").to_lowercase()).await,
        ));
    }
    let api_refusal = body_of(jiesu_web::error::ApiError::forbidden().into_response()).await;
    let page_refusal = body_of(jiesu_web::pages::forbidden_page()).await;
    for (method, path, who) in RULES {
        if *path == "/api/session" || *path == "/logout" {
            continue; // signing out would end the session the next checks use
        }
        let url = format!("{base}{}", sample_path(path));
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let anonymous = http
            .request(method.clone(), &url)
            .send()
            .await
            .unwrap()
            .status();
        let denied = |s: StatusCode| {
            s == StatusCode::UNAUTHORIZED
                || s == StatusCode::FORBIDDEN
                || s == StatusCode::SEE_OTHER
        };
        match who {
            Who::Anyone => assert!(
                !denied(anonymous)
                    || path.starts_with("/api/public") && anonymous == StatusCode::FORBIDDEN,
                "{method} {path}: anyone may call it, got {anonymous}"
            ),
            _ => assert!(
                denied(anonymous),
                "{method} {path}: signed-out callers must be refused, got {anonymous}"
            ),
        }
        for (role, token) in &tokens {
            let response = http
                .request(method.clone(), &url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body = response.bytes().await.unwrap();
            let by_table =
                status == StatusCode::FORBIDDEN && (body == api_refusal || body == page_refusal);
            let allowed = match who {
                Who::Anyone | Who::Staff => true,
                Who::Roles(roles) => roles.contains(role),
                Who::Page(roles) => roles.is_empty() || roles.contains(role),
            };
            if allowed {
                assert!(
                    !by_table && status != StatusCode::UNAUTHORIZED,
                    "{method} {path}: {role:?} is allowed, got {status}"
                );
            } else {
                assert!(
                    by_table,
                    "{method} {path}: {role:?} must be refused by the table, got {status}"
                );
            }
        }
    }
}
