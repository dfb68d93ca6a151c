//! `jiesu bench campaign`: grouping a campaign's proposals (汇总分组) at city scale.
//!
//! The proposals are the hot-issue benchmark's invented board messages (`jiesu bench hot
//! --generate`), each taken as a proposal of its writer with its likes as public support.
//! Times the campaign's grouping and ranking ([`jiesu_app::campaigns::grouping::rank`]) —
//! what `jiesu campaigns group` runs between reading the proposals and storing the groups —
//! prints the ten largest groups, then `RESULT proposals=… groups=… grouping_s=…`.

use std::time::Instant;

use anyhow::{Result, bail};
use chrono::{TimeZone, Utc};
use jiesu_app::campaigns::grouping::rank;
use jiesu_domain::campaign::{ProposalChannel, ProposalDraft};
use jiesu_store::StoredProposal;

use super::hot_data::generate_planted;
use super::print_result;

/// Groups shown before the result line.
const SHOWN: usize = 10;

pub fn run(proposals: usize) -> Result<()> {
    if proposals == 0 {
        bail!("--proposals 必须大于 0");
    }
    eprintln!("生成 {proposals} 条模拟建议…");
    let planted = generate_planted(proposals);
    let list: Vec<StoredProposal> = planted
        .messages
        .into_iter()
        .enumerate()
        .map(|(i, m)| StoredProposal {
            id: i as i64 + 1,
            campaign: 1,
            draft: ProposalDraft {
                title: m.title,
                text: m.text,
                topic: String::new(),
                place: String::new(),
                name: m.user,
                phone: String::new(),
                anonymous: false,
                channel: ProposalChannel::Web,
            },
            supports: i64::from(m.likes),
            group: None,
            created_at: Utc.from_utc_datetime(&m.time),
        })
        .collect();
    eprintln!("汇总分组…");
    let started = Instant::now();
    let groups = rank(&list);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{:>4} {:>6} {:>6} {:>6}  主题",
        "排名", "人数", "支持", "条数"
    );
    for g in groups.iter().take(SHOWN) {
        println!(
            "{:>4} {:>6} {:>6} {:>6}  {}",
            g.rank,
            g.people,
            g.supports,
            g.proposals.len(),
            g.subject
        );
    }
    print_result(&[
        ("proposals", list.len().to_string()),
        ("groups", groups.len().to_string()),
        ("grouping_s", format!("{seconds:.3}")),
    ]);
    Ok(())
}
