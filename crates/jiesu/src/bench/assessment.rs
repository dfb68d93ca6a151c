//! `jiesu bench assessment`: a year of appeals dispatched to a city's bodies, with signing
//! (some late), first contact, replies, callbacks, returns and reminders, imported into a
//! fresh SQLite database; then one month's assessment of every body and the month's report,
//! each timed.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use chrono::{DateTime, Duration, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_app::App;
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::assessment::period::Period;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::deadline::DeadlineState;
use jiesu_domain::event::{Event, EventKind, Satisfaction};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::{Actor, Role};
use jiesu_store::ImportedAppeal;

use super::print_result;
use super::rng::Rng;

/// Appeals written per transaction while building the database.
const IMPORT_BATCH: usize = 5_000;
/// The bodies of the generated city: (kind, how many, name).
const BODIES: [(BodyKind, usize, &str); 4] = [
    (BodyKind::District, 12, "区人民政府"),
    (BodyKind::Street, 96, "街道办事处"),
    (BodyKind::Department, 30, "市直局"),
    (BodyKind::Company, 6, "公用事业公司"),
];
const CATEGORIES: [&str; 6] = [
    "城乡建设/市政设施",
    "环境保护/噪声污染",
    "交通运输/公共交通",
    "劳动和社会保障/工资拖欠",
    "住房保障/物业管理",
    "市场监管/食品安全",
];
const CHANNELS: [Channel; 4] = [
    Channel::Hotline,
    Channel::Website,
    Channel::Wechat,
    Channel::MessageBoard,
];
const TYPES: [AppealType; 4] = [
    AppealType::Complaint,
    AppealType::Help,
    AppealType::Consultation,
    AppealType::Suggestion,
];

fn staff(role: Role, body: Option<BodyId>) -> Actor {
    Actor {
        user: None,
        name: role.label().into(),
        role: Some(role),
        body,
        system: false,
    }
}

fn dispatch(lead: BodyId) -> EventKind {
    EventKind::Dispatch {
        lead,
        co: vec![],
        note: String::new(),
        category: None,
        auto: None,
    }
}

/// Appeal `i` of the year starting at `start`: registered, dispatched, and handled to the
/// end with the outcomes drawn from `rng`.
fn appeal(
    i: usize,
    n: usize,
    start: DateTime<Utc>,
    bodies: &[BodyId],
    rng: &mut Rng,
) -> (Appeal, Vec<Event>) {
    let created = start + Duration::seconds((i as i64) * 365 * 86_400 / n as i64);
    let district = rng.below(12);
    let draft = AppealDraft {
        channel: rng.pick(&CHANNELS),
        appeal_type: rng.pick(&TYPES),
        title: format!("诉求 {i}"),
        text: "压测生成的诉求".into(),
        citizen: Citizen {
            phone: Some(format!("139{:08}", rng.below(400_000))),
            ..Citizen::default()
        },
        place: Place {
            address: format!("{}号院", rng.below(3_000)),
            district: Some(format!("第{district}区")),
            ..Place::default()
        },
        category: Some(CategoryPath::parse(rng.pick(&CATEGORIES)).expect("valid category")),
        urgency: Urgency::Normal,
        suggested: None,
    };
    let lead = rng.pick(bodies);
    let handler = staff(Role::Handler, Some(lead));
    let supervisor = staff(Role::Supervisor, None);
    let h = |hours: i64| created + Duration::hours(hours);
    let mut steps = vec![(dispatch(lead), staff(Role::Dispatcher, None), h(1))];
    let mut lead = lead;
    if rng.percent(5) {
        steps.push((
            EventKind::Return {
                reason: "不属于本单位职责".into(),
            },
            handler.clone(),
            h(3),
        ));
        lead = rng.pick(bodies);
        steps.push((dispatch(lead), staff(Role::Dispatcher, None), h(5)));
    }
    let handler = staff(Role::Handler, Some(lead));
    if rng.percent(8) {
        let overdue = EventKind::Remind {
            note: String::new(),
            auto: Some(DeadlineState::Overdue),
        };
        steps.push((overdue, Actor::system(), h(40)));
        steps.push((EventKind::Sign, handler.clone(), h(50)));
    } else {
        steps.push((EventKind::Sign, handler.clone(), h(6)));
    }
    if rng.percent(10) {
        steps.push((
            EventKind::Remind {
                note: "请加快办理".into(),
                auto: None,
            },
            supervisor.clone(),
            h(60),
        ));
    }
    if rng.percent(3) {
        let reply_by = (created + Duration::days(5)).date_naive();
        steps.push((
            EventKind::Supervise {
                note: "督办".into(),
                reply_by,
            },
            supervisor.clone(),
            h(61),
        ));
    }
    if rng.percent(90) {
        steps.push((
            EventKind::Contact {
                note: String::new(),
            },
            handler.clone(),
            h(62),
        ));
    }
    steps.push((
        EventKind::Reply {
            text: "已核实处理".into(),
        },
        handler.clone(),
        h(72),
    ));
    steps.push((
        EventKind::Review {
            approve: true,
            reason: String::new(),
        },
        supervisor.clone(),
        h(74),
    ));
    if rng.percent(85) {
        let solved = rng.percent(80);
        let satisfaction = match rng.below(10) {
            0..=5 => Satisfaction::Satisfied,
            6..=7 => Satisfaction::FairlySatisfied,
            _ => Satisfaction::Dissatisfied,
        };
        steps.push((
            EventKind::Callback {
                solved,
                satisfaction,
                note: String::new(),
            },
            supervisor.clone(),
            h(96),
        ));
        if solved && rng.percent(3) {
            steps.push((
                EventKind::Reopen {
                    reason: "市民再次反映未解决".into(),
                },
                supervisor.clone(),
                h(200),
            ));
        }
    } else {
        steps.push((
            EventKind::Close {
                note: "多次联系未接通".into(),
            },
            supervisor.clone(),
            h(120),
        ));
    }
    let mut appeal = registered(
        AppealId(0),
        AppealNumber(String::new()),
        draft.clone(),
        created,
    );
    let mut events = vec![Event {
        appeal: AppealId(0),
        seq: 1,
        kind: EventKind::Register {
            draft: Box::new(draft),
        },
        actor: Actor::citizen(),
        at: created,
        prev_hash: String::new(),
        hash: String::new(),
    }];
    for (kind, actor, at) in steps {
        let event = Event {
            appeal: AppealId(0),
            seq: events.len() as i64 + 1,
            kind,
            actor,
            at,
            prev_hash: String::new(),
            hash: String::new(),
        };
        appeal.apply(&event);
        events.push(event);
    }
    (appeal, events)
}

pub async fn run(appeals: usize, out: Option<&Path>) -> Result<()> {
    anyhow::ensure!(appeals >= 1_000, "--appeals 至少为 1000");
    let dir = tempfile::tempdir()?;
    let backend = crate::backend::Backend::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await?;
    let store = backend.store();
    let mut bodies = Vec::new();
    for (kind, count, name) in BODIES {
        for k in 1..=count {
            let body = NewBody {
                name: format!("第{k}{name}"),
                kind,
                parent: None,
                areas: vec![],
            };
            bodies.push(store.create_body(&body).await?.id);
        }
    }
    // A year ending with November 2026, the month assessed.
    let start = Utc.with_ymd_and_hms(2025, 11, 30, 16, 0, 0).unwrap();
    let month = Period::parse("2026-11")?;
    let bar = ProgressBar::new(appeals as u64).with_style(
        ProgressStyle::with_template("写入诉求 {bar:40} {pos}/{len} ({eta})")
            .expect("valid template"),
    );
    let mut rng = Rng::new(2026);
    let generated = Instant::now();
    for first in (0..appeals).step_by(IMPORT_BATCH) {
        let batch: Vec<ImportedAppeal> = (first..(first + IMPORT_BATCH).min(appeals))
            .map(|i| {
                let (appeal, events) = appeal(i, appeals, start, &bodies, &mut rng);
                ImportedAppeal {
                    appeal,
                    events,
                    query_code: "000000".into(),
                }
            })
            .collect();
        store.import_appeals(&batch).await?;
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    backend.settle().await?;
    let build_s = generated.elapsed().as_secs_f64();
    let app = App::load(store).await?;

    let mut timings = Vec::new();
    let mut assessment = None;
    for _ in 0..3 {
        let started = Instant::now();
        assessment = Some(app.assessment(&month).await?);
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let assessment = assessment.expect("assessed at least once");
    let assess_ms = super::median(timings.iter().copied());
    let file = match out {
        Some(path) => path.to_path_buf(),
        None => dir.path().join("monthly.xlsx"),
    };
    let started = Instant::now();
    let report = crate::commands::report::write(&app, &month, &file).await?;
    let report_s = started.elapsed().as_secs_f64();
    let assessed: usize = assessment.tiers.iter().map(|t| t.bodies.len()).sum();
    println!(
        "数据：{appeals} 件诉求（{} 个单位），写入用时 {build_s:.1} 秒",
        bodies.len()
    );
    println!(
        "{}：派单 {} 件，全市得分 {}，解决率 {}",
        assessment.period_label,
        assessment.city.cases,
        assessment
            .city_score
            .map(|s| format!("{s:.1}"))
            .unwrap_or_default(),
        assessment.city_rates[3]
            .value
            .map(|v| format!("{:.1}%", v * 100.0))
            .unwrap_or_default(),
    );
    println!(
        "考核计算（三次取中位）：{:?} 毫秒",
        timings
            .iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
    );
    println!(
        "月报：受理 {} 件，{report_s:.2} 秒 → {}",
        report.total.count,
        file.display()
    );
    print_result(&[
        ("appeals", appeals.to_string()),
        ("bodies", assessed.to_string()),
        ("assess_ms", format!("{assess_ms:.0}")),
        ("report_s", format!("{report_s:.2}")),
    ]);
    Ok(())
}
