//! `jiandu ledger` as an office uses it: a recommendation recorded in a real SQLite file,
//! its problems listed and found overdue, feedback recorded, the 整改台账 exported to
//! Excel and read back, two processes adding at once, a newer database refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn ledger(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .arg("ledger")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn list_json(db: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(extra);
    let o = ledger(db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn recommendation_followed_until_closed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账.db");
    let data = root("corpora/samples/recommendation.toml");
    let o = ledger(&db, &["add", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("已记入台账"), "{}", stderr(&o));
    // Recording the same 文号 twice is refused, and nothing is added.
    let o = ledger(&db, &["add", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("已在台账中"), "{}", stderr(&o));

    let rows = list_json(&db, &["--as-of", "2022-06-20"]);
    assert!(rows.len() >= 2, "{rows:?}");
    let n = rows.len();
    assert!(rows.iter().all(|r| r["状态"] == "待反馈"));
    assert!(
        rows.iter().all(|r| r["整改时限"] == "2022-07-15"),
        "{rows:?}"
    );
    assert!(rows
        .iter()
        .all(|r| r["责任单位"] == "中共青山县农业农村局党组"));
    assert!(rows.iter().all(|r| !r["问题"].as_str().unwrap().is_empty()));
    // After the deadline every open problem is overdue.
    assert_eq!(
        list_json(&db, &["--overdue", "--as-of", "2022-07-16"]).len(),
        n
    );

    // Feedback on the first problem: rectified; then closed.
    let number = rows[0]["文号"].as_str().unwrap().to_string();
    let o = ledger(
        &db,
        &[
            "feedback",
            &number,
            "--item",
            "1",
            "--status",
            "已整改",
            "--date",
            "2022年7月10日",
            "--doc",
            "青农党〔2022〕9号",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = ledger(
        &db,
        &["feedback", &number, "--item", "1", "--status", "已销号"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let late = list_json(&db, &["--overdue", "--as-of", "2022-07-16"]);
    assert_eq!(late.len(), n - 1);
    let all = list_json(&db, &["--as-of", "2022-07-16"]);
    assert_eq!(all[0]["状态"], "已销号");
    assert_eq!(all[0]["反馈日期"], "2022-07-10");
    assert_eq!(all[1]["状态"], "逾期");

    // Bad input: an unknown status and an impossible date, in Chinese, exit 2.
    let o = ledger(&db, &["feedback", &number, "--status", "差不多"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是台账的状态"), "{}", stderr(&o));
    let o = ledger(&db, &["feedback", &number, "--date", "2022-02-30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是有效日期"), "{}", stderr(&o));

    // The export: one row per problem, read back with calamine.
    let xlsx = dir.path().join("整改台账.xlsx");
    let o = ledger(
        &db,
        &[
            "export",
            "-o",
            xlsx.to_str().unwrap(),
            "--as-of",
            "2022-07-16",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let range = book.worksheet_range("整改台账").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = cells
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("文号"))
        .expect("header row");
    assert_eq!(cells[header][2], "存在的问题");
    let body = &cells[header + 1..];
    assert_eq!(body.iter().filter(|r| !r[0].is_empty()).count(), n);
    assert_eq!(body[0][6], "已销号");
    assert_eq!(body[1][6], "逾期");
}

#[test]
fn two_processes_add_at_once_and_a_newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("共用.db");
    let sample = std::fs::read_to_string(root("corpora/samples/recommendation.toml")).unwrap();
    let files: Vec<PathBuf> = (1..=8)
        .map(|i| {
            let p = dir.path().join(format!("{i}.toml"));
            let text = sample.replace("〔2022〕3号", &format!("〔2022〕{}号", 100 + i));
            assert_ne!(text, sample, "the sample carries a 文号");
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let children: Vec<_> = files
        .iter()
        .map(|f| {
            Command::new(env!("CARGO_BIN_EXE_jiandu"))
                .arg("ledger")
                .arg("--db")
                .arg(&db)
                .arg("add")
                .arg(f)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let rows = list_json(&db, &["--as-of", "2022-06-20"]);
    let mut numbers: Vec<&str> = rows.iter().map(|r| r["文号"].as_str().unwrap()).collect();
    numbers.dedup();
    assert_eq!(numbers.len(), 8, "{numbers:?}");

    // A database written by a newer jiandu is refused, untouched.
    let c = rusqlite_free_bump(&db);
    let o = ledger(&db, &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("较新版本"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&db).unwrap(), c);
}

/// Set the database's user_version (bytes 60–63 of the header, big-endian) to 99 without
/// SQLite, and return the file's bytes.
fn rusqlite_free_bump(db: &Path) -> Vec<u8> {
    // Make sure the write-ahead log is merged first: a list opens and closes the database.
    let _ = ledger(db, &["list"]);
    let mut bytes = std::fs::read(db).unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(db, &bytes).unwrap();
    let _ = std::fs::remove_file(db.with_extension("db-wal"));
    let _ = std::fs::remove_file(db.with_extension("db-shm"));
    bytes
}

/// Edits made in Excel come back: each row checked, a bad row reported with its row number
/// and left unchanged, the others applied.
#[test]
fn edits_made_in_excel_come_back_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账.db");
    let data = root("corpora/samples/recommendation.toml");
    assert!(ledger(&db, &["add", data.to_str().unwrap()])
        .status
        .success());
    let number = "青纪建〔2022〕3号";
    let edited = dir.path().join("改过的台账.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("整改台账").unwrap();
    ws.write_string(0, 0, "整改台账").unwrap();
    let header = [
        "文号",
        "序号",
        "存在的问题",
        "整改建议",
        "责任单位",
        "整改时限",
        "状态",
        "反馈日期",
        "反馈材料",
        "回访日期",
        "备注",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let rows: [[&str; 11]; 4] = [
        [
            number,
            "1",
            "",
            "",
            "",
            "",
            "已反馈",
            "2022-07-01",
            "青农党〔2022〕9号",
            "",
            "已报送",
        ],
        [
            number,
            "2",
            "",
            "",
            "",
            "",
            "已整改",
            "2022-02-30",
            "",
            "",
            "",
        ],
        [
            "青纪建〔2022〕99号",
            "1",
            "",
            "",
            "",
            "",
            "已销号",
            "",
            "",
            "",
            "",
        ],
        [
            number,
            "3",
            "",
            "",
            "",
            "",
            "逾期",
            "",
            "",
            "2022年8月5日",
            "回访一次",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 2, c as u16, *v).unwrap();
        }
    }
    wb.save(&edited).unwrap();
    let o = ledger(&db, &["import", edited.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("第4行") && err.contains("不是有效日期"),
        "{err}"
    );
    assert!(
        err.contains("第5行") && err.contains("青纪建〔2022〕99号"),
        "{err}"
    );
    assert!(
        err.contains("2 行有改动") && err.contains("2 行有错误"),
        "{err}"
    );
    let all = list_json(&db, &["--as-of", "2022-07-10"]);
    assert_eq!(all[0]["状态"], "已反馈");
    assert_eq!(all[0]["反馈日期"], "2022-07-01");
    assert_eq!(all[0]["备注"], "已报送");
    // The bad row left as it was; 逾期 in a cell leaves the stored status.
    assert_eq!(all[1]["状态"], "待反馈");
    assert_eq!(all[2]["状态"], "待反馈");
    assert_eq!(all[2]["回访日期"], "2022-08-05");
    assert_eq!(all[2]["备注"], "回访一次");
}
