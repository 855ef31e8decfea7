//! The model-stage commands as a user runs them.

use calamine::{open_workbook_auto, Reader};
use jiandu::extract::Vocabulary;
use jiandu::render::table::{self, Column, Sheet, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .env_remove("JIANDU_DATA")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const S0: &str = "corpora/plans/000_4c768249f1fe35ba.txt";
const S1: &str = "corpora/plans/001_7a548ebd6d4d31cb.txt";
const S3: &str = "corpora/plans/003_915de415a2ba83b9.txt";
const S4: &str = "corpora/plans/004_17309b67fbf1a13d.txt";

#[test]
fn schema_is_json_schema_of_the_item() {
    let o = run(&["schema"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["type"], "object");
    assert_eq!(v["properties"]["sources"]["minItems"], 1);
    assert_eq!(
        v["properties"]["category"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
}

#[test]
fn model_eval_prints_macro_f1_and_confusion() {
    let o = run(&["model", "eval"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out.lines().find(|l| l.starts_with("macro-F1 ")).unwrap();
    let f1: f64 = line["macro-F1 ".len()..].parse().unwrap();
    assert!(f1 >= 0.80, "{out}");
    assert!(out.contains("混淆矩阵"));
    // Deterministic.
    let again = run(&["model", "eval"]);
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn model_train_is_deterministic_and_matches_the_committed_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.json");
    let o = run(&["model", "train", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, jiandu::model::classifier::EMBEDDED);
}

#[test]
fn extract_merge_joins_items_and_keeps_sources() {
    let o = run(&["extract", S0, S1, S3, "--merge"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = v["items"].as_array().unwrap();
    let hedonism = items
        .iter()
        .find(|i| i["title"] == "严查享乐主义、奢靡之风")
        .unwrap();
    assert_eq!(hedonism["sources"].as_array().unwrap().len(), 3);
    assert_eq!(hedonism["category"], "conduct");
    // Strict threshold: nothing merges.
    let o = run(&["extract", S0, S1, S3, "--merge-threshold", "1"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let n = v["items"].as_array().unwrap().len();
    assert!(n > items.len());
    // The table shows the clusters.
    let o = run(&["extract", S0, S1, "--merge", "--format", "table"]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(t.contains("├ 8．继续严查享乐、奢靡问题"), "{t}");
}

#[test]
fn bad_threshold_is_reported_in_chinese() {
    let o = run(&["extract", S0, "--merge-threshold", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--merge-threshold"), "{}", stderr(&o));
}

#[test]
fn checklist_four_lists_writes_four_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("四单.xlsx");
    let o = run(&[
        "checklist",
        S0,
        S4,
        "--four-lists",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["任务清单", "责任清单", "问题清单", "落实清单"]
    );
    let probs = wb.worksheet_range("问题清单").unwrap();
    assert_eq!(probs.rows().count(), 5); // title + header + 3 problems
                                         // --merge on the checklist lists every source in 来源.
    let out2 = dir.path().join("合并.xlsx");
    let o = run(&[
        "checklist",
        S0,
        S1,
        S3,
        "--merge",
        "-o",
        out2.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb = open_workbook_auto(&out2).unwrap();
    let r = wb.worksheet_range("任务清单").unwrap();
    // Columns by their header (the row under the title).
    let header: Vec<String> = r
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |h: &str| header.iter().position(|c| c == h).unwrap();
    let row = r
        .rows()
        .find(|r| r[at("工作任务")] == "9．严查享乐主义、奢靡之风")
        .unwrap();
    assert_eq!(
        row[at("来源")].to_string().lines().count(),
        3,
        "{}",
        row[at("来源")]
    );
    assert_eq!(row[at("类别")].to_string(), "作风建设");
}

#[test]
fn draft_writes_a_data_file_that_fill_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("建议书.toml");
    let o = run(&[
        "draft",
        "recommendation",
        "--from",
        S4,
        "-o",
        out.to_str().unwrap(),
        "--issuer",
        "中共青山县纪委监委",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let data = jiandu::instrument::Data::from_toml(&text).unwrap();
    let inst = jiandu::instrument::find("recommendation").unwrap();
    assert!(jiandu::instrument::validate(&inst, &data, &|_| jiandu::instrument::Draw::Own).is_ok());
    // A plan has no problems part.
    let o = run(&[
        "draft",
        "recommendation",
        "--from",
        S0,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("没有找到“存在的主要问题”部分"),
        "{}",
        stderr(&o)
    );
}

/// A checklist as users fill it in: statuses and progress typed into the 任务清单 columns.
fn filled_checklist(path: &Path) {
    let cols: Vec<Column> = jiandu::model::checklist::COLUMNS
        .iter()
        .map(|(h, w)| Column::new(h, *w))
        .collect();
    let row = |n: &str,
               task: &str,
               resp: &str,
               deadline: &str,
               cat: &str,
               progress: &str,
               status: &str| {
        let mut r = vec![String::new(); cols.len()];
        // By header, as users' sheets are read: the columns' places may change.
        let at = |h: &str| cols.iter().position(|c| c.header == h).unwrap();
        r[at("序号")] = n.into();
        r[at("工作任务")] = task.into();
        r[at("责任主体")] = resp.into();
        r[at("完成时限")] = deadline.into();
        r[at("类别")] = cat.into();
        r[at("进展情况")] = progress.into();
        r[at("状态")] = status.into();
        r
    };
    let rows = vec![
        row(
            "1",
            "1．开展政治生态分析",
            "派驻纪检监察组",
            "上半年（2022年6月30日）",
            "政治监督",
            "已形成报告",
            "已完成",
        ),
        row(
            "2",
            "2．主体责任检查",
            "党委（党组）主体责任",
            "每半年（2022年6月30日、2022年12月31日）",
            "主体责任",
            "",
            "未启动",
        ),
        row(
            "3",
            "3．节前提醒",
            "派驻纪检监察组",
            "每季度（2022年3月31日、2022年6月30日、2022年9月30日、2022年12月31日）",
            "作风建设",
            "已开展两次",
            "推进中",
        ),
        row(
            "4",
            "4．专项监督",
            "",
            "5月底前（2022年5月31日）",
            "专项监督",
            "正在开展",
            "推进中",
        ),
        row(
            "5",
            "5．队伍培训",
            "",
            "8月底前（2022年8月31日）",
            "队伍建设",
            "",
            "",
        ),
        row("6", "6．以案促改", "", "长期坚持", "以案促改", "", "已销号"),
        row("7", "7．回访", "", "2022/9/15", "激励关爱", "", "进行中"),
        // A recurring rule as the checklist writes it: its first date and how many times.
        row(
            "8",
            "8．月度报送",
            "",
            "每月10日前（2022年1月10日起，共12次）",
            "日常监督",
            "按月报送",
            "推进中",
        ),
    ];
    let book = Workbook {
        sheets: vec![Sheet {
            name: "任务清单".into(),
            title: "任务清单".into(),
            subtitle: vec!["文号：X纪发〔2022〕1号".into()],
            group_rows: vec![],
            columns: cols,
            rows,
        }],
    };
    std::fs::write(path, table::to_xlsx(&book).unwrap()).unwrap();
}

#[test]
fn progress_counts_and_overdue_of_a_filled_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("任务清单.xlsx");
    filled_checklist(&input);
    let (rows, warnings) = jiandu::model::progress::read_checklist(
        Vocabulary::builtin(),
        &input,
        &jiandu::intake::Limits::default(),
    )
    .unwrap();
    assert_eq!(rows.len(), 8);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    // The rule falls on the 10th of every month of the year its first date names.
    let monthly: Vec<String> = rows[7].due.iter().map(|d| d.iso()).collect();
    assert_eq!(monthly.len(), 12, "{monthly:?}");
    assert_eq!(monthly[0], "2022-01-10");
    assert_eq!(monthly[11], "2022-12-10");
    assert!(
        // Excel's row: below the title, the subtitle and the header.
        warnings[0].contains("第10行") && warnings[0].contains("进行中"),
        "{warnings:?}"
    );
    let as_of = jiandu::model::progress::Day::new(2022, 7, 15).unwrap();
    let s = jiandu::model::progress::summarize(&rows, as_of);
    let counts: Vec<(&str, usize)> = s.by_status.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    assert_eq!(
        counts,
        vec![("未启动", 2), ("推进中", 4), ("已完成", 1), ("已销号", 1)]
    );
    let late: Vec<(&str, String)> = s
        .overdue
        .iter()
        .map(|(r, d)| (r.task.as_str(), d.iso()))
        .collect();
    // 2: 未启动 past its first half-year date; 4: its only date passed. 3 is under way and
    // has later dates; 5 is not due yet.
    assert_eq!(
        late,
        vec![
            ("2．主体责任检查", "2022-06-30".to_string()),
            ("4．专项监督", "2022-05-31".to_string())
        ]
    );
    let next: Vec<&str> = s
        .next_quarter
        .iter()
        .map(|(r, _)| r.task.as_str())
        .collect();
    // 2022-07-15 falls in the third quarter: the next one runs from October to December.
    assert_eq!(next, vec!["2．主体责任检查", "3．节前提醒", "8．月度报送"]);
    let zhuti = s.by_category.iter().find(|c| c.0 == "主体责任").unwrap();
    assert_eq!((zhuti.1, zhuti.3), (1, 1));
    // The command writes the summary; read it back.
    let out = dir.path().join("季报.xlsx");
    let o = run(&[
        "progress",
        input.to_str().unwrap(),
        "--as-of",
        "2022-07-15",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["进度汇总", "分类统计", "逾期事项", "下季度到期"]
    );
    let r = wb.worksheet_range("逾期事项").unwrap();
    // Below the sheet's title row and its header.
    let tasks: Vec<String> = r.rows().skip(2).map(|r| r[1].to_string()).collect();
    assert_eq!(tasks, vec!["2．主体责任检查", "4．专项监督"]);
    let days: Vec<String> = r.rows().skip(2).map(|r| r[5].to_string()).collect();
    assert_eq!(days, vec!["15", "45"]);
    let docx = dir.path().join("季报.docx");
    let o = run(&[
        "progress",
        input.to_str().unwrap(),
        "--as-of",
        "2022年7月15日",
        "-o",
        docx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Laid out per GB/T 9704 by the instruments' writer: A4, the body font, the text.
    let xml = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut s)
            .unwrap();
        s
    };
    assert!(xml.contains(r#"w:w="11906" w:h="16838""#), "A4");
    assert!(xml.contains("仿宋_GB2312"));
    assert!(xml.contains("2022年第3季度任务落实情况报告"));
    assert!(
        xml.contains("二、逾期任务") && xml.contains("逾期45天"),
        "overdue list"
    );
    // Not a checklist.
    let o = run(&[
        "progress",
        root(S0).to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("无法作为 Excel 表格读取"),
        "{}",
        stderr(&o)
    );
}

/// Deadlines as clerks type them into a checklist (9月底前, 三季度末, 2022年8月, 下半年) are
/// read through the timing module with the sheet's year; an impossible date is named with
/// its row; group headings (no 序号, no 状态) are not counted; with `--db` the report also
/// covers the 整改台账.
#[test]
fn progress_reads_every_deadline_form_and_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let cols: Vec<Column> = jiandu::model::checklist::COLUMNS
        .iter()
        .map(|(h, w)| Column::new(h, *w))
        .collect();
    let at = |h: &str| cols.iter().position(|c| c.header == h).unwrap();
    let row = |n: &str, task: &str, deadline: &str, status: &str| {
        let mut r = vec![String::new(); cols.len()];
        r[at("序号")] = n.into();
        r[at("工作任务")] = task.into();
        r[at("完成时限")] = deadline.into();
        r[at("状态")] = status.into();
        r
    };
    let rows = vec![
        row("", "一、强化政治监督", "", ""),
        row("1", "1．专项检查", "9月底前", "推进中"),
        row("2", "2．季度分析", "三季度末", "未启动"),
        row("3", "3．回头看", "2022年8月", "推进中"),
        row("4", "4．总结", "下半年", "推进中"),
        row("5", "5．报送材料", "2022年2月30日前", "推进中"),
        row("6", "6．培训", "2022年5月31日", "已完成"),
    ];
    let book = Workbook {
        sheets: vec![Sheet {
            name: "任务清单".into(),
            title: "2022年工作要点任务清单".into(),
            subtitle: vec![],
            group_rows: vec![],
            columns: cols.clone(),
            rows,
        }],
    };
    let input = dir.path().join("清单.xlsx");
    std::fs::write(&input, table::to_xlsx(&book).unwrap()).unwrap();
    let (rows, warnings) = jiandu::model::progress::read_checklist(
        Vocabulary::builtin(),
        &input,
        &jiandu::intake::Limits::default(),
    )
    .unwrap();
    let tasks: Vec<&str> = rows.iter().map(|r| r.task.as_str()).collect();
    assert_eq!(tasks.len(), 6, "the heading is no task: {tasks:?}");
    let due: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.due.iter().map(|d| d.iso()).collect())
        .collect();
    assert_eq!(due[0], ["2022-09-30"]);
    assert_eq!(due[1], ["2022-09-30"]);
    assert_eq!(due[2], ["2022-08-31"]);
    assert_eq!(due[3], ["2022-12-31"]);
    assert!(due[4].is_empty(), "{due:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    // Title, header, then the heading and four rows: row 8 of the sheet.
    assert!(
        warnings[0].contains("第8行") && warnings[0].contains("2022年2月30日"),
        "{warnings:?}"
    );
    let as_of = jiandu::model::progress::Day::new(2022, 10, 8).unwrap();
    let s = jiandu::model::progress::summarize(&rows, as_of);
    let late: Vec<&str> = s.overdue.iter().map(|(r, _)| r.task.as_str()).collect();
    assert_eq!(late, ["1．专项检查", "2．季度分析", "3．回头看"]);

    // With the ledger: the recommendation's problems, overdue on 10-08.
    let db = dir.path().join("台账.db");
    let o = Command::new(env!("CARGO_BIN_EXE_jiandu"))
        .args(["ledger", "--db"])
        .arg(&db)
        .arg("add")
        .arg(root("corpora/samples/recommendation.toml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let docx = dir.path().join("季报.docx");
    let xlsx = dir.path().join("季报.xlsx");
    for out in [&docx, &xlsx] {
        let o = run(&[
            "progress",
            input.to_str().unwrap(),
            "--as-of",
            "2022-10-08",
            "--db",
            db.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let xml = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut s)
            .unwrap();
        s
    };
    assert!(xml.contains("四、纪检监察建议整改落实情况"), "ledger part");
    assert!(xml.contains("问题3个"), "counts");
    assert!(xml.contains("已逾期85天"), "overdue days");
    let wb = open_workbook_auto(&xlsx).unwrap();
    assert_eq!(
        wb.sheet_names().last().map(String::as_str),
        Some("整改台账")
    );
}

/// The scorer on a corpus written here in the genre (a notice with 文号, a two-line title,
/// 主送, items with deadlines and 牵头/配合, 附件, 特此通知, 落款 and 成文日期) and its gold: every
/// figure is read back from the report.
#[test]
fn corpus_scoring_reads_back_every_figure() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let o = run(&[
        "model",
        "eval",
        "--corpus",
        dir.to_str().unwrap(),
        "--errors",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let doc = out
        .lines()
        .find(|l| l.starts_with("written_notice\t"))
        .unwrap_or_else(|| panic!("{out}"));
    let cells: Vec<&str> = doc.split('\t').collect();
    // 5 gold items, 5 extracted, 5 aligned; outline, units and due dates all right.
    assert_eq!(cells[1], "5/5/5", "{out}");
    assert_eq!(cells[2], "1.00/1.00/1.00", "{out}");
    assert_eq!(cells[3], "1.00", "{out}");
    assert_eq!(cells[4], "0", "{out}");
    assert_eq!(cells[5], "1.00/1.00/1.00", "{out}");
    assert_eq!(cells[6], "1.00/1.00/1.00", "{out}");
    // Year and kind.
    assert_eq!(cells[8], "1/1", "{out}");
    assert_eq!(cells[9], "1/1", "{out}");
    assert!(out.contains("待定阈值"), "{out}");
    // A folder that is no corpus: a Chinese error naming it.
    let o = run(&["model", "eval", "--corpus", "tests"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是评测语料文件夹"), "{}", stderr(&o));
}

/// The JSON of a notice carries its kind, issuer, date, 文号 and year, and the lines that are no
/// items with their reasons; 牵头 and 配合 units are split out.
#[test]
fn extract_json_carries_metadata_and_not_items() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/docs");
    let o = run(&["extract", dir.join("written_notice.txt").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["documents"][0];
    assert_eq!(d["kind"], "notice");
    assert_eq!(
        d["title"],
        "中共X县纪委办公室关于开展2024年度作风建设专项检查的通知"
    );
    assert_eq!(d["issuer"], "中共X县纪委办公室");
    assert_eq!(d["date"], "2024-03-01");
    assert_eq!(d["doc_number"], "X纪办发〔2024〕3号");
    assert_eq!(d["year"], 2024);
    let reasons: Vec<&str> = d["not_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        vec!["文号", "主送机关", "附件说明", "结束语", "落款", "成文日期"]
    );
    let check = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "重点抽查")
        .unwrap();
    assert_eq!(check["lead"], serde_json::json!(["县纪委监委"]));
    assert_eq!(check["support"], serde_json::json!(["县委办", "县财政局"]));
    assert_eq!(check["timing"][0]["due"], serde_json::json!(["2024-09-30"]));
    assert_eq!(check["is_task"], true);
    // A measure written subject first is a measure.
    let own = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["marker"] == "（一）")
        .unwrap();
    assert_eq!(
        own["measures"],
        serde_json::json!(["各单位要对照检查内容开展自查，形成自查报告"])
    );
    assert_eq!(own["responsible"], serde_json::json!(["各单位"]));
}
