//! Where an appeal stands (诉求状态). Always derived from its events.

use crate::kinds::labelled_enum;

labelled_enum! {
    /// The state of an appeal in its lifecycle.
    Status, "status" {
        Registered => "待派单",
        Dispatched => "待签收",
        Handling => "办理中",
        Returned => "退单待审",
        Replied => "待审核",
        AwaitingCallback => "待回访",
        Closed => "已办结",
        Archived => "已归档",
        Merged => "已并案",
    }
}

impl Status {
    /// States in which the appeal still needs work.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Archived | Status::Merged)
    }

    /// The English snake-case name used in API filters and the database.
    pub fn code(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Dispatched => "dispatched",
            Status::Handling => "handling",
            Status::Returned => "returned",
            Status::Replied => "replied",
            Status::AwaitingCallback => "awaiting_callback",
            Status::Closed => "closed",
            Status::Archived => "archived",
            Status::Merged => "merged",
        }
    }

    /// Parses [`Status::code`] or a Chinese label.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL
            .iter()
            .copied()
            .find(|s| s.code() == code || s.label() == code)
    }
}
