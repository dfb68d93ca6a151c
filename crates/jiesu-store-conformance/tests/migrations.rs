//! Both backends number their migrations alike: from 0013 on, every migration has the same
//! version and name in `jiesu-store-sqlite/migrations` and `jiesu-store-postgres/migrations`.
//! The only differences are the ones listed in [`KNOWN_DIFFERENCES`], written before the rule.

use std::collections::BTreeSet;
use std::path::Path;

/// Migrations one backend has and the other does not, by (backend, version, name): SQLite
/// needed an index of its own (its planner would not choose the covering one), which shifted
/// its later number by one.
const KNOWN_DIFFERENCES: [(&str, u32, &str); 3] = [
    ("sqlite", 11, "appeals_by_id"),
    ("sqlite", 12, "lean_writes"),
    ("postgres", 11, "lean_writes"),
];

fn migrations(backend: &str) -> BTreeSet<(u32, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(format!("jiesu-store-{backend}"))
        .join("migrations");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let stem = name
                .strip_suffix(".sql")
                .expect("a migration is an .sql file");
            let (version, title) = stem.split_once('_').expect("NNNN_name.sql");
            (
                version.parse().expect("a numeric version"),
                title.to_string(),
            )
        })
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations_apart_from_the_known_differences() {
    let (sqlite, postgres) = (migrations("sqlite"), migrations("postgres"));
    let differences: BTreeSet<(&str, u32, String)> = sqlite
        .difference(&postgres)
        .map(|(v, n)| ("sqlite", *v, n.clone()))
        .chain(
            postgres
                .difference(&sqlite)
                .map(|(v, n)| ("postgres", *v, n.clone())),
        )
        .collect();
    let known: BTreeSet<(&str, u32, String)> = KNOWN_DIFFERENCES
        .iter()
        .map(|(b, v, n)| (*b, *v, n.to_string()))
        .collect();
    assert_eq!(
        differences, known,
        "the migration folders differ beyond the documented list"
    );
}
