//! A hot issue: a group of messages about the same thing in the same place.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::cluster::add;
use super::features::{Doc, SITE_PREFIX, dot};
use super::heat::{Heat, HeatInput, ReactionRates, heat};
use super::message::HotMessage;
use crate::place::fold;

/// One hot issue (热点问题).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotGroup {
    /// The heat index (see [`heat`](super::heat)): `parts.total`.
    pub heat: f64,
    /// The heat's parts and their contributions: why the group ranks where it does.
    pub parts: Heat,
    /// The place the group is about, as written (`A市A5区青禾小区`); empty when the
    /// messages name none in common.
    pub place: String,
    /// The normalized place key (see [`PlaceMention::key`](crate::place::PlaceMention::key)).
    pub place_key: String,
    /// A short description: the title of the most central message.
    pub description: String,
    /// The words that weigh most in the group.
    pub keywords: Vec<String>,
    /// Time of the first message.
    pub first: NaiveDateTime,
    /// Time of the last message.
    pub last: NaiveDateTime,
    /// Number of messages.
    pub count: usize,
    /// Number of distinct citizens.
    pub users: usize,
    /// Likes, summed.
    pub likes: u64,
    /// Dislikes, summed.
    pub dislikes: u64,
    /// Message ids, oldest first.
    pub member_ids: Vec<String>,
}

/// Builds the group of `members` (indexes into both slices).
pub(crate) fn build(
    members: &[usize],
    messages: &[HotMessage],
    docs: &[Doc],
    vocab: &[String],
    rates: &ReactionRates,
) -> HotGroup {
    let mut members = members.to_vec();
    members.sort_by_key(|&i| (messages[i].time, i));
    let centroid = members
        .iter()
        .fold(Vec::new(), |acc, &i| add(&acc, &docs[i].terms));
    let central = members
        .iter()
        .copied()
        .max_by(|&a, &b| {
            dot(&docs[a].terms, &centroid)
                .total_cmp(&dot(&docs[b].terms, &centroid))
                .then(b.cmp(&a))
        })
        .unwrap_or(members[0]);

    let mut keys: HashMap<String, (usize, usize)> = HashMap::new();
    for (rank, &i) in members.iter().enumerate() {
        let key = docs[i].place.key();
        if !key.is_empty() {
            keys.entry(key).or_insert((0, rank)).0 += 1;
        }
    }
    // The most common key; among equals the most specific, then the earliest.
    let best_key = keys
        .into_iter()
        .max_by(|a, b| {
            (a.1.0, a.0.matches('/').count(), std::cmp::Reverse(a.1.1)).cmp(&(
                b.1.0,
                b.0.matches('/').count(),
                std::cmp::Reverse(b.1.1),
            ))
        })
        .map(|(key, _)| key)
        .unwrap_or_default();
    let place = members
        .iter()
        .map(|&i| &docs[i].place)
        .find(|p| !best_key.is_empty() && p.key() == best_key)
        .map(|p| p.display())
        .unwrap_or_default();

    let mut weighted: Vec<(u32, f32)> = centroid;
    weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let keywords = weighted
        .iter()
        .map(|&(t, _)| &vocab[t as usize])
        .filter(|t| !t.starts_with(SITE_PREFIX))
        .take(5)
        .cloned()
        .collect();

    let times: Vec<NaiveDateTime> = members.iter().map(|&i| messages[i].time).collect();
    let users = members
        .iter()
        .map(|&i| messages[i].user.as_str())
        .collect::<HashSet<_>>()
        .len();
    let likes = members.iter().map(|&i| u64::from(messages[i].likes)).sum();
    let dislikes = members
        .iter()
        .map(|&i| u64::from(messages[i].dislikes))
        .sum();
    let parts = heat(
        &HeatInput {
            citizens: users,
            likes,
            dislikes,
            times: &times,
        },
        rates,
    );
    HotGroup {
        heat: parts.total,
        parts,
        place,
        place_key: best_key,
        description: fold(&messages[central].title),
        keywords,
        first: times[0],
        last: times[times.len() - 1],
        count: members.len(),
        users,
        likes,
        dislikes,
        member_ids: members.iter().map(|&i| messages[i].id.clone()).collect(),
    }
}
