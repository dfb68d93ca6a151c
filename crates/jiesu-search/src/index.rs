//! [`SearchIndex`]: opening the index and reading it — full-text search and duplicate
//! candidates. Writing goes through [`crate::IndexUpdater`].
//!
//! Searching is CPU work measured in milliseconds: call it from `spawn_blocking` (or a
//! blocking thread pool) in async code. `SearchIndex` is cheap to clone and `Send + Sync`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use jiesu_domain::ids::AppealId;
use jiesu_domain::status::Status;
use jiesu_text::segment::Segmenter;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, Order, ReloadPolicy, Score, Searcher, SegmentReader,
    TantivyDocument, Term,
};

use crate::document::{CREATED, Fields, ID, SCHEMA_VERSION};
use crate::error::SearchError;
use crate::query::{self, Compiler, SearchQuery, is_stop_word, word_groups};
use crate::source::Watermark;
use crate::tokenizer::{TOKENIZER_NAME, analyzer};

/// Hits per page when the query says 0.
pub const DEFAULT_LIMIT: usize = 20;
/// Most hits per page.
pub const MAX_LIMIT: usize = 100;
/// How deep one may page (offset + limit).
pub const MAX_WINDOW: usize = 10_000;

/// Characters of text shown when a hit has nothing to highlight.
const PLAIN_SNIPPET_CHARS: usize = 80;
/// Bytes of text a highlighted text snippet may span (about 80 Chinese characters).
const TEXT_SNIPPET_BYTES: usize = 240;

/// Duplicate check: at most this many of the draft's words are asked for.
const SIMILAR_TERMS: usize = 12;
/// ... and this fraction of them must match.
const SIMILAR_MIN_MATCH: f32 = 0.4;
/// Words in more than this fraction of appeals are too common to tell appeals apart
/// (applied from 1,000 appeals on).
const SIMILAR_MAX_DF: f64 = 0.05;
/// Same district adds this fraction of the draft's total word weight.
const SIMILAR_DISTRICT_BONUS: f32 = 0.3;
/// The newest candidates get up to this much more score than the oldest.
const SIMILAR_RECENCY: f32 = 0.2;

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// How many appeals match in all.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// False while a catch-up or rebuild is adding a backlog, before the first catch-up since
    /// opening, or after a failed one: results may miss recent changes.
    pub complete: bool,
}

/// One matching appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: AppealId,
    pub number: String,
    /// Relevance (BM25); 0 when listing without text.
    pub score: f32,
    /// The title as HTML, escaped, matches wrapped in `<mark>…</mark>`.
    pub title_snippet: String,
    /// The best passage of the text as HTML, escaped, matches wrapped in `<mark>…</mark>`.
    pub text_snippet: String,
}

/// What the index knows about its own freshness, shared by readers and the updater.
#[derive(Debug)]
pub(crate) struct Shared {
    committed: Mutex<Watermark>,
    /// A catch-up reached the end of the source and committed it.
    pub caught_up: AtomicBool,
    /// Catch-ups or rebuilds in flight that have uncommitted news.
    pub busy: AtomicUsize,
    /// The updater is running (only one per index).
    pub updater_running: AtomicBool,
}

impl Shared {
    pub fn committed(&self) -> Watermark {
        *self
            .committed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set_committed(&self, watermark: Watermark) {
        *self
            .committed
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = watermark;
    }

    pub fn is_complete(&self) -> bool {
        self.caught_up.load(AtomicOrdering::Acquire) && self.busy.load(AtomicOrdering::Acquire) == 0
    }
}

/// What every commit stores in the index's metadata.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Payload {
    pub schema_version: u32,
    pub watermark: Watermark,
}

pub(crate) struct Inner {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub analyzer: TextAnalyzer,
    pub shared: Arc<Shared>,
}

/// The full-text index over appeals. Clone it freely: clones share one index.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.num_docs())
            .field("watermark", &self.watermark())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the directory) if needed. An index built
    /// with another schema version is discarded: its watermark starts from zero, so the next
    /// catch-up rebuilds it from the source.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        SearchIndex::open_with(Some(dir), Segmenter::default())
    }

    /// A throw-away index in memory (tests, benchmarks, demos).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        SearchIndex::open_with(None, Segmenter::default())
    }

    /// Like [`SearchIndex::open`] (or in memory for `None`) with a segmenter that knows the
    /// city's own words. Changing the words changes the tokens: rebuild after a change.
    pub fn open_with(dir: Option<&Path>, segmenter: Segmenter) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let index = match dir {
            None => Index::create_in_ram(schema),
            Some(dir) => open_dir(dir, &schema)?,
        };
        let analyzer = analyzer(segmenter);
        index
            .tokenizers()
            .register(TOKENIZER_NAME, analyzer.clone());
        let committed = read_payload(&index)?
            .map(|p| p.watermark)
            .unwrap_or(Watermark::ZERO);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                analyzer,
                shared: Arc::new(Shared {
                    committed: Mutex::new(committed),
                    caught_up: AtomicBool::new(false),
                    busy: AtomicUsize::new(0),
                    updater_running: AtomicBool::new(false),
                }),
            }),
        })
    }

    /// Appeals in the index (as of the last commit).
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Segments the index is made of (as of the last reload): each is searched on its own,
    /// so many small ones slow searches down until merges combine them.
    pub fn num_segments(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    /// Makes searches see the last commit now; otherwise they follow commits after a short
    /// delay. For a caller that just wrote and needs to read its writes (and merges).
    pub fn reload(&self) -> Result<(), SearchError> {
        Ok(self.inner.reader.reload()?)
    }

    /// How far the index has read its source, as committed.
    pub fn watermark(&self) -> Watermark {
        self.inner.shared.committed()
    }

    /// See [`SearchResults::complete`].
    pub fn is_complete(&self) -> bool {
        self.inner.shared.is_complete()
    }

    /// Full-text search with filters, highlighted snippets and the total count.
    pub fn search(&self, request: &SearchQuery) -> Result<SearchResults, SearchError> {
        let limit = match request.limit {
            0 => DEFAULT_LIMIT,
            n if n > MAX_LIMIT => {
                return Err(SearchError::bad(format!("每页最多显示 {MAX_LIMIT} 条")));
            }
            n => n,
        };
        if request.offset.saturating_add(limit) > MAX_WINDOW {
            return Err(SearchError::bad(format!(
                "只能翻看前 {MAX_WINDOW} 条结果，请增加检索条件"
            )));
        }
        let inner = &self.inner;
        let searcher = inner.reader.searcher();
        let compiled = match query::parse(&request.text)? {
            Some(node) => {
                Some(Compiler::new(&inner.fields, &inner.analyzer, &searcher).compile(&node)?)
            }
            None => None,
        };
        let mut clauses = query::filter_clauses(&inner.fields, &request.filters)?;
        let complete = inner.shared.is_complete();
        let top = TopDocs::with_limit(limit).and_offset(request.offset);
        let (found, total, highlight): (Vec<(Score, DocAddress)>, usize, _) = match compiled {
            Some(compiled) => {
                clauses.push((Occur::Must, compiled.query));
                let query = BooleanQuery::new(clauses);
                let (docs, total) = searcher.search(&query, &(top.order_by_score(), Count))?;
                (docs, total, compiled.highlight)
            }
            None => {
                clauses.push((Occur::Must, Box::new(AllQuery)));
                let query = BooleanQuery::new(clauses);
                let (docs, total) = searcher.search(
                    &query,
                    &(top.order_by_fast_field::<i64>(CREATED, Order::Desc), Count),
                )?;
                let docs = docs.into_iter().map(|(_, addr)| (0.0, addr)).collect();
                (docs, total, Default::default())
            }
        };
        let snippets = Snippets::new(inner, highlight);
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
            let id = doc
                .get_first(inner.fields.id)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            hits.push(Hit {
                id: AppealId(i64::try_from(id).unwrap_or(i64::MAX)),
                number: text_of(inner.fields.number).to_string(),
                score,
                title_snippet: snippets.title(text_of(inner.fields.title)),
                text_snippet: snippets.text(text_of(inner.fields.text)),
            });
        }
        Ok(SearchResults {
            total,
            hits,
            complete,
        })
    }

    /// Duplicate candidates for an appeal being taken in: appeals created since `since` whose
    /// text shares the draft's most telling words (a BM25 OR-query over up to 12 of them, at
    /// least 40% matching), ranked with a bonus for the same `district` and for recency.
    /// `exclude_closed` leaves out closed, archived and merged appeals. The score only ranks
    /// the candidates against each other.
    pub fn similar(
        &self,
        title: &str,
        text: &str,
        district: Option<&str>,
        since: DateTime<Utc>,
        exclude_closed: bool,
        limit: usize,
    ) -> Result<Vec<(AppealId, f32)>, SearchError> {
        let inner = &self.inner;
        let fields = &inner.fields;
        let limit = limit.clamp(1, MAX_LIMIT);
        let searcher = inner.reader.searcher();
        let docs = searcher.num_docs();
        if docs == 0 {
            return Ok(Vec::new());
        }
        let terms = telling_words(&searcher, inner, title, text, docs)?;
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let weight_sum: f32 = terms.iter().map(|(_, idf)| idf).sum();
        let needed = ((terms.len() as f32) * SIMILAR_MIN_MATCH).ceil() as usize;
        let words = BooleanQuery::with_minimum_required_clauses(
            terms
                .iter()
                .map(|(word, _)| {
                    let per_field: Vec<Box<dyn Query>> = vec![
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(
                                Term::from_field_text(fields.title, word),
                                IndexRecordOption::WithFreqs,
                            )),
                            1.5,
                        )),
                        Box::new(TermQuery::new(
                            Term::from_field_text(fields.text, word),
                            IndexRecordOption::WithFreqs,
                        )),
                    ];
                    (
                        Occur::Should,
                        Box::new(DisjunctionMaxQuery::new(per_field)) as Box<dyn Query>,
                    )
                })
                .collect(),
            needed.max(1),
        );
        let since_ms = since.timestamp_millis();
        let mut clauses: query::Clauses = vec![
            (Occur::Must, Box::new(words)),
            query::filter(query::created_range(fields, Some(since_ms), None)),
        ];
        if let Some(district) = district.map(str::trim).filter(|d| !d.is_empty()) {
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(fields.district, district),
                        IndexRecordOption::Basic,
                    )),
                    SIMILAR_DISTRICT_BONUS * weight_sum,
                )),
            ));
        }
        if exclude_closed {
            let closed = Status::ALL
                .iter()
                .filter(|s| !s.is_open())
                .map(|s| Term::from_field_text(fields.status, s.code()));
            clauses.push((Occur::MustNot, Box::new(TermSetQuery::new(closed))));
        }
        let span = (Utc::now().timestamp_millis() - since_ms).max(1) as f32;
        let top = TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
            let created = segment
                .fast_fields()
                .i64(CREATED)
                .ok()
                .map(|c| c.first_or_default_col(since_ms));
            move |doc: DocId, score: Score| {
                let recency = created.as_ref().map_or(0.0, |c| {
                    ((c.get_val(doc) - since_ms) as f32 / span).clamp(0.0, 1.0)
                });
                score * (1.0 + SIMILAR_RECENCY * recency)
            }
        });
        let found = searcher.search(&BooleanQuery::new(clauses), &top)?;
        let mut out = Vec::with_capacity(found.len());
        for (score, address) in found {
            let ids = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64(ID)?;
            if let Some(id) = ids.first(address.doc_id) {
                out.push((AppealId(i64::try_from(id).unwrap_or(i64::MAX)), score));
            }
        }
        Ok(out)
    }
}

/// The draft's most telling words with their idf: whole words (not sub-words), title words
/// counted twice, stop words, single characters and numbers left out, words too common in
/// the index dropped; the best [`SIMILAR_TERMS`] by tf·idf.
fn telling_words(
    searcher: &Searcher,
    inner: &Inner,
    title: &str,
    text: &str,
    docs: u64,
) -> Result<Vec<(String, f32)>, SearchError> {
    let mut tf: HashMap<String, f32> = HashMap::new();
    for (part, weight) in [(title, 2.0f32), (text, 1.0)] {
        for group in word_groups(&inner.analyzer, part) {
            let word = group.word;
            if word.chars().count() < 2
                || is_stop_word(&word)
                || word
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
            {
                continue;
            }
            *tf.entry(word).or_default() += weight;
        }
    }
    let n = docs as f64;
    let mut scored = Vec::with_capacity(tf.len());
    for (word, freq) in tf {
        let df = searcher.doc_freq(&Term::from_field_text(inner.fields.text, &word))?;
        if df == 0 || (docs >= 1_000 && df as f64 > SIMILAR_MAX_DF * n) {
            continue;
        }
        let idf = (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln() as f32;
        scored.push((word, idf, freq.sqrt() * idf));
    }
    scored.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(SIMILAR_TERMS);
    Ok(scored.into_iter().map(|(w, idf, _)| (w, idf)).collect())
}

/// Highlighted snippets for the hits of one query.
struct Snippets {
    title: Option<SnippetGenerator>,
    text: Option<SnippetGenerator>,
}

impl Snippets {
    fn new(inner: &Inner, highlight: std::collections::BTreeSet<String>) -> Snippets {
        if highlight.is_empty() {
            return Snippets {
                title: None,
                text: None,
            };
        }
        let terms: BTreeMap<String, Score> = highlight.into_iter().map(|w| (w, 1.0)).collect();
        let make = |field, bytes| {
            SnippetGenerator::new(terms.clone(), inner.analyzer.clone(), field, bytes)
        };
        Snippets {
            title: Some(make(
                inner.fields.title,
                3 * jiesu_domain::appeal::MAX_TITLE_CHARS,
            )),
            text: Some(make(inner.fields.text, TEXT_SNIPPET_BYTES)),
        }
    }

    fn title(&self, title: &str) -> String {
        highlighted(self.title.as_ref(), title).unwrap_or_else(|| escape_html(title))
    }

    fn text(&self, text: &str) -> String {
        highlighted(self.text.as_ref(), text).unwrap_or_else(|| plain_snippet(text))
    }
}

fn highlighted(generator: Option<&SnippetGenerator>, text: &str) -> Option<String> {
    let mut snippet = generator?.snippet(text);
    if snippet.is_empty() {
        return None;
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    let range = snippet.fragment_range();
    let mut html = snippet.to_html();
    if range.start > 0 {
        html.insert(0, '…');
    }
    if range.end < text.len() {
        html.push('…');
    }
    Some(html)
}

fn plain_snippet(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.nth(PLAIN_SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", escape_html(&text[..cut])),
        None => escape_html(text),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn read_payload(index: &Index) -> Result<Option<Payload>, SearchError> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok()))
}

/// Opens or creates the index in `dir`; an index of another schema is wiped first.
fn open_dir(dir: &Path, schema: &tantivy::schema::Schema) -> Result<Index, SearchError> {
    std::fs::create_dir_all(dir)?;
    let directory = MmapDirectory::open(dir)?;
    let exists = Index::exists(&directory)
        .map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
    if exists {
        let index = Index::open(directory)?;
        let same_schema = index.schema() == *schema;
        let same_version = read_payload(&index)?.is_none_or(|p| p.schema_version == SCHEMA_VERSION);
        if same_schema && same_version {
            return Ok(index);
        }
        tracing::warn!(dir = %dir.display(), "search index has an old schema; discarding it");
        drop(index);
        wipe_index_files(dir)?;
        return Ok(Index::create(
            MmapDirectory::open(dir)?,
            schema.clone(),
            Default::default(),
        )?);
    }
    Ok(Index::create(
        directory,
        schema.clone(),
        Default::default(),
    )?)
}

/// Removes tantivy's files (and only those) from `dir`.
fn wipe_index_files(dir: &Path) -> Result<(), SearchError> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stem = name.split('.').next().unwrap_or("");
        let is_segment_file = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
        let is_meta =
            matches!(name.as_ref(), "meta.json" | ".managed.json") || name.starts_with(".tantivy-");
        if entry.file_type()?.is_file() && (is_segment_file || is_meta) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<b>\"a\" & 'b'</b>"),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn plain_snippets_are_cut() {
        let long = "长".repeat(100);
        assert!(plain_snippet(&long).ends_with('…'));
        assert_eq!(plain_snippet("短<文>"), "短&lt;文&gt;");
    }
}
