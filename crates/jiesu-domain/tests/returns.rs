//! Returns judged by the dispatcher (退单审核), co-bodies' opinions with their own limit
//! (协办意见 · 协办时限), supervision notices answered and timed (督办回复), and a lifted flag
//! (撤销挂牌), through the public domain API.

use chrono::{DateTime, NaiveDate, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::deadline::{
    Alert, DeadlineState, SideClock, Timekeeper, china_local, from_china_local,
};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId, UserId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::{registered, replay};
use jiesu_domain::status::Status;
use jiesu_domain::user::{Actor, Role};

/// China time.
fn cst(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    from_china_local(
        NaiveDate::from_ymd_opt(2025, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap(),
    )
}

fn person(role: Role, body: Option<i64>) -> Actor {
    Actor {
        user: Some(UserId(1)),
        name: role.label().into(),
        role: Some(role),
        body: body.map(BodyId),
        system: false,
    }
}

fn dispatcher() -> Actor {
    person(Role::Dispatcher, None)
}

fn handler(body: i64) -> Actor {
    person(Role::Handler, Some(body))
}

fn dispatch(lead: i64, co: &[i64]) -> EventKind {
    EventKind::Dispatch {
        lead: BodyId(lead),
        co: co.iter().copied().map(BodyId).collect(),
        note: String::new(),
        category: None,
        auto: None,
    }
}

fn text(s: &str) -> String {
    s.to_string()
}

/// An appeal and its log, acted on at given moments.
struct Case {
    appeal: Appeal,
    events: Vec<Event>,
}

impl Case {
    /// A complaint registered on Monday 3 March 2025, 9:00.
    fn new() -> Case {
        let at = cst(3, 3, 9);
        let draft = AppealDraft {
            channel: Channel::Hotline,
            appeal_type: AppealType::Complaint,
            title: "小区门口占道经营".into(),
            text: "每天傍晚有摊贩占用人行道".into(),
            citizen: Citizen::default(),
            place: Place::default(),
            category: None,
            urgency: Urgency::Normal,
            suggested: None,
        };
        let first = Event::new(
            AppealId(1),
            1,
            EventKind::Register {
                draft: Box::new(draft.clone()),
            },
            Actor::citizen(),
            at,
            "",
        );
        Case {
            appeal: registered(
                AppealId(1),
                AppealNumber::new(at.date_naive(), 1),
                draft,
                at,
            ),
            events: vec![first],
        }
    }

    fn try_act(
        &mut self,
        kind: EventKind,
        who: Actor,
        at: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.appeal.check(&kind, &who, at)?;
        let prev = self.events.last().unwrap();
        let event = Event::new(self.appeal.id, prev.seq + 1, kind, who, at, &prev.hash);
        self.appeal.apply(&event);
        self.events.push(event);
        Ok(())
    }

    fn act(mut self, kind: EventKind, who: Actor, at: DateTime<Utc>) -> Case {
        self.try_act(kind, who, at).unwrap();
        self
    }

    fn refused(&mut self, kind: EventKind, who: Actor, at: DateTime<Utc>) -> String {
        self.try_act(kind, who, at).unwrap_err().to_string()
    }

    /// Dispatched to body 3 (co-body 4) and signed on 3 March, returned on 4 March.
    fn returned() -> Case {
        Case::new()
            .act(dispatch(3, &[4]), dispatcher(), cst(3, 3, 10))
            .act(EventKind::Sign, handler(3), cst(3, 3, 11))
            .act(
                EventKind::Return {
                    reason: text("不属于本单位职责"),
                },
                handler(3),
                cst(3, 4, 9),
            )
    }
}

fn judge(approved: bool, reason: &str) -> EventKind {
    EventKind::JudgeReturn {
        approved,
        reason: text(reason),
    }
}

#[test]
fn an_approved_return_goes_back_to_dispatch_for_another_body() {
    let mut case = Case::returned();
    assert_eq!(case.appeal.status, Status::Returned);
    assert_eq!(
        case.refused(dispatch(5, &[]), dispatcher(), cst(3, 4, 10)),
        "当前状态「退单待审」下不能执行「派单」",
        "a return is judged before the appeal moves on"
    );
    assert_eq!(
        case.refused(judge(true, " "), dispatcher(), cst(3, 4, 10)),
        "字段 reason 不合法：不能为空"
    );
    assert_eq!(
        case.refused(judge(true, "同意"), handler(3), cst(3, 4, 10)),
        "您的角色无权执行「退单审核」"
    );
    let mut case = case.act(judge(true, "确属城管职责"), dispatcher(), cst(3, 4, 10));
    assert_eq!(case.appeal.status, Status::Registered);
    assert!(case.appeal.return_approved());
    assert_eq!(
        case.refused(dispatch(3, &[]), dispatcher(), cst(3, 4, 11)),
        "退单已批准，请改派其他单位"
    );
    let case = case.act(dispatch(5, &[]), dispatcher(), cst(3, 4, 11));
    assert_eq!(case.appeal.status, Status::Dispatched);
    assert_eq!(case.appeal.lead_body, Some(BodyId(5)));
    assert!(!case.appeal.return_approved());
    assert_eq!(case.events[4].kind.name(), "judge_return");
    assert_eq!(case.events[4].kind.label(), "退单审核");
}

#[test]
fn a_rejected_return_goes_back_to_the_same_body_and_its_clock_never_stopped() {
    let tk = Timekeeper::default();
    let signed = Case::new()
        .act(dispatch(3, &[]), dispatcher(), cst(3, 3, 10))
        .act(EventKind::Sign, handler(3), cst(3, 3, 11));
    let running = tk.deadline(&signed.appeal, &signed.events).unwrap();
    let returned = signed.act(
        EventKind::Return {
            reason: text("不属于本单位职责"),
        },
        handler(3),
        cst(3, 4, 9),
    );
    assert_eq!(tk.deadline(&returned.appeal, &returned.events), None);
    let case = returned.act(
        judge(false, "占道经营属本街道管理范围"),
        dispatcher(),
        cst(3, 4, 10),
    );
    assert_eq!(case.appeal.status, Status::Handling, "back as it was");
    assert_eq!(case.appeal.lead_body, Some(BodyId(3)));
    let after = tk.deadline(&case.appeal, &case.events).unwrap();
    assert_eq!(after.due, running.due, "an invalid return bought no time");
    let rebuilt = replay(case.appeal.id, case.appeal.number.clone(), &case.events).unwrap();
    assert_eq!(rebuilt, case.appeal);

    let unsigned = Case::new()
        .act(dispatch(3, &[]), dispatcher(), cst(3, 3, 10))
        .act(
            EventKind::Return {
                reason: text("不属于本单位"),
            },
            handler(3),
            cst(3, 3, 11),
        )
        .act(judge(false, "属本单位"), dispatcher(), cst(3, 3, 12));
    assert_eq!(unsigned.appeal.status, Status::Dispatched);
}

#[test]
fn co_bodies_give_their_opinion_within_their_own_shorter_limit() {
    let tk = Timekeeper::default();
    let contact = EventKind::Contact {
        note: String::new(),
    };
    let mut case = Case::new()
        .act(dispatch(3, &[4, 6]), dispatcher(), cst(3, 3, 10))
        .act(EventKind::Sign, handler(3), cst(3, 3, 11))
        .act(contact, handler(3), cst(3, 3, 12));
    let d = tk.deadline(&case.appeal, &case.events).unwrap();
    let co = d.co.expect("the co-bodies' clock runs");
    assert_eq!(
        co.due_at,
        china_local(cst(3, 10, 17)) + chrono::Duration::minutes(30),
        "5 working days from dispatch"
    );
    assert!(
        co.warn_at < co.due_at && co.warn_at > co.started_at,
        "{co:?}"
    );
    assert_eq!(
        tk.alert_due(&d, cst(3, 10, 9)),
        Some(Alert::Side(SideClock::CoOpinion, DeadlineState::Warning))
    );
    assert_eq!(
        case.refused(
            EventKind::CoOpinion { text: text("x") },
            handler(3),
            cst(3, 3, 11)
        ),
        "只有协办单位可以提交协办意见"
    );
    assert_eq!(
        case.refused(
            EventKind::CoOpinion { text: text("x") },
            handler(9),
            cst(3, 3, 11)
        ),
        "只有协办单位可以提交协办意见"
    );
    let mut case = case.act(
        EventKind::CoOpinion {
            text: text("市场监管所将配合劝离"),
        },
        handler(4),
        cst(3, 4, 9),
    );
    assert_eq!(
        case.appeal.missing_co_opinions().collect::<Vec<_>>(),
        [BodyId(6)]
    );
    case = case.act(
        EventKind::CoOpinion {
            text: text("已安排夜间巡查"),
        },
        handler(4),
        cst(3, 4, 10),
    );
    assert_eq!(case.appeal.co_opinions.len(), 1, "a later opinion replaces");
    assert_eq!(case.appeal.co_opinions[0].text, "已安排夜间巡查");
    assert!(
        tk.deadline(&case.appeal, &case.events)
            .unwrap()
            .co
            .is_some()
    );
    let case = case.act(
        EventKind::CoOpinion {
            text: text("交警将加强路口管理"),
        },
        handler(6),
        cst(3, 4, 11),
    );
    let d = tk.deadline(&case.appeal, &case.events).unwrap();
    assert_eq!(d.co, None, "every opinion is in: the clock stops");
    let redispatched = case.act(
        EventKind::Return {
            reason: text("不属于本单位"),
        },
        handler(3),
        cst(3, 4, 12),
    );
    let redispatched = redispatched
        .act(judge(true, "改派"), dispatcher(), cst(3, 4, 13))
        .act(dispatch(5, &[4]), dispatcher(), cst(3, 4, 14));
    assert!(
        redispatched.appeal.co_opinions.is_empty(),
        "a new dispatch asks anew"
    );
}

#[test]
fn the_co_limit_never_runs_past_the_leads_reply_limit() {
    let tk = Timekeeper::default();
    let mut case = Case::new();
    case.appeal.appeal_type = AppealType::Consultation; // 3 working days to reply
    let case = case.act(dispatch(3, &[4]), dispatcher(), cst(3, 3, 10));
    let co = tk.deadline(&case.appeal, &case.events).unwrap().co.unwrap();
    assert_eq!(
        co.due_at.date(),
        NaiveDate::from_ymd_opt(2025, 3, 6).unwrap()
    );
}

#[test]
fn a_supervision_notice_is_timed_alerted_and_answered() {
    let tk = Timekeeper::default();
    let mut case = Case::new()
        .act(dispatch(3, &[]), dispatcher(), cst(3, 3, 10))
        .act(EventKind::Sign, handler(3), cst(3, 3, 11))
        .act(
            EventKind::Contact {
                note: String::new(),
            },
            handler(3),
            cst(3, 3, 12),
        );
    assert_eq!(
        case.refused(
            EventKind::SuperviseReply { text: text("x") },
            handler(3),
            cst(3, 3, 12)
        ),
        "没有待回复的督办单"
    );
    let supervisor = person(Role::Supervisor, None);
    let case = case.act(
        EventKind::Supervise {
            note: text("请于周五前书面回复"),
            reply_by: NaiveDate::from_ymd_opt(2025, 3, 7).unwrap(),
        },
        supervisor,
        cst(3, 4, 9),
    );
    let d = tk.deadline(&case.appeal, &case.events).unwrap();
    let s = d.supervision.expect("the reply date is timed");
    assert_eq!(
        s.due_at,
        china_local(cst(3, 7, 17)) + chrono::Duration::minutes(30)
    );
    assert!(d.next_check.unwrap() <= from_china_local(s.warn_at));
    let warn = Alert::Side(SideClock::Supervision, DeadlineState::Warning);
    assert_eq!(tk.alert_due(&d, cst(3, 7, 14)), Some(warn));
    let overdue = Alert::Side(SideClock::Supervision, DeadlineState::Overdue);
    assert_eq!(tk.alert_due(&d, cst(3, 7, 18)), Some(overdue));
    // The reminder is recorded by the system; the stored deadline moves on like the log's.
    let mut reminded = case.act(
        EventKind::ClockRemind {
            clock: SideClock::Supervision,
            state: DeadlineState::Warning,
        },
        Actor::system(),
        cst(3, 7, 14),
    );
    let after = tk.deadline(&reminded.appeal, &reminded.events).unwrap();
    assert_eq!(tk.after_alert(&d, warn), after);
    assert_eq!(tk.alert_due(&after, cst(3, 7, 15)), None, "sent once");
    assert_eq!(reminded.appeal.reminders, 0, "not a reminder of the stage");
    assert_eq!(
        reminded.refused(
            EventKind::SuperviseReply { text: text(" ") },
            handler(3),
            cst(3, 7, 15)
        ),
        "字段 text 不合法：不能为空"
    );
    let answered = reminded.act(
        EventKind::SuperviseReply {
            text: text("已约谈摊贩并设置隔离栏"),
        },
        handler(3),
        cst(3, 7, 15),
    );
    assert_eq!(answered.appeal.supervised_until, None);
    assert_eq!(
        tk.deadline(&answered.appeal, &answered.events)
            .unwrap()
            .supervision,
        None
    );
}

#[test]
fn a_flag_is_lifted_with_a_reason_by_a_leader_or_supervisor() {
    let leader = person(Role::Leader, None);
    let mut case = Case::new().act(dispatch(3, &[]), dispatcher(), cst(3, 3, 10));
    assert_eq!(
        case.refused(
            EventKind::Unflag {
                reason: text("已整改")
            },
            leader.clone(),
            cst(3, 3, 11)
        ),
        "该诉求未挂牌督办"
    );
    let mut case = case.act(
        EventKind::Flag {
            note: text("群众反映强烈"),
        },
        leader.clone(),
        cst(3, 3, 11),
    );
    assert!(case.appeal.flagged);
    assert_eq!(
        case.refused(
            EventKind::Unflag { reason: text(" ") },
            leader.clone(),
            cst(3, 3, 12)
        ),
        "字段 reason 不合法：不能为空"
    );
    assert_eq!(
        case.refused(
            EventKind::Unflag {
                reason: text("已整改")
            },
            handler(3),
            cst(3, 3, 12)
        ),
        "您的角色无权执行「撤销挂牌」"
    );
    let case = case.act(
        EventKind::Unflag {
            reason: text("问题已解决，撤销挂牌"),
        },
        leader,
        cst(3, 3, 12),
    );
    assert!(!case.appeal.flagged);
    assert_eq!(case.events.last().unwrap().kind.label(), "撤销挂牌");
}
