//! The commands as a user runs them: outputs read back, bad input reported in Chinese.

use calamine::{open_workbook_auto, Data, Reader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jiandu"));
    c.env_remove("JIANDU_DATA");
    c
}

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const SEED1: &str = "corpora/plans/001_7a548ebd6d4d31cb.txt";

#[test]
fn extract_json_follows_the_contract() {
    let o = run(&["extract", root(SEED1).to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let doc = &v["documents"][0];
    assert_eq!(doc["year"], 2022);
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let first = &items[0];
    assert_eq!(first["level"], 1);
    assert_eq!(first["marker"], "一、");
    assert_eq!(first["parent"], serde_json::Value::Null);
    let second = &items[1];
    assert_eq!(second["parent"], first["id"]);
    assert_eq!(second["title"], "突出政治监督");
    for key in [
        "id",
        "level",
        "marker",
        "title",
        "parent",
        "text",
        "measures",
        "responsible",
        "targets",
        "methods",
        "areas",
        "timing",
        "regulations",
        "category",
        "span",
    ] {
        assert!(second.get(key).is_some(), "missing {key}");
    }
    assert_eq!(second["span"]["paragraph"], 3);
    assert_eq!(second["span"]["start"], 0);
    assert_eq!(second["category"], "political");
}

#[test]
fn extract_table_aligns_cjk() {
    let o = run(&[
        "extract",
        root(SEED1).to_str().unwrap(),
        "--format",
        "table",
    ]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    use unicode_width::UnicodeWidthStr;
    let widths: Vec<usize> = text
        .lines()
        .filter(|l| l.contains("．"))
        .map(|l| l.split("  ").next().unwrap_or("").width())
        .collect();
    assert!(!widths.is_empty());
    // The 类别 column starts at the same terminal cell on every item line.
    let starts: Vec<usize> = text
        .lines()
        .filter(|l| l.ends_with("监督") || l.ends_with("责任") || l.ends_with("建设"))
        .filter(|l| l.starts_with(char::is_numeric))
        .map(|l| {
            let cut = l.rfind(' ').unwrap();
            l[..cut].width()
        })
        .collect();
    assert!(starts.len() > 10, "{text}");
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "{starts:?}\n{text}"
    );
}

#[test]
fn checklist_xlsx_docx_csv_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("清单.xlsx");
    let o = run(&[
        "checklist",
        root(SEED1).to_str().unwrap(),
        root("corpora/plans/003_915de415a2ba83b9.txt")
            .to_str()
            .unwrap(),
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb = open_workbook_auto(&xlsx).unwrap();
    let range = wb.worksheet_range("任务清单").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    // A title row above the header.
    assert_eq!(rows[0][0].to_string(), "任务清单");
    let rows = &rows[1..];
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        "序号 层级 上级事项 工作任务 具体措施 责任主体 监督对象 监督方式 重点领域 完成时限 依据 类别 来源 进展情况 状态"
            .split(' ')
            .collect::<Vec<_>>()
    );
    assert_eq!(rows.len(), 1 + 20 + 19);
    assert_eq!(rows[2][3].to_string(), "1．突出政治监督");
    assert_eq!(
        rows[2][2].to_string(),
        "一、严明政治纪律和政治规矩，坚决做到“两个维护”"
    );
    assert!(rows[1][12]
        .to_string()
        .starts_with("001_7a548ebd6d4d31cb.txt 第2段"));
    assert!(rows[21][12]
        .to_string()
        .starts_with("003_915de415a2ba83b9.txt"));
    // Headings with items under them are group rows: no number, no status; every task
    // row is numbered and 未启动.
    let (groups, tasks): (Vec<&&[Data]>, Vec<&&[Data]>) = rows
        .iter()
        .skip(1)
        .partition(|r| r[0].to_string().is_empty());
    assert!(groups.iter().all(|r| r[14].to_string().is_empty()));
    // A heading over tasks is no task: no category either.
    assert!(groups.iter().all(|r| r[11].to_string().is_empty()));
    assert!(tasks.iter().all(|r| !r[11].to_string().is_empty()));
    assert!(tasks.iter().all(|r| r[14] == "未启动"));
    assert!(!groups.is_empty());
    assert_eq!(
        tasks.last().unwrap()[0].to_string(),
        tasks.len().to_string()
    );
    assert!(
        stderr(&o).contains(&format!("（{} 项任务）", tasks.len())),
        "{}",
        stderr(&o)
    );
    let q = rows.iter().find(|r| r[3] == "2．压实主体责任").unwrap();
    assert!(q[9]
        .to_string()
        .contains("每半年（2022年6月30日、2022年12月31日）"));
    // The XML carries the frozen header, the autofilter and the status drop-down.
    let sheet = read_zip(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("state=\"frozen\""));
    assert!(sheet.contains("<autoFilter"));
    assert!(sheet.contains("未启动,推进中,已完成,已销号"));

    let docx = dir.path().join("清单.docx");
    let o = run(&[
        "checklist",
        root(SEED1).to_str().unwrap(),
        "-o",
        docx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = read_zip(&docx, "word/document.xml");
    assert!(xml.contains("w:orient=\"landscape\""));
    assert!(xml.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\""));
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
    assert_eq!(xml.matches("<w:tr>").count(), 21);
    assert!(xml.contains("w:eastAsia=\"仿宋_GB2312\""));
    assert!(xml.contains("突出政治监督"));
    assert!(!xml.contains("Theme"));

    let csv = dir.path().join("清单.csv");
    let o = run(&[
        "checklist",
        root(SEED1).to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF\xE5\xBA\x8F\xE5\x8F\xB7,")); // BOM + 序号,
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut rdr = text.lines();
    assert!(rdr.next().unwrap().ends_with("进展情况,状态"));
}

fn read_zip(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    use std::io::Read;
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn demo_writes_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let o = run(&["demo", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains("任务清单.xlsx") && stdout.contains("任务清单.docx"));
    for name in ["谈话通知书", "函询通知书", "纪检监察建议书", "问责决定书"] {
        for ext in ["pdf", "docx"] {
            let p = out.join(format!("示例-{name}.{ext}"));
            assert!(p.metadata().unwrap().len() > 2000, "{}", p.display());
        }
    }
    let mut wb = open_workbook_auto(out.join("任务清单.xlsx")).unwrap();
    // The title row, the header and the 20 items of the demo plan.
    assert_eq!(
        wb.worksheet_range("任务清单").unwrap().rows().count(),
        1 + 1 + 20
    );
    assert!(out.join("任务清单.docx").metadata().unwrap().len() > 2000);
    // The sample recommendation's problems in a fresh 整改台账, exported; a second demo
    // into the same folder starts the ledger afresh.
    let o = run(&["demo", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("示例-整改台账.db").is_file());
    let mut wb = open_workbook_auto(out.join("示例-整改台账.xlsx")).unwrap();
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("整改台账")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let problems = rows
        .iter()
        .filter(|r| r.first().is_some_and(|c| c == "青纪建〔2022〕3号"))
        .count();
    assert!(problems >= 2, "{rows:?}");
}

/// Every bad input: a Chinese message naming the file, exit 2, no panic.
#[test]
fn bad_inputs_are_reported_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, bytes: &[u8]| {
        let p = d.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let cases: Vec<(PathBuf, &str)> = vec![
        (write("空.txt", b""), "文件是空的"),
        (write("计划.abc", b"hello"), "无法识别的文件类型"),
        (write("坏.docx", b"PK\x03\x04 not really a zip"), "Word"),
        (write("坏.xlsx", b"garbage bytes here"), "无法打开表格"),
        (
            write("乱码.txt", &[0x80, 0xFF, 0xFF, 0x30, 0x81]),
            "GB18030",
        ),
        (d.join("不存在.txt"), "文件不存在"),
        (d.to_path_buf(), "文件夹"),
    ];
    for (p, expect) in cases {
        let o = run(&["extract", p.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", p.display());
        assert!(err.contains(expect), "{}: {err}", p.display());
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(name), "names the file: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn one_bad_file_among_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("坏.docx");
    std::fs::write(&bad, b"not a zip").unwrap();
    let out = dir.path().join("清单.xlsx");
    let o = run(&[
        "checklist",
        root(SEED1).to_str().unwrap(),
        bad.to_str().unwrap(),
        root("corpora/plans/000_4c768249f1fe35ba.txt")
            .to_str()
            .unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("坏.docx"));
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(
        wb.worksheet_range("任务清单").unwrap().rows().count(),
        1 + 1 + 20 + 22
    );
    // No temporary file is left beside the output.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");
}

#[test]
fn wrong_output_extension_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("清单.pdf");
    let o = run(&[
        "checklist",
        root(SEED1).to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".xlsx、.docx 或 .csv"));
    assert!(!out.exists());
}

#[test]
fn help_and_usage_errors_are_chinese() {
    let o = run(&["--help"]);
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(
        s.contains("用法") && s.contains("命令") && s.contains("任务清单"),
        "{s}"
    );
    assert!(!s.contains("Usage") && !s.contains("Print help"), "{s}");
    for cmd in [
        "extract",
        "checklist",
        "batch",
        "render",
        "templates",
        "progress",
    ] {
        let o = run(&[cmd, "--help"]);
        assert!(o.status.success());
        let s = String::from_utf8(o.stdout).unwrap();
        for english in [
            "OPTIONS",
            "Options",
            "default:",
            "Possible values",
            "Arguments",
            "Usage",
        ] {
            assert!(!s.contains(english), "{cmd} --help shows “{english}”:\n{s}");
        }
    }
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("没有“frobnicate”这个命令"),
        "{}",
        stderr(&o)
    );
    let o = run(&["extract", "--bogus", "x.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不认识的选项"), "{}", stderr(&o));
}

#[test]
fn segment_keeps_formulas_whole() {
    let o = run(&[
        "segment",
        root("corpora/plans/000_4c768249f1fe35ba.txt")
            .to_str()
            .unwrap(),
    ]);
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    for w in [
        " 四风 ",
        " 一岗双责 ",
        " 谈话函询 ",
        " 红脸出汗 ",
        " 四责协同 ",
    ] {
        assert!(s.contains(w), "{w}");
    }
}

#[test]
fn templates_list_show_and_export() {
    let o = run(&["templates"]);
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    for name in ["谈话通知书", "函询通知书", "纪检监察建议书", "问责决定书"] {
        assert!(s.contains(name), "{s}");
    }
    let o = run(&["templates", "show", "谈话通知书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(s.contains("谈话日期") && s.contains("talk_type"), "{s}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("模板");
    let o = run(&["templates", "export", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("talk-notice/template.tera").exists());
    // A second export refuses to overwrite.
    let o = run(&["templates", "export", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn render_writes_pdf_and_docx_and_refuses_bad_data() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("通知.pdf");
    let docx = dir.path().join("通知.docx");
    let data = root("corpora/samples/talk-notice.toml");
    let o = run(&[
        "render",
        "talk-notice",
        "--data",
        data.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "-o",
        docx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = lopdf::Document::load(&pdf).unwrap();
    // 存根, 通知 and 回执 each whole: the sample's notice does not fit under its 存根.
    assert_eq!(doc.get_pages().len(), 3);
    assert!(read_zip(&docx, "word/document.xml").contains("王建国同志"));
    // A missing required field and an impossible date: every problem named, nothing written.
    let bad = dir.path().join("坏.toml");
    std::fs::write(
        &bad,
        "\"姓名\" = \"张三\"\n\"谈话类型\" = \"提醒谈话\"\n\"谈话日期\" = \"2022-02-30\"\n",
    )
    .unwrap();
    let out = dir.path().join("坏.pdf");
    let o = run(&[
        "render",
        "talk-notice",
        "--data",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("2022年2月30日不是有效日期"), "{err}");
    assert!(err.contains("“谈话地点”"), "{err}");
    assert!(!out.exists());
}

/// Names with characters outside GB 2312 (the official fonts' set) are never refused: each
/// such character is drawn from a bundled GB 18030 font, with a warning naming it, and both
/// the PDF and the DOCX are written.
#[test]
fn render_never_refuses_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(root("corpora/samples/talk-notice.toml")).unwrap();
    let names = ["张堃", "李喆", "王𠮷", "陈昇", "刘犇", "欧阳镕", "赵赟"];
    for (i, name) in names.iter().enumerate() {
        let data = dir.path().join(format!("{i}.toml"));
        std::fs::write(&data, sample.replace("王建国", name)).unwrap();
        let pdf = dir.path().join(format!("{i}.pdf"));
        let docx = dir.path().join(format!("{i}.docx"));
        let o = run(&[
            "render",
            "talk-notice",
            "--data",
            data.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
            "-o",
            docx.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert!(o.status.success(), "{name}: {err}");
        // The warning names the character and the font that draws it.
        let rare: Vec<char> = name
            .chars()
            .filter(|c| !"张李王陈刘欧阳赵".contains(*c))
            .collect();
        for c in &rare {
            assert!(
                err.contains(&format!("字符“{c}”")) && err.contains("HanaMin"),
                "{name}: {err}"
            );
        }
        // The PDF embeds a subset of the fallback font, and its text copies out whole.
        let bytes = std::fs::read(&pdf).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let text: String = doc
            .extract_text(&[1])
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            text.contains(&format!("被谈话人：{name}")),
            "{name}: {text}"
        );
        let fonts: Vec<String> = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0"))
            .filter_map(|d| d.get(b"BaseFont").and_then(|b| b.as_name()).ok())
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect();
        assert!(
            fonts
                .iter()
                .any(|f| f.starts_with("JDX") && f.contains("+HanaMin")),
            "{name}: {fonts:?}"
        );
        // The DOCX names a font that has the character, for Word and WPS to use.
        let xml = read_zip(&docx, "word/document.xml");
        for c in &rare {
            let want = if (*c as u32) > 0xFFFF {
                "SimSun-ExtB"
            } else {
                "仿宋"
            };
            let run = format!(
                r#"w:eastAsia="{want}" w:cs="{want}" w:hint="eastAsia"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">{c}"#
            );
            assert!(xml.contains(&run), "{name}: {c} not in a run of {want}");
        }
        let table = read_zip(&docx, "word/fontTable.xml");
        assert!(
            table.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#),
            "{table}"
        );
    }
    // A character that no font has is the one error, and it names the fonts searched.
    let data = dir.path().join("无字.toml");
    std::fs::write(&data, sample.replace("王建国", "王\u{10FFFD}")).unwrap();
    let out = dir.path().join("无字.pdf");
    let o = run(&[
        "render",
        "talk-notice",
        "--data",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("U+10FFFD") && err.contains("FandolFang") && err.contains("HanaMinB"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn fonts_names_every_role() {
    let o = run(&["fonts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = String::from_utf8(o.stdout).unwrap();
    for role in ["仿宋", "黑体", "楷体", "宋体", "小标宋"] {
        assert!(s.contains(role), "{s}");
    }
    assert!(s.contains(".otf") || s.contains(".ttf"), "{s}");
}

/// The same input and options give the same bytes, so offices can archive, compare and sign
/// what jiandu writes.
#[test]
fn outputs_are_byte_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let plan = root(SEED1);
    let data = root("corpora/samples/recommendation.toml");
    let mut outputs: Vec<Vec<Vec<u8>>> = Vec::new();
    for run_no in 0..2 {
        let mut bytes = Vec::new();
        for ext in ["xlsx", "docx", "csv"] {
            let out = dir.path().join(format!("清单{run_no}.{ext}"));
            let o = run(&[
                "checklist",
                plan.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ]);
            assert!(o.status.success());
            bytes.push(std::fs::read(&out).unwrap());
        }
        let pdf = dir.path().join(format!("建议书{run_no}.pdf"));
        let docx = dir.path().join(format!("建议书{run_no}.docx"));
        let o = run(&[
            "render",
            "recommendation",
            "--data",
            data.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
            "-o",
            docx.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        bytes.push(std::fs::read(&pdf).unwrap());
        bytes.push(std::fs::read(&docx).unwrap());
        outputs.push(bytes);
        // Let the clock move: nothing may depend on it.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    for (k, (a, b)) in outputs[0].iter().zip(&outputs[1]).enumerate() {
        assert!(a == b, "output {k} differs between runs");
    }
}

/// A sheet whose two cells sit in A1 and XFD1048576 would make the spreadsheet reader lay
/// out 17 billion cells: it is refused with a message, quickly and in little memory.
#[test]
fn sheet_claiming_a_million_rows_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("巨大.xlsx");
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let files: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".into()),
        ("_rels/.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml", format!("<?xml version=\"1.0\"?><workbook xmlns=\"{ns}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")),
        ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\"?><worksheet xmlns=\"{ns}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>姓名</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>谈话日期</t></is></c></row><row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>")),
    ];
    let bytes = jiandu::render::wml::zip(files.iter().map(|(n, c)| (*n, c.as_bytes()))).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let o = run(&["extract", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("数据范围过大"), "{}", stderr(&o));
    let out = dir.path().join("out");
    let o = run(&[
        "batch",
        "talk-notice",
        "--rows",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("数据范围过大"), "{}", stderr(&o));
}

/// An .ods row claiming 100,000 repeats of 16,000 filled cells (1.6 billion cells in a
/// 9 KB file) is refused at once with a Chinese message, not laid out.
#[test]
fn ods_claiming_billions_of_cells_is_refused() {
    use std::io::Read;
    let src = std::fs::read(root("tests/fixtures/plan-table.ods")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "content.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            let end = xml.find("</table:table>").expect("a table");
            let bomb = "<table:table-row table:number-rows-repeated=\"100000\"><table:table-cell table:number-columns-repeated=\"16000\" office:value-type=\"string\"><text:p>加强监督</text:p></table:table-cell></table:table-row>";
            bytes = format!("{}{bomb}{}", &xml[..end], &xml[end..]).into_bytes();
        }
        files.push((name, bytes));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("巨大.ods");
    let bytes =
        jiandu::render::wml::zip(files.iter().map(|(n, c)| (n.as_str(), c.as_slice()))).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let o = run(&["extract", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("巨大.ods") && e.contains("表格"), "{e}");
}

/// A 1 GB text file (sparse: it costs no disk) is refused at once by its size, naming the
/// option that raises the limit; raising it past the size gets past the check.
#[test]
fn one_gigabyte_text_is_refused_by_size_and_the_limit_can_be_raised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("巨大.txt");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(1 << 30).unwrap();
    drop(f);
    let start = std::time::Instant::now();
    let o = run(&["extract", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("巨大.txt") && e.contains("超过 512 MB 的上限"),
        "{e}"
    );
    assert!(e.contains("--limit file-mb="), "{e}");
    assert!(start.elapsed().as_secs() < 5);
    // A small plan under a lowered limit is refused the same way.
    let o = run(&[
        "extract",
        root(SEED1).to_str().unwrap(),
        "--limit",
        "file-mb=1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let big = dir.path().join("两兆.txt");
    let plan = std::fs::read_to_string(root(SEED1)).unwrap();
    std::fs::write(&big, plan.repeat((2 << 20) / plan.len() + 1)).unwrap();
    let o = run(&["extract", big.to_str().unwrap(), "--limit", "file-mb=1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("超过 1 MB 的上限"), "{}", stderr(&o));
    let o = run(&["extract", big.to_str().unwrap(), "--limit", "file-mb=3"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// An .xlsx part that decompresses past the part limit (a zip bomb in miniature: 8 MB of
/// cells compressing to a few KB) is refused by the bytes actually decompressed, by
/// `extract` and by `batch`, and read once the limit is raised.
#[test]
fn xlsx_part_past_the_limit_is_refused_and_the_limit_can_be_raised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("炸弹.xlsx");
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let filler = "<c r=\"C2\"/>".repeat(800_000);
    let files: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".into()),
        ("_rels/.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml", format!("<?xml version=\"1.0\"?><workbook xmlns=\"{ns}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")),
        ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\"?><worksheet xmlns=\"{ns}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>工作任务</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>责任单位</t></is></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>加强日常监督</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>第一监督检查室</t></is></c>{filler}</row></sheetData></worksheet>")),
    ];
    let bytes = jiandu::render::wml::zip(files.iter().map(|(n, c)| (*n, c.as_bytes()))).unwrap();
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap();
    let o = run(&["extract", p, "--limit", "part-mb=4"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("炸弹.xlsx") && e.contains("xl/worksheets/sheet1.xml 解压后超过 4 MB"),
        "{e}"
    );
    assert!(e.contains("--limit part-mb="), "{e}");
    let out = dir.path().join("out");
    let o = run(&[
        "batch",
        "talk-notice",
        "--rows",
        p,
        "-o",
        out.to_str().unwrap(),
        "--limit",
        "part-mb=4",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("解压后超过 4 MB"), "{}", stderr(&o));
    let o = run(&["extract", p, "--limit", "part-mb=16"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["documents"][0]["items"][0]["title"], "加强日常监督");
}

/// The PDF page limit refuses a longer document (rather than reading part of it) and says
/// how to raise it; raised, the document is read.
#[test]
fn pdf_page_limit_can_be_raised() {
    let pdf = root("tests/fixtures/pdf/seed000.pdf");
    let p = pdf.to_str().unwrap();
    let o = run(&["extract", p, "--limit", "pdf-pages=1"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("超过 1 页的上限") && e.contains("--limit pdf-pages="),
        "{e}"
    );
    let o = run(&[
        "extract",
        p,
        "--limit",
        "pdf-pages=1",
        "--limit",
        "pdf-pages=50",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["extract", p, "--limit", "pdf-chars=100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--limit pdf-chars="), "{}", stderr(&o));
}

/// A mistyped `--limit` is explained in Chinese, listing the names there are.
#[test]
fn bad_limit_setting_is_explained() {
    let o = run(&[
        "extract",
        root(SEED1).to_str().unwrap(),
        "--limit",
        "pages=5",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("没有名为“pages”的上限") && e.contains("pdf-pages"),
        "{e}"
    );
    let o = run(&[
        "extract",
        root(SEED1).to_str().unwrap(),
        "--limit",
        "file-mb=0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("正整数"), "{}", stderr(&o));
}

/// An .xls the fuzzer made, on which the spreadsheet library panics (slicing past its
/// buffer), is reported as a damaged file with exit 2, in Chinese and without the panic's
/// English message, by `extract` and by `batch`; with a good file beside it, the good one is
/// still processed (exit 1).
#[test]
fn xls_that_makes_the_reader_panic_is_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("坏表.xls");
    std::fs::copy(
        root("tests/fixtures/fuzz/sheet/crash-ab2cbbd15ebf5964868455d5157b7a710f65520b"),
        &bad,
    )
    .unwrap();
    let o = run(&["extract", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("坏表.xls") && e.contains("已损坏"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    let o = run(&[
        "extract",
        bad.to_str().unwrap(),
        root(SEED1).to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    let out = dir.path().join("out");
    let o = run(&[
        "batch",
        "talk-notice",
        "--rows",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("已损坏") && !e.contains("panicked"), "{e}");
}

/// A full disk under `> 结果.json` is an error, not a silent exit 0 with half the JSON; a
/// closed pipe (`| head`) stays quiet.
#[test]
fn stdout_on_a_full_disk_is_an_error() {
    for format in ["json", "table"] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full exists on Linux");
        let o = bin()
            .args(["extract", "--format", format, root(SEED1).to_str().unwrap()])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{format}: {}", stderr(&o));
        assert!(stderr(&o).contains("磁盘空间已满"), "{}", stderr(&o));
    }
    // The other commands that print their results: merged items, the JSON Schema.
    for args in [
        vec![
            "extract",
            "--merge",
            root(SEED1).to_str().unwrap(),
            root("corpora/plans/003_915de415a2ba83b9.txt")
                .to_str()
                .unwrap(),
        ],
        vec!["schema"],
    ] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full exists on Linux");
        let o = bin().args(&args).stdout(full).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("磁盘空间已满"), "{}", stderr(&o));
    }
    let mut child = bin()
        .args(["extract", root(SEED1).to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

/// Argument errors name the option or the value at fault.
#[test]
fn argument_errors_name_what_is_wrong() {
    let o = run(&[
        "batch",
        "talk-notice",
        "--rows",
        "a.xlsx",
        "-o",
        "out",
        "--duplex=yes",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--duplex 给了太多的值"),
        "{}",
        stderr(&o)
    );
    let o = run(&["segment", "a.txt", "b.txt"]);
    assert!(stderr(&o).contains("多余的参数“b.txt”"), "{}", stderr(&o));
}

/// The user's dictionary folder (`JIANDU_DATA`): its words are used, a file saved in GBK
/// is read and said, a misspelled file or folder is named, a missing folder stops the
/// command with a Chinese error instead of being ignored.
#[test]
fn user_dictionary_folder_is_used_and_its_problems_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("词典");
    std::fs::create_dir_all(data.join("lexicon")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("清廉机关建设 20000 n\n");
    std::fs::write(data.join("dict.txt"), &gbk).unwrap();
    std::fs::write(data.join("lexicon").join("areas.txt"), "专项整治\n").unwrap();
    let plan = dir.path().join("要点.txt");
    std::fs::write(&plan, "一、推进清廉机关建设工作\n").unwrap();
    let o = bin()
        .env("JIANDU_DATA", &data)
        .args(["segment", plan.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(" 清廉机关建设 "), "{out}");
    let err = stderr(&o);
    assert!(
        err.contains("dict.txt：不是 UTF-8 编码，已按 GBK/GB18030 读取"),
        "{err}"
    );
    assert!(
        err.contains("lexicon：词表应放在名为 lexicons 的文件夹中"),
        "{err}"
    );
    // Without the folder the words are jieba's own.
    let o = run(&["segment", plan.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains(" 清廉机关建设 "));
    // A folder that is not there.
    let o = bin()
        .env("JIANDU_DATA", dir.path().join("词曲"))
        .args(["segment", plan.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("用户词典文件夹不存在"),
        "{}",
        stderr(&o)
    );
    // A command that reads no plan is not stopped by it.
    let o = bin()
        .env("JIANDU_DATA", dir.path().join("词曲"))
        .args(["templates"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("用户词典"), "{}", stderr(&o));
}
