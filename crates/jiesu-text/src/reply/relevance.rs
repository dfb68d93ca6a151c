//! Relevance (针对性): does a reply answer this appeal — its citizen, its subject, its place,
//! its dates — rather than a neighbouring one about the same kind of thing?
//!
//! Several signals, each weak alone, are added on a log-odds scale:
//! - the TF-IDF cosine of appeal and reply (character bigrams);
//! - how much of the appeal's title the reply repeats (来信反映的“…”问题), bigrams weighed by
//!   rarity;
//! - rare trigrams (estates, roads, organisations, numbers) the reply shares with the appeal;
//! - whom the reply addresses: the appeal's citizen handle, or another one;
//! - the dates the reply writes: one of them the appeal's day, the last one not before it
//!   and not long after it;
//! - the appeal's most specific place named in the reply.
//!
//! The weights are round numbers chosen on one half of a public set of replies (see
//! `jiesu bench replies --swap-eval`, which reports both halves).

use chrono::NaiveDate;

use super::corpus::{AppealCorpus, cosine};
use super::grams::{chars, distinct, folded_chars, shared_weight};
use super::review::AppealForReview;
use crate::place::{Gazetteer, fold, place_core};

/// Whom a reply addresses, as far as it names a citizen handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Addressee {
    /// The appeal's own citizen.
    Same,
    /// Another handle than the appeal's citizen.
    Other,
    /// No handle written (or none known for the appeal).
    Unknown,
}

/// The relevance of one reply and what it lacks.
#[derive(Debug, Clone)]
pub(crate) struct Relevance {
    /// 0..1.
    pub score: f64,
    /// Share of the title's (rarity-weighed) bigrams the reply repeats, 0..1.
    pub subject_cover: f64,
    pub addressee: Addressee,
    /// The appeal's most specific place when the reply does not name it.
    pub missing_place: Option<String>,
}

/// Scores how well a reply answers `appeal`; `folded_reply` and `folded_title` are the
/// reply and the appeal's title folded (each text is folded once per review).
pub(crate) fn relevance(
    appeal: &AppealForReview<'_>,
    folded_reply: &str,
    folded_title: &str,
    corpus: &AppealCorpus,
    places: &Gazetteer,
) -> Relevance {
    let whole = fold(&format!("{}\n{}", appeal.title, appeal.text));
    let appeal_chars = folded_chars(&whole);
    let reply_chars = folded_chars(folded_reply);
    let reply_bigrams = distinct(&reply_chars, 2);
    let reply_trigrams = distinct(&reply_chars, 3);

    let cos = cosine(&corpus.tfidf(&appeal_chars), &corpus.tfidf(&reply_chars));
    let title_bigrams = distinct(&folded_chars(folded_title), 2);
    let weight = |key| corpus.bigram_rarity(key) + 0.1;
    let title_total: f64 = title_bigrams.iter().map(|k| weight(*k)).sum();
    let subject_cover = if title_total > 0.0 {
        shared_weight(&title_bigrams, &reply_bigrams, weight) / title_total
    } else {
        0.0
    };
    let rare = shared_weight(&distinct(&appeal_chars, 3), &reply_trigrams, |key| {
        (corpus.trigram_rarity(key) - 3.0).max(0.0)
    });
    let addressee = addressee(appeal.citizen, folded_reply);
    let dates = date_signal(appeal.received.date(), folded_reply);
    let (place_signal, missing_place) = place(&whole, folded_reply, places);

    let log_odds = -0.7
        + 0.4 * cos
        + 1.0 * subject_cover
        + 0.5 * rare.ln_1p()
        + 3.0
            * match addressee {
                Addressee::Same => 1.0,
                Addressee::Other => -1.0,
                Addressee::Unknown => 0.0,
            }
        + 2.0 * dates
        + place_signal;
    Relevance {
        score: 1.0 / (1.0 + (-log_odds).exp()),
        subject_cover,
        addressee,
        missing_place,
    }
}

/// The plain TF-IDF cosine of appeal and reply: the baseline relevance is measured against.
pub fn tfidf_cosine(appeal: &AppealForReview<'_>, reply: &str, corpus: &AppealCorpus) -> f64 {
    let whole = format!("{}\n{}", appeal.title, appeal.text);
    cosine(&corpus.tfidf(&chars(&whole)), &corpus.tfidf(&chars(reply)))
}

/// Whether the reply names the appeal's citizen handle, or another handle-like word (ASCII
/// letters then at least four digits, as the board's handles are written).
fn addressee(citizen: Option<&str>, reply: &str) -> Addressee {
    let citizen = citizen.map(str::trim).filter(|c| c.chars().count() >= 2);
    if let Some(citizen) = citizen
        && reply.contains(citizen)
    {
        return Addressee::Same;
    }
    let names_a_handle = reply
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(is_handle);
    if citizen.is_some() && names_a_handle {
        Addressee::Other
    } else {
        Addressee::Unknown
    }
}

fn is_handle(word: &str) -> bool {
    let letters = word.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = word.len() - letters;
    letters >= 1 && digits >= 4 && word.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

/// From the dates a reply writes (`2019年4月8日`): −2 when the last one is before the
/// appeal's day (the reply cannot answer it), else +1 when one of them is the appeal's day,
/// less the years from the appeal to the last date (at most one). Zero without dates.
fn date_signal(received: NaiveDate, reply: &str) -> f64 {
    let dates = written_dates(reply);
    let Some(last) = dates.iter().max() else {
        return 0.0;
    };
    let gap = (*last - received).num_days();
    if gap < -1 {
        return -2.0;
    }
    let same_day = if dates.contains(&received) { 1.0 } else { 0.0 };
    same_day - (gap.max(0) as f64 / 365.0).min(1.0)
}

/// Every `Y年M月D日` of a folded text that is a real date.
fn written_dates(text: &str) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let mut numbers: Vec<(u32, char)> = Vec::new();
    let mut current: Option<u32> = None;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(d));
            continue;
        }
        match current.take() {
            Some(n) if matches!(c, '年' | '月' | '日') => numbers.push((n, c)),
            _ => numbers.clear(),
        }
        if let [.., (y, '年'), (m, '月'), (d, '日')] = numbers[..]
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            dates.push(date);
            numbers.clear();
        }
    }
    dates
}

/// +0.5 when the reply names the appeal's most specific place, −0.5 when it names none of
/// the appeal's places but a place of its own; the place when the reply does not name it.
/// Both texts are folded.
fn place(appeal: &str, reply: &str, places: &Gazetteer) -> (f64, Option<String>) {
    let wanted = places.extract_folded(appeal);
    let Some(site) = wanted.site() else {
        return (0.0, None);
    };
    let reply = reply.to_ascii_uppercase();
    if names(&reply, site) {
        return (0.5, None);
    }
    let named_any = wanted.spans.iter().any(|span| names(&reply, &span.name));
    // Looking for the reply's own places is the costliest step: only when it can count.
    let signal = if !named_any && !places.extract_folded(&reply).is_empty() {
        -0.5
    } else {
        0.0
    };
    (signal, Some(site.to_string()))
}

/// True when `upper` (a text with ASCII letters upper-cased) names `place`, with or without
/// its generic ending.
fn names(upper: &str, place: &str) -> bool {
    let core = place_core(place);
    upper.contains(&place.to_ascii_uppercase())
        || (core.chars().count() >= 2 && upper.contains(&core))
}
