//! Tone and form (语气规范): a greeting, thanks, no blame put on the citizen, and more than
//! formulas.

use super::cues::{BLAME, GREETING, THANKS, holds};
use super::review::Gap;

/// The tone of a reply (folded), 0..1, with what it lacks.
pub(crate) fn tone(reply: &str, boilerplate_only: bool, gaps: &mut Vec<Gap>) -> f64 {
    let mut score = 0.0;
    if holds(reply, GREETING) {
        score += 0.25;
    } else {
        gaps.push(Gap::NoGreeting);
    }
    if holds(reply, THANKS) {
        score += 0.25;
    } else {
        gaps.push(Gap::NoThanks);
    }
    if holds(reply, BLAME) {
        gaps.push(Gap::Blame);
    } else {
        score += 0.3;
    }
    if !boilerplate_only {
        score += 0.2;
    }
    score
}
