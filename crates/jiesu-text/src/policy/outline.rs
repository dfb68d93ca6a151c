//! The outline of a document (文件结构): its numbered parts as a tree, each holding the lines
//! written under its numbering until the next accepted numbering.
//!
//! A numbering is accepted only where it continues a list (the number after its previous
//! sibling) or opens one (1 under a part of a higher rank), so a line that happens to start
//! with "34." or "一、" inside running text stays text. A newspaper page holds other articles:
//! a page-turn note (下转…版), a byline (本报讯), a date line or a closing formula ends the
//! document, and text before the first numbering is its preamble.

use super::lines::Line;
use super::marker::{self, Marker};

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub marker: Marker,
    /// The lines under this numbering; the first is the rest of the numbering's own line.
    pub lines: Vec<Line>,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
}

/// The whole document: nodes in reading order, and the roots of each list of top parts.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    pub nodes: Vec<Node>,
    pub roots: Vec<usize>,
}

pub(crate) fn outline(lines: &[Line]) -> Outline {
    let mut outline = Outline::default();
    // Open nodes from the outermost part in.
    let mut open: Vec<usize> = Vec::new();
    // After the end of a document only a new list (1) or a continuation is a numbering.
    let mut state = State::default();
    for line in lines {
        let mut line = line.clone();
        if let Some(rest) = strip_continued_from(&line.text) {
            line.text = rest;
            state.continued = Some(outline.nodes.len());
            if line.text.is_empty() {
                continue;
            }
        }
        if ends_document(&line.text) {
            state.continued = None;
            if is_date_line(&line.text) {
                drop_signature(&mut outline, &open);
            }
            open.clear();
            state.ended = true;
            continue;
        }
        let turn = page_turn(&line.text);
        if let Some(cut) = turn {
            line.text.truncate(cut);
            line.text = line.text.trim_end().to_string();
        }
        place(&mut outline, &mut open, line, &mut state);
        if turn.is_some() {
            open.clear();
            state.ended = true;
        }
    }
    outline
}

/// Adds a line to the outline: a new node when it opens with an accepted numbering, else
/// more text of the innermost open node.
fn place(outline: &mut Outline, open: &mut Vec<usize>, line: Line, state: &mut State) {
    if let Some(marker) = marker::parse(&line.text)
        && let Some(depth) = accepts(outline, open, &marker, state)
    {
        state.ended = false;
        open.truncate(depth);
        let parent = open.last().copied();
        let index = outline.nodes.len();
        let rest = Line {
            text: marker.rest.clone(),
            full: line.full,
        };
        outline.nodes.push(Node {
            marker,
            lines: if rest.text.is_empty() {
                Vec::new()
            } else {
                vec![rest]
            },
            children: Vec::new(),
            parent,
        });
        match parent {
            Some(p) => outline.nodes[p].children.push(index),
            None => outline.roots.push(index),
        }
        open.push(index);
        return;
    }
    append(outline, open, line);
}

/// Where the reading stands between documents.
#[derive(Default)]
struct State {
    /// A note said the text goes on from another page ("上接"): the number of nodes read
    /// before it. The first numbering of each kind after it continues lists begun on the
    /// other page, whatever its number.
    continued: Option<usize>,
    /// The last document ended (page turn, byline, signature).
    ended: bool,
}

fn append(outline: &mut Outline, open: &[usize], line: Line) {
    if let Some(&last) = open.last()
        && !line.text.is_empty()
    {
        outline.nodes[last].lines.push(line);
    }
}

/// Where the new numbering goes: the number of open nodes kept above it, or `None` when it
/// does not continue or open a list there.
fn accepts(outline: &Outline, open: &[usize], marker: &Marker, state: &State) -> Option<usize> {
    let depth = open
        .iter()
        .position(|&i| outline.nodes[i].marker.rank >= marker.rank)
        .unwrap_or(open.len());
    let siblings = match depth.checked_sub(1) {
        Some(d) => &outline.nodes[open[d]].children,
        None => &outline.roots,
    };
    let previous = siblings
        .iter()
        .rev()
        .map(|&i| &outline.nodes[i].marker)
        .find(|m| m.rank == marker.rank);
    let first_since_continued = state.continued.is_some_and(|since| {
        !outline.nodes[since..]
            .iter()
            .any(|n| n.marker.rank == marker.rank)
    });
    if state.ended {
        return (marker.n == 1 || first_since_continued).then_some(depth);
    }
    let follows = match previous {
        Some(prev) => prev.n + 1 == marker.n || (marker.n == 1 && depth == 0),
        None => marker.n == 1 || first_since_continued || numbered_on(outline, marker),
    };
    follows.then_some(depth)
}

/// The issuer's name on the line above a date line signs the document: it is not text of
/// the last measure.
fn drop_signature(outline: &mut Outline, open: &[usize]) {
    if let Some(&last) = open.last() {
        let lines = &mut outline.nodes[last].lines;
        if lines.len() > 1
            && lines.last().is_some_and(|l| {
                l.text.chars().count() <= 30 && !l.text.contains(['。', '，', '；', '：', '！'])
            })
        {
            lines.pop();
        }
    }
}

/// Measures are often numbered on through the parts ((一)–(三) under 二、, (四) under 三、):
/// the number follows the last one of its kind in the same document.
fn numbered_on(outline: &Outline, marker: &Marker) -> bool {
    for node in outline.nodes.iter().rev() {
        if node.marker.rank == marker.rank {
            return node.marker.n + 1 == marker.n;
        }
        if node.parent.is_none() && node.marker.n == 1 {
            return false;
        }
    }
    false
}

/// A page-turn note (下转第4版, 转第2版) ends the text on this page: where it starts.
fn page_turn(text: &str) -> Option<usize> {
    ["（下转", "(下转", "下转第", "（转第", "(转第"]
        .iter()
        .filter_map(|note| text.find(note))
        .min()
}

/// "（上接第1版）" opens the continuation of a document from another page.
fn strip_continued_from(text: &str) -> Option<String> {
    let open = text.find(['（', '('])?;
    if !text[open..].contains("上接") || open > 0 {
        return None;
    }
    let close = text.find(['）', ')'])?;
    Some(text[close + close_len(text, close)..].trim().to_string())
}

fn close_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(0, char::len_utf8)
}

/// Lines that close a document: bylines of the next article, the date line under a
/// signature, closing formulas, attachments.
fn ends_document(text: &str) -> bool {
    const OPENINGS: [&str; 12] = [
        "本报讯",
        "本报记者",
        "新华社",
        "□",
        "■",
        "●",
        "（记者",
        "(记者",
        "责任编辑",
        "编辑：",
        "附件：",
        "附件:",
    ];
    const FORMULAS: [&str; 4] = ["特此通告", "特此通知", "特此公告", "特此函告"];
    OPENINGS.iter().any(|o| text.starts_with(o))
        || FORMULAS.iter().any(|f| text.starts_with(f))
        || is_date_line(text)
        || is_signature(text)
}

/// A signature with its date: "东川市人民政府办公室 2021年9月24日".
fn is_signature(text: &str) -> bool {
    let Some(year) = text.rfind('年') else {
        return false;
    };
    let start = text[..year]
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .len();
    text.chars().count() <= 40
        && start < year
        && start > 0
        && !text.contains(['。', '，', '；', '：'])
        && is_date_line(&text[start..])
}

/// A line that is only a date, maybe in brackets: "（2024年10月12日）".
fn is_date_line(text: &str) -> bool {
    let inner = text.trim_matches(['（', '）', '(', ')', ' ']);
    let Some(year_end) = inner.find('年') else {
        return false;
    };
    inner.ends_with('日')
        && year_end == 4
        && inner[..4].chars().all(|c| c.is_ascii_digit())
        && inner.chars().count() <= 12
        && inner[year_end..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '年' | '月' | '日'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::lines::lines;

    #[test]
    fn numbers_out_of_sequence_stay_text() {
        let text = "一、前言\n坚持\n34.6万名\n二、任务\n（一）加强\n1978.\n（三）不是\n（二）推进";
        let outline = outline(&lines(text));
        let labels: Vec<&str> = outline
            .nodes
            .iter()
            .map(|n| n.marker.label.as_str())
            .collect();
        assert_eq!(labels, ["一、", "二、", "（一）", "（二）"]);
        assert_eq!(outline.nodes[2].lines.len(), 3);
    }

    #[test]
    fn a_page_turn_or_a_byline_ends_the_document() {
        let text = "一、甲\n（一）做好。 （下转4版）\n（二）别的\n本报讯 昨天\n二、乙";
        let outline = outline(&lines(text));
        assert_eq!(outline.nodes[1].lines[0].text, "做好。");
        // What follows the byline is another article: "二、" there continues nothing.
        assert_eq!(outline.nodes.len(), 2);
        assert!(is_date_line("（2024年10月12日）"));
        assert!(!is_date_line("2024年10月12日起施行"));
    }
}
