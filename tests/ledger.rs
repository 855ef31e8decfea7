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

/// The text of a PDF as jiandu's own reader copies it out, lines joined.
fn pdf_text(path: &Path) -> String {
    jiandu::intake::read(path)
        .unwrap()
        .blocks
        .iter()
        .map(|b| b.text.replace('\n', ""))
        .collect()
}

fn jiandu(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .args(args)
        .output()
        .unwrap()
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

/// The sample recommendation without its 文号, with `problem` as its first problem.
fn unnumbered_recommendation(dir: &Path, name: &str, problem: &str) -> PathBuf {
    let sample = std::fs::read_to_string(root("corpora/samples/recommendation.toml")).unwrap();
    let text: String = sample
        .lines()
        .filter(|l| !l.starts_with("doc_number"))
        .map(|l| format!("{l}\n"))
        .collect();
    let text = text.replacen(
        "problems = [",
        &format!("problems = [\n  \"{problem}\","),
        1,
    );
    assert!(text.contains(problem), "the sample lists its problems");
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `render --number` takes its 文号 from the ledger's sequence: processes numbering at once
/// never share a number, the same data numbered again keeps its number, and `--ledger`
/// records each instrument with its files, whose SHA-256 is that of the file on disk.
/// A recorded 建议书's PDF then enters the 整改台账 by itself (`ledger add 文件.pdf`).
#[test]
fn render_numbers_from_the_ledger_and_records_what_it_issued() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账.db");
    let data: Vec<PathBuf> = (0..6)
        .map(|i| unnumbered_recommendation(dir.path(), &format!("{i}.toml"), &format!("问题甲{i}")))
        .collect();
    let children: Vec<_> = data
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Command::new(env!("CARGO_BIN_EXE_jiandu"))
                .arg("render")
                .arg("recommendation")
                .arg("--data")
                .arg(d)
                .arg("--number")
                .arg("青纪建")
                .arg("--ledger")
                .arg("--db")
                .arg(&db)
                .arg("-o")
                .arg(dir.path().join(format!("{i}.pdf")))
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut given = Vec::new();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let e = stderr(&o);
        let n = e
            .split("文号：")
            .nth(1)
            .and_then(|r| r.split('（').next())
            .unwrap_or_else(|| panic!("{e}"))
            .to_string();
        given.push(n);
    }
    let mut sorted = given.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 6, "{given:?}");
    for i in 1..=6 {
        assert!(
            sorted.contains(&format!("青纪建〔2022〕{i}号")),
            "{given:?}"
        );
    }
    // The number is printed in the PDF's text.
    let text = pdf_text(&dir.path().join("0.pdf"));
    assert!(text.contains(&given[0]), "{text}");
    // Again with the same data: the same number, nothing new recorded.
    let o = jiandu(&[
        os("render"),
        os("recommendation"),
        os("--data"),
        data[0].as_os_str(),
        os("--number"),
        os("青纪建"),
        os("--ledger"),
        os("--db"),
        db.as_os_str(),
        os("-o"),
        dir.path().join("0.pdf").as_os_str(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&given[0]), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("文书台账中已有这份文书"),
        "{}",
        stderr(&o)
    );

    let o = ledger(&db, &["issued", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let issued: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(issued.len(), 6);
    for r in &issued {
        assert_eq!(r["文种"], "纪检监察建议书");
        assert_eq!(r["成文日期"], "2022-06-15");
        let f = &r["文件"][0];
        let path = PathBuf::from(f["路径"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(f["字节数"].as_u64(), Some(bytes.len() as u64));
        let sum = Command::new("sha256sum").arg(&path).output().unwrap();
        let sum = String::from_utf8(sum.stdout).unwrap();
        assert_eq!(
            f["SHA-256"].as_str().unwrap(),
            sum.split(' ').next().unwrap()
        );
    }

    // The PDF enters the 整改台账 with its problems; a file never recorded is refused.
    let o = ledger(&db, &["add", dir.path().join("0.pdf").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = list_json(&db, &["--as-of", "2022-06-20"]);
    assert!(
        rows.iter().all(|r| r["文号"] == given[0].as_str()),
        "{rows:?}"
    );
    assert_eq!(rows[0]["问题"], "问题甲0");
    std::fs::write(dir.path().join("other.pdf"), b"%PDF-1.7 not ours").unwrap();
    let o = ledger(
        &db,
        &["add", dir.path().join("other.pdf").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("文书台账中没有这个文件"),
        "{}",
        stderr(&o)
    );
    // The folder: the other five enter, the one already there is said and skipped.
    let o = ledger(&db, &["add", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).matches("已记入台账").count(),
        5,
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("已在台账中"), "{}", stderr(&o));
    // The export has both sheets.
    let xlsx = dir.path().join("台账.xlsx");
    let o = ledger(&db, &["export", "-o", xlsx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    use calamine::Reader;
    let book = calamine::open_workbook_auto(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["整改台账", "文书台账"]);
}

/// Killed at random moments while adding, again and again, the ledger stays a whole
/// database: every recommendation a process reported as recorded is there with all its
/// problems, none is there in part, and no 文号 is there twice.
#[test]
fn ledger_killed_while_adding_loses_nothing_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账.db");
    let sample = std::fs::read_to_string(root("corpora/samples/recommendation.toml")).unwrap();
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    let mut reported = Vec::new();
    let mut kills = Vec::new();
    for i in 0..24 {
        let number = format!("青纪建〔2022〕{}号", 200 + i);
        let p = dir.path().join(format!("{i}.toml"));
        std::fs::write(&p, sample.replace("青纪建〔2022〕3号", &number)).unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Most kills land while the process starts, opens or writes the database.
        let after = seed % 40;
        kills.push(after);
        let mut child = Command::new(env!("CARGO_BIN_EXE_jiandu"))
            .arg("ledger")
            .arg("--db")
            .arg(&db)
            .arg("add")
            .arg(&p)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(after));
        let _ = child.kill();
        let o = child.wait_with_output().unwrap();
        if o.status.success() && stderr(&o).contains("已记入台账") {
            reported.push(number);
        }
    }
    let rows = list_json(&db, &["--as-of", "2022-06-20"]);
    let per_number = |n: &str| rows.iter().filter(|r| r["文号"] == n).count();
    for n in &reported {
        assert!(
            per_number(n) > 0,
            "kills {kills:?}: {n} was reported and is lost"
        );
    }
    let mut numbers: Vec<&str> = rows.iter().map(|r| r["文号"].as_str().unwrap()).collect();
    numbers.dedup();
    // The sample has three problems: a recommendation is there with all three or not at all.
    for n in &numbers {
        assert_eq!(per_number(n), 3, "kills {kills:?}: {n} is there in part");
    }
    let mut unique = numbers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), numbers.len(), "kills {kills:?}");
    // The file is a sound SQLite database.
    let c = rusqlite::Connection::open(&db).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "kills {kills:?}");
    eprintln!(
        "killed after {kills:?} ms; {} of 24 reported recorded",
        reported.len()
    );
}

/// `ledger remind`: problems due soon are listed; the overdue ones get one 督办通知书 per unit
/// (PDF, Word and an editable data file that `render` takes back), numbered from the
/// ledger when asked; a rectified problem is neither.
#[test]
fn remind_lists_what_is_due_and_drafts_a_notice_per_overdue_unit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账.db");
    let sample = std::fs::read_to_string(root("corpora/samples/recommendation.toml")).unwrap();
    let other = dir.path().join("水利.toml");
    std::fs::write(
        &other,
        sample
            .replace("青纪建〔2022〕3号", "青纪建〔2022〕4号")
            .replace("中共青山县农业农村局党组", "中共青山县水利局党组")
            .replace("2022/6/15", "2022/7/1"),
    )
    .unwrap();
    for f in [root("corpora/samples/recommendation.toml"), other] {
        let o = ledger(&db, &["add", f.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = ledger(
        &db,
        &[
            "feedback",
            "青纪建〔2022〕3号",
            "--item",
            "2",
            "--status",
            "已整改",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("督办");
    // On 7-25 the first recommendation's problems 1 and 3 are overdue (due 7-15); the water
    // bureau's are due on 7-31, within 7 days.
    let o = ledger(
        &db,
        &[
            "remind",
            "--as-of",
            "2022-07-25",
            "-o",
            out.to_str().unwrap(),
            "--number",
            "青纪督",
            "--set",
            "联系人=刘晓梅",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("7 天内到期（3 个问题）"), "{text}");
    assert!(text.contains("已逾期（1 个单位，2 个问题）"), "{text}");
    assert!(text.contains("逾期10天"), "{text}");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let stem = "督办通知书-中共青山县农业农村局党组-2022-07-25";
    assert_eq!(
        files,
        [
            format!("{stem}.docx"),
            format!("{stem}.pdf"),
            format!("{stem}.toml")
        ]
    );
    let pdf = pdf_text(&out.join(format!("{stem}.pdf")));
    for want in [
        "青纪督〔2022〕1号",
        "中共青山县农业农村局党组：",
        "纪检监察建议书（青纪建〔2022〕3号，2022年6月15日）",
        "截至2022年7月25日",
        "（一）监督指导责任落实不到位",
        "（二）集体资源发包租赁不规范",
        "联系人：刘晓梅",
    ] {
        assert!(pdf.contains(want), "{want}: {pdf}");
    }
    assert!(!pdf.contains("村级财务制度执行不严格"), "rectified: {pdf}");
    // The data file renders again as it is.
    let again = dir.path().join("again.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .args(["render", "supervise-notice", "--data"])
        .arg(out.join(format!("{stem}.toml")))
        .arg("-o")
        .arg(&again)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(again.exists());
    // Nothing due a year on, once everything is closed; --no-draft lists only.
    let o = ledger(
        &db,
        &[
            "remind",
            "--as-of",
            "2022-07-25",
            "--no-draft",
            "-o",
            dir.path().join("x").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.path().join("x").exists());
    for n in ["青纪建〔2022〕3号", "青纪建〔2022〕4号"] {
        let o = ledger(&db, &["feedback", n, "--status", "已销号"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = ledger(&db, &["remind", "--as-of", "2023-07-25"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("没有逾期的问题"), "{}", stderr(&o));
}
