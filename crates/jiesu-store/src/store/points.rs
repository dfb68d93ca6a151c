//! Service points (便民点位) and their kinds (点位类型), and the appeals that name a point.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::ids::AppealId;
use jiesu_domain::point::{Point, PointDraft, PointKind};

use crate::error::StoreResult;
use crate::filter::Page;

/// Which points to list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointFilter {
    pub kind: Option<String>,
    pub district: Option<String>,
    /// Only points that have this facility.
    pub facility: Option<String>,
}

/// A point with repeated complaints: how many open appeals name it.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplainedPoint {
    pub point: Point,
    pub open_appeals: i64,
}

#[async_trait]
pub trait PointStore: Send + Sync {
    /// Every kind, in the admin's order.
    async fn point_kinds(&self) -> StoreResult<Vec<PointKind>>;
    /// Saves a kind by name: a new one goes last, a known one gets the new checklist.
    async fn save_point_kind(&self, kind: &PointKind) -> StoreResult<()>;
    /// Stores points in one transaction (all or none): an entry with an id replaces that
    /// point (`NotFound` if there is none), one without is added. Their ids in order.
    async fn save_points(
        &self,
        points: &[(Option<i64>, PointDraft)],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// Deletes a point (and what names it); `NotFound` if there is none.
    async fn delete_point(&self, id: i64) -> StoreResult<()>;
    async fn point(&self, id: i64) -> StoreResult<Point>;
    /// Points matching `filter`, in id order.
    async fn points(&self, filter: &PointFilter, page: Page) -> StoreResult<Vec<Point>>;
    async fn count_points(&self, filter: &PointFilter) -> StoreResult<i64>;
    /// Every point, in id order (for the in-memory index and export).
    async fn all_points(&self) -> StoreResult<Vec<Point>>;
    /// When any point last changed and how many there are: the in-memory index reloads
    /// when this moves.
    async fn points_stamp(&self) -> StoreResult<(i64, i64)>;
    /// Records that an appeal is about a point (replacing an earlier one);
    /// `MissingReference` when either does not exist.
    async fn name_point(&self, appeal: AppealId, point: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// The point an appeal names, if any.
    async fn point_of_appeal(&self, appeal: AppealId) -> StoreResult<Option<i64>>;
    /// The open appeals naming a point, newest first.
    async fn point_appeals(&self, point: i64, page: Page) -> StoreResult<Vec<AppealId>>;
    /// Points named by at least `min` open appeals registered since `since`, most first.
    async fn complained_points(
        &self,
        since: DateTime<Utc>,
        min: i64,
        page: Page,
    ) -> StoreResult<Vec<ComplainedPoint>>;
}
