//! Merged appeals (并案): a dispatcher merges a duplicate (the follower) into the appeal that
//! leads the handling (the lead). One handling, every citizen informed and called back:
//!
//! - While merged (已并案) the follower is not handled on its own; its citizen sees the
//!   lead's answer once it is given.
//! - When the lead's answer is given — the centre approves its reply (审核通过) or it is
//!   answered on the spot (直办) — every follower still merged follows it (随主件答复,
//!   [`EventKind::FollowLead`]): the lead's reply becomes the follower's own and it waits
//!   for its own callback (待回访) within its own callback limit, then its own close and
//!   its citizen's rating.
//! - The lead must be open and not merged itself. A follower merged into a lead whose answer
//!   is already given (待回访) follows it right after the merge.
//! - An appeal that still has followers merged into it cannot be merged into another.
//! - A merge can be undone (撤销并案) while the follower is merged; once it followed its
//!   lead it is on its own and no longer can.

use crate::DomainError;
use crate::appeal::Appeal;
use crate::event::EventKind;
use crate::status::Status;

/// The states in which an appeal's answer is given (see [`Appeal::answer`]).
pub const ANSWER_GIVEN: [Status; 3] = [Status::AwaitingCallback, Status::Closed, Status::Archived];

/// Whether `follower` may be merged into `lead`: the lead is open and not merged itself,
/// and the follower leads no merged appeals of its own (`its_followers`: every appeal ever
/// merged into it).
pub fn check_merge(lead: &Appeal, its_followers: &[Appeal]) -> Result<(), DomainError> {
    if !lead.status.is_open() || lead.merged_into.is_some() {
        return Err(DomainError::Refused(
            "并案的主诉求必须是未办结且未被并案的诉求".into(),
        ));
    }
    if its_followers.iter().any(|f| f.status == Status::Merged) {
        return Err(DomainError::Refused(
            "该诉求是其他诉求的并案主诉求，不能再并入其他诉求".into(),
        ));
    }
    Ok(())
}

impl Appeal {
    /// The answer its followers take over: the reply once the centre approved it (waiting
    /// for callback, closed or archived), or the answer given on the spot; `None` before.
    pub fn answer(&self) -> Option<&str> {
        let given = ANSWER_GIVEN.contains(&self.status);
        self.last_reply.as_deref().filter(|_| given)
    }

    /// The event by which this appeal follows `lead`'s answer, if it is merged into `lead`,
    /// still waiting, and the answer is given.
    pub fn follow(&self, lead: &Appeal) -> Option<EventKind> {
        let waiting = self.status == Status::Merged && self.merged_into == Some(lead.id);
        lead.answer()
            .filter(|_| waiting)
            .map(|reply| EventKind::FollowLead {
                lead: lead.id,
                reply: reply.to_string(),
            })
    }
}
