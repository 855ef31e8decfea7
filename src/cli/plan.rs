//! The commands that read plans: extract, checklist, segment, demo.

use super::args::{ChecklistArgs, DemoArgs, ExtractArgs, Format, PlanInput, SegmentArgs};
use super::{EXIT_ERROR, EXIT_OK, EXIT_PARTIAL};
use crate::error::{Error, Result};
use crate::extract::{self, Extracted, Vocabulary};
use crate::intake;
use crate::model::{self, checklist, taxonomy};
use crate::render::{self, table};
use crate::text::fit;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The sample plan bundled for `jiandu demo`.
const DEMO_PLAN: &str = include_str!("../../corpora/plans/001_7a548ebd6d4d31cb.txt");
const DEMO_PLAN_NAME: &str = "示例-派驻纪检监察组2022年工作要点.txt";

/// Process every input; report the bad ones and go on with the rest. Returns the good
/// results and the exit code so far.
fn process_all(v: &Vocabulary, input: &PlanInput) -> (Vec<Extracted>, i32) {
    let mut good = Vec::new();
    let mut failed = 0;
    let limits = input.limits.limits();
    for f in &input.files {
        match model::read_plan(v, f, input.year, &limits) {
            Ok(ex) => {
                if ex.items.is_empty() {
                    eprintln!(
                        "提示：{} 中没有找到编号的工作事项（如“一、”“（一）”“1．”），请检查文件内容",
                        f.display()
                    );
                }
                good.push(ex)
            }
            Err(e) => {
                eprintln!("错误：{e}");
                failed += 1;
            }
        }
    }
    let code = match (failed, good.len()) {
        (0, _) => EXIT_OK,
        (_, 0) => EXIT_ERROR,
        _ => EXIT_PARTIAL,
    };
    if failed > 0 && !good.is_empty() {
        eprintln!(
            "共 {} 个文件：{} 个已处理，{} 个出错（见上）",
            input.files.len(),
            good.len(),
            failed
        );
    }
    (good, code)
}

/// `jiandu extract`.
pub fn extract(a: ExtractArgs, v: &Vocabulary) -> Result<i32> {
    let (docs, code) = process_all(v, &a.input);
    if docs.is_empty() {
        return Ok(code);
    }
    if let Some(t) = a.merge.threshold() {
        let table = a.format == Format::Table;
        return super::model_cmd::extract_merged(v, &docs, t, table, a.output.as_deref(), code);
    }
    if a.format == Format::Json {
        // Streamed: a large batch of plans gives tens of MB of JSON, never held whole.
        match &a.output {
            Some(p) => {
                let file = render::AtomicFile::create(p)?;
                let mut w = std::io::BufWriter::with_capacity(1 << 16, file.file());
                crate::extract::json::write_documents_json(&docs, &mut w)
                    .and_then(|()| w.flush().map_err(|e| Error::io(p, &e)))
                    .map_err(|e| e.with_path(p))?;
                drop(w);
                file.commit()?;
                eprintln!("已写入 {}", p.display());
            }
            None => {
                let mut out = Stdout::default();
                let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut out);
                let written = crate::extract::json::write_documents_json(&docs, &mut w)
                    .and_then(|()| w.flush().map_err(|e| Error::msg(format!("写入失败：{e}"))));
                drop(w);
                if written.is_err() {
                    out.check()?;
                }
            }
        }
        return Ok(code);
    }
    let text = table_text(&docs);
    match &a.output {
        Some(p) => {
            render::write_atomic(p, text.as_bytes())?;
            eprintln!("已写入 {}", p.display());
        }
        None => print_stdout(&text)?,
    }
    Ok(code)
}

/// Standard output that remembers why a write failed: a closed pipe (`| head`) is not an
/// error, anything else (a full disk under `> 结果.json`) is.
#[derive(Default)]
struct Stdout {
    failed: Option<std::io::Error>,
}

impl Stdout {
    /// The error of the first failed write, unless it was a closed pipe.
    fn check(self) -> Result<()> {
        match self
            .failed
            .and_then(|e| super::stdout_error(&e, "；可用 -o 指定输出文件"))
        {
            Some(why) => Err(Error::msg(why)),
            None => Ok(()),
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stdout().lock().write(buf).inspect_err(|e| {
            self.failed
                .get_or_insert(std::io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().lock().flush().inspect_err(|e| {
            self.failed
                .get_or_insert(std::io::Error::new(e.kind(), e.to_string()));
        })
    }
}

/// Write to standard output; a closed pipe (`| head`) is not an error, a full disk is.
pub(super) fn print_stdout(text: &str) -> Result<()> {
    let mut out = Stdout::default();
    if out
        .write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        out.check()?;
    }
    Ok(())
}

/// The aligned table of `extract --format table`.
pub fn table_text(docs: &[Extracted]) -> String {
    let cols: [(&str, usize); 6] = [
        ("编号", 10),
        ("层级", 4),
        ("工作任务", 44),
        ("责任主体", 24),
        ("完成时限", 22),
        ("类别", 12),
    ];
    let mut s = String::new();
    for doc in docs {
        s.push_str(&format!(
            "【{}】{}",
            extract::file_name(&doc.source),
            doc.title
        ));
        if let Some(y) = doc.year {
            s.push_str(&format!("（{y}年）"));
        }
        s.push('\n');
        let header: Vec<String> = cols.iter().map(|(h, w)| fit(h, *w)).collect();
        s.push_str(header.join(" ").trim_end());
        s.push('\n');
        let rule: Vec<String> = cols.iter().map(|(_, w)| "─".repeat(*w)).collect();
        s.push_str(&rule.join(" "));
        s.push('\n');
        for t in &doc.items {
            let path = t.id.split_once('-').map_or(t.id.as_str(), |(_, p)| p);
            let indent = "  ".repeat(usize::from(t.level.saturating_sub(1)));
            let cells = [
                path.to_string(),
                t.level.to_string(),
                format!("{indent}{}{}", t.marker, t.title),
                t.responsible.join("、"),
                checklist::deadline_cell(t).replace('\n', "；"),
                if t.category.is_empty() {
                    "待定".to_string()
                } else {
                    taxonomy::name_of(&t.category).to_string()
                },
            ];
            let line: Vec<String> = cells
                .iter()
                .zip(cols.iter())
                .map(|(c, (_, w))| fit(c, *w))
                .collect();
            s.push_str(line.join(" ").trim_end());
            s.push('\n');
        }
        s.push_str(&format!("共 {} 项\n\n", doc.items.len()));
    }
    s
}

/// The output kind of a checklist file, from its extension.
fn checklist_bytes(path: &Path, book: &table::Workbook) -> Result<Vec<u8>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    table::encode(ext.as_deref().unwrap_or(""), book).unwrap_or_else(|| {
        Err(Error::file(
            path,
            "输出文件的扩展名应为 .xlsx、.docx 或 .csv",
        ))
    })
}

/// `jiandu checklist`.
pub fn checklist(a: ChecklistArgs, v: &Vocabulary) -> Result<i32> {
    // Refuse a bad output name before reading anything.
    checklist_bytes(&a.output, &table::Workbook::default()).map(|_| ())?;
    let (docs, code) = process_all(v, &a.input);
    if docs.is_empty() {
        return Ok(code);
    }
    let (book, n) = if a.merge.threshold().is_some() || a.four_lists {
        super::model_cmd::checklist_workbook(v, &docs, &a.merge, a.four_lists)
    } else {
        (
            checklist::workbook_with(v, &docs, a.all_columns),
            checklist::task_count(&docs),
        )
    };
    let bytes = checklist_bytes(&a.output, &book)?;
    render::write_atomic(&a.output, &bytes)?;
    eprintln!("已写入 {}（{} 项任务）", a.output.display(), n);
    Ok(code)
}

/// `jiandu segment`.
pub fn segment(a: SegmentArgs, v: &Vocabulary) -> Result<i32> {
    let doc = intake::read_with(&a.file, &a.limits.limits())?;
    let mut out = String::new();
    for b in &doc.blocks {
        let line: Vec<String> = if a.tags {
            v.tagged(&b.text)
                .into_iter()
                .map(|(w, t)| format!("{w}/{t}"))
                .collect()
        } else {
            v.tokens(&b.text)
                .into_iter()
                .map(|t| t.word.to_string())
                .collect()
        };
        out.push_str(&line.join(" "));
        out.push('\n');
    }
    print_stdout(&out)?;
    Ok(EXIT_OK)
}

/// `jiandu demo`.
pub fn demo(a: DemoArgs, v: &Vocabulary) -> Result<i32> {
    let dir = &a.output;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    let mut written: Vec<PathBuf> = Vec::new();
    // The bundled sample plan, written out so the user can open the input too.
    let plan_path = dir.join(DEMO_PLAN_NAME);
    render::write_atomic(&plan_path, DEMO_PLAN.as_bytes())?;
    written.push(plan_path.clone());
    let ex = model::read_plan(v, &plan_path, None, &intake::Limits::default())?;
    let book = checklist::workbook(v, std::slice::from_ref(&ex));
    for ext in ["xlsx", "docx"] {
        let p = dir.join(format!("任务清单.{ext}"));
        render::write_atomic(&p, &checklist_bytes(&p, &book)?)?;
        written.push(p);
    }
    let json = dir.join("任务提取.json");
    render::write_atomic(
        &json,
        &crate::extract::json::documents_json(std::slice::from_ref(&ex))?,
    )?;
    written.push(json);
    // Every instrument from its bundled sample data, as DOCX and PDF.
    let fonts = crate::render::Fonts::load(&super::font_config(None))?;
    for (id, sample) in crate::instrument::SAMPLES {
        let inst = crate::instrument::find(id)?;
        let data = crate::instrument::Data::from_toml(sample)?;
        let outs: Vec<PathBuf> = ["docx", "pdf"]
            .iter()
            .map(|ext| dir.join(format!("示例-{}.{ext}", inst.name())))
            .collect();
        super::instrument_cmd::render_one(&inst, &data, &outs, &fonts)?;
        written.extend(outs);
    }
    // The recommendation's problems in a fresh 整改台账, exported as offices keep it.
    {
        use crate::model::ledger::Ledger;
        use crate::model::progress::Day;
        let sample = crate::instrument::SAMPLES
            .iter()
            .find(|(id, _)| *id == "recommendation")
            .map(|(_, s)| *s)
            .ok_or_else(|| Error::msg("内部错误：缺少建议书示例数据"))?;
        let data_path = dir.join("示例-建议书数据.toml");
        render::write_atomic(&data_path, sample.as_bytes())?;
        let db = dir.join("示例-整改台账.db");
        for p in [
            db.clone(),
            db.with_extension("db-wal"),
            db.with_extension("db-shm"),
        ] {
            let _ = std::fs::remove_file(p);
        }
        let rec = super::ledger_cmd::recommendation_of(&data_path, None)?;
        let today = Day::today();
        let mut ledger = Ledger::open(&db)?;
        ledger.add(&rec, today)?;
        let rows = ledger.list(today, false)?;
        drop(ledger);
        let xlsx = dir.join("示例-整改台账.xlsx");
        let book = crate::render::table::Workbook {
            sheets: vec![crate::model::ledger::sheet(&rows, today)],
        };
        render::write_atomic(&xlsx, &crate::render::table::to_xlsx(&book)?)?;
        written.extend([data_path, db, xlsx]);
    }
    outln!("示例工作要点共提取 {} 项任务，已生成：", ex.items.len());
    for p in &written {
        outln!("  {}", p.display());
    }
    Ok(EXIT_OK)
}
