//! Completeness (完整性): what was found, what was done or will be done, on what basis, and
//! whom to contact or what comes next. A reply of formulas only (已收悉、高度重视、感谢…)
//! is incomplete whatever it holds.

use super::cues::{ACTIONS, BASIS, BOILERPLATE, CONTACT, FINDINGS, holds};
use super::grams::chars;
use super::review::Gap;

/// Fewer meaningful characters than this beside formulas: boilerplate only.
const SUBSTANCE_MIN_CHARS: usize = 20;

/// The completeness of a reply (folded), 0..1, with the parts it lacks.
pub(crate) fn completeness(reply: &str, title: &str, gaps: &mut Vec<Gap>) -> (f64, bool) {
    let boilerplate_only = substance(reply, title) < SUBSTANCE_MIN_CHARS;
    let parts: [(&[&str], f64, Gap); 4] = [
        (FINDINGS, 0.25, Gap::NoFindings),
        (ACTIONS, 0.35, Gap::NoOutcome),
        (BASIS, 0.15, Gap::NoBasis),
        (CONTACT, 0.25, Gap::NoContact),
    ];
    let mut score = 0.0;
    for (cues, weight, gap) in parts {
        if !boilerplate_only && holds(reply, cues) {
            score += weight;
        } else {
            gaps.push(gap);
        }
    }
    if boilerplate_only {
        gaps.push(Gap::BoilerplateOnly);
    }
    (score, boilerplate_only)
}

/// How many meaningful characters a reply holds once its formulas, the appeal's title it
/// repeats, digits and handles are taken out.
fn substance(reply: &str, title: &str) -> usize {
    let mut rest = reply.replace(title.trim(), "");
    for formula in BOILERPLATE {
        rest = rest.replace(formula, "");
    }
    chars(&rest)
        .into_iter()
        .filter(|c| !c.is_ascii_alphanumeric() && !matches!(c, '年' | '月' | '日'))
        .count()
}
