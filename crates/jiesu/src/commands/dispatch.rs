//! `jiesu dispatch auto` and `jiesu models list|activate`: automatic dispatch (自动派单)
//! and the dispatch model versions, for operators.

use anyhow::Result;
use jiesu_app::App;
use jiesu_app::dispatch::{MODEL_KIND, ModelSummary};
use jiesu_domain::auto_dispatch::AutoDispatchSettings;
use jiesu_domain::kinds::{AppealType, Channel};

/// What `jiesu dispatch auto` was asked to change; `None` keeps the current value.
pub struct AutoChange {
    pub enabled: Option<bool>,
    pub precision: Option<f64>,
    pub types: Option<Vec<String>>,
    pub channels: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
}

impl AutoChange {
    fn is_empty(&self) -> bool {
        self.enabled.is_none()
            && self.precision.is_none()
            && self.types.is_none()
            && self.channels.is_none()
            && self.categories.is_none()
    }
}

/// The non-empty, trimmed values of a comma-separated option.
fn listed(values: Vec<String>) -> Vec<String> {
    values
        .into_iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn apply(mut s: AutoDispatchSettings, change: AutoChange) -> Result<AutoDispatchSettings> {
    if let Some(on) = change.enabled {
        s.enabled = on;
    }
    if let Some(p) = change.precision {
        s.target_precision = p;
    }
    if let Some(types) = change.types {
        s.types = listed(types)
            .iter()
            .map(|t| AppealType::parse(t))
            .collect::<Result<_, _>>()?;
    }
    if let Some(channels) = change.channels {
        s.channels = listed(channels)
            .iter()
            .map(|c| Channel::parse(c))
            .collect::<Result<_, _>>()?;
    }
    if let Some(categories) = change.categories {
        s.categories = listed(categories);
    }
    Ok(s)
}

fn all_or(list: Vec<String>) -> String {
    if list.is_empty() {
        "全部".into()
    } else {
        list.join("、")
    }
}

pub async fn auto(change: AutoChange, db: &str) -> Result<()> {
    let app = App::load(crate::backend::open(db).await?).await?;
    let settings = if change.is_empty() {
        (*app.auto_dispatch_settings()).clone()
    } else {
        let changed = apply((*app.auto_dispatch_settings()).clone(), change)?;
        app.save_auto_dispatch(changed).await?
    };
    println!(
        "自动派单：{}",
        if settings.enabled { "开启" } else { "关闭" }
    );
    println!("目标准确率：{:.1}%", settings.target_precision * 100.0);
    println!(
        "诉求类型：{}",
        all_or(
            settings
                .types
                .iter()
                .map(|t| t.label().to_string())
                .collect()
        )
    );
    println!(
        "受理渠道：{}",
        all_or(
            settings
                .channels
                .iter()
                .map(|c| c.label().to_string())
                .collect()
        )
    );
    println!("一级分类：{}", all_or(settings.categories.clone()));
    match (
        app.assistant().model_version(),
        app.auto_dispatch_threshold(),
    ) {
        (None, _) => println!("当前没有启用的派单模型，不会自动派单"),
        (Some(v), None) => println!("当前模型 v{v} 达不到目标准确率，不会自动派单"),
        (Some(v), Some(t)) => println!("当前模型 v{v} 的置信度阈值：{t:.4}"),
    }
    Ok(())
}

pub async fn list_models(db: &str) -> Result<()> {
    let app = App::load(crate::backend::open(db).await?).await?;
    let models = app.store.models(MODEL_KIND).await?;
    if models.is_empty() {
        println!("尚无派单模型，可用 jiesu train dispatch 训练");
        return Ok(());
    }
    println!(
        "{:>6}  {:<6}  {:<16}  {:>8}  {:>8}  {:>10}",
        "版本", "状态", "保存时间(UTC)", "训练条数", "宏F1", "98%自动派单"
    );
    for m in models.iter().map(ModelSummary::of) {
        println!(
            "{:>6}  {:<6}  {:<16}  {:>8}  {:>8}  {:>10}",
            format!("v{}", m.version),
            if m.active { "启用" } else { "" },
            m.created_at.format("%Y-%m-%d %H:%M"),
            m.n_records.map_or("—".into(), |v| v.to_string()),
            m.macro_f1.map_or("—".into(), |v| format!("{v:.4}")),
            m.share_at(0.98)
                .map_or("—".into(), |s| format!("{:.1}%", s * 100.0))
        );
    }
    if let Some(active) = models.iter().find(|m| m.active) {
        let f = app.auto_dispatch_figures(active.version).await?;
        println!(
            "v{} 自动派单 {} 件：后经改派 {}，被退单 {}，收回人工派单 {}",
            active.version, f.dispatched, f.corrected, f.returned, f.recalled
        );
    }
    Ok(())
}

pub async fn activate(version: i64, db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    jiesu_app::dispatch::retrain::activate(&*store, version).await?;
    println!("已启用派单模型 v{version}，运行中的服务将自动切换");
    Ok(())
}
