//! `jiandu batch` as offices use it: a 200-row spreadsheet (made with LibreOffice, with a
//! few bad rows), CSV in UTF-8 and GB18030, concurrent batches, re-runs and interruptions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `jiandu batch talk-notice` over `rows` into `out`, with the sender, date and 代字 set.
fn batch_command(rows: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jiandu"));
    c.arg("batch")
        .arg("talk-notice")
        .arg("--rows")
        .arg(rows)
        .arg("-o")
        .arg(out)
        .args([
            "--set",
            "发文机关=中共青山县纪委监委",
            "--set",
            "成文日期=2022-03-01",
            "--set",
            "代字=青纪谈",
        ])
        .arg("--db")
        .arg(ledger_of(out))
        .args(extra);
    c
}

/// The ledger a test batch into `out` numbers from: inside the folder, so that batches
/// into one folder share it and tests do not share theirs.
fn ledger_of(out: &Path) -> PathBuf {
    out.join(".jiandu-测试台账.db")
}

/// The numbers the ledger of `out` handed out in the test's series, with their keys.
fn ledger_numbers(out: &Path) -> Vec<(u32, String)> {
    jiandu::model::ledger::Ledger::open(&ledger_of(out))
        .unwrap()
        .numbers("青纪谈", 2022)
        .unwrap()
}

fn batch(rows: &Path, out: &Path, extra: &[&str]) -> Output {
    batch_command(rows, out, extra).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn files(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    v.sort();
    v
}

fn docx_text(path: &Path) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    use std::io::Read;
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The document numbers printed in the DOCX files of a folder.
fn numbers(dir: &Path) -> Vec<u32> {
    files(dir, ".docx")
        .iter()
        .map(|n| {
            let xml = docx_text(&dir.join(n));
            let start = xml.find("青纪谈〔2022〕").expect("number") + "青纪谈〔2022〕".len();
            xml[start..].split('号').next().unwrap().parse().unwrap()
        })
        .collect()
}

const XLSX: &str = "tests/fixtures/batch/talk-200.xlsx";

#[test]
fn two_hundred_rows_with_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("通知");
    let merged = dir.path().join("合并打印.pdf");
    let o = batch(
        &root(XLSX),
        &out,
        &["--merge", merged.to_str().unwrap(), "--duplex"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("共 200 行：生成 196 份，4 行有错误"), "{err}");
    // A name with a character outside the official fonts is made, with a warning naming
    // the row, the character and the font that draws it.
    assert!(
        err.contains("提示：第 123 行：“姓名”：字符“𪚥”（U+2A6A5）文书字体中没有，已改用“HanaMin"),
        "{err}"
    );
    assert!(out.join("121-王𪚥-谈话通知书.pdf").is_file());
    assert!(
        err.contains("序号、备注"),
        "unmapped columns reported once: {err}"
    );
    assert_eq!(files(&out, ".pdf").len(), 196);
    assert_eq!(files(&out, ".docx").len(), 196);
    // Names are safe and stay inside the folder.
    let pdfs = files(&out, ".pdf");
    assert_eq!(pdfs[0], "001-卢丽英-谈话通知书.pdf");
    assert!(
        pdfs.contains(&"021-张_三-谈话通知书.pdf".to_string()),
        "{pdfs:?}"
    );
    assert!(
        pdfs.contains(&"022-_李四-谈话通知书.pdf".to_string()),
        "{pdfs:?}"
    );
    assert!(
        pdfs.contains(&"023-赵_六-谈话通知书.pdf".to_string()),
        "{pdfs:?}"
    );
    let outside: Vec<String> = files(dir.path(), "");
    assert_eq!(
        outside,
        vec!["合并打印.pdf".to_string(), "通知".to_string()]
    );
    // Every row got its own number, 1 to 196, in row order.
    let mut n = numbers(&out);
    assert_eq!(n.len(), 196);
    n.sort();
    assert_eq!(n, (1..=196).collect::<Vec<u32>>());
    let first = docx_text(&out.join("001-卢丽英-谈话通知书.docx"));
    assert!(first.contains("青纪谈〔2022〕1号"));
    // A built-in Chinese date format (numFmtId 31) arrives as a serial and is still a date;
    // the time cell is a time of day.
    assert!(first.contains("2022年4月2日"), "date");
    assert!(first.contains("14:30"), "time");
    // The merged PDF: every notice in row order, a bookmark per person, fonts once.
    let doc = lopdf::Document::load(&merged).unwrap();
    // Each notice padded to an even number of pages (--duplex); a notice takes two or
    // three pages, as its parts fit.
    let page_counts: Vec<usize> = pdfs
        .iter()
        .map(|n| {
            lopdf::Document::load(out.join(n))
                .unwrap()
                .get_pages()
                .len()
        })
        .collect();
    let padded: usize = page_counts.iter().map(|p| p + p % 2).sum();
    assert_eq!(doc.get_pages().len(), padded);
    let first_padded = page_counts[0] + page_counts[0] % 2;
    let toc = doc.get_toc().unwrap();
    assert_eq!(toc.toc.len(), 196);
    assert_eq!(toc.toc[0].title, "1 卢丽英");
    assert_eq!(toc.toc[1].page, 1 + first_padded);
    let fonts = doc
        .objects
        .values()
        .filter(|o| {
            o.as_dict()
                .ok()
                .and_then(|d| d.get(b"Type").ok())
                .and_then(|t| t.as_name().ok())
                == Some(b"FontDescriptor")
        })
        .count();
    assert!(fonts <= 5, "fonts embedded once, not per notice: {fonts}");
    // The error report names exactly the bad rows, as Excel numbers them.
    let mut wb = calamine::open_workbook_auto(out.join("错误报告.xlsx")).unwrap();
    use calamine::Reader;
    let range = wb.worksheet_range("错误报告").unwrap();
    // The report's title row, then its header.
    let all: Vec<&[calamine::Data]> = range.rows().collect();
    assert_eq!(all[1][0].to_string(), "行号", "{all:?}");
    let rows: Vec<(String, String, String)> = range
        .rows()
        .skip(2)
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string()))
        .collect();
    let bad: BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        bad,
        // Row 123 (王𪚥) is not among them: its name is drawn from the fallback font.
        BTreeSet::from(["11", "43", "78", "153"]),
        "{rows:?}"
    );
    let reason = |row: &str| rows.iter().find(|r| r.0 == row).unwrap();
    assert_eq!(reason("11").1, "谈话类型");
    assert!(reason("11").2.contains("批评谈话"));
    assert!(reason("43").2.contains("“姓名”：必填"));
    assert!(reason("78").2.contains("2022年2月30日不是有效日期"));
    assert_eq!(reason("153").1, "谈话地点");
}

#[test]
fn csv_in_utf8_and_gb18030() {
    for name in ["talk-200.csv", "talk-200-gb18030.csv"] {
        let dir = tempfile::tempdir().unwrap();
        let o = batch(
            &root(&format!("tests/fixtures/batch/{name}")),
            dir.path(),
            &["--format", "docx"],
        );
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let docx = files(dir.path(), ".docx");
        assert_eq!(docx.len(), 196, "{name}");
        assert_eq!(docx[0], "001-卢丽英-谈话通知书.docx");
        let xml = docx_text(&dir.path().join(&docx[0]));
        assert!(xml.contains("县农业农村局副科长"), "{name}");
    }
}

#[test]
fn concurrent_batches_share_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_path_buf();
    // Two different batches (their rows differ in 携带材料) numbered into one series.
    let runs: Vec<std::thread::JoinHandle<Output>> = ["A", "B"]
        .iter()
        .map(|tag| {
            let out = out.clone();
            let pattern = format!("{tag}-{{序号}}-{{姓名}}");
            std::thread::spawn(move || {
                batch(
                    &root("tests/fixtures/batch/talk-200.csv"),
                    &out,
                    &[
                        "--format",
                        "docx",
                        "--name",
                        &pattern,
                        "--set",
                        &format!("携带材料=材料{tag}"),
                    ],
                )
            })
        })
        .collect();
    for r in runs {
        let o = r.join().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    }
    let mut n = numbers(&out);
    assert_eq!(n.len(), 392);
    n.sort();
    n.dedup();
    assert_eq!(n.len(), 392, "no number handed out twice");
    assert_eq!(n, (1..=392).collect::<Vec<u32>>());
}

#[test]
fn second_run_without_force_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rows = root("tests/fixtures/batch/talk-200.csv");
    let o = batch(&rows, dir.path(), &["--format", "pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let before: Vec<(String, std::time::SystemTime)> = files(dir.path(), ".pdf")
        .into_iter()
        .map(|n| {
            let t = std::fs::metadata(dir.path().join(&n))
                .unwrap()
                .modified()
                .unwrap();
            (n, t)
        })
        .collect();
    let counter = ledger_numbers(dir.path());
    let o = batch(&rows, dir.path(), &["--format", "pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("196 份上次已生成，内容相同，未改动，没有新文件"),
        "{}",
        stderr(&o)
    );
    let after: Vec<(String, std::time::SystemTime)> = files(dir.path(), ".pdf")
        .into_iter()
        .map(|n| {
            let t = std::fs::metadata(dir.path().join(&n))
                .unwrap()
                .modified()
                .unwrap();
            (n, t)
        })
        .collect();
    assert_eq!(before, after);
    assert_eq!(counter, ledger_numbers(dir.path()));
    // With --force the same numbers are used again.
    let o = batch(&rows, dir.path(), &["--format", "pdf", "--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(counter, ledger_numbers(dir.path()));
}

/// The rows (Excel numbering) of an error report.
fn report_rows(path: &Path) -> Vec<u32> {
    use calamine::{open_workbook_auto, Reader};
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let mut rows: Vec<u32> = range
        .rows()
        .filter_map(|r| r.first()?.to_string().parse().ok())
        .collect();
    rows.dedup();
    rows
}

/// Bytes and modification time of every file of a folder, by name.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    files(dir, "")
        .into_iter()
        .filter(|n| n.ends_with(".pdf") || n.ends_with(".docx"))
        .map(|n| {
            let p = dir.join(&n);
            let t = std::fs::metadata(&p).unwrap().modified().unwrap();
            (n, (std::fs::read(&p).unwrap(), t))
        })
        .collect()
}

/// A clerk's re-run: the bad rows are fixed and the batch runs again. Every file name is the
/// row's own, so exactly the missing files are written, the others stay as they were, the
/// merged PDF is rebuilt with every row, and a run that makes nothing new still lists the
/// rows that fail. A row deleted from the sheet leaves a file that is reported.
#[test]
fn rerun_after_fixing_bad_rows_adds_exactly_the_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("名单.csv");
    let original = std::fs::read_to_string(root("tests/fixtures/batch/talk-200.csv")).unwrap();
    std::fs::write(&sheet, &original).unwrap();
    let out = dir.path().join("通知");
    let merged = dir.path().join("合并.pdf");
    let args = ["--format", "pdf,docx", "--merge", merged.to_str().unwrap()];
    let o = batch(&sheet, &out, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let bad = report_rows(&out.join("错误报告.xlsx"));
    assert_eq!(bad.len(), 4, "{bad:?}");
    let first = snapshot(&out);
    assert_eq!(first.len(), 392);
    let pages = |p: &Path| lopdf::Document::load(p).unwrap().get_pages().len();
    let merged_pages = pages(&merged);

    // Nothing fixed yet: nothing new, nothing touched, the bad rows listed again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = batch(&sheet, &out, &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("196 份上次已生成，内容相同，未改动，没有新文件"),
        "{err}"
    );
    assert!(err.contains("4 行有错误"), "{err}");
    assert_eq!(report_rows(&out.join("错误报告.xlsx")), bad);
    assert_eq!(snapshot(&out), first);

    // Fix the bad rows: each becomes a copy of the second data row under a new name.
    let lines: Vec<&str> = original.lines().collect();
    let good = lines[2];
    let fixed: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if bad.contains(&(i as u32 + 1)) {
                good.replacen("康志文", &format!("补正{i}"), 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&sheet, fixed.join("\n") + "\n").unwrap();
    let o = batch(&sheet, &out, &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("生成 200 份（其中 392 个文件上次已生成，未改动）"),
        "{err}"
    );
    assert!(!out.join("错误报告.xlsx").exists());
    let second = snapshot(&out);
    assert_eq!(second.len(), 400);
    // The 392 files of the first run are untouched, byte for byte and in time.
    for (name, v) in &first {
        assert_eq!(second.get(name), Some(v), "{name} changed");
    }
    // The eight new files are the fixed rows', named by their place in the sheet.
    let new: Vec<&String> = second.keys().filter(|n| !first.contains_key(*n)).collect();
    assert_eq!(new.len(), 8, "{new:?}");
    for &row in &bad {
        let tail = format!("-补正{}-谈话通知书.pdf", row - 1);
        let hits: Vec<&&String> = new.iter().filter(|n| n.ends_with(&tail)).collect();
        assert_eq!(hits.len(), 1, "{tail}: {new:?}");
        let docx = hits[0].replace(".pdf", ".docx");
        assert!(second.contains_key(&docx), "{docx}: {new:?}");
    }
    // One number for each of the 200 people, none given twice.
    let mut n = numbers(&out);
    n.sort();
    assert_eq!(n, (1..=200).collect::<Vec<u32>>());
    // The merged PDF was rebuilt with the four new notices.
    let all: usize = files(&out, ".pdf")
        .iter()
        .map(|n| pages(&out.join(n)))
        .sum();
    assert!(pages(&merged) > merged_pages);
    assert_eq!(pages(&merged), all);

    // A row deleted from the sheet: its files are reported, not deleted.
    let fewer: Vec<&str> = fixed
        .iter()
        .map(String::as_str)
        .filter(|l| !l.contains("卢丽英"))
        .collect();
    std::fs::write(&sheet, fewer.join("\n") + "\n").unwrap();
    let o = batch(&sheet, &out, &args);
    let err = stderr(&o);
    assert!(err.contains("不对应表格中现有的任何一行"), "{err}");
    assert!(err.contains("001-卢丽英-谈话通知书.pdf"), "{err}");
    assert!(out.join("001-卢丽英-谈话通知书.pdf").exists());
}

#[test]
fn killed_batch_leaves_whole_files_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let rows = root(XLSX);
    let mut child = batch_command(&rows, &out, &["--format", "pdf,docx"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some files are there.
    let start = std::time::Instant::now();
    loop {
        let n = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
        if n > 40 || start.elapsed().as_secs() > 60 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = files(&out, ".pdf");
    assert!(
        !partial.is_empty() && partial.len() < 196,
        "{}",
        partial.len()
    );
    for n in &partial {
        lopdf::Document::load(out.join(n)).unwrap_or_else(|e| panic!("{n} is not whole: {e}"));
    }
    for n in files(&out, ".docx") {
        docx_text(&out.join(n));
    }
    // The rerun produces exactly the rest, with the numbers the first run handed out.
    let o = batch(&rows, &out, &["--format", "pdf,docx"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("上次已生成"), "{}", stderr(&o));
    assert_eq!(files(&out, ".pdf").len(), 196);
    assert_eq!(files(&out, ".docx").len(), 196);
    assert!(files(&out, ".part").is_empty());
    let mut n = numbers(&out);
    n.sort();
    assert_eq!(n, (1..=196).collect::<Vec<u32>>());
}

/// The ledger's numbers (number, row key) handed out, and the next free number.
fn counter(dir: &Path) -> (Vec<(u32, String)>, u32) {
    if !ledger_of(dir).exists() {
        return (Vec::new(), 1);
    }
    let rows = ledger_numbers(dir);
    let next = rows.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    (rows, next)
}

/// Killed at random moments again and again (the moments are printed, to repeat a
/// failure), a batch leaves only whole files, a counter consistent with them (every number
/// printed in a file was handed out to one row only, and the next free number is above
/// them all), and the last run produces exactly the rest.
#[test]
fn batch_killed_at_random_points_stays_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let rows = root(XLSX);
    // How long a whole run takes here, to spread the kills over it.
    let probe = dir.path().join("probe");
    let start = std::time::Instant::now();
    let o = batch(&rows, &probe, &["--format", "pdf,docx"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let whole_ms = start.elapsed().as_millis().max(50) as u64;
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    let mut kills = Vec::new();
    for _ in 0..6 {
        // xorshift: a different schedule on every run.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = seed % whole_ms;
        kills.push(after);
        let mut child = batch_command(&rows, &out, &["--format", "pdf,docx"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(after));
        let _ = child.kill();
        child.wait().unwrap();
        if !out.exists() {
            continue;
        }
        // Whole files only (temporary .part files are never outputs).
        for n in files(&out, ".pdf") {
            lopdf::Document::load(out.join(&n))
                .unwrap_or_else(|e| panic!("kills {kills:?}: {n} is not whole: {e}"));
        }
        let printed = numbers(&out);
        let (handed, next) = counter(&out);
        let mut by_number: Vec<u32> = handed.iter().map(|(n, _)| *n).collect();
        by_number.sort();
        let before = by_number.len();
        by_number.dedup();
        assert_eq!(
            before,
            by_number.len(),
            "kills {kills:?}: a number given twice"
        );
        for n in &printed {
            assert!(
                by_number.binary_search(n).is_ok(),
                "kills {kills:?}: file number {n} is not in the counter"
            );
            assert!(*n < next, "kills {kills:?}: next {next} is not above {n}");
        }
    }
    let o = batch(&rows, &out, &["--format", "pdf,docx"]);
    // Exit 1 (the four bad rows) after completing the batch, whether or not a run finished
    // before its kill came.
    assert_eq!(o.status.code(), Some(1), "kills {kills:?}: {}", stderr(&o));
    assert_eq!(files(&out, ".pdf").len(), 196, "kills {kills:?}");
    assert_eq!(files(&out, ".docx").len(), 196, "kills {kills:?}");
    assert!(files(&out, ".part").is_empty(), "kills {kills:?}");
    let mut n = numbers(&out);
    n.sort();
    assert_eq!(n, (1..=196).collect::<Vec<u32>>(), "kills {kills:?}");
    let (handed, next) = counter(&out);
    assert_eq!((handed.len(), next), (196, 197), "kills {kills:?}");
    // The files are those an uninterrupted run makes, byte for byte.
    for name in files(&probe, ".docx").iter().chain(&files(&probe, ".pdf")) {
        assert!(
            std::fs::read(probe.join(name)).unwrap() == std::fs::read(out.join(name)).unwrap(),
            "kills {kills:?}: {name} differs from an uninterrupted run"
        );
    }
    eprintln!("killed after {kills:?} ms of a {whole_ms} ms run");
}

/// A folder numbered by an earlier version (its counter file) is taken over by the ledger
/// once: numbers continue after the file's, the file's numbers stay handed out. With
/// `--ledger` every row's instrument and files enter the 文书台账 once, and `render
/// --number` continues the same sequence.
#[test]
fn old_counters_are_taken_over_and_batches_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join(".jiandu-文号计数.txt"),
        "# jiandu 文号计数\nnext\t青纪谈\t2022\t50\nrow\t青纪谈\t2022\t7\t旧行\n",
    )
    .unwrap();
    let rows = root("tests/fixtures/batch/talk-200.csv");
    let o = batch(&rows, &out, &["--format", "docx", "--ledger"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("已并入台账"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("新增 196 份文书、196 个文件"),
        "{}",
        stderr(&o)
    );
    let mut n = numbers(&out);
    n.sort();
    assert_eq!(n, (50..246).collect::<Vec<u32>>());
    let handed = ledger_numbers(&out);
    assert!(handed.contains(&(7, "旧行".to_string())), "{handed:?}");
    // Again: nothing taken over, nothing new recorded, the same numbers.
    let o = batch(&rows, &out, &["--format", "docx", "--ledger"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stderr(&o).contains("已并入台账"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("新增 0 份文书、0 个文件"),
        "{}",
        stderr(&o)
    );
    let mut again = numbers(&out);
    again.sort();
    assert_eq!(again, n);
    let l = jiandu::model::ledger::Ledger::open(&ledger_of(&out)).unwrap();
    let issued = l.issued().unwrap();
    assert_eq!(issued.len(), 196);
    let first = issued
        .iter()
        .find(|r| r.issued.subject == "卢丽英")
        .expect("row 1 recorded");
    assert_eq!(first.issued.kind, "谈话通知书");
    assert_eq!(first.issued.files.len(), 1);
    let f = &first.issued.files[0];
    assert!(f.path.ends_with("001-卢丽英-谈话通知书.docx"), "{}", f.path);
    assert_eq!(
        f.sha256,
        jiandu::model::ledger::sha256_hex(&std::fs::read(&f.path).unwrap())
    );
    drop(l);
    // A single notice numbered from the same ledger gets the next number.
    let data = dir.path().join("一份.toml");
    let sample = std::fs::read_to_string(root("corpora/samples/talk-notice.toml")).unwrap();
    let text: String = sample
        .lines()
        .filter(|l| !l.starts_with("\"文号\""))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&data, text).unwrap();
    // Data that fails its check takes no number.
    std::fs::write(
        dir.path().join("坏.toml"),
        "姓名 = \"韩立新\"\n成文日期 = \"2022-03-01\"\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .args(["render", "talk-notice", "--number", "青纪谈", "--data"])
        .arg(dir.path().join("坏.toml"))
        .arg("--db")
        .arg(ledger_of(&out))
        .arg("-o")
        .arg(dir.path().join("坏.docx"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("文号："), "{}", stderr(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .args(["render", "talk-notice", "--number", "青纪谈", "--data"])
        .arg(&data)
        .arg("--db")
        .arg(ledger_of(&out))
        .arg("-o")
        .arg(dir.path().join("一份.docx"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        docx_text(&dir.path().join("一份.docx")).contains("青纪谈〔2022〕246号"),
        "{}",
        stderr(&o)
    );
}
