//! Demo government tasks (督查督办): a made-up work plan of the demo city, published with
//! lead bodies, milestones and a few progress reports, some accepted, one sent back, one
//! task done and closed — every text written for the demo.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use jiesu_app::tasks::BodyMapping;
use jiesu_app::tasks::follow;
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{Cadence, MilestoneDraft, ReportDraft, TaskDraft};
use jiesu_store::Store;

use super::City;

const DOCUMENT: &str = "示范市2026年城市更新重点工作方案";

/// (number, title, lead: 0 = first department, 1 = second, 2 = the demo street office)
const TASKS: [(&str, &str, usize); 4] = [
    ("一、（一）", "完成青禾小区等老旧小区雨污分流改造", 0),
    ("一、（二）", "新建口袋公园八处", 1),
    ("二、（一）", "推进背街小巷路灯全覆盖", 2),
    ("二、（二）", "建成社区便民服务站十个", 0),
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

pub async fn create_tasks(store: &dyn Store, city: &City) -> Result<()> {
    let now = Utc::now();
    let year = now.year();
    let leads = [
        city.departments[0].0,
        city.departments[1].0,
        city.demo_handler_body,
    ];
    let drafts: Vec<TaskDraft> = TASKS
        .iter()
        .map(|(number, title, _)| TaskDraft {
            document: DOCUMENT.into(),
            number: (*number).into(),
            section: String::new(),
            title: (*title).into(),
            text: format!("{title}，年底前完成并通过验收。"),
            lead_bodies: vec![],
            co_bodies: vec![],
            due: Some(date(year, 12, 31)),
            cadence: Cadence::Monthly { day: 28 },
        })
        .collect();
    let published_at = now - Duration::days(120);
    let ids = store.create_task_drafts(&drafts, published_at).await?;
    let mapping = BodyMapping {
        names: BTreeMap::new(),
        leads: ids
            .iter()
            .zip(TASKS.iter())
            .map(|(id, (_, _, lead))| (*id, vec![leads[*lead]]))
            .collect(),
    };
    jiesu_app::tasks::publish_with_bodies(store, &ids, &mapping, published_at).await?;

    let users = store.users().await?;
    let office = users
        .iter()
        .find(|u| u.username == "supervisor")
        .context("演示督办员不存在")?;
    let by_body = |body: BodyId| users.iter().find(|u| u.body == Some(body));
    let calendar = jiesu_app::settings::stored::calendar(store).await?;
    for (i, id) in ids.iter().enumerate() {
        let milestones = vec![
            MilestoneDraft {
                due: (now - Duration::days(30)).date_naive(),
                expected: "完成方案设计和招标".into(),
            },
            MilestoneDraft {
                due: date(year, 12, 15),
                expected: "完成施工并组织验收".into(),
            },
        ];
        let milestone_ids = follow::add_milestones(store, office, *id, milestones).await?;
        // The demo handler reports on its street's task; the office records the others.
        let reporter = by_body(leads[TASKS[i].2]).unwrap_or(office);
        let report = |text: &str, percent, milestone| ReportDraft {
            text: text.into(),
            percent,
            attachments: vec!["现场照片.jpg".into()],
            milestone,
        };
        let first = follow::report(
            store,
            &calendar,
            reporter,
            *id,
            report("方案设计完成，已完成招标", 40, Some(milestone_ids[0])),
            now - Duration::days(35),
        )
        .await?;
        follow::review(store, office, first, true, "", now - Duration::days(34)).await?;
        match i {
            0 => {
                let done = follow::report(
                    store,
                    &calendar,
                    reporter,
                    *id,
                    report("改造全部完成，已通过验收", 100, Some(milestone_ids[1])),
                    now - Duration::days(3),
                )
                .await?;
                follow::review(store, office, done, true, "", now - Duration::days(2)).await?;
                follow::close(
                    store,
                    office,
                    *id,
                    "现场核实，改造完成",
                    now - Duration::days(1),
                )
                .await?;
            }
            1 => {
                let back = follow::report(
                    store,
                    &calendar,
                    reporter,
                    *id,
                    report("已开工", 55, None),
                    now - Duration::days(5),
                )
                .await?;
                follow::review(store, office, back, false, "请写明已完成的点位和数量", now).await?;
            }
            _ => {}
        }
    }
    Ok(())
}
