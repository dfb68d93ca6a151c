//! Nothing acknowledged is lost (kill test), on SQLite and PostgreSQL.
//!
//! Runs the real `jiesu serve` as a child process, submits appeals from several concurrent
//! clients with `Idempotency-Key`s (and dispatches some of them), kills the server with
//! SIGKILL at a random moment, restarts it, and repeats. Requests whose answer was lost in
//! the kill are sent again, with the same key, after the restart. At the end every appeal
//! that got a 2xx is there with its number, there is exactly one appeal per key (no loss, no
//! duplicate), and `jiesu audit verify` finds every appeal's event chain whole and its state
//! the fold of its events.

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::RngExt;
use serde_json::{Value, json};
use support::{Server, jiesu, post_json, scratch_postgres, sign_in, tail};

const ROUNDS: usize = 20;
const WORKERS: usize = 6;
const PASSWORD: &str = "crash-test-password";

/// What the clients saw, shared between them.
#[derive(Default)]
struct Ledger {
    /// Idempotency key → (appeal id, number), for every 2xx intake.
    acked: HashMap<String, (i64, String)>,
    /// Keys whose intake got no answer (the server died): to send again.
    pending: Vec<String>,
    /// Answers that should never happen (an error status while the server was alive).
    unexpected: Vec<String>,
    next: usize,
    dispatched: usize,
    /// Keys sent again after a kill, and how many of those named an appeal that had been
    /// stored before the kill although its answer was lost (200 instead of 201).
    resent: usize,
    replayed: usize,
}

fn intake_body(key: &str) -> Value {
    json!({
        "type": "投诉",
        "title": format!("小区路灯不亮（{key}）"),
        "text": "幸福里小区东门的路灯坏了一周，晚上出行很不方便，请尽快维修。",
        "citizen": {"name": "测试市民", "phone": "13800000000"},
    })
}

/// One client: sends pending keys first, then new ones, dispatching every third appeal,
/// until the server is gone (`killed`).
async fn client(
    http: reqwest::Client,
    base: String,
    token: String,
    body: i64,
    ledger: Arc<Mutex<Ledger>>,
    killed: Arc<AtomicBool>,
) {
    loop {
        let key = {
            let mut l = ledger.lock().unwrap();
            match l.pending.pop() {
                Some(k) => {
                    l.resent += 1;
                    k
                }
                None => {
                    l.next += 1;
                    format!("crash-{}-{}", std::process::id(), l.next)
                }
            }
        };
        let sent = http
            .post(format!("{base}/api/appeals"))
            .bearer_auth(&token)
            .header("Idempotency-Key", &key)
            .json(&intake_body(&key))
            .send()
            .await;
        let answer = match sent {
            Ok(r) => {
                let status = r.status();
                r.json::<Value>().await.map(|v| (status, v))
            }
            Err(e) => Err(e),
        };
        let (status, value) = match answer {
            Ok(a) => a,
            Err(e) => {
                let mut l = ledger.lock().unwrap();
                l.pending.push(key);
                if !killed.load(Ordering::SeqCst) {
                    l.unexpected
                        .push(format!("intake failed while the server was up: {e}"));
                }
                return;
            }
        };
        if !status.is_success() {
            ledger
                .lock()
                .unwrap()
                .unexpected
                .push(format!("intake {key}: {status} {value}"));
            return;
        }
        let id = value["appeal"]["id"].as_i64().unwrap();
        let number = value["appeal"]["number"].as_str().unwrap().to_string();
        let dispatch = {
            let mut l = ledger.lock().unwrap();
            if let Some(earlier) = l.acked.get(&key).map(|(e, _)| *e)
                && earlier != id
            {
                l.unexpected
                    .push(format!("key {key} named appeal {earlier}, now {id}"));
            }
            l.acked.insert(key, (id, number));
            if status == reqwest::StatusCode::OK {
                l.replayed += 1;
            }
            status == reqwest::StatusCode::CREATED && id % 3 == 0
        };
        if dispatch {
            let r = http
                .post(format!("{base}/api/appeals/{id}/actions"))
                .bearer_auth(&token)
                .json(&json!({"action": "dispatch", "lead": body, "note": "压测派单"}))
                .send()
                .await;
            match r {
                Ok(r) if r.status().is_success() => ledger.lock().unwrap().dispatched += 1,
                Ok(r) => {
                    let status = r.status();
                    let text = r.text().await.unwrap_or_default();
                    // A dropped connection can cut a body short; a status is an answer.
                    ledger
                        .lock()
                        .unwrap()
                        .unexpected
                        .push(format!("dispatch {id}: {status} {text}"));
                    return;
                }
                Err(_) if killed.load(Ordering::SeqCst) => return,
                Err(e) => {
                    ledger
                        .lock()
                        .unwrap()
                        .unexpected
                        .push(format!("dispatch {id} failed while up: {e}"));
                    return;
                }
            }
        }
    }
}

async fn kill_test(db: &str) {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("serve.log");
    jiesu(&[
        "create-admin",
        "--db",
        db,
        "--username",
        "admin",
        "--password",
        PASSWORD,
    ]);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    // A body to dispatch to.
    let mut server = Server::start(db, dir.path(), &http).await;
    let token = sign_in(&http, &server.base, PASSWORD).await;
    let body = post_json(
        &http,
        format!("{}/api/bodies", server.base),
        Some(&token),
        &json!({"name": "幸福里街道办事处", "kind": "街道乡镇", "parent": null, "areas": ["幸福里"]}),
    )
    .await;
    let body = body["id"].as_i64().unwrap();

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut rng = rand::rng();
    for round in 0..ROUNDS {
        if round > 0 {
            server = Server::start(db, dir.path(), &http).await;
        }
        let token = sign_in(&http, &server.base, PASSWORD).await;
        let killed = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..WORKERS)
            .map(|_| {
                tokio::spawn(client(
                    http.clone(),
                    server.base.clone(),
                    token.clone(),
                    body,
                    ledger.clone(),
                    killed.clone(),
                ))
            })
            .collect();
        // Kill at a random moment once this round has had its first answer, so that every
        // round both acknowledges appeals and cuts others off in flight.
        let before = ledger.lock().unwrap().acked.len();
        let waiting = Instant::now();
        while ledger.lock().unwrap().acked.len() == before {
            assert!(
                waiting.elapsed() < Duration::from_secs(20),
                "round {round}: no intake answered in 20 s"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..500))).await;
        killed.store(true, Ordering::SeqCst);
        server.kill();
        for c in clients {
            c.await.unwrap();
        }
        let l = ledger.lock().unwrap();
        assert!(
            l.unexpected.is_empty(),
            "round {round}: {:?}\nserver log:\n{}",
            l.unexpected,
            tail(&log)
        );
    }

    // A last, calm run: resend what is still unanswered, then check every acknowledged appeal.
    let mut server = Server::start(db, dir.path(), &http).await;
    let token = sign_in(&http, &server.base, PASSWORD).await;
    loop {
        let Some(key) = ledger.lock().unwrap().pending.pop() else {
            break;
        };
        let r = http
            .post(format!("{}/api/appeals", server.base))
            .bearer_auth(&token)
            .header("Idempotency-Key", &key)
            .json(&intake_body(&key))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "resend {key}: {}", r.status());
        let v: Value = r.json().await.unwrap();
        let entry = (
            v["appeal"]["id"].as_i64().unwrap(),
            v["appeal"]["number"].as_str().unwrap().to_string(),
        );
        ledger.lock().unwrap().acked.insert(key, entry);
    }
    let l = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(
        l.acked.len() > ROUNDS,
        "too few appeals were acknowledged: {}",
        l.acked.len()
    );
    for (key, (id, number)) in &l.acked {
        let r = http
            .get(format!("{}/api/appeals/{id}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success(),
            "acknowledged appeal {id} ({key}) is gone: {}",
            r.status()
        );
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            v["appeal"]["number"].as_str(),
            Some(number.as_str()),
            "appeal {id}"
        );
    }
    // Lists count exactly up to the end of the page asked for (beyond 1,000 they say "at
    // least"): ask for the page just past the last acknowledged appeal.
    let list: Value = http
        .get(format!(
            "{}/api/appeals?limit=1&offset={}",
            server.base,
            l.acked.len()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (list["total"].as_i64(), list["exact"].as_bool()),
        (Some(l.acked.len() as i64), Some(true)),
        "one appeal per idempotency key: no loss, no duplicate"
    );
    server.kill();
    let audit = jiesu(&["audit", "verify", "--db", db]);
    assert!(
        audit.contains(&format!("审计链完整：{} 件诉求", l.acked.len())),
        "{audit}"
    );
    eprintln!(
        "{ROUNDS} kills, {} appeals acknowledged, {} dispatched, {} resent after a kill ({} had been stored), {:.1} s",
        l.acked.len(),
        l.dispatched,
        l.resent,
        l.replayed,
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_loses_nothing_when_killed() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("crash.db").display());
    kill_test(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_loses_nothing_when_killed() {
    let db = scratch_postgres("crash").await;
    kill_test(&db).await;
}
