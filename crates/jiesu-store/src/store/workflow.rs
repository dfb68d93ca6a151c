//! The workflow's writes (流转): events appended under the appeal's version, with the new
//! state, the notices and the re-projected deadline.

use async_trait::async_trait;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::assessment::facts::{FactChange, changes};
use jiesu_domain::attachment::NewAttachment;
use jiesu_domain::event::Event;
use jiesu_domain::notice::Notice;

use crate::error::{StoreError, StoreResult};
use crate::sql::RecordingRows;

/// One event to append (一次流转): the appeal as it was (whose version must still be stored),
/// the event linked to the appeal's chain head, the appeal with the event applied (and its
/// deadline re-projected), and the notices it calls for. The rows it writes are encoded when
/// it is made ([`Recording::new`]), so that the single writer only stores them; its parts
/// are read-only after that, so the rows cannot drift from them.
#[derive(Debug, Clone)]
pub struct Recording {
    before: Appeal,
    event: Event,
    after: Appeal,
    notices: Vec<Notice>,
    rows: RecordingRows,
    attachments: Vec<NewAttachment>,
    facts: Vec<FactChange>,
}

impl Recording {
    pub fn new(
        before: Appeal,
        event: Event,
        after: Appeal,
        notices: Vec<Notice>,
    ) -> StoreResult<Recording> {
        let rows = RecordingRows::encode(&before, &event, &after)?;
        let facts = changes(&before, &event, &after);
        Ok(Recording {
            before,
            event,
            after,
            notices,
            rows,
            attachments: Vec::new(),
            facts,
        })
    }

    /// The files that come with the event (a reply's 答复材料), their bytes already stored:
    /// recorded with the event, owned by the reply.
    pub fn with_attachments(mut self, attachments: Vec<NewAttachment>) -> Recording {
        self.attachments = attachments;
        self
    }

    pub fn attachments(&self) -> &[NewAttachment] {
        &self.attachments
    }

    /// The appeal as the action found it: its version must still be the stored one.
    pub fn before(&self) -> &Appeal {
        &self.before
    }

    /// The event, its `prev_hash` the hash of the event the appeal is at (seq =
    /// `before.version`): valid whenever the version check passes.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The appeal with the event applied.
    pub fn after(&self) -> &Appeal {
        &self.after
    }

    /// The appeal with the event applied, taking the recording apart.
    pub fn into_after(self) -> Appeal {
        self.after
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// What the event changes in the assessment facts (考核事实), stored with it.
    pub fn fact_changes(&self) -> &[FactChange] {
        &self.facts
    }

    /// The encoded rows, for the backends.
    pub fn rows(&self) -> &RecordingRows {
        &self.rows
    }
}

#[async_trait]
pub trait WorkflowStore: Send + Sync {
    /// Appends an event to an appeal whose stored version is still `before`'s, stores
    /// the appeal as it is after, and its notices — one transaction. Another write since →
    /// [`StoreError::Stale`].
    async fn record(&self, recording: &Recording) -> StoreResult<Event> {
        self.record_many(std::slice::from_ref(recording))
            .await?
            .pop()
            .unwrap_or(Err(StoreError::Other("no result".into())))
    }
    /// Many recordings in one transaction (the deadline scanner's batches); each succeeds
    /// or gets its own [`StoreError::Stale`].
    async fn record_many(&self, recordings: &[Recording]) -> StoreResult<Vec<StoreResult<Event>>>;
    /// Several recordings on different appeals, all or none, in one transaction (a lead's
    /// approved review with its followers' 随主件答复): if any appeal moved on, nothing is
    /// written and the answer is [`StoreError::Stale`].
    async fn record_all(&self, recordings: &[Recording]) -> StoreResult<Vec<Event>>;
    /// Consecutive recordings of one appeal (each `before` the previous one's `after`), all
    /// or none, in one transaction (a judged return with its re-dispatch): if the appeal
    /// moved on before any of them, nothing is written and the answer is
    /// [`StoreError::Stale`].
    async fn record_chain(&self, recordings: &[Recording]) -> StoreResult<Vec<Event>>;
    /// Stores re-projected deadlines without an event (e.g. after the rules changed), for
    /// appeals still at the given versions.
    async fn refresh_deadlines(&self, appeals: &[Appeal]) -> StoreResult<()>;
}
