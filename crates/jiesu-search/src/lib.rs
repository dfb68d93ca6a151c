//! Full-text search over appeals (诉求检索) with a Chinese tokenizer, and duplicate candidates
//! at intake (重复诉求提示). The index is a derived store: everything in it comes from the
//! database and can be rebuilt from it at any time.
//!
//! - [`tokenizer`]: the `jieba` tokenizer — normalized text cut with jieba's search mode.
//! - [`SearchIndex`] (`index`): open or create, search with filters and highlights, similar
//!   appeals.
//! - [`IndexUpdater`] (`updater`): the single writer thread with batched commits; catch-up and
//!   rebuild from an [`AppealSource`].
//! - [`Watermark`], [`AppealSource`] (`source`): how the index keeps in step with the database.
//! - [`SearchQuery`], [`SearchFilters`] (`query`): the request and the user's query language.
//!
//! The schema and the appeal → document mapping live in one place, `document.rs`.

#![forbid(unsafe_code)]

mod document;
mod error;
mod index;
mod query;
mod source;
pub mod tokenizer;
mod updater;

pub use error::SearchError;
pub use index::{
    DEFAULT_LIMIT, Hit, MAX_LIMIT, MAX_WINDOW, SearchIndex, SearchResults, escape_html,
};
pub use query::{MAX_QUERY_CHARS, SearchFilters, SearchQuery};
pub use source::{AppealSource, SourceError, Watermark};
pub use updater::{CatchUpConfig, CatchUpReport, IndexUpdater, RebuildProgress, UpdaterConfig};
