//! The gazetteer (地名库): the area names an admin maintains, with their level, their parent
//! and their aliases, and the extraction of places from a text.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::kind::PlaceKind;
use super::mention::{PlaceMention, PlaceSource, PlaceSpan};
use super::{fold, pattern};

/// One admin-maintained place name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GazetteerEntry {
    /// The canonical name, e.g. `A3区`, `麓泉社区`, `翠湖苑小区`.
    pub name: String,
    /// Its level.
    pub kind: PlaceKind,
    /// The canonical name of the place it lies in (a street's district, an estate's
    /// community…), which must be an entry of the same gazetteer.
    pub parent: Option<String>,
    /// Other ways citizens write it (`翠湖苑` for `翠湖苑小区`).
    pub aliases: Vec<String>,
}

impl GazetteerEntry {
    /// An entry without parent or aliases.
    pub fn new(name: impl Into<String>, kind: PlaceKind) -> Self {
        GazetteerEntry {
            name: name.into(),
            kind,
            parent: None,
            aliases: Vec::new(),
        }
    }

    /// Sets the parent (builder style).
    pub fn with_parent(mut self, parent: impl Into<String>) -> Self {
        self.parent = Some(parent.into());
        self
    }

    /// Adds an alias (builder style).
    pub fn with_alias(mut self, alias: impl Into<String>) -> Self {
        self.aliases.push(alias.into());
        self
    }
}

/// Why a gazetteer could not be built. Messages are for the admin who maintains it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GazetteerError {
    /// A name or alias is empty.
    #[error("地名或别名不能为空")]
    EmptyName,
    /// Two entries, or an entry and an alias, share a name.
    #[error("地名“{0}”重复")]
    Duplicate(String),
    /// A parent is not itself an entry.
    #[error("地名“{name}”的上级“{parent}”不在地名库中")]
    UnknownParent {
        /// The entry.
        name: String,
        /// Its missing parent.
        parent: String,
    },
    /// Following parents leads back to the entry.
    #[error("地名“{0}”的上级关系形成循环")]
    Cycle(String),
    /// The matcher could not be built (too many or too long names).
    #[error("地名匹配器构建失败：{0}")]
    Matcher(String),
}

/// Admin-maintained place names, matched longest-first in a text, with pattern-based
/// recognition of the names it lacks. Cheap to share: build once, extract from many texts.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    by_name: HashMap<String, usize>,
    /// For each matcher pattern, the entry it stands for.
    pattern_entry: Vec<usize>,
    matcher: Option<AhoCorasick>,
}

impl Gazetteer {
    /// A gazetteer without entries: extraction relies on patterns alone.
    pub fn empty() -> Self {
        Gazetteer::default()
    }

    /// Builds a gazetteer. Names and aliases are folded (see [`fold`]) and must be unique;
    /// parents must be entries; the parent chain must not loop.
    pub fn new(entries: impl IntoIterator<Item = GazetteerEntry>) -> Result<Self, GazetteerError> {
        let mut list: Vec<GazetteerEntry> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut key_of: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_entry: Vec<usize> = Vec::new();
        for mut entry in entries {
            entry.name = fold(&entry.name);
            entry.parent = entry.parent.map(|p| fold(&p)).filter(|p| !p.is_empty());
            entry.aliases = entry.aliases.iter().map(|a| fold(a)).collect();
            if entry.name.is_empty() || entry.aliases.iter().any(String::is_empty) {
                return Err(GazetteerError::EmptyName);
            }
            let index = list.len();
            if by_name.insert(entry.name.clone(), index).is_some() {
                return Err(GazetteerError::Duplicate(entry.name));
            }
            for written in std::iter::once(&entry.name).chain(&entry.aliases) {
                let lookup = written.to_ascii_uppercase();
                if key_of.insert(lookup, index).is_some() {
                    return Err(GazetteerError::Duplicate(written.clone()));
                }
                patterns.push(written.clone());
                pattern_entry.push(index);
            }
            list.push(entry);
        }
        for entry in &list {
            if let Some(parent) = &entry.parent
                && !by_name.contains_key(parent)
            {
                return Err(GazetteerError::UnknownParent {
                    name: entry.name.clone(),
                    parent: parent.clone(),
                });
            }
        }
        for (index, entry) in list.iter().enumerate() {
            let mut current = index;
            for _ in 0..=list.len() {
                match list[current].parent.as_ref().map(|p| by_name[p]) {
                    Some(parent) if parent == index => {
                        return Err(GazetteerError::Cycle(entry.name.clone()));
                    }
                    Some(parent) => current = parent,
                    None => break,
                }
            }
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .build(&patterns)
                    .map_err(|e| GazetteerError::Matcher(e.to_string()))?,
            )
        };
        Ok(Gazetteer {
            entries: list,
            by_name,
            pattern_entry,
            matcher,
        })
    }

    /// All entries, in the order given.
    pub fn entries(&self) -> &[GazetteerEntry] {
        &self.entries
    }

    /// The entry of a canonical name.
    pub fn get(&self, name: &str) -> Option<&GazetteerEntry> {
        self.by_name.get(&fold(name)).map(|&i| &self.entries[i])
    }

    /// The entry itself, then its parent, its parent's parent… up to the top.
    pub fn lineage<'g>(&'g self, name: &str) -> impl Iterator<Item = &'g GazetteerEntry> + 'g {
        let mut next = self.by_name.get(&fold(name)).copied();
        std::iter::from_fn(move || {
            let entry = &self.entries[next?];
            next = entry
                .parent
                .as_ref()
                .and_then(|p| self.by_name.get(p).copied());
            Some(entry)
        })
    }

    /// The places `text` names. The text is folded first (see [`fold`]); spans are byte
    /// ranges into the folded text. Gazetteer names (and aliases) are matched first,
    /// leftmost-longest; the rest of the text is scanned for names by their ending.
    /// A gazetteer match also fills in the levels above it from its parents when the text
    /// does not name them.
    pub fn extract(&self, text: &str) -> PlaceMention {
        self.extract_folded(&fold(text))
    }

    /// Like [`extract`](Self::extract) for a text that is already folded; spans are byte
    /// ranges into `folded` itself.
    pub fn extract_folded(&self, folded: &str) -> PlaceMention {
        let mut spans: Vec<PlaceSpan> = Vec::new();
        if let Some(matcher) = &self.matcher {
            for m in matcher.find_iter(folded) {
                // An ASCII code must not be glued to more ASCII (`A3区` inside `BA3区`).
                let glued = folded[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && folded[m.start()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                if glued {
                    continue;
                }
                let entry = &self.entries[self.pattern_entry[m.pattern().as_usize()]];
                spans.push(PlaceSpan {
                    start: m.start(),
                    end: m.end(),
                    text: folded[m.start()..m.end()].to_string(),
                    name: entry.name.clone(),
                    kind: entry.kind,
                    source: PlaceSource::Gazetteer,
                });
            }
        }
        let taken: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        for found in pattern::scan(folded, &taken) {
            let text = folded[found.start..found.end].to_string();
            spans.push(PlaceSpan {
                start: found.start,
                end: found.end,
                name: text.clone(),
                text,
                kind: found.kind,
                source: PlaceSource::Pattern,
            });
        }
        spans.sort_by_key(|s| s.start);
        self.assemble(spans)
    }

    /// Fills the levels of a mention from its spans, first name per level winning, then
    /// the missing levels from the parents of gazetteer names.
    fn assemble(&self, spans: Vec<PlaceSpan>) -> PlaceMention {
        let mut mention = PlaceMention::default();
        for span in &spans {
            let mut kind = span.kind;
            // A second city after the first one is a county-level city (县级市).
            if kind == PlaceKind::City
                && span.source == PlaceSource::Pattern
                && mention.city.as_ref().is_some_and(|c| *c != span.name)
            {
                kind = PlaceKind::District;
            }
            place(&mut mention, kind, &span.name);
        }
        for span in spans.iter().filter(|s| s.source == PlaceSource::Gazetteer) {
            for ancestor in self.lineage(&span.name).skip(1) {
                fill_level(&mut mention, ancestor.kind, &ancestor.name);
            }
        }
        mention.spans = spans;
        mention
    }
}

fn place(mention: &mut PlaceMention, kind: PlaceKind, name: &str) {
    let list = match kind {
        PlaceKind::Estate => &mut mention.estates,
        PlaceKind::Road => &mut mention.roads,
        PlaceKind::Other => &mut mention.others,
        _ => return fill_level(mention, kind, name),
    };
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

fn fill_level(mention: &mut PlaceMention, kind: PlaceKind, name: &str) {
    let slot = match kind {
        PlaceKind::Province => &mut mention.province,
        PlaceKind::City => &mut mention.city,
        PlaceKind::District => &mut mention.district,
        PlaceKind::Street => &mut mention.street,
        PlaceKind::Community => &mut mention.community,
        // Sites above another site (an estate inside an estate) are listed, not levels.
        PlaceKind::Estate | PlaceKind::Road | PlaceKind::Other => {
            return place(mention, kind, name);
        }
    };
    if slot.is_none() {
        *slot = Some(name.to_string());
    }
}
