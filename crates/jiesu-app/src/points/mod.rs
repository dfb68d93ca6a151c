//! Service points (便民点位): kinds and their checklists, points checked against their kind
//! and the city's gazetteer, import and export (CSV, XLSX), the nearest points to a place
//! from an in-memory index, the map's district outlines, and appeals that name a point.
//!
//! - [`index`]: the grid index nearest-k queries run on.
//! - [`table`]: the point table as CSV or XLSX, read and written.
//! - [`gazetteer`]: the districts and streets points may lie in.

pub mod gazetteer;
pub mod index;
pub mod table;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::ids::AppealId;
use jiesu_domain::point::{Coord, MapArea, Point, PointDraft, PointKind};
use jiesu_domain::user::User;
use jiesu_store::{ComplainedPoint, Page, PointFilter, Store};
use tokio::sync::Mutex;

use crate::App;
use crate::error::AppResult;
use crate::visibility::{may_see, redact};
use gazetteer::Gazetteer;
use index::{Nearby, PointIndex};
pub use table::Format;

/// The setting that keeps the map's district outlines (JSON list of [`MapArea`]).
const MAP_SETTING: &str = "points.map";
/// How long the index is trusted before the store's stamp is looked at again: another
/// server's change shows within this.
const STAMP_CHECK: Duration = Duration::from_secs(2);
/// Open appeals in [`COMPLAINT_DAYS`] that make a point one with repeated complaints.
pub const COMPLAINT_MIN: i64 = 3;
pub const COMPLAINT_DAYS: i64 = 30;

/// The index as loaded, with the store stamp it was built at and when that was checked.
struct Loaded {
    stamp: (i64, i64),
    checked: Instant,
    index: Arc<PointIndex>,
}

/// The in-memory index of every point, rebuilt when the store's points change.
#[derive(Default)]
pub(crate) struct PointCache(Mutex<Option<Loaded>>);

impl PointCache {
    /// Makes the next read look at the store's stamp (after this process wrote points).
    async fn stale(&self) {
        if let Some(loaded) = self.0.lock().await.as_mut() {
            loaded.checked = Instant::now() - STAMP_CHECK * 2;
        }
    }
}

/// A place a typed address was matched to.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub at: Coord,
    /// What was matched ("示范区青禾街道", or the typed coordinates).
    pub label: String,
}

impl App {
    /// The index of every point, rebuilt if any server changed points.
    pub async fn point_index(&self) -> AppResult<Arc<PointIndex>> {
        let mut cache = self.points.0.lock().await;
        if let Some(loaded) = cache.as_ref()
            && loaded.checked.elapsed() < STAMP_CHECK
        {
            return Ok(loaded.index.clone());
        }
        let stamp = self.store.points_stamp().await?;
        if let Some(loaded) = cache.as_mut()
            && loaded.stamp == stamp
        {
            loaded.checked = Instant::now();
            return Ok(loaded.index.clone());
        }
        let points = self.store.all_points().await?;
        let index = tokio::task::spawn_blocking(move || PointIndex::new(points))
            .await
            .map_err(|e| crate::AppError::Internal(e.to_string()))?;
        let index = Arc::new(index);
        *cache = Some(Loaded {
            stamp,
            checked: Instant::now(),
            index: index.clone(),
        });
        Ok(index)
    }

    /// The `k` points nearest to `at` that pass `filter`, nearest first.
    pub async fn nearest_points(
        &self,
        at: Coord,
        k: usize,
        filter: &PointFilter,
    ) -> AppResult<Vec<Nearby>> {
        let index = self.point_index().await?;
        Ok(index.nearest(at, k, |p| passes(p, filter)))
    }

    pub async fn point_kinds(&self) -> AppResult<Vec<PointKind>> {
        Ok(self.store.point_kinds().await?)
    }

    /// Saves a kind (new, or a known one's checklist).
    pub async fn save_point_kind(&self, kind: PointKind) -> AppResult<PointKind> {
        let kind = kind.validated()?;
        self.store.save_point_kind(&kind).await?;
        Ok(kind)
    }

    /// Checks `draft` against its kind and the gazetteer.
    pub async fn check_point(&self, draft: PointDraft) -> AppResult<PointDraft> {
        let kinds = self.store.point_kinds().await?;
        let gazetteer = Gazetteer::of(&self.store.bodies().await?);
        Ok(check(draft, &kinds, &gazetteer)?)
    }

    /// Adds a point (`id` None) or replaces one.
    pub async fn save_point(&self, id: Option<i64>, draft: PointDraft) -> AppResult<i64> {
        let draft = self.check_point(draft).await?;
        let ids = self.store.save_points(&[(id, draft)], Utc::now()).await?;
        self.points.stale().await;
        Ok(ids[0])
    }

    pub async fn delete_point(&self, id: i64) -> AppResult<()> {
        self.store.delete_point(id).await?;
        self.points.stale().await;
        Ok(())
    }

    /// Imports a point table: every row is checked first and a bad one reported by its line
    /// with the reason; nothing is stored unless every row is good (one transaction). Rows
    /// with an id replace that point. The ids in the table's order.
    pub async fn import_points(&self, bytes: &[u8], format: Format) -> AppResult<Vec<i64>> {
        let rows = table::read(bytes, format)?;
        let kinds = self.store.point_kinds().await?;
        let gazetteer = Gazetteer::of(&self.store.bodies().await?);
        let mut good = Vec::with_capacity(rows.len());
        let mut bad = Vec::new();
        for row in rows {
            match row
                .point()
                .and_then(|(id, d)| Ok((id, check(d, &kinds, &gazetteer)?)))
            {
                Ok(entry) => good.push(entry),
                Err(e) => bad.push(format!("第 {} 行：{}", row.line, table::reason(&e))),
            }
        }
        if !bad.is_empty() {
            let shown = bad.len().min(20);
            let more = if bad.len() > shown {
                format!("；另有 {} 行有误", bad.len() - shown)
            } else {
                String::new()
            };
            return Err(DomainError::InvalidField {
                field: "file",
                reason: format!("未导入任何点位。{}{more}", bad[..shown].join("；")),
            }
            .into());
        }
        if good.is_empty() {
            return Err(DomainError::InvalidField {
                field: "file",
                reason: "文件中没有点位".into(),
            }
            .into());
        }
        let ids = self.store.save_points(&good, Utc::now()).await?;
        self.points.stale().await;
        Ok(ids)
    }

    /// Every point as a table file (the import's own columns, so it can be edited and
    /// imported back).
    pub async fn export_points(&self, format: Format) -> AppResult<Vec<u8>> {
        let points = self.store.all_points().await?;
        table::write(&points, format)
    }

    /// The map's district outlines (none until an admin or the demo saves some).
    pub async fn map_areas(&self) -> AppResult<Vec<MapArea>> {
        Ok(match self.store.setting(MAP_SETTING).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| jiesu_store::StoreError::Corrupt(format!("{MAP_SETTING}: {e}")))?,
            None => Vec::new(),
        })
    }

    pub async fn save_map_areas(&self, areas: Vec<MapArea>) -> AppResult<()> {
        let areas = areas
            .into_iter()
            .map(MapArea::validated)
            .collect::<Result<Vec<_>, _>>()?;
        let json =
            serde_json::to_string(&areas).map_err(|e| crate::AppError::Internal(e.to_string()))?;
        self.store.put_setting(MAP_SETTING, &json).await?;
        Ok(())
    }

    /// Where a typed place is: "经度,纬度", or a street or district the gazetteer knows (the
    /// centre of its points, else of its outline on the map). `None` when nothing matches.
    pub async fn locate(&self, text: &str) -> AppResult<Option<Located>> {
        let text = text.trim();
        if let Some(at) = typed_coord(text) {
            return Ok(Some(Located {
                at,
                label: format!("{:.5},{:.5}", at.lon, at.lat),
            }));
        }
        let gazetteer = Gazetteer::of(&self.store.bodies().await?);
        let Some((district, street)) = gazetteer.find(text) else {
            return Ok(None);
        };
        let index = self.point_index().await?;
        let inside: Vec<Coord> = index
            .points()
            .iter()
            .filter(|p| p.draft.district == district)
            .filter(|p| street.is_none_or(|s| p.draft.street == s))
            .map(|p| p.draft.coord())
            .collect();
        let label = format!("{district}{}", street.unwrap_or_default());
        if !inside.is_empty() {
            let n = inside.len() as f64;
            let at = Coord {
                lon: inside.iter().map(|c| c.lon).sum::<f64>() / n,
                lat: inside.iter().map(|c| c.lat).sum::<f64>() / n,
            };
            return Ok(Some(Located { at, label }));
        }
        Ok(map_areas(&*self.store)
            .await?
            .into_iter()
            .find(|a| a.district == district)
            .map(|a| Located {
                at: a.centre(),
                label,
            }))
    }

    /// Records that an appeal is about a point.
    pub async fn name_point(&self, appeal: AppealId, point: i64) -> AppResult<()> {
        self.store.point(point).await?;
        Ok(self.store.name_point(appeal, point, Utc::now()).await?)
    }

    /// Refuses the point an intake names when there is no such point (a field of the
    /// request, so not a missing resource).
    pub(crate) async fn check_named_point(&self, point: i64) -> AppResult<()> {
        let unknown = || DomainError::InvalidField {
            field: "point_id",
            reason: "点位不存在".into(),
        };
        if point <= 0 {
            return Err(unknown().into());
        }
        match self.store.point(point).await {
            Err(jiesu_store::StoreError::NotFound(_)) => Err(unknown().into()),
            other => other.map(|_| ()).map_err(Into::into),
        }
    }

    /// The open appeals naming a point that `user` may see, newest first.
    pub async fn point_open_appeals(&self, user: &User, point: i64) -> AppResult<Vec<Appeal>> {
        let ids = self.store.point_appeals(point, Page::new(0, 50)).await?;
        let bodies = self.store.bodies().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let appeal = self.store.appeal(id).await?;
            if may_see(user, &bodies, &appeal) {
                out.push(redact(user, appeal, true));
            }
        }
        Ok(out)
    }

    /// Points with repeated complaints: at least [`COMPLAINT_MIN`] open appeals registered
    /// in the last [`COMPLAINT_DAYS`] days name them.
    pub async fn complained_points(&self, now: DateTime<Utc>) -> AppResult<Vec<ComplainedPoint>> {
        let since = now - chrono::Duration::days(COMPLAINT_DAYS);
        Ok(self
            .store
            .complained_points(since, COMPLAINT_MIN, Page::new(0, 10))
            .await?)
    }
}

/// The map's district outlines (none until an admin or the demo saves some).
pub async fn map_areas(store: &dyn Store) -> AppResult<Vec<MapArea>> {
    Ok(match store.setting(MAP_SETTING).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| jiesu_store::StoreError::Corrupt(format!("{MAP_SETTING}: {e}")))?,
        None => Vec::new(),
    })
}

/// Saves the map's district outlines, replacing the earlier ones.
pub async fn save_map_areas(store: &dyn Store, areas: Vec<MapArea>) -> AppResult<()> {
    let areas = areas
        .into_iter()
        .map(MapArea::validated)
        .collect::<Result<Vec<_>, _>>()?;
    let json =
        serde_json::to_string(&areas).map_err(|e| crate::AppError::Internal(e.to_string()))?;
    store.put_setting(MAP_SETTING, &json).await?;
    Ok(())
}

/// Whether a point passes a filter (the store's filter, applied in memory).
pub fn passes(p: &Point, f: &PointFilter) -> bool {
    f.kind.as_ref().is_none_or(|k| &p.draft.kind == k)
        && f.district.as_ref().is_none_or(|d| &p.draft.district == d)
        && f.facility
            .as_ref()
            .is_none_or(|x| p.draft.facilities.contains(x))
}

/// Checks a point against its kind and the gazetteer.
fn check(
    draft: PointDraft,
    kinds: &[PointKind],
    gazetteer: &Gazetteer,
) -> Result<PointDraft, DomainError> {
    let name = draft.kind.trim();
    let kind = kinds
        .iter()
        .find(|k| k.name == name)
        .ok_or_else(|| DomainError::InvalidField {
            field: "kind",
            reason: format!(
                "点位类型「{name}」不存在（可选：{}）",
                kinds
                    .iter()
                    .map(|k| k.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        })?;
    let draft = draft.validated(kind)?;
    gazetteer.check(&draft.district, &draft.street)?;
    Ok(draft)
}

/// "116.40,39.90" (or with a space or a Chinese comma) as a coordinate.
fn typed_coord(text: &str) -> Option<Coord> {
    let mut parts = text
        .split([',', '，', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>());
    let (Some(Ok(lon)), Some(Ok(lat)), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    Coord::new(lon, lat).ok()
}

/// An import's refusal as a sentence for people (the rows' reasons without a field name).
pub fn describe(e: &crate::AppError) -> String {
    match e {
        crate::AppError::Domain(DomainError::InvalidField { reason, .. }) => reason.clone(),
        other => other.to_string(),
    }
}
