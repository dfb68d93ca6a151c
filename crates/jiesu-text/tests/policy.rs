//! Policy text to task list on documents written for these tests, one per layout: a task
//! list with labelled bodies, a newspaper column broken inside words, a flat list with
//! sub-items and markdown.

use jiesu_text::policy::{ProposedTask, document_year, propose};

fn tasks(text: &str) -> Vec<ProposedTask> {
    propose(text, document_year(text).unwrap_or(2000))
}

fn due(task: &ProposedTask) -> Option<String> {
    task.due.map(|d| d.to_string())
}

const TASK_LIST: &str = "某市2022年优化营商环境重点任务清单

一、总体要求
坚持以人民为中心，持续优化营商环境。

二、重点任务
（一）提升政务服务效能
1.推行“一网通办”。年底前实现企业开办全程网上办理。
牵头单位：市政务服务管理局
责任单位：市市场监管局、市税务局
2.压缩审批时限。2022年10月底前，工程建设项目审批时间压缩至60个工作日以内。（市住房和城乡建设局牵头，各县（市、区）按职责分工负责）
（二）加强要素保障
3.保障用地需求。6月30日前完成年度用地计划编制。（责任单位：市自然资源局）
4.完善信用体系。牵头单位：市发改委。完成时限：长期坚持。
三、保障措施
（一）加强组织领导。各部门要高度重视。
（二）强化督查考核。市政府督查室6月底前开展专项督查。
";

#[test]
fn a_task_list_gives_numbers_bodies_and_deadlines() {
    let found = tasks(TASK_LIST);
    let numbers: Vec<&str> = found.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "二、（一）1.",
            "二、（一）2.",
            "二、（二）3.",
            "二、（二）4.",
            "三、（二）"
        ]
    );
    let first = &found[0];
    assert_eq!(first.section, "重点任务");
    assert_eq!(first.title, "推行“一网通办”");
    assert_eq!(first.lead_bodies, ["市政务服务管理局"]);
    assert_eq!(first.co_bodies, ["市市场监管局", "市税务局"]);
    assert_eq!(due(first).as_deref(), Some("2022-12-31"));
    let second = &found[1];
    assert_eq!(second.lead_bodies, ["市住房和城乡建设局"]);
    assert_eq!(second.co_bodies, ["各县（市、区）"]);
    assert_eq!(due(second).as_deref(), Some("2022-10-31"));
    assert_eq!(found[2].co_bodies, ["市自然资源局"]);
    assert_eq!(due(&found[2]).as_deref(), Some("2022-06-30"));
    assert_eq!(found[3].lead_bodies, ["市发改委"]);
    assert_eq!(due(&found[3]), None);
    assert_eq!(found[4].title, "强化督查考核");
    assert_eq!(due(&found[4]).as_deref(), Some("2022-06-30"));
}

/// A column of a newspaper page: lines break inside words, blank lines fall anywhere, the
/// document goes on on another page and another article follows.
const COLUMN: &str = "为进一步改善城市人居环

境，现提出如下实施意见。

一、指导思想

坚持以人民为中心的发展思

想，着力解决群众反映强烈的

突出问题。

二、深入推进背街小巷整治，

提升城市精细化管理水平

（一）开展背街小巷环境综合

整治。年底前完成老城区 120

条背街小巷改造提升，实现路

面平整、管线有序。（市城市

管理局牵头，各区政府负责）

（二）完善垃圾分类收运体

系。到 2024年，城区生活垃圾

分类覆盖率达到 90%以上。

三、健全长效机制

（三）建立巡查考评制度。每

月开展一次巡查，结果纳入年

度考核。 （下转2版）

本报讯 （记者 某某）3.昨日，

（四）另一篇文章的内容。

（2023年3月15日）";

#[test]
fn a_newspaper_column_is_rejoined() {
    let found = tasks(COLUMN);
    assert_eq!(document_year(COLUMN), Some(2023));
    let numbers: Vec<&str> = found.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers, ["二、（一）", "二、（二）", "三、（三）"]);
    assert_eq!(
        found[0].section,
        "深入推进背街小巷整治，提升城市精细化管理水平"
    );
    assert_eq!(found[0].title, "开展背街小巷环境综合整治");
    assert!(found[0].text.contains("完成老城区120条背街小巷改造提升"));
    assert_eq!(found[0].lead_bodies, ["市城市管理局"]);
    assert_eq!(found[0].co_bodies, ["各区政府"]);
    assert_eq!(due(&found[0]).as_deref(), Some("2023-12-31"));
    assert_eq!(due(&found[1]).as_deref(), Some("2024-12-31"));
    assert_eq!(found[2].section, "健全长效机制");
    assert!(found[2].text.ends_with("结果纳入年度考核。"));
}

const FLAT: &str = "## 关于做好2023年防汛工作的通知

各县区、市直各有关单位：

1. 开展隐患排查。各县区5月31日前完成辖区内隐患点排查，建立台账。（市应急局牵头，市水务局、市自然资源局配合）
(1) 排查河道、水库。
(2) 排查地质灾害点。
2. 加强值班值守。汛期实行24小时值班。（各县区负责）

某市人民政府办公室 2023年4月20日
";

#[test]
fn a_flat_list_keeps_its_sub_items_in_the_text() {
    let found = tasks(FLAT);
    let numbers: Vec<&str> = found.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers, ["1.", "2."]);
    assert_eq!(found[0].section, "");
    assert_eq!(found[0].title, "开展隐患排查");
    assert_eq!(found[0].lead_bodies, ["市应急局"]);
    assert_eq!(found[0].co_bodies, ["市水务局", "市自然资源局"]);
    assert_eq!(due(&found[0]).as_deref(), Some("2023-05-31"));
    assert!(found[0].text.contains("（2）排查地质灾害点"));
    assert_eq!(found[1].lead_bodies, ["各县区"]);
    assert!(!found[1].text.contains("人民政府办公室"));
}

#[test]
fn text_without_numbered_measures_proposes_nothing() {
    assert!(tasks("市政协召开协商会议。会议指出，要坚持问题导向。").is_empty());
    assert!(tasks("").is_empty());
}

/// A clean web page: one paragraph per line, principles in parts of their own, headings
/// before a colon, guarantees without bodies.
const OPINION: &str = "关于推进社区养老服务发展的实施意见
各县（市、区）人民政府，市直各有关单位：
为推进社区养老服务高质量发展，现提出如下意见。
一、总体要求
（一）指导思想。坚持以人民为中心的发展思想。
（二）主要目标。到2027年，社区养老服务设施覆盖率达到100%。
二、主要任务
（一）完善设施网络。新建住宅小区按标准配建养老服务设施，2025年6月底前完成存量小区补建规划。市民政局牵头，市自然资源和规划局、市住房和城乡建设局配合。
（二）发展助餐服务：在街道建设老年食堂，鼓励社会力量参与。
三、保障措施
（一）加强组织领导。各级各部门要把社区养老服务摆上重要议事日程。
（二）强化资金保障。市财政局牵头，每年安排专项资金。
某市人民政府
2025年1月10日
";

#[test]
fn a_clean_opinion_keeps_measures_and_leaves_principles() {
    let found = tasks(OPINION);
    let numbers: Vec<&str> = found.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers, ["二、（一）", "二、（二）", "三、（二）"]);
    assert_eq!(found[2].lead_bodies, ["市财政局"]);
    assert!(found[2].text.ends_with("每年安排专项资金。"));
    assert_eq!(found[0].title, "完善设施网络");
    assert_eq!(found[0].lead_bodies, ["市民政局"]);
    assert_eq!(
        found[0].co_bodies,
        ["市自然资源和规划局", "市住房和城乡建设局"]
    );
    assert_eq!(due(&found[0]).as_deref(), Some("2025-06-30"));
    assert_eq!(found[1].title, "发展助餐服务");
    assert_eq!(found[1].section, "主要任务");
}

/// The page a document goes on to: its lists continue where the other page left them.
const CONTINUED: &str = "本报讯 昨日召开会议。
（上接1版）
（八）完善职业培训补贴政策。
市人社局牵头，市财政局配合。
四、加强组织保障
（九）压实工作责任。各县区要于2025年6月底前制定实施方案。
（十）强化督促检查。
二十多个部门参加。
";

#[test]
fn a_continued_page_goes_on_with_its_lists() {
    let found = tasks(CONTINUED);
    let numbers: Vec<&str> = found.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers, ["（八）", "四、（九）"]);
    assert_eq!(found[0].lead_bodies, ["市人社局"]);
    assert_eq!(due(&found[1]).as_deref(), Some("2025-06-30"));
}

/// Headings on lines of their own among short lines: the paragraph below is much wider.
const HEADED: &str = "二、重点任务
（一）加强组织领导
各县区要成立工作专班，明确责任分工，每月调度一次工作进展，确保各项任务落到实处。
（二）强化宣传引导
市委宣传部牵头，各县区配合，广泛宣传典型经验。
（三）开展专项行动
年底前完成。
";

#[test]
fn headings_on_their_own_lines_are_titles() {
    let found = propose(HEADED, 2025);
    let titles: Vec<&str> = found.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["加强组织领导", "强化宣传引导", "开展专项行动"]);
    assert_eq!(found[1].lead_bodies, ["市委宣传部"]);
    assert_eq!(found[1].co_bodies, ["各县区"]);
    assert_eq!(due(&found[2]).as_deref(), Some("2025-12-31"));
}

#[test]
fn the_first_named_body_leads_when_the_document_says_so() {
    let text = "（列第一位的为牵头单位）
1.建设智慧停车平台。（责任单位：市城市管理局、市公安局，2025年9月底前）
2.增加公共停车泊位。责任单位：市住房和城乡建设局（牵头）、各区政府。
";
    let found = propose(text, 2025);
    assert_eq!(found[0].lead_bodies, ["市城市管理局"]);
    assert_eq!(found[0].co_bodies, ["市公安局"]);
    assert_eq!(due(&found[0]).as_deref(), Some("2025-09-30"));
    assert_eq!(found[1].lead_bodies, ["市住房和城乡建设局"]);
    assert_eq!(found[1].co_bodies, ["各区政府"]);
}
