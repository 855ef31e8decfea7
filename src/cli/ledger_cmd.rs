//! `jiandu ledger`: the 整改台账 in an SQLite file — record recommendations, list what is
//! due or overdue, record feedback, export the ledger as offices keep it in Excel.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::EXIT_OK;
use crate::error::{Error, Result};
use crate::instrument;
use crate::model::ledger::{
    not_issued, sha256_hex, user_day, Ledger, NewRecommendation, Status, Update,
};
use crate::model::progress::Day;
use crate::render::table::Workbook;
use crate::render::OutKind;

/// The ledger file used when `--db` is not given: in the current folder.
pub const DEFAULT_DB: &str = "jiandu-台账.db";

/// `jiandu ledger`.
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// 台账数据库文件（默认为当前文件夹中的 jiandu-台账.db）
    #[arg(long, value_name = "文件", global = true)]
    pub db: Option<PathBuf>,
    /// 子命令
    #[command(subcommand)]
    pub command: LedgerCommand,
}

/// The subcommands of `jiandu ledger`.
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// 把一份纪检监察建议书的数据文件记入台账：每个问题一行，附对应的建议、责任单位和整改时限
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Add(AddArgs),
    /// 列出台账中的问题及其状态（逾期按日期自动判断）
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    List(ListArgs),
    /// 记录反馈：状态、反馈日期、反馈材料、回访日期、备注（每次改动都留有记录）
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Feedback(FeedbackArgs),
    /// 导出整改台账（.xlsx，每个问题一行）
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Export(ExportArgs),
    /// 读回在 Excel 中改过的整改台账（状态、反馈日期、反馈材料、回访日期、备注）：逐行检查，有错的行报告行号并保持原样
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Import(ImportArgs),
    /// 列出文书台账：用 --ledger 生成的每份文书（文号、文种、对象、日期、文件及其 SHA-256 校验值）
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Issued(IssuedArgs),
    /// 提醒：列出即将到期和已经逾期的问题，并为每个逾期单位起草一份督办通知书（PDF、Word 和可修改的数据文件）
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Remind(RemindArgs),
}

/// `jiandu ledger remind`.
#[derive(Debug, Args)]
pub struct RemindArgs {
    /// 按这一天判断（默认今天），如 2022-08-01
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
    /// 几天内到期算“即将到期”（默认 7 天）
    #[arg(long, value_name = "天数", default_value_t = 7)]
    pub within: i64,
    /// 督办通知书写到这个文件夹（默认为当前文件夹中的“督办通知”）
    #[arg(short = 'o', long = "output", value_name = "文件夹")]
    pub output: Option<PathBuf>,
    /// 给督办通知书从台账自动编号；可写代字，如 --number 青纪督，不写则用模板的代字（纪督）
    #[arg(long, value_name = "代字", num_args = 0..=1, default_missing_value = "")]
    pub number: Option<String>,
    /// 每份督办通知书共用的值，如 --set 联系人=刘晓梅 --set 联系电话=0571-88881234。可写多次
    #[arg(long = "set", value_name = "名称=值")]
    pub set: Vec<String>,
    /// 只列出，不起草督办通知书
    #[arg(long)]
    pub no_draft: bool,
    /// 使用自己的模板文件夹
    #[arg(long, value_name = "文件夹")]
    pub templates: Option<PathBuf>,
    /// 字体文件夹
    #[arg(long, value_name = "文件夹")]
    pub font_dir: Option<PathBuf>,
}

/// `jiandu ledger issued`.
#[derive(Debug, Args)]
pub struct IssuedArgs {
    /// 输出 JSON（默认为表格）
    #[arg(long)]
    pub json: bool,
}

/// `jiandu ledger import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 由 jiandu ledger export 导出、在 Excel 中改过的台账（.xlsx、.xls、.ods）
    #[arg(value_name = "台账文件")]
    pub file: PathBuf,
}

/// `jiandu ledger add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 纪检监察建议书的数据文件（.toml 或 .json，与 jiandu render 所用的相同）；或用 --ledger 生成的建议书 PDF/Word 文件，或存放这些文件的文件夹
    #[arg(value_name = "数据文件")]
    pub data: PathBuf,
    /// 使用自己的模板文件夹
    #[arg(long, value_name = "文件夹")]
    pub templates: Option<PathBuf>,
}

/// `jiandu ledger list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// 只列出逾期的问题
    #[arg(long)]
    pub overdue: bool,
    /// 按这一天判断是否逾期（默认今天），如 2022-08-01
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
    /// 输出 JSON（默认为表格）
    #[arg(long)]
    pub json: bool,
}

/// `jiandu ledger feedback`.
#[derive(Debug, Args)]
pub struct FeedbackArgs {
    /// 建议书的文号，如 青纪建〔2022〕3号
    #[arg(value_name = "文号")]
    pub doc_number: String,
    /// 只改第几条问题（默认全部）
    #[arg(long, value_name = "序号")]
    pub item: Option<u32>,
    /// 新状态：待反馈、已反馈、整改中、已整改、已销号
    #[arg(long, value_name = "状态")]
    pub status: Option<String>,
    /// 反馈日期
    #[arg(long, value_name = "日期")]
    pub date: Option<String>,
    /// 反馈材料（文号或文件名）
    #[arg(long = "doc", value_name = "材料")]
    pub feedback_doc: Option<String>,
    /// 回访日期
    #[arg(long, value_name = "日期")]
    pub revisit: Option<String>,
    /// 备注（加在原有备注之后）
    #[arg(long, value_name = "文字")]
    pub note: Option<String>,
}

/// `jiandu ledger export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 输出文件（.xlsx）
    #[arg(short = 'o', long = "output", value_name = "文件")]
    pub output: PathBuf,
    /// 按这一天判断是否逾期（默认今天）
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
}

/// A date typed on the command line, in any form the data files take.
fn as_of(s: &Option<String>) -> Result<Day> {
    s.as_deref()
        .map_or(Ok(Day::today()), |s| user_day(s, "--as-of"))
}

/// Run `jiandu ledger`.
pub fn ledger(a: LedgerArgs) -> Result<i32> {
    let db = a.db.unwrap_or_else(|| PathBuf::from(DEFAULT_DB));
    match a.command {
        LedgerCommand::Add(x) => add(&db, x),
        LedgerCommand::List(x) => list(&db, x),
        LedgerCommand::Feedback(x) => feedback(&db, x),
        LedgerCommand::Export(x) => export(&db, x),
        LedgerCommand::Import(x) => import(&db, x),
        LedgerCommand::Issued(x) => issued(&db, x),
        LedgerCommand::Remind(x) => remind(&db, x),
    }
}

/// The folder 督办通知书 go to when `-o` is not given.
const REMIND_FOLDER: &str = "督办通知";

fn remind(db: &Path, a: RemindArgs) -> Result<i32> {
    let day = as_of(&a.as_of)?;
    if a.within < 0 {
        return Err(Error::msg(format!(
            "--within 应为 0 或正数（天数），收到的是 {}",
            a.within
        )));
    }
    let rows = Ledger::open(db)?.list(day, false)?;
    let r = crate::model::ledger::reminders(&rows, day, a.within);
    if r.due_soon.is_empty() && r.overdue.is_empty() {
        eprintln!(
            "截至{}没有逾期的问题，{} 天内也没有到期的问题",
            day.chinese(),
            a.within
        );
        return Ok(EXIT_OK);
    }
    if !r.due_soon.is_empty() {
        outln!("{} 天内到期（{} 个问题）：", a.within, r.due_soon.len());
        for x in &r.due_soon {
            outln!(
                "  {}  {}  第{}条  时限{}  {}",
                x.recipient,
                x.doc_number,
                x.seq,
                x.deadline.chinese(),
                x.problem
            );
        }
    }
    if !r.overdue.is_empty() {
        let n: usize = r.overdue.iter().map(|o| o.rows.len()).sum();
        outln!("已逾期（{} 个单位，{n} 个问题）：", r.overdue.len());
        for o in &r.overdue {
            for x in &o.rows {
                outln!(
                    "  {}  {}  第{}条  时限{}  逾期{}天  {}",
                    o.recipient,
                    x.doc_number,
                    x.seq,
                    x.deadline.chinese(),
                    day.days() - x.deadline.days(),
                    x.problem
                );
            }
        }
    }
    if a.no_draft || r.overdue.is_empty() {
        return Ok(EXIT_OK);
    }
    // One 督办通知书 per overdue unit, through the instrument templates.
    let list = instrument::load(a.templates.as_deref())?;
    let inst = instrument::find_in(&list, "supervise-notice")?;
    let fonts = crate::render::Fonts::load(&super::font_config(a.font_dir.clone()))?;
    let out = a
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(REMIND_FOLDER));
    let shared = super::batch::pairs(&a.set, "--set")?;
    let opts = instrument::remind::Options {
        out: &out,
        as_of: day,
        shared: &shared,
        number: a.number.as_deref(),
        ledger: db,
    };
    let (mut made, mut failed) = (0, 0);
    for (recipient, done) in instrument::remind::draft(inst, &r.overdue, &opts, &fonts)? {
        match done {
            Ok(n) => {
                made += 1;
                eprintln!(
                    "已起草 {}（{} 个逾期问题），数据文件 {}",
                    n.data_file.with_extension("pdf").display(),
                    n.problems,
                    n.data_file.display()
                );
            }
            Err(e) => {
                failed += 1;
                eprintln!("错误：给{recipient}的督办通知书没有生成：{e}");
            }
        }
    }
    eprintln!(
        "共起草 {made} 份督办通知书，在 {}；请核对后加盖印章发出",
        out.display()
    );
    Ok(match (made, failed) {
        (_, 0) => EXIT_OK,
        (0, _) => super::EXIT_ERROR,
        _ => super::EXIT_PARTIAL,
    })
}

/// Whether a path names an instrument's output (PDF or Word) rather than a data file.
fn is_output(path: &Path) -> bool {
    path.is_dir() || OutKind::of_path(path).is_ok()
}

/// The recommendations the 文书台账 recorded for an output file, or for the output files
/// of a folder (each recommendation once, in the order of its files).
fn recommendations_of_outputs(
    db: &Path,
    path: &Path,
    templates: Option<&Path>,
) -> Result<Vec<NewRecommendation>> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, &e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && OutKind::of_path(p).is_ok())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let list = instrument::load(templates)?;
    let inst = instrument::find_in(&list, "recommendation")?;
    let l = Ledger::open(db)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| Error::io(f, &e))?;
        let Some(row) = l.issued_by_hash(&sha256_hex(&bytes))? else {
            if path.is_dir() {
                continue;
            }
            return Err(not_issued(f));
        };
        if row.issued.kind != inst.name() {
            if path.is_dir() {
                continue;
            }
            return Err(Error::file(
                f,
                format!(
                    "这是一份{}，不是纪检监察建议书：整改台账只记建议书的问题",
                    row.issued.kind
                ),
            ));
        }
        if !seen.insert((row.issued.doc_number.clone(), row.issued.data.clone())) {
            continue;
        }
        let data = instrument::Data::from_json(&row.issued.data)?;
        out.push(instrument::entry::recommendation(inst, &data).map_err(|e| e.with_path(f))?);
    }
    if out.is_empty() {
        return Err(Error::file(
            path,
            "文件夹中没有记入文书台账的纪检监察建议书（生成时加 --ledger 才会记入）",
        ));
    }
    Ok(out)
}

fn issued(db: &Path, a: IssuedArgs) -> Result<i32> {
    let l = Ledger::open(db)?;
    let rows = l.issued()?;
    if a.json {
        let v: Vec<serde_json::Value> = rows.iter().map(|r| r.to_json()).collect();
        let text = serde_json::to_string_pretty(&v)
            .map_err(|e| Error::msg(format!("生成 JSON 失败：{e}")))?;
        outln!("{text}");
        return Ok(EXIT_OK);
    }
    if rows.is_empty() {
        eprintln!("文书台账中还没有记录（render 或 batch 加 --ledger 才会记入）");
        return Ok(EXIT_OK);
    }
    for r in &rows {
        let i = &r.issued;
        outln!(
            "{}  {}  {}  {}  {} 个文件",
            if i.doc_number.is_empty() {
                "（无文号）"
            } else {
                &i.doc_number
            },
            i.kind,
            i.subject,
            i.issue_date.map(Day::chinese).unwrap_or_default(),
            i.files.len()
        );
    }
    eprintln!("共 {} 份文书", rows.len());
    Ok(EXIT_OK)
}

/// The recommendation of a data file, as the ledger records it.
pub fn recommendation_of(path: &Path, templates: Option<&Path>) -> Result<NewRecommendation> {
    let list = instrument::load(templates)?;
    let inst = instrument::find_in(&list, "recommendation")?;
    let data = instrument::load_data(path)?;
    instrument::entry::recommendation(inst, &data).map_err(|e| e.with_path(path))
}

fn add(db: &Path, a: AddArgs) -> Result<i32> {
    let recs = if is_output(&a.data) {
        recommendations_of_outputs(db, &a.data, a.templates.as_deref())?
    } else {
        vec![recommendation_of(&a.data, a.templates.as_deref())?]
    };
    let mut l = Ledger::open(db)?;
    let (mut added, mut failed) = (0, 0);
    for rec in &recs {
        match l.add(rec, Day::today()) {
            Ok(n) => {
                added += 1;
                eprintln!(
                    "已记入台账 {}：{}，{n} 个问题，整改时限 {}",
                    db.display(),
                    rec.doc_number,
                    rec.items
                        .first()
                        .map_or(String::new(), |i| i.deadline.chinese())
                );
            }
            // One recommendation of a folder already there does not stop the others.
            Err(e) if recs.len() > 1 => {
                failed += 1;
                eprintln!("提示：{e}");
            }
            Err(e) => return Err(e),
        }
    }
    Ok(match (added, failed) {
        (_, 0) => EXIT_OK,
        (0, _) => super::EXIT_ERROR,
        _ => super::EXIT_PARTIAL,
    })
}

fn list(db: &Path, a: ListArgs) -> Result<i32> {
    let day = as_of(&a.as_of)?;
    let l = Ledger::open(db)?;
    let rows = l.list(day, a.overdue)?;
    if a.json {
        /// One problem as `--json` prints it (field names as the exported sheet's headers).
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(rename = "文号")]
            doc_number: &'a str,
            #[serde(rename = "序号")]
            seq: u32,
            #[serde(rename = "问题")]
            problem: &'a str,
            #[serde(rename = "建议")]
            suggestion: &'a str,
            #[serde(rename = "责任单位")]
            unit: &'a str,
            #[serde(rename = "整改时限")]
            deadline: String,
            #[serde(rename = "状态")]
            status: &'a str,
            #[serde(rename = "反馈日期")]
            feedback_date: Option<String>,
            #[serde(rename = "反馈材料")]
            feedback_doc: &'a str,
            #[serde(rename = "回访日期")]
            revisit_date: Option<String>,
            #[serde(rename = "备注")]
            notes: &'a str,
        }
        let v: Vec<Out> = rows
            .iter()
            .map(|r| Out {
                doc_number: &r.doc_number,
                seq: r.seq,
                problem: &r.problem,
                suggestion: &r.suggestion,
                unit: &r.unit,
                deadline: r.deadline.iso(),
                status: r.shown_status(day),
                feedback_date: r.feedback_date.map(Day::iso),
                feedback_doc: &r.feedback_doc,
                revisit_date: r.revisit_date.map(Day::iso),
                notes: &r.notes,
            })
            .collect();
        let text = serde_json::to_string_pretty(&v)
            .map_err(|e| Error::msg(format!("生成 JSON 失败：{e}")))?;
        outln!("{text}");
        return Ok(EXIT_OK);
    }
    if rows.is_empty() {
        eprintln!(
            "{}",
            if a.overdue {
                format!("截至{}没有逾期的问题", day.chinese())
            } else {
                "台账中还没有记录".to_string()
            }
        );
        return Ok(EXIT_OK);
    }
    for r in &rows {
        outln!(
            "{}  第{}条  {}  {}  时限{}  {}",
            r.doc_number,
            r.seq,
            r.shown_status(day),
            r.unit,
            r.deadline.chinese(),
            r.problem
        );
    }
    let overdue = rows.iter().filter(|r| r.is_overdue(day)).count();
    eprintln!(
        "共 {} 个问题，截至{}逾期 {overdue} 个",
        rows.len(),
        day.chinese()
    );
    Ok(EXIT_OK)
}

fn feedback(db: &Path, a: FeedbackArgs) -> Result<i32> {
    let status = a
        .status
        .as_deref()
        .map(|s| Status::parse_named(s, "--status"))
        .transpose()?;
    let update = Update {
        status,
        feedback_date: a
            .date
            .as_deref()
            .map(|s| user_day(s, "--date"))
            .transpose()?,
        feedback_doc: a.feedback_doc,
        revisit_date: a
            .revisit
            .as_deref()
            .map(|s| user_day(s, "--revisit"))
            .transpose()?,
        note: a.note,
        notes: None,
    };
    if update == Update::default() {
        return Err(Error::msg(
            "没有要记录的内容：请至少给出 --status、--date、--doc、--revisit 或 --note 之一",
        ));
    }
    let mut l = Ledger::open(db)?;
    let n = l.feedback(&a.doc_number, a.item, &update, Day::today())?;
    eprintln!("已记录 {}：{n} 个问题有改动", a.doc_number);
    Ok(EXIT_OK)
}

fn export(db: &Path, a: ExportArgs) -> Result<i32> {
    let day = as_of(&a.as_of)?;
    let ext = a
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("xlsx") {
        return Err(Error::file(&a.output, "整改台账导出为 .xlsx 文件"));
    }
    let l = Ledger::open(db)?;
    let rows = l.list(day, false)?;
    let issued = l.issued()?;
    let mut sheets = vec![crate::model::ledger::sheet(&rows, day)];
    if !issued.is_empty() {
        sheets.push(crate::model::ledger::issued_sheet(&issued));
    }
    let book = Workbook { sheets };
    crate::render::write_atomic(&a.output, &crate::render::table::to_xlsx(&book)?)?;
    eprintln!("已导出 {}：{} 个问题", a.output.display(), rows.len());
    Ok(EXIT_OK)
}

/// The columns an import reads, by their header in the exported sheet.
const IMPORT_COLUMNS: [&str; 7] = [
    "文号",
    "序号",
    "状态",
    "反馈日期",
    "反馈材料",
    "回访日期",
    "备注",
];

/// One row of an edited ledger: the item it names and what to set, or why it cannot be
/// applied.
fn import_row(
    cells: &[String],
    at: &[usize; 7],
) -> std::result::Result<(String, u32, Update), String> {
    let get = |i: usize| cells.get(at[i]).map_or("", |s| s.trim());
    let number = get(0).to_string();
    if number.is_empty() {
        return Err("“文号”是空的".to_string());
    }
    let seq: u32 = get(1)
        .trim_end_matches(".0")
        .parse()
        .map_err(|_| format!("“序号”应为数字，收到的是“{}”", get(1)))?;
    let status = match get(2) {
        // 逾期 is derived from the dates: leave the stored status.
        "" | "逾期" => None,
        s => Some(Status::parse(s).ok_or_else(|| {
            format!("“状态”“{s}”不是台账的状态，可用：待反馈、已反馈、整改中、已整改、已销号")
        })?),
    };
    let day = |i: usize, name: &str| -> std::result::Result<Option<Day>, String> {
        match get(i) {
            "" => Ok(None),
            s => user_day(s, name).map(Some).map_err(|e| e.message),
        }
    };
    Ok((
        number,
        seq,
        Update {
            status,
            feedback_date: day(3, "反馈日期")?,
            feedback_doc: Some(get(4).to_string()),
            revisit_date: day(5, "回访日期")?,
            notes: Some(get(6).to_string()),
            note: None,
        },
    ))
}

fn import(db: &Path, a: ImportArgs) -> Result<i32> {
    use crate::intake::sheet::{self, Pick};
    let limits = crate::intake::Limits::default();
    let bytes = crate::intake::load(&a.file, &limits)?;
    let rows: Vec<Vec<String>> =
        sheet::read_worksheet(&bytes, Pick::Preferred("整改台账"), &limits, sheet::damaged)
            .map(|ws| {
                let first = ws.range.start().map_or(0, |(r, _)| r);
                let mut out: Vec<Vec<String>> = vec![Vec::new(); first as usize];
                out.extend(
                    ws.range
                        .rows()
                        .map(|r| r.iter().map(sheet::cell_text).collect()),
                );
                out
            })
            .map_err(|e| Error::file(&a.file, e.message))?;
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "文号") && r.iter().any(|c| c == "序号"))
        .ok_or_else(|| {
            Error::file(
                &a.file,
                "找不到表头（应有“文号”“序号”等列，即 jiandu ledger export 导出的格式）",
            )
        })?;
    let mut at = [usize::MAX; 7];
    for (i, name) in IMPORT_COLUMNS.iter().enumerate() {
        at[i] = rows[header]
            .iter()
            .position(|c| c.trim() == *name)
            .ok_or_else(|| Error::file(&a.file, format!("表头中没有“{name}”列")))?;
    }
    let mut l = Ledger::open(db)?;
    let today = Day::today();
    let (mut changed, mut same, mut bad) = (0, 0, 0);
    for (i, cells) in rows.iter().enumerate().skip(header + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let excel_row = i + 1;
        let result = import_row(cells, &at).and_then(|(number, seq, update)| {
            l.feedback(&number, Some(seq), &update, today)
                .map_err(|e| e.message)
        });
        match result {
            Ok(0) => same += 1,
            Ok(_) => changed += 1,
            Err(why) => {
                bad += 1;
                eprintln!(
                    "错误：{}：第{excel_row}行：{why}，这一行没有改动",
                    a.file.display()
                );
            }
        }
    }
    eprintln!(
        "已读回 {}：{changed} 行有改动，{same} 行未变{}",
        a.file.display(),
        if bad > 0 {
            format!("，{bad} 行有错误（见上，未改动）")
        } else {
            String::new()
        }
    );
    Ok(match (bad, changed + same) {
        (0, _) => EXIT_OK,
        (_, 0) => super::EXIT_ERROR,
        _ => super::EXIT_PARTIAL,
    })
}
