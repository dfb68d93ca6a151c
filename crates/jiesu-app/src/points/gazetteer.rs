//! The districts (区县) and streets (街道乡镇) a point may lie in, read from the bodies'
//! areas — the gazetteer intake and smart dispatch read.

use jiesu_domain::DomainError;
use jiesu_domain::body::{Body, BodyKind};

/// Each district's name with its streets' names.
pub struct Gazetteer(Vec<(String, Vec<String>)>);

impl Gazetteer {
    pub fn of(bodies: &[Body]) -> Gazetteer {
        let name = |b: &Body| b.areas.first().cloned();
        Gazetteer(
            bodies
                .iter()
                .filter(|b| b.kind == BodyKind::District)
                .filter_map(|d| {
                    let streets = bodies
                        .iter()
                        .filter(|s| s.kind == BodyKind::Street && s.parent == Some(d.id))
                        .filter_map(name)
                        .collect();
                    Some((name(d)?, streets))
                })
                .collect(),
        )
    }

    /// The district names, in the bodies' order.
    pub fn districts(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(d, _)| d.as_str())
    }

    /// Refuses a district the city does not have, or a street not in it (a city without
    /// districts in its body tree takes any).
    pub fn check(&self, district: &str, street: &str) -> Result<(), DomainError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let Some((_, streets)) = self.0.iter().find(|(d, _)| d == district) else {
            return Err(DomainError::InvalidField {
                field: "district",
                reason: format!("「{district}」不是本市的区县"),
            });
        };
        if !street.is_empty() && !streets.iter().any(|s| s == street) {
            return Err(DomainError::InvalidField {
                field: "street",
                reason: format!("「{street}」不是{district}的街道"),
            });
        }
        Ok(())
    }

    /// The district, and the street if one is named, that `text` mentions; a street alone
    /// names its district.
    pub fn find<'a>(&'a self, text: &str) -> Option<(&'a str, Option<&'a str>)> {
        for (d, streets) in &self.0 {
            if let Some(s) = streets.iter().find(|s| text.contains(s.as_str())) {
                return Some((d, Some(s)));
            }
        }
        self.0
            .iter()
            .find(|(d, _)| text.contains(d.as_str()))
            .map(|(d, _)| (d.as_str(), None))
    }
}
