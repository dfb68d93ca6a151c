//! The learning loop's examples kept in memory ([`LearningExamples`]): filled once from the
//! dispatches and return judgements in the store, then advanced by reading only those
//! recorded since (through the events-by-action index) and re-reading just their appeals'
//! event logs. An appeal's examples are always rebuilt from its whole log and replace what
//! was kept for it, so an event read again is never counted twice.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use jiesu_domain::action::Action;
use jiesu_domain::event::Event;
use jiesu_domain::ids::AppealId;
use jiesu_store::{Store, StoreResult};

use super::learning::{Example, ExampleSource, examples_of};
use crate::App;
use crate::error::AppResult;

/// The actions whose events can make an example: a dispatch (a correction, or the
/// re-dispatch after a return) and the judgement of a return.
const ACTIONS: [Action; 2] = [Action::Dispatch, Action::JudgeReturn];
/// How far back from the newest event it has read (or from now, if that event is later) an
/// advance reads again: an event whose time was taken just before another's may be
/// committed after it (or come from a server whose clock is a little behind).
const LOOKBACK_MS: i64 = 120_000;
/// Events read in one page.
const PAGE: i64 = 1_000;
/// Appeals re-read at once.
const APPEAL_BATCH: usize = 500;

/// The labelled examples (学习样本) of every appeal, and how far the store was read.
#[derive(Default)]
pub struct LearningExamples {
    by_appeal: BTreeMap<AppealId, Vec<Example>>,
    feeds: [Feed; ACTIONS.len()],
    /// Moves on whenever an advance rebuilt some appeal's examples.
    revision: u64,
}

/// What one advance read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Advance {
    /// Dispatch and return-judgement events not read before.
    pub events: usize,
    /// Appeals whose examples were rebuilt.
    pub appeals: usize,
}

impl LearningExamples {
    /// Reads the dispatches and return judgements recorded since the last advance (all of
    /// them the first time) and rebuilds the examples of their appeals.
    pub async fn advance(&mut self, store: &dyn Store) -> StoreResult<Advance> {
        let mut changed = BTreeSet::new();
        let mut events = 0;
        let now_ms = Utc::now().timestamp_millis();
        for (feed, action) in self.feeds.iter_mut().zip(ACTIONS) {
            events += feed
                .read(store, action.code(), now_ms, &mut changed)
                .await?;
        }
        if changed.is_empty() {
            return Ok(Advance::default());
        }
        let bodies: HashMap<_, _> = store
            .bodies()
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        let body_name = |id| bodies.get(&id).cloned();
        let ids: Vec<AppealId> = changed.into_iter().collect();
        for chunk in ids.chunks(APPEAL_BATCH) {
            let mut logs: HashMap<AppealId, Vec<Event>> = HashMap::new();
            for e in store.events_for(chunk).await? {
                logs.entry(e.appeal).or_default().push(e);
            }
            for id in chunk {
                self.by_appeal.remove(id);
            }
            for appeal in store.appeals_by_ids(chunk).await? {
                let mut log = logs.remove(&appeal.id).unwrap_or_default();
                log.sort_by_key(|e| e.seq);
                let examples = examples_of(&appeal, &log, &body_name);
                if !examples.is_empty() {
                    self.by_appeal.insert(appeal.id, examples);
                }
            }
        }
        self.revision += 1;
        Ok(Advance {
            events,
            appeals: ids.len(),
        })
    }

    /// Which state of the examples this is: the same revision, the same examples.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Every example, oldest appeal first, each appeal's in the order they happened.
    pub fn examples(&self) -> impl Iterator<Item = &Example> {
        self.by_appeal.values().flatten()
    }

    /// How many examples there are of each source (every source listed).
    pub fn count_by_source(&self) -> Vec<(ExampleSource, usize)> {
        ExampleSource::ALL
            .iter()
            .map(|&s| (s, self.examples().filter(|e| e.source == s).count()))
            .collect()
    }
}

/// The events of one action read so far.
#[derive(Default)]
struct Feed {
    /// The time of the newest one (ms); one later than now (from a server whose clock is
    /// ahead) counts as now, so that it does not hide the events of the minutes before it.
    newest_ms: Option<i64>,
    /// Those within [`LOOKBACK_MS`] of the newest, as (time in ms, appeal, sequence): read
    /// again by the next advance, they are told apart from new ones.
    recent: BTreeSet<(i64, i64, i64)>,
}

impl Feed {
    /// Reads the events of `action` recorded since the lookback before the newest one read
    /// (at `now_ms` at the latest), puts the appeals of those not read before into `changed`
    /// and returns how many there were.
    async fn read(
        &mut self,
        store: &dyn Store,
        action: &str,
        now_ms: i64,
        changed: &mut BTreeSet<AppealId>,
    ) -> StoreResult<usize> {
        let mut since = self.newest_ms.map(|ms| ms.min(now_ms) - LOOKBACK_MS);
        let mut limit = PAGE;
        let mut new = 0;
        loop {
            let from = since
                .and_then(DateTime::<Utc>::from_timestamp_millis)
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            let page = store.events_with_action(action, from, limit).await?;
            for e in &page {
                let at = e.at.timestamp_millis();
                if self.recent.insert((at, e.appeal.0, e.seq)) {
                    changed.insert(e.appeal);
                    new += 1;
                }
                self.newest_ms = self.newest_ms.max(Some(at));
            }
            let (Some(first), Some(last)) = (page.first(), page.last()) else {
                break;
            };
            if (page.len() as i64) < limit {
                break;
            }
            let last = last.at.timestamp_millis();
            if first.at.timestamp_millis() == last {
                // A full page of one millisecond: read more of it at once.
                limit *= 2;
            } else {
                since = Some(last);
                limit = PAGE;
                self.forget_before(last.min(now_ms) - LOOKBACK_MS);
            }
        }
        if let Some(newest) = self.newest_ms {
            self.forget_before(newest.min(now_ms) - LOOKBACK_MS);
        }
        Ok(new)
    }

    fn forget_before(&mut self, ms: i64) {
        self.recent = self.recent.split_off(&(ms, i64::MIN, i64::MIN));
    }
}

impl App {
    /// Advances the kept examples by what was recorded since the last look (see
    /// [`LearningExamples::advance`]).
    pub async fn advance_examples(&self) -> AppResult<Advance> {
        Ok(self.learning.lock().await.advance(&*self.store).await?)
    }

    /// `f` of the examples as they stand now (advanced first).
    pub(crate) async fn with_examples<T>(
        &self,
        f: impl FnOnce(&LearningExamples) -> T,
    ) -> AppResult<T> {
        let mut examples = self.learning.lock().await;
        examples.advance(&*self.store).await?;
        Ok(f(&examples))
    }
}
