//! Place extraction (地点识别): which district, street, community, estate or road a text is
//! about.
//!
//! A [`Gazetteer`] holds the area names an admin maintains (name, level, parent, aliases).
//! [`Gazetteer::extract`] finds them in a text (longest match first) and recognizes names
//! the gazetteer lacks by their ending: 区/县/市 (district level; the first 市 is the city),
//! 街道/镇/乡 (street), 社区/村 (community), 小区/花园/苑/公寓/大厦/广场/家园/城 (estate),
//! 路/街/大道/巷 (road), 学校/中学/学院/医院/公园… (other sites), together with the name-like
//! words written before the ending.
//! Anonymized codes of the published data are understood: `A市A3区` gives city `A市` and
//! district `A3区`.
//!
//! ```
//! use jiesu_text::place::Gazetteer;
//!
//! let places = Gazetteer::empty().extract("A市A3区翠湖苑小区停水三天");
//! assert_eq!(places.city.as_deref(), Some("A市"));
//! assert_eq!(places.district.as_deref(), Some("A3区"));
//! assert_eq!(places.estates, ["翠湖苑小区"]);
//! assert_eq!(places.key(), "A3区/翠湖苑");
//! ```
//!
//! For routing, [`PlaceMention::area_key`] gives `district[/street]`; for grouping,
//! [`PlaceMention::key`] adds the community and the most specific site.

mod gazetteer;
mod kind;
mod mention;
mod pattern;

pub use gazetteer::{Gazetteer, GazetteerEntry, GazetteerError};
pub use kind::PlaceKind;
pub use mention::{PlaceMention, PlaceSource, PlaceSpan, place_core};

pub use crate::normalize::fold;
