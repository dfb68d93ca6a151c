//! The dispatch models page (派单模型, admin): every stored version, the active one and a
//! newer candidate with their operating curves (share dispatched on their own against
//! precision), the live figures of the active model's own dispatches, activation, and the
//! automatic-dispatch settings (自动派单设置).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiesu_app::dispatch::{AutoDispatchFigures, MODEL_KIND, ModelSummary, OperatingCurve};
use jiesu_domain::auto_dispatch::AutoDispatchSettings;
use jiesu_domain::kinds::{AppealType, Channel};

use super::chart::{Series, lines};
use super::support::{Notice, fmt_time};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Target precisions the table lists.
const TABLE_TARGETS: [f64; 5] = [0.90, 0.95, 0.97, 0.98, 0.99];
/// The precision axis of the chart starts here.
const CHART_FLOOR: f64 = 0.8;

pub struct ModelRow {
    pub version: i64,
    pub created: String,
    pub records: String,
    pub macro_f1: String,
    pub auto_98: String,
    pub active: bool,
}

/// A line of the precision → share table: per model, the share and the threshold.
pub struct TargetRow {
    pub target: String,
    pub active: String,
    pub candidate: String,
}

/// A checkbox of the settings form.
pub struct Check {
    pub value: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin_models.html")]
struct ModelsPage {
    shell: Shell,
    rows: Vec<ModelRow>,
    active: Option<i64>,
    candidate: Option<i64>,
    chart: String,
    targets: Vec<TargetRow>,
    figures: Option<AutoDispatchFigures>,
    /// When the active model was activated, as the live figures count from it.
    since: String,
    enabled: bool,
    precision: String,
    threshold: String,
    types: Vec<Check>,
    channels: Vec<Check>,
    categories: Vec<Check>,
}

fn percent(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// What a model does at a target: `62.3%（阈值 0.91）`, or a dash.
fn at_target(curve: Option<&OperatingCurve>, target: f64) -> String {
    match curve.and_then(|c| c.point_for(target)) {
        Some(p) => format!("{}（阈值 {:.4}）", percent(p.share), p.threshold),
        None => "—".into(),
    }
}

fn checks<T: Copy + PartialEq>(all: &[T], chosen: &[T], label: impl Fn(T) -> String) -> Vec<Check> {
    all.iter()
        .map(|&v| Check {
            value: label(v),
            checked: chosen.contains(&v),
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let models: Vec<ModelSummary> = state
        .store
        .models(MODEL_KIND)
        .await?
        .iter()
        .map(ModelSummary::of)
        .collect();
    let active = models.iter().find(|m| m.active);
    // The newest version stored after the active one, not yet active (候选模型).
    let candidate = models
        .iter()
        .filter(|m| !m.active && active.is_none_or(|a| m.version > a.version))
        .max_by_key(|m| m.version);
    let curve = |m: Option<&ModelSummary>| m.and_then(|m| m.curve.clone());
    let (active_curve, candidate_curve) = (curve(active), curve(candidate));
    let mut series = Vec::new();
    for (name, colour, c) in [
        ("当前模型", "#1f5fbf", &active_curve),
        ("候选模型", "#c2571a", &candidate_curve),
    ] {
        if let Some(c) = c {
            series.push(Series {
                name,
                colour,
                points: c.points.iter().map(|p| (p.share, p.precision)).collect(),
            });
        }
    }
    let chart = if series.is_empty() {
        String::new()
    } else {
        lines(
            "运行曲线：自动派单占比与准确率",
            "自动派单占比",
            "准确率",
            CHART_FLOOR,
            &series,
        )
    };
    let targets = TABLE_TARGETS
        .iter()
        .map(|&t| TargetRow {
            target: percent(t),
            active: at_target(active_curve.as_ref(), t),
            candidate: at_target(candidate_curve.as_ref(), t),
        })
        .collect();
    let rows = models
        .iter()
        .map(|m| ModelRow {
            version: m.version,
            created: fmt_time(m.created_at),
            records: m.n_records.map_or("—".into(), |v| v.to_string()),
            macro_f1: m.macro_f1.map_or("—".into(), |v| format!("{v:.4}")),
            auto_98: m.share_at(0.98).map_or("—".into(), percent),
            active: m.active,
        })
        .collect();
    let figures = match active {
        Some(a) => Some(state.auto_dispatch_figures(a.version).await?),
        None => None,
    };
    let settings = state.auto_dispatch_settings();
    let taxonomy = state.taxonomy();
    let categories = taxonomy
        .first_levels()
        .into_iter()
        .map(|c| Check {
            value: c.to_string(),
            checked: settings.categories.iter().any(|x| x == c),
        })
        .collect();
    Ok(render(&ModelsPage {
        shell: Shell::load(&state, &user.0, "派单模型", "/admin/models")
            .await
            .with_notice(n.ok),
        rows,
        active: active.map(|m| m.version),
        candidate: candidate.map(|m| m.version),
        chart,
        targets,
        since: figures
            .as_ref()
            .and_then(|f| f.since)
            .map_or_else(String::new, fmt_time),
        figures,
        enabled: settings.enabled,
        precision: format!("{:.1}", settings.target_precision * 100.0),
        threshold: state.auto_dispatch_threshold().map_or(
            "当前模型达不到该准确率，不会自动派单".into(),
            |t| format!("{t:.4}"),
        ),
        types: checks(AppealType::ALL, &settings.types, |t| t.label().to_string()),
        channels: checks(Channel::ALL, &settings.channels, |c| c.label().to_string()),
        categories,
    }))
}

/// Makes a stored version the active model (启用).
pub async fn activate(
    State(state): State<AppState>,
    Path(version): Path<i64>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/models");
    state
        .activate_model(version)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(redirect(&format!(
        "/admin/models?ok={}",
        encode(&format!("已启用模型 v{version}"))
    )))
}

/// Saves the automatic-dispatch settings from the form: `enabled`, `precision` in percent,
/// and any number of `type`, `channel` and `category` values.
pub async fn save_auto(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/admin/models");
    let values = |key: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .collect()
    };
    let precision = values("precision")
        .first()
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or_else(|| back(PageError::invalid("请填写目标准确率（百分数，如 98）。")))?;
    let types = values("type")
        .into_iter()
        .map(AppealType::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| back(e.into()))?;
    let channels = values("channel")
        .into_iter()
        .map(Channel::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| back(e.into()))?;
    let settings = AutoDispatchSettings {
        enabled: values("enabled").contains(&"on"),
        target_precision: precision / 100.0,
        types,
        channels,
        categories: values("category").into_iter().map(str::to_string).collect(),
    };
    let saved = state
        .save_auto_dispatch(settings)
        .await
        .map_err(|e| back(e.into()))?;
    let notice = if saved.enabled {
        format!(
            "已开启自动派单，目标准确率 {}",
            percent(saved.target_precision)
        )
    } else {
        "已保存，自动派单未开启".to_string()
    };
    Ok(redirect(&format!("/admin/models?ok={}", encode(&notice))))
}
