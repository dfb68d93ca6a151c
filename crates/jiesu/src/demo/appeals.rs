//! Demo appeals (演示诉求): written from templates of everyday city problems, then walked
//! through the real lifecycle rules to a state that fits their age — a steady daily volume
//! with a weekly rhythm, most older appeals closed on time, a few hundred open, a few
//! flagged, and some problems reported again and again in one place (hot issues).

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::deadline::Timekeeper;
use jiesu_domain::event::{Event, EventKind, Satisfaction};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::{Actor, Role};
use jiesu_store::ImportedAppeal;
use rand::RngExt;
use rand::rngs::StdRng;

use super::city::{City, Spot};

/// A problem template: category path, the usual type, title and text with `{p}` for the place.
struct Template {
    category: &'static str,
    kind: AppealType,
    title: &'static str,
    text: &'static str,
}

const fn t(
    category: &'static str,
    kind: AppealType,
    title: &'static str,
    text: &'static str,
) -> Template {
    Template {
        category,
        kind,
        title,
        text,
    }
}

use AppealType::*;

const TEMPLATES: &[Template] = &[
    t(
        "城乡建设/市政设施/路灯照明",
        Complaint,
        "{p}路灯长期不亮",
        "{p}一带的路灯已经连续多日不亮，夜间出行很不安全，老人孩子经常摔倒，希望尽快安排维修。",
    ),
    t(
        "城乡建设/市政设施/道路破损",
        Complaint,
        "{p}路面坑洼积水",
        "{p}路面出现多处坑洼，下雨后积水严重，车辆和行人通行困难，请有关部门尽快修补。",
    ),
    t(
        "城乡建设/市政设施/井盖缺失",
        Report,
        "{p}井盖缺失存在隐患",
        "{p}人行道上有一个井盖缺失，只用树枝简单围挡，晚上看不清，存在很大安全隐患。",
    ),
    t(
        "城乡建设/供水供气供暖/停水",
        Help,
        "{p}突然停水无通知",
        "{p}从昨天下午开始停水，事先没有任何通知，居民生活受到严重影响，请问什么时候能恢复供水？",
    ),
    t(
        "城乡建设/供水供气供暖/供暖不热",
        Complaint,
        "{p}暖气温度不达标",
        "{p}入冬以来室内温度只有十五六度，多次联系物业和供热单位都没有解决，家里有老人和婴儿。",
    ),
    t(
        "城乡建设/物业管理/物业服务",
        Complaint,
        "{p}物业不作为",
        "{p}的物业公司收费后不提供服务，楼道垃圾堆积无人清理，电梯经常故障，业主意见很大。",
    ),
    t(
        "城乡建设/房屋建设/商品房交付",
        Complaint,
        "{p}楼盘逾期交房",
        "{p}的开发商承诺的交房日期已过去半年，至今没有交房，也不给业主任何说法，请求政府协调。",
    ),
    t(
        "城乡建设/市容环卫/垃圾清运",
        Complaint,
        "{p}垃圾清运不及时",
        "{p}的垃圾箱满了好几天没人清运，气味难闻，还招来很多蚊蝇，影响周边居民生活。",
    ),
    t(
        "城乡建设/市容环卫/违章搭建",
        Report,
        "{p}有人违章搭建",
        "{p}有住户在公共绿地上私自搭建彩钢房，占用公共空间，影响消防通道，请依法查处。",
    ),
    t(
        "环境保护/噪声污染/施工噪声",
        Complaint,
        "{p}夜间施工噪音扰民",
        "{p}附近的工地每天晚上十一点以后还在施工，噪音很大，周边居民无法休息，请相关部门管一管。",
    ),
    t(
        "环境保护/噪声污染/商业噪声",
        Complaint,
        "{p}商铺音响噪音大",
        "{p}的几家商铺门口整天开着大音响招揽顾客，声音特别大，附近居民和学生深受其扰。",
    ),
    t(
        "环境保护/大气污染/油烟扰民",
        Complaint,
        "{p}餐馆油烟直排",
        "{p}楼下新开的餐馆油烟没有经过净化直接排放，油烟味窜进楼上住户家中，无法开窗。",
    ),
    t(
        "环境保护/大气污染/扬尘",
        Complaint,
        "{p}工地扬尘严重",
        "{p}的建筑工地没有覆盖裸土，也不洒水降尘，刮风时尘土飞扬，周边车辆和窗户全是灰。",
    ),
    t(
        "交通运输/公共交通/公交线路",
        Suggestion,
        "建议{p}增设公交站点",
        "{p}周边居民越来越多，但最近的公交站要走一公里以上，建议增设站点或调整线路方便出行。",
    ),
    t(
        "交通运输/道路交通/停车管理",
        Complaint,
        "{p}车辆乱停占道",
        "{p}两侧车辆乱停乱放，占用人行道和消防通道，早晚高峰经常堵塞，请加强管理。",
    ),
    t(
        "交通运输/道路交通/交通信号",
        Suggestion,
        "{p}路口红绿灯时间不合理",
        "{p}路口的行人绿灯时间太短，老人过马路走不到一半就变灯了，建议延长行人通行时间。",
    ),
    t(
        "劳动和社会保障/劳动关系/拖欠工资",
        Help,
        "{p}工地拖欠农民工工资",
        "我们在{p}的工地干活，老板拖欠三个月工资不发，多次讨要无果，请求帮助追讨。",
    ),
    t(
        "劳动和社会保障/社会保险/养老保险",
        Consultation,
        "咨询养老保险转移接续",
        "本人之前在外地缴纳养老保险，现在回本市工作，请问养老保险关系如何转移接续，需要哪些材料？",
    ),
    t(
        "劳动和社会保障/社会保险/医疗保险",
        Consultation,
        "咨询异地就医备案办理",
        "家中老人需要到外地就医，请问医保异地就医备案在哪里办理，能否在网上办理？",
    ),
    t(
        "教育文体/义务教育/入学划片",
        Consultation,
        "咨询{p}学区划分",
        "孩子明年上小学，家住{p}，请问对口哪所学校，今年的划片范围是否有变化？",
    ),
    t(
        "教育文体/义务教育/校外培训",
        Report,
        "{p}违规校外培训",
        "{p}有培训机构在周末违规开展学科类培训，收费很高，希望教育部门查处。",
    ),
    t(
        "教育文体/文化体育/全民健身",
        Suggestion,
        "建议{p}增加健身设施",
        "{p}附近没有适合老年人的健身场所，建议利用闲置空地增设健身器材和步道。",
    ),
    t(
        "商贸旅游/市场监管/食品安全",
        Report,
        "{p}小吃店卫生差",
        "{p}的一家小吃店后厨卫生条件很差，食材随意堆放在地上，怀疑存在食品安全问题。",
    ),
    t(
        "商贸旅游/市场监管/价格投诉",
        Complaint,
        "{p}超市价格欺诈",
        "{p}的超市标价和结账价格不一致，结账时多收钱，找店员理论也不给退，请求处理。",
    ),
    t(
        "卫生计生/医疗服务/医患纠纷",
        Complaint,
        "{p}诊所服务态度差",
        "在{p}的社区诊所看病时医生态度恶劣，还多开不必要的检查，希望卫生部门调查。",
    ),
    t(
        "卫生计生/公共卫生/疫苗接种",
        Consultation,
        "咨询{p}疫苗接种时间",
        "请问{p}社区卫生服务中心的儿童疫苗接种时间是哪几天，是否需要提前预约？",
    ),
    t(
        "公安司法/治安管理/治安隐患",
        Report,
        "{p}夜间有人聚集滋事",
        "{p}附近每到深夜就有人聚集喝酒喧哗，还有打架的情况，居民很害怕，希望加强巡逻。",
    ),
    t(
        "公安司法/户籍管理/户口迁移",
        Consultation,
        "咨询户口迁入办理",
        "本人在{p}购买了住房，想把户口迁进来，请问需要准备哪些材料，到哪里办理？",
    ),
    t(
        "民政/社会救助/低保",
        Help,
        "申请低保无人受理",
        "家住{p}，家中老人生病失去劳动能力，申请低保材料交了两个月没有回音，请求帮助。",
    ),
    t(
        "民政/养老服务/养老机构",
        Suggestion,
        "建议{p}建设社区食堂",
        "{p}独居老人较多，吃饭是个大问题，建议建设社区老年食堂或提供送餐服务。",
    ),
    t(
        "政府综合/政务服务/办事效率",
        Praise,
        "表扬{p}便民服务中心",
        "在{p}便民服务中心办理业务时，工作人员耐心细致，主动帮忙填表，一次就办好了，特此表扬。",
    ),
    t(
        "政府综合/行政复议/复议申请",
        Reconsideration,
        "对{p}处罚决定申请复议",
        "本人对{p}执法部门作出的行政处罚决定不服，现申请行政复议，请转有管辖权的机关处理。",
    ),
    t(
        "科技信息/通信服务/网络信号",
        Complaint,
        "{p}手机信号差",
        "{p}室内手机信号很弱，经常打不通电话，宽带也不稳定，希望运营商尽快改善。",
    ),
];

const SURNAMES: &[&str] = &[
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "郭", "孙",
];
const RETURN_REASONS: &[&str] = &[
    "该事项不属于本单位职责范围",
    "诉求地点不在本辖区",
    "应由供水企业处理",
];
const REPLIES: &[&str] = &[
    "经核实，情况属实。我单位已安排人员现场处理，问题已解决，并电话告知诉求人。依据相关规定，后续将加强日常巡查。联系人：办公室，电话 12345 转。",
    "接到诉求后，我单位工作人员当日到现场调查，已责令相关责任方限期整改，并将持续跟踪整改情况。如有疑问请联系本单位。",
    "经调查，该问题涉及多个部门，我单位已牵头协调，预计本月底前完成处理。处理依据为相关管理办法，已向诉求人说明。",
];

/// The channel an appeal came in by, weighted like a real centre (most by phone).
fn channel(rng: &mut StdRng) -> Channel {
    let r = rng.random_range(0..100);
    match r {
        0..55 => Channel::Hotline,
        55..70 => Channel::Website,
        70..80 => Channel::Wechat,
        80..84 => Channel::Email,
        84..88 => Channel::Letter,
        88..93 => Channel::LiaisonStation,
        93..96 => Channel::LeaderMailbox,
        _ => Channel::MessageBoard,
    }
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn staff(role: Role, name: &str, body: Option<BodyId>) -> Actor {
    Actor {
        user: None,
        name: name.into(),
        role: Some(role),
        body,
        system: false,
    }
}

/// The body that handles a template at a spot: the street office for local matters, the
/// department or company for city-wide ones.
fn responsible(city: &City, template: &Template, spot: &Spot, rng: &mut StdRng) -> BodyId {
    let first = template.category.split('/').next().unwrap_or_default();
    if template.category.contains("供水") && rng.random_bool(0.5) {
        return city.companies[0];
    }
    match city.departments.iter().find(|(_, c)| *c == first) {
        Some((dept, _)) if rng.random_bool(0.4) => *dept,
        _ if rng.random_bool(0.15) => spot.district_body,
        _ => spot.street_body,
    }
}

/// Builds one appeal's events up to a stage that fits its age.
struct Walk<'a> {
    appeal: Appeal,
    events: Vec<Event>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    rng: &'a mut StdRng,
}

impl Walk<'_> {
    /// Records `kind` if the lifecycle allows it and there is time left before now.
    fn step(&mut self, kind: EventKind, actor: Actor, max_hours: i64) -> bool {
        let at = self.at + Duration::minutes(self.rng.random_range(10..=max_hours.max(1) * 60));
        if at >= self.now || self.appeal.check(&kind, &actor, at).is_err() {
            return false;
        }
        let event = Event::new(
            self.appeal.id,
            self.events.len() as i64 + 1,
            kind,
            actor,
            at,
            "",
        );
        self.appeal.apply(&event);
        self.events.push(event);
        self.at = at;
        true
    }
}

/// How many days back the demo's appeals reach.
const DAYS: i64 = 90;

/// Problems many citizens report in the same place over the last two weeks (hot issues):
/// (a template's category, the index of the spot).
const HOT: &[(&str, usize)] = &[
    ("城乡建设/供水供气供暖/停水", 40),
    ("环境保护/噪声污染/施工噪声", 7),
    ("城乡建设/供水供气供暖/供暖不热", 22),
];

/// How many of the demo's appeals (after the first) are calls of the last hours, waiting
/// for dispatch.
const FRESH: usize = 6;

/// Share of the last two weeks' appeals that report one of the [`HOT`] problems.
const HOT_SHARE: f64 = 0.07;

/// When an appeal came in: a day of the last [`DAYS`] (weekends quieter), office hours
/// busier than the night; never in the future, so today has only its hours so far.
/// One appeal in `VAGUE_EVERY` says little about its problem, as hurried calls do; the
/// category the centre gave it still stands, so smart dispatch meets cases its words
/// cannot settle and the demo's operating curve is not a flat line.
const VAGUE_EVERY: usize = 12;

/// Wordings that name no problem, with `{p}` for the place.
const VAGUE: &[(&str, &str)] = &[
    (
        "{p}的问题请尽快处理",
        "{p}的事情已经反映过好几次了，一直没有解决，希望有关部门过来看看。",
    ),
    (
        "反映{p}的情况",
        "想反映一下{p}那边的情况，影响到周边居民了，请相关单位核实处理。",
    ),
    (
        "{p}老问题没人管",
        "{p}这个问题存在很久了，打过电话也没有结果，请给个说法。",
    ),
];

fn received_at(now: DateTime<Utc>, rng: &mut StdRng) -> DateTime<Utc> {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let today = now.with_timezone(&beijing).date_naive();
    loop {
        let day = today - Duration::days(rng.random_range(0..DAYS));
        let weight = match day.weekday() {
            Weekday::Sat => 0.6,
            Weekday::Sun => 0.5,
            _ => 1.0,
        };
        if !rng.random_bool(weight) {
            continue;
        }
        let hour = if rng.random_bool(0.85) {
            rng.random_range(8..20)
        } else {
            rng.random_range(0..24)
        };
        let time = NaiveTime::from_hms_opt(hour, rng.random_range(0..60), 0).expect("valid");
        let Some(at) = beijing.from_local_datetime(&day.and_time(time)).single() else {
            continue;
        };
        let at = at.with_timezone(&Utc);
        if at < now - Duration::minutes(5) {
            return at;
        }
    }
}

/// Generates `n` appeals (numbered from `offset`) created over the [`DAYS`] before `now`.
pub fn generate_appeals(
    city: &City,
    timekeeper: &Timekeeper,
    n: usize,
    offset: usize,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> Vec<ImportedAppeal> {
    (0..n)
        .map(|i| one_appeal(city, timekeeper, offset + i, now, rng))
        .collect()
}

fn one_appeal(
    city: &City,
    timekeeper: &Timekeeper,
    serial: usize,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> ImportedAppeal {
    // The newest calls, taken in the last hours, still wait for dispatch.
    let fresh = (1..=FRESH).contains(&serial);
    let created = if fresh {
        now - Duration::minutes(rng.random_range(5..180))
    } else {
        received_at(now, rng)
    };
    let hot = created > now - Duration::days(14) && rng.random_bool(HOT_SHARE);
    let (template, spot) = if hot {
        let (category, spot) = pick(rng, HOT);
        let template = TEMPLATES
            .iter()
            .find(|t| t.category == *category)
            .expect("hot problems name a template");
        (template, city.spots[spot % city.spots.len()].clone())
    } else {
        (pick(rng, TEMPLATES), pick(rng, &city.spots).clone())
    };
    let place_name = format!("{}{}", spot.district, spot.landmark);
    let surname = pick(rng, SURNAMES);
    let anonymous = rng.random_bool(0.05);
    let kind = if rng.random_bool(0.85) {
        template.kind
    } else {
        *pick(rng, AppealType::ALL)
    };
    let wording = if !hot && !fresh && serial % VAGUE_EVERY == VAGUE_EVERY / 2 {
        VAGUE[serial / VAGUE_EVERY % VAGUE.len()]
    } else {
        (template.title, template.text)
    };
    let draft = AppealDraft {
        channel: channel(rng),
        appeal_type: kind,
        title: wording.0.replace("{p}", &place_name),
        text: wording.1.replace("{p}", &place_name),
        citizen: Citizen {
            name: (!anonymous).then(|| {
                format!(
                    "{surname}{}",
                    if rng.random_bool(0.5) {
                        "先生"
                    } else {
                        "女士"
                    }
                )
            }),
            phone: Some(format!(
                "1{}{:09}",
                pick(rng, &[3, 5, 7, 8, 9]),
                rng.random_range(0..1_000_000_000u64)
            )),
            email: None,
            confidential: rng.random_bool(0.1),
            anonymous,
        },
        place: Place {
            address: format!("示范市{}{}{}", spot.district, spot.street, spot.landmark),
            district: Some(spot.district.clone()),
            street: Some(spot.street.clone()),
            lat: None,
            lng: None,
        },
        category: Some(
            CategoryPath::parse(template.category).expect("templates name valid categories"),
        ),
        urgency: match rng.random_range(0..100) {
            0..3 => Urgency::Critical,
            3..12 => Urgency::Urgent,
            _ => Urgency::Normal,
        },
        suggested: None,
    };
    let id = AppealId(0);
    let day = created
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .date_naive();
    let number = AppealNumber::new(
        day,
        90_000 + (serial % 10_000) as i64 + (serial / 10_000) as i64 * 100_000,
    );
    let register = Event::new(
        id,
        1,
        EventKind::Register {
            draft: Box::new(draft.clone()),
        },
        Actor::citizen(),
        created,
        "",
    );
    let mut walk = Walk {
        appeal: registered(id, number, draft, created),
        events: vec![register],
        at: created,
        now,
        rng,
    };
    if serial == 0 {
        walk_merge_lead(city, template, &spot, &mut walk);
    } else if !fresh {
        walk_lifecycle(city, template, &spot, &mut walk);
    }
    walk.appeal.deadline = timekeeper.deadline(&walk.appeal, &walk.events);
    let code = format!("{:06}", walk.rng.random_range(0..1_000_000u32));
    ImportedAppeal {
        appeal: walk.appeal,
        events: walk.events,
        query_code: code,
    }
}

/// The demo's first appeal, which its merged appeals follow: dispatched and signed, then
/// still in handling (no answer yet for its followers to take over).
fn walk_merge_lead(city: &City, template: &Template, spot: &Spot, w: &mut Walk<'_>) {
    let lead = responsible(city, template, spot, w.rng);
    let dispatch = EventKind::Dispatch {
        lead,
        co: vec![],
        note: String::new(),
        category: None,
        auto: None,
    };
    if w.step(dispatch, staff(Role::Dispatcher, "派单员老陈", None), 2) {
        w.step(
            EventKind::Sign,
            staff(Role::Handler, "承办人", Some(lead)),
            20,
        );
    }
}

/// Where an appeal's walk stops, as a roll of [`walk_lifecycle`] (44 and above: to the
/// end). A centre closes most appeals well within their limits: the older the appeal, the
/// likelier it went all the way. One a few days old waits in handling (whose limit runs for
/// weeks), not in a step with a limit of hours; a `quick` appeal (a short reply limit:
/// urgent, or a consultation, a request for help, a praise, a reconsideration) is done
/// after a day or two.
fn stage_roll(age_days: i64, quick: bool, rng: &mut StdRng) -> u32 {
    if age_days < 2 {
        return rng.random_range(0..100);
    }
    let finished = match age_days {
        14.. => 0.998,
        _ if quick => 0.99,
        2..=4 => 0.3,
        5..=9 => 0.7,
        _ => 0.9,
    };
    if rng.random_bool(finished) {
        return rng.random_range(44..100);
    }
    if age_days <= 3 {
        *pick(rng, &[15, 18, 21, 27, 30, 33, 40, 42])
    } else {
        *pick(rng, &[15, 18, 21])
    }
}

/// Flags a few appeals still in handling (挂牌督办), as supervisors do with the ones the
/// public presses for.
fn maybe_flag(w: &mut Walk<'_>) {
    if w.appeal.status == jiesu_domain::status::Status::Handling && w.rng.random_bool(0.04) {
        w.step(
            EventKind::Flag {
                note: "群众反映强烈，挂牌督办".into(),
            },
            staff(Role::Supervisor, "督办员赵敏", None),
            24,
        );
    }
}

fn walk_lifecycle(city: &City, template: &Template, spot: &Spot, w: &mut Walk<'_>) {
    walk_steps(city, template, spot, w);
    maybe_flag(w);
}

fn walk_steps(city: &City, template: &Template, spot: &Spot, w: &mut Walk<'_>) {
    let operator = staff(Role::Operator, "话务员小周", None);
    let dispatcher = staff(Role::Dispatcher, "派单员老陈", None);
    let supervisor = staff(Role::Supervisor, "督办员赵敏", None);
    let quick = w.appeal.urgency != Urgency::Normal
        || matches!(
            w.appeal.appeal_type,
            Consultation | Help | Praise | Reconsideration
        );
    let roll = stage_roll((w.now - w.at).num_days(), quick, w.rng);
    if roll < 4 {
        return; // still waiting for dispatch
    }
    if w.appeal.appeal_type == Consultation && !(30..85).contains(&roll) {
        let answer = "已根据知识库答复诉求人，诉求人表示清楚。".to_string();
        w.step(
            EventKind::AnswerDirectly {
                answer,
                article: None,
            },
            operator,
            1,
        );
        return;
    }
    let mut lead = responsible(city, template, spot, w.rng);
    if roll < 12 && w.rng.random_bool(0.5) {
        // A merge into an earlier appeal of the same batch is not possible here; merge into a
        // fixed lead keeps the state realistic without a live target: the demo's first
        // appeal (id 1 in the empty store the demo fills), kept in handling by
        // `walk_merge_lead` so that its followers wait for its answer.
        let into = AppealId(1);
        w.step(
            EventKind::Merge {
                into,
                note: "与此前同类诉求并案办理".into(),
            },
            dispatcher,
            2,
        );
        return;
    }
    let dispatch = |lead, co: &[BodyId]| EventKind::Dispatch {
        lead,
        co: co.to_vec(),
        note: String::new(),
        category: None,
        auto: None,
    };
    // Every fourth appeal also goes to the street office as a co-body (协办), when that is
    // another body.
    let co: Vec<BodyId> = Some(spot.street_body)
        .filter(|street| *street != lead && roll.is_multiple_of(4))
        .into_iter()
        .collect();
    if !w.step(dispatch(lead, &co), dispatcher.clone(), 2) || roll < 9 {
        return;
    }
    if roll < 14 {
        let reason = pick(w.rng, RETURN_REASONS).to_string();
        if !w.step(
            EventKind::Return { reason },
            staff(Role::Handler, "承办人", Some(lead)),
            20,
        ) || roll < 12
        {
            return; // the return waits for the dispatcher
        }
        // The dispatcher judges it (退单审核): re-dispatched to the street office when that
        // is another body, otherwise back to the body as an invalid return.
        let approved = spot.street_body != lead;
        let reason = if approved {
            "经核实不属于原单位职责，改派属地街道"
        } else {
            "经核实属于本单位职责，请继续办理"
        };
        let judgement = EventKind::JudgeReturn {
            approved,
            reason: reason.into(),
        };
        if !w.step(judgement, dispatcher.clone(), 4) {
            return;
        }
        if approved {
            lead = spot.street_body;
            if !w.step(dispatch(lead, &[]), dispatcher, 1) {
                return;
            }
        }
    }
    let handler = staff(Role::Handler, "承办人", Some(lead));
    if !w.step(EventKind::Sign, handler.clone(), 20) {
        return;
    }
    let contact = EventKind::Contact {
        note: "已电话联系诉求人，了解具体情况".into(),
    };
    if !w.step(contact, handler.clone(), 6) || roll < 22 {
        return;
    }
    if roll < 26 {
        let until = (w.at + Duration::days(15)).date_naive();
        if w.step(
            EventKind::RequestExtension {
                reason: "需协调多个部门，申请延期".into(),
                until,
            },
            handler.clone(),
            48,
        ) && w.rng.random_bool(0.6)
        {
            w.step(
                EventKind::DecideExtension {
                    approve: true,
                    note: String::new(),
                },
                supervisor.clone(),
                8,
            );
        }
    }
    // Half the co-bodies give their opinion (协办意见) before the lead replies.
    if let Some(co) = w
        .appeal
        .co_bodies
        .first()
        .copied()
        .filter(|_| roll.is_multiple_of(8))
    {
        let opinion = "本单位已配合现场核查，职责范围内的事项已处理完毕。".to_string();
        w.step(
            EventKind::CoOpinion { text: opinion },
            staff(Role::Handler, "协办人", Some(co)),
            24,
        );
    }
    let reply = pick(w.rng, REPLIES).to_string();
    if !w.step(EventKind::Reply { text: reply }, handler.clone(), 24 * 6) || roll < 34 {
        return;
    }
    if roll < 38 {
        w.step(
            EventKind::Review {
                approve: false,
                reason: "答复未说明处理依据，请补充".into(),
            },
            supervisor.clone(),
            8,
        );
        let again = "补充说明：依据相关管理规定，已完成整改并复查。".to_string();
        if !w.step(EventKind::Reply { text: again }, handler, 48) {
            return;
        }
    }
    if !w.step(
        EventKind::Review {
            approve: true,
            reason: String::new(),
        },
        supervisor.clone(),
        8,
    ) || roll < 44
    {
        return;
    }
    let satisfaction = match w.rng.random_range(0..10) {
        0..6 => Satisfaction::Satisfied,
        6..8 => Satisfaction::FairlySatisfied,
        _ => Satisfaction::Dissatisfied,
    };
    let solved = satisfaction != Satisfaction::Dissatisfied || w.rng.random_bool(0.3);
    if !w.step(
        EventKind::Callback {
            solved,
            satisfaction,
            note: "电话回访".into(),
        },
        supervisor.clone(),
        24,
    ) {
        return;
    }
    if w.appeal.status == jiesu_domain::status::Status::Handling {
        // Sent back after an unhappy callback (重办): handled again, and this time solved.
        let handler = staff(Role::Handler, "承办人", Some(lead));
        let again = "重新办理：已再次到现场核实处理，问题已解决，并当面告知诉求人。".to_string();
        let approve = EventKind::Review {
            approve: true,
            reason: String::new(),
        };
        if w.step(EventKind::Reply { text: again }, handler, 24 * 3)
            && w.step(approve, supervisor.clone(), 8)
        {
            w.step(
                EventKind::Callback {
                    solved: true,
                    satisfaction: Satisfaction::FairlySatisfied,
                    note: "再次回访".into(),
                },
                supervisor.clone(),
                24,
            );
        }
    }
    if w.appeal.status == jiesu_domain::status::Status::Closed
        && w.at < w.now - Duration::days(30)
        && w.rng.random_bool(0.5)
    {
        w.step(EventKind::Archive, supervisor, 24 * 3);
    }
}
