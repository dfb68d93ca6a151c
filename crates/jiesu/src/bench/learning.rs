//! `jiesu bench learning`: the learning loop's examples (学习样本) over N dispatched appeals
//! on SQLite, one in twenty dispatched under another category than suggested (a
//! correction): the first fill, which reads every dispatch, then an advance with nothing
//! new (the learn tick and page view of a quiet minute), timed several times.

use std::time::Instant;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use jiesu_app::dispatch::{ExampleSource, LearningExamples};
use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place, SuggestedDispatch};
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::{Actor, Role};
use jiesu_store::ImportedAppeal;

use super::{median, print_result};

/// Appeals written per transaction while building the database.
const IMPORT_BATCH: usize = 5_000;
/// First-level categories the appeals fall in.
const CATEGORIES: [&str; 4] = ["城乡建设", "交通运输", "环境保护", "市场监管"];

/// Appeal `i`, registered at `at` with a suggestion and dispatched to `body` a minute later:
/// every twentieth under another category than suggested.
fn dispatched(i: usize, body: BodyId, at: DateTime<Utc>) -> Result<ImportedAppeal> {
    let suggested = CATEGORIES[i % CATEGORIES.len()];
    let chosen = if i.is_multiple_of(20) {
        CATEGORIES[(i + 1) % CATEGORIES.len()]
    } else {
        suggested
    };
    let draft = AppealDraft {
        channel: Channel::Hotline,
        appeal_type: AppealType::Complaint,
        title: format!("路面破损 {i}"),
        text: "小区门口路面破损，雨天积水".into(),
        citizen: Citizen::default(),
        place: Place::default(),
        category: None,
        urgency: Urgency::Normal,
        suggested: Some(SuggestedDispatch {
            category: Some(suggested.into()),
            body: Some(body),
            confidence: 0.9,
            model_version: Some(1),
        }),
    };
    let mut appeal = registered(AppealId(0), AppealNumber(String::new()), draft.clone(), at);
    let event = |seq, kind, actor, at| Event {
        appeal: AppealId(0),
        seq,
        kind,
        actor,
        at,
        prev_hash: String::new(),
        hash: String::new(),
    };
    let dispatcher = Actor {
        user: None,
        name: Role::Dispatcher.label().into(),
        role: Some(Role::Dispatcher),
        body: None,
        system: false,
    };
    let events = vec![
        event(
            1,
            EventKind::Register {
                draft: Box::new(draft),
            },
            Actor::citizen(),
            at,
        ),
        event(
            2,
            EventKind::Dispatch {
                lead: body,
                co: vec![],
                note: String::new(),
                category: Some(CategoryPath::new(vec![chosen.into()])?),
                auto: None,
            },
            dispatcher,
            at + Duration::minutes(1),
        ),
    ];
    for e in &events[1..] {
        appeal.apply(e);
    }
    Ok(ImportedAppeal {
        appeal,
        events,
        query_code: "000000".into(),
    })
}

pub async fn run(appeals: usize, advances: usize) -> Result<()> {
    anyhow::ensure!(appeals >= 100, "--appeals 至少为 100");
    anyhow::ensure!(advances >= 1, "--advances 至少为 1");
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let backend = crate::backend::Backend::open(&url).await?;
    let store = backend.store();
    let body = store
        .create_body(&NewBody {
            name: "压测局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await?
        .id;
    // A year of intake, oldest first, the newest a few minutes ago.
    let now = Utc::now();
    let step = Duration::days(365) / appeals as i32;
    let started = Instant::now();
    for first in (0..appeals).step_by(IMPORT_BATCH) {
        let batch = (first..(first + IMPORT_BATCH).min(appeals))
            .map(|i| dispatched(i, body, now - step * (appeals - i) as i32))
            .collect::<Result<Vec<_>>>()?;
        store.import_appeals(&batch).await?;
    }
    backend.settle().await?;
    let import_s = started.elapsed().as_secs_f64();

    let mut examples = LearningExamples::default();
    let started = Instant::now();
    let fill = examples.advance(&*store).await?;
    let fill_ms = started.elapsed().as_secs_f64() * 1000.0;
    let corrections = examples
        .count_by_source()
        .into_iter()
        .find(|(s, _)| *s == ExampleSource::Correction)
        .map_or(0, |(_, n)| n);
    anyhow::ensure!(
        corrections == appeals.div_ceil(20),
        "应有 {} 条派单纠正样本，实有 {corrections} 条",
        appeals.div_ceil(20)
    );
    let mut timings = Vec::with_capacity(advances);
    for _ in 0..advances {
        let started = Instant::now();
        let quiet = examples.advance(&*store).await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(quiet.appeals == 0, "无新事件时不应重读诉求：{quiet:?}");
    }
    let advance_ms = median(timings.iter().copied());
    let each: Vec<String> = timings.iter().map(|t| format!("{t:.2}")).collect();

    println!("学习样本压测（SQLite，{appeals} 件已派单诉求）");
    println!("| 指标 | 数值 |");
    println!("|---|---|");
    println!("| 写入诉求 | {import_s:.1} 秒 |");
    println!(
        "| 首次读取（全部派单事件） | {fill_ms:.0} 毫秒：事件 {}，诉求 {}，纠正样本 {corrections} |",
        fill.events, fill.appeals
    );
    println!("| 无新事件时推进一次（{advances} 次中位数） | {advance_ms:.2} 毫秒 |");
    println!("| 各次推进 | {} 毫秒 |", each.join("、"));
    print_result(&[
        ("appeals", appeals.to_string()),
        ("examples", corrections.to_string()),
        ("fill_ms", format!("{fill_ms:.0}")),
        ("fill_events", fill.events.to_string()),
        ("advance_ms", format!("{advance_ms:.2}")),
        ("advances", advances.to_string()),
    ]);
    Ok(())
}
