//! Batches: a table of rows in, a file per row (and one print-ready PDF) out.
//!
//! Three steps, so that a front-end can show what will fail before anything is written:
//! 1. [`check`] validates every row (with the shared values under it), touching nothing;
//! 2. [`prepare`] gives rows without a 文号 the next numbers of the ledger's sequence for
//!    their 代字 and year (taking over the counter file an earlier version left in the
//!    folder), and makes file names (safe, unique) from the row itself: its place among
//!    all the table's rows (`{序号}`), never among the rows that passed, so fixing a bad row
//!    and running again leaves every other row's name as it was; files of the folder that
//!    no row names any more are listed ([`Prepared::strays`]), never deleted;
//! 3. [`execute`] renders rows in parallel and writes each file under a temporary name,
//!    renamed when whole. A file that is already there with the same content is skipped
//!    quietly (a re-run writes exactly what is missing); one with other content is never
//!    overwritten without `force` and its row is reported. The merged PDF is rebuilt from
//!    all good rows on every run; bad rows go to [`ERROR_REPORT`] with their row number as
//!    Excel shows it. With [`Options::record`], every row's instrument and files (with
//!    their SHA-256) go to the ledger's 文书台账 in one transaction at the end.

use super::names::{fill_pattern, Unique};
use super::numbering;
use super::rows::Rows as Table;
use super::{Data, DateParse, Draw, Instrument, Raw};
use crate::error::{Error, Result};
use crate::model::ledger::{self, IssuedFile, Ledger, NumberRequest};
use crate::model::progress::Day;
use crate::render::pdf::Encoded;
use crate::render::table::{Column, Sheet, Workbook};
use crate::render::{self, Coverage, Fonts, OutKind, Role};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name pattern used when none is given.
pub const DEFAULT_NAME: &str = "{序号}-{姓名}-{文种}";

/// The name of the error report in the output folder.
pub const ERROR_REPORT: &str = "错误报告.xlsx";

/// How the body font, or its fallback chain, draws a character of a value (for
/// [`super::validate()`]).
pub fn can_draw(fonts: &Fonts) -> impl Fn(char) -> Draw + Sync + '_ {
    move |c| match fonts.coverage(Role::FangSong, c) {
        Coverage::Own => Draw::Own,
        Coverage::Fallback(f) => Draw::Fallback(f.family.clone()),
        Coverage::Missing => Draw::Missing(fonts.searched(Role::FangSong)),
    }
}

/// One problem of a row: its row number as Excel shows it, the column (its header in the
/// table, or the field's label when the table has no such column), and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    /// Excel row number.
    pub row: u32,
    /// Column header, or "" when the problem is not of one column.
    pub column: String,
    /// What is wrong, in Chinese.
    pub reason: String,
}

/// A row that passed validation.
#[derive(Debug, Clone)]
pub struct Valid {
    /// Its place among all the table's rows, from 1 (`{序号}`).
    pub ordinal: usize,
    /// Excel row number.
    pub row: u32,
    /// The row's values over the shared ones.
    pub data: Data,
}

/// What [`check`] found.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Rows of the table in all.
    pub rows: usize,
    /// Rows that passed.
    pub valid: Vec<Valid>,
    /// Problems of the rows that did not.
    pub failures: Vec<Failure>,
    /// Warnings (a rare character drawn from a fallback font, say), each with its rows.
    pub warnings: BTreeMap<String, Vec<u32>>,
}

impl Checked {
    /// Rows with at least one problem.
    pub fn bad_rows(&self) -> usize {
        bad_rows(&self.failures)
    }
}

fn bad_rows(failures: &[Failure]) -> usize {
    let mut r: Vec<u32> = failures.iter().map(|f| f.row).collect();
    r.sort_unstable();
    r.dedup();
    r.len()
}

/// Validate every row of `table` for `inst`, each over `shared` (a row's own cell wins).
/// Nothing is written.
pub fn check(
    inst: &Instrument,
    shared: &Data,
    table: &Table,
    draw: &dyn Fn(char) -> Draw,
) -> Checked {
    let mut out = Checked {
        rows: table.rows.len(),
        ..Checked::default()
    };
    for (ordinal, row) in table.rows.iter().enumerate() {
        let merged = super::apply_row_for(inst, shared, &row.data);
        let report = super::validate(inst, &merged, draw);
        for w in &report.warnings {
            out.warnings
                .entry(w.message.clone())
                .or_default()
                .push(row.number);
        }
        if report.errors.is_empty() {
            out.valid.push(Valid {
                ordinal: ordinal + 1,
                row: row.number,
                data: merged,
            });
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
                out.failures.push(Failure {
                    row: row.number,
                    column,
                    reason: p.message,
                });
            }
        }
    }
    out
}

/// Where and how a batch writes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The output folder (made when missing).
    pub output: PathBuf,
    /// Formats of each row's files, in order.
    pub formats: Vec<OutKind>,
    /// File name pattern, e.g. `{序号}-{姓名}-{文种}`.
    pub name: String,
    /// The merged, print-ready PDF, if wanted.
    pub merge: Option<PathBuf>,
    /// Blank pages so that each document of the merged PDF starts on a right-hand page.
    pub duplex: bool,
    /// Overwrite files whose content differs from what this run makes.
    pub force: bool,
    /// First serial number of the counter, when it has none yet.
    pub start: Option<u32>,
    /// 代字 of the numbers given to rows without a 文号.
    pub code: String,
    /// The ledger database: its 文号 sequences number the rows, and with `record` its
    /// 文书台账 records what was made.
    pub ledger: PathBuf,
    /// Record every row's instrument and files in the 文书台账.
    pub record: bool,
    /// Today, for the ledger's records.
    pub today: Day,
}

/// A row ready to render.
#[derive(Debug, Clone)]
pub struct Job {
    /// Excel row number.
    pub row: u32,
    /// Values, with the 文号 given.
    pub data: Data,
    /// File stem (safe, unique).
    pub stem: String,
    /// Bookmark in the merged PDF.
    pub bookmark: String,
}

/// A batch ready to run: numbered, named, its folder held.
#[derive(Debug)]
pub struct Prepared {
    /// The rows to render.
    pub jobs: Vec<Job>,
    /// Files of the folder, of the formats written, that no row names: listed, never
    /// deleted (rows deleted from the sheet, or renamed). Sorted.
    pub strays: Vec<String>,
    /// Numbers of an earlier version's counter file that entered the ledger with this
    /// batch, and those of them the ledger had given to something else (kept as the
    /// ledger has them).
    pub taken_over: (usize, usize),
    /// Held (shared) until the batch is done; see [`hold_folder`].
    _folder: Option<std::fs::File>,
}

/// A value as text, for file names and messages.
pub fn text_of(v: Option<&Raw>) -> String {
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
        Some(Raw::Text(s)) => match super::parse_date(s) {
            DateParse::Ok(d) => Some(d.year),
            _ => None,
        },
        _ => None,
    }
}

/// A stable key of a row's content, so that a re-run gives it the same number.
fn row_key(row: u32, data: &Data) -> String {
    format!("{row}-{:016x}", content_hash(&row.to_string(), data))
}

/// A hash of `place` and the values of `data` (its 文号 left out), the same on every run.
fn content_hash(place: &str, data: &Data) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0x1f]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(place);
    for (k, v) in &data.entries {
        if k != "doc_number" {
            eat(k);
            eat(&text_of(Some(v)));
        }
    }
    h
}

/// Give one instrument's data a 文号 from the ledger when it has none (`jiandu render
/// --number`): the next number of `code` for the year of its 成文日期, the same sequence
/// batches use. The same data numbered again gets the same number. Returns the data with
/// its number (keys as the schema names them) and the number given, if any.
pub fn number_one(
    inst: &Instrument,
    data: &Data,
    code: &str,
    db: &Path,
    today: Day,
) -> Result<(Data, Option<String>)> {
    let mut data = super::apply_row(&inst.schema, &Data::new(), data);
    if !text_of(data.get("doc_number")).is_empty() {
        return Ok((data, None));
    }
    let year = issue_year(&data).ok_or_else(|| {
        Error::msg("没有成文日期（或日期写得不对），无法按年份编号：请填写“成文日期”")
    })?;
    let request = NumberRequest {
        code: code.to_string(),
        year,
        // Not a row of a table: the key is the content alone (hashed as row "0" was, so
        // keys already handed out still match).
        key: format!("单份-{:016x}", content_hash("0", &data)),
    };
    let a = Ledger::open(db)?.assign_numbers(&[request], None, None, today)?;
    let n = super::number("", code, year, a.serials[0]);
    data.set("doc_number", Raw::Text(n.clone()));
    Ok((data, Some(n)))
}

/// The path of a job's file of one kind.
pub fn target(opts: &Options, job: &Job, kind: OutKind) -> PathBuf {
    opts.output
        .join(format!("{}.{}", job.stem, kind.extension()))
}

/// Number and name the valid rows; take the output folder. `rows` is the number of rows
/// of the whole table (the width of `{序号}`).
pub fn prepare(
    inst: &Instrument,
    valid: Vec<Valid>,
    rows: usize,
    opts: &Options,
) -> Result<Prepared> {
    std::fs::create_dir_all(&opts.output).map_err(|e| Error::io(&opts.output, &e))?;
    let folder = hold_folder(&opts.output);
    let mut valid = valid;
    let need: Vec<usize> = valid
        .iter()
        .enumerate()
        .filter(|(_, v)| text_of(v.data.get("doc_number")).is_empty())
        .map(|(i, _)| i)
        .collect();
    let requests: Vec<NumberRequest> = need
        .iter()
        .map(|&i| NumberRequest {
            code: opts.code.clone(),
            year: issue_year(&valid[i].data).unwrap_or(0),
            key: row_key(valid[i].row, &valid[i].data),
        })
        .collect();
    let mut taken_over = (0, 0);
    if !requests.is_empty() {
        let old = numbering::read(&opts.output)?;
        let counter = old
            .as_ref()
            .map(|(source, entries)| ledger::Counter { source, entries });
        let a = Ledger::open(&opts.ledger)?
            .assign_numbers(&requests, opts.start, counter, opts.today)?;
        taken_over = (a.taken_over, a.conflicts);
        for ((&i, r), n) in need.iter().zip(&requests).zip(a.serials) {
            valid[i].data.set(
                "doc_number",
                Raw::Text(super::number("", &r.code, r.year, n)),
            );
        }
    }

    let width = rows.to_string().len().max(3);
    let mut unique = Unique::default();
    let jobs: Vec<Job> = valid
        .into_iter()
        .map(|v| {
            let (seq, row, data) = (v.ordinal, v.row, v.data);
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
            let stem = unique.name(&fill_pattern(&opts.name, lookup));
            let bookmark = format!("{seq} {}", text_of(data.get("name")));
            Job {
                row,
                data,
                stem,
                bookmark,
            }
        })
        .collect();
    let mut all_targets: Vec<PathBuf> = jobs
        .iter()
        .flat_map(|j| opts.formats.iter().map(move |&k| target(opts, j, k)))
        .collect();
    all_targets.extend(opts.merge.clone());
    let strays = strays(&opts.output, &all_targets, &opts.formats);
    Ok(Prepared {
        jobs,
        strays,
        taken_over,
        _folder: folder,
    })
}

/// A row rendered: its pages (when the merged PDF takes them), how many of its files were
/// there already, and its record for the 文书台账 (when asked for).
type RowDone = (Option<Encoded>, usize, Option<ledger::Issued>);

/// What a batch did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Rows rendered (written, or found whole from an earlier run).
    pub made: usize,
    /// Files already there with the same content, left as they were.
    pub skipped: usize,
    /// Every problem: those of the check and those met while writing, by row.
    pub failures: Vec<Failure>,
    /// The error report, when some row failed.
    pub report: Option<PathBuf>,
    /// What went into the 文书台账, when asked to record.
    pub recorded: Option<ledger::Recorded>,
}

impl Outcome {
    /// Rows with at least one problem.
    pub fn bad_rows(&self) -> usize {
        bad_rows(&self.failures)
    }
}

/// Render the prepared rows; `failures` are the check's, carried into the report.
/// `progress(done, total)` is called after each row, from any thread.
pub fn execute(
    inst: &Instrument,
    prepared: &Prepared,
    mut failures: Vec<Failure>,
    opts: &Options,
    fonts: &Fonts,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Outcome> {
    // A slice of rows at a time in parallel; the merged PDF takes each slice's pages in row
    // order as it finishes, so memory does not grow with the batch. A row's pages are laid
    // out and encoded once, for its own PDF and the merged one.
    let jobs = &prepared.jobs;
    let formats = &opts.formats;
    let merge_to = opts.merge.as_ref();
    let keep = merge_to.is_some();
    let merged_file = merge_to
        .map(|m| render::AtomicFile::create(m))
        .transpose()?;
    let mut merged = match (&merged_file, merge_to) {
        (Some(f), Some(m)) => Some(
            render::pdf::MergedPdf::new(
                std::io::BufWriter::with_capacity(1 << 20, f.file()),
                true,
                opts.duplex,
            )
            .map_err(|e| Error::io(m, &e))?,
        ),
        _ => None,
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = jobs.len();
    let record = opts.record;
    // Files are recorded by their full path, so that the ledger means the same from any
    // folder.
    let base = std::fs::canonicalize(&opts.output).unwrap_or_else(|_| opts.output.clone());
    let mut issued = Vec::new();
    let render_row = |j: &Job| -> Result<RowDone> {
        let doc = super::fill(inst, &j.data)?;
        let encoded = if keep || formats.contains(&OutKind::Pdf) {
            Some(render::pdf::encode(&doc, fonts)?)
        } else {
            None
        };
        let mut skipped = 0;
        let mut files = Vec::new();
        for &k in formats {
            let path = target(opts, j, k);
            let bytes = match k {
                OutKind::Pdf => {
                    let e = encoded
                        .as_ref()
                        .ok_or_else(|| Error::msg("内部错误：文书未排版"))?;
                    render::pdf::write_encoded(e, fonts)?
                }
                OutKind::Docx => render::write_docx(&doc)?,
            };
            if record {
                let name = path.file_name().map(PathBuf::from).unwrap_or_default();
                files.push(IssuedFile::of(&base.join(name).to_string_lossy(), &bytes));
            }
            if path.exists() && !opts.force {
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
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(n, total);
        // The 文书台账's record is made here, on the row's own thread, not in the loop
        // that takes the rows in order.
        let record = record.then(|| super::entry::issued(inst, &j.data, files));
        Ok((encoded.filter(|_| keep), skipped, record))
    };
    let mut out = Outcome::default();
    let slice = (rayon::current_num_threads() * 64).max(64);
    for part in jobs.chunks(slice) {
        let results: Vec<Result<RowDone>> = part.par_iter().map(render_row).collect();
        for (j, r) in part.iter().zip(results) {
            match r {
                Ok((e, s, record)) => {
                    out.skipped += s;
                    out.made += 1;
                    issued.extend(record);
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
    // (Moved whatever it holds, so that the file it writes to is free to be committed.)
    drop(merged.map(|m| m.finish(fonts)).transpose()?);
    if let Some(f) = merged_file {
        f.commit()?;
    }
    if record {
        out.recorded = Some(Ledger::open(&opts.ledger)?.record_issued(&issued, opts.today)?);
    }
    let report_path = opts.output.join(ERROR_REPORT);
    if failures.is_empty() {
        let _ = std::fs::remove_file(&report_path);
    } else {
        failures.sort_by_key(|f| f.row);
        write_report(&report_path, &failures)?;
        out.report = Some(report_path);
    }
    out.failures = failures;
    Ok(out)
}

/// The files of the output folder, of the formats written, that no row of this run names.
fn strays(dir: &Path, targets: &[PathBuf], formats: &[OutKind]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
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
                .any(|&k| ext.as_deref() == Some(k.extension()));
            ours && p.is_file() && !wanted.contains(p.as_path())
        })
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.starts_with(".jiandu-"))
        .collect();
    strays.sort();
    strays
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
pub fn write_report(path: &Path, failures: &[Failure]) -> Result<()> {
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
