//! Training smart dispatch from the centre's own history (模型训练): every categorized appeal
//! is a record, labelled with its final category and, once dispatched, its lead body — so a
//! dispatcher's override and a handler's return (followed by re-dispatch) both correct the
//! next model.

use chrono::Utc;
use jiesu_store::{AppealFilter, Store, StoreResult};
use jiesu_text::dispatch::{DispatchModel, TrainOptions, TrainingRecord, train};

use crate::error::{AppError, AppResult};
use crate::listing::each_appeal;

/// The model kind under which dispatch models are stored.
pub const MODEL_KIND: &str = "dispatch";

/// Training records from every categorized appeal in the store.
pub async fn records_from_store(store: &dyn Store) -> StoreResult<Vec<TrainingRecord>> {
    let bodies = store.bodies().await?;
    let mut records = Vec::new();
    each_appeal(store, &AppealFilter::default(), None, |appeal| {
        let Some(category) = &appeal.category else {
            return;
        };
        let body = appeal
            .lead_body
            .filter(|_| appeal.status != jiesu_domain::status::Status::Returned)
            .and_then(|id| bodies.iter().find(|b| b.id == id))
            .map(|b| b.name.clone());
        records.push(TrainingRecord {
            category_path: category.levels().to_vec(),
            title: appeal.title,
            text: appeal.text,
            body,
        });
    })
    .await?;
    Ok(records)
}

/// Trains on `records` off the async executor, stores the model as a new version and, if
/// `activate`, makes it the active one. Returns the version.
pub async fn train_and_store(
    store: &dyn Store,
    records: Vec<TrainingRecord>,
    activate: bool,
    progress: impl FnMut(usize, usize) + Send + 'static,
) -> AppResult<i64> {
    let options = TrainOptions {
        trained_at: Utc::now().to_rfc3339(),
        ..TrainOptions::default()
    };
    let (model, bytes) =
        tokio::task::spawn_blocking(move || -> Result<(DispatchModel, Vec<u8>), String> {
            let model = train(&records, &options, progress).map_err(|e| e.to_string())?;
            let bytes = model.to_bytes().map_err(|e| e.to_string())?;
            Ok((model, bytes))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Training)?;
    let meta = serde_json::to_value(model.meta()).map_err(|e| AppError::Internal(e.to_string()))?;
    let version = store
        .save_model(MODEL_KIND, &meta, &bytes, Utc::now())
        .await?;
    if activate {
        store
            .activate_model(MODEL_KIND, version, Utc::now())
            .await?;
    }
    Ok(version)
}
