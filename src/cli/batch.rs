//! `jiandu batch`: the arguments parsed, the library's batch ([`crate::instrument::batch`])
//! run with a progress bar, its warnings and summary printed.

use super::args::BatchArgs;
use super::{EXIT_ERROR, EXIT_OK, EXIT_PARTIAL};
use crate::error::{Error, Result};
use crate::instrument::batch::{self, can_draw, Options};
use crate::instrument::{self, rows, Data, Raw};
use crate::model::progress::Day;
use crate::render::{Fonts, OutKind};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Parse `key=value` options.
pub(super) fn pairs(list: &[String], option: &str) -> Result<Vec<(String, String)>> {
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
    let formats = OutKind::parse_list(
        a.format
            .split([',', '，'])
            .map(str::trim)
            .filter(|f| !f.is_empty()),
    )
    .map_err(|f| {
        Error::msg(format!(
            "--format 只能是 pdf、docx 或 pdf,docx，收到的是“{f}”"
        ))
    })?;
    if let Some(m) = &a.merge {
        if OutKind::of_path(m)? != OutKind::Pdf {
            return Err(Error::file(m, "--merge 的文件应为 .pdf"));
        }
    }
    let list = instrument::load(a.templates.as_deref())?;
    let inst = instrument::find_in(&list, &a.id)?;
    let fonts = Fonts::load(&super::font_config(a.font_dir.clone()))?;
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
    let opts = Options {
        output: a.output.clone(),
        formats,
        name: a.name.clone(),
        merge: a.merge.clone(),
        duplex: a.duplex,
        force: a.force,
        start: a.start,
        code,
        ledger: a
            .db
            .clone()
            .unwrap_or_else(|| PathBuf::from(super::ledger_cmd::DEFAULT_DB)),
        record: a.ledger,
        today: Day::today(),
    };
    let checked = batch::check(inst, &shared, &table, &can_draw(&fonts));
    print_warnings(&checked.warnings);
    let prepared = batch::prepare(inst, checked.valid, checked.rows, &opts)?;
    report_strays(&prepared.strays);
    report_taken_over(prepared.taken_over, &opts);
    let progress = Progress::new(prepared.jobs.len());
    let outcome = batch::execute(inst, &prepared, checked.failures, &opts, &fonts, &|_, _| {
        progress.tick()
    })?;
    progress.finish();
    drop(prepared);

    let (made, skipped) = (outcome.made, outcome.skipped);
    let bad_rows = outcome.bad_rows();
    let report_path = a.output.join(batch::ERROR_REPORT);
    let files_per_row = opts.formats.len().max(1);
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
    if let Some(r) = outcome.recorded {
        eprintln!(
            "已记入文书台账 {}：新增 {} 份文书、{} 个文件",
            opts.ledger.display(),
            r.instruments,
            r.files
        );
    }
    Ok(match (bad_rows, made) {
        (0, _) => EXIT_OK,
        (_, 0) => EXIT_ERROR,
        _ => EXIT_PARTIAL,
    })
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

/// Report the files of the output folder that no row of this run names: listed, never
/// deleted.
fn report_strays(strays: &[String]) {
    if strays.is_empty() {
        return;
    }
    let n = strays.len();
    let shown: Vec<&str> = strays.iter().take(10).map(String::as_str).collect();
    eprintln!(
        "提示：输出文件夹中有 {n} 个文件不对应表格中现有的任何一行（可能是删去或改过的行留下的），没有删除：{}{}",
        shown.join("、"),
        if n > 10 { " 等" } else { "" }
    );
}

/// Say that the numbers of an earlier version's counter file entered the ledger.
fn report_taken_over((taken, conflicts): (usize, usize), opts: &Options) {
    if taken > 0 {
        eprintln!(
            "提示：输出文件夹中旧版的文号计数（{}）已并入台账 {}：{taken} 个文号，此后编号接着台账的号序",
            crate::instrument::numbering::COUNTER_FILE,
            opts.ledger.display()
        );
    }
    if conflicts > 0 {
        eprintln!(
            "提示：旧版文号计数中有 {conflicts} 个文号在台账中已给了别的文书，以台账为准，请核对这些文号是否重复使用"
        );
    }
}
