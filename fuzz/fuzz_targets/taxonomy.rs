//! Taxonomy CSV (一级分类,二级分类,三级分类): never panic, and every leaf that is accepted
//! can be named again the way people name categories (`一级/二级/三级`).
#![no_main]

use jiesu_domain::category::{CategoryPath, Taxonomy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(taxonomy) = Taxonomy::from_csv(text) {
        assert!(!taxonomy.first_levels().is_empty());
        for leaf in taxonomy.leaves() {
            assert!(taxonomy.check(leaf).is_ok());
            let named = leaf.levels().join("/");
            let parsed = CategoryPath::parse(&named);
            assert_eq!(parsed.as_ref().ok(), Some(leaf), "leaf {leaf:?} cannot be named as {named:?}");
        }
    }
});
