//! Appeal drafts from JSON, then validation (受理校验): never panic, a valid draft stays
//! valid and unchanged when validated again, and its texts respect the limits.
#![no_main]

use jiesu_domain::appeal::{AppealDraft, MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(draft) = serde_json::from_slice::<AppealDraft>(data) else {
        return;
    };
    if let Ok(valid) = draft.validated() {
        assert!(!valid.title.is_empty() && valid.title.chars().count() <= MAX_TITLE_CHARS);
        assert!(!valid.text.is_empty() && valid.text.chars().count() <= MAX_TEXT_CHARS);
        let again = valid.clone().validated();
        assert_eq!(
            again.as_ref().ok(),
            Some(&valid),
            "validating twice changed {valid:?}: {again:?}"
        );
        // What is stored must read back as the same draft.
        let stored = serde_json::to_string(&valid).expect("serializes");
        let back: AppealDraft = serde_json::from_str(&stored).expect("reads back");
        assert_eq!(back, valid);
    }
});
