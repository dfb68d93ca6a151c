//! Timeliness (及时性): the reply's time against the appeal's deadline.

use chrono::NaiveDateTime;

use super::review::Gap;

/// 1 when replied by the deadline; after it, less by the share of the allowed time the reply
/// was late (0 when late by the whole allowed time or more).
pub(crate) fn timeliness(
    received: NaiveDateTime,
    deadline: NaiveDateTime,
    replied: NaiveDateTime,
    gaps: &mut Vec<Gap>,
) -> f64 {
    if replied <= deadline {
        return 1.0;
    }
    let late = (replied - deadline).num_minutes() as f64;
    let allowed = ((deadline - received).num_minutes() as f64).max(24.0 * 60.0);
    let days_late = ((replied - deadline).num_minutes() + 1439) / 1440;
    gaps.push(Gap::Late { days: days_late });
    (1.0 - late / allowed).max(0.0)
}
