//! Command-line arguments, with help and errors in Chinese.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub(super) const HELP_TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n{all-args}{after-help}";

/// jiandu（监督）：把工作要点变成任务清单，批量生成纪检监察文书。
#[derive(Debug, Parser)]
#[command(
    name = "jiandu",
    version,
    about = "jiandu（监督）：把工作要点变成任务清单，批量生成纪检监察文书",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    next_help_heading = "选项",
    after_help = "\n查看某个命令的说明：jiandu 命令 --help，例如 jiandu checklist --help"
)]
pub struct Cli {
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// 显示版本号
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
    /// 要执行的命令
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 从工作要点中提取每一项任务（措施、责任主体、时限等），输出 JSON 或表格
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Extract(ExtractArgs),
    /// 把一个或多个工作要点做成任务清单（.xlsx、.docx 或 .csv）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Checklist(ChecklistArgs),
    /// 显示分词结果，便于维护领域词典
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Segment(SegmentArgs),
    /// 用自带的示例材料演示主要功能
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Demo(DemoArgs),
    // -- model stage (src/cli/model_cmd.rs) --
    /// 显示监督事项（SupervisionItem）的 JSON Schema
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Schema(super::model_cmd::SchemaArgs),
    /// 训练或评估类别分类器
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Model(super::model_cmd::ModelArgs),
    /// 从调研报告起草文书数据（目前为纪检监察建议书）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Draft(super::model_cmd::DraftArgs),
    /// 读取已填写的任务清单，生成季度进展汇总（.xlsx 或 .docx）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Progress(super::model_cmd::ProgressArgs),
}

/// Output format of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON（供其他程序使用）
    Json,
    /// 对齐的表格（在终端中查看）
    Table,
}

/// Options shared by the commands that read plans.
#[derive(Debug, Args)]
pub struct PlanInput {
    /// 工作要点文件（.txt .docx .doc .wps .pdf .xlsx .xls .ods），可以有多个
    #[arg(value_name = "文件", required = true)]
    pub files: Vec<PathBuf>,
    /// 计划年度（默认从文件开头几行中识别，例如“2022年”）
    #[arg(long, value_name = "年份")]
    pub year: Option<i32>,
}

/// `jiandu extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: PlanInput,
    /// 输出格式
    #[arg(long, value_enum, default_value = "json", value_name = "格式")]
    pub format: Format,
    /// 写入文件而不是显示在屏幕上
    #[arg(short = 'o', long = "output", value_name = "输出文件")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub merge: super::model_cmd::MergeOpts,
}

/// `jiandu checklist`.
#[derive(Debug, Args)]
pub struct ChecklistArgs {
    #[command(flatten)]
    pub input: PlanInput,
    /// 输出文件，格式由扩展名决定：.xlsx、.docx 或 .csv
    #[arg(short = 'o', long = "output", value_name = "输出文件", required = true)]
    pub output: PathBuf,
    #[command(flatten)]
    pub merge: super::model_cmd::MergeOpts,
    /// 生成“四单”：任务清单、责任清单、问题清单、落实清单（四个工作表）
    #[arg(long = "four-lists")]
    pub four_lists: bool,
}

/// `jiandu segment`.
#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// 要分词的文件
    #[arg(value_name = "文件")]
    pub file: PathBuf,
    /// 同时显示词性
    #[arg(long)]
    pub tags: bool,
}

/// `jiandu demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 输出文件夹
    #[arg(
        short = 'o',
        long = "output",
        value_name = "文件夹",
        default_value = "jiandu-demo"
    )]
    pub output: PathBuf,
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Print a clap error (or the help/version it carries) in Chinese; returns the exit code.
pub fn report_clap_error(e: clap::Error) -> i32 {
    let arg = context(&e, ContextKind::InvalidArg);
    let value = context(&e, ContextKind::InvalidValue);
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            return super::EXIT_ERROR;
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "没有“{}”这个命令",
                context(&e, ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::UnknownArgument => format!("不认识的选项“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::InvalidValue => {
            let valid = context(&e, ContextKind::ValidValue);
            if valid.is_empty() {
                format!("{arg} 的值“{value}”不正确")
            } else {
                format!("{arg} 的值“{value}”不正确，可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => format!("{arg} 的值“{value}”不正确"),
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict if arg.is_empty() => {
            format!("{arg} 给了太多的值")
        }
        ErrorKind::ArgumentConflict => format!("选项 {arg} 不能和其他选项同时使用"),
        _ => "命令行参数有误".to_string(),
    };
    eprintln!("错误：{msg}\n查看用法：jiandu --help");
    super::EXIT_ERROR
}
