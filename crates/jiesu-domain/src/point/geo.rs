//! Coordinates (经纬度, WGS-84 longitude and latitude in degrees) and distances on the earth.

use serde::{Deserialize, Serialize};

use super::invalid;
use crate::error::DomainError;

/// A place on the earth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coord {
    pub lon: f64,
    pub lat: f64,
}

/// The earth's mean radius in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl Coord {
    /// A checked coordinate: longitude in [-180, 180], latitude in [-90, 90], both finite.
    pub fn new(lon: f64, lat: f64) -> Result<Coord, DomainError> {
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(invalid("lon", "经度须在 -180 到 180 之间"));
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(invalid("lat", "纬度须在 -90 到 90 之间"));
        }
        Ok(Coord { lon, lat })
    }

    /// The great-circle distance to `other` in metres (haversine).
    pub fn distance_m(self, other: Coord) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
    }
}

/// A distance as people read it: "350 米", "2.4 公里".
pub fn describe_distance(metres: f64) -> String {
    if metres < 1000.0 {
        format!("{} 米", metres.round() as i64)
    } else {
        format!("{:.1} 公里", metres / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_degree_of_latitude_is_about_111_km() {
        let a = Coord::new(116.0, 39.0).unwrap();
        let b = Coord::new(116.0, 40.0).unwrap();
        assert!((a.distance_m(b) - 111_195.0).abs() < 100.0);
        assert_eq!(describe_distance(350.4), "350 米");
        assert_eq!(describe_distance(2_440.0), "2.4 公里");
    }
}
