//! The places one text names, level by level, and the keys built from them.

use serde::{Deserialize, Serialize};

use super::kind::PlaceKind;

/// Where a place name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaceSource {
    /// A name (or alias) of the admin-maintained [`Gazetteer`](super::Gazetteer).
    Gazetteer,
    /// A name guessed from its ending (…小区, …路, A3区) and the words before it.
    Pattern,
}

/// One place name found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceSpan {
    /// Byte range into the folded text (see [`fold`](super::fold)); when the input was
    /// already folded, a range into the input itself.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// The name as written in the text (after folding).
    pub text: String,
    /// The canonical name: the gazetteer's name for an alias, else the text itself.
    pub name: String,
    /// Its level.
    pub kind: PlaceKind,
    /// How it was found.
    pub source: PlaceSource,
}

/// The places a text names: one name per administrative level (the first one written, or
/// the one implied by a more specific gazetteer entry's parents) and every estate, road and
/// other site, in the order they appear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceMention {
    /// 省, e.g. `西地省`.
    pub province: Option<String>,
    /// 市, e.g. `A市`.
    pub city: Option<String>,
    /// 区/县/县级市, e.g. `A3区`, `K9县`.
    pub district: Option<String>,
    /// 街道/镇/乡.
    pub street: Option<String>,
    /// 社区/村.
    pub community: Option<String>,
    /// 小区, 花园, 苑… in order of appearance, without repeats.
    pub estates: Vec<String>,
    /// 路, 街, 大道, 巷… in order of appearance, without repeats.
    pub roads: Vec<String>,
    /// Other named places ([`PlaceKind::Other`]: schools, hospitals, parks…).
    pub others: Vec<String>,
    /// Every name found, in text order.
    pub spans: Vec<PlaceSpan>,
}

impl PlaceMention {
    /// True when no place at all was found.
    pub fn is_empty(&self) -> bool {
        self.province.is_none()
            && self.city.is_none()
            && self.district.is_none()
            && self.street.is_none()
            && self.community.is_none()
            && self.estates.is_empty()
            && self.roads.is_empty()
            && self.others.is_empty()
    }

    /// The most specific named site: the first estate, else the first other place, else the
    /// first road, else the community, street, district or city.
    pub fn site(&self) -> Option<&str> {
        self.estates
            .first()
            .or(self.others.first())
            .or(self.roads.first())
            .or(self.community.as_ref())
            .or(self.street.as_ref())
            .or(self.district.as_ref())
            .or(self.city.as_ref())
            .map(String::as_str)
    }

    /// The normalized grouping key: the levels present among district, street, community
    /// and the [site](Self::site) below them, each reduced by [`place_core`], joined with `/`.
    /// The city and province are left out unless nothing else is known, so `A市A3区X小区`
    /// and `A3区X` give the same key `A3区/X`. Empty when no place was found.
    pub fn key(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for level in [&self.district, &self.street, &self.community]
            .into_iter()
            .flatten()
        {
            parts.push(place_core(level));
        }
        let below = self
            .estates
            .first()
            .or(self.others.first())
            .or(self.roads.first());
        if let Some(site) = below {
            parts.push(place_core(site));
        }
        if parts.is_empty() {
            parts.extend(self.city.as_deref().map(place_core));
        }
        parts.join("/")
    }

    /// The administrative area for routing (派单): `district` or `district/street`,
    /// normalized like [`key`](Self::key). Empty when the text names no district or street.
    pub fn area_key(&self) -> String {
        [&self.district, &self.street]
            .into_iter()
            .flatten()
            .map(|name| place_core(name))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The places for people to read: city, district, street, community and the first site,
    /// concatenated as an address is written (`A市A3区麓泉社区`).
    pub fn display(&self) -> String {
        let mut out = String::new();
        for level in [&self.city, &self.district, &self.street, &self.community]
            .into_iter()
            .flatten()
        {
            out.push_str(level);
        }
        if let Some(site) = self
            .estates
            .first()
            .or(self.others.first())
            .or(self.roads.first())
        {
            out.push_str(site);
        }
        out
    }
}

/// The normalized form of one place name used in keys: ASCII letters upper-cased,
/// whitespace removed and a trailing generic `小区` dropped (`春风之城小区` and `春风之城`
/// are one estate), as long as at least two characters remain.
pub fn place_core(name: &str) -> String {
    let mut core: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if let Some(stripped) = core.strip_suffix("小区")
        && stripped.chars().count() >= 2
    {
        core.truncate(stripped.len());
    }
    core
}
