//! The life of an appeal through the public domain API: legal paths succeed, illegal ones are
//! refused with a typed error, and replaying the events gives the same appeal.

use chrono::{Duration, TimeZone, Utc};
use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::event::{Event, EventKind, Satisfaction, verify_chain};
use jiesu_domain::ids::{AppealId, BodyId, UserId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::{registered, replay};
use jiesu_domain::status::Status;
use jiesu_domain::user::{Actor, Role};
use jiesu_domain::{DomainError, appeal::Appeal};

fn actor(role: Role, body: Option<i64>) -> Actor {
    Actor {
        user: Some(UserId(1)),
        name: role.label().into(),
        role: Some(role),
        body: body.map(BodyId),
        system: false,
    }
}

fn draft() -> AppealDraft {
    AppealDraft {
        channel: Channel::Hotline,
        appeal_type: AppealType::Complaint,
        title: "小区路灯不亮".into(),
        text: "东门到3号楼的路灯已经坏了一周，晚上行走不便。".into(),
        citizen: Citizen {
            name: Some("张先生".into()),
            phone: Some("13800001111".into()),
            ..Citizen::default()
        },
        place: Place {
            address: "示例区示例街道翠湖苑".into(),
            ..Place::default()
        },
        category: None,
        urgency: Urgency::Normal,
        suggested: None,
    }
    .validated()
    .unwrap()
}

struct Story {
    appeal: Appeal,
    events: Vec<Event>,
}

impl Story {
    fn new() -> Story {
        Story::with_id(AppealId(7))
    }

    fn with_id(id: AppealId) -> Story {
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let d = draft();
        let first = Event::new(
            id,
            1,
            EventKind::Register {
                draft: Box::new(d.clone()),
            },
            Actor::citizen(),
            at,
            "",
        );
        Story {
            appeal: registered(id, AppealNumber::new(at.date_naive(), 1), d, at),
            events: vec![first],
        }
    }

    fn act(&mut self, kind: EventKind, who: Actor) -> Result<(), DomainError> {
        let at = self.events.last().unwrap().at + Duration::hours(1);
        self.appeal.check(&kind, &who, at)?;
        let prev = self.events.last().unwrap();
        let event = Event::new(self.appeal.id, prev.seq + 1, kind, who, at, &prev.hash);
        self.appeal.apply(&event);
        self.events.push(event);
        Ok(())
    }
}

#[test]
fn a_whole_life_ends_closed_and_replays_to_the_same_state() {
    let mut s = Story::new();
    let dispatch = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![BodyId(4)],
        note: String::new(),
        category: None,
    };
    s.act(dispatch, actor(Role::Dispatcher, None)).unwrap();
    s.act(EventKind::Sign, actor(Role::Handler, Some(3)))
        .unwrap();
    s.act(
        EventKind::Reply {
            text: "已更换灯具，恢复照明。".into(),
        },
        actor(Role::Handler, Some(3)),
    )
    .unwrap();
    s.act(
        EventKind::Review {
            approve: true,
            reason: String::new(),
        },
        actor(Role::Supervisor, None),
    )
    .unwrap();
    s.act(
        EventKind::Callback {
            solved: true,
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        },
        actor(Role::Supervisor, None),
    )
    .unwrap();
    assert_eq!(s.appeal.status, Status::Closed);
    assert_eq!(s.appeal.version, 6);
    let rebuilt = replay(s.appeal.id, s.appeal.number.clone(), &s.events).unwrap();
    assert_eq!(rebuilt, s.appeal);
    assert_eq!(verify_chain(&s.events), Ok(()));
}

#[test]
fn illegal_transitions_are_refused_with_the_state_named() {
    let mut s = Story::new();
    let err = s
        .act(EventKind::Sign, actor(Role::Handler, Some(3)))
        .unwrap_err();
    assert!(matches!(err, DomainError::Refused(_)), "{err:?}");
    let err = s
        .act(
            EventKind::Reply { text: "x".into() },
            actor(Role::Admin, None),
        )
        .unwrap_err();
    assert!(matches!(err, DomainError::Refused(_)));
    let dispatch = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![],
        note: String::new(),
        category: None,
    };
    s.act(dispatch, actor(Role::Dispatcher, None)).unwrap();
    let err = s
        .act(
            EventKind::Review {
                approve: true,
                reason: String::new(),
            },
            actor(Role::Supervisor, None),
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "当前状态「待签收」下不能执行「审核通过」");
    assert_eq!(s.appeal.version, 2, "a refused action records nothing");
}

#[test]
fn another_bodys_handler_cannot_act() {
    let mut s = Story::new();
    let dispatch = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![],
        note: String::new(),
        category: None,
    };
    s.act(dispatch, actor(Role::Dispatcher, None)).unwrap();
    let err = s
        .act(EventKind::Sign, actor(Role::Handler, Some(9)))
        .unwrap_err();
    assert_eq!(err.to_string(), "该诉求不属于您的单位办理");
}

#[test]
fn return_then_redispatch_and_unsolved_callback_reopens() {
    let mut s = Story::new();
    let to = |b| EventKind::Dispatch {
        lead: BodyId(b),
        co: vec![],
        note: String::new(),
        category: None,
    };
    s.act(to(3), actor(Role::Dispatcher, None)).unwrap();
    assert!(
        s.act(
            EventKind::Return { reason: " ".into() },
            actor(Role::Handler, Some(3))
        )
        .is_err()
    );
    s.act(
        EventKind::Return {
            reason: "不属于本单位职责".into(),
        },
        actor(Role::Handler, Some(3)),
    )
    .unwrap();
    assert_eq!(s.appeal.status, Status::Returned);
    s.act(to(5), actor(Role::Dispatcher, None)).unwrap();
    s.act(EventKind::Sign, actor(Role::Handler, Some(5)))
        .unwrap();
    s.act(
        EventKind::Reply {
            text: "已处理".into(),
        },
        actor(Role::Handler, Some(5)),
    )
    .unwrap();
    s.act(
        EventKind::Review {
            approve: false,
            reason: "答复不完整".into(),
        },
        actor(Role::Supervisor, None),
    )
    .unwrap();
    assert_eq!(s.appeal.status, Status::Handling);
    s.act(
        EventKind::Reply {
            text: "已处理并回复依据".into(),
        },
        actor(Role::Handler, Some(5)),
    )
    .unwrap();
    s.act(
        EventKind::Review {
            approve: true,
            reason: String::new(),
        },
        actor(Role::Supervisor, None),
    )
    .unwrap();
    s.act(
        EventKind::Callback {
            solved: false,
            satisfaction: Satisfaction::Dissatisfied,
            note: String::new(),
        },
        actor(Role::Supervisor, None),
    )
    .unwrap();
    assert_eq!(s.appeal.status, Status::Handling);
    assert_eq!((s.appeal.return_count, s.appeal.reopen_count), (1, 1));
}

#[test]
fn extension_must_be_later_than_today_and_decided_once() {
    let mut s = Story::new();
    let dispatch = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![],
        note: String::new(),
        category: None,
    };
    s.act(dispatch, actor(Role::Dispatcher, None)).unwrap();
    s.act(EventKind::Sign, actor(Role::Handler, Some(3)))
        .unwrap();
    let past = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let err = s
        .act(
            EventKind::RequestExtension {
                reason: "需协调".into(),
                until: past,
            },
            actor(Role::Handler, Some(3)),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidField { field: "until", .. }
    ));
    let later = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    s.act(
        EventKind::RequestExtension {
            reason: "需协调".into(),
            until: later,
        },
        actor(Role::Handler, Some(3)),
    )
    .unwrap();
    s.act(
        EventKind::DecideExtension {
            approve: true,
            note: String::new(),
        },
        actor(Role::Supervisor, None),
    )
    .unwrap();
    assert_eq!(s.appeal.extended_until, Some(later));
    assert!(
        s.act(
            EventKind::DecideExtension {
                approve: true,
                note: String::new()
            },
            actor(Role::Supervisor, None)
        )
        .is_err()
    );
}

#[test]
fn tampering_breaks_the_chain_at_the_edited_event() {
    let mut s = Story::new();
    s.act(
        EventKind::Comment {
            text: "已电话联系".into(),
        },
        actor(Role::Operator, None),
    )
    .unwrap();
    s.act(
        EventKind::Comment {
            text: "补充说明".into(),
        },
        actor(Role::Operator, None),
    )
    .unwrap();
    s.events[1].kind = EventKind::Comment {
        text: "篡改".into(),
    };
    assert_eq!(verify_chain(&s.events), Err(2));
}

#[test]
fn a_merge_can_be_undone_back_to_the_state_it_had() {
    let mut s = Story::new();
    let dispatch = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![],
        note: String::new(),
        category: None,
    };
    s.act(dispatch, actor(Role::Dispatcher, None)).unwrap();
    s.act(
        EventKind::Merge {
            into: AppealId(99),
            note: "同一工地噪音".into(),
        },
        actor(Role::Dispatcher, None),
    )
    .unwrap();
    assert_eq!(
        (s.appeal.status, s.appeal.merged_into),
        (Status::Merged, Some(AppealId(99)))
    );
    assert!(
        s.act(EventKind::Sign, actor(Role::Handler, Some(3)))
            .is_err(),
        "a follower is not handled on its own"
    );
    assert!(
        s.act(
            EventKind::Unmerge {
                reason: String::new()
            },
            actor(Role::Dispatcher, None)
        )
        .is_err(),
        "a reason is required"
    );
    s.act(
        EventKind::Unmerge {
            reason: "并案有误".into(),
        },
        actor(Role::Dispatcher, None),
    )
    .unwrap();
    assert_eq!(
        (s.appeal.status, s.appeal.merged_into),
        (Status::Dispatched, None)
    );
    let rebuilt = replay(s.appeal.id, s.appeal.number.clone(), &s.events).unwrap();
    assert_eq!(rebuilt, s.appeal);
}

fn replied_lead(id: AppealId, reply: &str) -> Story {
    let mut lead = Story::with_id(id);
    let dispatch = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![],
        note: String::new(),
        category: None,
    };
    lead.act(dispatch, actor(Role::Dispatcher, None)).unwrap();
    lead.act(EventKind::Sign, actor(Role::Handler, Some(3)))
        .unwrap();
    lead.act(
        EventKind::Reply { text: reply.into() },
        actor(Role::Handler, Some(3)),
    )
    .unwrap();
    lead
}

fn approve() -> EventKind {
    EventKind::Review {
        approve: true,
        reason: String::new(),
    }
}

#[test]
fn a_follower_takes_over_its_leads_approved_answer_and_is_called_back_on_its_own() {
    let reply = "经核实已更换路灯，恢复照明。";
    let mut lead = replied_lead(AppealId(99), reply);
    let mut follower = Story::new();
    follower
        .act(
            EventKind::Merge {
                into: AppealId(99),
                note: "同一路段路灯".into(),
            },
            actor(Role::Dispatcher, None),
        )
        .unwrap();
    assert_eq!(
        follower.appeal.follow(&lead.appeal),
        None,
        "nothing to follow before the centre approves the reply"
    );
    lead.act(approve(), actor(Role::Supervisor, None)).unwrap();
    assert_eq!(lead.appeal.answer(), Some(reply));
    let follow = follower.appeal.follow(&lead.appeal).unwrap();
    assert_eq!(
        follow,
        EventKind::FollowLead {
            lead: AppealId(99),
            reply: reply.into()
        }
    );
    assert!(
        follower
            .act(follow.clone(), actor(Role::Supervisor, None))
            .is_err(),
        "only the system records following"
    );
    follower.act(follow, Actor::system()).unwrap();
    assert_eq!(follower.appeal.status, Status::AwaitingCallback);
    assert_eq!(follower.appeal.last_reply.as_deref(), Some(reply));
    assert_eq!(follower.appeal.merged_into, Some(AppealId(99)));
    assert_eq!(follower.appeal.follow(&lead.appeal), None, "follows once");
    assert_eq!(follower.events.last().unwrap().kind.label(), "随主件答复");
    assert!(follower.events.last().unwrap().kind.is_public());

    // Its own callback limit runs from following, as after a reply.
    let deadline = jiesu_domain::deadline::Timekeeper::default()
        .deadline(&follower.appeal, &follower.events)
        .unwrap();
    assert_eq!(deadline.due.stage, jiesu_domain::deadline::Stage::Close);

    // No unmerge once it followed.
    assert_eq!(
        follower.act(
            EventKind::Unmerge {
                reason: "并案有误".into()
            },
            actor(Role::Dispatcher, None)
        ),
        Err(DomainError::IllegalTransition {
            state: "待回访",
            action: "撤销并案"
        })
    );

    // Its own callback and close, then its citizen rates it.
    follower
        .act(
            EventKind::Callback {
                solved: true,
                satisfaction: Satisfaction::Satisfied,
                note: String::new(),
            },
            actor(Role::Supervisor, None),
        )
        .unwrap();
    assert_eq!(follower.appeal.status, Status::Closed);
    follower
        .act(
            EventKind::Rate {
                satisfaction: Satisfaction::Satisfied,
                note: String::new(),
            },
            Actor::citizen(),
        )
        .unwrap();
    let rebuilt = replay(
        follower.appeal.id,
        follower.appeal.number.clone(),
        &follower.events,
    )
    .unwrap();
    assert_eq!(rebuilt, follower.appeal);
    assert_eq!(verify_chain(&follower.events), Ok(()));
}

#[test]
fn following_needs_the_lead_it_was_merged_into_and_a_given_answer() {
    let mut lead = replied_lead(AppealId(99), "已处理");
    let mut follower = Story::new();
    let wrong = EventKind::FollowLead {
        lead: AppealId(99),
        reply: "已处理".into(),
    };
    assert!(
        matches!(
            follower.act(wrong.clone(), Actor::system()),
            Err(DomainError::IllegalTransition { .. })
        ),
        "an appeal that is not merged follows nobody"
    );
    follower
        .act(
            EventKind::Merge {
                into: AppealId(98),
                note: String::new(),
            },
            actor(Role::Dispatcher, None),
        )
        .unwrap();
    assert!(matches!(
        follower.act(wrong, Actor::system()),
        Err(DomainError::Refused(_))
    ));
    lead.act(approve(), actor(Role::Supervisor, None)).unwrap();
    assert_eq!(
        follower.appeal.follow(&lead.appeal),
        None,
        "merged into another lead"
    );
}

/// A fresh appeal merged into `lead` by a dispatcher.
fn merged_into(lead: AppealId) -> Story {
    let mut follower = Story::new();
    follower
        .act(
            EventKind::Merge {
                into: lead,
                note: String::new(),
            },
            actor(Role::Dispatcher, None),
        )
        .unwrap();
    follower
}

#[test]
fn an_unsolved_follower_without_a_body_goes_back_to_dispatch() {
    let mut lead = replied_lead(AppealId(99), "已处理");
    lead.act(approve(), actor(Role::Supervisor, None)).unwrap();
    let mut follower = merged_into(AppealId(99));
    let follow = follower.appeal.follow(&lead.appeal).unwrap();
    follower.act(follow, Actor::system()).unwrap();
    follower
        .act(
            EventKind::Callback {
                solved: false,
                satisfaction: Satisfaction::Dissatisfied,
                note: "问题依旧".into(),
            },
            actor(Role::Supervisor, None),
        )
        .unwrap();
    assert_eq!(
        (follower.appeal.status, follower.appeal.reopen_count),
        (Status::Registered, 1),
        "no body ever handled it: it is dispatched on its own now"
    );
}

#[test]
fn an_answer_given_on_the_spot_is_followed_too() {
    let mut lead = Story::with_id(AppealId(99));
    let follower = merged_into(AppealId(99));
    lead.act(
        EventKind::AnswerDirectly {
            answer: "办理地点为区政务服务中心一楼。".into(),
            article: None,
        },
        actor(Role::Operator, None),
    )
    .unwrap();
    assert!(matches!(
        follower.appeal.follow(&lead.appeal),
        Some(EventKind::FollowLead { reply, .. }) if reply == "办理地点为区政务服务中心一楼。"
    ));
}
