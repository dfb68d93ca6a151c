//! The weighted score (综合得分) and the ranking within each tier (分组排名).

use std::collections::HashMap;

use serde::Serialize;

use super::rates::{Counts, Rate};
use super::weights::WeightSet;
use crate::body::{Body, BodyKind};
use crate::ids::BodyId;

/// The score of some counts out of 100: the weighted mean of the rates that have cases
/// (rates where lower is better count as one minus the rate); `None` without any.
pub fn score(counts: &Counts, weights: &WeightSet) -> Option<f64> {
    let (mut sum, mut total) = (0.0, 0.0);
    for rate in Rate::all(counts) {
        let (Some(value), w) = (rate.value, weights.weight(rate.kind)) else {
            continue;
        };
        let value = if rate.kind.lower_is_better() {
            1.0 - value
        } else {
            value
        };
        sum += w * value;
        total += w;
    }
    (total > 0.0).then(|| 100.0 * sum / total)
}

/// One body's assessment over the period.
#[derive(Debug, Clone, Serialize)]
pub struct BodyAssessment {
    pub body: BodyId,
    pub name: String,
    pub kind: BodyKind,
    pub counts: Counts,
    pub rates: Vec<Rate>,
    pub score: Option<f64>,
    /// The rank in its tier; `None` when it has fewer cases than the minimum (listed only).
    pub rank: Option<usize>,
    /// The score over the previous period (环比).
    pub previous_score: Option<f64>,
    /// The score's change since the previous period, in points.
    pub change: Option<f64>,
}

/// The bodies of one tier, ranked ones first by score, then the ones listed only.
#[derive(Debug, Clone, Serialize)]
pub struct TierRanking {
    pub name: String,
    pub bodies: Vec<BodyAssessment>,
}

/// Ranks the bodies of each tier by score. Bodies without a tier are left out; bodies with
/// fewer than the minimum cases are listed after the ranked ones, by name.
pub fn rank(
    bodies: &[Body],
    current: &HashMap<BodyId, Counts>,
    previous: &HashMap<BodyId, Counts>,
    weights: &WeightSet,
) -> Vec<TierRanking> {
    let mut tiers: Vec<TierRanking> = weights
        .tiers
        .iter()
        .map(|t| TierRanking {
            name: t.name.clone(),
            bodies: Vec::new(),
        })
        .collect();
    for body in bodies {
        let Some(tier) = weights.tier_of(body.kind) else {
            continue;
        };
        let counts = current.get(&body.id).copied().unwrap_or_default();
        let s = score(&counts, weights);
        let previous_score = previous.get(&body.id).and_then(|c| score(c, weights));
        tiers[tier].bodies.push(BodyAssessment {
            body: body.id,
            name: body.name.clone(),
            kind: body.kind,
            rates: Rate::all(&counts),
            score: s,
            rank: None,
            previous_score,
            change: s.zip(previous_score).map(|(a, b)| a - b),
            counts,
        });
    }
    for tier in &mut tiers {
        let rankable =
            |b: &BodyAssessment| b.counts.cases >= weights.min_cases && b.score.is_some();
        tier.bodies.sort_by(|a, b| {
            rankable(b)
                .cmp(&rankable(a))
                .then_with(|| match rankable(a) {
                    true => b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)),
                    false => std::cmp::Ordering::Equal,
                })
                .then_with(|| a.name.cmp(&b.name))
        });
        let mut rank = 0;
        for b in &mut tier.bodies {
            if rankable(b) {
                rank += 1;
                b.rank = Some(rank);
            }
        }
    }
    tiers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: i64, kind: BodyKind) -> Body {
        Body {
            id: BodyId(id),
            name: format!("单位{id}"),
            kind,
            parent: None,
            areas: vec![],
        }
    }

    #[test]
    fn ranks_within_tiers_and_lists_small_bodies_unranked() {
        let bodies = [
            body(1, BodyKind::District),
            body(2, BodyKind::District),
            body(3, BodyKind::District),
            body(4, BodyKind::City),
        ];
        let good = Counts {
            cases: 20,
            called_back: 20,
            solved: 18,
            ..Counts::default()
        };
        let bad = Counts { solved: 10, ..good };
        let few = Counts { cases: 2, ..good };
        let current = HashMap::from([(BodyId(1), bad), (BodyId(2), good), (BodyId(3), few)]);
        let previous = HashMap::from([(BodyId(2), bad)]);
        let tiers = rank(&bodies, &current, &previous, &WeightSet::default());
        let districts = &tiers[1];
        let order: Vec<_> = districts
            .bodies
            .iter()
            .map(|b| (b.body.0, b.rank))
            .collect();
        assert_eq!(order, vec![(2, Some(1)), (1, Some(2)), (3, None)]);
        assert_eq!(districts.bodies[0].score, Some(90.0));
        assert_eq!(districts.bodies[0].change, Some(40.0));
        assert!(tiers.iter().all(|t| t.bodies.iter().all(|b| b.body.0 != 4)));
    }
}
