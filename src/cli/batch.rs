//! `jiandu batch`: a spreadsheet of people in, a file per person and one print-ready PDF out.
//!
//! Order of work, so that nothing is lost and nothing is half-written:
//! 1. every row is validated (with the shared `--data`/`--set` values under it);
//! 2. rows without a 文号 get the next numbers of the locked counter beside the output;
//! 3. file names are made (safe, unique) from the row itself: its place among all the
//!    table's rows (`{序号}`), never among the rows that passed, so fixing a bad row and
//!    running again leaves every other row's name as it was; files of the folder that no
//!    row names any more are reported, not deleted;
//! 4. rows are rendered in parallel and each file is written under a temporary name and
//!    renamed when whole. A file that is already there with the same content is skipped
//!    quietly (a re-run writes exactly what is missing); one with other content is never
//!    overwritten without `--force` and its row is reported. The merged PDF is rebuilt from
//!    all good rows on every run;
//! 5. bad rows go to `错误报告.xlsx` with their row number as Excel shows it.

use super::args::BatchArgs;
use super::instrument_cmd::{can_draw, out_kind, OutKind};
use super::names::{fill_pattern, Unique};
use super::{EXIT_ERROR, EXIT_OK, EXIT_PARTIAL};
use crate::error::{Error, Result};
use crate::instrument::numbering::{self, Request};
use crate::instrument::{self, rows, Data, DateParse, Instrument, Raw};
use crate::render::pdf::Encoded;
use crate::render::table::{Column, Sheet, Workbook};
use crate::render::{self, FontConfig, Fonts};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The name of the error report in the output folder.
pub const ERROR_REPORT: &str = "错误报告.xlsx";

/// A row that passed validation, ready to render.
struct Job {
    /// Excel row number.
    row: u32,
    data: Data,
    /// File stem (safe, unique).
    stem: String,
    /// Bookmark in the merged PDF.
    bookmark: String,
}

/// One line of the error report.
struct Failure {
    row: u32,
    column: String,
    reason: String,
}

/// Parse `key=value` options.
fn pairs(list: &[String], option: &str) -> Result<Vec<(String, String)>> {
    list.iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| {
                    Error::msg(format!("{option} 的格式应为 名称=值，例如 {option} 发文机关=中共XX县纪委监委；收到的是“{s}”"))
                })
        })
        .collect()
}

/// A value as text, for file names and messages.
fn text_of(v: Option<&Raw>) -> String {
    match v {
        Some(Raw::Text(s)) => s.trim().to_string(),
        Some(Raw::Integer(i)) => i.to_string(),
        Some(Raw::Float(f)) => f.to_string(),
        Some(Raw::Date(y, m, d)) => format!("{y}年{m}月{d}日"),
        Some(Raw::List(v)) => v
            .iter()
            .map(|x| text_of(Some(x)))
            .collect::<Vec<_>>()
            .join("、"),
        Some(Raw::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
        _ => String::new(),
    }
}

/// The year of the row's 成文日期, for its number.
fn issue_year(data: &Data) -> Option<i32> {
    match data.get("issue_date") {
        Some(Raw::Date(y, _, _)) => Some(*y),
        Some(Raw::Text(s)) => match instrument::parse_date(s) {
            DateParse::Ok(d) => Some(d.year),
            _ => None,
        },
        _ => None,
    }
}

/// A stable key of a row's content, so that a re-run gives it the same number.
fn row_key(row: u32, data: &Data) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0x1f]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(&row.to_string());
    for (k, v) in &data.entries {
        if k != "doc_number" {
            eat(k);
            eat(&text_of(Some(v)));
        }
    }
    format!("{row}-{h:016x}")
}

/// Progress reporting: a bar on a terminal, plain lines otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} 份  {per_sec}  剩余约 {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
        }
    }

    fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(b) => b.inc(1),
            None => {
                let step = (self.total / 10).max(100);
                if n.is_multiple_of(step) || n == self.total {
                    eprintln!("已生成 {n}/{} 份", self.total);
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// `jiandu batch`.
pub fn batch(a: BatchArgs) -> Result<i32> {
    // Formats and outputs first: a wrong option changes nothing.
    let mut formats: Vec<OutKind> = Vec::new();
    for f in a
        .format
        .split([',', '，'])
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        let k = match f.to_ascii_lowercase().as_str() {
            "pdf" => OutKind::Pdf,
            "docx" => OutKind::Docx,
            _ => {
                return Err(Error::msg(format!(
                    "--format 只能是 pdf、docx 或 pdf,docx，收到的是“{f}”"
                )))
            }
        };
        if !formats.contains(&k) {
            formats.push(k);
        }
    }
    if let Some(m) = &a.merge {
        if out_kind(m)? != OutKind::Pdf {
            return Err(Error::file(m, "--merge 的文件应为 .pdf"));
        }
    }
    let list = instrument::load(a.templates.as_deref())?;
    let inst = instrument::find_in(&list, &a.id)?;
    let fonts = Fonts::load(&FontConfig {
        font_dir: a.font_dir.clone(),
    })?;
    // Shared values: the data file, then --set (a row's own cell wins over both).
    let mut shared = match &a.data {
        Some(p) => instrument::load_data(p)?,
        None => Data::new(),
    };
    let mut code = inst.code().to_string();
    for (k, v) in pairs(&a.set, "--set")? {
        if k == "代字" || k == "code" {
            code = v;
        } else {
            shared.set(k, Raw::Text(v));
        }
    }
    let map = pairs(&a.map, "--map")?;
    let table = rows::read(&a.rows, a.sheet.as_deref(), inst, &map, &a.limits.limits())?;
    if !table.unmapped.is_empty() {
        eprintln!(
            "提示：以下列不对应“{}”的任何字段，已忽略：{}",
            inst.name(),
            table.unmapped.join("、")
        );
    }
    if table.rows.is_empty() {
        return Err(Error::file(&a.rows, "表格中没有数据行"));
    }
    std::fs::create_dir_all(&a.output).map_err(|e| Error::io(&a.output, &e))?;
    // Held (shared) until this batch is done; see `hold_folder`.
    let _folder = hold_folder(&a.output);

    // 1. Validate every row. Each valid row keeps its place among all the rows (its
    // 序号), whatever happens to the others.
    let draw = can_draw(&fonts);
    let mut failures: Vec<Failure> = Vec::new();
    let mut valid: Vec<(usize, u32, Data)> = Vec::new();
    // Warnings (a rare character drawn from a fallback font, say), each with its rows.
    let mut warnings: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for (ordinal, row) in table.rows.iter().enumerate() {
        let merged = instrument::apply_row_for(inst, &shared, &row.data);
        let report = instrument::validate(inst, &merged, &draw);
        for w in &report.warnings {
            warnings
                .entry(w.message.clone())
                .or_default()
                .push(row.number);
        }
        if report.errors.is_empty() {
            valid.push((ordinal + 1, row.number, merged));
        } else {
            for p in report.errors {
                let column = p
                    .field
                    .as_deref()
                    .map(|k| {
                        table.header_of(k).map(str::to_string).unwrap_or_else(|| {
                            inst.schema
                                .by_key(k)
                                .map(|f| format!("{}（未提供此列）", f.label))
                                .unwrap_or_default()
                        })
                    })
                    .unwrap_or_default();
                failures.push(Failure {
                    row: row.number,
                    column,
                    reason: p.message,
                });
            }
        }
    }

    print_warnings(&warnings);

    // 2. Numbers for the rows without one.
    let need: Vec<usize> = valid
        .iter()
        .enumerate()
        .filter(|(_, (_, _, d))| text_of(d.get("doc_number")).is_empty())
        .map(|(i, _)| i)
        .collect();
    let requests: Vec<Request> = need
        .iter()
        .map(|&i| Request {
            code: code.clone(),
            year: issue_year(&valid[i].2).unwrap_or(0),
            key: row_key(valid[i].1, &valid[i].2),
        })
        .collect();
    let serials = numbering::assign(&a.output, &requests, a.start)?;
    for ((&i, r), n) in need.iter().zip(&requests).zip(serials) {
        valid[i].2.set(
            "doc_number",
            Raw::Text(instrument::number("", &r.code, r.year, n)),
        );
    }

    // 3. Names, and what is already there.
    let width = table.rows.len().to_string().len().max(3);
    let mut unique = Unique::default();
    let jobs: Vec<Job> = valid
        .into_iter()
        .map(|(seq, row, data)| {
            let lookup = |key: &str| -> Option<String> {
                Some(match key {
                    "序号" => format!("{seq:0width$}"),
                    "行号" => row.to_string(),
                    "文种" => inst.name().to_string(),
                    _ => {
                        let f = inst.field_by_header(key)?;
                        text_of(data.get(&f.key))
                    }
                })
            };
            let stem = unique.name(&fill_pattern(&a.name, lookup));
            let bookmark = format!("{seq} {}", text_of(data.get("name")));
            Job {
                row,
                data,
                stem,
                bookmark,
            }
        })
        .collect();
    let target = |j: &Job, k: OutKind| a.output.join(format!("{}.{}", j.stem, extension(k)));
    let mut all_targets: Vec<PathBuf> = jobs
        .iter()
        .flat_map(|j| formats.iter().map(move |&k| target(j, k)))
        .collect();
    all_targets.extend(a.merge.clone());
    report_strays(&a.output, &all_targets, &formats);

    // 4. Render in parallel, a slice of rows at a time; the merged PDF takes each slice's
    // pages in row order as it finishes, so memory does not grow with the batch. A row's
    // pages are laid out and encoded once, for its own PDF and the merged one.
    let merge_to = a.merge.as_ref();
    let keep = merge_to.is_some();
    let merged_file = merge_to
        .map(|m| render::AtomicFile::create(m))
        .transpose()?;
    let mut merged = match (&merged_file, merge_to) {
        (Some(f), Some(m)) => Some(
            render::pdf::MergedPdf::new(
                std::io::BufWriter::with_capacity(1 << 20, f.file()),
                true,
                a.duplex,
            )
            .map_err(|e| Error::io(m, &e))?,
        ),
        _ => None,
    };
    let progress = Progress::new(jobs.len());
    let inst_ref: &Instrument = inst;
    let render_row = |j: &Job| -> Result<(Option<Encoded>, usize)> {
        let doc = instrument::fill(inst_ref, &j.data)?;
        let encoded = if keep || formats.contains(&OutKind::Pdf) {
            Some(render::pdf::encode(&doc, &fonts)?)
        } else {
            None
        };
        let mut skipped = 0;
        for &k in &formats {
            let path = target(j, k);
            let bytes = match k {
                OutKind::Pdf => {
                    let e = encoded
                        .as_ref()
                        .ok_or_else(|| Error::msg("内部错误：文书未排版"))?;
                    render::pdf::write_encoded(e, &fonts)?
                }
                OutKind::Docx => render::write_docx(&doc)?,
            };
            if path.exists() && !a.force {
                // A re-run: what is there must be what this run makes.
                let old = std::fs::read(&path).map_err(|e| Error::io(&path, &e))?;
                if old != bytes {
                    return Err(Error::file(
                        &path,
                        "文件已存在且内容与这一行现在的数据不同（数据或模板可能改过），没有覆盖；如需按现在的数据重新生成，请加 --force",
                    ));
                }
                skipped += 1;
                continue;
            }
            render::write_atomic_unsynced(&path, &bytes)?;
        }
        progress.tick();
        Ok((encoded.filter(|_| keep), skipped))
    };
    let mut skipped = 0;
    let mut made = 0;
    let slice = (rayon::current_num_threads() * 64).max(64);
    for part in jobs.chunks(slice) {
        let results: Vec<Result<(Option<Encoded>, usize)>> =
            part.par_iter().map(render_row).collect();
        for (j, r) in part.iter().zip(results) {
            match r {
                Ok((e, s)) => {
                    skipped += s;
                    made += 1;
                    if let (Some(m), Some(e), Some(path)) = (merged.as_mut(), e, merge_to) {
                        m.add(&e, &j.bookmark).map_err(|e| Error::io(path, &e))?;
                    }
                }
                Err(e) => failures.push(Failure {
                    row: j.row,
                    column: String::new(),
                    reason: e.to_string(),
                }),
            }
        }
    }
    progress.finish();

    // 5. The merged PDF, the error report, the summary.
    // (Moved whatever it holds, so that the file it writes to is free to be committed.)
    drop(merged.map(|m| m.finish(&fonts)).transpose()?);
    if let Some(f) = merged_file {
        f.commit()?;
    }
    let report_path = a.output.join(ERROR_REPORT);
    if failures.is_empty() {
        let _ = std::fs::remove_file(&report_path);
    } else {
        failures.sort_by_key(|f| f.row);
        write_report(&report_path, &failures)?;
    }
    let bad_rows = {
        let mut r: Vec<u32> = failures.iter().map(|f| f.row).collect();
        r.dedup();
        r.len()
    };
    let files_per_row = formats.len().max(1);
    eprintln!(
        "共 {} 行：{}{}{}{}",
        table.rows.len(),
        if made > 0 && skipped == made * files_per_row {
            format!("{made} 份上次已生成，内容相同，未改动，没有新文件")
        } else {
            format!("生成 {made} 份")
        },
        if skipped > 0 && skipped < made * files_per_row {
            format!("（其中 {skipped} 个文件上次已生成，未改动）")
        } else {
            String::new()
        },
        if bad_rows > 0 {
            format!("，{bad_rows} 行有错误，见 {}", report_path.display())
        } else {
            String::new()
        },
        match &a.merge {
            Some(m) => format!("；合并打印文件：{}", m.display()),
            None => String::new(),
        }
    );
    Ok(match (bad_rows, made) {
        (0, _) => EXIT_OK,
        (_, 0) => EXIT_ERROR,
        _ => EXIT_PARTIAL,
    })
}

/// The file extension of an output kind.
fn extension(k: OutKind) -> &'static str {
    match k {
        OutKind::Pdf => "pdf",
        OutKind::Docx => "docx",
    }
}

/// Print each distinct warning once, with the rows it concerns.
fn print_warnings(warnings: &std::collections::BTreeMap<String, Vec<u32>>) {
    const SHOWN: usize = 20;
    for (message, rows) in warnings.iter().take(SHOWN) {
        let mut list: Vec<String> = rows.iter().take(10).map(u32::to_string).collect();
        if rows.len() > 10 {
            list.push(format!("等 {} 行", rows.len()));
        }
        eprintln!("提示：第 {} 行：{message}", list.join("、"));
    }
    if warnings.len() > SHOWN {
        eprintln!("提示：另有 {} 条提示未列出", warnings.len() - SHOWN);
    }
}

/// Report the files of the output folder, of the formats written, that no row of this run
/// names (rows deleted from the sheet, or renamed): listed, never deleted.
fn report_strays(dir: &Path, targets: &[PathBuf], formats: &[OutKind]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let wanted: std::collections::HashSet<&Path> = targets.iter().map(PathBuf::as_path).collect();
    let mut strays: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            let ours = formats
                .iter()
                .any(|&k| ext.as_deref() == Some(extension(k)));
            ours && p.is_file() && !wanted.contains(p.as_path())
        })
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.starts_with(".jiandu-"))
        .collect();
    if strays.is_empty() {
        return;
    }
    strays.sort();
    let n = strays.len();
    strays.truncate(10);
    eprintln!(
        "提示：输出文件夹中有 {n} 个文件不对应表格中现有的任何一行（可能是删去或改过的行留下的），没有删除：{}{}",
        strays.join("、"),
        if n > 10 { " 等" } else { "" }
    );
}

/// The lock file that every batch writing into a folder holds, shared, while it runs.
const FOLDER_LOCK: &str = ".jiandu-批量.lock";

/// Take the folder's batch lock, shared, and hold it until the returned file is dropped.
/// Temporary files of an interrupted run are removed first, but only when no other batch
/// holds the lock: a batch running beside this one (sharing the folder and its number
/// counter) must not lose the files it is writing. Without a lock file (a read-only
/// folder, say) nothing is removed.
fn hold_folder(dir: &Path) -> Option<std::fs::File> {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(dir.join(FOLDER_LOCK))
        .ok()?;
    if f.try_lock().is_ok() {
        remove_stale_parts(dir);
        let _ = f.unlock();
    }
    f.lock_shared().ok()?;
    Some(f)
}

/// Remove temporary files left by an interrupted run (`.jiandu-*.part`, written by
/// [`render::write_atomic`]): they were never renamed, so they are never whole outputs.
fn remove_stale_parts(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(".jiandu-") && name.ends_with(".part") {
                // A file another run is writing right now is locked: leave it.
                let free = std::fs::File::open(e.path())
                    .map(|f| f.try_lock().is_ok())
                    .unwrap_or(false);
                if free {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
}

/// Write the error report: row number as Excel shows it, column, reason.
fn write_report(path: &Path, failures: &[Failure]) -> Result<()> {
    let book = Workbook {
        sheets: vec![Sheet {
            subtitle: Vec::new(),
            group_rows: Vec::new(),
            name: "错误报告".to_string(),
            title: "批量生成错误报告".to_string(),
            columns: vec![
                Column::new("行号", 4.0),
                Column::new("列", 10.0),
                Column::new("错误原因", 40.0),
            ],
            rows: failures
                .iter()
                .map(|f| vec![f.row.to_string(), f.column.clone(), f.reason.clone()])
                .collect(),
        }],
    };
    render::write_atomic(path, &render::table::to_xlsx(&book)?)
}
