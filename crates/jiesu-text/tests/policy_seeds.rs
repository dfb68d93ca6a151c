//! The policy splitter on the newspaper seed pages, read where they lie at test time (never
//! copied into the repository); skipped with a notice when the directory is missing.

use std::path::Path;

use jiesu_text::policy::{ProposedTask, document_year, propose};

const SEEDS: &str = "../../../shared/seeds";

fn seed(prefix: &str) -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEEDS);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "notice: {} is missing; seed pages not checked",
            dir.display()
        );
        return None;
    };
    let path = entries.filter_map(Result::ok).map(|e| e.path()).find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    })?;
    std::fs::read_to_string(path).ok()
}

fn tasks(text: &str) -> Vec<ProposedTask> {
    propose(text, document_year(text).unwrap_or(2000))
}

/// The seed text with its line breaks and typesetting spaces gone, to find titles in.
fn flat(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_opinion_split_across_a_page_gives_its_measures() {
    let Some(text) = seed("001") else { return };
    assert_eq!(document_year(&text), Some(2024));
    let found = tasks(&text);
    let numbers: Vec<&str> = found.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "二、（一）",
            "二、（二）",
            "二、（三）",
            "三、（四）",
            "三、（五）",
            "三、（六）",
            "三、（七）"
        ]
    );
    let page = flat(&text);
    for task in &found {
        // The title is the measure's whole first sentence, rejoined across the line breaks.
        assert!(page.contains(&format!(
            "{}{}。",
            &task.number[task.number.find('（').unwrap()..],
            task.title
        )));
        assert!(page.contains(&task.section));
        assert!(!task.text.contains('\n'), "{}", task.text);
        // The page goes on with other articles after the page-turn note.
        assert!(task.text.ends_with('。'));
    }
    assert_ne!(found[0].section, found[3].section);
}

#[test]
fn the_same_opinion_in_wider_columns_gives_the_same_numbers() {
    let Some(text) = seed("000") else { return };
    let numbers: Vec<String> = tasks(&text).into_iter().map(|t| t.number).collect();
    assert_eq!(
        numbers,
        ["二、（一）", "二、（二）", "二、（三）", "三、（四）"]
    );
}

#[test]
fn news_reports_propose_no_tasks() {
    for prefix in ["002", "003"] {
        let Some(text) = seed(prefix) else { return };
        assert!(tasks(&text).is_empty(), "{prefix}");
    }
}

#[test]
fn announcements_with_markdown_headings_are_read() {
    let Some(text) = seed("004") else { return };
    let found = tasks(&text);
    assert!(found.iter().any(|t| t.number == "五、"));
    assert!(found.iter().any(|t| t.number == "三、2."));
    assert!(found.iter().all(|t| !t.text.contains("人民政府办公室2021")));
}

#[test]
fn any_cut_of_a_page_is_split_without_failing() {
    for prefix in ["000", "001", "004"] {
        let Some(text) = seed(prefix) else { return };
        let chars: Vec<char> = text.chars().collect();
        for cut in (0..chars.len()).step_by(131) {
            let piece: String = chars[cut..].iter().take(900).collect();
            for task in tasks(&piece) {
                assert!(!task.number.is_empty());
            }
        }
    }
}
