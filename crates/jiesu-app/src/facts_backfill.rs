//! Backfilling the assessment facts (补建考核事实): a database whose appeals were recorded
//! before the facts were kept (migration 0020) has appeals but no stints, so its months
//! assess nobody. Each such appeal's stints are rebuilt from its event log, in order of
//! registration so that a later appeal marks the earlier cases it repeats.

use jiesu_domain::assessment::facts::stints_of_log;
use jiesu_store::RebuiltFacts;

use crate::App;
use crate::error::AppResult;

/// Appeals read and written per transaction.
const BATCH: i64 = 500;

/// How far a backfill got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backfill {
    /// Appeals without facts looked at.
    pub checked: usize,
    /// Appeals whose stints were rebuilt (the others were never dispatched).
    pub restored: usize,
}

impl App {
    /// Rebuilds the stints of every appeal that has none, calling `progress` after each
    /// batch. Safe to run again: appeals with stints are left as they are.
    pub async fn backfill_assessment_facts(
        &self,
        mut progress: impl FnMut(&Backfill),
    ) -> AppResult<Backfill> {
        let mut done = Backfill::default();
        let mut after = None;
        loop {
            let appeals = self.store.appeals_without_facts(after, BATCH).await?;
            let Some(last) = appeals.last() else {
                return Ok(done);
            };
            after = Some(*last);
            let mut rebuilt = Vec::new();
            for (registered_at, id) in &appeals {
                let stints = stints_of_log(&self.store.events(*id).await?);
                if !stints.is_empty() {
                    rebuilt.push(RebuiltFacts {
                        registered_at: *registered_at,
                        stints,
                    });
                }
            }
            done.restored += self.store.restore_facts(&rebuilt).await?;
            done.checked += appeals.len();
            progress(&done);
        }
    }
}
