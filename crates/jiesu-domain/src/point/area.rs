//! The districts drawn on the points' map (地图区域): each district's outline as a polygon of
//! coordinates. The map is drawn by jiesu itself (no tile server), so these outlines are all
//! the geography it shows.

use serde::{Deserialize, Serialize};

use super::{Coord, invalid};
use crate::appeal::clean_text;
use crate::error::DomainError;

/// One district's outline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapArea {
    pub district: String,
    /// The outline's corners as `[lon, lat]`, at least three.
    pub polygon: Vec<[f64; 2]>,
}

/// The most corners one outline has.
const MAX_CORNERS: usize = 2_000;

impl MapArea {
    pub fn validated(mut self) -> Result<MapArea, DomainError> {
        self.district = clean_text("district", &self.district, 40, true)?;
        if !(3..=MAX_CORNERS).contains(&self.polygon.len()) {
            return Err(invalid(
                "polygon",
                format!("区域轮廓须有 3 到 {MAX_CORNERS} 个顶点"),
            ));
        }
        for [lon, lat] in &self.polygon {
            Coord::new(*lon, *lat)?;
        }
        Ok(self)
    }

    /// The outline's centre (the mean of its corners): where a typed district is placed.
    pub fn centre(&self) -> Coord {
        let n = self.polygon.len().max(1) as f64;
        Coord {
            lon: self.polygon.iter().map(|c| c[0]).sum::<f64>() / n,
            lat: self.polygon.iter().map(|c| c[1]).sum::<f64>() / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_needs_three_corners_on_the_earth() {
        let square = MapArea {
            district: "示范区".into(),
            polygon: vec![[116.0, 39.0], [116.2, 39.0], [116.2, 39.2], [116.0, 39.2]],
        };
        let c = square.clone().validated().unwrap().centre();
        assert!((c.lon - 116.1).abs() < 1e-9 && (c.lat - 39.1).abs() < 1e-9);
        let mut line = square.clone();
        line.polygon.truncate(2);
        assert!(line.validated().is_err());
        let mut off = square;
        off.polygon[0] = [200.0, 39.0];
        assert!(off.validated().is_err());
    }
}
