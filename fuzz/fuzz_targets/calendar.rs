//! Calendar files (工作日历): never panic, and a schedule that parses prints as text that
//! parses back to the same schedule (what the store persists).
#![no_main]

use jiesu_domain::calendar::Schedule;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(schedule) = Schedule::parse(text) {
        let again = Schedule::parse(&schedule.to_text());
        assert_eq!(
            again.as_ref().ok(),
            Some(&schedule),
            "round trip of {text:?} gave {again:?}"
        );
    }
});
