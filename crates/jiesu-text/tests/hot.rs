//! Hot-issue discovery through the public API, on invented appeals.

use chrono::{NaiveDate, NaiveDateTime};
use jiesu_text::hot::{
    HotDetector, HotError, HotMessage, read_messages, read_messages_from, write_messages_to,
};

fn at(month: u32, day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, month, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn msg(
    id: &str,
    user: &str,
    title: &str,
    text: &str,
    time: NaiveDateTime,
    likes: u32,
) -> HotMessage {
    HotMessage {
        id: id.into(),
        user: user.into(),
        title: title.into(),
        text: text.into(),
        time,
        likes,
        dislikes: 0,
    }
}

fn fixture() -> Vec<HotMessage> {
    vec![
        msg(
            "w1",
            "u01",
            "A市A3区翠湖苑小区停水三天",
            "翠湖苑小区从周一开始停水，没有任何通知，老人孩子生活困难。",
            at(6, 1, 8),
            3,
        ),
        msg(
            "n1",
            "u02",
            "A5区滨江路夜间施工噪音扰民",
            "滨江路工地每天晚上十一点以后还在打桩，噪音太大无法入睡。",
            at(6, 2, 23),
            1,
        ),
        msg(
            "w2",
            "u03",
            "翠湖苑小区停水没人管",
            "A3区翠湖苑小区已经停水两天，物业说不清原因，请供水公司尽快恢复供水。",
            at(6, 2, 9),
            5,
        ),
        msg(
            "x1",
            "u04",
            "市图书馆周末开放时间咨询",
            "请问市图书馆周末几点开门，可以办理借书证吗？",
            at(6, 3, 10),
            0,
        ),
        msg(
            "n2",
            "u05",
            "滨江路工地深夜施工太吵",
            "A5区滨江路的工地凌晨还在施工，噪音扰民严重，希望夜间停工。",
            at(6, 4, 1),
            2,
        ),
        msg(
            "w3",
            "u06",
            "A3区翠湖苑小区又停水了",
            "翠湖苑小区停水问题反复出现，居民生活用水没有保障。",
            at(6, 5, 7),
            0,
        ),
        msg(
            "x2",
            "u07",
            "建议增加公交线路",
            "建议在新城片区增加一条公交线路方便上班。",
            at(6, 5, 12),
            0,
        ),
        msg(
            "n3",
            "u08",
            "投诉滨江路夜间施工噪音",
            "滨江路夜间施工噪音扰民，晚上十二点还在作业。",
            at(6, 6, 23),
            0,
        ),
        msg(
            "w4",
            "u09",
            "翠湖苑停水",
            "A3区翠湖苑小区今天又停水，已经是本月第三次停水了。",
            at(6, 7, 6),
            1,
        ),
        msg(
            "x3",
            "u10",
            "咨询养老保险缴费年限",
            "养老保险最低缴费年限是多少年？",
            at(6, 8, 15),
            0,
        ),
        msg(
            "n4",
            "u11",
            "A5区滨江路施工噪音影响休息",
            "滨江路晚上施工的噪音影响附近居民休息，孩子无法学习。",
            at(6, 9, 22),
            0,
        ),
        msg(
            "y1",
            "u12",
            "A4区银杏路路灯不亮",
            "银杏路一段路灯坏了一个月没人修。",
            at(6, 9, 20),
            0,
        ),
    ]
}

fn ids(group: &jiesu_text::hot::HotGroup) -> Vec<&str> {
    let mut ids: Vec<&str> = group.member_ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn groups_same_issue_in_same_place() {
    let groups = HotDetector::default().discover(&fixture());
    assert_eq!(groups.len(), 2, "{groups:#?}");
    let water = groups
        .iter()
        .find(|g| g.member_ids.contains(&"w1".to_string()))
        .unwrap();
    assert_eq!(ids(water), ["w1", "w2", "w3", "w4"]);
    assert!(water.place.contains("翠湖苑"), "{}", water.place);
    assert!(water.description.contains("停水"), "{}", water.description);
    assert_eq!((water.first, water.last), (at(6, 1, 8), at(6, 7, 6)));
    assert_eq!((water.count, water.users, water.likes), (4, 4, 9));
    let noise = groups
        .iter()
        .find(|g| g.member_ids.contains(&"n1".to_string()))
        .unwrap();
    assert_eq!(ids(noise), ["n1", "n2", "n3", "n4"]);
    assert!(noise.place.contains("滨江路"), "{}", noise.place);
    // Oldest first.
    assert_eq!(noise.member_ids[0], "n1");
    // Ranked by heat.
    assert!(groups[0].heat >= groups[1].heat);
}

#[test]
fn same_issue_in_another_place_stays_apart() {
    let mut messages = fixture();
    messages.push(msg(
        "o1",
        "u20",
        "A2区金桂花园小区停水三天",
        "金桂花园小区停水三天，居民生活困难。",
        at(6, 3, 8),
        0,
    ));
    messages.push(msg(
        "o2",
        "u21",
        "金桂花园小区停水没人管",
        "A2区金桂花园小区停水，物业不管。",
        at(6, 4, 8),
        0,
    ));
    let groups = HotDetector::default().discover(&messages);
    for g in &groups {
        let water_here = g.member_ids.iter().any(|i| i.starts_with('w'));
        let water_there = g.member_ids.iter().any(|i| i.starts_with('o'));
        assert!(!(water_here && water_there), "{g:#?}");
    }
}

#[test]
fn one_citizen_writing_often_is_not_a_crowd() {
    let crowd: Vec<HotMessage> = (0..4)
        .map(|i| {
            msg(
                &format!("c{i}"),
                &format!("p{i}"),
                "A1区梧桐路夜市油烟扰民",
                "梧桐路夜市油烟很大。",
                at(6, 1 + i, 20),
                0,
            )
        })
        .collect();
    let alone: Vec<HotMessage> = (0..4)
        .map(|i| {
            msg(
                &format!("s{i}"),
                "same",
                "A6区桃源路夜市油烟扰民",
                "桃源路夜市油烟很大。",
                at(6, 1 + i, 20),
                0,
            )
        })
        .collect();
    let messages: Vec<HotMessage> = crowd.into_iter().chain(alone).collect();
    let groups = HotDetector::default().discover(&messages);
    assert_eq!(groups.len(), 2, "{groups:#?}");
    assert!(groups[0].member_ids[0].starts_with('c'));
    assert!(groups[0].heat > groups[1].heat);
}

#[test]
fn empty_input_has_no_groups() {
    assert!(HotDetector::default().discover(&[]).is_empty());
}

const CSV_HEADER: &str = "留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数\n";

#[test]
fn reads_the_board_export() {
    let csv = format!(
        "\u{feff}{CSV_HEADER}1,u1,\"翠湖苑小区\n停水\",2024/6/1 8:05:09,\"  全天停水　\",0,3\n2,u2,滨江路噪音,2024-06-02 23:00:00,夜间施工,1,\n"
    );
    let messages = read_messages_from(csv.as_bytes()).unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(
        messages[0].time,
        NaiveDate::from_ymd_opt(2024, 6, 1)
            .unwrap()
            .and_hms_opt(8, 5, 9)
            .unwrap()
    );
    assert_eq!((messages[0].likes, messages[0].dislikes), (3, 0));
    assert_eq!((messages[1].likes, messages[1].dislikes), (0, 1));
}

#[test]
fn reports_bad_rows_in_chinese() {
    let bad_time = format!("{CSV_HEADER}1,u1,标题,上周三,详情,0,0\n");
    let err = read_messages_from(bad_time.as_bytes()).unwrap_err();
    assert!(matches!(err, HotError::BadTime { row: 1, .. }));
    assert!(err.to_string().contains("上周三"));
    let missing = "编号,标题\n1,x\n";
    let err = read_messages_from(missing.as_bytes()).unwrap_err();
    assert!(matches!(err, HotError::MissingColumn(_)));
    assert!(err.to_string().contains("缺少"));
    let err = read_messages(std::path::Path::new("/nonexistent/hot.csv")).unwrap_err();
    assert!(err.to_string().contains("无法读取"));
}

#[test]
fn written_messages_read_back_the_same() {
    let messages = fixture();
    let mut csv = Vec::new();
    write_messages_to(&messages, &mut csv).unwrap();
    assert_eq!(read_messages_from(csv.as_slice()).unwrap(), messages);
}

#[test]
fn a_site_named_shorter_is_the_same_site() {
    let mut messages = fixture();
    messages.extend([
        msg(
            "s1",
            "u1",
            "A市南湖理工学院强制学生去工厂实习",
            "南湖理工学院要求学生寒假去工厂实习，不去不给学分。",
            at(11, 1, 9),
            0,
        ),
        msg(
            "s2",
            "u2",
            "A市理工学院寒假组织学生去工厂工作",
            "理工学院安排学生寒假去工厂做工，学生不愿意也要去实习。",
            at(11, 8, 9),
            0,
        ),
    ]);
    let groups = HotDetector::default().discover(&messages);
    let school = groups
        .iter()
        .find(|g| g.member_ids.contains(&"s1".to_string()))
        .expect("the internship messages form a group");
    assert_eq!(ids(school), ["s1", "s2"]);
}

#[test]
fn heat_is_explained_by_its_parts() {
    let mut messages = fixture();
    // Attention: the board rarely dislikes, so the noise complaints' dislikes weigh.
    for m in messages.iter_mut().filter(|m| m.id.starts_with('n')) {
        m.dislikes = 3;
    }
    let groups = HotDetector::default().discover(&messages);
    for g in &groups {
        let p = &g.parts;
        let sum = p.volume_part + p.attention_part + p.concentration_part + p.growth_part;
        assert!((g.heat - sum).abs() < 1e-9 && (p.total - g.heat).abs() < 1e-9);
        assert_eq!(
            (p.citizens, p.likes, p.dislikes),
            (g.users, g.likes, g.dislikes)
        );
        assert!(p.peak <= g.count && p.peak >= 1);
        assert!((0.0..=1.0).contains(&p.concentration) && (0.0..=1.0).contains(&p.growth));
    }
    let noise = groups
        .iter()
        .find(|g| g.member_ids.iter().all(|id| id.starts_with('n')))
        .expect("the noise complaints form a group");
    let water = groups
        .iter()
        .find(|g| g.member_ids.iter().all(|id| id.starts_with('w')))
        .expect("the water complaints form a group");
    assert!(noise.parts.attention_part > water.parts.attention_part);
}
