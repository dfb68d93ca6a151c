//! `jiesu bench deadlines`: the deadline state of N open appeals computed from their events
//! (calendar, rules, pauses, extensions), then one scanner pass over a database of those
//! appeals when 1% of them have crossed a threshold. The pass is timed several times, each
//! on a fresh copy of the same database opened as in service (the scanner's previous pass,
//! which found nothing due, has run), and the median reported: single passes on a shared
//! machine vary by a third or more.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_app::scanner::{ScanReport, scan};
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::deadline::{DeadlineState, Timekeeper};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::{Actor, Role};
use jiesu_store::ImportedAppeal;

use super::{median, print_result};

/// Appeals written per transaction while building the database.
const IMPORT_BATCH: usize = 5_000;

fn staff(role: Role, body: Option<BodyId>) -> Actor {
    Actor {
        user: None,
        name: role.label().into(),
        role: Some(role),
        body,
        system: false,
    }
}

/// An open appeal dispatched to `body` at `dispatched`; every seventh is also signed, every
/// eleventh paused for materials, every thirteenth given an extension.
fn open_appeal(i: usize, body: BodyId, dispatched: DateTime<Utc>) -> (Appeal, Vec<Event>) {
    let kinds = [
        AppealType::Complaint,
        AppealType::Help,
        AppealType::Consultation,
        AppealType::Suggestion,
    ];
    let draft = AppealDraft {
        channel: Channel::Hotline,
        appeal_type: kinds[i % kinds.len()],
        title: format!("路灯不亮 {i}"),
        text: "夜间无照明".into(),
        citizen: Citizen::default(),
        place: Place::default(),
        category: None,
        urgency: if i.is_multiple_of(17) {
            Urgency::Urgent
        } else {
            Urgency::Normal
        },
        suggested: None,
    };
    let created = dispatched - Duration::minutes(30);
    let handler = staff(Role::Handler, Some(body));
    let mut steps = vec![(
        EventKind::Dispatch {
            lead: body,
            co: vec![],
            note: String::new(),
            category: None,
            auto: None,
        },
        staff(Role::Dispatcher, None),
        dispatched,
    )];
    if i.is_multiple_of(7) {
        steps.push((
            EventKind::Sign,
            handler.clone(),
            dispatched + Duration::hours(1),
        ));
        if i.is_multiple_of(11) {
            steps.push((
                EventKind::Pause {
                    reason: "等待补充材料".into(),
                },
                handler.clone(),
                dispatched + Duration::hours(2),
            ));
        }
        if i.is_multiple_of(13) {
            let until = (dispatched + Duration::days(20)).date_naive();
            steps.push((
                EventKind::RequestExtension {
                    reason: "需协调".into(),
                    until,
                },
                handler.clone(),
                dispatched + Duration::hours(3),
            ));
            steps.push((
                EventKind::DecideExtension {
                    approve: true,
                    note: String::new(),
                },
                staff(Role::Supervisor, None),
                dispatched + Duration::hours(4),
            ));
        }
    }
    let register = Event {
        appeal: AppealId(0),
        seq: 1,
        kind: EventKind::Register {
            draft: Box::new(draft.clone()),
        },
        actor: Actor::citizen(),
        at: created,
        prev_hash: String::new(),
        hash: String::new(),
    };
    let mut appeal = registered(AppealId(0), AppealNumber(String::new()), draft, created);
    let mut events = vec![register];
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

/// Computes every appeal's deadline and its state at `now`, on all cores; returns how many
/// are 临期 and 超期.
fn states(
    timekeeper: &Timekeeper,
    appeals: &[(Appeal, Vec<Event>)],
    now: DateTime<Utc>,
) -> (usize, usize) {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = appeals.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = appeals
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut counts = (0, 0);
                    for (appeal, events) in part {
                        match timekeeper
                            .deadline(appeal, events)
                            .map(|d| timekeeper.state(&d, now))
                        {
                            Some(DeadlineState::Warning) => counts.0 += 1,
                            Some(DeadlineState::Overdue) => counts.1 += 1,
                            _ => {}
                        }
                    }
                    counts
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    })
}

/// One timed scanner pass at `now` on a copy of the database at `imported`, met as in
/// service: at rest, after a pass at `quiet` that found nothing due. Returns its
/// milliseconds and report.
async fn timed_pass(
    imported: &Path,
    copy: &Path,
    timekeeper: &Timekeeper,
    quiet: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(f64, ScanReport)> {
    std::fs::copy(imported, copy)?;
    let backend = crate::backend::Backend::open(&format!("sqlite://{}", copy.display())).await?;
    let store = backend.store();
    // In `jiesu serve` the scanner runs every minute on a store long open: the pass before
    // found nothing due yet.
    let before = scan(&store, timekeeper, quiet).await?;
    anyhow::ensure!(
        before == ScanReport::default(),
        "扫描前的时刻不应有到点诉求：{before:?}"
    );
    // And the pass meets the database at rest: nothing left in the write-ahead log, nothing
    // of the copy still to be written back by the kernel.
    backend.settle().await?;
    let started = Instant::now();
    let report = scan(&store, timekeeper, now).await?;
    Ok((started.elapsed().as_secs_f64() * 1000.0, report))
}

pub async fn run(appeals: usize, passes: usize) -> Result<()> {
    anyhow::ensure!(appeals >= 100, "--appeals 至少为 100");
    anyhow::ensure!(passes >= 1, "--passes 至少为 1");
    let timekeeper = Timekeeper::default();
    let now = Utc::now();
    let body = BodyId(2);
    // Ids follow intake order, as in production: the oldest 1% were dispatched two weeks ago
    // (due for alerts), the other 99% an hour ago (nothing due yet).
    let due = appeals / 100;
    let generated: Vec<(Appeal, Vec<Event>)> = (0..appeals)
        .map(|i| {
            let dispatched = if i < due {
                now - Duration::days(14)
            } else {
                now - Duration::hours(1)
            };
            open_appeal(i, body, dispatched)
        })
        .collect();
    let started = Instant::now();
    let (warning, overdue) = states(&timekeeper, &generated, now);
    let states_s = started.elapsed().as_secs_f64();

    let dir = tempfile::tempdir()?;
    let imported = dir.path().join("bench.db");
    let backend =
        crate::backend::Backend::open(&format!("sqlite://{}", imported.display())).await?;
    let store = backend.store();
    use jiesu_domain::body::{BodyKind, NewBody};
    let district = store
        .create_body(&NewBody {
            name: "压测区".into(),
            kind: BodyKind::District,
            parent: None,
            areas: vec![],
        })
        .await?;
    let street = store
        .create_body(&NewBody {
            name: "压测街道".into(),
            kind: BodyKind::Street,
            parent: Some(district.id),
            areas: vec![],
        })
        .await?;
    anyhow::ensure!(
        street.id == body,
        "the benchmark's body must be the second one created"
    );
    let bar = ProgressBar::new(appeals as u64).with_style(
        ProgressStyle::with_template("写入诉求 {bar:40} {pos}/{len} ({eta})")
            .expect("valid template"),
    );
    let mut first_check = now;
    for part in generated.chunks(IMPORT_BATCH) {
        let batch: Vec<ImportedAppeal> = part
            .iter()
            .map(|(appeal, events)| {
                let mut appeal = appeal.clone();
                appeal.deadline = timekeeper.deadline(&appeal, events);
                if let Some(at) = appeal.deadline.and_then(|d| d.next_check) {
                    first_check = first_check.min(at);
                }
                ImportedAppeal {
                    appeal,
                    events: events.clone(),
                    query_code: "000000".into(),
                }
            })
            .collect();
        store.import_appeals(&batch).await?;
        bar.inc(part.len() as u64);
    }
    bar.finish_and_clear();
    // Every deadline was projected with this timekeeper (as the demo and intake do), so the
    // scanner works from the stored projections.
    jiesu_app::settings::stored::save_deadline_basis(&*store, &timekeeper).await?;
    backend.settle().await?;
    // The passes work on copies: the import's store (its pools, caches and checkpointer)
    // has nothing left to do beside them.
    drop(store);
    drop(backend);
    let mut timings = Vec::with_capacity(passes);
    let mut report = None;
    // The moment of the pass before: just before the first stored check falls due.
    let quiet = first_check - Duration::milliseconds(1);
    for pass in 1..=passes {
        eprintln!("第 {pass}/{passes} 次扫描（数据库副本）……");
        let copy = dir.path().join(format!("pass-{pass}.db"));
        let (ms, this) = timed_pass(&imported, &copy, &timekeeper, quiet, now).await?;
        anyhow::ensure!(
            report.as_ref().is_none_or(|r| *r == this),
            "第 {pass} 次扫描的结果与前次不同：{this:?}"
        );
        report = Some(this);
        timings.push(ms);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
        }
    }
    let report = report.unwrap_or_default();
    let scan_ms = median(timings.iter().copied());
    let (fastest, slowest) = timings
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), t| (lo.min(*t), hi.max(*t)));
    let each: Vec<String> = timings.iter().map(|t| format!("{t:.0}")).collect();

    println!("时限计算与扫描压测（{appeals} 件在办诉求）");
    println!("| 指标 | 数值 |");
    println!("|---|---|");
    println!("| 计算全部时限状态 | {states_s:.3} 秒（临期 {warning}，超期 {overdue}） |");
    println!(
        "| 一次扫描（1% 到点，{passes} 次中位数） | {scan_ms:.0} 毫秒：检查 {}，催办 {}，上报 {}，重算 {} |",
        report.checked, report.reminded, report.escalated, report.reprojected
    );
    println!("| 各次扫描 | {} 毫秒 |", each.join("、"));
    print_result(&[
        ("appeals", appeals.to_string()),
        ("states_s", format!("{states_s:.3}")),
        ("scan_ms", format!("{scan_ms:.0}")),
        ("scan_ms_min", format!("{fastest:.0}")),
        ("scan_ms_max", format!("{slowest:.0}")),
        ("scan_passes", passes.to_string()),
        ("scan_checked", report.checked.to_string()),
        (
            "scan_alerts",
            (report.reminded + report.escalated).to_string(),
        ),
    ]);
    Ok(())
}
