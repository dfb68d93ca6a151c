//! What a search asks for ([`SearchQuery`], [`SearchFilters`]) and how the user's text becomes
//! a tantivy query.
//!
//! The query language is small and forgiving: plain Chinese text needs no syntax.
//!
//! - `小区 停水` — words separated by spaces must all match (in any ranked field).
//! - `小区停水` — a run of text is cut into words; all must match when there are up to
//!   four, otherwise 70% of them (so a pasted sentence still finds its appeal).
//! - `"暖气不热"` (also `“…”`, `「…」`) — a phrase: the words in this order.
//! - `路灯 OR 井盖`, `路灯 AND 不亮`, `NOT 施工`, `-施工`, parentheses.
//! - A run of 8 or more digits also matches the appeal number.
//!
//! Anything that cannot be understood — an unclosed quote or parenthesis, an operator without
//! a word, only exclusions — is a [`SearchError::BadQuery`] with a message saying what to fix.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use chrono::{DateTime, Utc};
use jiesu_domain::kinds::{AppealType, Channel};
use jiesu_domain::status::Status;
use jiesu_text::normalize::normalize;
use serde::{Deserialize, Serialize};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery,
    Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::document::Fields;
use crate::error::SearchError;

/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Deepest nesting of parentheses accepted.
const MAX_DEPTH: usize = 8;
/// Runs of text with more words than this need only [`SOFT_MATCH`] of them.
const ALL_WORDS_UP_TO: usize = 4;
const SOFT_MATCH: f32 = 0.7;
/// Longest word tried when re-cutting a query against the index's vocabulary.
const MAX_WORD_CHARS: usize = 6;
/// How much a whole-field match outweighs the others when one word matches several fields.
const TIE_BREAKER: f32 = 0.2;

/// A search request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// The user's text; empty lists the filtered appeals newest first.
    pub text: String,
    pub filters: SearchFilters,
    pub offset: usize,
    /// Hits per page; 0 means the default (20), more than 100 is refused.
    pub limit: usize,
}

/// Filters that restrict, never rank.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchFilters {
    /// Created at or after.
    pub from: Option<DateTime<Utc>>,
    /// Created before (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// Only appeals where one of these bodies is the lead or a co-body; `Some(vec![])`
    /// matches nothing (a caller who may see no body sees no appeal). `None`: any body.
    pub bodies: Option<Vec<i64>>,
    /// First category level, e.g. `城乡建设`.
    pub category_l1: Option<String>,
    /// Status codes (`handling`) or labels (`办理中`); empty: any status.
    pub status: Vec<String>,
    pub district: Option<String>,
    /// Channel label (`热线`).
    pub channel: Option<String>,
    /// Appeal type label (`投诉`).
    pub appeal_type: Option<String>,
}

/// The parsed user query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A run of text without spaces, cut into words.
    Words(String),
    /// A quoted phrase.
    Phrase(String),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    Open,
    Close,
    Quoted(String),
    And,
    Or,
    Not,
    Word(String),
}

fn closing_quote(open: char) -> &'static [char] {
    match open {
        '“' => &['”', '"'],
        '「' => &['」'],
        '『' => &['』'],
        '＂' => &['＂', '"'],
        '”' => &['”'],
        _ => &['"', '”'],
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '「' | '『' | '＂')
}

fn is_break(c: char) -> bool {
    c.is_whitespace() || is_quote(c) || matches!(c, '(' | ')' | '（' | '）')
}

fn lex(text: &str) -> Result<Vec<Lexeme>, SearchError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' | '（' => {
                out.push(Lexeme::Open);
                i += 1;
            }
            ')' | '）' => {
                out.push(Lexeme::Close);
                i += 1;
            }
            c if is_quote(c) => {
                let close = closing_quote(c);
                let Some(len) = chars[i + 1..].iter().position(|x| close.contains(x)) else {
                    return Err(SearchError::bad(format!(
                        "引号不成对：「{c}」没有对应的结束引号"
                    )));
                };
                out.push(Lexeme::Quoted(chars[i + 1..i + 1 + len].iter().collect()));
                i += len + 2;
            }
            '-' | '－' => {
                // A leading minus excludes what follows it; a lone minus means nothing.
                if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
                    out.push(Lexeme::Not);
                }
                i += 1;
            }
            _ => {
                let len = chars[i..]
                    .iter()
                    .position(|&x| is_break(x))
                    .unwrap_or(chars.len() - i);
                let word: String = chars[i..i + len].iter().collect();
                out.push(match word.as_str() {
                    "AND" | "&&" => Lexeme::And,
                    "OR" | "||" => Lexeme::Or,
                    "NOT" => Lexeme::Not,
                    _ => Lexeme::Word(word),
                });
                i += len;
            }
        }
    }
    Ok(out)
}

struct Parser {
    lexemes: Vec<Lexeme>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.pos)
    }

    fn at_operand(&self) -> bool {
        matches!(
            self.peek(),
            Some(Lexeme::Open | Lexeme::Quoted(_) | Lexeme::Word(_) | Lexeme::Not)
        )
    }

    fn or(&mut self) -> Result<Node, SearchError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Lexeme::Or) {
            self.pos += 1;
            if !self.at_operand() {
                return Err(SearchError::bad("“OR”后面缺少检索词"));
            }
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self) -> Result<Node, SearchError> {
        let mut items = vec![self.unary()?];
        loop {
            if self.peek() == Some(&Lexeme::And) {
                self.pos += 1;
                if !self.at_operand() {
                    return Err(SearchError::bad("“AND”后面缺少检索词"));
                }
            } else if !self.at_operand() {
                break;
            }
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::And(items)
        })
    }

    fn unary(&mut self) -> Result<Node, SearchError> {
        if self.peek() == Some(&Lexeme::Not) {
            self.pos += 1;
            if !self.at_operand() {
                return Err(SearchError::bad("“NOT”或“-”后面缺少要排除的词"));
            }
            return Ok(Node::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, SearchError> {
        let lexeme = self.peek().cloned();
        self.pos += 1;
        match lexeme {
            Some(Lexeme::Open) => {
                if self.peek() == Some(&Lexeme::Close) {
                    return Err(SearchError::bad("括号中没有检索词"));
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(SearchError::bad("括号嵌套层数过多"));
                }
                let node = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&Lexeme::Close) {
                    return Err(SearchError::bad("括号不成对：缺少“)”"));
                }
                self.pos += 1;
                Ok(node)
            }
            Some(Lexeme::Quoted(s)) => Ok(Node::Phrase(s)),
            Some(Lexeme::Word(s)) => Ok(Node::Words(s)),
            Some(Lexeme::Close) => Err(SearchError::bad("括号不成对：多了一个“)”")),
            Some(Lexeme::And | Lexeme::Or) => Err(SearchError::bad("“AND”“OR”的前面缺少检索词")),
            Some(Lexeme::Not) | None => Err(SearchError::bad("检索式不完整")),
        }
    }
}

/// Parses the user's text; `None` when it holds nothing at all.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, SearchError> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::bad(format!(
            "检索词过长，请不要超过 {MAX_QUERY_CHARS} 个字"
        )));
    }
    let lexemes = lex(text)?;
    if lexemes.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser {
        lexemes,
        pos: 0,
        depth: 0,
    };
    let node = parser.or()?;
    if parser.pos < parser.lexemes.len() {
        return Err(SearchError::bad("括号不成对：多了一个“)”"));
    }
    Ok(Some(node))
}

/// Function words that say nothing about what an appeal is about.
pub(crate) fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "的" | "了"
            | "和"
            | "是"
            | "在"
            | "我"
            | "有"
            | "也"
            | "就"
            | "都"
            | "而"
            | "及"
            | "与"
            | "着"
            | "或"
            | "把"
            | "被"
            | "这"
            | "那"
            | "吗"
            | "呢"
            | "吧"
            | "啊"
            | "请"
            | "我们"
            | "你们"
            | "他们"
            | "一个"
            | "没有"
            | "这个"
            | "那个"
            | "希望"
            | "问题"
            | "反映"
            | "市民"
    )
}

/// The tokens of one whole word: the word and the sub-words inside it.
#[derive(Debug, Clone)]
pub(crate) struct WordGroup {
    /// The longest token: the whole word.
    pub word: String,
    /// Shorter dictionary words inside it that together cover it (empty if they do not).
    pub parts: Vec<String>,
    /// Every token of the group, for highlighting.
    pub all: Vec<String>,
}

/// Cuts `text` with the index's analyzer and groups the tokens by position.
pub(crate) fn word_groups(analyzer: &TextAnalyzer, text: &str) -> Vec<WordGroup> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut raw: Vec<Vec<(String, usize, usize)>> = Vec::new();
    let mut last_position = usize::MAX;
    while let Some(t) = stream.next() {
        if t.position != last_position || raw.is_empty() {
            raw.push(Vec::new());
            last_position = t.position;
        }
        if let Some(group) = raw.last_mut() {
            group.push((t.text.clone(), t.offset_from, t.offset_to));
        }
    }
    raw.into_iter()
        .filter_map(|tokens| {
            let (word, from, to) = tokens.iter().max_by_key(|(_, f, t)| t - f).cloned()?;
            let mut parts: Vec<(String, usize, usize)> = tokens
                .iter()
                .filter(|(w, f, t)| (*f, *t) != (from, to) || *w != word)
                .cloned()
                .collect();
            parts.sort_by_key(|p| (p.1, p.2));
            let mut covered = from;
            for (_, f, t) in &parts {
                if *f <= covered {
                    covered = covered.max(*t);
                }
            }
            let all: Vec<String> = tokens.iter().map(|t| t.0.clone()).collect();
            let parts = if covered >= to && !parts.is_empty() {
                parts.into_iter().map(|p| p.0).collect()
            } else {
                Vec::new()
            };
            Some(WordGroup { word, parts, all })
        })
        .collect()
}

/// Clauses of a boolean query.
pub(crate) type Clauses = Vec<(Occur, Box<dyn Query>)>;

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// A compiled clause: something to require, or something to exclude.
enum Clause {
    Include(Box<dyn Query>),
    Exclude(Box<dyn Query>),
}

/// A compiled user query and the words to highlight in its hits.
pub(crate) struct Compiled {
    pub query: Box<dyn Query>,
    pub highlight: BTreeSet<String>,
}

pub(crate) struct Compiler<'a> {
    fields: &'a Fields,
    analyzer: &'a TextAnalyzer,
    searcher: &'a Searcher,
    known: HashMap<String, bool>,
    highlight: BTreeSet<String>,
}

impl<'a> Compiler<'a> {
    pub fn new(fields: &'a Fields, analyzer: &'a TextAnalyzer, searcher: &'a Searcher) -> Self {
        Compiler {
            fields,
            analyzer,
            searcher,
            known: HashMap::new(),
            highlight: BTreeSet::new(),
        }
    }

    /// True if some appeal has `word` as a token in a searched field.
    fn known(&mut self, word: &str) -> bool {
        if let Some(&known) = self.known.get(word) {
            return known;
        }
        let known = [self.fields.text, self.fields.title]
            .into_iter()
            .any(|field| {
                self.searcher
                    .doc_freq(&Term::from_field_text(field, word))
                    .is_ok_and(|df| df > 0)
            });
        self.known.insert(word.to_string(), known);
        known
    }

    /// The words of a run of query text, as jieba cuts it, unless some of them occur in no
    /// appeal; then as [`Compiler::vocabulary_cut`] cuts it.
    fn query_words(&mut self, text: &str) -> Vec<WordGroup> {
        let groups = word_groups(self.analyzer, text);
        let words: Vec<String> = groups.iter().map(|g| g.word.clone()).collect();
        if words.iter().all(|w| self.known(w)) {
            return groups;
        }
        let vocabulary = self.vocabulary_cut(text);
        if vocabulary.is_empty() {
            groups
        } else {
            vocabulary
        }
    }

    /// jieba cuts a short query without the context a document gives it, so the two can
    /// disagree (`路灯不亮` alone may become `路 / 灯不亮` while most documents have
    /// `路灯 … 不亮`). This second cut uses the index's own vocabulary: forward maximum
    /// matching over the Chinese characters, dropping single characters no appeal has;
    /// other characters go through the analyzer.
    fn vocabulary_cut(&mut self, text: &str) -> Vec<WordGroup> {
        let chars: Vec<char> = normalize(text).chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let run = chars[i..]
                .iter()
                .take_while(|c| is_cjk(**c) == is_cjk(chars[i]))
                .count();
            if !is_cjk(chars[i]) {
                let piece: String = chars[i..i + run].iter().collect();
                out.extend(word_groups(self.analyzer, &piece));
                i += run;
                continue;
            }
            let mut len = run.min(MAX_WORD_CHARS);
            while len > 1 && !self.known(&chars[i..i + len].iter().collect::<String>()) {
                len -= 1;
            }
            let word: String = chars[i..i + len].iter().collect();
            if len > 1 || self.known(&word) {
                out.push(WordGroup {
                    all: vec![word.clone()],
                    word,
                    parts: Vec::new(),
                });
            }
            i += len;
        }
        out
    }

    /// Compiles the whole query; refuses one that has nothing to look for.
    pub fn compile(mut self, node: &Node) -> Result<Compiled, SearchError> {
        match self.clause(node, false)? {
            Some(Clause::Include(query)) => Ok(Compiled {
                query,
                highlight: self.highlight,
            }),
            Some(Clause::Exclude(_)) => Err(only_exclusions()),
            None => Err(SearchError::bad("检索词中没有可以查找的词语，请换一种说法")),
        }
    }

    fn clause(&mut self, node: &Node, negated: bool) -> Result<Option<Clause>, SearchError> {
        Ok(match node {
            Node::Words(text) => self.words(text, negated).map(Clause::Include),
            Node::Phrase(text) => self.phrase(text, negated).map(Clause::Include),
            Node::Not(inner) => match self.clause(inner, !negated)? {
                Some(Clause::Include(q)) => Some(Clause::Exclude(q)),
                Some(Clause::Exclude(q)) => Some(Clause::Include(q)),
                None => None,
            },
            Node::And(items) => {
                let mut clauses = Vec::new();
                let mut includes = 0;
                for item in items {
                    match self.clause(item, negated)? {
                        Some(Clause::Include(q)) => {
                            includes += 1;
                            clauses.push((Occur::Must, q));
                        }
                        Some(Clause::Exclude(q)) => clauses.push((Occur::MustNot, q)),
                        None => {}
                    }
                }
                match (includes, clauses.len()) {
                    (_, 0) => None,
                    (0, _) => return Err(only_exclusions()),
                    (1, 1) => clauses.pop().map(|(_, q)| Clause::Include(q)),
                    _ => Some(Clause::Include(Box::new(BooleanQuery::new(clauses)))),
                }
            }
            Node::Or(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    match self.clause(item, negated)? {
                        Some(Clause::Include(q)) => clauses.push((Occur::Should, q)),
                        Some(Clause::Exclude(_)) => {
                            return Err(SearchError::bad("“OR”的两边不能是排除条件（NOT 或 -）"));
                        }
                        None => {}
                    }
                }
                match clauses.len() {
                    0 => None,
                    1 => clauses.pop().map(|(_, q)| Clause::Include(q)),
                    _ => Some(Clause::Include(Box::new(BooleanQuery::new(clauses)))),
                }
            }
        })
    }

    fn words(&mut self, text: &str, negated: bool) -> Option<Box<dyn Query>> {
        // Of jieba's cut and the vocabulary cut (see `vocabulary_cut`), ask for the one with
        // fewer stray pieces (single characters, words no appeal has); highlight both.
        let jieba = word_groups(self.analyzer, text);
        let mut groups = jieba.clone();
        if text.chars().any(is_cjk) {
            let vocabulary = self.vocabulary_cut(text);
            if !vocabulary.is_empty() && self.stray_pieces(&vocabulary) < self.stray_pieces(&jieba)
            {
                groups = vocabulary;
            }
        }
        if !negated {
            for g in &jieba {
                self.highlight.extend(g.all.iter().cloned());
            }
        }
        let words = self.all_words(groups, negated);
        let digits = text.trim();
        if digits.len() >= 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let number: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.number, digits),
                    IndexRecordOption::Basic,
                )),
                10.0,
            ));
            let mut either = vec![(Occur::Should, number)];
            either.extend(words.map(|w| (Occur::Should, w)));
            return Some(Box::new(BooleanQuery::new(either)));
        }
        words
    }

    fn stray_pieces(&mut self, groups: &[WordGroup]) -> usize {
        groups
            .iter()
            .filter(|g| g.word.chars().count() < 2 || !self.known(&g.word))
            .count()
    }

    /// All of `groups` (or most of them, when there are many), stop words left out.
    fn all_words(&mut self, mut groups: Vec<WordGroup>, negated: bool) -> Option<Box<dyn Query>> {
        if groups.iter().any(|g| !is_stop_word(&g.word)) {
            groups.retain(|g| !is_stop_word(&g.word));
        }
        if !negated {
            for g in &groups {
                self.highlight.extend(g.all.iter().cloned());
            }
        }
        let mut clauses: Vec<Box<dyn Query>> = groups.iter().map(|g| self.group(g)).collect();
        match clauses.len() {
            0 => None,
            1 => clauses.pop(),
            n if n <= ALL_WORDS_UP_TO => Some(Box::new(BooleanQuery::new(
                clauses.into_iter().map(|q| (Occur::Must, q)).collect(),
            ))),
            n => Some(Box::new(BooleanQuery::with_minimum_required_clauses(
                clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
                ((n as f32) * SOFT_MATCH).ceil() as usize,
            ))),
        }
    }

    /// One whole word: the word itself, or all of its parts (when the document's cut
    /// differs from the query's).
    fn group(&self, group: &WordGroup) -> Box<dyn Query> {
        let whole = self.term(&group.word);
        if group.parts.is_empty() {
            return whole;
        }
        let parts = BooleanQuery::new(
            group
                .parts
                .iter()
                .map(|p| (Occur::Must, self.term(p)))
                .collect(),
        );
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(whole, 1.2)) as Box<dyn Query>,
            ),
            (Occur::Should, Box::new(parts)),
        ]))
    }

    /// One word in any ranked field.
    pub fn term(&self, word: &str) -> Box<dyn Query> {
        let per_field = self
            .fields
            .ranked()
            .iter()
            .map(|&(field, boost)| {
                boosted(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, word),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                )
            })
            .collect();
        Box::new(DisjunctionMaxQuery::with_tie_breaker(
            per_field,
            TIE_BREAKER,
        ))
    }

    fn phrase(&mut self, text: &str, negated: bool) -> Option<Box<dyn Query>> {
        let groups = self.query_words(text);
        if !negated {
            self.highlight.extend(groups.iter().map(|g| g.word.clone()));
        }
        match groups.len() {
            0 => None,
            1 => Some(self.term(&groups[0].word)),
            _ => {
                let per_field = self
                    .fields
                    .ranked()
                    .iter()
                    .map(|&(field, boost)| {
                        let terms = groups
                            .iter()
                            .enumerate()
                            .map(|(i, g)| (i, Term::from_field_text(field, &g.word)))
                            .collect();
                        boosted(Box::new(PhraseQuery::new_with_offset(terms)), boost)
                    })
                    .collect();
                Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                    per_field,
                    TIE_BREAKER,
                )))
            }
        }
    }
}

fn only_exclusions() -> SearchError {
    SearchError::bad("不能只有排除条件（NOT 或 -），请同时写上要查找的词")
}

pub(crate) fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

/// A filter that restricts without changing scores.
pub(crate) fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

fn text_term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value.trim()),
        IndexRecordOption::Basic,
    ))
}

/// The filter clauses of `filters`; unknown status, channel or type values are refused.
pub(crate) fn filter_clauses(
    fields: &Fields,
    filters: &SearchFilters,
) -> Result<Clauses, SearchError> {
    let mut out = Vec::new();
    if filters.from.is_some() || filters.to.is_some() {
        if let (Some(from), Some(to)) = (filters.from, filters.to)
            && from >= to
        {
            return Err(SearchError::bad("开始时间须早于结束时间"));
        }
        out.push(filter(created_range(
            fields,
            filters.from.map(|t| t.timestamp_millis()),
            filters.to.map(|t| t.timestamp_millis()),
        )));
    }
    if let Some(bodies) = &filters.bodies {
        if bodies.is_empty() {
            out.push(filter(Box::new(EmptyQuery)));
        } else {
            out.push(filter(Box::new(TermSetQuery::new(
                bodies.iter().map(|b| Term::from_field_i64(fields.body, *b)),
            ))));
        }
    }
    if !filters.status.is_empty() {
        let codes = filters
            .status
            .iter()
            .map(|s| {
                Status::from_code(s.trim())
                    .map(|st| Term::from_field_text(fields.status, st.code()))
                    .ok_or_else(|| SearchError::bad(format!("未知的办理状态「{s}」")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(filter(Box::new(TermSetQuery::new(codes))));
    }
    for (field, value) in [
        (fields.category, &filters.category_l1),
        (fields.district, &filters.district),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            out.push(filter(text_term(field, value)));
        }
    }
    if let Some(channel) = filters.channel.as_deref().filter(|v| !v.trim().is_empty()) {
        let channel = Channel::parse(channel)
            .map_err(|_| SearchError::bad(format!("未知的受理渠道「{channel}」")))?;
        out.push(filter(text_term(fields.channel, channel.label())));
    }
    if let Some(kind) = filters
        .appeal_type
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        let kind = AppealType::parse(kind)
            .map_err(|_| SearchError::bad(format!("未知的诉求类型「{kind}」")))?;
        out.push(filter(text_term(fields.appeal_type, kind.label())));
    }
    Ok(out)
}

/// Appeals created in `[from, to)`, in milliseconds.
pub(crate) fn created_range(fields: &Fields, from: Option<i64>, to: Option<i64>) -> Box<dyn Query> {
    let term = |ms: i64| Term::from_field_i64(fields.created, ms);
    Box::new(RangeQuery::new(
        from.map_or(Bound::Unbounded, |ms| Bound::Included(term(ms))),
        to.map_or(Bound::Unbounded, |ms| Bound::Excluded(term(ms))),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Node {
        Node::Words(s.into())
    }

    #[test]
    fn plain_text_needs_no_syntax() {
        assert_eq!(parse("小区停水").unwrap(), Some(words("小区停水")));
        assert_eq!(
            parse("小区 停水").unwrap(),
            Some(Node::And(vec![words("小区"), words("停水")]))
        );
        assert_eq!(parse("  ").unwrap(), None);
    }

    #[test]
    fn operators_phrases_and_groups() {
        assert_eq!(
            parse("“暖气不热” OR (路灯 -施工)").unwrap(),
            Some(Node::Or(vec![
                Node::Phrase("暖气不热".into()),
                Node::And(vec![words("路灯"), Node::Not(Box::new(words("施工")))]),
            ]))
        );
        assert_eq!(parse("3-2号楼").unwrap(), Some(words("3-2号楼")));
    }

    #[test]
    fn syntax_errors_are_explained() {
        for bad in [
            "\"暖气",
            "(路灯",
            "路灯)",
            "路灯 OR",
            "AND 路灯",
            "NOT",
            "()",
            "((((((((((路灯))))))))))",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.is_bad_query(), "{bad}: {err}");
        }
    }
}
