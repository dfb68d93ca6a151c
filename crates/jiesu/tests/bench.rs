//! `jiesu bench hot`, `jiesu bench dispatch` and `jiesu bench learning` run as a user runs
//! them, on small invented files or data: the table for people and the RESULT line for
//! machines.

mod support;

use support::jiesu;

/// Board messages: two hot issues (a water cut at one estate, night works on one road) of
/// three messages each, and two that stand alone.
const HOT_CSV: &str = "留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数
w1,u01,A3区翠湖苑小区停水三天,2024/6/1 8:00:00,翠湖苑小区从周一开始停水 没有任何通知 老人孩子生活困难,0,3
n1,u02,A5区滨江路夜间施工噪音扰民,2024/6/2 23:00:00,滨江路工地每天晚上十一点以后还在打桩 噪音太大无法入睡,0,1
w2,u03,翠湖苑小区停水没人管,2024/6/2 9:00:00,A3区翠湖苑小区已经停水两天 请供水公司尽快恢复供水,0,5
x1,u04,市图书馆周末开放时间咨询,2024/6/3 10:00:00,请问市图书馆周末几点开门 可以办理借书证吗,0,0
n2,u05,滨江路工地深夜施工太吵,2024/6/4 1:00:00,A5区滨江路的工地凌晨还在施工 噪音扰民严重 希望夜间停工,0,2
w3,u06,A3区翠湖苑小区又停水了,2024/6/5 7:00:00,翠湖苑小区停水问题反复出现 居民生活用水没有保障,0,0
n3,u08,投诉滨江路夜间施工噪音,2024/6/6 23:00:00,滨江路夜间施工噪音扰民 晚上十二点还在作业,0,0
x2,u10,咨询养老保险缴费年限,2024/6/8 15:00:00,养老保险最低缴费年限是多少年,0,0
";

/// Training history: invented appeals, eight per first-level category.
const DISPATCH_CSV: &str = "id,title,detail,time,category
1,小区门口路灯不亮,晚上出门一片漆黑,,城乡建设/市政设施/路灯
2,路灯坏了好几天没人修,,,城乡建设 > 市政设施 > 路灯
3,幸福路的路灯整夜不亮,请尽快派人维修路灯,,城乡建设/市政设施/路灯
4,井盖缺失存在安全隐患,路口的井盖丢了很危险,,城乡建设/市政设施/井盖
5,马路上井盖破损,车辆经过井盖响声很大,,城乡建设/市政设施/井盖
6,旧楼想装电梯怎么申请,老旧小区住户希望加装电梯,,城乡建设/住房保障/加装电梯
7,加装电梯审批太慢,,,城乡建设/住房保障/加装电梯
8,道路破损坑洼不平,下雨后路面全是积水,,城乡建设/市政设施/道路
9,工厂烟囱冒黑烟,附近居民闻到刺鼻气味,,环境保护/大气污染
10,河道里漂满垃圾,河水发黑发臭,,环境保护/水污染
11,餐馆油烟直排扰民,楼下饭店油烟熏得不敢开窗,,环境保护/大气污染
12,工地夜间施工噪音大,凌晨还在打桩吵得睡不着,,环境保护/噪声污染
13,广场舞音响太吵,每天晚上音响声音很大,,环境保护/噪声污染
14,企业偷排污水,工厂把污水直接排进河里,,环境保护/水污染
15,秸秆焚烧浓烟滚滚,田里烧秸秆烟雾很大,,环境保护/大气污染
16,垃圾焚烧厂有异味,焚烧厂周边空气难闻,,环境保护/大气污染
17,公司拖欠工资三个月,老板一直不发工资,,劳动和社会保障/劳动关系/欠薪
18,单位不给缴纳社保,工作两年没有交社会保险,,劳动和社会保障/社会保险
19,工伤认定怎么办理,在工地受伤想申请工伤,,劳动和社会保障/社会保险/工伤
20,农民工工资被克扣,包工头扣了一半工资,,劳动和社会保障/劳动关系/欠薪
21,咨询养老保险缴费年限,养老保险最低缴几年,,劳动和社会保障/社会保险/养老
22,失业金怎么申领,刚被辞退想领失业保险金,,劳动和社会保障/社会保险/失业
23,公司违法解除劳动合同,没有任何补偿就被辞退,,劳动和社会保障/劳动关系
24,加班不给加班费,每天加班到深夜没有加班工资,,劳动和社会保障/劳动关系
25,学校乱收补课费,老师要求学生交钱补课,,教育文体/教育/收费
26,孩子入学划片不合理,离家近的学校进不去,,教育文体/教育/入学
27,幼儿园收费太高,民办幼儿园学费涨了很多,,教育文体/教育/收费
28,社区图书馆开放时间太短,周末图书馆不开门,,教育文体/文化
29,体育馆不对市民开放,想去打球但进不去,,教育文体/体育
30,培训机构退费难,报了课程想退费机构不给退,,教育文体/教育/培训
31,学校食堂饭菜质量差,孩子说食堂饭菜难吃,,教育文体/教育
32,公园健身器材损坏,小区旁边公园的健身器材坏了,,教育文体/体育
";

fn write(name: &str, content: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("jiesu-bench-{name}-{}.csv", std::process::id()));
    std::fs::write(&path, content).expect("write csv");
    path
}

/// The value of `key=` in a RESULT line.
fn figure(line: &str, key: &str) -> f64 {
    line.split(' ')
        .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("no {key} in {line}"))
}

#[test]
fn hot_prints_ranked_csv_and_result_line() {
    let path = write("hot", HOT_CSV);
    let out = jiesu(&[
        "bench",
        "hot",
        "--input",
        path.to_str().unwrap(),
        "--top",
        "1",
    ]);
    std::fs::remove_file(&path).ok();
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("rank,heat,count,first,last,place,description,member_ids")
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with("1,"), "{first}");
    assert!(first.contains(';'), "{first}");
    let line = lines.next().unwrap();
    assert!(
        line.starts_with("RESULT messages=8 groups=2 seconds="),
        "{line}"
    );
    assert_eq!(lines.next(), None);
}

#[test]
fn dispatch_reports_ours_and_the_baseline() {
    let train = write("dispatch", DISPATCH_CSV);
    let train = train.to_str().unwrap();
    let out = jiesu(&["bench", "dispatch", "--train", train, "--folds", "2"]);
    let on_itself = jiesu(&["bench", "dispatch", "--train", train, "--test", train]);
    std::fs::remove_file(train).ok();

    let line = out.lines().last().unwrap();
    assert!(line.starts_with("RESULT macro_f1="), "{line}");
    for key in [
        "accuracy",
        "baseline_macro_f1",
        "train_s",
        "p99_us",
        "model_mb",
    ] {
        figure(line, key);
    }
    assert!(out.contains("records: 32 training, 32 evaluated"), "{out}");
    assert!(
        out.contains("  fold 2 macro-F1") && !out.contains("fold 3"),
        "{out}"
    );
    assert!(
        out.contains("macro-F1") && out.contains("环境保护"),
        "{out}"
    );
    let line = on_itself.lines().last().unwrap();
    assert!(figure(line, "accuracy") > 0.9, "{on_itself}");
}

#[test]
fn learning_fills_once_and_a_quiet_advance_reads_nothing() {
    let out = jiesu(&["bench", "learning", "--appeals", "200", "--advances", "2"]);
    let line = out.lines().last().unwrap();
    assert!(line.starts_with("RESULT appeals=200 "), "{line}");
    assert_eq!(figure(line, "examples"), 10.0, "one in twenty a correction");
    assert_eq!(figure(line, "fill_events"), 200.0);
    figure(line, "fill_ms");
    figure(line, "advance_ms");
    assert!(out.contains("无新事件时推进一次"), "{out}");
}
