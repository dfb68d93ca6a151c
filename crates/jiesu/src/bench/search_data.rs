//! Synthetic appeals for `jiesu bench search`: made up from templates (places × problems ×
//! times × wording), appeal `i` of `n` always the same; no text comes from real data.

use chrono::{DateTime, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::status::Status;
use jiesu_search::SearchQuery;

use super::rng::Rng;

const DISTRICTS: &[&str] = &[
    "青川区",
    "临河区",
    "云峰区",
    "石桥区",
    "柳湾区",
    "北岭区",
    "南塘区",
    "东湖新区",
];
const ESTATE_HEADS: &[&str] = &[
    "翠湖", "锦绣", "阳光", "和平", "金桂", "春晖", "枫林", "长风", "滨河", "紫荆", "丽景", "康乐",
    "福瑞", "怡和", "嘉禾", "望江", "绿洲", "朝晖", "书香", "agile",
];
const ESTATE_TAILS: &[&str] = &["苑", "花园", "小区", "家园", "新村", "公寓", "雅居"];
const ROAD_HEADS: &[&str] = &[
    "建设", "解放", "迎宾", "学府", "胜利", "朝阳", "文化", "新华", "长兴", "青年", "体育", "工农",
    "育才", "永安", "兴业",
];
const ROAD_TAILS: &[&str] = &["路", "街", "大街", "北路", "南路", "东街"];
const STREETS: &[&str] = &[
    "城关街道",
    "河西街道",
    "东门街道",
    "新桥街道",
    "柳林镇",
    "石坪乡",
];

struct Problem {
    category: [&'static str; 2],
    appeal_type: AppealType,
    titles: &'static [&'static str],
    details: &'static [&'static str],
    keywords: &'static [&'static str],
}

const PROBLEMS: &[Problem] = &[
    Problem {
        category: ["城乡建设", "市政设施"],
        appeal_type: AppealType::Help,
        titles: &["路灯不亮", "路灯损坏", "夜间照明不足"],
        details: &[
            "门口的路灯一直不亮，晚上一片漆黑",
            "路边好几盏路灯坏了没人修",
            "小路没有照明，夜里走路看不清",
        ],
        keywords: &["路灯", "照明", "不亮"],
    },
    Problem {
        category: ["城乡建设", "道路维护"],
        appeal_type: AppealType::Complaint,
        titles: &["道路破损严重", "路面坑洼积水", "人行道砖松动"],
        details: &[
            "路面坑坑洼洼，下雨后全是积水",
            "人行道地砖松动翘起，已经有老人摔倒",
            "道路塌陷了一个大坑，车辆通行危险",
        ],
        keywords: &["路面", "坑洼", "积水", "人行道"],
    },
    Problem {
        category: ["城乡建设", "市政设施"],
        appeal_type: AppealType::Report,
        titles: &["井盖缺失", "窨井盖破损"],
        details: &[
            "路口的井盖不见了，只用一根树枝插着",
            "窨井盖破裂下陷，电动车经过容易翻倒",
        ],
        keywords: &["井盖", "窨井"],
    },
    Problem {
        category: ["生态环境", "噪声污染"],
        appeal_type: AppealType::Complaint,
        titles: &["夜间施工噪音扰民", "工地噪声过大", "广场舞音响扰民"],
        details: &[
            "附近工地夜里还在施工，机器轰鸣吵得睡不着",
            "工地搅拌机和打桩声音特别大",
            "广场舞音响开得很大，一直跳到深夜",
        ],
        keywords: &["噪音", "施工", "扰民", "广场舞"],
    },
    Problem {
        category: ["生态环境", "大气污染"],
        appeal_type: AppealType::Complaint,
        titles: &["餐馆油烟扰民", "露天烧烤油烟大"],
        details: &[
            "楼下餐馆油烟直排，窗户都不敢开",
            "路边露天烧烤烟雾很大，满屋子油烟味",
        ],
        keywords: &["油烟", "烧烤", "餐馆"],
    },
    Problem {
        category: ["城市管理", "环境卫生"],
        appeal_type: AppealType::Complaint,
        titles: &["垃圾清运不及时", "垃圾桶满溢无人清理"],
        details: &[
            "小区垃圾堆了好几天没人清运，气味难闻",
            "垃圾桶早就满了，垃圾散落一地招苍蝇",
        ],
        keywords: &["垃圾", "清运", "卫生"],
    },
    Problem {
        category: ["城乡建设", "供水"],
        appeal_type: AppealType::Help,
        titles: &["小区停水", "自来水水压低", "自来水浑浊发黄"],
        details: &[
            "整栋楼突然停水，也没有提前通知",
            "高层水压太低，洗澡都困难",
            "自来水发黄有异味，不敢饮用",
        ],
        keywords: &["停水", "水压", "自来水"],
    },
    Problem {
        category: ["城乡建设", "供热"],
        appeal_type: AppealType::Complaint,
        titles: &["暖气不热", "供暖温度不达标"],
        details: &[
            "家里暖气片冰凉，室内温度只有十几度",
            "供暖以来暖气一直不热，老人孩子都冻感冒了",
        ],
        keywords: &["暖气", "供暖", "温度"],
    },
    Problem {
        category: ["交通运输", "公共交通"],
        appeal_type: AppealType::Suggestion,
        titles: &["建议增设公交站点", "公交车班次太少"],
        details: &[
            "附近没有公交站，上班要走很远",
            "公交车半小时一班，早高峰根本挤不上",
        ],
        keywords: &["公交", "站点", "班次"],
    },
    Problem {
        category: ["交通运输", "交通秩序"],
        appeal_type: AppealType::Report,
        titles: &["车辆乱停乱放", "占用消防通道停车"],
        details: &[
            "车辆乱停在路边，堵住了小区出入口",
            "私家车长期占用消防通道，存在安全隐患",
        ],
        keywords: &["停车", "消防通道", "乱停"],
    },
    Problem {
        category: ["市场监管", "消费维权"],
        appeal_type: AppealType::Complaint,
        titles: &["超市价格欺诈", "健身房办卡后跑路", "商家拒绝退款"],
        details: &[
            "超市标价和结账价格不一致",
            "健身房收了年卡费用后突然关门",
            "网上买的商品有质量问题，商家拒绝退款",
        ],
        keywords: &["退款", "价格", "商家", "健身房"],
    },
    Problem {
        category: ["市场监管", "食品安全"],
        appeal_type: AppealType::Report,
        titles: &["餐馆卫生差", "售卖过期食品"],
        details: &[
            "饭店后厨卫生很差，吃完后拉肚子",
            "便利店货架上有过期食品在卖",
        ],
        keywords: &["食品", "过期", "卫生"],
    },
    Problem {
        category: ["劳动保障", "劳动关系"],
        appeal_type: AppealType::Help,
        titles: &["拖欠工资", "公司不缴社保"],
        details: &[
            "工地老板拖欠农民工工资三个月",
            "公司一直没给员工缴纳社会保险",
        ],
        keywords: &["工资", "拖欠", "社保"],
    },
    Problem {
        category: ["教育", "学前教育"],
        appeal_type: AppealType::Consultation,
        titles: &["咨询入学政策", "幼儿园收费过高"],
        details: &[
            "孩子明年上小学，想咨询划片入学的政策",
            "民办幼儿园收费过高还乱收费",
        ],
        keywords: &["入学", "幼儿园", "收费"],
    },
    Problem {
        category: ["住房", "物业管理"],
        appeal_type: AppealType::Complaint,
        titles: &["电梯经常故障", "物业服务差", "物业费乱涨价"],
        details: &[
            "电梯三天两头出故障，已经困过人",
            "物业不作为，楼道灯坏了也不修",
            "物业公司擅自上调物业费",
        ],
        keywords: &["电梯", "物业", "物业费"],
    },
    Problem {
        category: ["卫生健康", "医疗服务"],
        appeal_type: AppealType::Praise,
        titles: &["表扬社区医生", "医院挂号难"],
        details: &[
            "社区医生上门为老人看病，服务很贴心",
            "医院专家号一号难求，网上总是挂不上",
        ],
        keywords: &["医生", "医院", "挂号"],
    },
];

const OPENINGS: &[&str] = &[
    "",
    "您好，",
    "市民来电反映：",
    "我是附近居民，",
    "本人反映，",
];
const TIMES: &[&str] = &[
    "已经三天了",
    "从上周开始",
    "每天晚上十点以后",
    "近一个月来",
    "今天早上七点起",
    "连续两周",
    "每逢周末",
    "入冬以来",
];
const IMPACTS: &[&str] = &[
    "严重影响居民休息",
    "老人孩子出行很不方便",
    "给生活带来很大困扰",
    "存在安全隐患",
    "多次向物业反映无果",
    "周边商户意见很大",
    "打过几次电话都没人管",
];
const ASKS: &[&str] = &[
    "请相关部门尽快处理",
    "希望尽快派人维修",
    "请求有关部门督促整改",
    "希望给个说法",
    "请尽快协调解决",
    "盼早日解决",
];
const REPLIES: &[&str] = &[
    "经核实，已安排工作人员到现场处理，问题已解决",
    "已责成责任单位限期整改，并向市民做了解释",
    "经现场查看，相关设施已修复，市民表示满意",
    "该问题涉及多个部门，已协调联合处置",
];

/// Makes appeal `i` of `n`, always the same for the same `i`.
pub struct Generator {
    /// How many appeals the set has (at least one).
    pub n: usize,
    template: Appeal,
    pub now: DateTime<Utc>,
    start: DateTime<Utc>,
}

struct Parts {
    district: usize,
    estate: String,
    road: String,
    problem: usize,
    building: usize,
}

impl Generator {
    pub fn new(n: usize, now: DateTime<Utc>) -> Generator {
        Generator {
            n: n.max(1),
            template: template_appeal(now),
            now,
            start: now - chrono::Duration::days(730),
        }
    }

    fn parts(&self, i: usize) -> Parts {
        let mut rng = Rng::new(i as u64 ^ 0xA11CE);
        let estate = format!("{}{}", rng.pick(ESTATE_HEADS), rng.pick(ESTATE_TAILS));
        let road = format!("{}{}", rng.pick(ROAD_HEADS), rng.pick(ROAD_TAILS));
        Parts {
            district: rng.below(DISTRICTS.len()),
            estate,
            road,
            problem: rng.below(PROBLEMS.len()),
            building: 1 + rng.below(30),
        }
    }

    fn text(parts: &Parts, rng: &mut Rng) -> (String, String) {
        let problem = &PROBLEMS[parts.problem];
        let place = if rng.percent(50) {
            &parts.estate
        } else {
            &parts.road
        };
        let title = format!("{place}{}", rng.pick(problem.titles));
        let mut text = format!(
            "{}{}{}号楼附近{}，{}，{}，{}。",
            rng.pick(OPENINGS),
            place,
            parts.building,
            rng.pick(problem.details),
            rng.pick(TIMES),
            rng.pick(IMPACTS),
            rng.pick(ASKS),
        );
        if rng.percent(40) {
            text.push_str(&format!(
                "具体位置在{}与{}交叉口往东一百米。",
                parts.road,
                format_args!("{}{}", rng.pick(ROAD_HEADS), rng.pick(ROAD_TAILS))
            ));
        }
        if rng.percent(30) {
            text.push_str(&format!("联系电话留在了{}，", rng.pick(STREETS)));
            text.push_str(IMPACTS[rng.below(IMPACTS.len())]);
            text.push('。');
        }
        (title, text)
    }

    pub fn appeal(&self, i: usize) -> Appeal {
        let parts = self.parts(i);
        let mut rng = Rng::new((i as u64).wrapping_mul(31) ^ 0xB0B);
        let (title, text) = Self::text(&parts, &mut rng);
        let problem = &PROBLEMS[parts.problem];
        let span_ms = (self.now - self.start).num_milliseconds();
        let created_at = self.start
            + chrono::Duration::milliseconds(span_ms * i as i64 / self.n as i64)
            + chrono::Duration::seconds(rng.below(600) as i64);
        let age_days = (self.now - created_at).num_days();
        let status = if age_days > 20 {
            rng.pick(&[
                Status::Closed,
                Status::Closed,
                Status::Closed,
                Status::Archived,
                Status::Merged,
            ])
        } else {
            rng.pick(&[
                Status::Registered,
                Status::Dispatched,
                Status::Handling,
                Status::Handling,
                Status::Replied,
                Status::AwaitingCallback,
                Status::Closed,
            ])
        };
        let lead = 100 + (parts.district as i64) * 20 + parts.problem as i64;
        let co_bodies = if rng.percent(15) {
            vec![BodyId(900 + rng.below(10) as i64)]
        } else {
            Vec::new()
        };
        let last_reply = matches!(
            status,
            Status::Replied | Status::AwaitingCallback | Status::Closed | Status::Archived
        )
        .then(|| rng.pick(REPLIES).to_string());
        let mut appeal = self.template.clone();
        appeal.id = AppealId(i as i64 + 1);
        appeal.number = AppealNumber::new(created_at.date_naive(), (i % 100_000) as i64);
        appeal.channel = rng.pick(Channel::ALL);
        appeal.appeal_type = problem.appeal_type;
        appeal.title = title;
        appeal.text = text;
        appeal.place = Place {
            address: format!("{}{}号楼", parts.estate, parts.building),
            district: Some(DISTRICTS[parts.district].to_string()),
            street: Some(rng.pick(STREETS).to_string()),
            lat: None,
            lng: None,
        };
        appeal.category =
            CategoryPath::new(problem.category.iter().map(|s| s.to_string()).collect()).ok();
        appeal.status = status;
        appeal.lead_body = Some(BodyId(lead));
        appeal.co_bodies = co_bodies;
        appeal.last_reply = last_reply;
        appeal.created_at = created_at;
        appeal.updated_at = created_at;
        appeal
    }

    /// Another citizen's account of the same problem at the same place as appeal `i`.
    pub fn twin(&self, i: usize, rng: &mut Rng) -> Appeal {
        let mut twin = self.appeal(i);
        let parts = self.parts(i);
        let (title, text) = Self::text(&parts, rng);
        twin.title = title;
        twin.text = text;
        twin
    }

    /// One query of the benchmark's mix, with the name of its kind.
    pub fn query(&self, rng: &mut Rng) -> (&'static str, SearchQuery) {
        let problem = &PROBLEMS[rng.below(PROBLEMS.len())];
        let word = rng.pick(problem.keywords).to_string();
        let estate = format!("{}{}", rng.pick(ESTATE_HEADS), rng.pick(ESTATE_TAILS));
        let mut query = SearchQuery {
            limit: 10,
            ..SearchQuery::default()
        };
        let kind = match rng.below(100) {
            0..25 => {
                query.text = word;
                "word"
            }
            25..45 => {
                query.text = format!("{estate} {word}");
                "two words"
            }
            45..55 => {
                query.text = format!("\"{}\"", rng.pick(problem.titles));
                "phrase"
            }
            55..70 => {
                query.text = format!("{estate}{}", rng.pick(problem.titles));
                "sentence"
            }
            70..85 => {
                query.text = word;
                match rng.below(4) {
                    0 => query.filters.status = vec!["handling".into(), "dispatched".into()],
                    1 => query.filters.district = Some(rng.pick(DISTRICTS).to_string()),
                    2 => query.filters.category_l1 = Some(problem.category[0].to_string()),
                    _ => {
                        query.filters.bodies = Some(vec![
                            100 + rng.below(160) as i64,
                            900 + rng.below(10) as i64,
                        ])
                    }
                }
                "word + filter"
            }
            _ => {
                query.text = word;
                let days = rng.below(700) as i64;
                let from = self.now - chrono::Duration::days(days + 30);
                query.filters.from = Some(from);
                query.filters.to = Some(from + chrono::Duration::days(30));
                "word + dates"
            }
        };
        (kind, query)
    }
}

/// A newly registered appeal with empty texts, which [`Generator::appeal`] fills in.
fn template_appeal(at: DateTime<Utc>) -> Appeal {
    let draft = AppealDraft {
        channel: Channel::Hotline,
        appeal_type: AppealType::Help,
        title: String::new(),
        text: String::new(),
        citizen: Citizen::default(),
        place: Place::default(),
        category: None,
        urgency: Urgency::Normal,
        suggested: None,
    };
    registered(
        AppealId(1),
        AppealNumber::new(at.date_naive(), 1),
        draft,
        at,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn generator_is_deterministic() {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).single().unwrap();
        let g = Generator::new(10, now);
        assert_eq!(g.appeal(3), g.appeal(3));
        assert!(g.appeal(9).created_at <= g.now);
    }
}
