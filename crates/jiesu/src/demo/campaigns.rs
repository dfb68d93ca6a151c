//! The demo's suggestion campaigns (民生实事意见征集), with invented proposals: this year's,
//! open for proposals; and last year's, grouped, answered by departments (the adopted
//! groups are live tasks) and published.

use std::sync::Arc;

use anyhow::Result;
use chrono::{Datelike, Days, Duration, NaiveDate, Utc};
use jiesu_app::App;
use jiesu_domain::campaign::{Answer, CampaignDraft, Outcome, ProposalChannel, ProposalDraft};
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::User;
use jiesu_store::Store;

use super::city::City;

/// (title, text, topic, place, channel) of the invented proposals.
const PROPOSALS: &[(&str, &str, &str, &str, ProposalChannel)] = &[
    (
        "松风苑老楼加装电梯",
        "松风苑六层老楼住着很多老人，上下楼困难，希望统一加装电梯。",
        "老旧小区改造",
        "松风苑",
        ProposalChannel::Web,
    ),
    (
        "松风苑小区加装电梯补贴",
        "建议对松风苑加装电梯给予补贴，减轻居民出资负担。",
        "老旧小区改造",
        "松风苑",
        ProposalChannel::Letter,
    ),
    (
        "松风苑加装电梯尽快启动",
        "松风苑加装电梯已经议了两年，希望明年列入实事尽快启动。",
        "老旧小区改造",
        "松风苑",
        ProposalChannel::Web,
    ),
    (
        "青禾路增设公交站",
        "青禾路中段两站之间距离太远，建议增设一个公交站。",
        "交通出行",
        "青禾路",
        ProposalChannel::Web,
    ),
    (
        "青禾路公交站点太远",
        "从青禾路中段到最近的公交站要走二十分钟，老人孩子不方便。",
        "交通出行",
        "青禾路",
        ProposalChannel::Mail,
    ),
    (
        "城东公园增设公共厕所",
        "城东公园只有一处公厕，周末游人多排队很久，建议再建一处。",
        "公共设施",
        "城东公园",
        ProposalChannel::Web,
    ),
    (
        "城东公园公厕不够用",
        "城东公园北门附近没有厕所，建议增设。",
        "公共设施",
        "城东公园",
        ProposalChannel::Web,
    ),
    (
        "社区食堂延长营业时间",
        "河畔社区老年食堂只供应午餐，建议增加晚餐。",
        "养老服务",
        "河畔社区",
        ProposalChannel::Web,
    ),
    (
        "河畔社区老年食堂加晚餐",
        "河畔社区的老人希望老年食堂晚上也能开门。",
        "养老服务",
        "河畔社区",
        ProposalChannel::Letter,
    ),
    (
        "示范区第一小学门口拥堵",
        "放学时学校门口接送车辆多，建议设置临时停车区。",
        "交通出行",
        "示范区第一小学",
        ProposalChannel::Web,
    ),
    (
        "枫林街道增设充电桩",
        "枫林街道电动汽车越来越多，公共充电桩太少。",
        "公共设施",
        "枫林街道",
        ProposalChannel::Web,
    ),
    (
        "滨河步道补装路灯",
        "滨河步道东段晚上没有路灯，散步不安全。",
        "公共设施",
        "滨河步道",
        ProposalChannel::Mail,
    ),
];

/// Invented proposers: (name, phone).
const PEOPLE: &[(&str, &str)] = &[
    ("周先生", "13900010001"),
    ("吴女士", "13900010002"),
    ("郑先生", "13900010003"),
    ("冯女士", "13900010004"),
    ("陈先生", "13900010005"),
    ("褚女士", "13900010006"),
];

fn topics() -> Vec<String> {
    ["老旧小区改造", "交通出行", "公共设施", "养老服务"]
        .map(String::from)
        .to_vec()
}

fn proposals() -> Vec<ProposalDraft> {
    PROPOSALS
        .iter()
        .enumerate()
        .map(|(i, (title, text, topic, place, channel))| {
            let (name, phone) = PEOPLE[i % PEOPLE.len()];
            ProposalDraft {
                title: (*title).into(),
                text: (*text).into(),
                topic: (*topic).into(),
                place: (*place).into(),
                name: name.into(),
                phone: phone.into(),
                anonymous: i % 3 == 0,
                channel: *channel,
            }
        })
        .collect()
}

/// What last year's departments answered, in the groups' order (cycled).
const ANSWERS: &[(Outcome, &str)] = &[
    (Outcome::Adopted, "已列入明年民生实事项目，年内完成。"),
    (
        Outcome::PartlyAdopted,
        "先在条件成熟的地点试点，其余逐年推进。",
    ),
    (
        Outcome::NotAdopted,
        "该处地下管线密集，暂不具备建设条件，已纳入远期规划研究。",
    ),
];

/// Adds the two campaigns; `office` (a supervisor) groups last year's proposals, gives the
/// groups to departments, answers for them and publishes.
pub async fn create_campaigns(store: Arc<dyn Store>, city: &City, office: &User) -> Result<()> {
    let today = jiesu_app::stations::today();
    let bodies = store.bodies().await?;
    let departments: Vec<(BodyId, String)> = city
        .departments
        .iter()
        .filter_map(|(id, _)| bodies.iter().find(|b| b.id == *id))
        .map(|b| (b.id, b.name.clone()))
        .take(4)
        .collect();
    let this_year = CampaignDraft {
        title: format!("{}年民生实事项目意见征集", today.year() + 1),
        description: "明年为群众办哪些实事，请您来提。征集结束后，建议将按主题和地点汇总，由相关部门逐条答复，结果向社会公布。".into(),
        opens: today - Days::new(10),
        closes: today + Days::new(20),
        channels: ProposalChannel::ALL.to_vec(),
        topics: topics(),
        bodies: departments.iter().map(|(_, n)| n.clone()).collect(),
    };
    let now = Utc::now();
    let open = store
        .create_campaign(&this_year, now - Duration::days(10))
        .await?;
    let ids = store
        .add_proposals(open, &proposals()[..8], now - Duration::days(5))
        .await?;
    for (i, id) in ids.iter().enumerate() {
        for voter in 0..(i % 4) {
            store
                .support_proposal(*id, &format!("demo:{voter}"), now)
                .await?;
        }
    }
    let last_year = CampaignDraft {
        title: format!("{}年民生实事项目意见征集", today.year()),
        opens: NaiveDate::from_ymd_opt(today.year() - 1, 10, 1).unwrap_or(today),
        closes: NaiveDate::from_ymd_opt(today.year() - 1, 10, 31).unwrap_or(today),
        ..this_year
    };
    let closed = store
        .create_campaign(&last_year, now - Duration::days(400))
        .await?;
    store
        .add_proposals(closed, &proposals(), now - Duration::days(390))
        .await?;
    let app = App::load(store.clone()).await?;
    app.group_campaign(closed).await?;
    for (i, group) in store.groups(closed).await?.iter().enumerate() {
        let (body, _) = &departments[i % departments.len()];
        app.assign_group(group.id, *body).await?;
        let (outcome, reply) = ANSWERS[i % ANSWERS.len()];
        let answer = Answer {
            outcome,
            reply: reply.into(),
        };
        app.answer_group(group.id, answer, office).await?;
    }
    app.publish_campaign(closed).await?;
    Ok(())
}
