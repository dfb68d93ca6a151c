//! Deadlines projected from an appeal's events with the official calendar and the default
//! rules: what an operator or supervisor would check by hand.

use chrono::{DateTime, NaiveDate, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::deadline::{
    Alert, AlertLevel, DeadlineState, Stage, Timekeeper, from_china_local,
};
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::{Actor, Role};

/// China time.
fn cst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    from_china_local(
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap(),
    )
}

fn staff(role: Role) -> Actor {
    Actor {
        user: None,
        name: role.label().into(),
        role: Some(role),
        body: Some(BodyId(3)),
        system: false,
    }
}

struct Case {
    appeal: Appeal,
    events: Vec<Event>,
}

impl Case {
    fn new(kind: AppealType, urgency: Urgency, at: DateTime<Utc>) -> Case {
        let draft = AppealDraft {
            channel: Channel::Hotline,
            appeal_type: kind,
            title: "楼道灯坏了".into(),
            text: "三单元楼道灯不亮".into(),
            citizen: Citizen::default(),
            place: Place::default(),
            category: None,
            urgency,
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
            appeal: registered(AppealId(1), AppealNumber("1".into()), draft, at),
            events: vec![first],
        }
    }

    fn then(mut self, kind: EventKind, role: Role, at: DateTime<Utc>) -> Case {
        let event = Event::new(
            AppealId(1),
            self.events.len() as i64 + 1,
            kind,
            staff(role),
            at,
            "",
        );
        self.appeal.apply(&event);
        self.events.push(event);
        self
    }

    fn dispatched(self, at: DateTime<Utc>) -> Case {
        self.then(
            EventKind::Dispatch {
                lead: BodyId(3),
                co: vec![],
                note: String::new(),
                category: None,
                auto: None,
            },
            Role::Dispatcher,
            at,
        )
    }
}

#[test]
fn a_complaint_signed_before_spring_festival_is_due_after_it() {
    let tk = Timekeeper::default();
    // Dispatched Thursday 2024-02-08 16:00; signing within 1 working day → Friday (除夕, a
    // workday) 17:30.
    let case = Case::new(
        AppealType::Complaint,
        Urgency::Normal,
        cst(2024, 2, 8, 15, 0),
    )
    .dispatched(cst(2024, 2, 8, 16, 0));
    let d = tk.deadline(&case.appeal, &case.events).unwrap();
    assert_eq!(
        (d.due.stage, d.due.due_at.to_string()),
        (Stage::Sign, "2024-02-09 17:30:00".into())
    );
    // Signed on the 9th: the reply limit of 13 working days runs from the next day, skips
    // the holiday (02-10..02-17) and counts the worked Sunday 02-18 as the first.
    let case = case
        .then(EventKind::Sign, Role::Handler, cst(2024, 2, 9, 10, 0))
        .then(
            EventKind::Contact {
                note: String::new(),
            },
            Role::Handler,
            cst(2024, 2, 9, 11, 0),
        );
    let d = tk.deadline(&case.appeal, &case.events).unwrap();
    assert_eq!(d.due.stage, Stage::Reply);
    assert_eq!(d.due.due_at.to_string(), "2024-03-05 17:30:00", "{d:?}");
    assert_eq!(tk.state(&d, cst(2024, 2, 20, 9, 0)), DeadlineState::Normal);
    assert_eq!(tk.state(&d, cst(2024, 3, 6, 9, 0)), DeadlineState::Overdue);
}

#[test]
fn reconsideration_must_be_transferred_within_two_working_days_of_intake() {
    let tk = Timekeeper::default();
    // Received Friday 2024-09-27; 2 working days: Sunday 09-29 is a worked day (调休), so
    // the limit ends Monday 09-30 17:30.
    let case = Case::new(
        AppealType::Reconsideration,
        Urgency::Normal,
        cst(2024, 9, 27, 10, 0),
    );
    let d = tk
        .deadline(&case.appeal, &case.events)
        .expect("timed from intake");
    assert_eq!(d.due.due_at.to_string(), "2024-09-30 17:30:00");
    // A later dispatch does not restart its clock.
    let case = case.dispatched(cst(2024, 9, 30, 9, 0));
    assert_eq!(
        tk.deadline(&case.appeal, &case.events)
            .unwrap()
            .due
            .due_at
            .to_string(),
        "2024-09-30 17:30:00"
    );
}

#[test]
fn urgent_cases_count_clock_hours() {
    let tk = Timekeeper::default();
    let case = Case::new(AppealType::Help, Urgency::Urgent, cst(2024, 10, 1, 21, 0))
        .dispatched(cst(2024, 10, 1, 22, 0));
    let d = tk.deadline(&case.appeal, &case.events).unwrap();
    assert_eq!(
        d.due.due_at.to_string(),
        "2024-10-02 00:00:00",
        "2 clock hours, holiday or not"
    );
}

#[test]
fn a_pause_for_materials_freezes_then_extends() {
    let tk = Timekeeper::default();
    let case = Case::new(
        AppealType::Complaint,
        Urgency::Normal,
        cst(2025, 3, 3, 9, 0),
    )
    .dispatched(cst(2025, 3, 3, 9, 0))
    .then(EventKind::Sign, Role::Handler, cst(2025, 3, 3, 10, 0))
    .then(
        EventKind::Contact {
            note: String::new(),
        },
        Role::Handler,
        cst(2025, 3, 3, 11, 0),
    );
    let before = tk.deadline(&case.appeal, &case.events).unwrap();
    let case = case.then(
        EventKind::Pause {
            reason: "等待市民补充照片".into(),
        },
        Role::Handler,
        cst(2025, 3, 4, 9, 0),
    );
    let paused = tk.deadline(&case.appeal, &case.events).unwrap();
    assert!(paused.due.frozen.is_some());
    assert_eq!(
        tk.state(&paused, cst(2025, 6, 1, 9, 0)),
        DeadlineState::Normal,
        "the clock is stopped"
    );
    assert_eq!(paused.next_check, None, "nothing to alert while paused");
    let case = case.then(
        EventKind::Resume {
            note: String::new(),
        },
        Role::Handler,
        cst(2025, 3, 6, 9, 0),
    );
    let after = tk.deadline(&case.appeal, &case.events).unwrap();
    let moved = tk
        .calendar
        .working_days_between(before.due.due_at.date(), after.due.due_at.date());
    assert_eq!(moved, 2, "two working days paused: {before:?} → {after:?}");
}

#[test]
fn an_unmerged_appeal_is_timed_again_from_where_the_merge_stopped_it() {
    let tk = Timekeeper::default();
    let case = Case::new(
        AppealType::Complaint,
        Urgency::Normal,
        cst(2025, 3, 3, 9, 0),
    )
    .dispatched(cst(2025, 3, 3, 9, 0))
    .then(EventKind::Sign, Role::Handler, cst(2025, 3, 3, 10, 0));
    let before = tk.deadline(&case.appeal, &case.events).unwrap();
    let case = case.then(
        EventKind::Merge {
            into: AppealId(2),
            note: String::new(),
        },
        Role::Dispatcher,
        cst(2025, 3, 3, 11, 0),
    );
    assert_eq!(tk.deadline(&case.appeal, &case.events), None, "merged");
    let case = case.then(
        EventKind::Unmerge {
            reason: "并非同一问题".into(),
        },
        Role::Dispatcher,
        cst(2025, 3, 5, 11, 0),
    );
    let after = tk
        .deadline(&case.appeal, &case.events)
        .expect("a running clock after the unmerge, before any new dispatch");
    assert_eq!(after.due.stage, Stage::Contact);
    let moved = tk
        .calendar
        .working_days_between(before.due.due_at.date(), after.due.due_at.date());
    assert_eq!(moved, 2, "two working days merged: {before:?} → {after:?}");
    assert!(after.next_check.is_some(), "the scanner looks at it again");
    assert_eq!(
        tk.state(&after, cst(2025, 4, 1, 9, 0)),
        DeadlineState::Overdue,
        "it shows in the 超期 list when it runs over"
    );
}

#[test]
fn alerts_go_warning_then_overdue_then_escalation_and_count_once() {
    let tk = Timekeeper::default();
    let case = Case::new(
        AppealType::Complaint,
        Urgency::Normal,
        cst(2025, 3, 3, 9, 0),
    )
    .dispatched(cst(2025, 3, 3, 9, 0));
    let d = tk.deadline(&case.appeal, &case.events).unwrap();
    assert_eq!(tk.alert_due(&d, cst(2025, 3, 3, 10, 0)), None);
    assert_eq!(
        tk.alert_due(&d, cst(2025, 3, 4, 17, 0)),
        Some(Alert::Remind(DeadlineState::Warning))
    );
    assert_eq!(
        tk.alert_due(&d, cst(2025, 3, 5, 9, 0)),
        Some(Alert::Remind(DeadlineState::Overdue))
    );
    assert_eq!(
        tk.alert_due(&d, cst(2025, 3, 10, 9, 0)),
        Some(Alert::Escalate),
        "three working days overdue"
    );
    let system = Actor::system();
    let remind = Event::new(
        AppealId(1),
        3,
        EventKind::Remind {
            note: String::new(),
            auto: Some(DeadlineState::Overdue),
        },
        system,
        cst(2025, 3, 5, 9, 0),
        "",
    );
    let mut events = case.events.clone();
    events.push(remind);
    let d = tk.deadline(&case.appeal, &events).unwrap();
    assert_eq!(d.alerted, AlertLevel::Overdue);
    let before = tk.deadline(&case.appeal, &case.events).unwrap();
    assert_eq!(
        tk.after_alert(&before, Alert::Remind(DeadlineState::Overdue)),
        d,
        "the stored deadline moved on by the alert equals the one projected from the log"
    );
    assert_eq!(
        tk.alert_due(&d, cst(2025, 3, 6, 9, 0)),
        None,
        "the overdue notice is not sent twice"
    );
}

#[test]
fn the_fingerprint_changes_with_rules_calendar_and_threshold() {
    let tk = Timekeeper::default();
    assert_eq!(tk.fingerprint(), Timekeeper::default().fingerprint());
    let stricter = Timekeeper {
        escalate_after_days: 5,
        ..Timekeeper::default()
    };
    assert_ne!(tk.fingerprint(), stricter.fingerprint());
    let weekdays = Timekeeper {
        calendar: jiesu_domain::calendar::Calendar::weekdays_only(),
        ..Timekeeper::default()
    };
    assert_ne!(tk.fingerprint(), weekdays.fingerprint());
    let later_warning = Timekeeper {
        rules: jiesu_domain::deadline::RuleBook::new(tk.rules.rules().to_vec(), 0.5).unwrap(),
        ..Timekeeper::default()
    };
    assert_ne!(tk.fingerprint(), later_warning.fingerprint());
}
