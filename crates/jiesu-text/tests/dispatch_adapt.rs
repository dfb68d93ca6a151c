//! The fast adaptation (学习样本) on invented appeals: a category the model never saw is
//! learned from a handful of examples without taking the other categories' appeals, and a
//! correction of a known category is remembered for the same text.

use jiesu_text::dispatch::{
    AdaptOptions, Adaptation, DispatchModel, LabelledExample, TrainOptions, TrainingRecord, train,
};

const KNOWN: &[(&str, &[&str])] = &[
    (
        "城乡建设",
        &[
            "小区路灯坏了没人修",
            "人行道地砖松动积水",
            "老楼外墙瓷砖脱落",
            "马路井盖破损塌陷",
            "楼道照明长期不亮",
            "背街小巷路面坑洼",
            "雨水管道堵塞倒灌",
            "违章搭建占用消防通道",
        ],
    ),
    (
        "交通运输",
        &[
            "早高峰公交车太挤",
            "路口红绿灯时间太短",
            "出租车拒载还绕路",
            "公交站台没有遮雨棚",
            "网约车司机中途甩客",
            "长途客车超载严重",
            "地铁换乘通道太远",
            "学校门口缺少斑马线",
        ],
    ),
    (
        "劳动和社会保障",
        &[
            "工地老板拖欠工资",
            "公司不给缴纳社保",
            "养老金迟迟不到账",
            "被单位无故辞退",
            "加班费一直不发",
            "医保报销手续太繁琐",
            "试用期不签劳动合同",
            "失业金申领被拒",
        ],
    ),
];

/// The new category (养犬管理): its examples and the appeals it should recognize.
const NEW: &str = "养犬管理";
const NEW_EXAMPLES: &[&str] = &[
    "邻居家狗整夜狂叫",
    "大型犬不拴绳追咬路人",
    "楼道里全是狗粪便",
    "小区遛狗不牵绳吓到孩子",
    "流浪狗成群咬人",
    "养狗不办犬证",
];

fn history() -> Vec<TrainingRecord> {
    let mut out = Vec::new();
    for (category, titles) in KNOWN {
        for title in *titles {
            for tail in ["", "，请尽快处理", "，多次反映无果"] {
                out.push(TrainingRecord::new(
                    &format!("{title}{tail}"),
                    &format!("{title}{tail}，盼望早日解决。"),
                    category,
                ));
            }
        }
    }
    out
}

fn model(history: &[TrainingRecord]) -> DispatchModel {
    train(history, &TrainOptions::default(), |_, _| {}).unwrap()
}

fn example(title: &str, category: &str) -> LabelledExample {
    LabelledExample {
        record: TrainingRecord::new(title, &format!("{title}，请处理。"), category),
        weight: 3.0,
    }
}

fn top(adaptation: &Adaptation, model: &DispatchModel, title: &str) -> String {
    adaptation
        .suggest(model, title, "")
        .unwrap()
        .top
        .first()
        .unwrap()
        .0
        .clone()
}

#[test]
fn a_new_category_is_learned_from_a_few_examples() {
    let history = history();
    let model = model(&history);
    assert!(!model.labels().iter().any(|l| l == NEW));
    let examples: Vec<LabelledExample> = NEW_EXAMPLES.iter().map(|t| example(t, NEW)).collect();
    let adaptation = Adaptation::fit(&model, &examples, &history, &AdaptOptions::default());
    let classes = adaptation.classes();
    assert_eq!(classes.len(), 1);
    assert!(classes[0].new);
    assert_eq!(classes[0].examples, NEW_EXAMPLES.len());

    assert_eq!(top(&adaptation, &model, "狗半夜一直叫吵得睡不着"), NEW);
    assert_eq!(top(&adaptation, &model, "公交车太挤了"), "交通运输");
    assert_eq!(
        top(&adaptation, &model, "老板拖欠工资三个月"),
        "劳动和社会保障"
    );
    let s = adaptation
        .suggest(&model, "狗半夜一直叫吵得睡不着", "")
        .unwrap();
    let sum: f32 = s.top.iter().map(|t| t.1).sum();
    assert!(
        sum <= 1.0 + 1e-4,
        "probabilities still sum to at most 1: {sum}"
    );
    assert_eq!(
        s.confidence, 0.0,
        "a suggestion the examples changed is never dispatched on its own"
    );
    assert!(s.note.is_some_and(|n| n.starts_with("根据学习样本推荐")));
}

#[test]
fn a_new_category_takes_none_of_the_known_appeals_it_was_told_apart_from() {
    let history = history();
    let model = model(&history);
    let examples: Vec<LabelledExample> = NEW_EXAMPLES.iter().map(|t| example(t, NEW)).collect();
    let options = AdaptOptions::default();
    assert!(
        options.doubt_weight > 0.0,
        "the model's doubt counts in the decision"
    );
    let adaptation = Adaptation::fit(&model, &examples, &history, &options);
    // Its threshold is set so that at most a share of 0.004 of the background held out of
    // its training scores above it: none of these few.
    let taken: Vec<&str> = history
        .iter()
        .filter(|r| adaptation.suggest(&model, &r.title, &r.text).unwrap().top[0].0 == NEW)
        .map(|r| r.title.as_str())
        .collect();
    assert!(taken.is_empty(), "{taken:?}");
}

#[test]
fn a_correction_of_a_known_category_is_remembered_for_the_same_text() {
    let history = history();
    let model = model(&history);
    let title = "公交站台旁路灯不亮";
    let before = top(&Adaptation::default(), &model, title);
    let corrected = if before == "城乡建设" {
        "交通运输"
    } else {
        "城乡建设"
    };
    let adaptation = Adaptation::fit(
        &model,
        &[example(title, corrected)],
        &history,
        &AdaptOptions::default(),
    );
    let s = adaptation
        .suggest(&model, title, &format!("{title}，请处理。"))
        .unwrap();
    assert_eq!(s.top[0].0, corrected);
    assert!(s.body.is_none(), "the body was chosen for another category");
    assert_eq!(top(&adaptation, &model, "出租车拒载还绕路"), "交通运输");
}
