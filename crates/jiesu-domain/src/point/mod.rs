//! Service points (便民点位): places the city runs for the public — caring stations for
//! outdoor workers, recycling points, fuelling stations, liaison stations, public toilets —
//! each of a kind whose facility checklist the admin keeps.
//!
//! - [`PointKind`]: a kind of point (点位类型) and its facility checklist (设施清单).
//! - [`PointDraft`]: a point as written, checked against its kind.
//! - [`geo`]: coordinates (经纬度) and distances.
//! - [`MapArea`]: a district's outline on the points' map (地图区域).

mod area;
pub mod geo;
mod kind;

use serde::{Deserialize, Serialize};

use crate::appeal::clean_text;
use crate::error::DomainError;

pub use area::MapArea;
pub use geo::Coord;
pub use kind::PointKind;

/// A service point as written, before (or apart from) its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointDraft {
    /// The point's name (名称).
    pub name: String,
    /// Its kind's name (类型), e.g. 爱心驿站.
    pub kind: String,
    #[serde(default)]
    pub address: String,
    /// Longitude (经度).
    pub lon: f64,
    /// Latitude (纬度).
    pub lat: f64,
    /// The district (区县) as the city's gazetteer names it.
    #[serde(default)]
    pub district: String,
    /// The street (街道乡镇), when known.
    #[serde(default)]
    pub street: String,
    /// Opening hours as written (开放时间), e.g. "周一至周日 8:00-20:00".
    #[serde(default)]
    pub hours: String,
    /// A phone or a person to ask (联系方式).
    #[serde(default)]
    pub contact: String,
    /// The kind's facilities this point has (设施).
    #[serde(default)]
    pub facilities: Vec<String>,
}

impl PointDraft {
    /// Trims and checks every field against `kind` (which must be the point's kind): the
    /// facilities must be the kind's own, each once, in the kind's order.
    pub fn validated(mut self, kind: &PointKind) -> Result<PointDraft, DomainError> {
        self.name = clean_text("name", &self.name, 100, true)?;
        self.kind = clean_text("kind", &self.kind, 40, true)?;
        if self.kind != kind.name {
            return Err(invalid("kind", format!("点位类型「{}」不存在", self.kind)));
        }
        self.address = clean_text("address", &self.address, 200, false)?;
        self.district = clean_text("district", &self.district, 40, true)?;
        self.street = clean_text("street", &self.street, 40, false)?;
        self.hours = clean_text("hours", &self.hours, 100, false)?;
        self.contact = clean_text("contact", &self.contact, 100, false)?;
        Coord::new(self.lon, self.lat)?;
        for f in &self.facilities {
            if !kind.facilities.iter().any(|k| k == f.trim()) {
                return Err(invalid(
                    "facilities",
                    format!(
                        "「{}」不是{}的设施（可选：{}）",
                        f.trim(),
                        kind.name,
                        kind.facilities.join("、")
                    ),
                ));
            }
        }
        self.facilities = kind
            .facilities
            .iter()
            .filter(|k| self.facilities.iter().any(|f| f.trim() == k.as_str()))
            .cloned()
            .collect();
        Ok(self)
    }

    pub fn coord(&self) -> Coord {
        Coord {
            lon: self.lon,
            lat: self.lat,
        }
    }
}

/// A stored point: its id and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub id: i64,
    #[serde(flatten)]
    pub draft: PointDraft,
}

pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(facilities: &[&str]) -> PointDraft {
        PointDraft {
            name: " 青禾小区爱心驿站 ".into(),
            kind: "爱心驿站".into(),
            address: "青禾路8号".into(),
            lon: 116.4,
            lat: 39.9,
            district: "示范区".into(),
            street: String::new(),
            hours: "8:00-20:00".into(),
            contact: String::new(),
            facilities: facilities.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn caring() -> PointKind {
        PointKind {
            name: "爱心驿站".into(),
            facilities: vec!["饮水".into(), "微波炉".into(), "充电".into(), "药箱".into()],
        }
    }

    #[test]
    fn facilities_follow_the_kinds_order_once() {
        let p = draft(&["充电", "饮水", "充电"])
            .validated(&caring())
            .unwrap();
        assert_eq!(p.name, "青禾小区爱心驿站");
        assert_eq!(p.facilities, vec!["饮水", "充电"]);
    }

    #[test]
    fn a_facility_the_kind_lacks_is_refused() {
        let e = draft(&["加油枪"]).validated(&caring()).unwrap_err();
        assert!(e.to_string().contains("加油枪"), "{e}");
    }

    #[test]
    fn coordinates_out_of_range_are_refused() {
        let mut d = draft(&[]);
        d.lat = 91.0;
        assert!(
            d.validated(&caring())
                .unwrap_err()
                .to_string()
                .contains("纬度")
        );
    }
}
