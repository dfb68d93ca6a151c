//! What a message is about, as a weighted term vector: TF-IDF over its words (title words
//! count double), plus the places it names as strong extra terms.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use super::HotConfig;
use super::message::HotMessage;
use crate::keyword::is_keyword;
use crate::place::{Gazetteer, PlaceMention, fold, place_core};
use crate::segment::Segmenter;

/// Prefix of the terms that stand for a named site.
pub(crate) const SITE_PREFIX: char = '@';

/// One message ready for comparison.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// `(term, weight)` sorted by term, L2-normalized.
    pub terms: Vec<(u32, f32)>,
    /// The sites it is about (estates, roads, communities, lines…), as ids.
    pub sites: Vec<u32>,
    /// Other sites of the analysed set whose names are written inside those of `sites`
    /// (`理工学院` inside `南湖理工学院`): the same site, named shorter or longer.
    pub within: Vec<u32>,
    /// Its district, if named, as an id.
    pub district: Option<u32>,
    /// The terms that propose candidates: the heaviest few, by term.
    pub probes: Vec<(u32, f32)>,
    /// Its places, for the group's place.
    pub place: PlaceMention,
    /// Seconds since the epoch (local time taken as UTC).
    pub time: i64,
    /// The citizen, as an index shared by all messages of the same user.
    pub user: u32,
}

/// A message's terms and places as strings, before ids are given.
struct RawDoc {
    /// The terms written one after the other (one allocation, not one per word).
    words: String,
    /// Each term as a byte range of `words`, with its weight, in the order written.
    terms: Vec<(Range<usize>, f32)>,
    sites: Vec<String>,
    district: Option<String>,
    doc: Doc,
}

/// The term vectors of `messages` and the vocabulary (term id → term).
pub(crate) fn featurize(
    messages: &[HotMessage],
    gazetteer: &Gazetteer,
    config: &HotConfig,
) -> (Vec<Doc>, Vec<String>) {
    let segmenter = Segmenter::default();
    let raw: Vec<RawDoc> = messages
        .par_iter()
        .map(|m| raw_doc(m, gazetteer, &segmenter, config))
        .collect();

    let mut vocab: Vec<String> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut df: Vec<u32> = Vec::new();
    let mut counted: Vec<Vec<(u32, f32)>> = Vec::with_capacity(raw.len());
    let mut places: HashMap<String, u32> = HashMap::new();
    let mut place_ids: Vec<(Vec<u32>, Option<u32>)> = Vec::with_capacity(raw.len());
    let mut users: HashMap<&str, u32> = HashMap::new();
    let user_ids: Vec<u32> = messages
        .iter()
        .map(|m| {
            let next = users.len() as u32;
            *users.entry(m.user.as_str()).or_insert(next)
        })
        .collect();
    for RawDoc {
        words,
        terms,
        sites,
        district,
        ..
    } in &raw
    {
        let mut intern = |name: &String| {
            let next = places.len() as u32;
            *places.entry(name.clone()).or_insert(next)
        };
        let site_ids = sites.iter().map(&mut intern).collect();
        let district_id = district.as_ref().map(&mut intern);
        place_ids.push((site_ids, district_id));
        let mut doc: Vec<(u32, f32)> = Vec::with_capacity(terms.len());
        for (range, weight) in terms {
            let term = &words[range.clone()];
            let id = match ids.get(term) {
                Some(&id) => id,
                None => {
                    let id = vocab.len() as u32;
                    ids.insert(term.to_string(), id);
                    vocab.push(term.to_string());
                    df.push(0);
                    id
                }
            };
            doc.push((id, *weight));
        }
        doc.sort_unstable_by_key(|&(id, _)| id);
        let mut merged: Vec<(u32, f32)> = Vec::with_capacity(doc.len());
        for (id, w) in doc {
            match merged.last_mut() {
                Some(last) if last.0 == id => last.1 += w,
                _ => merged.push((id, w)),
            }
        }
        for &(id, _) in &merged {
            df[id as usize] += 1;
        }
        counted.push(merged);
    }

    let within = contained_sites(&places, &place_ids);
    let n = raw.len() as f32;
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| ((n + 1.0) / (d as f32 + 1.0)).ln() + 1.0)
        .collect();
    let docs = raw
        .into_par_iter()
        .zip(counted)
        .zip(user_ids)
        .zip(place_ids)
        .map(
            |(((RawDoc { mut doc, .. }, counts), user), (sites, district))| {
                doc.user = user;
                let mut inner: Vec<u32> = sites
                    .iter()
                    .flat_map(|&s| within[s as usize].iter().copied())
                    .collect();
                inner.sort_unstable();
                inner.dedup();
                doc.within = inner;
                doc.sites = sites;
                doc.district = district;
                let mut terms: Vec<(u32, f32)> = counts
                    .into_iter()
                    .filter(|&(id, _)| df[id as usize] >= 2 || n < 3.0)
                    .map(|(id, tf)| (id, (1.0 + tf.ln()) * idf[id as usize]))
                    .collect();
                if terms.len() > config.max_terms {
                    terms.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
                    terms.truncate(config.max_terms);
                    terms.sort_unstable_by_key(|&(id, _)| id);
                }
                let norm = terms.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
                if norm > 0.0 {
                    terms.iter_mut().for_each(|t| t.1 /= norm);
                }
                let mut probes = terms.clone();
                probes.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
                probes.truncate(config.probe_terms);
                probes.sort_unstable_by_key(|&(id, _)| id);
                doc.terms = terms;
                doc.probes = probes;
                doc
            },
        )
        .collect();
    (docs, vocab)
}

fn raw_doc(
    message: &HotMessage,
    gazetteer: &Gazetteer,
    segmenter: &Segmenter,
    config: &HotConfig,
) -> RawDoc {
    let title = fold(&message.title);
    let detail = fold_prefix(&message.text, config.detail_chars);
    let in_title = gazetteer.extract_folded(&title);
    let mut place = if in_title.district.is_some() && has_site(&in_title) {
        in_title
    } else {
        let lead: String = detail.chars().take(config.place_chars).collect();
        merge_places(in_title, gazetteer.extract_folded(&lead))
    };
    for estate in zoned_estates(&title, place.district.as_deref(), segmenter) {
        if !place.estates.contains(&estate) {
            place.estates.push(estate);
        }
    }
    let mut sites: Vec<String> = place
        .estates
        .iter()
        .chain(&place.others)
        .chain(&place.roads)
        .chain(&place.community)
        .map(|s| place_core(s))
        .take(3)
        .collect();
    sites.extend(transit_lines(&title));

    let mut words = String::new();
    let mut terms: Vec<(Range<usize>, f32)> = Vec::new();
    let mut push = |parts: &[&str], weight: f32| {
        let start = words.len();
        parts.iter().for_each(|p| words.push_str(p));
        terms.push((start..words.len(), weight));
    };
    for (text, weight) in [(&title, config.title_weight), (&detail, 1.0)] {
        // `normalize` of folded text: folding again would change nothing.
        let text = text.to_ascii_lowercase();
        for word in segmenter.words(&text) {
            if is_keyword(word) {
                push(&[word], weight);
            }
        }
    }
    let prefix = SITE_PREFIX.to_string();
    for site in &sites {
        push(&[&prefix, site], config.site_weight);
    }
    let district = place.district.as_deref().map(place_core);
    let time = message.time.and_utc().timestamp();
    let doc = Doc {
        terms: Vec::new(),
        sites: Vec::new(),
        within: Vec::new(),
        district: None,
        probes: Vec::new(),
        place,
        time,
        user: 0,
    };
    RawDoc {
        words,
        terms,
        sites,
        district,
        doc,
    }
}

/// Shortest site name that may stand for a longer one containing it (`临水苑` for
/// `青禾园临水苑`); shorter parts (`花园`) are too common to identify a site.
const MIN_WITHIN_CHARS: usize = 3;

/// For each place id (sites and districts share the ids), the ids of the other sites whose
/// names are written inside its name (at least [`MIN_WITHIN_CHARS`] characters) and inside
/// no other site's name: a short name that fits several longer ones (`理工学院` in two
/// colleges' names) says nothing about which one is meant. Empty for districts.
fn contained_sites(
    places: &HashMap<String, u32>,
    docs: &[(Vec<u32>, Option<u32>)],
) -> Vec<Vec<u32>> {
    let is_site: std::collections::HashSet<u32> =
        docs.iter().flat_map(|(s, _)| s.iter().copied()).collect();
    // Shorter site → the longer sites it is written in.
    let mut containers: HashMap<u32, Vec<u32>> = HashMap::new();
    for (name, &id) in places {
        if !is_site.contains(&id) {
            continue;
        }
        let chars: Vec<usize> = name
            .char_indices()
            .map(|(i, _)| i)
            .chain([name.len()])
            .collect();
        let len = chars.len() - 1;
        for from in 0..len {
            for to in from + MIN_WITHIN_CHARS..=len {
                if to - from == len {
                    continue;
                }
                if let Some(&inner) = places.get(&name[chars[from]..chars[to]])
                    && is_site.contains(&inner)
                {
                    let list = containers.entry(inner).or_default();
                    if !list.contains(&id) {
                        list.push(id);
                    }
                }
            }
        }
    }
    let mut within = vec![Vec::new(); places.len()];
    for (inner, outer) in containers {
        if let [only] = outer[..] {
            within[only as usize].push(inner);
        }
    }
    within
}

/// The first `chars` characters of `fold(text)`, folding only the beginning of a long text.
/// Folding merges whitespace and (de)composes characters, which changes only the last few
/// characters of a cut; a generous cut that still folds to well over `chars` is safe.
fn fold_prefix(text: &str, chars: usize) -> String {
    let cut = text
        .char_indices()
        .nth(2 * chars + 16)
        .map_or(text.len(), |(i, _)| i);
    let mut folded = fold(&text[..cut]);
    if cut < text.len() && folded.chars().count() < chars + 8 {
        folded = fold(text);
    }
    folded.chars().take(chars).collect()
}

/// Metro and bus lines named like `3号线` (digits, then 号线): a line is a place too, and
/// line 3 is not line 7.
fn transit_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(pos) = rest.find("号线") {
        let digits: String = rest[..pos]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if !digits.is_empty() {
            let line = format!("{}号线", digits.chars().rev().collect::<String>());
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        rest = &rest[pos + "号线".len()..];
    }
    lines
}

/// Endings after which a building or zone code follows an estate's name (`K9县`, `E4区`,
/// `B2栋`).
const ZONE_ENDINGS: &str = "区县栋座幢号楼期";
/// Characters that end a higher place written before an estate's name (`汇金路`, `A市`).
const PLACE_STOPS: &str = "省市区县路街镇乡村";

/// Estates named by the zone or building code glued after them (`青禾湾K9县`: the estate
/// `青禾湾`, zone K9; a code with other letters than the district's is not a district). The
/// name is the last one or two words before the code, after any higher place.
fn zoned_estates(text: &str, district: Option<&str>, segmenter: &Segmenter) -> Vec<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut estates = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        let glued = is_cjk(chars[i - 1].1);
        let mut j = i;
        while j < chars.len() && chars[j].1.is_ascii_alphabetic() {
            j += 1;
        }
        let letters = j - i;
        while j < chars.len() && chars[j].1.is_ascii_digit() {
            j += 1;
        }
        let code_end = chars.get(j).map(|&(_, c)| c);
        if glued
            && letters > 0
            && j > i + letters
            && code_end.is_some_and(|c| ZONE_ENDINGS.contains(c))
        {
            let end = chars.get(j + 1).map_or(text.len(), |&(b, _)| b);
            let code = &text[chars[i].0..end];
            if district != Some(code) {
                let mut from = i;
                while from > 0
                    && is_cjk(chars[from - 1].1)
                    && !PLACE_STOPS.contains(chars[from - 1].1)
                {
                    from -= 1;
                }
                let run = &text[chars[from].0..chars[i].0];
                let words = segmenter.words(run);
                let name: String = words
                    .iter()
                    .rev()
                    .take_while(|w| is_keyword(w))
                    .take(2)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .copied()
                    .collect();
                if name.chars().count() >= 2 && !estates.contains(&name) {
                    estates.push(name);
                }
            }
        }
        i = j.max(i + 1);
    }
    estates
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The title's places, completed by those of the text's beginning where the title names
/// no site or no district.
fn merge_places(mut title: PlaceMention, detail: PlaceMention) -> PlaceMention {
    if !has_site(&title) {
        title.estates.extend(detail.estates.into_iter().take(1));
        title.others.extend(detail.others.into_iter().take(1));
        if title.estates.is_empty() && title.others.is_empty() {
            title.roads.extend(detail.roads.into_iter().take(1));
        }
        if title.community.is_none() {
            title.community = detail.community;
        }
    }
    title.city = title.city.or(detail.city);
    title.district = title.district.or(detail.district);
    title.street = title.street.or(detail.street);
    title
}

fn has_site(place: &PlaceMention) -> bool {
    !place.estates.is_empty() || !place.roads.is_empty() || !place.others.is_empty()
}

/// Cosine of two normalized sparse vectors sorted by term.
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_code_names_the_estate_before_it() {
        let segmenter = Segmenter::default();
        let zoned = |text: &str, district| zoned_estates(text, district, &segmenter);
        assert_eq!(zoned("A市青禾湾K9县墙壁开裂", None), ["青禾湾"]);
        assert_eq!(
            zoned("A市A5区长安路青禾湾K9县存在问题", Some("A5区")),
            ["青禾湾"]
        );
        assert!(zoned("反映A5区的问题", Some("A5区")).is_empty());
        assert!(zoned("A市A5区停水", Some("A5区")).is_empty());
    }

    #[test]
    fn fold_prefix_is_the_beginning_of_the_folded_text() {
        let text = "Ａ市  翠湖苑\t\n停水。".repeat(40);
        for chars in [0, 1, 5, 30, 300, 10_000] {
            let want: String = fold(&text).chars().take(chars).collect();
            assert_eq!(fold_prefix(&text, chars), want, "{chars}");
        }
        let spaces = format!("{}翠湖苑停水", " ".repeat(1_000));
        assert_eq!(fold_prefix(&spaces, 3), "翠湖苑");
    }
}
