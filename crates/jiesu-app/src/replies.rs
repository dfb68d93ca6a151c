//! Reply review (答复评价): each reply is scored against its appeal when it is given (or, for
//! a reply given before, when the reviewer first opens it); the reviewer sees the scores and
//! the gaps before approving, and the decision is kept with the scores, which count in the
//! body's assessment ([`jiesu_store::ReplyReviewStore::reply_review_mean_by_body`]).

use chrono::{DateTime, Utc};
use jiesu_domain::deadline::{Timekeeper, china_local};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::lifecycle::replay;
use jiesu_store::{AppealFilter, Page, ReplyScore, Store, StoreError};
use jiesu_text::place::Gazetteer;
use jiesu_text::reply::{AppealCorpus, AppealForReview, ReplyReviewer};

use crate::App;
use crate::error::AppResult;

/// How many of the latest appeals the rarities of words are taken from.
const CORPUS_APPEALS: i64 = Page::MAX_LIMIT;

impl App {
    /// The review of the latest reply of appeal `id`, scored now and stored if it was not
    /// yet; `None` when the appeal has no reply.
    pub async fn reply_review(&self, id: AppealId) -> AppResult<Option<ReplyScore>> {
        let events = self.store.events(id).await?;
        match latest_reply(&events) {
            Some(index) => Ok(Some(
                scored(&*self.store, &self.timekeeper(), id, &events, index).await?,
            )),
            None => Ok(None),
        }
    }

    /// Scores a reply just given and keeps a review decision with the scores of the reply
    /// it decided on. The event is recorded already: a failure here is logged, and the
    /// review form scores the reply again when it opens.
    pub(crate) async fn note_reply_event(&self, event: &Event) {
        let outcome = match &event.kind {
            EventKind::Reply { .. } => self.reply_review(event.appeal).await.map(drop),
            EventKind::Review { approve, .. } => {
                self.keep_decision(event.appeal, *approve, event.at).await
            }
            _ => Ok(()),
        };
        if let Err(e) = outcome {
            tracing::warn!(appeal = %event.appeal, error = %e, "reply review not stored");
        }
    }

    async fn keep_decision(&self, id: AppealId, approve: bool, at: DateTime<Utc>) -> AppResult<()> {
        let events = self.store.events(id).await?;
        let Some(index) = latest_reply(&events) else {
            return Ok(());
        };
        let score = scored(&*self.store, &self.timekeeper(), id, &events, index).await?;
        self.store
            .decide_reply_score(id, score.reply_seq, approve, at)
            .await?;
        Ok(())
    }
}

/// The index of the latest reply (答复) in an appeal's log.
fn latest_reply(events: &[Event]) -> Option<usize> {
    events
        .iter()
        .rposition(|e| matches!(e.kind, EventKind::Reply { .. }))
}

/// The stored scores of the reply at `events[index]`, scoring and storing them first when
/// there are none.
async fn scored(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    id: AppealId,
    events: &[Event],
    index: usize,
) -> AppResult<ReplyScore> {
    let reply = &events[index];
    if let Some(stored) = store
        .reply_scores(id)
        .await?
        .into_iter()
        .find(|s| s.reply_seq == reply.seq)
    {
        return Ok(stored);
    }
    let score = score(store, timekeeper, id, events, index, Utc::now()).await?;
    store.save_reply_score(&score).await?;
    Ok(score)
}

/// Scores the reply at `events[index]` against the appeal as it stood when the reply was
/// given (its text, its citizen, the deadline then running).
async fn score(
    store: &dyn Store,
    timekeeper: &Timekeeper,
    id: AppealId,
    events: &[Event],
    index: usize,
    at: DateTime<Utc>,
) -> AppResult<ReplyScore> {
    let reply = &events[index];
    let EventKind::Reply { text } = &reply.kind else {
        return Err(StoreError::NotFound("答复").into());
    };
    let number = store.appeal(id).await?.number;
    let before = &events[..index];
    let then = replay(id, number, before)
        .ok_or_else(|| StoreError::Corrupt(format!("appeal {id} does not replay")))?;
    let deadline = timekeeper.deadline(&then, before).map(|d| d.due.due_at);
    let recent = store
        .list_appeals(&AppealFilter::default(), Page::new(0, CORPUS_APPEALS))
        .await?;
    let texts: Vec<String> = recent
        .items
        .iter()
        .map(|a| format!("{}\n{}", a.title, a.text))
        .collect();
    let reviewer = ReplyReviewer::new(
        AppealCorpus::build(texts.iter().map(String::as_str)),
        Gazetteer::empty(),
    );
    let appeal = AppealForReview {
        title: &then.title,
        text: &then.text,
        citizen: then.citizen.name.as_deref(),
        received: china_local(events[0].at),
        deadline,
    };
    let review = reviewer.review(&appeal, text, china_local(reply.at));
    Ok(ReplyScore {
        appeal: id,
        reply_seq: reply.seq,
        body: then.lead_body,
        relevance: review.relevance,
        completeness: review.completeness,
        tone: review.tone,
        timeliness: review.timeliness,
        overall: review.overall,
        gaps: review.gaps.iter().map(|g| g.message()).collect(),
        replied_at: reply.at,
        scored_at: at,
        approved: None,
        reviewed_at: None,
    })
}
