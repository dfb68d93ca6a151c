//! The assessment's weights (考核权重): how much each rate counts in the score, which body
//! kinds are ranked together (tiers, 分组), and the fewest cases a body needs to be ranked.
//! Stored with a version; every assessment names the version it used.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rates::RateKind;
use crate::body::BodyKind;
use crate::error::DomainError;

/// A group of bodies ranked together (考核分组), e.g. 区县.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tier {
    pub name: String,
    pub kinds: Vec<BodyKind>,
}

/// The weights and tiers as the admin set them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightSet {
    /// The weight of each rate (≥ 0); rates left out weigh nothing.
    pub weights: BTreeMap<RateKind, f64>,
    /// Bodies with fewer cases in the period are listed but not ranked.
    pub min_cases: i64,
    pub tiers: Vec<Tier>,
}

/// A stored weight set and its version (0: the built-in default, never stored).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub version: i64,
    #[serde(flatten)]
    pub set: WeightSet,
}

impl Default for WeightSet {
    fn default() -> WeightSet {
        let weights = [
            (RateKind::SignOnTime, 10.0),
            (RateKind::Response, 15.0),
            (RateKind::CloseOnTime, 20.0),
            (RateKind::Resolution, 25.0),
            (RateKind::Satisfaction, 20.0),
            (RateKind::InvalidReturn, 5.0),
            (RateKind::Repeat, 5.0),
            (RateKind::ReplyReview, 10.0),
            (RateKind::TaskOnTime, 10.0),
            (RateKind::TaskReportOnTime, 5.0),
        ];
        let tier = |name: &str, kind| Tier {
            name: name.into(),
            kinds: vec![kind],
        };
        WeightSet {
            weights: weights.into_iter().collect(),
            min_cases: 10,
            tiers: vec![
                tier("市直部门", BodyKind::Department),
                tier("区县", BodyKind::District),
                tier("街道乡镇", BodyKind::Street),
                tier("企业", BodyKind::Company),
            ],
        }
    }
}

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

impl WeightSet {
    /// Checks the weights and tiers; the first problem found is returned.
    pub fn validated(self) -> Result<WeightSet, DomainError> {
        if let Some((kind, w)) = self
            .weights
            .iter()
            .find(|(_, w)| !w.is_finite() || **w < 0.0 || **w > 1000.0)
        {
            return Err(invalid(
                "weights",
                format!("{}的权重须在 0 到 1000 之间，收到 {w}", kind.label()),
            ));
        }
        if self.weights.values().sum::<f64>() <= 0.0 {
            return Err(invalid("weights", "至少一项指标的权重须大于 0"));
        }
        if !(0..=100_000).contains(&self.min_cases) {
            return Err(invalid("min_cases", "最少件数须在 0 到 100000 之间"));
        }
        if self.tiers.is_empty() {
            return Err(invalid("tiers", "至少需要一个考核分组"));
        }
        let mut seen = Vec::new();
        for tier in &self.tiers {
            let name = tier.name.trim();
            if name.is_empty() || name.chars().count() > 20 {
                return Err(invalid("tiers", "分组名称须为 1 到 20 个字"));
            }
            if tier.kinds.is_empty() {
                return Err(invalid(
                    "tiers",
                    format!("分组「{name}」未包含任何单位类型"),
                ));
            }
            for kind in &tier.kinds {
                if seen.contains(kind) {
                    return Err(invalid("tiers", format!("单位类型「{kind}」属于多个分组")));
                }
                seen.push(*kind);
            }
        }
        Ok(self)
    }

    /// The weight of a rate (0 when left out).
    pub fn weight(&self, kind: RateKind) -> f64 {
        self.weights.get(&kind).copied().unwrap_or(0.0)
    }

    /// The tier a body kind is ranked in.
    pub fn tier_of(&self, kind: BodyKind) -> Option<usize> {
        self.tiers.iter().position(|t| t.kinds.contains(&kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_bad_sets_are_refused() {
        assert!(WeightSet::default().validated().is_ok());
        let mut set = WeightSet::default();
        set.weights.insert(RateKind::Repeat, -1.0);
        assert!(set.validated().is_err());
        let mut set = WeightSet::default();
        set.tiers[1].kinds.push(BodyKind::Department);
        assert!(set.validated().is_err());
    }

    #[test]
    fn weights_round_trip_through_json() {
        let w = Weights::default();
        let json = serde_json::to_string(&w).unwrap();
        assert!(json.contains("\"resolution\":25.0"), "{json}");
        assert_eq!(serde_json::from_str::<Weights>(&json).unwrap(), w);
    }
}
