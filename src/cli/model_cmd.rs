//! The commands of the model stage: `schema`, `model train|eval`, `draft`, `progress`, and
//! the `--merge` / `--four-lists` options of `extract` and `checklist`.

use super::EXIT_OK;
use crate::error::{Error, Result};
use crate::model::{classifier, item, labels};
use crate::render;
use clap::{Args, Subcommand};
use std::path::PathBuf;

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
    /// 交叉验证分类器：各类别精确率、召回率、F1，macro-F1 和混淆矩阵
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
        None => print!("{text}"),
    }
    Ok(EXIT_OK)
}

/// `jiandu model …`.
pub fn model(a: ModelArgs) -> Result<i32> {
    match a.command {
        ModelCommand::Train(t) => train(t),
        ModelCommand::Eval(e) => eval(e),
    }
}

fn load_labels(dir: &std::path::Path) -> Result<Vec<classifier::Example>> {
    if !dir.is_dir() {
        return Err(Error::file(
            dir,
            "标注文件夹不存在（请在 jiandu 源代码文件夹中运行，或用 --labels 指定）",
        ));
    }
    labels::load(dir)
}

fn train(a: TrainArgs) -> Result<i32> {
    let examples = load_labels(&a.labels)?;
    let counts = classifier::train(&examples, classifier::ALPHA);
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

fn eval(a: EvalArgs) -> Result<i32> {
    if a.folds < 2 {
        return Err(Error::msg("--folds 至少为 2"));
    }
    let examples = load_labels(&a.labels)?;
    if examples.len() < a.folds {
        return Err(Error::file(
            &a.labels,
            format!("标注只有 {} 条，少于折数 {}", examples.len(), a.folds),
        ));
    }
    let ev = classifier::cross_validate(&examples, a.folds, a.seed, classifier::ALPHA);
    print!("{}", ev.report(a.folds, a.seed));
    Ok(EXIT_OK)
}
