//! The actions (操作) taken on an appeal: what a person (or the system) asks for, without the
//! details it is asked with. The lifecycle's rules of who may act and in which state are
//! written over actions, so the same rule decides one request ([`crate::appeal::Appeal::check`])
//! and lists what may be done now ([`crate::appeal::Appeal::allowed_actions`]).

use crate::kinds::labelled_enum;

labelled_enum! {
    /// An action on an existing appeal. Registration (受理) creates an appeal and is none;
    /// [`crate::event::EventKind::action`] maps every other event to its action.
    Action, "action" {
        AnswerDirectly => "直办办结",
        Dispatch => "派单",
        Recall => "收回人工派单",
        Merge => "并案",
        Unmerge => "撤销并案",
        FollowLead => "随主件答复",
        Sign => "签收",
        Return => "退单",
        JudgeReturn => "退单审核",
        CoOpinion => "协办意见",
        RequestExtension => "申请延期",
        DecideExtension => "延期审批",
        Reply => "答复",
        Review => "审核",
        Callback => "回访",
        CallbackUnreached => "回访未接通",
        Close => "办结",
        Reopen => "重办",
        Archive => "归档",
        Comment => "备注",
        Contact => "首次联系",
        Pause => "暂停计时",
        Resume => "恢复计时",
        Remind => "催办",
        AutoRemind => "自动催办",
        Supervise => "督办",
        SuperviseReply => "督办回复",
        Flag => "挂牌督办",
        Unflag => "撤销挂牌",
        Escalate => "上报上级",
        Rate => "市民评价",
    }
}

impl Action {
    /// The snake-case name forms post; the stored event name of the action's events, but for
    /// [`Action::AutoRemind`], whose events are stored as `remind`.
    pub fn code(self) -> &'static str {
        match self {
            Action::AnswerDirectly => "answer_directly",
            Action::Dispatch => "dispatch",
            Action::Recall => "recall",
            Action::Merge => "merge",
            Action::Unmerge => "unmerge",
            Action::FollowLead => "follow_lead",
            Action::Sign => "sign",
            Action::Return => "return",
            Action::JudgeReturn => "judge_return",
            Action::CoOpinion => "co_opinion",
            Action::RequestExtension => "request_extension",
            Action::DecideExtension => "decide_extension",
            Action::Reply => "reply",
            Action::Review => "review",
            Action::Callback => "callback",
            Action::CallbackUnreached => "callback_unreached",
            Action::Close => "close",
            Action::Reopen => "reopen",
            Action::Archive => "archive",
            Action::Comment => "comment",
            Action::Contact => "contact",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Remind => "remind",
            Action::AutoRemind => "auto_remind",
            Action::Supervise => "supervise",
            Action::SuperviseReply => "supervise_reply",
            Action::Flag => "flag",
            Action::Unflag => "unflag",
            Action::Escalate => "escalate",
            Action::Rate => "rate",
        }
    }

    /// Parses [`Action::code`].
    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_are_unique_and_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_code(a.code()), Some(*a));
            assert_eq!(Action::parse(a.label()).unwrap(), *a);
        }
        assert_eq!(Action::from_code("register"), None);
    }
}
