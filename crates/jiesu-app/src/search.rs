//! The search index in the server (全文检索): a derived store following the database's change
//! feed. Writes are pushed to it as they happen; a catch-up from the feed on start and every
//! few seconds fills any gap (another process's writes, a crash, a missing index).

use std::path::Path;
use std::sync::Arc;

use jiesu_domain::appeal::Appeal;
use jiesu_search::{
    AppealSource, CatchUpConfig, IndexUpdater, SearchError, SearchFilters, SearchIndex,
    SearchQuery, SearchResults, SourceError, UpdaterConfig, Watermark,
};
use jiesu_store::{AppealFilter, AppealOrder, Page, Store};

/// The store as the index's change feed.
pub struct StoreFeed(pub Arc<dyn Store>);

/// Appeals read per page of the feed.
const FEED_PAGE: usize = 1_000;

impl AppealSource for StoreFeed {
    async fn changed_since(
        &self,
        after: Watermark,
        limit: usize,
    ) -> Result<Vec<Appeal>, SourceError> {
        Ok(self
            .0
            .changed_since(after.updated_ms, after.id, limit.min(FEED_PAGE) as i64)
            .await?)
    }
}

/// The index and its one writer.
#[derive(Clone)]
pub struct Search {
    pub index: SearchIndex,
    pub updater: Arc<IndexUpdater>,
}

impl Search {
    /// Opens (or creates) the index in `dir`; `None` keeps it in memory.
    pub fn open(dir: Option<&Path>) -> Result<Search, jiesu_search::SearchError> {
        let index = match dir {
            Some(dir) => SearchIndex::open(dir)?,
            None => SearchIndex::in_memory()?,
        };
        let updater = index.updater(UpdaterConfig::default())?;
        Ok(Search {
            index,
            updater: Arc::new(updater),
        })
    }

    /// Pushes a changed appeal to the index (best effort: the catch-up repairs a miss).
    pub async fn changed(&self, appeal: &Appeal) {
        if let Err(e) = self.updater.upsert(appeal).await {
            tracing::warn!(error = %e, id = %appeal.id, "search index update failed");
        }
    }

    /// Indexes everything the feed has after the index's watermark.
    pub async fn catch_up(&self, store: Arc<dyn Store>) -> Result<u64, jiesu_search::SearchError> {
        let report = self
            .updater
            .catch_up(&StoreFeed(store), &CatchUpConfig::default())
            .await?;
        Ok(report.indexed)
    }
}

impl Search {
    /// Whether a list with this filter can come from the index: it has words to match, none
    /// of the filters only the store knows (时限状态, 挂牌) and no order but the index's own.
    pub fn can_list(filter: &AppealFilter) -> bool {
        filter.words.is_some()
            && filter.deadline.is_none()
            && !filter.flagged
            && filter.order == AppealOrder::Newest
    }

    /// One page of the appeals matching `filter` (see [`Search::can_list`]), best match
    /// first, in `district` if given. The index work runs off the async executor.
    pub async fn list(
        &self,
        filter: &AppealFilter,
        district: Option<String>,
        page: Page,
    ) -> Result<SearchResults, SearchError> {
        let query = SearchQuery {
            text: filter.words.clone().unwrap_or_default(),
            filters: SearchFilters {
                from: filter.from,
                to: filter.to,
                bodies: filter
                    .bodies
                    .as_ref()
                    .map(|ids| ids.iter().map(|b| b.0).collect()),
                category_l1: filter.category_l1.clone(),
                status: filter
                    .statuses
                    .iter()
                    .map(|s| s.code().to_string())
                    .collect(),
                district,
                channel: filter.channel.map(|c| c.label().to_string()),
                appeal_type: filter.appeal_type.map(|t| t.label().to_string()),
            },
            offset: page.offset as usize,
            limit: page.limit as usize,
        };
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.search(&query))
            .await
            .map_err(|e| SearchError::Io(std::io::Error::other(e)))?
    }
}
