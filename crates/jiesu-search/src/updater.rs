//! [`IndexUpdater`]: the index's single writer. It owns a dedicated thread that applies
//! upserts and commits in batches — every `commit_docs` changes or `commit_interval` after
//! the first uncommitted one, whichever comes first — so no tokenizing, merging or
//! committing ever runs on the async executor.
//!
//! Async code uses [`IndexUpdater::upsert`], [`IndexUpdater::flush`],
//! [`IndexUpdater::catch_up`] and [`IndexUpdater::rebuild`]; plain threads use the
//! `*_blocking` variants (which panic inside an async context, like tokio's).
//!
//! The watermark moves only through [`IndexUpdater::catch_up`] and
//! [`IndexUpdater::rebuild`], which read the source in `(updated_at, id)` order: a live
//! [`IndexUpdater::upsert`] makes the index fresher sooner but never claims that everything
//! before it is indexed. Every commit stores the watermark in the index's metadata, so after a
//! crash the next catch-up resumes from the last commit.
//!
//! The updater remembers which version of each appeal it was last sent (live or by a
//! catch-up), so a catch-up that reads an appeal already sent at that version — pushed live,
//! or re-read in the overlap before the watermark — skips it instead of indexing it twice.

use std::collections::HashMap;
use std::sync::atomic::Ordering as AtomicOrdering;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiesu_domain::appeal::Appeal;
use jiesu_domain::ids::AppealId;
use serde::{Deserialize, Serialize};
use tantivy::{IndexReader, IndexWriter, TantivyDocument, TantivyError, Term};
use tokio::sync::{Mutex as AsyncMutex, mpsc, oneshot};

use crate::document::{Fields, SCHEMA_VERSION, appeal_key};
use crate::error::SearchError;
use crate::index::{Payload, SearchIndex, Shared};
use crate::source::{AppealSource, Watermark};

/// How the updater batches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdaterConfig {
    /// Commit after this many changes.
    pub commit_docs: usize,
    /// Commit this long after the first uncommitted change.
    #[serde(with = "millis")]
    pub commit_interval: Duration,
    /// Changes queued for the writer thread before senders wait.
    pub queue: usize,
    /// Tantivy indexing threads (each tokenizes on its own core).
    pub writer_threads: usize,
    /// Tantivy's memory budget for all indexing threads together.
    pub writer_memory_bytes: usize,
}

impl Default for UpdaterConfig {
    fn default() -> Self {
        UpdaterConfig {
            commit_docs: 10_000,
            commit_interval: Duration::from_millis(1_000),
            queue: 4_096,
            writer_threads: std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(2),
            writer_memory_bytes: 200 << 20,
        }
    }
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

/// How a catch-up reads the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatchUpConfig {
    /// Appeals asked for per page.
    pub page: usize,
    /// How far before the watermark to start reading again, in milliseconds, so that a
    /// transaction that committed after a later one is not missed. Re-indexing is harmless.
    pub overlap_ms: i64,
}

impl Default for CatchUpConfig {
    fn default() -> Self {
        CatchUpConfig {
            page: 1_000,
            overlap_ms: 2_000,
        }
    }
}

/// What a catch-up or rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatchUpReport {
    /// Appeals sent to the index (including ones re-read in the overlap).
    pub indexed: u64,
    /// Appeals read but skipped: already sent (live or by an earlier catch-up) at the version
    /// read.
    pub already: u64,
    /// The watermark committed at the end.
    pub watermark: Watermark,
}

/// Progress of a rebuild, reported after every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildProgress {
    pub indexed: u64,
    pub watermark: Watermark,
}

/// Sends remembered at most (between two catch-ups).
const SENT_REMEMBERED: usize = 100_000;

/// The version of each appeal last sent, by document key, with its watermark (for
/// forgetting it once a catch-up has passed it).
type Sent = Arc<Mutex<HashMap<u64, (i64, Watermark)>>>;

enum Command {
    Upsert { key: u64, doc: Box<TantivyDocument> },
    Delete(u64),
    Watermark(Watermark),
    Flush(oneshot::Sender<Result<Watermark, SearchError>>),
    BeginRebuild(oneshot::Sender<Result<(), SearchError>>),
    EndRebuild(oneshot::Sender<Result<Watermark, SearchError>>),
    AbortRebuild(oneshot::Sender<Result<(), SearchError>>),
}

/// The single writer of a [`SearchIndex`]. Dropping it commits what is pending in the
/// background; [`IndexUpdater::close`] does the same and waits for it and for merges.
pub struct IndexUpdater {
    tx: mpsc::Sender<Command>,
    thread: Option<JoinHandle<Result<(), SearchError>>>,
    fields: Fields,
    shared: Arc<Shared>,
    /// One catch-up or rebuild at a time.
    reading: AsyncMutex<()>,
    sent: Sent,
}

impl std::fmt::Debug for IndexUpdater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexUpdater").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Starts the index's writer thread. Only one updater may exist per index (and per
    /// directory, across processes): a second one is [`SearchError::Locked`].
    pub fn updater(&self, config: UpdaterConfig) -> Result<IndexUpdater, SearchError> {
        let inner = &self.inner;
        if inner
            .shared
            .updater_running
            .swap(true, AtomicOrdering::AcqRel)
        {
            return Err(SearchError::Locked("本进程已有一个索引更新器".into()));
        }
        let writer = inner
            .index
            .writer_with_num_threads::<TantivyDocument>(
                config.writer_threads.max(1),
                config
                    .writer_memory_bytes
                    .max((20 << 20) * config.writer_threads.max(1)),
            )
            .map_err(|e| {
                inner
                    .shared
                    .updater_running
                    .store(false, AtomicOrdering::Release);
                match e {
                    TantivyError::LockFailure(lock, detail) => {
                        SearchError::Locked(detail.unwrap_or_else(|| lock.to_string()))
                    }
                    e => SearchError::Index(e),
                }
            })?;
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let sent = Sent::default();
        let worker = Worker {
            sent: sent.clone(),
            writer,
            reader: inner.reader.clone(),
            fields: inner.fields,
            shared: inner.shared.clone(),
            committed: inner.shared.committed(),
            pending: 0,
            pending_since: None,
            pending_watermark: None,
            rebuilding: false,
            config,
        };
        let thread = std::thread::Builder::new()
            .name("search-index-writer".into())
            .spawn(move || worker.run(rx))?;
        Ok(IndexUpdater {
            tx,
            thread: Some(thread),
            fields: inner.fields,
            shared: inner.shared.clone(),
            reading: AsyncMutex::new(()),
            sent,
        })
    }
}

impl IndexUpdater {
    fn upsert_command(&self, appeal: &Appeal) -> Result<Command, SearchError> {
        Ok(Command::Upsert {
            key: appeal_key(appeal.id.0)?,
            doc: Box::new(self.fields.document(appeal)?),
        })
    }

    async fn send(&self, command: Command) -> Result<(), SearchError> {
        self.tx
            .send(command)
            .await
            .map_err(|_| SearchError::UpdaterStopped)
    }

    /// Adds or replaces the appeal's document (committed with the next batch).
    pub async fn upsert(&self, appeal: &Appeal) -> Result<(), SearchError> {
        let command = self.upsert_command(appeal)?;
        self.send(command).await?;
        self.remember_sent(appeal);
        Ok(())
    }

    /// Remembers an appeal sent live or read from the source (after it is in the writer's
    /// queue, so a catch-up that skips it is flushed after it). Without catch-ups (a bulk
    /// load) the memory stays bounded: past [`SENT_REMEMBERED`] entries it starts over.
    fn remember_sent(&self, appeal: &Appeal) {
        if let Ok(key) = appeal_key(appeal.id.0) {
            let mut sent = self.sent.lock().expect("sent versions");
            if sent.len() >= SENT_REMEMBERED {
                sent.clear();
            }
            if sent
                .get(&key)
                .is_none_or(|(version, _)| *version <= appeal.version)
            {
                sent.insert(key, (appeal.version, Watermark::of(appeal)));
            }
        }
    }

    /// Whether this version of the appeal (or a later one) was already sent.
    fn already_sent(&self, appeal: &Appeal) -> bool {
        let Ok(key) = appeal_key(appeal.id.0) else {
            return false;
        };
        let sent = self.sent.lock().expect("sent versions");
        sent.get(&key)
            .is_some_and(|(version, _)| *version >= appeal.version)
    }

    /// Forgets the live sends a catch-up from `from` will no longer read.
    fn forget_sent_before(&self, from: Watermark) {
        let mut sent = self.sent.lock().expect("sent versions");
        sent.retain(|_, (_, at)| *at > from);
    }

    /// [`IndexUpdater::upsert`] for non-async threads.
    pub fn upsert_blocking(&self, appeal: &Appeal) -> Result<(), SearchError> {
        let command = self.upsert_command(appeal)?;
        self.tx
            .blocking_send(command)
            .map_err(|_| SearchError::UpdaterStopped)?;
        self.remember_sent(appeal);
        Ok(())
    }

    /// Removes the appeal from the index.
    pub async fn delete(&self, id: AppealId) -> Result<(), SearchError> {
        self.send(Command::Delete(appeal_key(id.0)?)).await
    }

    /// Commits everything sent so far and makes it searchable; returns the committed
    /// watermark. (During a rebuild nothing is committed until the rebuild ends.)
    pub async fn flush(&self) -> Result<Watermark, SearchError> {
        let (ack, done) = oneshot::channel();
        self.send(Command::Flush(ack)).await?;
        done.await.map_err(|_| SearchError::UpdaterStopped)?
    }

    /// [`IndexUpdater::flush`] for non-async threads.
    pub fn flush_blocking(&self) -> Result<Watermark, SearchError> {
        let (ack, done) = oneshot::channel();
        self.tx
            .blocking_send(Command::Flush(ack))
            .map_err(|_| SearchError::UpdaterStopped)?;
        done.blocking_recv()
            .map_err(|_| SearchError::UpdaterStopped)?
    }

    /// Stops the writer thread after a last commit and waits for it and for running merges.
    /// Blocking: in async code call it from `spawn_blocking`.
    pub fn close(mut self) -> Result<(), SearchError> {
        let thread = self.thread.take();
        drop(self);
        match thread.map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(SearchError::UpdaterStopped),
            None => Ok(()),
        }
    }

    /// Indexes what changed in `source` since the committed watermark (minus the overlap),
    /// page by page, then commits. While it adds appeals newer than the watermark, searches
    /// report `complete = false`; when it returns `Ok` they report `true`.
    pub async fn catch_up<S: AppealSource>(
        &self,
        source: &S,
        config: &CatchUpConfig,
    ) -> Result<CatchUpReport, SearchError> {
        let _one_at_a_time = self.reading.lock().await;
        let committed = self.shared.committed();
        let mut busy: Option<BusyGuard> = None;
        let result = self
            .read_pages(
                source,
                config.page,
                committed.minus(config.overlap_ms),
                true,
                |batch| {
                    if busy.is_none() && batch.iter().any(|a| Watermark::of(a) > committed) {
                        busy = Some(BusyGuard::new(&self.shared));
                    }
                },
            )
            .await;
        let result = match result {
            Ok((indexed, already)) => self.flush().await.map(|watermark| {
                self.forget_sent_before(watermark.minus(config.overlap_ms));
                CatchUpReport {
                    indexed,
                    already,
                    watermark,
                }
            }),
            Err(e) => Err(e),
        };
        self.shared
            .caught_up
            .store(result.is_ok(), AtomicOrdering::Release);
        drop(busy);
        result
    }

    /// Replaces the whole index with what `source` holds, reading it from the start. Searches
    /// keep seeing the old index (with `complete = false`) until the new one is committed at
    /// the end; if the source fails, the old index stays as it was.
    pub async fn rebuild<S: AppealSource>(
        &self,
        source: &S,
        config: &CatchUpConfig,
        mut progress: impl FnMut(RebuildProgress) + Send,
    ) -> Result<CatchUpReport, SearchError> {
        let _one_at_a_time = self.reading.lock().await;
        let _busy = BusyGuard::new(&self.shared);
        self.ask(Command::BeginRebuild).await?;
        let mut indexed = 0u64;
        let result = self
            .read_pages(source, config.page, Watermark::ZERO, false, |batch| {
                indexed += batch.len() as u64;
                if let Some(last) = batch.last() {
                    progress(RebuildProgress {
                        indexed,
                        watermark: Watermark::of(last),
                    });
                }
            })
            .await;
        let result = match result {
            Ok((indexed, already)) => {
                self.ask(Command::EndRebuild)
                    .await
                    .map(|watermark| CatchUpReport {
                        indexed,
                        already,
                        watermark,
                    })
            }
            Err(e) => {
                if let Err(abort) = self.ask(Command::AbortRebuild).await {
                    tracing::error!(error = %abort, "could not roll back a failed rebuild");
                }
                Err(e)
            }
        };
        self.shared
            .caught_up
            .store(result.is_ok(), AtomicOrdering::Release);
        result
    }

    async fn ask<T>(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<T, SearchError>>) -> Command,
    ) -> Result<T, SearchError> {
        let (ack, done) = oneshot::channel();
        self.send(command(ack)).await?;
        done.await.map_err(|_| SearchError::UpdaterStopped)?
    }

    /// Sends every page after `from` to the writer, followed by its watermark; with
    /// `skip_sent`, not the appeals already sent at the version read. Returns how many
    /// were sent and how many skipped.
    async fn read_pages<S: AppealSource>(
        &self,
        source: &S,
        page: usize,
        from: Watermark,
        skip_sent: bool,
        mut on_page: impl FnMut(&[Appeal]),
    ) -> Result<(u64, u64), SearchError> {
        let page = page.max(1);
        let mut cursor = from;
        let mut indexed = 0u64;
        let mut already = 0u64;
        loop {
            let batch = source
                .changed_since(cursor, page)
                .await
                .map_err(|e| SearchError::Source(e.to_string()))?;
            let Some(last) = batch.iter().map(Watermark::of).max() else {
                break;
            };
            if last <= cursor {
                return Err(SearchError::Source(
                    "数据源返回的诉求没有按更新时间排序".into(),
                ));
            }
            on_page(&batch);
            for appeal in &batch {
                if skip_sent && self.already_sent(appeal) {
                    already += 1;
                    continue;
                }
                self.send(self.upsert_command(appeal)?).await?;
                // The next catch-up re-reads the overlap; this version need not go again.
                self.remember_sent(appeal);
                indexed += 1;
            }
            self.send(Command::Watermark(last)).await?;
            cursor = last;
            if batch.len() < page {
                break;
            }
        }
        Ok((indexed, already))
    }
}

/// Marks the index busy (incomplete) while alive.
struct BusyGuard(Arc<Shared>);

impl BusyGuard {
    fn new(shared: &Arc<Shared>) -> BusyGuard {
        shared.busy.fetch_add(1, AtomicOrdering::AcqRel);
        BusyGuard(shared.clone())
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, AtomicOrdering::AcqRel);
    }
}

/// The writer thread's state.
struct Worker {
    writer: IndexWriter<TantivyDocument>,
    /// The live sends, forgotten when their documents may be lost (a document refused, a
    /// rollback, a failed commit) so that the next catch-up indexes them.
    sent: Sent,
    reader: IndexReader,
    fields: Fields,
    shared: Arc<Shared>,
    committed: Watermark,
    /// Changes since the last commit.
    pending: usize,
    pending_since: Option<Instant>,
    pending_watermark: Option<Watermark>,
    rebuilding: bool,
    config: UpdaterConfig,
}

impl Worker {
    fn run(mut self, rx: mpsc::Receiver<Command>) -> Result<(), SearchError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()?;
        let served = runtime.block_on(self.serve(rx));
        let shared = self.shared.clone();
        let merged = self
            .writer
            .wait_merging_threads()
            .map_err(SearchError::from);
        shared.updater_running.store(false, AtomicOrdering::Release);
        served.and(merged)
    }

    async fn serve(&mut self, mut rx: mpsc::Receiver<Command>) -> Result<(), SearchError> {
        loop {
            let deadline = match (self.pending_since, self.rebuilding) {
                (Some(since), false) => Some(since + self.config.commit_interval),
                _ => None,
            };
            let command = match deadline {
                Some(deadline) => match tokio::time::timeout_at(deadline.into(), rx.recv()).await {
                    Ok(command) => command,
                    Err(_elapsed) => {
                        self.commit_logged();
                        continue;
                    }
                },
                None => rx.recv().await,
            };
            let Some(command) = command else { break };
            self.handle(command);
        }
        // Every sender is gone: commit what is left (a rebuild left unfinished is dropped)
        // and let merges finish.
        if self.rebuilding {
            self.writer.rollback()?;
        } else if self.pending_since.is_some() {
            self.commit()?;
        }
        Ok(())
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Upsert { key, doc } => {
                self.writer
                    .delete_term(Term::from_field_u64(self.fields.id, key));
                if let Err(e) = self.writer.add_document(*doc) {
                    tracing::error!(error = %e, "search index: adding a document failed");
                    self.sent.lock().expect("sent versions").remove(&key);
                }
                self.touch();
            }
            Command::Delete(key) => {
                self.writer
                    .delete_term(Term::from_field_u64(self.fields.id, key));
                self.touch();
            }
            Command::Watermark(w) => {
                self.pending_watermark = Some(self.pending_watermark.map_or(w, |p| p.max(w)));
                self.touch_no_count();
            }
            Command::Flush(ack) => {
                let result = if self.rebuilding {
                    Ok(self.committed)
                } else {
                    self.commit().map(|()| self.committed)
                };
                let _ = ack.send(result);
            }
            Command::BeginRebuild(ack) => {
                let result = self.writer.delete_all_documents().map(|_| ());
                if result.is_ok() {
                    self.rebuilding = true;
                    self.pending_watermark = None;
                    self.pending_since = Some(Instant::now());
                }
                let _ = ack.send(result.map_err(SearchError::from));
            }
            Command::EndRebuild(ack) => {
                self.rebuilding = false;
                // The rebuild's watermark replaces the old one even if it is lower.
                let result = self.commit_as(self.pending_watermark.unwrap_or(Watermark::ZERO));
                let _ = ack.send(result.map(|()| self.committed));
            }
            Command::AbortRebuild(ack) => {
                self.rebuilding = false;
                let result = self.writer.rollback().map(|_| ());
                self.forget_live_sends();
                self.pending = 0;
                self.pending_since = None;
                self.pending_watermark = None;
                let _ = ack.send(result.map_err(SearchError::from));
            }
        }
        if !self.rebuilding && self.pending >= self.config.commit_docs {
            self.commit_logged();
        }
    }

    fn touch(&mut self) {
        self.pending += 1;
        self.touch_no_count();
    }

    fn touch_no_count(&mut self) {
        self.pending_since.get_or_insert_with(Instant::now);
    }

    fn commit_logged(&mut self) {
        if let Err(e) = self.commit() {
            tracing::error!(error = %e, "search index: commit failed");
            self.shared.caught_up.store(false, AtomicOrdering::Release);
        }
    }

    fn commit(&mut self) -> Result<(), SearchError> {
        let watermark = self
            .pending_watermark
            .map_or(self.committed, |w| w.max(self.committed));
        self.commit_as(watermark)
    }

    /// Forgets every live send: the documents not yet committed are gone, and the next
    /// catch-up must read them again.
    fn forget_live_sends(&self) {
        self.sent.lock().expect("sent versions").clear();
    }

    fn commit_as(&mut self, watermark: Watermark) -> Result<(), SearchError> {
        let committed = self.try_commit_as(watermark);
        if committed.is_err() {
            self.forget_live_sends();
        }
        committed
    }

    fn try_commit_as(&mut self, watermark: Watermark) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Payload {
            schema_version: SCHEMA_VERSION,
            watermark,
        })
        .map_err(|e| SearchError::Index(TantivyError::InternalError(e.to_string())))?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        self.committed = watermark;
        self.shared.set_committed(watermark);
        self.pending = 0;
        self.pending_since = None;
        self.pending_watermark = None;
        Ok(())
    }
}
