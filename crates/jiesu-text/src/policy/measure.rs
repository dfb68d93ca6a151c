//! Measures (举措) from an outline: which numbered parts are the units a supervision office
//! follows, their numbering, heading, title and text.
//!
//! A top part (一、) with parts under it is a section and its children are the measures; a
//! part whose own text is only a heading or one lead-in sentence hands over to its children
//! (（一） or 1.) too. Finer items ((1), ①) stay in their measure's text.

use super::lines::{Line, has_sentence_end, join};
use super::outline::{Node, Outline};

/// Headings of parts that state principles rather than measures.
const PRINCIPLES: [&str; 19] = [
    "总体要求",
    "指导思想",
    "基本原则",
    "工作原则",
    "主要目标",
    "工作目标",
    "总体目标",
    "发展目标",
    "目标任务",
    "重要意义",
    "总体思路",
    "工作思路",
    "适用范围",
    "编制依据",
    "基本情况",
    "发展基础",
    "面临形势",
    "形势分析",
    "总体框架",
];
/// Headings of parts whose measures are tracked only when they name a body or a deadline.
const GUARANTEES: [&str; 7] = [
    "组织保障",
    "保障措施",
    "组织实施",
    "工作要求",
    "实施保障",
    "保障机制",
    "工作保障",
];
/// A heading before a colon up to this long stands as the title.
const LEAD_HEADING: usize = 16;
/// Headings longer than this are measures themselves, whatever words they hold.
const SHORT_HEADING: usize = 14;

#[derive(Debug, Clone)]
pub(crate) struct Measure {
    pub number: String,
    pub section: String,
    pub title: String,
    pub text: String,
    /// From a guarantees part: proposed only when it names a body or a deadline.
    pub optional: bool,
}

pub(crate) fn measures(outline: &Outline) -> Vec<Measure> {
    let mut out = Vec::new();
    for &root in &outline.roots {
        visit(outline, root, &Context::default(), &mut out);
    }
    out
}

#[derive(Default)]
struct Context {
    prefix: String,
    section: String,
    optional: bool,
}

fn visit(outline: &Outline, index: usize, context: &Context, out: &mut Vec<Measure>) {
    let node = &outline.nodes[index];
    let heading_lines = heading(&node.lines);
    let title = title(&node.lines, heading_lines);
    if is_one_of(&title, &PRINCIPLES) {
        return;
    }
    let number = format!("{}{}", context.prefix, node.marker.label);
    let optional = context.optional || is_one_of(&title, &GUARANTEES);
    if hands_over(outline, node, heading_lines) {
        let inner = Context {
            prefix: number,
            section: if context.section.is_empty() {
                title
            } else {
                context.section.clone()
            },
            optional,
        };
        for &child in &node.children {
            visit(outline, child, &inner, out);
        }
        return;
    }
    let mut text = paragraphs(&node.lines);
    for &child in &node.children {
        descendants_text(outline, child, &mut text);
    }
    if title.is_empty() && text.is_empty() {
        return;
    }
    out.push(Measure {
        number,
        section: context.section.clone(),
        title,
        text,
        optional,
    });
}

/// Whether a part's children are the measures rather than the part itself.
fn hands_over(outline: &Outline, node: &Node, heading_lines: Option<usize>) -> bool {
    let Some(&first) = node.children.first() else {
        return false;
    };
    if node.parent.is_none() && node.marker.rank == 0 {
        return true;
    }
    let own = paragraphs(&node.lines);
    let sentences = own.matches(['。', '！', '？']).count();
    let heading_only = heading_lines.is_some_and(|h| h == node.lines.len()) || own.is_empty();
    let lead_in = sentences <= 1 && (own.ends_with('：') || own.ends_with(':') || heading_only);
    outline.nodes[first].marker.rank <= 2 && node.children.len() >= 2 && (heading_only || lead_in)
}

fn descendants_text(outline: &Outline, index: usize, text: &mut String) {
    let node = &outline.nodes[index];
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&node.marker.label);
    text.push_str(&paragraphs(&node.lines));
    for &child in &node.children {
        descendants_text(outline, child, text);
    }
}

/// How many of the first lines form a heading standing apart from the text (no sentence in
/// it, and the line ends short of its column or the next line ends the heading).
fn heading(lines: &[Line]) -> Option<usize> {
    let first = lines.first()?;
    if has_sentence_end(&first.text) {
        return None;
    }
    let Some(second) = lines.get(1) else {
        return Some(1);
    };
    let second_ends = !has_sentence_end(&second.text) && (!second.full || lines.len() == 2);
    let first_goes_on = first.full || first.text.ends_with(['，', '、', '—']);
    if lines.len() == 2 && !has_sentence_end(&second.text) && second.text.chars().count() < 30 {
        return Some(2);
    }
    // A paragraph much wider than the line above it is no column: that line stood alone.
    let (w0, w1) = (first.text.chars().count(), second.text.chars().count());
    if !first_goes_on || (w1 * 2 > w0 * 3 && w0 <= 30 && !first.text.ends_with(['，', '、'])) {
        return Some(1);
    }
    if second_ends {
        return Some(2);
    }
    None
}

/// The measure's title: its heading, or else its first sentence; without the brackets and
/// fields naming bodies and deadlines, and without closing punctuation.
fn title(lines: &[Line], heading_lines: Option<usize>) -> String {
    let mut head = String::new();
    match heading_lines {
        Some(n) => lines[..n].iter().for_each(|l| join(&mut head, &l.text)),
        None => {
            lines.iter().for_each(|l| join(&mut head, &l.text));
            if let Some(end) = head.find(['。', '！', '？']) {
                head.truncate(end);
            }
        }
    }
    tidy_title(&head)
}

fn tidy_title(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut group = String::new();
    for ch in text.chars() {
        match ch {
            '（' | '(' => {
                depth += 1;
                group.push(ch);
            }
            '）' | ')' if depth > 0 => {
                depth -= 1;
                group.push(ch);
                if depth == 0 {
                    let assigns = ["牵头", "负责", "单位", "时限", "前完成", "配合"]
                        .iter()
                        .any(|w| group.contains(w));
                    if !assigns {
                        out.push_str(&group);
                    }
                    group.clear();
                }
            }
            _ if depth > 0 => group.push(ch),
            _ => out.push(ch),
        }
    }
    out.push_str(&group);
    let cut = [
        "牵头单位",
        "责任单位",
        "配合单位",
        "完成时限",
        "牵头部门",
        "责任部门",
    ]
    .iter()
    .filter_map(|l| out.find(l))
    .min()
    .unwrap_or(out.len());
    let title =
        out[..cut].trim_end_matches(['。', '，', '、', '；', '：', ':', ';', ',', ' ', '！', '？']);
    // A short heading before a colon ("加强组织领导：成立…") is the title.
    match title.split_once('：') {
        Some((head, rest)) if head.chars().count() <= LEAD_HEADING && !rest.is_empty() => {
            head.trim().to_string()
        }
        _ => title.trim().to_string(),
    }
}

/// The lines as paragraphs: a line that ends a sentence short of its column ends one.
fn paragraphs(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        if open {
            join(&mut out, &line.text);
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&line.text);
        }
        let ends = line.text.ends_with(['。', '！', '？', '：', '；']);
        let heading = i == 0 && heading(lines) == Some(1);
        open = !(heading
            || (ends && !line.full)
            || (!line.full && !line.text.ends_with(['，', '、'])));
    }
    out
}

fn is_one_of(title: &str, words: &[&str]) -> bool {
    let title = title.trim();
    words.iter().any(|w| title.starts_with(w))
        || (title.chars().count() <= SHORT_HEADING && words.iter().any(|w| title.contains(w)))
}
