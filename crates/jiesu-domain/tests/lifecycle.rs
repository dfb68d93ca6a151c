//! The life of an appeal through the public domain API: legal paths succeed, illegal ones are
//! refused with a typed error, and replaying the events gives the same appeal.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use jiesu_domain::action::Action;
use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::auto_dispatch::AutoDispatch;
use jiesu_domain::deadline::{DeadlineState, SideClock};
use jiesu_domain::event::{Event, EventKind, Satisfaction, verify_chain};
use jiesu_domain::ids::{AppealId, BodyId, UserId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::{UNREACHED_BEFORE_CLOSE, registered, replay};
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

#[derive(Clone)]
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
        auto: None,
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
        auto: None,
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
        auto: None,
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
        auto: None,
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
    s.act(
        EventKind::JudgeReturn {
            approved: true,
            reason: "确属其他单位职责".into(),
        },
        actor(Role::Dispatcher, None),
    )
    .unwrap();
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
        auto: None,
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
        auto: None,
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
        auto: None,
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

/// A lead-body handler (主办) of body 3, as the stories dispatch.
fn lead_handler() -> Actor {
    actor(Role::Handler, Some(3))
}

/// Appeals in every state the stories reach, with each fact that changes what may be done
/// on both sides (contacted, paused, flagged, an extension pending, rated).
fn appeals_in_every_state() -> Vec<(&'static str, Appeal)> {
    let mut out = Vec::new();
    let mut s = Story::new();
    out.push(("registered", s.appeal.clone()));
    let dispatch = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![BodyId(4)],
        note: String::new(),
        category: None,
        auto: None,
    };
    let mut automatic = s.clone();
    automatic.act(auto_dispatch(), Actor::system()).unwrap();
    out.push(("dispatched by the system", automatic.appeal.clone()));
    automatic.act(EventKind::Sign, lead_handler()).unwrap();
    out.push(("signed after automatic dispatch", automatic.appeal));
    s.act(dispatch, actor(Role::Dispatcher, None)).unwrap();
    out.push(("dispatched", s.appeal.clone()));
    let mut returned = s.clone();
    returned
        .act(
            EventKind::Return {
                reason: "不属于本单位职责".into(),
            },
            lead_handler(),
        )
        .unwrap();
    out.push(("returned", returned.appeal));
    s.act(EventKind::Sign, lead_handler()).unwrap();
    out.push(("handling", s.appeal.clone()));
    let mut busy = s.clone();
    let later = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    for (kind, who) in [
        (
            EventKind::Contact {
                note: String::new(),
            },
            lead_handler(),
        ),
        (
            EventKind::Pause {
                reason: "等待补充材料".into(),
            },
            lead_handler(),
        ),
        (
            EventKind::Flag {
                note: String::new(),
            },
            actor(Role::Leader, None),
        ),
        (
            EventKind::Supervise {
                note: "请限期回复".into(),
                reply_by: later,
            },
            actor(Role::Supervisor, None),
        ),
        (
            EventKind::RequestExtension {
                reason: "需协调".into(),
                until: later,
            },
            lead_handler(),
        ),
    ] {
        busy.act(kind, who).unwrap();
    }
    out.push((
        "handling, contacted, paused, flagged, supervised, extension pending",
        busy.appeal,
    ));
    s.act(
        EventKind::Reply {
            text: "已处理".into(),
        },
        lead_handler(),
    )
    .unwrap();
    out.push(("replied", s.appeal.clone()));
    s.act(approve(), actor(Role::Supervisor, None)).unwrap();
    out.push(("awaiting callback", s.appeal.clone()));
    let mut unreached = s.clone();
    for _ in 0..UNREACHED_BEFORE_CLOSE {
        let attempt = EventKind::CallbackUnreached {
            note: "无人接听".into(),
        };
        unreached
            .act(attempt, actor(Role::Supervisor, None))
            .unwrap();
    }
    out.push(("awaiting callback, not reached", unreached.appeal));
    let callback = EventKind::Callback {
        solved: true,
        satisfaction: Satisfaction::Satisfied,
        note: String::new(),
    };
    s.act(callback, actor(Role::Supervisor, None)).unwrap();
    out.push(("closed", s.appeal.clone()));
    let rate = EventKind::Rate {
        satisfaction: Satisfaction::Satisfied,
        note: String::new(),
    };
    s.act(rate, Actor::citizen()).unwrap();
    out.push(("closed, rated", s.appeal.clone()));
    s.act(EventKind::Archive, actor(Role::Supervisor, None))
        .unwrap();
    out.push(("archived", s.appeal));
    let mut follower = merged_into(AppealId(99));
    out.push(("merged", follower.appeal.clone()));
    let follow = EventKind::FollowLead {
        lead: AppealId(99),
        reply: "已处理".into(),
    };
    follower.act(follow, Actor::system()).unwrap();
    out.push(("followed its lead", follower.appeal));
    out
}

/// The system's dispatch on the model's word (自动派单) to the lead body 3.
fn auto_dispatch() -> EventKind {
    EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![],
        note: String::new(),
        category: None,
        auto: Some(AutoDispatch {
            model_version: 2,
            confidence: 0.99,
        }),
    }
}

#[test]
fn a_dispatcher_takes_an_automatic_dispatch_back() {
    let mut s = Story::new();
    let at = s.appeal.updated_at + Duration::hours(1);
    let refused = s
        .appeal
        .check(&auto_dispatch(), &actor(Role::Dispatcher, None), at);
    assert!(matches!(refused, Err(DomainError::Refused(_))));
    s.act(auto_dispatch(), Actor::system()).unwrap();
    assert_eq!(s.appeal.status, Status::Dispatched);
    assert_eq!(s.appeal.auto_dispatched.map(|a| a.model_version), Some(2));
    let recall = EventKind::Recall {
        reason: "分类有误".into(),
    };
    let at = s.appeal.updated_at + Duration::hours(1);
    assert!(s.appeal.check(&recall, &lead_handler(), at).is_err());
    s.act(recall.clone(), actor(Role::Dispatcher, None))
        .unwrap();
    assert_eq!(s.appeal.status, Status::Registered);
    assert_eq!(s.appeal.lead_body, None);
    assert_eq!(s.appeal.auto_dispatched, None);
    // A person's dispatch cannot be recalled.
    let by_hand = EventKind::Dispatch {
        lead: BodyId(3),
        co: vec![],
        note: String::new(),
        category: None,
        auto: None,
    };
    s.act(by_hand, actor(Role::Dispatcher, None)).unwrap();
    assert!(matches!(
        s.appeal.check(&recall, &actor(Role::Dispatcher, None), at),
        Err(DomainError::Refused(_))
    ));
}

/// Everyone who may ask: each role without a body, handlers of the lead body, a co-body and
/// another body, a citizen and the system.
fn everyone() -> Vec<Actor> {
    let mut all: Vec<Actor> = Role::ALL.iter().map(|r| actor(*r, None)).collect();
    all.extend([3, 4, 9].map(|b| actor(Role::Handler, Some(b))));
    all.extend([Actor::citizen(), Actor::system()]);
    all
}

/// Requests of every action, with details that pass whenever the action may be taken:
/// both answers of a review and a callback, both kinds of automatic reminder.
fn tries(appeal: &Appeal, at: DateTime<Utc>) -> Vec<EventKind> {
    let text = || "说明".to_string();
    let later = (at + Duration::days(7)).date_naive();
    vec![
        EventKind::AnswerDirectly {
            answer: text(),
            article: None,
        },
        EventKind::Dispatch {
            lead: BodyId(5),
            co: vec![],
            note: String::new(),
            category: None,
            auto: None,
        },
        auto_dispatch(),
        EventKind::Recall { reason: text() },
        EventKind::Merge {
            into: AppealId(appeal.id.0 + 1),
            note: String::new(),
        },
        EventKind::Unmerge { reason: text() },
        EventKind::FollowLead {
            lead: appeal.merged_into.unwrap_or(AppealId(99)),
            reply: text(),
        },
        EventKind::Sign,
        EventKind::Return { reason: text() },
        EventKind::JudgeReturn {
            approved: true,
            reason: text(),
        },
        EventKind::JudgeReturn {
            approved: false,
            reason: text(),
        },
        EventKind::CoOpinion { text: text() },
        EventKind::RequestExtension {
            reason: text(),
            until: later,
        },
        EventKind::DecideExtension {
            approve: true,
            note: String::new(),
        },
        EventKind::DecideExtension {
            approve: false,
            note: text(),
        },
        EventKind::Reply { text: text() },
        approve(),
        EventKind::Review {
            approve: false,
            reason: text(),
        },
        EventKind::Callback {
            solved: true,
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        },
        EventKind::Callback {
            solved: false,
            satisfaction: Satisfaction::Dissatisfied,
            note: text(),
        },
        EventKind::CallbackUnreached {
            note: String::new(),
        },
        EventKind::Close { note: text() },
        EventKind::Reopen { reason: text() },
        EventKind::Archive,
        EventKind::Comment { text: text() },
        EventKind::Contact {
            note: String::new(),
        },
        EventKind::Pause { reason: text() },
        EventKind::Resume {
            note: String::new(),
        },
        EventKind::Remind {
            note: String::new(),
            auto: None,
        },
        EventKind::Remind {
            note: String::new(),
            auto: Some(DeadlineState::Warning),
        },
        EventKind::Remind {
            note: String::new(),
            auto: Some(DeadlineState::Overdue),
        },
        EventKind::Supervise {
            note: text(),
            reply_by: later,
        },
        EventKind::SuperviseReply { text: text() },
        EventKind::Flag {
            note: String::new(),
        },
        EventKind::Unflag { reason: text() },
        EventKind::ClockRemind {
            clock: SideClock::Supervision,
            state: DeadlineState::Warning,
        },
        EventKind::ClockRemind {
            clock: SideClock::CoOpinion,
            state: DeadlineState::Overdue,
        },
        EventKind::Escalate {
            to: BodyId(8),
            note: String::new(),
        },
        EventKind::Rate {
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        },
    ]
}

#[test]
fn the_stories_reach_every_state_and_the_tries_cover_every_action() {
    let appeals = appeals_in_every_state();
    let states: BTreeSet<Status> = appeals.iter().map(|(_, a)| a.status).collect();
    assert_eq!(states, Status::ALL.iter().copied().collect());
    let at = Utc::now();
    let tried: BTreeSet<Action> = tries(&appeals[0].1, at)
        .iter()
        .filter_map(EventKind::action)
        .collect();
    assert_eq!(tried, Action::ALL.iter().copied().collect());
}

#[test]
fn allowed_actions_are_exactly_those_some_request_passes() {
    for (name, appeal) in appeals_in_every_state() {
        let at = appeal.updated_at + Duration::hours(1);
        for who in everyone() {
            let passing: BTreeSet<Action> = tries(&appeal, at)
                .iter()
                .filter(|kind| appeal.check(kind, &who, at).is_ok())
                .filter_map(EventKind::action)
                .collect();
            let allowed = appeal.allowed_actions(&who);
            assert_eq!(
                allowed.iter().copied().collect::<BTreeSet<_>>(),
                passing,
                "{name}, {} of body {:?}",
                who.name,
                who.body
            );
        }
    }
}

#[test]
fn allowed_actions_for_some_states_and_roles() {
    use Action::*;
    let appeals = appeals_in_every_state();
    let appeal = |name: &str| &appeals.iter().find(|(n, _)| *n == name).unwrap().1;
    let busy = "handling, contacted, paused, flagged, supervised, extension pending";
    let cases: [(&str, Actor, &[Action]); 15] = [
        (
            "registered",
            actor(Role::Operator, None),
            &[AnswerDirectly, Comment],
        ),
        (
            "registered",
            actor(Role::Dispatcher, None),
            &[Dispatch, Merge, Comment],
        ),
        ("dispatched", lead_handler(), &[Sign, Return, Comment]),
        (
            "dispatched",
            Actor::system(),
            &[Remind, AutoRemind, Escalate],
        ),
        (
            "handling",
            lead_handler(),
            &[Return, RequestExtension, Reply, Comment, Contact, Pause],
        ),
        (
            "handling",
            actor(Role::Handler, Some(4)),
            &[CoOpinion, Comment],
        ),
        (
            "returned",
            actor(Role::Dispatcher, None),
            &[Merge, JudgeReturn, Comment],
        ),
        ("returned", lead_handler(), &[Comment]),
        ("handling", actor(Role::Handler, Some(9)), &[]),
        (
            busy,
            lead_handler(),
            &[Return, Reply, Comment, Resume, SuperviseReply],
        ),
        (
            busy,
            actor(Role::Supervisor, None),
            &[
                DecideExtension,
                Comment,
                Resume,
                Remind,
                Supervise,
                Unflag,
                Escalate,
            ],
        ),
        (
            "awaiting callback",
            actor(Role::Supervisor, None),
            &[Callback, CallbackUnreached, Comment, Remind, Flag, Escalate],
        ),
        (
            "awaiting callback, not reached",
            actor(Role::Supervisor, None),
            &[
                Callback,
                CallbackUnreached,
                Close,
                Comment,
                Remind,
                Flag,
                Escalate,
            ],
        ),
        ("closed", Actor::citizen(), &[Rate]),
        ("closed, rated", Actor::citizen(), &[]),
    ];
    for (name, who, expected) in cases {
        assert_eq!(
            appeal(name).allowed_actions(&who),
            expected,
            "{name}, {}",
            who.name
        );
    }
    assert_eq!(
        appeal("merged").allowed_actions(&Actor::system()),
        [FollowLead]
    );
    assert_eq!(
        appeal("merged").allowed_actions(&actor(Role::Dispatcher, None)),
        [Unmerge, Comment]
    );
}

#[test]
fn every_event_but_the_registration_is_an_action_stored_under_its_code() {
    let appeal = Story::new().appeal;
    for kind in tries(&appeal, Utc::now()) {
        let action = kind.action().unwrap();
        if action != Action::AutoRemind {
            assert_eq!(action.code(), kind.name());
        }
    }
    let register = EventKind::Register {
        draft: Box::new(draft()),
    };
    assert_eq!(register.action(), None);
}

#[test]
fn unreached_callbacks_are_counted_and_allow_closing_only_after_enough_attempts() {
    let appeals = appeals_in_every_state();
    let waiting = &appeals
        .iter()
        .find(|(n, _)| *n == "awaiting callback")
        .unwrap()
        .1;
    let supervisor = actor(Role::Supervisor, None);
    let mut s = Story::new();
    s.appeal = waiting.clone();
    s.events.last_mut().unwrap().seq = waiting.version;
    let close = || EventKind::Close {
        note: "多次回访未接通".into(),
    };
    for attempt in 1..=UNREACHED_BEFORE_CLOSE {
        let refused = s.act(close(), supervisor.clone()).unwrap_err();
        assert!(refused.to_string().contains("回访未接通满"), "{refused}");
        let unreached = EventKind::CallbackUnreached {
            note: "无人接听".into(),
        };
        s.act(unreached, supervisor.clone()).unwrap();
        assert_eq!(s.appeal.callback_attempts, attempt);
        assert_eq!(s.appeal.status, Status::AwaitingCallback);
    }
    s.act(close(), supervisor).unwrap();
    assert_eq!(s.appeal.status, Status::Closed);
    assert!(s.appeal.callback.is_none());
}

#[test]
fn the_step_actions_are_allowed_ones_that_move_the_appeal_on() {
    use Action::*;
    let appeals = appeals_in_every_state();
    for (name, appeal) in &appeals {
        for who in everyone() {
            let allowed = appeal.allowed_actions(&who);
            for a in appeal.step_actions(&who) {
                assert!(allowed.contains(&a), "{name}: {a:?} for {}", who.name);
            }
        }
    }
    let appeal = |name: &str| &appeals.iter().find(|(n, _)| *n == name).unwrap().1;
    let supervisor = actor(Role::Supervisor, None);
    let busy = "handling, contacted, paused, flagged, supervised, extension pending";
    let cases: [(&str, &Actor, &[Action]); 9] = [
        ("registered", &actor(Role::Dispatcher, None), &[Dispatch]),
        ("dispatched", &lead_handler(), &[Sign]),
        ("handling", &lead_handler(), &[Contact, Reply]),
        (busy, &lead_handler(), &[SuperviseReply, Reply]),
        (busy, &supervisor, &[DecideExtension]),
        ("returned", &actor(Role::Dispatcher, None), &[JudgeReturn]),
        ("replied", &supervisor, &[Review]),
        (
            "awaiting callback",
            &supervisor,
            &[Callback, CallbackUnreached],
        ),
        (
            "awaiting callback, not reached",
            &supervisor,
            &[Callback, CallbackUnreached, Close],
        ),
    ];
    for (name, who, expected) in cases {
        assert_eq!(appeal(name).step_actions(who), expected, "{name}");
    }
}
