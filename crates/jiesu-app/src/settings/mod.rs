//! Settings (配置) that every server sees: the category taxonomy, the time-limit rules, the
//! holiday calendar, the routing table, the escalation threshold and automatic dispatch. They are stored in the
//! database ([`stored`]), and every change moves the store's settings stamp forward in the
//! same transaction; each process holds one [`Settings`] snapshot in an atomic cell and
//! reloads it whole when it sees the stamp move, within a few seconds of a change made by
//! any server.

pub mod stored;

use std::sync::Arc;

use arc_swap::ArcSwap;
use jiesu_domain::auto_dispatch::AutoDispatchSettings;
use jiesu_domain::category::Taxonomy;
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::routing::RoutingTable;
use jiesu_store::{Store, StoreResult};

/// The settings as loaded at one stamp.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The store's settings stamp they were loaded at.
    pub version: i64,
    pub taxonomy: Arc<Taxonomy>,
    pub timekeeper: Arc<Timekeeper>,
    pub routing: Arc<RoutingTable>,
    pub auto_dispatch: Arc<AutoDispatchSettings>,
}

impl Settings {
    /// Reads every setting. The stamp is read first, so what follows is at least as new as
    /// it: a change made meanwhile is seen at the next check.
    pub async fn load(store: &dyn Store) -> StoreResult<Settings> {
        let version = store.settings_version().await?;
        Ok(Settings {
            version,
            taxonomy: Arc::new(stored::taxonomy(store).await?),
            timekeeper: Arc::new(stored::timekeeper(store).await?),
            routing: Arc::new(stored::routing(store).await?),
            auto_dispatch: Arc::new(stored::auto_dispatch(store).await?),
        })
    }
}

/// The settings a process uses now, replaced whole when they change.
pub struct LiveSettings(ArcSwap<Settings>);

impl LiveSettings {
    pub fn new(settings: Settings) -> LiveSettings {
        LiveSettings(ArcSwap::from_pointee(settings))
    }

    pub fn current(&self) -> Arc<Settings> {
        self.0.load_full()
    }

    /// Reloads from `store` if its stamp moved since the current snapshot; true if it did.
    pub async fn refresh(&self, store: &dyn Store) -> StoreResult<bool> {
        if store.settings_version().await? == self.0.load().version {
            return Ok(false);
        }
        let fresh = Arc::new(Settings::load(store).await?);
        tracing::info!(version = fresh.version, "settings reloaded");
        // Two reloads at once: the newer snapshot stays.
        self.0.rcu(|current| {
            if current.version > fresh.version {
                current.clone()
            } else {
                fresh.clone()
            }
        });
        Ok(true)
    }
}
