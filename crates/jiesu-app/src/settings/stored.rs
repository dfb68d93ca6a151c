//! Named settings as the database keeps them: the taxonomy, imported calendar years, the
//! time-limit rules, the routing table, the escalation threshold and the basis of the stored
//! deadlines. Each has one key here; readers and writers go through these functions.

use jiesu_domain::auto_dispatch::AutoDispatchSettings;
use jiesu_domain::calendar::{Calendar, Schedule};
use jiesu_domain::category::Taxonomy;
use jiesu_domain::deadline::{RuleBook, Timekeeper};
use jiesu_domain::routing::RoutingTable;

use jiesu_store::sql::{from_json, to_json};
use jiesu_store::{Store, StoreError, StoreResult};

const TAXONOMY: &str = "taxonomy";
const CALENDAR_PREFIX: &str = "calendar:";
const TIME_LIMITS: &str = "time_limits";
const ROUTING: &str = "routing";
const DEADLINE_BASIS: &str = "deadline_basis";
const ESCALATE_AFTER_DAYS: &str = "escalate_after_days";
const AUTO_DISPATCH: &str = "auto_dispatch";

/// Working days overdue before the scanner escalates, until an admin sets otherwise.
pub const DEFAULT_ESCALATE_AFTER_DAYS: u32 = 3;

/// The saved taxonomy, saving the shipped default on first use.
pub async fn taxonomy(store: &dyn Store) -> StoreResult<Taxonomy> {
    match store.setting(TAXONOMY).await? {
        Some(json) => from_json(&json),
        None => {
            let t = Taxonomy::default_tree();
            save_taxonomy(store, &t).await?;
            Ok(t)
        }
    }
}

pub async fn save_taxonomy(store: &dyn Store, taxonomy: &Taxonomy) -> StoreResult<()> {
    store.put_setting(TAXONOMY, &to_json(taxonomy)?).await
}

/// Stores an admin-imported year of the holiday schedule, replacing that year.
pub async fn save_calendar_year(store: &dyn Store, schedule: &Schedule) -> StoreResult<()> {
    store
        .put_setting(
            &format!("{CALENDAR_PREFIX}{}", schedule.year()),
            &schedule.to_text(),
        )
        .await
}

/// The shipped calendar with every imported year applied on top.
pub async fn calendar(store: &dyn Store) -> StoreResult<Calendar> {
    let mut calendar = Calendar::official();
    for (key, text) in store.settings_with_prefix(CALENDAR_PREFIX).await? {
        let schedule = Schedule::parse(&text)
            .map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}")))?;
        calendar = calendar.with_year(schedule);
    }
    Ok(calendar)
}

/// The time-limit rules: the saved ones, or the defaults.
pub async fn time_limits(store: &dyn Store) -> StoreResult<RuleBook> {
    match store.setting(TIME_LIMITS).await? {
        Some(json) => RuleBook::from_json(&json)
            .map_err(|e| StoreError::Corrupt(format!("setting {TIME_LIMITS}: {e}"))),
        None => Ok(RuleBook::defaults()),
    }
}

pub async fn save_time_limits(store: &dyn Store, rules: &RuleBook) -> StoreResult<()> {
    store.put_setting(TIME_LIMITS, &rules.to_json()).await
}

/// Working days overdue before the scanner escalates to the superior (上报).
pub async fn escalate_after_days(store: &dyn Store) -> StoreResult<u32> {
    match store.setting(ESCALATE_AFTER_DAYS).await? {
        Some(text) => text
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("setting {ESCALATE_AFTER_DAYS}: {e}"))),
        None => Ok(DEFAULT_ESCALATE_AFTER_DAYS),
    }
}

pub async fn save_escalate_after_days(store: &dyn Store, days: u32) -> StoreResult<()> {
    store
        .put_setting(ESCALATE_AFTER_DAYS, &days.to_string())
        .await
}

/// Everything deadlines need, as configured in this database.
pub async fn timekeeper(store: &dyn Store) -> StoreResult<Timekeeper> {
    Ok(Timekeeper {
        calendar: calendar(store).await?,
        rules: time_limits(store).await?,
        escalate_after_days: escalate_after_days(store).await?,
    })
}

/// The [`Timekeeper::fingerprint`] the stored deadline projections were computed under, if
/// every open appeal's projection is known to be current (otherwise a claim, or nothing).
pub async fn deadline_basis(store: &dyn Store) -> StoreResult<Option<String>> {
    store.setting(DEADLINE_BASIS).await
}

/// What the basis holds while one process re-projects every open appeal.
const REPROJECTING: &str = "reprojecting";
/// A claim older than this is taken over: its process died or hangs.
const CLAIM_MS: i64 = 120_000;

/// Claims the re-projection of every open appeal for the rules of `timekeeper`, so that of
/// several scanners that see the basis out of date only one re-projects: the basis is
/// swapped for a claim only if it still holds `seen`, and a young claim of another process
/// is left alone. The claim, if this process holds it now.
pub async fn claim_reprojection(
    store: &dyn Store,
    seen: Option<&str>,
    timekeeper: &Timekeeper,
    now_ms: i64,
) -> StoreResult<Option<ReprojectionClaim>> {
    let claimed_at = seen
        .and_then(|s| s.strip_prefix(REPROJECTING))
        .and_then(|rest| rest.split_whitespace().last()?.parse::<i64>().ok());
    if claimed_at.is_some_and(|at| now_ms - at < CLAIM_MS) {
        return Ok(None);
    }
    let claim = format!("{REPROJECTING} {} {now_ms}", timekeeper.fingerprint());
    let held = store.swap_setting(DEADLINE_BASIS, seen, &claim).await?;
    Ok(held.then_some(ReprojectionClaim(claim)))
}

/// This process's claim on the re-projection (see [`claim_reprojection`]).
pub struct ReprojectionClaim(String);

impl ReprojectionClaim {
    /// Records that every open appeal's deadline is now projected with `timekeeper`, unless
    /// the claim grew old and another process took it over. The settings stamp does not
    /// move: no server needs to reload anything for it.
    pub async fn finish(self, store: &dyn Store, timekeeper: &Timekeeper) -> StoreResult<()> {
        store
            .swap_setting(DEADLINE_BASIS, Some(&self.0), &timekeeper.fingerprint())
            .await
            .map(drop)
    }
}

/// Records that every open appeal's stored deadline was projected with `timekeeper`.
pub async fn save_deadline_basis(store: &dyn Store, timekeeper: &Timekeeper) -> StoreResult<()> {
    store
        .put_setting(DEADLINE_BASIS, &timekeeper.fingerprint())
        .await
}

/// The admins' routing table (empty until one is saved).
pub async fn routing(store: &dyn Store) -> StoreResult<RoutingTable> {
    match store.setting(ROUTING).await? {
        Some(json) => from_json(&json),
        None => Ok(RoutingTable::default()),
    }
}

pub async fn save_routing(store: &dyn Store, table: &RoutingTable) -> StoreResult<()> {
    store.put_setting(ROUTING, &to_json(table)?).await
}

/// The admins' automatic-dispatch settings (off until saved otherwise).
pub async fn auto_dispatch(store: &dyn Store) -> StoreResult<AutoDispatchSettings> {
    match store.setting(AUTO_DISPATCH).await? {
        Some(json) => from_json(&json),
        None => Ok(AutoDispatchSettings::default()),
    }
}

pub async fn save_auto_dispatch(
    store: &dyn Store,
    settings: &AutoDispatchSettings,
) -> StoreResult<()> {
    store.put_setting(AUTO_DISPATCH, &to_json(settings)?).await
}
