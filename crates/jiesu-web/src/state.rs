//! What every handler shares.

use std::sync::{Arc, RwLock};

use jiesu_domain::category::Taxonomy;
use jiesu_store::sql::to_json;
use jiesu_store::{Store, StoreError, StoreResult};

/// The setting that holds the category taxonomy.
const TAXONOMY_KEY: &str = "taxonomy";

/// The application state: the store (any backend, behind one interface) and the category
/// taxonomy, cached because every intake checks against it.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    taxonomy: Arc<RwLock<Arc<Taxonomy>>>,
}

impl AppState {
    /// Loads the saved taxonomy, saving the shipped default on first start.
    pub async fn load(store: Arc<dyn Store>) -> StoreResult<AppState> {
        let taxonomy = match store.setting(TAXONOMY_KEY).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Other(format!("saved taxonomy is corrupt: {e}")))?,
            None => {
                let t = Taxonomy::default_tree();
                store.put_setting(TAXONOMY_KEY, &to_json(&t)?).await?;
                t
            }
        };
        Ok(AppState {
            store,
            taxonomy: Arc::new(RwLock::new(Arc::new(taxonomy))),
        })
    }

    pub fn taxonomy(&self) -> Arc<Taxonomy> {
        self.taxonomy.read().map(|t| t.clone()).unwrap_or_default()
    }

    /// Saves and starts using a new taxonomy.
    pub async fn replace_taxonomy(&self, taxonomy: Taxonomy) -> StoreResult<()> {
        self.store.put_setting(TAXONOMY_KEY, &to_json(&taxonomy)?).await?;
        if let Ok(mut current) = self.taxonomy.write() {
            *current = Arc::new(taxonomy);
        }
        Ok(())
    }
}
