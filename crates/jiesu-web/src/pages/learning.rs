//! Smart dispatch's learning loop for the admin (派单模型学习, `/admin/models/learning`): the
//! labelled examples per source, what the running model learned since training, the
//! retrains with both scores and their decision, retraining now, pinning a version.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use jiesu_app::dispatch::MODEL_KIND;
use serde::Deserialize;

use super::support::{Notice, fmt_time};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

const PAGE: &str = "/admin/models/learning";

pub struct Source {
    pub label: &'static str,
    pub weight: f32,
    pub count: usize,
}

pub struct Learned {
    pub label: String,
    pub examples: usize,
    pub new: bool,
}

pub struct Run {
    pub at: String,
    pub trigger: &'static str,
    pub candidate: i64,
    pub candidate_f1: String,
    pub active: String,
    pub active_f1: String,
    pub held_back: usize,
    pub examples: usize,
    pub decision: &'static str,
    pub activated: bool,
}

pub struct Version {
    pub version: i64,
    pub created: String,
    pub records: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin_learning.html")]
struct LearningPage {
    shell: Shell,
    sources: Vec<Source>,
    active: Option<i64>,
    pinned: Option<i64>,
    learned: Vec<Learned>,
    runs: Vec<Run>,
    versions: Vec<Version>,
}

fn trigger_label(trigger: &str) -> &'static str {
    match trigger {
        "schedule" => "定时",
        "cli" => "命令行",
        "api" => "接口",
        _ => "页面",
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    let shell = Shell::load(&state, &user.0, "派单模型学习", PAGE)
        .await
        .with_notice(q.ok);
    let report = state.learning_report().await?;
    let f1 = |f: f64| format!("{f:.4}");
    let versions = state
        .store
        .models(MODEL_KIND)
        .await?
        .into_iter()
        .map(|m| Version {
            version: m.version,
            created: fmt_time(m.created_at),
            records: m
                .meta
                .get("n_records")
                .and_then(|n| n.as_u64())
                .map_or(String::new(), |n| n.to_string()),
            active: m.active,
        })
        .collect();
    Ok(render(&LearningPage {
        shell,
        sources: report
            .examples
            .iter()
            .map(|s| Source {
                label: s.label,
                weight: s.weight,
                count: s.count,
            })
            .collect(),
        active: report.active,
        pinned: report.pinned,
        learned: report
            .adapted
            .into_iter()
            .map(|c| Learned {
                label: c.label,
                examples: c.examples,
                new: c.new,
            })
            .collect(),
        runs: report
            .runs
            .iter()
            .map(|r| Run {
                at: fmt_time(r.at),
                trigger: trigger_label(&r.trigger),
                candidate: r.candidate,
                candidate_f1: f1(r.candidate_macro_f1),
                active: r.active.map_or("—".into(), |v| v.to_string()),
                active_f1: r.active_macro_f1.map_or("—".into(), f1),
                held_back: r.held_back,
                examples: r.examples,
                decision: r.decision.label(),
                activated: r.decision == jiesu_app::dispatch::Decision::Activated,
            })
            .collect(),
        versions,
    }))
}

pub async fn retrain(State(state): State<AppState>) -> Result<Response, PageError> {
    let run = state
        .retrain("page")
        .await
        .map_err(|e| PageError::from(e).back(PAGE))?;
    Ok(redirect(&format!(
        "{PAGE}?ok={}",
        encode(&format!(
            "候选模型版本 {}：{}",
            run.candidate,
            run.decision.label()
        ))
    )))
}

#[derive(Deserialize)]
pub struct PinForm {
    /// The version to pin; empty unpins.
    #[serde(default)]
    version: String,
}

pub async fn pin(
    State(state): State<AppState>,
    Form(form): Form<PinForm>,
) -> Result<Response, PageError> {
    let version = match form.version.trim() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .map_err(|_| PageError::invalid("模型版本应为数字").back(PAGE))?,
        ),
    };
    state
        .pin_model(version)
        .await
        .map_err(|e| PageError::from(e).back(PAGE))?;
    let notice = match version {
        Some(v) => format!("已锁定并启用模型版本 {v}"),
        None => "已解除锁定".to_string(),
    };
    Ok(redirect(&format!("{PAGE}?ok={}", encode(&notice))))
}
