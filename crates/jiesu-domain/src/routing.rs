//! The routing table (派单规则): which body answers for a category in an area, maintained by
//! admins. Smart dispatch combines it with the classifier's category and the place found in
//! the text.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::BodyId;

/// One rule: appeals of `category` (first level; `None` = any) in `area` (a district or
/// street name; `None` = anywhere) go to `body`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    pub body: BodyId,
}

impl RoutingRule {
    /// How specific the rule is: an area counts more than a category.
    fn specificity(&self) -> u8 {
        u8::from(self.area.is_some()) * 2 + u8::from(self.category.is_some())
    }
}

/// The admins' routing table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingTable {
    pub rules: Vec<RoutingRule>,
}

impl RoutingTable {
    /// Refuses duplicate conditions (two rules for the same category and area).
    pub fn new(rules: Vec<RoutingRule>) -> Result<RoutingTable, DomainError> {
        for (i, a) in rules.iter().enumerate() {
            if rules[..i]
                .iter()
                .any(|b| b.category == a.category && b.area == a.area)
            {
                return Err(DomainError::InvalidField {
                    field: "rules",
                    reason: format!("第 {} 条规则与前面的规则条件重复", i + 1),
                });
            }
        }
        Ok(RoutingTable { rules })
    }

    /// The body for `category` in the most specific of `areas` (street before district):
    /// the most specific matching rule wins.
    pub fn route(&self, category: Option<&str>, areas: &[&str]) -> Option<BodyId> {
        self.rules
            .iter()
            .filter(|r| r.category.is_none() || r.category.as_deref() == category)
            .filter(|r| r.area.as_deref().is_none_or(|a| areas.contains(&a)))
            .max_by_key(|r| {
                let area_rank = r
                    .area
                    .as_deref()
                    .and_then(|a| areas.iter().position(|x| *x == a))
                    .map_or(0, |p| areas.len() - p);
                (r.specificity(), area_rank)
            })
            .map(|r| r.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(category: Option<&str>, area: Option<&str>, body: i64) -> RoutingRule {
        RoutingRule {
            category: category.map(Into::into),
            area: area.map(Into::into),
            body: BodyId(body),
        }
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let table = RoutingTable::new(vec![
            rule(Some("环境保护"), None, 1),
            rule(None, Some("东城区"), 2),
            rule(Some("环境保护"), Some("东城区"), 3),
            rule(Some("环境保护"), Some("朝阳街道"), 4),
        ])
        .unwrap();
        assert_eq!(
            table.route(Some("环境保护"), &["朝阳街道", "东城区"]),
            Some(BodyId(4))
        );
        assert_eq!(table.route(Some("环境保护"), &["东城区"]), Some(BodyId(3)));
        assert_eq!(table.route(Some("交通运输"), &["东城区"]), Some(BodyId(2)));
        assert_eq!(table.route(Some("环境保护"), &["西城区"]), Some(BodyId(1)));
        assert_eq!(table.route(Some("交通运输"), &[]), None);
    }

    #[test]
    fn duplicate_conditions_are_refused() {
        let err = RoutingTable::new(vec![
            rule(None, Some("东城区"), 1),
            rule(None, Some("东城区"), 2),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("第 2 条"), "{err}");
    }
}
