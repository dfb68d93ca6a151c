//! The bodies a measure names (责任单位), as written: labelled fields ("牵头单位：…",
//! "责任单位：…", "配合单位：…") and closing brackets
//! ("（市示范办、市青禾委牵头，各县区按职责分工负责）").

/// Labels whose bodies lead the measure (牵头).
const LEAD_LABELS: [&str; 6] = [
    "牵头责任单位",
    "牵头单位",
    "牵头部门",
    "主责单位",
    "主办单位",
    "责任主体",
];
/// Labels whose bodies share the work (责任、配合).
const CO_LABELS: [&str; 8] = [
    "责任单位",
    "责任部门",
    "配合单位",
    "配合部门",
    "协办单位",
    "参与单位",
    "协助单位",
    "协同单位",
];
/// Clause endings that make the named bodies co-bodies; checked before the lead endings.
const CO_ENDINGS: [&str; 9] = [
    "按职责分工负责",
    "按职责分工落实",
    "按职责负责",
    "分别负责",
    "共同负责",
    "按职责落实",
    "配合",
    "参与",
    "协助",
];

/// The lead bodies and the co-bodies a measure's text names.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Bodies {
    pub lead: Vec<String>,
    pub co: Vec<String>,
}

impl Bodies {
    fn add(&mut self, lead: bool, names: Vec<String>) {
        let list = if lead { &mut self.lead } else { &mut self.co };
        for name in names {
            if !list.contains(&name) {
                list.push(name);
            }
        }
    }
}

pub(crate) fn bodies(text: &str) -> Bodies {
    let mut found = Bodies::default();
    labelled(text, &mut found);
    running_text(text, &mut found);
    for group in brackets(text) {
        if LEAD_LABELS
            .iter()
            .chain(CO_LABELS.iter())
            .any(|l| group.contains(l))
        {
            continue;
        }
        // Beside a lead body, "负责" names the bodies sharing the work.
        let led = group.contains("牵头");
        for clause in group.split(['，', '；', ',', ';']) {
            let clause = clause.trim();
            if let Some(names) = CO_ENDINGS.iter().find_map(|e| clause.strip_suffix(e)) {
                found.add(false, names_of(names));
            } else if let Some(names) = clause.strip_suffix("牵头") {
                found.add(true, names_of(names));
            } else if let Some(names) = clause.strip_suffix("负责") {
                found.add(!led, names_of(names));
            }
        }
    }
    found
}

/// "市青禾委牵头，各县区配合。" in the running text: a clause ending with 牵头 whose names all
/// look like bodies, and the co-body clauses of the same sentence.
fn running_text(text: &str, found: &mut Bodies) {
    let outside = outside_brackets(text);
    for sentence in outside.split(['。', '；', ';', '\n']) {
        let clauses: Vec<&str> = sentence.split(['，', ',']).map(str::trim).collect();
        let Some(led_at) = clauses.iter().position(|c| c.ends_with("牵头")) else {
            continue;
        };
        let lead = names_of(clauses[led_at].trim_end_matches("牵头"));
        if lead.is_empty() || !lead.iter().all(|n| looks_like_body(n)) {
            continue;
        }
        found.add(true, lead);
        for clause in &clauses[led_at + 1..] {
            let ending = CO_ENDINGS
                .iter()
                .chain(["负责"].iter())
                .find_map(|e| clause.strip_suffix(e));
            if let Some(names) = ending.map(names_of)
                && !names.is_empty()
                && names.iter().all(|n| looks_like_body(n))
            {
                found.add(false, names);
            }
        }
    }
}

/// The text with its bracket groups left out (they are read on their own).
fn outside_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// A name a body goes by: short, ending like one (局, 委, 办, 政府, 中心…).
fn looks_like_body(name: &str) -> bool {
    const ENDINGS: [&str; 24] = [
        "局", "委", "办", "厅", "部", "院", "署", "会", "处", "室", "中心", "政府", "公司", "集团",
        "县区", "区县", "各县", "各区", "乡镇", "街道", "单位", "部门", "园区", "总队",
    ];
    let chars = name.chars().count();
    (2..=24).contains(&chars) && ENDINGS.iter().any(|e| name.ends_with(e))
}

/// "牵头单位：A、B" and the like, wherever they stand; a value runs to the end of its clause.
fn labelled(text: &str, found: &mut Bodies) {
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let label = LEAD_LABELS
            .iter()
            .map(|l| (true, *l))
            .chain(CO_LABELS.iter().map(|l| (false, *l)))
            .find(|(_, l)| rest.starts_with(l));
        let Some((lead, label)) = label else {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let after = rest[label.len()..].trim_start_matches([' ', '：', ':']);
        if after.len() + label.len() == rest.len() {
            // A label without a colon is running text ("责任单位要…").
            at += label.len();
            continue;
        }
        let value = clause(after);
        // "市青禾委（牵头）、市云杉局": a name marked as leading leads.
        for name in names_of(value) {
            match ["（牵头）", "(牵头)"]
                .iter()
                .find_map(|m| name.strip_suffix(m))
            {
                Some(leader) => found.add(true, vec![leader.trim().to_string()]),
                None => found.add(lead, vec![name]),
            }
        }
        let step = if value.is_empty() {
            after.chars().next().map_or(1, char::len_utf8)
        } else {
            value.len()
        };
        at = text.len() - after.len() + step;
    }
}

/// The text up to the end of its clause, keeping brackets that open inside it.
fn clause(text: &str) -> &str {
    let mut depth = 0usize;
    for (i, ch) in text.char_indices() {
        match ch {
            '（' | '(' => depth += 1,
            '）' | ')' if depth == 0 => return &text[..i],
            '）' | ')' => depth -= 1,
            '。' | '；' | ';' | '\n' if depth == 0 => return &text[..i],
            _ => {}
        }
        let rest = &text[i..];
        if depth == 0
            && ["完成时限", "完成时间", "时间节点", "时限要求", "责任领导"]
                .iter()
                .chain(LEAD_LABELS.iter())
                .chain(CO_LABELS.iter())
                .any(|l| rest.starts_with(l))
            && i > 0
        {
            return text[..i].trim_end_matches(['，', ',', ' ']);
        }
    }
    text
}

/// The contents of the outermost bracket groups of a text.
fn brackets(text: &str) -> Vec<&str> {
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        match ch {
            '（' | '(' => {
                if depth == 0 {
                    start = i + ch.len_utf8();
                }
                depth += 1;
            }
            '）' | ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    groups.push(&text[start..i]);
                }
            }
            _ => {}
        }
    }
    groups
}

/// The names in "A、B、各县（市、区）等": split at the top-level separators, "等" dropped.
fn names_of(value: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for ch in value.chars() {
        match ch {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && matches!(ch, '、' | '，' | ',' | '/' | ' ') {
            names.push(std::mem::take(&mut current));
        } else {
            current.push(ch);
        }
    }
    names.push(current);
    names
        .into_iter()
        .map(|name| tidy(&name))
        .filter(|name| !name.is_empty() && !is_time(name))
        .collect()
}

/// A time limit written in the same brackets ("2025年9月底前", "年底前完成", "长期坚持").
fn is_time(name: &str) -> bool {
    let dated = name.chars().any(|c| c.is_ascii_digit()) && name.contains(['年', '月', '日']);
    dated
        || ["年底", "年内", "月底", "完成", "长期", "持续"]
            .iter()
            .any(|w| name.contains(w))
}

fn tidy(name: &str) -> String {
    let name = name.trim().trim_start_matches('由');
    let name = ["等单位", "等部门", "等"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name);
    name.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn labelled_fields_are_read() {
        let found = bodies(
            "推进建设。牵头单位：市青禾委、市溪山局；责任单位：各县（市、区）人民政府。完成时限：2022年底前",
        );
        assert_eq!(found.lead, names(&["市青禾委", "市溪山局"]));
        assert_eq!(found.co, names(&["各县（市、区）人民政府"]));
        let found = bodies("责任单位：市青禾委（牵头）、市云杉局");
        assert_eq!(found.lead, names(&["市青禾委"]));
        assert_eq!(found.co, names(&["市云杉局"]));
    }

    #[test]
    fn closing_brackets_are_read() {
        let found = bodies(
            "加快推进。（市示范办、市青禾委牵头，各县区按职责分工负责）在溪山片区（含新区，下同）试行",
        );
        assert_eq!(found.lead, names(&["市示范办", "市青禾委"]));
        assert_eq!(found.co, names(&["各县区"]));
        let found = bodies("做好保障。（责任单位：市溪山局、市云杉局等）");
        assert_eq!(found.co, names(&["市溪山局", "市云杉局"]));
        assert!(found.lead.is_empty());
        assert_eq!(bodies("（市示范办负责）").lead, names(&["市示范办"]));
    }

    #[test]
    fn running_text_names_bodies_only_when_they_look_like_bodies() {
        let found = bodies("建立联席机制。市青禾委、市溪山局牵头，各县区配合。");
        assert_eq!(found.lead, names(&["市青禾委", "市溪山局"]));
        assert_eq!(found.co, names(&["各县区"]));
        assert_eq!(bodies("以龙头企业牵头，带动上下游。"), Bodies::default());
    }
}
