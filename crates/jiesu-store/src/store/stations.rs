//! Liaison stations (联络站): the stations, their receptions (接待), the appeals raised at
//! each and the station's judgement of them (分析研判); meetings (协商会议, 月调度 …) and the
//! issues they raised, each followed as a task.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use jiesu_domain::ids::AppealId;
use jiesu_domain::station::{MeetingDraft, ReceptionDraft, StationDraft, Triage};

use crate::error::StoreResult;
use crate::filter::Page;
use crate::{Registered, Registration};

/// A station as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredStation {
    pub id: i64,
    pub draft: StationDraft,
}

/// A reception as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReception {
    pub id: i64,
    pub draft: ReceptionDraft,
    pub created_at: DateTime<Utc>,
}

/// An appeal raised at a reception, with what the station decided for it.
#[derive(Debug, Clone, PartialEq)]
pub struct StationItem {
    pub appeal: AppealId,
    pub reception: i64,
    pub station: i64,
    pub created_at: DateTime<Utc>,
    pub triage: Option<Triage>,
    /// The answer given on the spot, the suggestion's wording, or the dispatch note.
    pub triage_note: String,
    /// The task it became (转任务).
    pub task: Option<i64>,
}

/// One issue of a stored meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredIssue {
    pub id: i64,
    pub text: String,
    pub raised_by: String,
    pub lead_body: String,
    pub task: Option<i64>,
    /// The answer given back to whoever raised it (反馈); empty until given.
    pub feedback: String,
    pub feedback_at: Option<DateTime<Utc>>,
}

/// A meeting as stored, with its issues in order.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMeeting {
    pub id: i64,
    /// The meeting as recorded; its `issues` are in [`StoredMeeting::issues`].
    pub draft: MeetingDraft,
    pub issues: Vec<StoredIssue>,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait StationStore: Send + Sync {
    /// `Unique` when another station has the name.
    async fn create_station(&self, draft: &StationDraft, at: DateTime<Utc>) -> StoreResult<i64>;
    /// `NotFound` when there is no such station; `Unique` on another's name.
    async fn update_station(&self, id: i64, draft: &StationDraft) -> StoreResult<()>;
    async fn station(&self, id: i64) -> StoreResult<StoredStation>;
    /// Every station, by name.
    async fn stations(&self) -> StoreResult<Vec<StoredStation>>;

    /// Records a reception and the appeals raised at it, in one transaction.
    async fn create_reception(
        &self,
        draft: &ReceptionDraft,
        appeals: &[AppealId],
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Records a reception with the intakes raised at it — the reception, the new appeals
    /// and their links — in one transaction: all of them or none. The registrations carry no
    /// idempotency keys (a reception is recorded once).
    async fn record_reception(
        &self,
        draft: &ReceptionDraft,
        registrations: &[Registration],
        at: DateTime<Utc>,
    ) -> StoreResult<(i64, Vec<Registered>)>;
    async fn reception(&self, id: i64) -> StoreResult<StoredReception>;
    /// A station's receptions, newest first.
    async fn receptions(&self, station: i64, page: Page) -> StoreResult<Vec<StoredReception>>;
    /// The items of a station recorded on days `from ..= to` of the receptions, oldest first,
    /// or of one reception.
    async fn station_items(
        &self,
        station: i64,
        reception: Option<i64>,
        days: Option<(NaiveDate, NaiveDate)>,
    ) -> StoreResult<Vec<StationItem>>;
    /// Records the station's judgement of an item; `NotFound` when the appeal is no item.
    async fn triage_item(
        &self,
        appeal: AppealId,
        triage: Triage,
        note: &str,
        task: Option<i64>,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Records a meeting and its issues, issue `i` followed by `tasks[i]`, in one
    /// transaction.
    async fn create_meeting(
        &self,
        draft: &MeetingDraft,
        tasks: &[Option<i64>],
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Links issue `i` of a meeting to `tasks[i]` (where given), in one transaction;
    /// `NotFound` when the meeting has fewer issues.
    async fn link_issue_tasks(&self, meeting: i64, tasks: &[Option<i64>]) -> StoreResult<()>;
    async fn meeting(&self, id: i64) -> StoreResult<StoredMeeting>;
    /// Meetings, latest first.
    async fn meetings(&self, page: Page) -> StoreResult<Vec<StoredMeeting>>;
    /// Records the answer given back on an issue (反馈); `NotFound` when the issue is not the
    /// meeting's.
    async fn give_issue_feedback(
        &self,
        meeting: i64,
        issue: i64,
        feedback: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}
