//! Pattern-based place names (地名规则识别): names not in the gazetteer, recognized by their
//! ending (…小区, …路, …街道) and the name-like words written just before it, plus the
//! anonymized administrative codes of the published data (`A市`, `A3区`, `K9县`).

use jieba_rs::Jieba;

use super::kind::{PlaceKind, is_generic, suffix_kind};
use crate::normalize::is_punctuation;

/// A name found by pattern: byte range into the folded text and its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: PlaceKind,
}

/// The tagger shared by every pattern scan: the default jieba, which has part-of-speech tags.
pub(crate) fn tagger() -> &'static Jieba {
    crate::segment::default_jieba()
}

/// Words that never belong to a place name, even when tagged as nouns.
const STOP: &[&str] = &[
    "物业",
    "业主",
    "居民",
    "政府",
    "学校",
    "公司",
    "单位",
    "部门",
    "周边",
    "附近",
    "市民",
    "住户",
    "开发商",
    "领导",
    "书记",
    "市长",
    "区长",
    "县长",
    "问题",
    "情况",
    "工作",
    "旁边",
    "门口",
    "对面",
    "里面",
    "外面",
    "这个",
    "那个",
    "我们",
    "本人",
    "群众",
    "百姓",
    "老百姓",
    "家长",
    "学生",
    "老师",
    "村民",
    "网友",
    "投诉",
    "举报",
    "反映",
    "咨询",
    "建议",
    "关于",
    "请问",
    "希望",
    "要求",
    "请求",
    "现在",
    "目前",
    "今年",
    "去年",
    "每天",
    "晚上",
    "夜间",
    "凌晨",
    "白天",
    "整个",
    "所有",
    "部分",
    "一些",
    "全体",
    "城管",
    "交警",
    "派出所",
    "街道办",
    "居委会",
    "村委会",
    "管理处",
    "相关",
    "有关",
    "新建",
    "建设",
    "小区",
    "社区",
    "地方",
    "区域",
    "位置",
    "地段",
    "路段",
    "一带",
    "里",
    "内",
    "外",
    "中",
    "上",
    "下",
    "前",
    "后",
];

/// Characters the tagger sometimes glues before a name.
const LEADING_JUNK: &[char] = &[
    '与', '及', '的', '在', '至', '到', '往', '从', '于', '是', '经',
];

/// Direction words that often start a road name (城南路, 东四路).
const DIRECTIONS: &[&str] = &["东", "西", "南", "北", "东南", "东北", "西南", "西北", "中"];

struct Token<'a> {
    word: &'a str,
    tag: &'a str,
    start: usize,
    end: usize,
}

fn is_boundary(word: &str) -> bool {
    word.chars()
        .all(|c| c.is_whitespace() || is_punctuation(c) || c.is_control())
}

/// May a word of this tag stand inside a place name? `adjacent` is true for the word
/// written right before the ending.
fn name_like(token: &Token<'_>, admin: bool, adjacent: bool) -> bool {
    if STOP.contains(&token.word) || is_boundary(token.word) {
        return false;
    }
    if token.word.ends_with('线') || token.word.ends_with('号') {
        return false; // 3号线, 39号: a line or a house number, not a name
    }
    let tag = token.tag;
    if token.word == "之" {
        return !admin;
    }
    if admin {
        return matches!(tag, "ns" | "x" | "nz" | "j" | "eng");
    }
    tag.starts_with('n')
        || matches!(tag, "x" | "eng" | "m" | "j" | "s")
        || (tag == "f" && DIRECTIONS.contains(&token.word))
        || (adjacent && matches!(tag, "a" | "b" | "an" | "vn"))
}

/// Anonymized administrative codes: ASCII letters, optional digits, then 市/区/县/省, not
/// preceded by another ASCII letter or digit (`A市`, `A3区`, `K9县`). A code with digits
/// followed by 市 (`A9市`) is a county-level city, so of district level.
///
/// Codes nest: the districts of city `A市` are `A1区`, `A7县`…, written with the city's
/// letters. A district-level code whose letters differ from those of a code written before
/// it in the same text, and that does not follow that code directly (`A市B3区` does), is a
/// building or zone of an estate (`A市…青禾湾K9县`), not a district.
fn scan_codes(text: &str, found: &mut Vec<Found>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // The letters of the first code written: the scheme the text's codes follow.
    let mut scheme: Option<String> = None;
    // Where the last code ended (a char index): a code right after it is nested in it.
    let mut after_code = usize::MAX;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        // `奥城E4区` is a zone of an estate, not a district.
        let prev_glued = i > 0
            && (chars[i - 1].1.is_ascii_alphanumeric()
                || "城苑园期栋座幢号楼院".contains(chars[i - 1].1));
        if !c.is_ascii_alphabetic() || prev_glued {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].1.is_ascii_alphabetic() && j - i < 3 {
            j += 1;
        }
        while j < chars.len() && chars[j].1.is_ascii_digit() && j - i < 6 {
            j += 1;
        }
        if let Some(&(pos, ending)) = chars.get(j) {
            let has_digit = chars[i..j].iter().any(|(_, c)| c.is_ascii_digit());
            let kind = match ending {
                // `A市` is the prefecture city, `A9市` a county-level city under it.
                '市' if has_digit => Some(PlaceKind::District),
                '市' => Some(PlaceKind::City),
                '区' | '县' => Some(PlaceKind::District),
                '省' => Some(PlaceKind::Province),
                _ => None,
            };
            let letters: String = chars[i..j]
                .iter()
                .map(|(_, c)| *c)
                .filter(char::is_ascii_alphabetic)
                .collect();
            let foreign = kind == Some(PlaceKind::District)
                && i != after_code
                && scheme.as_ref().is_some_and(|s| *s != letters);
            if let Some(kind) = kind.filter(|_| !foreign) {
                scheme.get_or_insert(letters);
                after_code = j + 1;
                found.push(Found {
                    start,
                    end: pos + ending.len_utf8(),
                    kind,
                });
                i = j + 1;
                continue;
            }
        }
        i = j.max(i + 1);
    }
}

/// Finds place names by pattern in `text` (already folded), skipping the byte ranges in
/// `taken` (names the gazetteer already found). Returns them in text order.
pub(crate) fn scan(text: &str, taken: &[(usize, usize)]) -> Vec<Found> {
    let mut found = Vec::new();
    scan_codes(text, &mut found);
    found.retain(|f| !overlaps(taken, f.start, f.end));

    let mut blocked: Vec<(usize, usize)> = taken.to_vec();
    blocked.extend(found.iter().map(|f| (f.start, f.end)));
    blocked.sort_unstable();
    // Tag each stretch between known names on its own, so that no word straddles a name
    // (`A3区谷园路` must not yield the word `区谷`).
    let mut tokens: Vec<Token<'_>> = Vec::new();
    let mut from = 0;
    for &(start, end) in blocked
        .iter()
        .chain(std::iter::once(&(text.len(), text.len())))
    {
        if start > from {
            let piece = &text[from..start];
            for t in tagger().tag(piece, true) {
                split_unknown(
                    Token {
                        word: t.word,
                        tag: t.tag,
                        start: from + t.byte_start,
                        end: from + t.byte_end,
                    },
                    &mut tokens,
                );
            }
        }
        from = from.max(end);
    }
    let is_blocked = |blocked: &[(usize, usize)], t: &Token<'_>| overlaps(blocked, t.start, t.end);
    // Tokens are contiguous within a stretch; a gap between two means a known name.
    let contiguous = |a: &Token<'_>, b: &Token<'_>| a.end == b.start;

    for i in 0..tokens.len() {
        let token = &tokens[i];
        if is_blocked(&blocked, token) {
            continue;
        }
        // `…路口` names the road: keep the `路` and leave the `口`.
        let (word, end) = match token.word.strip_suffix('口') {
            Some(road) if road.ends_with('路') => (road, token.end - '口'.len_utf8()),
            _ => (token.word, token.end),
        };
        let Some((suffix, kind)) = suffix_kind(word) else {
            continue;
        };
        // `翠湖苑` + `小区`: a bare ending right after a name of the same level completes it.
        if word == suffix
            && kind == PlaceKind::Estate
            && let Some(last) = found.last_mut()
            && last.kind == kind
            && last.end == token.start
        {
            if let Some(range) = blocked.iter_mut().find(|r| r.1 == token.start) {
                range.1 = end;
            }
            last.end = end;
            continue;
        }
        let admin = matches!(
            kind,
            PlaceKind::City | PlaceKind::District | PlaceKind::Province
        );
        let mut start = token.start;
        let mut used = 0;
        let mut j = i;
        // A generic word (公路, 线路, 新城) does not take a name before it: only a bare
        // ending or a specific name does.
        let reach = if word != suffix && is_generic(word) {
            0
        } else {
            4
        };
        while j > 0 && used < reach {
            let prev = &tokens[j - 1];
            if is_blocked(&blocked, prev)
                || !contiguous(prev, &tokens[j])
                || ends_like_place(prev.word)
                || !name_like(prev, admin, j == i)
                || text[prev.start..end].chars().count() > 10
            {
                break;
            }
            start = prev.start;
            used += 1;
            j -= 1;
        }
        // Function words glued to a name by the tagger (`与麓松路`) are not part of it.
        while let Some(c) = text[start..end].chars().next() {
            if !LEADING_JUNK.contains(&c)
                || text[start..end].chars().count() <= suffix.chars().count() + 2
            {
                break;
            }
            start += c.len_utf8();
        }
        let name = &text[start..end];
        const COMMON_ENDS: &[&str] = &["道路", "公路", "马路", "铁路", "线路", "城市"];
        if is_generic(name)
            || name == suffix
            || name.starts_with('之')
            || COMMON_ENDS.iter().any(|e| name.ends_with(e))
        {
            continue;
        }
        let core = &name[..name.len() - suffix.len()];
        if is_generic(core) {
            continue; // 新城小区 with its real name lost: better none than a wrong one
        }
        if !admin && core.is_ascii() {
            continue; // 6路 is a bus line, 500kV线路 a power line
        }
        if used == 0 && word != suffix {
            // A whole dictionary word ending like a place (进城, 长城, 上街): keep only
            // words tagged as names or unknown to the dictionary.
            let named = matches!(token.tag, "ns" | "nz" | "nt" | "x" | "eng" | "j");
            if !named {
                continue;
            }
        }
        let ascii_code = text[start.min(token.start)..token.start]
            .chars()
            .any(|c| c.is_ascii_alphanumeric());
        if admin
            && (ascii_code || used == 0 && word == suffix || word != suffix && token.tag != "ns")
        {
            continue;
        }
        blocked.push((start, end));
        found.push(Found { start, end, kind });
    }
    found.sort_by_key(|f| f.start);
    found
}

/// Single-character endings the tagger's guessed words sometimes swallow (`镇金鼎村`,
/// `路能`).
const SPLIT_AT: &[char] = &['镇', '乡', '村', '路', '街', '巷', '县', '区', '市', '苑'];

/// Splits a word unknown to the dictionary after each ending inside it, so that `春华镇金鼎村`
/// tagged as `春华/镇金鼎村` becomes `春华/镇/金鼎村`. The parts are tagged `x` (unknown).
fn split_unknown<'a>(token: Token<'a>, out: &mut Vec<Token<'a>>) {
    let inner = token
        .word
        .char_indices()
        .filter(|&(i, c)| SPLIT_AT.contains(&c) && i + c.len_utf8() < token.word.len())
        .map(|(i, c)| i + c.len_utf8())
        .collect::<Vec<_>>();
    if inner.is_empty() || in_dictionary(token.word) {
        out.push(token);
        return;
    }
    let mut from = 0;
    for cut in inner.into_iter().chain(std::iter::once(token.word.len())) {
        out.push(Token {
            word: &token.word[from..cut],
            tag: "x",
            start: token.start + from,
            end: token.start + cut,
        });
        from = cut;
    }
}

/// True when the dictionary itself holds `word` (not a guess of the HMM).
fn in_dictionary(word: &str) -> bool {
    let cut = tagger().cut(word, false);
    cut.len() == 1 && cut[0].word == word
}

/// A word that is itself a specific place name (`云栖路`), where a name before an ending
/// cannot reach back through.
fn ends_like_place(word: &str) -> bool {
    suffix_kind(word).is_some_and(|(suffix, _)| {
        if word == suffix {
            suffix != "城" // a bare ending ends a name, but 春风之城 goes on
        } else {
            !is_generic(word)
        }
    })
}

fn overlaps(ranges: &[(usize, usize)], start: usize, end: usize) -> bool {
    ranges.iter().any(|&(s, e)| start < e && s < end)
}
