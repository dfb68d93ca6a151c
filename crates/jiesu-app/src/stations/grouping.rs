//! Which of a station's items belong together (汇总梳理). The hot-issue detector proposes
//! groups; within one, two items stay together only when they name the same specific site
//! (an estate, a road, a school…) or share most of their subject words. A generic word such
//! as 小区 or 门口 never joins items on its own: a station's items all come from one
//! neighbourhood, where such words are everywhere.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use jiesu_text::hot::{HotConfig, HotDetector, HotMessage};
use jiesu_text::keyword::is_keyword;
use jiesu_text::place::{Gazetteer, fold, place_core};
use jiesu_text::segment::Segmenter;
use rayon::prelude::*;

/// Words that say where or who, not what: never a subject.
const GENERIC: &[&str] = &[
    "小区", "社区", "街道", "道路", "马路", "门口", "附近", "周边", "居民", "业主", "群众", "号楼",
    "楼下", "尽快",
];

/// One item to group.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: String,
    /// Who raised it (items of one person are held to a stricter similarity).
    pub user: String,
    pub title: String,
    pub address: String,
    pub text: String,
    pub time: NaiveDateTime,
}

/// A group: its items (indexes into the input), what and where it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouped {
    pub members: Vec<usize>,
    pub subject: String,
    pub place: String,
    pub keywords: Vec<String>,
}

/// What an item is about: its specific site (reduced by `place_core`) and its subject words.
struct Profile {
    site: Option<String>,
    words: BTreeSet<String>,
}

fn profile(item: &Subject, gazetteer: &Gazetteer, segmenter: &Segmenter) -> Profile {
    let mention = gazetteer.extract(&format!("{} {}", item.address, item.title));
    let site = mention
        .estates
        .first()
        .or(mention.others.first())
        .or(mention.roads.first())
        .map(|s| place_core(s));
    // The title without the places it names: what is left says what is wrong.
    let mut title = fold(&item.title);
    for span in gazetteer.extract_folded(&title).spans {
        title = title.replace(&span.text, " ");
    }
    let words = segmenter
        .words(&title)
        .into_iter()
        .filter(|w| is_keyword(w) && !GENERIC.contains(w))
        .map(str::to_string)
        .collect();
    Profile { site, words }
}

/// Whether two items of one proposed group belong together.
fn together(a: &Profile, b: &Profile) -> bool {
    let same_site = a.site.is_some() && a.site == b.site;
    let shared = a.words.intersection(&b.words).count();
    let smaller = a.words.len().min(b.words.len());
    same_site || (shared > 0 && shared * 2 >= smaller)
}

/// Groups `items` by subject and place; every item is in exactly one group (alone if need
/// be), groups in the detector's order, then the items it left alone.
pub fn group(items: &[Subject]) -> Vec<Grouped> {
    let gazetteer = Gazetteer::default();
    let segmenter = Segmenter::default();
    let messages: Vec<HotMessage> = items
        .iter()
        .map(|i| HotMessage {
            id: i.id.clone(),
            user: i.user.clone(),
            title: i.title.clone(),
            text: format!("{} {}", i.address, i.text),
            time: i.time,
            likes: 0,
            dislikes: 0,
        })
        .collect();
    let detector = HotDetector::new(
        gazetteer.clone(),
        HotConfig {
            min_members: 1,
            ..HotConfig::default()
        },
    );
    // Each item's profile on its own: on every core (a campaign has 100,000 of them).
    let profiles: Vec<Profile> = items
        .par_iter()
        .map(|i| profile(i, &gazetteer, &segmenter))
        .collect();
    // Where each id is: a campaign groups a hundred thousand items, too many to search.
    let mut position: HashMap<&str, Vec<usize>> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate().rev() {
        position.entry(item.id.as_str()).or_default().push(i);
    }
    let mut placed = vec![false; items.len()];
    let mut out = Vec::new();
    for found in detector.discover(&messages) {
        let members: Vec<usize> = found
            .member_ids
            .iter()
            .filter_map(|id| position.get_mut(id.as_str()).and_then(Vec::pop))
            .collect();
        for &i in &members {
            placed[i] = true;
        }
        let parts = split(&members, &profiles);
        if parts.len() == 1 {
            out.push(Grouped {
                members,
                subject: found.description,
                place: found.place,
                keywords: found.keywords,
            });
        } else {
            out.extend(parts.into_iter().map(|part| alone(part, items, &profiles)));
        }
    }
    out.extend(
        (0..items.len())
            .filter(|&i| !placed[i])
            .map(|i| alone(vec![i], items, &profiles)),
    );
    out
}

/// `members` split into the parts that belong together (connected by [`together`]).
fn split(members: &[usize], profiles: &[Profile]) -> Vec<Vec<usize>> {
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for &m in members {
        let joined: Vec<usize> = (0..parts.len())
            .filter(|&p| {
                parts[p]
                    .iter()
                    .any(|&o| together(&profiles[m], &profiles[o]))
            })
            .collect();
        let mut part = vec![m];
        for &p in joined.iter().rev() {
            part.extend(parts.remove(p));
        }
        part.sort_unstable();
        parts.push(part);
    }
    parts.sort_unstable_by_key(|p| p[0]);
    parts
}

/// A group of the detector's split part: named after its first item, its shared words.
fn alone(members: Vec<usize>, items: &[Subject], profiles: &[Profile]) -> Grouped {
    let first = &items[members[0]];
    let keywords = members
        .iter()
        .map(|&m| profiles[m].words.clone())
        .reduce(|a, b| a.intersection(&b).cloned().collect())
        .unwrap_or_default()
        .into_iter()
        .filter(|_| members.len() > 1)
        .collect();
    Grouped {
        subject: first.title.clone(),
        place: first.address.clone(),
        keywords,
        members,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(list: &[(&str, &str)]) -> Vec<Subject> {
        let time = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default();
        list.iter()
            .enumerate()
            .map(|(i, (title, address))| Subject {
                id: i.to_string(),
                user: format!("居民{i}"),
                title: title.to_string(),
                address: address.to_string(),
                text: format!("{title}，请尽快处理。"),
                time,
            })
            .collect()
    }

    fn members(groups: &[Grouped]) -> Vec<Vec<usize>> {
        let mut m: Vec<Vec<usize>> = groups.iter().map(|g| g.members.clone()).collect();
        m.sort();
        m
    }

    #[test]
    fn a_shared_generic_word_joins_nothing() {
        let list = items(&[
            ("小区门口积水", "青禾小区东门"),
            ("小区停车难", ""),
            ("小区噪音扰民", ""),
            ("枫林苑小区电梯故障", "枫林苑3号楼"),
            ("松柏小区物业不作为", "松柏小区"),
            ("小区楼道灯不亮", ""),
        ]);
        let groups = group(&list);
        assert_eq!(
            members(&groups),
            (0..6).map(|i| vec![i]).collect::<Vec<_>>(),
            "{groups:?}"
        );
    }

    #[test]
    fn one_subject_or_one_site_stays_together() {
        let list = items(&[
            ("青禾小区路灯不亮", "青禾小区3号楼"),
            ("河畔小区垃圾清运不及时", "河畔小区东门"),
            ("青禾小区路灯坏了", "青禾小区2号楼"),
            ("河畔小区垃圾没人清运", "河畔小区西门"),
            ("学校门口车辆拥堵", "示范区第一小学"),
        ]);
        let groups = group(&list);
        assert_eq!(
            members(&groups),
            vec![vec![0, 2], vec![1, 3], vec![4]],
            "{groups:?}"
        );
        assert_eq!(groups.iter().map(|g| g.members.len()).sum::<usize>(), 5);
    }
}
