//! Tests of the calendar through its public API.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::*;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn t(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn kinds(cal: &Calendar, first: &str, last: &str) -> Vec<DayKind> {
    d(first)
        .iter_days()
        .take_while(|x| *x <= d(last))
        .map(|x| cal.day_kind(x))
        .collect()
}

#[test]
fn official_covers_2020_to_2026() {
    let cal = Calendar::official();
    assert_eq!(cal.years(), (2020..=2026).collect::<Vec<_>>());
    assert!(!cal.covers(2019));
    assert!(!cal.covers(2027));
}

#[test]
fn spring_festival_2024() {
    let cal = Calendar::official();
    assert_eq!(
        cal.day_kind(d("2024-02-04")),
        DayKind::Workday,
        "Sunday 调休"
    );
    assert_eq!(
        cal.day_kind(d("2024-02-18")),
        DayKind::Workday,
        "Sunday 调休"
    );
    assert_eq!(
        cal.day_kind(d("2024-02-09")),
        DayKind::Workday,
        "除夕 is worked in 2024"
    );
    assert_eq!(
        kinds(&cal, "2024-02-10", "2024-02-17"),
        vec![DayKind::Holiday; 8]
    );
    assert_eq!(cal.day_kind(d("2024-02-03")), DayKind::Weekend);
    assert_eq!(cal.day_kind(d("2024-02-24")), DayKind::Weekend);
    assert_eq!(cal.day_kind(d("2024-02-19")), DayKind::Workday);
}

#[test]
fn spring_festival_2025() {
    let cal = Calendar::official();
    assert_eq!(
        cal.day_kind(d("2025-01-26")),
        DayKind::Workday,
        "Sunday 调休"
    );
    assert_eq!(
        cal.day_kind(d("2025-02-08")),
        DayKind::Workday,
        "Saturday 调休"
    );
    assert_eq!(cal.day_kind(d("2025-01-27")), DayKind::Workday);
    assert_eq!(
        kinds(&cal, "2025-01-28", "2025-02-04"),
        vec![DayKind::Holiday; 8]
    );
    assert_eq!(cal.day_kind(d("2025-02-05")), DayKind::Workday);
}

#[test]
fn national_day_2024() {
    let cal = Calendar::official();
    assert_eq!(
        cal.day_kind(d("2024-09-29")),
        DayKind::Workday,
        "Sunday 调休"
    );
    assert_eq!(
        cal.day_kind(d("2024-10-12")),
        DayKind::Workday,
        "Saturday 调休"
    );
    assert_eq!(
        kinds(&cal, "2024-10-01", "2024-10-07"),
        vec![DayKind::Holiday; 7]
    );
    assert_eq!(cal.day_kind(d("2024-10-08")), DayKind::Workday);
    assert_eq!(cal.day_kind(d("2024-10-13")), DayKind::Weekend);
}

#[test]
fn covid_extension_2020_and_cross_year_new_year_2023() {
    let cal = Calendar::official();
    assert_eq!(cal.day_kind(d("2020-01-19")), DayKind::Workday);
    assert_eq!(
        kinds(&cal, "2020-01-24", "2020-02-02"),
        vec![DayKind::Holiday; 10]
    );
    // The 1 February make-up day was cancelled by the extension.
    assert_eq!(cal.day_kind(d("2020-02-01")), DayKind::Holiday);
    assert_eq!(cal.day_kind(d("2020-02-03")), DayKind::Workday);
    assert_eq!(
        kinds(&cal, "2022-12-31", "2023-01-02"),
        vec![DayKind::Holiday; 3]
    );
}

#[test]
fn other_pinned_days() {
    let cal = Calendar::official();
    let work = [
        "2021-02-07",
        "2021-02-20",
        "2021-09-18",
        "2021-09-26",
        "2021-10-09",
        "2022-01-29",
        "2022-01-30",
        "2022-04-02",
        "2022-10-08",
        "2022-10-09",
        "2023-01-28",
        "2023-01-29",
        "2023-06-25",
        "2023-10-07",
        "2023-10-08",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ];
    for day in work {
        assert_eq!(cal.day_kind(d(day)), DayKind::Workday, "{day}");
        assert!(
            matches!(d(day).weekday(), Weekday::Sat | Weekday::Sun),
            "{day}"
        );
    }
    let off = [
        "2021-01-01",
        "2022-01-31",
        "2023-04-05",
        "2023-09-29",
        "2023-10-06",
        "2024-06-10",
        "2025-06-02",
        "2025-10-08",
        "2026-02-23",
        "2026-04-06",
        "2026-09-25",
        "2026-10-07",
    ];
    for day in off {
        assert_eq!(cal.day_kind(d(day)), DayKind::Holiday, "{day}");
    }
}

#[test]
fn holiday_and_working_day_totals_per_year() {
    let cal = Calendar::official();
    // (year, holiday days, working days)
    let expected = [
        (2020, 30, 249),
        (2021, 31, 250),
        (2022, 32, 249),
        (2023, 26, 249),
        (2024, 28, 251),
        (2025, 28, 248),
        (2026, 33, 248),
    ];
    for (year, holidays, workdays) in expected {
        let days: Vec<DayKind> = d(&format!("{year}-01-01"))
            .iter_days()
            .take_while(|x| x.year() == year)
            .map(|x| cal.day_kind(x))
            .collect();
        let count = |k| days.iter().filter(|x| **x == k).count();
        assert_eq!(count(DayKind::Holiday), holidays, "{year} holidays");
        assert_eq!(count(DayKind::Workday), workdays, "{year} working days");
    }
}

#[test]
fn uncovered_years_fall_back_to_monday_to_friday() {
    let cal = Calendar::official();
    assert_eq!(
        cal.day_kind(d("2027-01-01")),
        DayKind::Workday,
        "a Friday, no schedule"
    );
    assert_eq!(cal.day_kind(d("2027-01-02")), DayKind::Weekend);
    assert_eq!(cal.day_kind(d("2019-10-01")), DayKind::Workday);
    assert_eq!(cal.add_working_days(d("2027-01-01"), 1), d("2027-01-04"));
    assert_eq!(cal.add_working_days(d("2019-12-31"), 1), d("2020-01-02"));
    assert_eq!(cal.add_working_days(d("2026-12-31"), 2), d("2027-01-04"));
    let plain = Calendar::weekdays_only();
    assert_eq!(plain.day_kind(d("2024-10-01")), DayKind::Workday);
    assert!(!plain.covers(2024));
}

#[test]
fn add_working_days_across_holidays() {
    let cal = Calendar::official();
    assert_eq!(cal.add_working_days(d("2024-02-08"), 0), d("2024-02-08"));
    assert_eq!(cal.add_working_days(d("2024-02-08"), 1), d("2024-02-09"));
    assert_eq!(cal.add_working_days(d("2024-02-08"), 2), d("2024-02-18"));
    assert_eq!(cal.add_working_days(d("2024-02-08"), 3), d("2024-02-19"));
    assert_eq!(cal.add_working_days(d("2024-02-02"), 1), d("2024-02-04"));
    assert_eq!(
        cal.add_working_days(d("2024-02-11"), 1),
        d("2024-02-18"),
        "from a holiday"
    );
    assert_eq!(cal.add_working_days(d("2024-09-27"), 1), d("2024-09-29"));
    assert_eq!(cal.add_working_days(d("2024-09-27"), 3), d("2024-10-08"));
    assert_eq!(cal.add_working_days(d("2025-01-24"), 1), d("2025-01-26"));
    assert_eq!(cal.add_working_days(d("2025-01-24"), 3), d("2025-02-05"));
    // A complaint signed on 2024-09-20 (Friday), reply within 13 working days:
    // 09-23..27 (5), 09-29 Sunday (6), 09-30 (7), 10-08..11 (11), 10-12 Saturday (12), 10-14.
    assert_eq!(cal.add_working_days(d("2024-09-20"), 13), d("2024-10-14"));
    assert_eq!(
        cal.working_days_between(d("2024-09-20"), d("2024-10-14")),
        13
    );
    assert_eq!(
        cal.working_days_between(d("2024-10-14"), d("2024-09-20")),
        -13
    );
    assert_eq!(
        cal.working_days_between(d("2024-10-01"), d("2024-10-07")),
        0
    );
}

/// Day-by-day reference for `add_working_days`.
fn slow_add(cal: &Calendar, date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().unwrap();
        if cal.is_working_day(day) {
            left -= 1;
        }
    }
    day
}

#[test]
fn add_working_days_matches_a_day_by_day_count() {
    let cal = Calendar::official();
    // Every start day from 2019 to 2027 (crossing both ends of the covered span).
    for start in d("2019-06-01")
        .iter_days()
        .take_while(|x| *x < d("2027-07-01"))
    {
        for n in [1, 2, 3, 5, 13, 15, 40, 300] {
            let fast = cal.add_working_days(start, n);
            assert_eq!(fast, slow_add(&cal, start, n), "{start} + {n}");
            assert_eq!(cal.working_days_between(start, fast), i64::from(n));
        }
    }
}

#[test]
fn add_working_hours_over_lunch_nights_and_holidays() {
    let cal = Calendar::official();
    let add = |at: &str, h: f64| cal.add_working_hours(t(at), h).unwrap();
    assert_eq!(
        add("2024-03-05 11:00", 2.0),
        t("2024-03-05 14:30"),
        "over lunch"
    );
    assert_eq!(
        add("2024-03-05 11:00", 1.0),
        t("2024-03-05 12:00"),
        "ends at 12:00"
    );
    assert_eq!(
        add("2024-03-05 12:30", 1.0),
        t("2024-03-05 14:30"),
        "starts in lunch"
    );
    assert_eq!(
        add("2024-03-05 09:00", 7.0),
        t("2024-03-05 17:30"),
        "a full day"
    );
    assert_eq!(
        add("2024-03-05 20:00", 1.0),
        t("2024-03-06 10:00"),
        "starts at night"
    );
    assert_eq!(
        add("2024-03-05 06:00", 0.5),
        t("2024-03-05 09:30"),
        "starts early"
    );
    assert_eq!(
        add("2024-03-05 12:30", 0.0),
        t("2024-03-05 12:30"),
        "zero is identity"
    );
    assert_eq!(add("2024-03-05 11:00", 1.25), t("2024-03-05 13:45"));
    // Thursday 16:30: one hour left that day, then Friday 2024-02-09 (除夕, worked).
    assert_eq!(add("2024-02-08 16:30", 2.0), t("2024-02-09 10:00"));
    // Friday 16:30 before the Spring Festival: resumes on Sunday 2024-02-18 (调休).
    assert_eq!(add("2024-02-09 16:30", 2.0), t("2024-02-18 10:00"));
    // National Day 2024: Monday 09-30 afternoon, resumes on 10-08.
    assert_eq!(add("2024-09-30 17:00", 1.0), t("2024-10-08 09:30"));
    // Saturday 调休 2025-02-08 counts.
    assert_eq!(add("2025-02-07 17:00", 1.0), t("2025-02-08 09:30"));
    assert_eq!(
        cal.add_working_minutes(t("2024-03-05 11:00"), 120),
        t("2024-03-05 14:30")
    );
    assert!(cal.add_working_hours(t("2024-03-05 11:00"), -1.0).is_err());
    assert!(
        cal.add_working_hours(t("2024-03-05 11:00"), f64::NAN)
            .is_err()
    );
}

#[test]
fn working_minutes_between_counts_only_working_time() {
    let cal = Calendar::official();
    assert_eq!(
        cal.working_minutes_between(t("2024-03-05 11:00"), t("2024-03-05 14:30")),
        120
    );
    assert_eq!(
        cal.working_minutes_between(t("2024-02-08 16:30"), t("2024-02-09 10:00")),
        120
    );
    assert_eq!(
        cal.working_minutes_between(t("2024-02-09 17:30"), t("2024-02-18 09:00")),
        0
    );
    assert_eq!(
        cal.working_minutes_between(t("2024-02-09 16:30"), t("2024-02-18 10:00")),
        120
    );
    assert_eq!(
        cal.working_minutes_between(t("2024-02-18 10:00"), t("2024-02-09 16:30")),
        -120
    );
    // A whole working day is seven hours.
    assert_eq!(
        cal.working_minutes_between(t("2024-03-05 00:00"), t("2024-03-06 00:00")),
        420
    );
    assert_eq!(cal.working_hours().minutes_per_day(), 420);
}

/// Minute-by-minute reference for `add_working_minutes` from a whole minute.
fn slow_add_minutes(cal: &Calendar, at: NaiveDateTime, minutes: u32) -> NaiveDateTime {
    let hours = cal.working_hours().intervals();
    let counts = |m: NaiveDateTime| {
        cal.is_working_day(m.date()) && hours.iter().any(|(a, b)| m.time() >= *a && m.time() < *b)
    };
    let mut now = at;
    let mut left = minutes;
    while left > 0 {
        if counts(now) {
            left -= 1;
        }
        now += Duration::minutes(1);
    }
    now
}

#[test]
fn add_working_minutes_matches_a_minute_by_minute_count() {
    let cal = Calendar::official();
    let mut at = t("2024-02-07 06:10");
    while at < t("2024-02-20 00:00") {
        for minutes in [1, 29, 60, 150, 420, 421, 900] {
            let fast = cal.add_working_minutes(at, minutes);
            assert_eq!(
                fast,
                slow_add_minutes(&cal, at, minutes),
                "{at} + {minutes} min"
            );
            assert_eq!(cal.working_minutes_between(at, fast), i64::from(minutes));
        }
        at += Duration::minutes(37);
    }
}

#[test]
fn custom_working_hours() {
    let hours: WorkingHours = "08:30-12:00, 14:00-18:00".parse().unwrap();
    assert_eq!(hours.minutes_per_day(), 450);
    assert_eq!(hours.to_string(), "08:30-12:00,14:00-18:00");
    let cal = Calendar::official().with_working_hours(hours.clone());
    assert_eq!(
        cal.add_working_hours(t("2024-03-05 11:00"), 2.0).unwrap(),
        t("2024-03-05 15:00")
    );
    assert_eq!(
        cal.end_of_working_day(d("2024-03-05")),
        t("2024-03-05 18:00")
    );
    let json = serde_json::to_string(&hours).unwrap();
    assert_eq!(json, r#"["08:30-12:00","14:00-18:00"]"#);
    assert_eq!(serde_json::from_str::<WorkingHours>(&json).unwrap(), hours);
    assert_eq!(
        WorkingHours::default().intervals(),
        vec![
            (
                NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(12, 0, 0).unwrap()
            ),
            (
                NaiveTime::from_hms_opt(13, 30, 0).unwrap(),
                NaiveTime::from_hms_opt(17, 30, 0).unwrap()
            ),
        ]
    );
}

#[test]
fn invalid_working_hours_are_refused() {
    for bad in [
        "",
        "12:00-09:00",
        "09:00-12:00,11:00-14:00",
        "13:00-14:00,09:00-10:00",
        "9-12",
        "09:00-09:00",
    ] {
        let err = bad.parse::<WorkingHours>().unwrap_err();
        assert!(
            matches!(err, CalendarError::WorkingHours { .. }),
            "{bad}: {err}"
        );
        assert!(err.to_string().contains("工作时间"), "{err}");
    }
    assert!(serde_json::from_str::<WorkingHours>(r#"["17:00-09:00"]"#).is_err());
}

#[test]
fn day_kind_displays_for_the_cli() {
    assert_eq!(DayKind::Workday.to_string(), "workday");
    assert_eq!(DayKind::Holiday.to_string(), "holiday");
    assert_eq!(DayKind::Weekend.to_string(), "weekend");
    assert_eq!(DayKind::Holiday.label(), "节假日");
}

const SAMPLE_2027: &str = "# 2027 test schedule\nyear 2027\n\n2027-01-01 off 元旦\n\
2027-02-06..2027-02-12 off 春节 # a trailing comment\n2027-02-20 work 春节调休\n";

#[test]
fn import_a_year_and_write_it_back() {
    let schedule = Schedule::parse(SAMPLE_2027).unwrap();
    assert_eq!(schedule.year(), 2027);
    assert_eq!(schedule.entries().len(), 3);
    assert_eq!(schedule.entries()[1].name, "春节");
    let cal = Calendar::official().with_year(schedule.clone());
    assert!(cal.covers(2027));
    assert_eq!(cal.day_kind(d("2027-02-08")), DayKind::Holiday);
    assert_eq!(cal.day_kind(d("2027-02-20")), DayKind::Workday);
    assert_eq!(cal.add_working_days(d("2027-02-05"), 1), d("2027-02-15"));
    // Earlier years are untouched.
    assert_eq!(cal.day_kind(d("2024-02-04")), DayKind::Workday);
    let text = cal.to_file_text(2027).unwrap();
    assert!(text.contains("2027-02-06..2027-02-12 off 春节"), "{text}");
    assert_eq!(Schedule::parse(&text).unwrap(), schedule);
    assert!(cal.to_file_text(2030).is_none());
    // Every shipped year round-trips as well.
    for year in 2020..=2026 {
        let text = cal.to_file_text(year).unwrap();
        assert_eq!(
            &Schedule::parse(&text).unwrap(),
            cal.schedule(year).unwrap()
        );
    }
}

#[test]
fn with_year_replaces_the_year() {
    let replacement = Schedule::parse("year 2024\n2024-10-01..2024-10-03 off 国庆节\n").unwrap();
    let cal = Calendar::official().with_year(replacement);
    assert_eq!(cal.day_kind(d("2024-10-04")), DayKind::Workday);
    assert_eq!(
        cal.day_kind(d("2024-02-04")),
        DayKind::Weekend,
        "old entries are gone"
    );
    assert_eq!(
        cal.day_kind(d("2025-01-26")),
        DayKind::Workday,
        "other years stay"
    );
}

fn parse_err(text: &str) -> CalendarError {
    Schedule::parse(text).unwrap_err()
}

#[test]
fn malformed_files_name_the_line() {
    let err = parse_err("year 2024\n2024-02-30 off 春节\n");
    assert!(
        matches!(err, CalendarError::Malformed { line: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("第 2 行"), "{err}");
    assert!(err.to_string().contains("2024-02-30"), "{err}");

    let err = parse_err("year 2024\n\n2024-02-10..2024-02-17 rest 春节\n");
    assert!(
        matches!(err, CalendarError::UnknownKeyword { line: 3, ref keyword, .. } if keyword == "rest"),
        "{err}"
    );

    let err = parse_err("year 2024\n2024-02-10\n");
    assert!(
        matches!(err, CalendarError::Malformed { line: 2, .. }),
        "{err}"
    );

    let err = parse_err("2024-02-10 off 春节\n");
    assert_eq!(err, CalendarError::MissingYear);
    assert_eq!(parse_err("# nothing\n"), CalendarError::MissingYear);

    let err = parse_err("year 2024\nyear 2025\n");
    assert!(
        matches!(err, CalendarError::Malformed { line: 2, .. }),
        "{err}"
    );
    let err = parse_err("year 1800\n");
    assert!(
        matches!(
            err,
            CalendarError::YearOutOfRange {
                line: 1,
                year: 1800,
                ..
            }
        ),
        "{err}"
    );
    let err = parse_err("year twenty\n");
    assert!(
        matches!(err, CalendarError::Malformed { line: 1, .. }),
        "{err}"
    );
}

#[test]
fn inconsistent_files_are_refused() {
    let err = parse_err("year 2024\n2024-02-17..2024-02-10 off 春节\n");
    assert!(
        matches!(err, CalendarError::OutOfOrder { line: 2, .. }),
        "{err}"
    );

    let err = parse_err("year 2024\n2024-10-01 off 国庆节\n2024-05-01 off 劳动节\n");
    assert!(
        matches!(err, CalendarError::OutOfOrder { line: 3, .. }),
        "{err}"
    );

    let err = parse_err(
        "year 2024\n2024-05-01..2024-05-05 off 劳动节\n2024-05-01..2024-05-05 off 劳动节\n",
    );
    assert!(
        matches!(
            err,
            CalendarError::Duplicate {
                line: 3,
                other_line: 2,
                ..
            }
        ),
        "{err}"
    );

    let err =
        parse_err("year 2024\n2024-05-01..2024-05-05 off 劳动节\n2024-05-04 work 劳动节调休\n");
    assert!(
        matches!(
            err,
            CalendarError::Overlap {
                line: 3,
                other_line: 2,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("重叠"), "{err}");

    let err = parse_err("year 2024\n2023-12-31..2024-01-01 off 元旦\n");
    assert!(
        matches!(
            err,
            CalendarError::WrongYear {
                line: 2,
                declared: 2024,
                ..
            }
        ),
        "{err}"
    );
    let err = parse_err("year 2024\n2025-01-01 off 元旦\n");
    assert!(
        matches!(err, CalendarError::WrongYear { line: 2, .. }),
        "{err}"
    );

    let err = parse_err("year 2024\n2024-02-05 work 春节调休\n");
    assert!(
        matches!(err, CalendarError::WorkOnWeekday { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn a_failed_import_leaves_the_calendar_unchanged() {
    let cal = Calendar::official();
    let before = cal.to_file_text(2024);
    let result = Schedule::parse("year 2024\n2024-01-01 off 元旦\n2024-01-01 off 元旦\n");
    assert!(result.is_err());
    assert_eq!(cal.to_file_text(2024), before);
}
