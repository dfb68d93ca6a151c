//! Tests of time limits and deadline states through the public API.

use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::*;
use crate::calendar::Calendar;
use crate::kinds::{AppealType, Urgency};

fn t(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

use DeadlineFact::*;

fn due(facts: &[DeadlineFact], ty: AppealType, urgency: Urgency) -> Option<DueTimes> {
    RuleBook::defaults().due_times(facts, ty, None, urgency, &Calendar::official())
}

fn complaint(facts: &[DeadlineFact]) -> DueTimes {
    due(facts, AppealType::Complaint, Urgency::Normal).unwrap()
}

#[test]
fn default_rules_by_type_and_urgency() {
    let book = RuleBook::defaults();
    assert_eq!(book.warn_share(), 0.8);
    let rule = |ty, urgency| book.rule_for(ty, None, urgency).clone();
    let complaint = rule(AppealType::Complaint, Urgency::Normal);
    assert_eq!(complaint.sign, Limit::WorkingDays(1));
    assert_eq!(complaint.reply, Limit::WorkingDays(13));
    assert_eq!(complaint.close, Limit::WorkingDays(2));
    for ty in [AppealType::Report, AppealType::Suggestion] {
        assert_eq!(rule(ty, Urgency::Normal).reply, Limit::WorkingDays(13));
    }
    for ty in [AppealType::Consultation, AppealType::Help] {
        assert_eq!(rule(ty, Urgency::Normal).reply, Limit::WorkingDays(3));
        assert_eq!(rule(ty, Urgency::Normal).sign, Limit::WorkingDays(1));
    }
    assert_eq!(
        rule(AppealType::Praise, Urgency::Normal).reply,
        Limit::WorkingDays(5)
    );
    let reconsideration = rule(AppealType::Reconsideration, Urgency::Normal);
    assert_eq!(
        reconsideration.appeal_type,
        Some(AppealType::Reconsideration)
    );
    assert_eq!(reconsideration.sign, Limit::WorkingDays(2));
    assert_eq!(reconsideration.reply, Limit::WorkingDays(2));
    let urgent = rule(AppealType::Consultation, Urgency::Urgent);
    assert_eq!(urgent.sign, Limit::ClockHours(2));
    assert_eq!(urgent.reply, Limit::ClockHours(8));
    let critical = rule(AppealType::Complaint, Urgency::Critical);
    assert_eq!(critical.sign, Limit::ClockHours(2));
    assert_eq!(critical.reply, Limit::ClockHours(4));
}

#[test]
fn the_most_specific_rule_wins() {
    let wd = Limit::WorkingDays;
    let mut rules = RuleBook::defaults().rules().to_vec();
    rules.push(TimeLimitRule {
        appeal_type: Some(AppealType::Complaint),
        category_l1: Some("供暖".to_string()),
        ..TimeLimitRule::any(wd(1), wd(1), wd(5), wd(2))
    });
    rules.push(TimeLimitRule {
        category_l1: Some("供暖".to_string()),
        ..TimeLimitRule::any(wd(1), wd(1), wd(7), wd(2))
    });
    let book = RuleBook::new(rules, 0.8).unwrap();
    let reply = |ty, cat, urgency| book.rule_for(ty, cat, urgency).reply;
    assert_eq!(
        reply(AppealType::Complaint, Some("供暖"), Urgency::Normal),
        wd(5)
    );
    assert_eq!(
        reply(AppealType::Help, Some("供暖"), Urgency::Normal),
        wd(7),
        "category beats type"
    );
    assert_eq!(
        reply(AppealType::Complaint, Some("交通"), Urgency::Normal),
        wd(13)
    );
    assert_eq!(reply(AppealType::Complaint, None, Urgency::Normal), wd(13));
    assert_eq!(
        reply(AppealType::Complaint, Some("供暖"), Urgency::Urgent),
        Limit::ClockHours(8),
        "urgency beats category and type"
    );
}

#[test]
fn invalid_rules_are_refused_naming_the_field() {
    let wd = Limit::WorkingDays;
    let zero = TimeLimitRule::any(wd(1), wd(1), wd(0), wd(2));
    let err = RuleBook::new(vec![zero], 0.8).unwrap_err();
    assert!(
        matches!(err, RuleError::InvalidLimit { field: "reply", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("reply"), "{err}");

    let too_long = TimeLimitRule::any(Limit::ClockHours(100_000), wd(1), wd(3), wd(2));
    let err = too_long.validate().unwrap_err();
    assert!(
        matches!(err, RuleError::InvalidLimit { field: "sign", .. }),
        "{err}"
    );

    let fallback = TimeLimitRule::any(wd(1), wd(1), wd(13), wd(2));
    let err = RuleBook::new(vec![fallback.clone(), fallback.clone()], 0.8).unwrap_err();
    assert!(matches!(err, RuleError::DuplicateRule { .. }), "{err}");

    let only_complaints = TimeLimitRule {
        appeal_type: Some(AppealType::Complaint),
        ..fallback.clone()
    };
    assert_eq!(
        RuleBook::new(vec![only_complaints], 0.8).unwrap_err(),
        RuleError::NoFallback
    );

    for share in [0.0, -0.5, 1.5, f64::NAN] {
        let err = RuleBook::new(vec![fallback.clone()], share).unwrap_err();
        assert!(
            matches!(err, RuleError::InvalidWarnShare { .. }),
            "{share}: {err}"
        );
        assert!(err.to_string().contains("warn_share"), "{err}");
    }
    assert!(RuleBook::new(vec![fallback.clone()], 1.0).is_ok());

    let blank = TimeLimitRule {
        category_l1: Some("  ".to_string()),
        ..fallback
    };
    assert!(matches!(
        blank.validate(),
        Err(RuleError::BlankCategory { .. })
    ));
}

#[test]
fn rule_books_round_trip_through_json() {
    let book = RuleBook::defaults();
    let json = book.to_json();
    assert!(json.contains(r#""working_days": 13"#), "{json}");
    assert!(json.contains(r#""appeal_type": "行政复议""#), "{json}");
    assert_eq!(RuleBook::from_json(&json).unwrap(), book);

    let edited = r#"{"rules": [
        {"sign": {"working_days": 1}, "contact": {"working_days": 1},
         "reply": {"working_days": 10}, "close": {"working_days": 2}},
        {"urgency": "紧急", "sign": {"clock_hours": 1}, "contact": {"clock_hours": 1},
         "reply": {"working_hours": 4}, "close": {"working_days": 1}}
    ]}"#;
    let book = RuleBook::from_json(edited).unwrap();
    assert_eq!(book.warn_share(), DEFAULT_WARN_SHARE);
    assert_eq!(
        book.rule_for(AppealType::Help, None, Urgency::Urgent).reply,
        Limit::WorkingHours(4)
    );
}

#[test]
fn bad_json_rules_name_the_field_in_chinese() {
    let negative = r#"{"rules": [{"sign": {"working_days": 1}, "contact": {"working_days": 1},
        "reply": {"working_days": -3}, "close": {"working_days": 2}}]}"#;
    let err = RuleBook::from_json(negative).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("reply") && text.contains("负数"), "{text}");

    let zero = r#"{"rules": [{"sign": {"clock_hours": 0}, "contact": {"working_days": 1},
        "reply": {"working_days": 3}, "close": {"working_days": 2}}]}"#;
    let text = RuleBook::from_json(zero).unwrap_err().to_string();
    assert!(text.contains("sign") && text.contains("不能为 0"), "{text}");

    let share = r#"{"warn_share": 2, "rules": []}"#;
    assert!(
        RuleBook::from_json(share)
            .unwrap_err()
            .to_string()
            .contains("warn_share")
    );

    let unknown = r#"{"rules": [{"sign": {"weeks": 1}, "contact": {"working_days": 1},
        "reply": {"working_days": 3}, "close": {"working_days": 2}}]}"#;
    assert!(matches!(
        RuleBook::from_json(unknown),
        Err(RuleError::Format(_))
    ));
}

#[test]
fn limits_have_a_text_form() {
    assert_eq!(Limit::WorkingDays(13).to_string(), "13个工作日");
    assert_eq!(Limit::WorkingHours(8).to_string(), "8个工作小时");
    assert_eq!(Limit::ClockHours(2).to_string(), "2小时");
    assert_eq!("13个工作日".parse(), Ok(Limit::WorkingDays(13)));
    assert_eq!("8工作小时".parse(), Ok(Limit::WorkingHours(8)));
    assert_eq!("2小时".parse(), Ok(Limit::ClockHours(2)));
    assert!("0小时".parse::<Limit>().is_err());
    assert!("三天".parse::<Limit>().is_err());
}

#[test]
fn nothing_is_timed_before_dispatch_or_after_closing() {
    assert_eq!(due(&[], AppealType::Complaint, Urgency::Normal), None);
    let facts = [
        Dispatched(t("2024-03-04 09:00")),
        Signed(t("2024-03-04 10:00")),
        Replied(t("2024-03-05 10:00")),
        Closed(t("2024-03-06 10:00")),
    ];
    assert_eq!(due(&facts, AppealType::Complaint, Urgency::Normal), None);
}

#[test]
fn sign_stage_before_the_spring_festival() {
    // Dispatched Thursday 2024-02-08 10:00; sign within 1 working day = Friday (除夕,
    // worked) 17:30. Working time: Thursday 6 h + Friday 7 h = 13 h; 80 % = 10 h 24 min,
    // reached on Friday at 14:54.
    let due = complaint(&[Dispatched(t("2024-02-08 10:00"))]);
    assert_eq!(due.stage, Stage::Sign);
    assert_eq!(due.started_at, t("2024-02-08 10:00"));
    assert_eq!(due.due_at, t("2024-02-09 17:30"));
    assert_eq!(due.warn_at, t("2024-02-09 14:54"));
    assert_eq!(due.state_at(t("2024-02-09 14:53")), DeadlineState::Normal);
    assert_eq!(due.state_at(t("2024-02-09 14:54")), DeadlineState::Warning);
    assert_eq!(due.state_at(t("2024-02-09 17:30")), DeadlineState::Warning);
    assert_eq!(due.state_at(t("2024-02-09 17:31")), DeadlineState::Overdue);
    assert_eq!(due.state_at(t("2024-02-12 10:00")), DeadlineState::Overdue);
    assert_eq!(DeadlineState::Warning.label(), "临期");
    assert_eq!(DeadlineState::Overdue.to_string(), "超期");
}

#[test]
fn contact_then_reply_across_the_spring_festival() {
    let signed = Signed(t("2024-02-08 10:00"));
    let dispatched = Dispatched(t("2024-02-08 09:00"));
    let contact = complaint(&[dispatched, signed]);
    assert_eq!(contact.stage, Stage::Contact);
    assert_eq!(contact.due_at, t("2024-02-09 17:30"));

    // Reply within 13 working days from the day after signing:
    // 02-09, 02-18 (Sunday, 调休), 02-19..23, 02-26..03-01, 03-04.
    let reply = complaint(&[dispatched, signed, Contacted(t("2024-02-08 15:00"))]);
    assert_eq!(reply.stage, Stage::Reply);
    assert_eq!(reply.started_at, t("2024-02-08 10:00"));
    assert_eq!(reply.due_at, t("2024-03-04 17:30"));
    // Thursday 6 h + 13 × 7 h = 97 h of working time; 80 % = 77 h 36 min: Thursday 6 h,
    // ten full days (02-09 .. 02-28, 70 h), then 1 h 36 min on 02-29 → 10:36.
    assert_eq!(reply.warn_at, t("2024-02-29 10:36"));
    assert_eq!(reply.state_at(t("2024-02-20 10:00")), DeadlineState::Normal);
    assert_eq!(reply.state_at(t("2024-02-29 10:35")), DeadlineState::Normal);
    assert_eq!(
        reply.state_at(t("2024-03-04 13:00")),
        DeadlineState::Warning
    );
    assert_eq!(
        reply.state_at(t("2024-03-05 09:00")),
        DeadlineState::Overdue
    );
}

#[test]
fn consultation_reply_and_close_stage() {
    let facts = [
        Dispatched(t("2024-09-27 16:00")),
        Signed(t("2024-09-27 16:30")),
        Contacted(t("2024-09-27 17:00")),
    ];
    // 3 working days after Friday 09-27: Sunday 09-29 (调休), 09-30, then 10-08.
    let reply = due(&facts, AppealType::Consultation, Urgency::Normal).unwrap();
    assert_eq!(reply.due_at, t("2024-10-08 17:30"));

    let mut facts = facts.to_vec();
    facts.push(Replied(t("2024-10-10 11:00")));
    let close = due(&facts, AppealType::Consultation, Urgency::Normal).unwrap();
    assert_eq!(close.stage, Stage::Close);
    assert_eq!(close.started_at, t("2024-10-10 11:00"));
    // Two working days after Thursday 10-10: Friday 10-11, Saturday 10-12 (调休).
    assert_eq!(close.due_at, t("2024-10-12 17:30"));
}

#[test]
fn a_follower_gets_its_own_callback_limit_from_following() {
    // Merged while dispatched (the clock stopped), then the lead's answer was taken over on
    // Thursday 10-10 11:00: two working days for the callback, as after a reply.
    let facts = [
        Dispatched(t("2024-09-27 16:00")),
        Closed(t("2024-09-28 10:00")),
        FollowedLead(t("2024-10-10 11:00")),
    ];
    let close = due(&facts, AppealType::Consultation, Urgency::Normal).unwrap();
    assert_eq!(close.stage, Stage::Close);
    assert_eq!(close.started_at, t("2024-10-10 11:00"));
    assert_eq!(close.due_at, t("2024-10-12 17:30"));
    // Merged at intake, never dispatched: following starts the same limit.
    let never_dispatched = [FollowedLead(t("2024-10-10 11:00"))];
    assert_eq!(
        due(&never_dispatched, AppealType::Consultation, Urgency::Normal),
        Some(close)
    );
}

#[test]
fn an_undone_merge_resumes_the_stage_the_merge_stopped() {
    let base = [
        Dispatched(t("2024-03-01 09:00")),
        Signed(t("2024-03-01 10:00")),
        Contacted(t("2024-03-01 11:00")),
    ];
    let plain = complaint(&base);
    // Merged Tuesday 09:00: nothing is timed while the lead is handled.
    let mut facts = base.to_vec();
    facts.push(Merged(t("2024-03-05 09:00")));
    assert_eq!(due(&facts, AppealType::Complaint, Urgency::Normal), None);
    // Unmerged Thursday 09:00: the reply stage runs again from where it stopped, the two
    // merged working days not counted.
    facts.push(Unmerged(t("2024-03-07 09:00")));
    let resumed = complaint(&facts);
    assert_eq!(resumed.stage, Stage::Reply);
    assert_eq!(resumed.started_at, plain.started_at);
    assert_eq!(resumed.due_at, t("2024-03-22 17:30"));
    assert_eq!(resumed.paused_since, None);
    assert_eq!(
        resumed.state_at(t("2024-03-25 09:00")),
        DeadlineState::Overdue,
        "it can fall due again"
    );

    // Merged after the limit had passed: still overdue when the merge is undone.
    let mut facts = base.to_vec();
    facts.extend([
        Merged(t("2024-03-25 09:00")),
        Unmerged(t("2024-03-27 09:00")),
    ]);
    let late = complaint(&facts);
    assert_eq!(late.due_at, plain.due_at);
    assert_eq!(late.state_at(t("2024-03-27 10:00")), DeadlineState::Overdue);

    // Merged while waiting for material: the open pause still freezes the state after.
    let mut facts = base.to_vec();
    facts.extend([
        Paused(t("2024-03-04 09:00")),
        Merged(t("2024-03-05 09:00")),
        Unmerged(t("2024-03-07 09:00")),
    ]);
    assert_eq!(complaint(&facts).paused_since, Some(t("2024-03-04 09:00")));

    // Merged before any dispatch: nothing to resume.
    let facts = [
        Merged(t("2024-03-05 09:00")),
        Unmerged(t("2024-03-07 09:00")),
    ];
    assert_eq!(due(&facts, AppealType::Complaint, Urgency::Normal), None);
}

#[test]
fn reconsideration_must_be_transferred_in_two_working_days() {
    let facts = [Dispatched(t("2025-01-24 09:00"))];
    let due = due(&facts, AppealType::Reconsideration, Urgency::Normal).unwrap();
    // Friday 01-24, then Sunday 01-26 (调休) and Monday 01-27.
    assert_eq!(due.due_at, t("2025-01-27 17:30"));
}

#[test]
fn urgent_cases_run_on_the_clock() {
    // Dispatched at night on a holiday: clock hours still run.
    let facts = [Dispatched(t("2024-02-10 22:00"))];
    let sign = due(&facts, AppealType::Help, Urgency::Urgent).unwrap();
    assert_eq!(sign.due_at, t("2024-02-11 00:00"));
    assert_eq!(sign.warn_at, t("2024-02-10 23:36"));
    let facts = [
        Dispatched(t("2024-02-10 22:00")),
        Signed(t("2024-02-10 22:30")),
        Contacted(t("2024-02-10 22:40")),
    ];
    let reply = due(&facts, AppealType::Help, Urgency::Critical).unwrap();
    assert_eq!(reply.stage, Stage::Reply);
    assert_eq!(reply.due_at, t("2024-02-11 02:30"));
    assert_eq!(
        reply.state_at(t("2024-02-11 02:00")),
        DeadlineState::Warning
    );
    assert_eq!(
        reply.state_at(t("2024-02-11 02:31")),
        DeadlineState::Overdue
    );
}

#[test]
fn pauses_push_the_deadline_back_by_the_paused_working_time() {
    let cal = Calendar::official();
    let base = [
        Dispatched(t("2024-03-01 09:00")),
        Signed(t("2024-03-01 10:00")),
        Contacted(t("2024-03-01 11:00")),
    ];
    let plain = complaint(&base);
    assert_eq!(plain.due_at, t("2024-03-20 17:30"));
    // Waiting for material from Tuesday 09:00 to Thursday 09:00: 14 working hours.
    let mut facts = base.to_vec();
    facts.push(Paused(t("2024-03-05 09:00")));
    facts.push(Resumed(t("2024-03-07 09:00")));
    let paused = complaint(&facts);
    assert_eq!(
        paused.due_at,
        cal.end_of_working_day(cal.add_working_days(d("2024-03-20"), 2))
    );
    assert_eq!(paused.due_at, t("2024-03-22 17:30"));
    assert_eq!(
        cal.working_minutes_between(plain.warn_at, paused.warn_at),
        14 * 60
    );
    assert_eq!(paused.paused_since, None);

    // A pause over a weekend night costs nothing: Friday 18:00 to Monday 08:00.
    let mut facts = base.to_vec();
    facts.push(Paused(t("2024-03-08 18:00")));
    facts.push(Resumed(t("2024-03-11 08:00")));
    assert_eq!(complaint(&facts), plain);
}

#[test]
fn an_open_pause_freezes_the_state() {
    let base = [
        Dispatched(t("2024-03-01 09:00")),
        Signed(t("2024-03-01 10:00")),
    ];
    let mut facts = base.to_vec();
    facts.push(Paused(t("2024-03-01 11:00")));
    let frozen = complaint(&facts);
    assert_eq!(frozen.paused_since, Some(t("2024-03-01 11:00")));
    assert_eq!(
        frozen.state_at(t("2024-06-01 12:00")),
        DeadlineState::Normal
    );

    // Paused after the contact limit had passed: stays overdue, and overdue days stop.
    let mut facts = base.to_vec();
    facts.push(Paused(t("2024-03-06 09:00")));
    let frozen = complaint(&facts);
    assert_eq!(frozen.due_at, t("2024-03-04 17:30"));
    assert_eq!(
        frozen.state_at(t("2024-03-06 10:00")),
        DeadlineState::Overdue
    );
    let cal = Calendar::official();
    assert_eq!(frozen.overdue_working_days(&cal, t("2024-04-01 12:00")), 1);

    // Resumed: the clock runs again, shifted by the pause.
    facts.push(Resumed(t("2024-03-08 09:00")));
    let running = complaint(&facts);
    assert_eq!(running.paused_since, None);
    assert_eq!(
        running.due_at,
        t("2024-03-04 17:30"),
        "the pause came after the due moment"
    );
}

#[test]
fn an_approved_extension_replaces_the_due_moment() {
    let facts = [
        Dispatched(t("2024-03-01 09:00")),
        Signed(t("2024-03-01 10:00")),
        Contacted(t("2024-03-01 11:00")),
        Paused(t("2024-03-04 09:00")),
        Resumed(t("2024-03-05 09:00")),
        ExtensionApproved {
            at: t("2024-03-15 10:00"),
            new_due: t("2024-04-10 17:30"),
        },
    ];
    let extended = complaint(&facts);
    assert_eq!(extended.stage, Stage::Reply);
    assert_eq!(
        extended.due_at,
        t("2024-04-10 17:30"),
        "earlier pauses are settled"
    );
    assert!(extended.warn_at > t("2024-04-02 00:00") && extended.warn_at < extended.due_at);
    assert_eq!(
        extended.state_at(t("2024-03-25 10:00")),
        DeadlineState::Normal
    );

    // A pause after the approval still shifts it (one working day).
    let mut facts = facts.to_vec();
    facts.push(Paused(t("2024-03-18 09:00")));
    facts.push(Resumed(t("2024-03-19 09:00")));
    assert_eq!(complaint(&facts).due_at, t("2024-04-11 17:30"));
}

#[test]
fn redispatch_restarts_signing_and_facts_are_sorted() {
    let facts = [
        Signed(t("2024-03-01 10:00")),
        Dispatched(t("2024-03-01 09:00")),
        Dispatched(t("2024-03-05 09:00")),
    ];
    let due = complaint(&facts);
    assert_eq!(due.stage, Stage::Sign);
    assert_eq!(due.started_at, t("2024-03-05 09:00"));
    assert_eq!(due.due_at, t("2024-03-06 17:30"));
}

#[test]
fn overdue_working_days_for_escalation() {
    let cal = Calendar::official();
    let due_at = t("2024-02-09 17:30");
    assert_eq!(overdue_working_days(&cal, due_at, t("2024-02-09 17:00")), 0);
    assert_eq!(
        overdue_working_days(&cal, due_at, t("2024-02-17 23:00")),
        0,
        "holidays"
    );
    assert_eq!(overdue_working_days(&cal, due_at, t("2024-02-18 12:00")), 0);
    assert_eq!(overdue_working_days(&cal, due_at, t("2024-02-18 17:30")), 1);
    assert_eq!(overdue_working_days(&cal, due_at, t("2024-02-20 17:30")), 3);
}

#[test]
fn due_times_and_facts_serialize_for_the_store() {
    let facts = vec![
        Dispatched(t("2024-03-01 09:00")),
        ExtensionApproved {
            at: t("2024-03-01 10:00"),
            new_due: t("2024-03-08 17:30"),
        },
    ];
    let json = serde_json::to_string(&facts).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<DeadlineFact>>(&json).unwrap(),
        facts
    );
    let due = complaint(&facts);
    let json = serde_json::to_string(&due).unwrap();
    assert!(json.contains(r#""stage":"签收""#), "{json}");
    assert_eq!(serde_json::from_str::<DueTimes>(&json).unwrap(), due);
}

#[test]
fn a_million_states_from_stored_due_times() {
    let cal = Calendar::official();
    let book = RuleBook::defaults();
    let start = t("2024-01-02 08:00");
    let types = AppealType::ALL;
    let urgencies = Urgency::ALL;
    let began = Instant::now();
    let stored: Vec<DueTimes> = (0..100_000i64)
        .map(|i| {
            let at = start + Duration::minutes(i * 7);
            let mut facts = vec![Dispatched(at)];
            if i % 3 > 0 {
                facts.push(Signed(at + Duration::minutes(50)));
            }
            if i % 5 == 0 {
                facts.push(Paused(at + Duration::hours(30)));
                facts.push(Resumed(at + Duration::hours(60)));
            }
            let ty = types[i as usize % types.len()];
            let urgency = urgencies[i as usize % urgencies.len()];
            book.due_times(&facts, ty, None, urgency, &cal).unwrap()
        })
        .collect();
    let computed = began.elapsed();
    let now = t("2024-12-31 12:00");
    let began = Instant::now();
    let mut counts = [0usize; 3];
    for round in 0..10 {
        for due in &stored {
            let state = due.state_at(now - Duration::days(round * 30));
            counts[state as usize] += 1;
        }
    }
    let states = began.elapsed();
    assert_eq!(counts.iter().sum::<usize>(), 1_000_000);
    assert!(
        counts[DeadlineState::Overdue as usize] > 0 && counts[DeadlineState::Normal as usize] > 0
    );
    println!("100k due times computed in {computed:?}; 1M states in {states:?}");
}
