//! Reply review on replies written for these tests: a bare acknowledgement is incomplete,
//! a reply about another place is less relevant, a full reply is complete, a late one is
//! marked late, and relevance tells own replies from swapped ones.

use chrono::{NaiveDate, NaiveDateTime};
use jiesu_text::place::Gazetteer;
use jiesu_text::reply::{
    AppealCorpus, AppealForReview, Gap, ReplyReviewer, read_replies_from, roc_auc, swapped_pairs,
};

fn at(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

const TITLE: &str = "桂园小区北门垃圾站恶臭";
const TEXT: &str =
    "B2区枫林街道桂园小区北门的垃圾站每天傍晚才清运，夏天恶臭扑鼻，请求改为上午清运并加盖。";

fn appeal() -> AppealForReview<'static> {
    AppealForReview {
        title: TITLE,
        text: TEXT,
        citizen: Some("Q00012345"),
        received: at(2, 9),
        deadline: Some(at(16, 18)),
    }
}

/// A corpus of other appeals, so that 垃圾站 and 小区 are common and 桂园 is rare.
fn reviewer() -> ReplyReviewer {
    let mut appeals = vec![format!("{TITLE}\n{TEXT}")];
    for (i, place) in ["松园", "竹园", "梅园", "兰园", "菊园", "杏园", "柳园"]
        .iter()
        .enumerate()
    {
        appeals.push(format!(
            "{place}小区垃圾站问题\nB{}区{place}小区的垃圾站清运不及时，气味很大，请求处理。",
            i + 1
        ));
    }
    ReplyReviewer::new(
        AppealCorpus::build(appeals.iter().map(String::as_str)),
        Gazetteer::empty(),
    )
}

const FULL: &str = "网友“Q00012345”您好！您反映的桂园小区北门垃圾站恶臭问题已收悉。经枫林街道城管办\
    3月5日现场核实，该垃圾站由环卫所每天17时清运一次，情况属实。根据《B市生活垃圾分类管理办法》\
    的规定，我办已责令环卫所自3月9日起改为每天8时、17时各清运一次，并于3月20日前完成垃圾站加盖\
    密闭改造。如有疑问，请致电枫林街道城管办0000-00000000，我们将持续跟进。感谢您对我们工作的关心与支持！";

#[test]
fn a_bare_acknowledgement_is_incomplete_boilerplate() {
    let review = reviewer().review(
        &appeal(),
        "您好，您的来信已收悉，我们高度重视，感谢您的来信。",
        at(3, 9),
    );
    assert!(review.completeness < 0.01, "{review:?}");
    for gap in [Gap::BoilerplateOnly, Gap::NoOutcome, Gap::NoContact] {
        assert!(review.gaps.contains(&gap), "{gap:?} missing in {review:?}");
    }
    assert_eq!(Gap::NoOutcome.message(), "未说明处理结果");
    assert_eq!(Gap::BoilerplateOnly.message(), "仅有套话");
}

#[test]
fn a_reply_with_findings_action_basis_and_contact_is_complete() {
    let review = reviewer().review(&appeal(), FULL, at(10, 15));
    assert!(review.completeness > 0.99, "{review:?}");
    assert!(review.tone > 0.99, "{review:?}");
    assert_eq!(review.timeliness, 1.0);
    assert!(review.relevance > 0.8, "{review:?}");
    assert!(review.gaps.is_empty(), "{:?}", review.gaps);
    assert!(review.overall > 0.9);
}

#[test]
fn a_reply_about_another_place_is_less_relevant() {
    let reviewer = reviewer();
    let other = FULL
        .replace("Q00012345", "Q00067890")
        .replace("桂园小区北门", "菊园小区南门")
        .replace("枫林街道", "湘江街道")
        .replace("3月", "1月");
    let own = reviewer.review(&appeal(), FULL, at(10, 15));
    let swapped = reviewer.review(&appeal(), &other, at(10, 15));
    assert!(
        swapped.relevance < own.relevance - 0.3,
        "{own:?} {swapped:?}"
    );
    assert!(swapped.gaps.contains(&Gap::OtherCitizen), "{swapped:?}");
    assert!(
        swapped
            .gaps
            .iter()
            .any(|g| matches!(g, Gap::PlaceMissing(p) if p.contains("桂园"))),
        "{:?}",
        swapped.gaps
    );
    let gap = swapped
        .gaps
        .iter()
        .find(|g| matches!(g, Gap::PlaceMissing(_)))
        .unwrap();
    assert!(gap.message().starts_with("未提及诉求地点"));
}

#[test]
fn a_reply_after_the_deadline_is_late() {
    let review = reviewer().review(&appeal(), FULL, at(20, 9));
    assert!(
        review.timeliness < 1.0 && review.timeliness > 0.0,
        "{review:?}"
    );
    assert!(
        review.gaps.contains(&Gap::Late { days: 4 }),
        "{:?}",
        review.gaps
    );
    assert_eq!(
        Gap::Late { days: 4 }.message(),
        "超过办理时限答复（逾期 4 天）"
    );
}

#[test]
fn blaming_the_citizen_costs_tone() {
    let blaming = format!("{FULL}请勿再无理取闹。");
    let review = reviewer().review(&appeal(), &blaming, at(10, 15));
    assert!(review.gaps.contains(&Gap::Blame));
    assert!(review.tone < 0.8);
}

#[test]
fn relevance_ranks_own_replies_above_swapped_ones() {
    let csv = "留言编号,留言用户,留言主题,留言时间,留言详情,答复意见,答复时间\n\
        1,U10001,松园小区垃圾站恶臭,2026/3/2 9:00:00,松园小区垃圾站傍晚才清运。,网友“U10001”您好！经核实松园小区垃圾站已改为上午清运。2026年3月5日,2026/3/5 10:00:00\n\
        2,U10002,竹园小区垃圾站恶臭,2026/3/3 9:00:00,竹园小区垃圾站傍晚才清运。,网友“U10002”您好！竹园小区垃圾站将加盖，请致电街道咨询。2026年3月9日,2026/3/9 10:00:00\n\
        3,U10003,梅园路路灯不亮,2026/3/4 9:00:00,梅园路的路灯一周不亮。,网友“U10003”您好！梅园路路灯已修复。2026年3月6日,2026/3/6 10:00:00\n\
        4,U10004,兰园路路灯不亮,2026/3/4 20:00:00,兰园路的路灯不亮。,网友“U10004”您好！兰园路路灯线路老化，已安排更换。2026年3月7日,2026/3/7 10:00:00\n";
    let rows = read_replies_from(csv.as_bytes()).unwrap();
    assert_eq!(rows.len(), 4);
    let corpus = AppealCorpus::build(rows.iter().map(|r| r.title.as_str()));
    let pairs = swapped_pairs(&rows, &corpus);
    assert_eq!(pairs.len(), 8);
    assert_eq!(pairs[1].reply, 1, "松园's nearest appeal is 竹园's");
    let reviewer = ReplyReviewer::new(corpus, Gazetteer::empty());
    let scores: Vec<(f64, bool)> = pairs
        .iter()
        .map(|p| {
            let row = &rows[p.appeal];
            let review = reviewer.review(&row.appeal(), &rows[p.reply].reply, row.replied);
            (review.relevance, p.genuine())
        })
        .collect();
    assert_eq!(roc_auc(&scores), 1.0);
}

#[test]
fn a_file_without_a_reply_column_is_refused_in_chinese() {
    let err = read_replies_from("留言编号,留言主题\n1,x\n".as_bytes()).unwrap_err();
    assert!(err.to_string().contains("缺少"), "{err}");
}
