//! The dispatch models page (派单模型, admin): every stored version, the active one and a
//! newer candidate with their operating curves (share dispatched on their own against
//! precision), the live figures of the active model's own dispatches, activation, and the
//! automatic-dispatch settings (自动派单设置); refused settings come back as typed.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiesu_app::AppError;
use jiesu_app::dispatch::{AutoDispatchFigures, MODEL_KIND, ModelSummary, OperatingCurve};
use jiesu_domain::DomainError;
use jiesu_domain::auto_dispatch::AutoDispatchSettings;
use jiesu_domain::kinds::{AppealType, Channel};

use super::chart::{Series, lines};
use super::form::refusal;
use super::support::{Notice, fmt_time};
use super::{PageError, Shell, encode, redirect, render_form};
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

/// What the automatic-dispatch form holds: the saved settings, or what the admin typed
/// (shown again when it is refused).
struct AutoForm {
    enabled: bool,
    /// In percent.
    precision: String,
    /// Type, channel and category labels ticked.
    types: Vec<String>,
    channels: Vec<String>,
    categories: Vec<String>,
}

impl AutoForm {
    fn saved(settings: &AutoDispatchSettings) -> AutoForm {
        AutoForm {
            enabled: settings.enabled,
            precision: format!("{:.1}", settings.target_precision * 100.0),
            types: settings.types.iter().map(|t| t.label().into()).collect(),
            channels: settings.channels.iter().map(|c| c.label().into()).collect(),
            categories: settings.categories.clone(),
        }
    }

    /// The posted form: `enabled`, `precision` in percent, and any number of `type`,
    /// `channel` and `category` values.
    fn posted(pairs: &[(String, String)]) -> AutoForm {
        let values = |key: &str| -> Vec<String> {
            pairs
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_string())
                .collect()
        };
        AutoForm {
            enabled: values("enabled").iter().any(|v| v == "on"),
            precision: values("precision").into_iter().next().unwrap_or_default(),
            types: values("type"),
            channels: values("channel"),
            categories: values("category"),
        }
    }

    /// The settings typed, or why they cannot be.
    fn settings(&self) -> Result<AutoDispatchSettings, AppError> {
        let precision = self
            .precision
            .parse::<f64>()
            .map_err(|_| DomainError::InvalidField {
                field: "target_precision",
                reason: "请填写目标准确率（百分数，如 98）".into(),
            })?;
        let types = self.types.iter().map(|t| AppealType::parse(t));
        let channels = self.channels.iter().map(|c| Channel::parse(c));
        Ok(AutoDispatchSettings {
            enabled: self.enabled,
            target_precision: precision / 100.0,
            types: types.collect::<Result<_, DomainError>>()?,
            channels: channels.collect::<Result<_, DomainError>>()?,
            categories: self.categories.clone(),
        })
    }
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
    /// Why the settings typed were refused.
    error: Option<String>,
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

/// A checkbox per label of `all`, ticked when `chosen` holds it.
fn checks<'a>(all: impl IntoIterator<Item = &'a str>, chosen: &[String]) -> Vec<Check> {
    all.into_iter()
        .map(|v| Check {
            value: v.to_string(),
            checked: chosen.iter().any(|c| c == v),
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    show(&state, &user, n.ok, None).await
}

/// The page with the settings form holding the saved settings, or what was typed and why it
/// was refused (then answered with 422).
async fn show(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<String>,
    refused: Option<(AutoForm, String)>,
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
    let (form, error) = match refused {
        Some((form, e)) => (form, Some(e)),
        None => (AutoForm::saved(&state.auto_dispatch_settings()), None),
    };
    let taxonomy = state.taxonomy();
    let types = checks(AppealType::ALL.iter().map(|t| t.label()), &form.types);
    let channels = checks(Channel::ALL.iter().map(|c| c.label()), &form.channels);
    let categories = checks(taxonomy.first_levels(), &form.categories);
    let invalid = error.is_some();
    Ok(render_form(
        &ModelsPage {
            shell: Shell::load(state, &user.0, "派单模型", "/admin/models")
                .await
                .with_notice(notice),
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
            enabled: form.enabled,
            precision: form.precision,
            threshold: state.auto_dispatch_threshold().map_or(
                "当前模型达不到该准确率，不会自动派单".into(),
                |t| format!("{t:.4}"),
            ),
            types,
            channels,
            categories,
            error,
        },
        invalid,
    ))
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

/// Saves the automatic-dispatch settings from the form ([`AutoForm::posted`]); refused ones
/// come back on the page as typed, with the reason above the form.
pub async fn save_auto(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = AutoForm::posted(&pairs);
    let saved = match form.settings() {
        Ok(settings) => state.save_auto_dispatch(settings).await,
        Err(e) => Err(e),
    };
    let saved = match saved {
        Ok(saved) => saved,
        Err(e) => return show(&state, &user, None, Some((form, refusal(e)?))).await,
    };
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
