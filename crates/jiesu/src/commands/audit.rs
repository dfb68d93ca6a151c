//! `jiesu audit verify`: checks the hash chain of every appeal's events (审计链校验).
//!
//! Reads the appeals a page at a time through the [`Store`] interface, loads each page's
//! events in one batch and checks, per appeal, that
//! - the chain is whole (`verify_chain`: sequence numbers, previous hashes, content hashes),
//! - no event is missing at the end (the number of events equals the appeal's version),
//! - the stored state is the fold of the events (the status replayed from the log).
//!
//! Prints a progress bar on standard error, then one summary line; the first broken appeal
//! is named and the command exits non-zero.

use std::collections::BTreeMap;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_domain::appeal::Appeal;
use jiesu_domain::event::{Event, verify_chain};
use jiesu_domain::lifecycle::replay;
use jiesu_store::{AppealFilter, Page, Store};

/// Appeals read per page (the store's largest page).
const PAGE: i64 = Page::MAX_LIMIT;

/// What is wrong with one appeal's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breach {
    /// The event at `seq` does not match its hash or does not link to the one before.
    Tampered { number: String, seq: i64 },
    /// Fewer (or more) events than the appeal's version says.
    Count {
        number: String,
        events: usize,
        version: i64,
    },
    /// The stored status is not the one the events lead to.
    State {
        number: String,
        stored: &'static str,
        replayed: &'static str,
    },
    /// The events could not be read at all (a row that is not valid JSON).
    Unreadable { number: String, error: String },
}

impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Breach::Tampered { number, seq } => write!(f, "诉求 {number} 第 {seq} 个事件被篡改"),
            Breach::Count {
                number,
                events,
                version,
            } => {
                write!(
                    f,
                    "诉求 {number} 的事件数（{events}）与其版本（{version}）不符，事件可能被删除"
                )
            }
            Breach::State {
                number,
                stored,
                replayed,
            } => {
                write!(
                    f,
                    "诉求 {number} 记录的状态「{stored}」与事件推演的状态「{replayed}」不符"
                )
            }
            Breach::Unreadable { number, error } => {
                write!(f, "诉求 {number} 的事件无法读取：{error}")
            }
        }
    }
}

impl std::error::Error for Breach {}

/// The outcome of a whole audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub appeals: u64,
    pub events: u64,
}

/// Checks one appeal against its events.
pub fn check_appeal(appeal: &Appeal, events: &[Event]) -> Result<(), Breach> {
    let number = || appeal.number.0.clone();
    verify_chain(events).map_err(|seq| Breach::Tampered {
        number: number(),
        seq,
    })?;
    if events.len() as i64 != appeal.version {
        return Err(Breach::Count {
            number: number(),
            events: events.len(),
            version: appeal.version,
        });
    }
    let replayed = replay(appeal.id, appeal.number.clone(), events);
    match replayed {
        Some(r) if r.status == appeal.status => Ok(()),
        Some(r) => Err(Breach::State {
            number: number(),
            stored: appeal.status.label(),
            replayed: r.status.label(),
        }),
        // The first event is not a registration: the log was changed at its start.
        None => Err(Breach::Tampered {
            number: number(),
            seq: events.first().map_or(1, |e| e.seq),
        }),
    }
}

/// Audits every appeal in `store`; stops at the first breach.
pub async fn audit(store: &dyn Store, bar: &ProgressBar) -> Result<Summary> {
    let filter = AppealFilter::default();
    let mut summary = Summary::default();
    let mut offset = 0;
    loop {
        let page = store.list_appeals(&filter, Page::new(offset, PAGE)).await?;
        if offset == 0 {
            bar.set_length(page.total.max(0) as u64);
        }
        if page.items.is_empty() {
            break;
        }
        let ids: Vec<_> = page.items.iter().map(|a| a.id).collect();
        let mut by_appeal: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
        match store.events_for(&ids).await {
            Ok(events) => {
                for e in events {
                    by_appeal.entry(e.appeal.0).or_default().push(e);
                }
            }
            // A row that does not parse spoils the batch: read one appeal at a time to
            // name the one it belongs to.
            Err(_) => {
                for appeal in &page.items {
                    match store.events(appeal.id).await {
                        Ok(events) => {
                            by_appeal.insert(appeal.id.0, events);
                        }
                        Err(e) => {
                            return Err(Breach::Unreadable {
                                number: appeal.number.0.clone(),
                                error: e.to_string(),
                            }
                            .into());
                        }
                    }
                }
            }
        }
        for appeal in &page.items {
            let events = by_appeal.remove(&appeal.id.0).unwrap_or_default();
            check_appeal(appeal, &events)?;
            summary.appeals += 1;
            summary.events += events.len() as u64;
            bar.inc(1);
        }
        offset += page.items.len() as i64;
    }
    Ok(summary)
}

/// `jiesu audit verify --db URL`.
pub async fn verify(db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("校验审计链 {bar:40} {pos}/{len} ({eta})")
            .expect("valid template"),
    );
    let outcome = audit(&*store, &bar).await;
    bar.finish_and_clear();
    let summary = outcome?;
    println!(
        "审计链完整：{} 件诉求，{} 个事件",
        summary.appeals, summary.events
    );
    Ok(())
}
