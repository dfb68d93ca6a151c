//! Hot-issue discovery (热点问题): groups of messages about the same thing in the same place
//! (or from the same group of people) over a period, ranked by a heat index.
//!
//! 1. Each message becomes a TF-IDF vector of its words (title words count
//!    [`HotConfig::title_weight`] times) plus its named sites (estates, roads, communities
//!    from [`place`](crate::place)) as strong extra terms.
//! 2. Candidate pairs come from an inverted index over each message's heaviest terms, left
//!    out those shared by too many messages; candidates are compared exactly. Naming different sites or districts lowers the similarity, naming
//!    the same site raises it.
//! 3. Pairs above [`HotConfig::threshold`] are merged most-similar first, a merge of two
//!    groups only while their centroids stay similar ([`HotConfig::centroid_threshold`]).
//! 4. Each group gets a place, a description, its time range and a [`heat`] index made of
//!    explicit parts (citizens, attention, concentration in time, growth).
//!
//! ```
//! use chrono::NaiveDate;
//! use jiesu_text::hot::{HotDetector, HotMessage};
//!
//! let at = |d| NaiveDate::from_ymd_opt(2024, 5, d).unwrap().and_hms_opt(9, 0, 0).unwrap();
//! let message = |id: &str, title: &str, day| HotMessage {
//!     id: id.into(),
//!     user: format!("u{id}"),
//!     title: title.into(),
//!     text: String::new(),
//!     time: at(day),
//!     likes: 0,
//!     dislikes: 0,
//! };
//! let messages = [
//!     message("1", "翠湖苑小区停水三天无人处理", 1),
//!     message("2", "翠湖苑小区又停水了，居民生活困难", 2),
//!     message("3", "市图书馆开放时间咨询", 3),
//! ];
//! let groups = HotDetector::default().discover(&messages);
//! assert_eq!(groups.len(), 1);
//! assert_eq!(groups[0].member_ids, ["1", "2"]);
//! ```

mod cluster;
mod error;
mod features;
mod group;
pub mod heat;
mod message;
mod reader;
mod writer;

pub use error::HotError;
pub use group::HotGroup;
pub use message::{HotMessage, parse_time};
pub use reader::{read_messages, read_messages_from};
pub use writer::write_messages_to;

use rayon::prelude::*;

use crate::place::Gazetteer;
use heat::ReactionRates;

/// Tuning of hot-issue discovery. The defaults suit board messages of a city.
#[derive(Debug, Clone, PartialEq)]
pub struct HotConfig {
    /// Minimum similarity (cosine, adjusted for places) for two messages to be linked.
    pub threshold: f32,
    /// Minimum cosine between the centroids of two groups for them to merge.
    pub centroid_threshold: f32,
    /// Messages further apart than this many days are never linked directly.
    pub window_days: i64,
    /// Weight of a title word against a word of the text.
    pub title_weight: f32,
    /// Weight of a named site (estate, road, community) against a word.
    pub site_weight: f32,
    /// Added to the threshold for two messages of the same citizen: one person's series of
    /// different requests must not become one issue.
    pub same_user_margin: f32,
    /// Added to the similarity when two messages name the same site.
    pub same_site_bonus: f32,
    /// Similarity factor when two messages name different sites, or different districts.
    pub other_place_factor: f32,
    /// Characters of the text that are read (the beginning says what it is about).
    pub detail_chars: usize,
    /// Characters of the text searched for places when the title names none.
    pub place_chars: usize,
    /// Terms kept per message (the heaviest).
    pub max_terms: usize,
    /// Terms per message (the heaviest) that propose candidates through the index.
    pub probe_terms: usize,
    /// Terms in more than `max(min_posting_cap, n / posting_cap_divisor)` messages propose
    /// no candidates (they still count in the similarity).
    pub min_posting_cap: usize,
    /// See `min_posting_cap`.
    pub posting_cap_divisor: usize,
    /// A candidate is compared exactly only when the shared probe terms alone give at least this
    /// fraction of the threshold.
    pub candidate_fraction: f32,
    /// Groups with fewer members are not reported.
    pub min_members: usize,
}

impl Default for HotConfig {
    fn default() -> Self {
        HotConfig {
            threshold: 0.28,
            centroid_threshold: 0.25,
            window_days: 365,
            title_weight: 2.0,
            site_weight: 2.0,
            same_user_margin: 0.2,
            same_site_bonus: 0.05,
            other_place_factor: 0.5,
            detail_chars: 300,
            place_chars: 120,
            max_terms: 40,
            probe_terms: 12,
            min_posting_cap: 100,
            posting_cap_divisor: 200,
            candidate_fraction: 0.4,
            min_members: 2,
        }
    }
}

/// Finds hot issues in a set of messages.
#[derive(Debug, Clone, Default)]
pub struct HotDetector {
    gazetteer: Gazetteer,
    config: HotConfig,
}

impl HotDetector {
    /// A detector that knows the city's place names (see [`Gazetteer`]).
    pub fn new(gazetteer: Gazetteer, config: HotConfig) -> Self {
        HotDetector { gazetteer, config }
    }

    /// Its settings.
    pub fn config(&self) -> &HotConfig {
        &self.config
    }

    /// The groups of at least [`HotConfig::min_members`] messages, hottest first (ties:
    /// more messages, then earlier first message).
    pub fn discover(&self, messages: &[HotMessage]) -> Vec<HotGroup> {
        if messages.is_empty() {
            return Vec::new();
        }
        let (docs, vocab) = features::featurize(messages, &self.gazetteer, &self.config);
        let pairs = cluster::similar_pairs(&docs, vocab.len(), &self.config);
        let members = cluster::group(&docs, pairs, &self.config);
        let rates = ReactionRates::of(messages.iter().map(|m| (m.likes, m.dislikes)));
        let mut groups: Vec<HotGroup> = members
            .par_iter()
            .map(|m| group::build(m, messages, &docs, &vocab, &rates))
            .collect();
        groups.sort_by(|a, b| {
            b.heat
                .total_cmp(&a.heat)
                .then(b.count.cmp(&a.count))
                .then(a.first.cmp(&b.first))
                .then(a.member_ids.cmp(&b.member_ids))
        });
        groups
    }
}
