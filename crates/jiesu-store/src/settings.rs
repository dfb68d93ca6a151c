//! Named settings kept in the database (配置): the taxonomy, imported calendar years, the
//! time-limit rules and the basis of the stored deadlines. Each has one key here; readers
//! and writers go through these functions.

use jiesu_domain::calendar::{Calendar, Schedule};
use jiesu_domain::category::Taxonomy;
use jiesu_domain::deadline::{RuleBook, Timekeeper};
use jiesu_domain::routing::RoutingTable;

use crate::error::{StoreError, StoreResult};
use crate::sql::{from_json, to_json};
use crate::store::Store;

const TAXONOMY: &str = "taxonomy";
const CALENDAR_PREFIX: &str = "calendar:";
const TIME_LIMITS: &str = "time_limits";
const ROUTING: &str = "routing";
const DEADLINE_BASIS: &str = "deadline_basis";

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
            .map_err(|e| StoreError::Other(format!("setting {key} is corrupt: {e}")))?;
        calendar = calendar.with_year(schedule);
    }
    Ok(calendar)
}

/// The time-limit rules: the saved ones, or the defaults.
pub async fn time_limits(store: &dyn Store) -> StoreResult<RuleBook> {
    match store.setting(TIME_LIMITS).await? {
        Some(json) => RuleBook::from_json(&json)
            .map_err(|e| StoreError::Other(format!("saved time limits are corrupt: {e}"))),
        None => Ok(RuleBook::defaults()),
    }
}

pub async fn save_time_limits(store: &dyn Store, rules: &RuleBook) -> StoreResult<()> {
    store.put_setting(TIME_LIMITS, &rules.to_json()).await
}

/// Everything deadlines need, as configured in this database.
pub async fn timekeeper(store: &dyn Store, escalate_after_days: u32) -> StoreResult<Timekeeper> {
    Ok(Timekeeper {
        calendar: calendar(store).await?,
        rules: time_limits(store).await?,
        escalate_after_days,
    })
}

/// The [`Timekeeper::fingerprint`] the stored deadline projections were computed under, if
/// every open appeal's projection is known to be current.
pub async fn deadline_basis(store: &dyn Store) -> StoreResult<Option<String>> {
    store.setting(DEADLINE_BASIS).await
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
