//! Text normalization and segmentation: never panic, normalizing twice changes nothing,
//! and every word is a non-empty piece of the text it came from.
#![no_main]

use jiesu_text::normalize::normalize;
use jiesu_text::segment::Segmenter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = normalize(text);
    assert_eq!(
        normalize(&once),
        once,
        "normalize is not idempotent on {text:?}"
    );
    assert_eq!(
        once.trim(),
        once,
        "normalize leaves spaces at the ends of {text:?}"
    );
    for word in Segmenter::default().words(&once) {
        assert!(!word.is_empty());
        assert!(once.contains(word));
    }
});
