//! The commands of the model stage: `schema`, `model train|eval`, `draft`, `progress`, and
//! the `--merge` / `--four-lists` options of `extract` and `checklist`.

use super::EXIT_OK;
use crate::error::{Error, Result};
use crate::extract::{self, Extracted, Vocabulary};
use crate::model::{checklist, classifier, item, labels, lists, merge, progress, report, score};
use crate::render::{self, table, table::Workbook};
use crate::{intake, outline};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Fixed seed of the cross-validation shuffle.
pub const CV_SEED: u64 = 2022;

/// `jiandu model`.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// 子命令
    #[command(subcommand)]
    pub command: ModelCommand,
}

/// The subcommands of `jiandu model`.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// 用 corpora/labels/ 中的标注训练类别分类器，写出模型文件
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Train(TrainArgs),
    /// 交叉验证分类器；加 --corpus 时按人工标注评测提取结果（提纲、责任单位、时限、类别）
    #[command(help_template = super::args::HELP_TEMPLATE, next_help_heading = "选项")]
    Eval(EvalArgs),
}

/// `jiandu model train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// 标注文件夹（.tsv 文件）
    #[arg(long, value_name = "文件夹", default_value = "corpora/labels")]
    pub labels: PathBuf,
    /// 输出的模型文件
    #[arg(
        short = 'o',
        long = "output",
        value_name = "模型文件",
        default_value = "corpora/model/classifier.json"
    )]
    pub output: PathBuf,
    /// 另用评测语料（含 docs/ 和 gold/）中的类别标注训练，其计数写入 --corpus-counts 文件（原文不写入）
    #[arg(long, value_name = "文件夹")]
    pub corpus: Option<PathBuf>,
    /// 语料计数文件：有 --corpus 时写入，否则读取（不存在则只用 --labels）
    #[arg(
        long = "corpus-counts",
        value_name = "计数文件",
        default_value = "corpora/model/corpus-counts.json"
    )]
    pub corpus_counts: PathBuf,
}

/// `jiandu model eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// 标注文件夹（.tsv 文件）
    #[arg(long, value_name = "文件夹", default_value = "corpora/labels")]
    pub labels: PathBuf,
    /// 交叉验证折数
    #[arg(long, value_name = "折数", default_value_t = 5)]
    pub folds: usize,
    /// 随机种子（打乱顺序用，固定则结果可重复）
    #[arg(long, value_name = "种子", default_value_t = CV_SEED)]
    pub seed: u64,
    /// 同时列出判错之处（交叉验证中判错的标注；加 --corpus 时为提取结果与标注的每处不同）
    #[arg(long)]
    pub errors: bool,
    /// 评测语料文件夹（含 docs/ 原文和 gold/ 标注）：按标注评测提取结果，类别用留一文档法
    #[arg(long, value_name = "文件夹")]
    pub corpus: Option<PathBuf>,
    /// 类别置信度的校准温度（默认为内置值；用于选择待定阈值）
    #[arg(long, value_name = "温度")]
    pub temperature: Option<f64>,
}

/// `jiandu schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// 写入文件而不是显示在屏幕上
    #[arg(short = 'o', long = "output", value_name = "输出文件")]
    pub output: Option<PathBuf>,
}

/// `jiandu schema`: the JSON Schema of the supervision item.
pub fn schema(a: SchemaArgs) -> Result<i32> {
    let mut text = serde_json::to_string_pretty(&item::json_schema())
        .map_err(|e| Error::msg(format!("生成 JSON Schema 失败：{e}")))?;
    text.push('\n');
    match &a.output {
        Some(p) => {
            render::write_atomic(p, text.as_bytes())?;
            eprintln!("已写入 {}", p.display());
        }
        None => super::plan::print_stdout(&text)?,
    }
    Ok(EXIT_OK)
}

/// `jiandu model …`.
pub fn model(a: ModelArgs, v: &Vocabulary) -> Result<i32> {
    match a.command {
        ModelCommand::Train(t) => train(t, v),
        ModelCommand::Eval(e) => eval(e, v),
    }
}

fn load_labels(v: &Vocabulary, dir: &std::path::Path) -> Result<Vec<classifier::Example>> {
    if !dir.is_dir() {
        return Err(Error::file(
            dir,
            "标注文件夹不存在（请在 jiandu 源代码文件夹中运行，或用 --labels 指定）",
        ));
    }
    labels::load(v, dir)
}

fn train(a: TrainArgs, v: &Vocabulary) -> Result<i32> {
    let examples = load_labels(v, &a.labels)?;
    let mut counts = classifier::train(v, &examples, classifier::ALPHA);
    let corpus = match &a.corpus {
        Some(dir) => {
            let ex = score::corpus_examples(v, dir, &intake::Limits::default())?;
            let c = classifier::train(v, &ex, classifier::ALPHA);
            render::write_atomic(&a.corpus_counts, c.to_json().as_bytes())?;
            eprintln!(
                "已用评测语料中的 {} 条类别标注计数，写入 {}",
                ex.len(),
                a.corpus_counts.display()
            );
            Some(c)
        }
        None if a.corpus_counts.is_file() => {
            let text = std::fs::read_to_string(&a.corpus_counts)
                .map_err(|e| Error::io(&a.corpus_counts, &e))?;
            Some(classifier::Counts::from_json(&text).map_err(|e| e.with_path(&a.corpus_counts))?)
        }
        None => None,
    };
    if let Some(c) = &corpus {
        counts.add(c)?;
    }
    render::write_atomic(&a.output, counts.to_json().as_bytes())?;
    eprintln!(
        "已用 {} 条标注训练分类器（{} 个类别，{} 个特征），写入 {}",
        examples.len(),
        counts.classes.len(),
        counts.features.len(),
        a.output.display()
    );
    eprintln!("提示：重新编译后，新模型才会内置到 jiandu 中");
    Ok(EXIT_OK)
}

fn eval(a: EvalArgs, v: &Vocabulary) -> Result<i32> {
    if let Some(dir) = &a.corpus {
        return eval_corpus(v, dir, &a);
    }
    if a.folds < 2 {
        return Err(Error::msg("--folds 至少为 2"));
    }
    let examples = load_labels(v, &a.labels)?;
    if examples.len() < a.folds {
        return Err(Error::file(
            &a.labels,
            format!("标注只有 {} 条，少于折数 {}", examples.len(), a.folds),
        ));
    }
    let ev = classifier::cross_validate(v, &examples, a.folds, a.seed, classifier::ALPHA);
    let mut text = ev.report(a.folds, a.seed);
    if a.errors {
        text.push_str(&format!("\n{}", ev.mistakes_text()));
    }
    super::plan::print_stdout(&text)?;
    Ok(EXIT_OK)
}

/// `jiandu model eval --corpus DIR`: the extraction scored against hand-made gold.
fn eval_corpus(v: &Vocabulary, dir: &Path, a: &EvalArgs) -> Result<i32> {
    let examples = load_labels(v, &a.labels)?;
    use crate::model::taxonomy;
    let temperature = a.temperature.unwrap_or(taxonomy::TEMPERATURE);
    let categorize = |ex: &Extracted, m: &classifier::Model| -> Vec<(String, f64)> {
        taxonomy::choices_with(v, ex, m, temperature)
            .into_iter()
            .map(|c| (c.category, c.confidence))
            .collect()
    };
    let score = score::score_corpus(
        v,
        dir,
        &examples,
        &intake::Limits::default(),
        &categorize,
        taxonomy::PENDING_BELOW,
    )?;
    super::plan::print_stdout(&score::report(&score))?;
    outln!(
        "\n类别置信度（温度 {temperature}）与待定阈值：\n{}",
        score::threshold_table(
            &score.categories,
            &[0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8]
        )
    );
    if a.errors {
        outln!();
        for m in &score.misses {
            outln!("{}\t{}", m.doc, m.what);
        }
    }
    Ok(EXIT_OK)
}

/// The merging options of `extract` and `checklist`.
#[derive(Debug, Args)]
pub struct MergeOpts {
    /// 合并不同文件中含义相同的事项（合并后的事项保留全部来源）
    #[arg(long)]
    pub merge: bool,
    /// 合并的相似度阈值，0～1，越大越严格（给出此项即表示合并）
    #[arg(long, value_name = "阈值", value_parser = threshold)]
    pub merge_threshold: Option<f64>,
}

impl MergeOpts {
    /// The threshold when merging was asked for.
    pub fn threshold(&self) -> Option<f64> {
        match (self.merge, self.merge_threshold) {
            (_, Some(t)) => Some(t),
            (true, None) => Some(merge::DEFAULT_THRESHOLD),
            (false, None) => None,
        }
    }
}

fn threshold(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if (0.0..=1.0).contains(&t) => Ok(t),
        _ => Err(format!("阈值应为 0 到 1 之间的小数，如 0.25，而不是“{s}”")),
    }
}

/// `extract --merge`: merged items as JSON (`{"sources": [...], "items": [...]}`) or as a
/// table of clusters.
pub fn extract_merged(
    v: &Vocabulary,
    docs: &[Extracted],
    threshold: f64,
    table: bool,
    output: Option<&Path>,
    code: i32,
) -> Result<i32> {
    let clusters = merge::merge(v, docs, threshold);
    let text = if table {
        clusters_table(docs, &clusters)
    } else {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            sources: Vec<&'a str>,
            threshold: f64,
            items: Vec<&'a item::SupervisionItem>,
        }
        let out = Out {
            sources: docs.iter().map(|d| d.source.as_str()).collect(),
            threshold,
            items: clusters.iter().map(|c| &c.item).collect(),
        };
        let mut s = serde_json::to_string_pretty(&out)
            .map_err(|e| Error::msg(format!("生成 JSON 失败：{e}")))?;
        s.push('\n');
        s
    };
    match output {
        Some(p) => {
            render::write_atomic(p, text.as_bytes())?;
            eprintln!("已写入 {}", p.display());
        }
        None => super::plan::print_stdout(&text)?,
    }
    Ok(code)
}

/// The table of merged items: one block per item, every source on its own line with the
/// title it has there.
pub fn clusters_table(docs: &[Extracted], clusters: &[merge::Cluster]) -> String {
    let titles = checklist::titles_by_id(docs);
    let total: usize = docs.iter().map(|d| d.items.len()).sum();
    let merged = clusters.iter().filter(|c| c.members.len() > 1).count();
    let mut s = format!(
        "{} 个文件共 {total} 项，合并后 {} 项（其中 {merged} 项由多个文件合并）\n",
        docs.len(),
        clusters.len()
    );
    let cols: [(&str, usize); 4] = [("序号", 5), ("类别", 12), ("工作任务", 44), ("来源", 40)];
    let header: Vec<String> = cols.iter().map(|(h, w)| super::fit(h, *w)).collect();
    s.push_str(header.join(" ").trim_end());
    s.push('\n');
    let rule: Vec<String> = cols.iter().map(|(_, w)| "─".repeat(*w)).collect();
    s.push_str(&rule.join(" "));
    s.push('\n');
    for (k, c) in clusters.iter().enumerate() {
        for (j, src) in c.item.sources.iter().enumerate() {
            let title = titles.get(&src.task).cloned().unwrap_or_default();
            let cells = if j == 0 {
                [
                    (k + 1).to_string(),
                    c.item.category_name.clone(),
                    title,
                    format!("{} {}", extract::file_name(&src.file), src.task),
                ]
            } else {
                [
                    String::new(),
                    String::new(),
                    format!("  ├ {title}"),
                    format!("{} {}", extract::file_name(&src.file), src.task),
                ]
            };
            let line: Vec<String> = cells
                .iter()
                .zip(cols.iter())
                .map(|(c, (_, w))| super::fit(c, *w))
                .collect();
            s.push_str(line.join(" ").trim_end());
            s.push('\n');
        }
    }
    s
}

/// `checklist --merge` and `checklist --four-lists`: the checklist of (merged) items, or the
/// four lists.
pub fn checklist_workbook(
    v: &Vocabulary,
    docs: &[Extracted],
    merge_opts: &MergeOpts,
    four_lists: bool,
) -> (Workbook, usize) {
    let items: Vec<item::SupervisionItem> = match merge_opts.threshold() {
        Some(t) => merge::merge(v, docs, t)
            .into_iter()
            .map(|c| c.item)
            .collect(),
        None => item::items(v, docs),
    };
    let n = items.len();
    if four_lists {
        let book = lists::workbook(&items, docs);
        if book.sheets.get(2).is_some_and(|s| s.rows.is_empty()) {
            eprintln!("提示：所给文件中没有“存在的主要问题”一类的部分，问题清单为空");
        }
        (book, n)
    } else {
        let title = match docs {
            [one] => format!("{}任务清单", one.title.trim_end_matches("任务清单")),
            _ => "任务清单（合并）".to_string(),
        };
        (checklist::item_workbook(&items, docs, &title), n)
    }
}

/// `jiandu draft`.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// 要起草的文书，目前支持 recommendation（纪检监察建议书）
    #[arg(value_name = "文书")]
    pub instrument: String,
    /// 作为依据的调研或检查报告（须有“存在的主要问题”和“意见建议”两部分）
    #[arg(long = "from", value_name = "报告文件", required = true)]
    pub from: PathBuf,
    #[command(flatten)]
    pub limits: super::args::LimitArgs,
    /// 输出的数据文件（.toml）
    #[arg(short = 'o', long = "output", value_name = "数据文件", required = true)]
    pub output: PathBuf,
    /// 主送单位，如“中共XX县农业农村局党组”
    #[arg(long, value_name = "单位")]
    pub recipient: Option<String>,
    /// 发文机关，如“中共XX县纪委监委”
    #[arg(long, value_name = "机关")]
    pub issuer: Option<String>,
}

/// `jiandu draft recommendation --from REPORT -o data.toml`.
pub fn draft(a: DraftArgs, v: &Vocabulary) -> Result<i32> {
    let inst = crate::instrument::find(&a.instrument)?;
    if inst.id() != "recommendation" {
        return Err(Error::msg(format!(
            "目前只能从报告起草纪检监察建议书（recommendation），不能起草{}（{}）",
            inst.name(),
            inst.id()
        )));
    }
    if a.output
        .extension()
        .and_then(|e| e.to_str())
        .is_none_or(|e| !e.eq_ignore_ascii_case("toml"))
    {
        return Err(Error::file(&a.output, "数据文件的扩展名应为 .toml"));
    }
    let doc = intake::read_with(&a.from, &a.limits.limits())?;
    let tree = outline::parse(&doc.blocks);
    let preamble: Vec<&str> = tree
        .preamble
        .iter()
        .filter_map(|&b| doc.blocks.get(b).map(|b| b.text.as_str()))
        .collect();
    let ex = crate::model::plan_of(v, &doc, None);
    let opts = report::DraftOptions {
        recipient: a.recipient.clone(),
        issuer: a.issuer.clone(),
        date: progress::Day::today().iso(),
    };
    let paragraphs: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    let draft =
        report::draft_recommendation(&a.from, &ex, &paragraphs, &preamble.join("\n"), &opts)?;
    render::write_atomic(&a.output, draft.text.as_bytes())?;
    let parts = &draft.parts;
    eprintln!(
        "已写入 {}：{} 个问题、{} 条建议。请核对标有【请核对】【请填写】的内容后再生成建议书",
        a.output.display(),
        parts.problems.len(),
        parts.suggestions.len()
    );
    Ok(EXIT_OK)
}

/// `jiandu progress`.
#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// 已填写“状态”“进展情况”的任务清单（.xlsx）
    #[arg(value_name = "任务清单")]
    pub checklist: PathBuf,
    #[command(flatten)]
    pub limits: super::args::LimitArgs,
    /// 统计截至日期，如 2022-06-30（默认今天）
    #[arg(long = "as-of", value_name = "日期")]
    pub as_of: Option<String>,
    /// 输出的季报，格式由扩展名决定：.xlsx 或 .docx
    #[arg(short = 'o', long = "output", value_name = "输出文件", required = true)]
    pub output: PathBuf,
    /// 同时统计整改台账（jiandu ledger 的数据库文件）：建议书问题的整改状态和逾期问题
    #[arg(long, value_name = "台账文件")]
    pub db: Option<PathBuf>,
}

/// `jiandu progress CHECKLIST.xlsx [--as-of DATE] -o 季报.xlsx|.docx`.
pub fn progress_cmd(a: ProgressArgs, v: &Vocabulary) -> Result<i32> {
    let ext = a
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("xlsx" | "docx")) {
        return Err(Error::file(&a.output, "季报的扩展名应为 .xlsx 或 .docx"));
    }
    let as_of = match &a.as_of {
        Some(s) => progress::Day::parse(s).ok_or_else(|| {
            Error::msg(format!(
                "--as-of 的日期“{s}”无法识别，应写作 2022-06-30、2022/6/30 或 2022年6月30日"
            ))
        })?,
        None => progress::Day::today(),
    };
    let (rows, warnings) = progress::read_checklist(v, &a.checklist, &a.limits.limits())?;
    for w in &warnings {
        eprintln!("提示：{w}");
    }
    if rows.is_empty() {
        return Err(Error::file(&a.checklist, "任务清单中没有任务行"));
    }
    let mut summary = progress::summarize(&rows, as_of);
    if let Some(db) = &a.db {
        if !db.exists() {
            return Err(Error::file(db, "找不到这个台账文件"));
        }
        let ledger = crate::model::ledger::Ledger::open(db)?.list(as_of, false)?;
        if ledger.is_empty() {
            eprintln!("提示：{} 中还没有整改台账的记录", db.display());
        }
        summary = summary.with_ledger(ledger);
    }
    let bytes = if ext.as_deref() == Some("docx") {
        render::write_docx(&summary.document())?
    } else {
        table::to_xlsx(&summary.workbook())?
    };
    render::write_atomic(&a.output, &bytes)?;
    eprintln!(
        "已写入 {}（截至{}：{} 项任务，逾期 {} 项，下季度到期 {} 项）",
        a.output.display(),
        as_of.chinese(),
        rows.len(),
        summary.overdue.len(),
        summary.next_quarter.len()
    );
    Ok(EXIT_OK)
}
