//! The knowledge base (知识库).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::knowledge::{Article, ArticleDraft};

use crate::error::StoreResult;
use crate::filter::Page;

#[async_trait]
pub trait KnowledgeStore: Send + Sync {
    async fn create_article(&self, draft: &ArticleDraft, at: DateTime<Utc>)
    -> StoreResult<Article>;
    async fn update_article(
        &self,
        id: i64,
        draft: &ArticleDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<Article>;
    async fn article(&self, id: i64) -> StoreResult<Article>;
    /// Articles whose question or answer contain every word, newest first.
    async fn find_articles(&self, words: &str, page: Page) -> StoreResult<Vec<Article>>;
}
