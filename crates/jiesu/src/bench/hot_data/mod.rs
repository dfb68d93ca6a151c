//! Synthetic board messages for measuring hot-issue discovery at scale (`jiesu bench hot
//! --generate N`): a made-up city whose citizens write about everyday problems.
//!
//! About nine in ten messages are background: a random place (one of thousands of estates,
//! roads, schools, companies) and a problem that fits it, spread evenly over eighteen
//! months, so most stand alone and a few pairs meet by chance. The rest are planted hot
//! issues, about one per thousand messages, of sizes growing from 5 to `n / 200`
//! messages: one place, one problem, written by different citizens in different words, ever
//! more often towards the end of their period. Same `n`, same messages.

mod words;

use chrono::{NaiveDate, NaiveDateTime};
use jiesu_text::hot::HotMessage;

use super::rng::Rng;
use words::{
    CITY, CLOSINGS, COMPANY_ENDINGS, DISTRICTS, ESTATE_ENDINGS, FILLERS, HEADS, INTROS, OPENINGS,
    ROAD_ENDINGS, SITE_ENDINGS, TAILS, TOPICS, Topic, Where,
};

/// Days the messages are spread over.
const SPAN_DAYS: i64 = 548;

/// Synthetic messages and the planted hot issue each belongs to.
pub struct Planted {
    /// The messages, in random order, with ids `100001…`.
    pub messages: Vec<HotMessage>,
    /// For each message (same index), the planted issue it belongs to; `None` for background.
    pub issue: Vec<Option<usize>>,
    /// Number of planted issues.
    pub issues: usize,
}

/// `n` synthetic messages with the planted issue of every message, to measure grouping.
pub fn generate_planted(n: usize) -> Planted {
    let mut rng = Rng::new(0x6a65_7375_686f_7421 ^ n as u64);
    let mut messages: Vec<HotMessage> = Vec::with_capacity(n);
    let mut issue: Vec<Option<usize>> = Vec::with_capacity(n);
    let sizes = hot_sizes(n);
    let issues = sizes.len();
    for (k, size) in sizes.into_iter().enumerate() {
        // Every topic once, then those bound to a place (the city-wide ones would merge).
        let topic = TOPICS
            .iter()
            .cycle()
            .skip(k)
            .find(|t| k < TOPICS.len() || t.at != Where::City)
            .unwrap_or(&TOPICS[0]);
        let place = Place::random(topic.at, &mut rng);
        let duration = rng.range(20, 200) as i64;
        let start = rng.range(0, (SPAN_DAYS - duration) as usize) as i64;
        let typical = [
            rng.below(topic.details.len()),
            rng.below(topic.details.len()),
        ];
        let regulars: Vec<String> = (0..size / 8 + 1).map(|_| citizen(&mut rng, n)).collect();
        for _ in 0..size {
            // Density grows linearly over the period: the issue is heating up.
            let day = start as f64 + duration as f64 * rng.unit().sqrt();
            let user = if rng.chance(0.1) {
                regulars[rng.below(regulars.len())].clone()
            } else {
                citizen(&mut rng, n)
            };
            let likes = if rng.chance(0.02) {
                rng.range(50, 2000) as u32
            } else {
                rng.small(0.5)
            };
            messages.push(write(topic, &place, &typical, user, day, likes, &mut rng));
            issue.push(Some(k));
        }
    }
    // Background problems are those of a named place the analysis can tell apart.
    let everyday: Vec<&Topic> = TOPICS
        .iter()
        .filter(|t| matches!(t.at, Where::Estate | Where::Road | Where::Site))
        .collect();
    while messages.len() < n {
        let topic = everyday[rng.below(everyday.len())];
        let place = Place::random(topic.at, &mut rng);
        let day = rng.unit() * SPAN_DAYS as f64;
        let likes = rng.small(0.25);
        let user = citizen(&mut rng, n);
        messages.push(write(topic, &place, &[], user, day, likes, &mut rng));
        issue.push(None);
    }
    messages.truncate(n);
    issue.truncate(n);
    for i in (1..messages.len()).rev() {
        let j = rng.below(i + 1);
        messages.swap(i, j);
        issue.swap(i, j);
    }
    for (i, m) in messages.iter_mut().enumerate() {
        m.id = (100_001 + i).to_string();
    }
    Planted {
        messages,
        issue,
        issues,
    }
}

/// Sizes of the planted hot issues: about `n / 1000` of them, growing geometrically from 5
/// to `n / 200` (none below 1,000 messages).
fn hot_sizes(n: usize) -> Vec<usize> {
    let count = n / 1000;
    let largest = (n / 200).max(5) as f64;
    (0..count)
        .map(|k| {
            let share = k as f64 / (count.max(2) - 1) as f64;
            (5.0 * (largest / 5.0).powf(share)).round() as usize
        })
        .collect()
}

/// Where a message is about: a named place in a district, or the city.
struct Place {
    name: String,
    district: &'static str,
}

impl Place {
    fn random(at: Where, rng: &mut Rng) -> Place {
        let endings = match at {
            Where::Estate => ESTATE_ENDINGS,
            Where::Road => ROAD_ENDINGS,
            Where::Site => SITE_ENDINGS,
            Where::Company => COMPANY_ENDINGS,
            Where::Metro | Where::City => &[][..],
        };
        let stem = format!("{}{}", rng.pick(HEADS), rng.pick(TAILS));
        let name = match at {
            Where::Metro => format!("{}号线{stem}站", rng.range(1, 9)),
            Where::City => String::new(),
            _ => format!("{stem}{}", rng.pick(endings)),
        };
        Place {
            name,
            district: rng.pick(DISTRICTS),
        }
    }

    /// The place as one citizen writes it: with or without district and city.
    fn written(&self, rng: &mut Rng) -> String {
        if self.name.is_empty() {
            return if rng.chance(0.5) {
                CITY.to_string()
            } else {
                String::new()
            };
        }
        match rng.below(10) {
            0 => format!("{CITY}{}{}", self.district, self.name),
            1..=4 => format!("{}{}", self.district, self.name),
            _ => self.name.clone(),
        }
    }
}

/// One message about `topic` at `place`; `typical` are details most messages of a hot issue
/// repeat.
fn write(
    topic: &Topic,
    place: &Place,
    typical: &[usize],
    user: String,
    day: f64,
    likes: u32,
    rng: &mut Rng,
) -> HotMessage {
    let title = rng.pick(topic.titles).replace("{p}", &place.written(rng));
    let mut text = String::from(rng.pick(OPENINGS));
    let here = place.written(rng);
    if !here.is_empty() {
        text.push_str(&rng.pick(INTROS).replace("{p}", &here));
    }
    let mut details: Vec<usize> = typical
        .iter()
        .copied()
        .filter(|_| rng.chance(0.7))
        .collect();
    for _ in 0..rng.range(1, 3) {
        let d = rng.below(topic.details.len());
        if !details.contains(&d) {
            details.push(d);
        }
    }
    for &d in &details {
        text.push_str(topic.details[d]);
    }
    let fillers = if rng.chance(0.15) {
        rng.range(4, 9)
    } else {
        rng.range(0, 3)
    };
    for _ in 0..fillers {
        text.push_str(rng.pick(FILLERS));
    }
    text.push_str(rng.pick(topic.asks));
    text.push_str(rng.pick(CLOSINGS));
    let seconds = day.floor() as i64 * 86_400 + rng.range(7 * 3_600, 23 * 3_600) as i64;
    HotMessage {
        id: String::new(),
        user,
        title,
        text,
        time: epoch() + chrono::Duration::seconds(seconds),
        likes,
        dislikes: rng.small(0.1),
    }
}

fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2023, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// A citizen: one of about `n * 0.8` users, so some write more than once.
fn citizen(rng: &mut Rng, n: usize) -> String {
    format!("A{:07}", rng.below(n * 4 / 5 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_n_distinct_messages_in_range() {
        let messages = generate_planted(3_000).messages;
        assert_eq!(messages.len(), 3_000);
        let ids: std::collections::HashSet<_> = messages.iter().map(|m| &m.id).collect();
        assert_eq!(ids.len(), 3_000);
        let end = epoch() + chrono::Duration::days(SPAN_DAYS);
        assert!(messages.iter().all(|m| m.time >= epoch() && m.time < end));
        assert!(
            messages
                .iter()
                .all(|m| !m.title.is_empty() && m.text.len() > 30)
        );
        assert_eq!(generate_planted(3_000).messages, messages);
    }

    #[test]
    fn hot_issues_grow() {
        let sizes = hot_sizes(100_000);
        assert_eq!(sizes.len(), 100);
        assert_eq!((sizes[0], sizes[99]), (5, 500));
        assert!(sizes.windows(2).all(|w| w[0] <= w[1]));
    }
}
