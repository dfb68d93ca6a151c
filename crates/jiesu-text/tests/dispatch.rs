//! Behaviour of the dispatch classifier through its public API, on invented appeals.

use std::sync::OnceLock;

use jiesu_text::dispatch::{
    Dataset, DatasetError, DispatchModel, ModelError, SuggestError, TrainError, TrainOptions,
    TrainingRecord, parse_category_path, train,
};

/// (title, text, category path, body): invented appeals, ten per first-level category.
const FIXTURES: &[(&str, &str, &str, &str)] = &[
    (
        "小区门口路灯不亮",
        "晚上出门一片漆黑，老人孩子容易摔倒",
        "城乡建设/市政设施/路灯",
        "市城管局",
    ),
    (
        "路灯坏了好几天没人修",
        "",
        "城乡建设/市政设施/路灯",
        "市城管局",
    ),
    (
        "幸福路的路灯整夜不亮",
        "请尽快派人维修路灯",
        "城乡建设/市政设施/路灯",
        "市城管局",
    ),
    (
        "人行道路灯杆倾斜",
        "路灯杆歪了随时会倒",
        "城乡建设/市政设施/路灯",
        "市城管局",
    ),
    (
        "井盖缺失存在安全隐患",
        "路口的井盖丢了很危险",
        "城乡建设/市政设施/井盖",
        "市城管局",
    ),
    (
        "马路上井盖破损",
        "车辆经过井盖响声很大",
        "城乡建设/市政设施/井盖",
        "市城管局",
    ),
    (
        "旧楼想装电梯怎么申请",
        "老旧小区住户希望加装电梯",
        "城乡建设/住房保障/加装电梯",
        "区住建局",
    ),
    (
        "加装电梯审批太慢",
        "",
        "城乡建设/住房保障/加装电梯",
        "区住建局",
    ),
    (
        "小区楼道灯不亮",
        "楼道灯坏了物业不修",
        "城乡建设/市政设施/路灯",
        "市城管局",
    ),
    (
        "公园路灯不亮",
        "公园晚上散步的人多，路灯全黑",
        "城乡建设/市政设施/路灯",
        "市城管局",
    ),
    (
        "工地半夜打桩吵人",
        "凌晨还在打桩，噪音吵得睡不着",
        "环境保护/噪声污染/施工噪声",
        "区生态环境分局",
    ),
    (
        "广场舞音响噪音太大",
        "每天晚上音响声音很大扰民",
        "环境保护/噪声污染/生活噪声",
        "区生态环境分局",
    ),
    (
        "饭店油烟污染严重",
        "楼下饭店油烟直排，家里开不了窗",
        "环境保护/大气污染/油烟",
        "区生态环境分局",
    ),
    (
        "工厂排放黑烟",
        "化工厂烟囱冒黑烟，空气很臭",
        "环境保护/大气污染/工业废气",
        "区生态环境分局",
    ),
    (
        "河道污水直排",
        "工厂往河里排污水，水面发黑有臭味",
        "环境保护/水污染/污水排放",
        "区生态环境分局",
    ),
    (
        "夜间施工噪音",
        "",
        "环境保护/噪声污染/施工噪声",
        "区生态环境分局",
    ),
    (
        "路边烧烤摊油烟呛",
        "烧烤油烟呛人",
        "环境保护/大气污染/油烟",
        "区生态环境分局",
    ),
    (
        "垃圾焚烧冒烟",
        "有人焚烧垃圾，烟很大很臭",
        "环境保护/大气污染/工业废气",
        "区生态环境分局",
    ),
    (
        "商铺音响噪音扰民",
        "店铺门口音响整天大声播放",
        "环境保护/噪声污染/生活噪声",
        "区生态环境分局",
    ),
    (
        "池塘污水发臭",
        "污水排进池塘，臭味很重",
        "环境保护/水污染/污水排放",
        "区生态环境分局",
    ),
    (
        "公司拖欠工资三个月",
        "老板一直拖欠工资不发",
        "劳动和社会保障/劳动关系/工资拖欠",
        "区人社局",
    ),
    (
        "包工头欠我们工钱",
        "干完活包工头欠薪不还",
        "劳动和社会保障/劳动关系/工资拖欠",
        "区人社局",
    ),
    (
        "单位不给缴纳社保",
        "入职一年公司没有缴纳社会保险",
        "劳动和社会保障/社会保险/参保缴费",
        "区社保中心",
    ),
    (
        "养老保险转移接续困难",
        "换城市工作后养老保险转不过来",
        "劳动和社会保障/社会保险/养老保险",
        "区社保中心",
    ),
    (
        "工厂拖欠工资",
        "",
        "劳动和社会保障/劳动关系/工资拖欠",
        "区人社局",
    ),
    (
        "辞职后公司不发工资",
        "离职时公司扣着工资不给",
        "劳动和社会保障/劳动关系/工资拖欠",
        "区人社局",
    ),
    (
        "失业保险金怎么领取",
        "失业了想领失业保险金",
        "劳动和社会保障/社会保险/失业保险",
        "区社保中心",
    ),
    (
        "入职后公司一直不签合同",
        "干了半年还没有书面劳动合同",
        "劳动和社会保障/劳动关系/劳动合同",
        "区人社局",
    ),
    (
        "社保断缴怎么补缴",
        "社保断了两个月想补缴",
        "劳动和社会保障/社会保险/参保缴费",
        "区社保中心",
    ),
    (
        "欠薪半年无人管",
        "讨要工资多次无果",
        "劳动和社会保障/劳动关系/工资拖欠",
        "区人社局",
    ),
    (
        "学校乱收补课费",
        "老师组织学生补课并收费",
        "教育文体/教育管理/乱收费",
        "区教育局",
    ),
    (
        "孩子上学难入学",
        "户籍孩子无法在附近小学入学",
        "教育文体/教育管理/招生入学",
        "区教育局",
    ),
    (
        "幼儿园收费太高",
        "民办幼儿园学费年年涨",
        "教育文体/教育管理/乱收费",
        "区教育局",
    ),
    (
        "中学教师体罚学生",
        "班主任罚学生站一整天",
        "教育文体/教育管理/师德师风",
        "区教育局",
    ),
    (
        "学校食堂饭菜质量差",
        "学生反映食堂饭菜不卫生",
        "教育文体/教育管理/校园安全",
        "区教育局",
    ),
    (
        "小学招生划片不合理",
        "",
        "教育文体/教育管理/招生入学",
        "区教育局",
    ),
    (
        "体育馆不对市民开放",
        "学校体育场馆周末不开放",
        "教育文体/文化体育/场馆开放",
        "区文体局",
    ),
    (
        "图书馆开门时间短",
        "市图书馆晚上不开门",
        "教育文体/文化体育/场馆开放",
        "区文体局",
    ),
    (
        "补习班违规收费",
        "课外补习机构收费不退",
        "教育文体/教育管理/乱收费",
        "区教育局",
    ),
    (
        "教师节收礼问题",
        "有老师收家长的礼物",
        "教育文体/教育管理/师德师风",
        "区教育局",
    ),
];

fn records() -> Vec<TrainingRecord> {
    FIXTURES
        .iter()
        .map(|&(title, text, path, body)| TrainingRecord {
            title: title.to_string(),
            text: text.to_string(),
            category_path: parse_category_path(path),
            body: Some(body.to_string()),
        })
        .collect()
}

fn model() -> &'static DispatchModel {
    static MODEL: OnceLock<DispatchModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let options = TrainOptions {
            trained_at: "2024-05-01T08:00:00+08:00".to_string(),
            ..TrainOptions::default()
        };
        train(&records(), &options, |_, _| {}).expect("train")
    })
}

#[test]
fn suggests_the_right_category_with_explanation() {
    let s = model()
        .suggest("我家楼下路灯不亮", "路灯坏了一个星期，晚上很黑")
        .expect("suggestion");
    assert_eq!(s.top[0].0, "城乡建设", "{s:?}");
    assert!(s.top.len() <= 3);
    assert!(s.top.windows(2).all(|w| w[0].1 >= w[1].1));
    let sum: f32 = s.top.iter().map(|t| t.1).sum();
    assert!(sum <= 1.0 + 1e-4 && sum > 0.0, "{sum}");
    assert!(
        s.explanation.iter().any(|(w, v)| w == "路灯" && *v > 0.0),
        "{:?}",
        s.explanation
    );
    assert_eq!(
        s.lower_levels.first().map(|l| l.0.as_str()),
        Some("市政设施")
    );
    assert_eq!(s.lower_levels.get(1).map(|l| l.0.as_str()), Some("路灯"));
    assert_eq!(s.body.as_ref().map(|b| b.0.as_str()), Some("市城管局"));
}

#[test]
fn each_category_is_recognized() {
    let m = model();
    let cases = [
        ("晚上工地施工噪音太吵", "环境保护"),
        ("老板欠着工资不给", "劳动和社会保障"),
        ("学校补课乱收费", "教育文体"),
    ];
    for (title, want) in cases {
        let s = m.suggest(title, "").expect("suggestion");
        assert_eq!(s.top[0].0, want, "{title}: {s:?}");
    }
}

#[test]
fn empty_text_is_refused_with_a_reason() {
    let err = model().suggest("  ", "\n\t").unwrap_err();
    assert_eq!(err, SuggestError::EmptyText);
    assert!(err.to_string().contains("为空"));
}

#[test]
fn digits_or_foreign_text_give_low_confidence() {
    for (title, text) in [
        ("13800138000", "2024 05 01 12345"),
        ("The street light is broken", "please fix it"),
    ] {
        let s = model().suggest(title, text).expect("suggestion");
        assert!(s.low_confidence, "{s:?}");
        assert!(s.top[0].1 < 0.5, "{s:?}");
        assert!(s.note.is_some());
    }
}

#[test]
fn over_long_text_is_truncated_not_fatal() {
    let long = "小区路灯不亮".repeat(2_000);
    let s = model().suggest("路灯", &long).expect("suggestion");
    assert!(s.truncated);
    assert_eq!(s.top[0].0, "城乡建设");
}

#[test]
fn save_and_load_give_the_same_suggestion() {
    let m = model();
    let bytes = m.to_bytes().expect("bytes");
    let back = DispatchModel::from_bytes(&bytes).expect("load");
    let a = m.suggest("饭店油烟太大", "楼下饭店油烟").expect("a");
    let b = back.suggest("饭店油烟太大", "楼下饭店油烟").expect("b");
    assert_eq!(a, b);
    assert_eq!(back.meta(), m.meta());

    let path = std::env::temp_dir().join(format!("jiesu-dispatch-{}.model", std::process::id()));
    m.save(&path).expect("save");
    let loaded = DispatchModel::load(&path).expect("load file");
    std::fs::remove_file(&path).ok();
    assert_eq!(
        loaded.suggest("饭店油烟太大", "楼下饭店油烟").expect("c"),
        a
    );
}

#[test]
fn bad_model_bytes_are_rejected() {
    assert!(matches!(
        DispatchModel::from_bytes(b"not a model"),
        Err(ModelError::NotAModel)
    ));
    let mut bytes = model().to_bytes().expect("bytes");
    bytes[4] = 99;
    assert!(matches!(
        DispatchModel::from_bytes(&bytes),
        Err(ModelError::Version { found: 99, .. })
    ));
    let bytes = model().to_bytes().expect("bytes");
    assert!(matches!(
        DispatchModel::from_bytes(&bytes[..bytes.len() / 2]),
        Err(ModelError::Corrupt(_))
    ));
}

#[test]
fn metadata_describes_the_training() {
    let meta = model().meta();
    assert_eq!(meta.n_records, FIXTURES.len());
    assert_eq!(meta.trained_at, "2024-05-01T08:00:00+08:00");
    assert!(meta.version.starts_with("jiesu-dispatch/"));
    assert!(meta.n_features > 0);
    let metrics = meta.metrics.as_ref().expect("internal CV metrics");
    assert!((0.0..=1.0).contains(&metrics.macro_f1));
    assert!(model().to_bytes().expect("bytes").len() < 50 * 1024 * 1024);
}

#[test]
fn training_reports_progress_and_refuses_bad_histories() {
    let mut calls = Vec::new();
    let options = TrainOptions {
        calibration_folds: 0,
        ..TrainOptions::default()
    };
    train(&records(), &options, |done, total| {
        calls.push((done, total))
    })
    .expect("train");
    let last = *calls.last().expect("progress");
    assert_eq!(last.0, last.1);
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));

    assert_eq!(
        train(&[], &options, |_, _| {}).unwrap_err(),
        TrainError::NoRecords
    );
    let one: Vec<TrainingRecord> = records()
        .into_iter()
        .filter(|r| r.first_level() == Some("教育文体"))
        .collect();
    assert!(matches!(
        train(&one, &options, |_, _| {}),
        Err(TrainError::OneCategory(_))
    ));
}

fn write_csv(name: &str, content: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("jiesu-{name}-{}.csv", std::process::id()));
    std::fs::write(&path, content).expect("write csv");
    path
}

fn fixtures_csv() -> String {
    let mut csv = String::from("id,title,detail,time,category\n");
    for (i, (title, text, path, _)) in FIXTURES.iter().enumerate() {
        let category = if i % 2 == 0 {
            path.to_string()
        } else {
            path.replace('/', " > ")
        };
        csv.push_str(&format!("{i},{title},\"{text}\",,{category}\n"));
    }
    csv
}

#[test]
fn csv_is_read_with_category_paths() {
    let path = write_csv("train", &fixtures_csv());
    let data = Dataset::from_csv(&path).expect("csv");
    std::fs::remove_file(&path).ok();
    assert_eq!(data.len(), FIXTURES.len());
    assert_eq!(
        data.records[0].category_path,
        vec!["城乡建设", "市政设施", "路灯"]
    );
    assert_eq!(
        data.records[1].category_path,
        vec!["城乡建设", "市政设施", "路灯"]
    );
    assert_eq!(data.records[1].text, "");
    assert_eq!(data.category_counts()[0].1, 10);
}

#[test]
fn csv_with_chinese_headers_and_bad_rows() {
    let path = write_csv(
        "zh",
        "留言编号,留言主题,留言详情,一级标签,承办单位\n1,路灯不亮,,城乡建设,市城管局\n2,,,城乡建设,\n3,噪音扰民,太吵,,\n",
    );
    let data = Dataset::from_csv(&path).expect("csv");
    std::fs::remove_file(&path).ok();
    assert_eq!(data.len(), 1);
    assert_eq!(data.skipped, 2);
    assert_eq!(data.records[0].body.as_deref(), Some("市城管局"));

    let path = write_csv("nocat", "id,title,detail\n1,路灯不亮,\n");
    let err = Dataset::from_csv(&path).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(matches!(
        err,
        DatasetError::MissingColumn {
            column: "category",
            ..
        }
    ));
    assert!(Dataset::from_csv("/nonexistent/dispatch.csv").is_err());
    assert!(Dataset::from_xlsx("/nonexistent/dispatch.xlsx").is_err());
}
