//! What the process-level tests share: running the `jiesu` binary, a `jiesu serve` child
//! process, scratch PostgreSQL databases.

#![allow(dead_code)] // each test binary uses its own part

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `jiesu ARGS…` to completion; panics with its stderr if it fails; returns stdout.
pub fn jiesu(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jiesu"))
        .args(args)
        .env("JIESU_LOG", "warn")
        .output()
        .expect("jiesu runs");
    assert!(
        out.status.success(),
        "jiesu {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A fresh PostgreSQL database for one test (`JIESU_TEST_PG` names the server's admin URL).
pub async fn scratch_postgres(test: &str) -> String {
    let admin = std::env::var("JIESU_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("jiesu_t_{test}_{}", std::process::id());
    jiesu_store_postgres::create_scratch_database(&admin, &name)
        .await
        .expect("PostgreSQL must be running")
}

/// POSTs `body` as JSON (with `token` as bearer, if any); panics unless the answer is 2xx;
/// the JSON answer.
pub async fn post_json(
    http: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: &serde_json::Value,
) -> serde_json::Value {
    let mut request = http.post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Signs in as `admin` through the API; the bearer token.
pub async fn sign_in(http: &reqwest::Client, base: &str, password: &str) -> String {
    let body = serde_json::json!({"username": "admin", "password": password});
    let r = post_json(http, format!("{base}/api/session"), None, &body).await;
    r["token"].as_str().unwrap().to_string()
}

/// A running `jiesu serve` and its address.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts the server in `dir` (where it keeps its search index and its log) and waits
    /// until `/healthz` answers.
    pub async fn start(db: &str, dir: &Path, http: &reqwest::Client) -> Server {
        Server::start_with(db, dir, http, &[]).await
    }

    /// [`Server::start`] with more `serve` options.
    pub async fn start_with(
        db: &str,
        dir: &Path,
        http: &reqwest::Client,
        options: &[&str],
    ) -> Server {
        Server::start_logging(db, dir, http, options, "warn").await
    }

    /// [`Server::start_with`] logging to `dir/serve.log` with the `JIESU_LOG` filter `log`.
    pub async fn start_logging(
        db: &str,
        dir: &Path,
        http: &reqwest::Client,
        options: &[&str],
        log_filter: &str,
    ) -> Server {
        let port = free_port();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("serve.log"))
            .unwrap();
        let listen = format!("127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_jiesu"))
            .args(["serve", "--db", db, "--listen", &listen])
            .args(options)
            .env("JIESU_LOG", log_filter)
            .env("NO_COLOR", "1")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("jiesu serve starts");
        let mut server = Server {
            child,
            base: format!("http://{listen}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = http.get(format!("{}/healthz", server.base)).send().await
                && r.status().is_success()
            {
                return server;
            }
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("jiesu serve exited at start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "jiesu serve did not answer /healthz within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The last 30 lines of a log file.
pub fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
