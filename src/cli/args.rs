//! Command-line arguments, with help and errors in Chinese.

use crate::intake::{Limit, Limits};
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
    /// 列出文书模板；show 查看字段和示例数据，export 导出模板以便修改措辞
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Templates(TemplatesArgs),
    /// 按模板和数据文件生成文书（.pdf 或 .docx，按 GB/T 9704 版式）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Render(RenderArgs),
    /// 批量生成：按名单表格每行生成一份文书，并可合并为一个打印用 PDF
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Batch(BatchArgs),
    /// 显示各字体角色（仿宋、黑体、楷体、宋体、小标宋）使用的字体文件
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Fonts(FontsArgs),
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
    /// 打开本机网页工作台（在浏览器中使用全部功能，不联网）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Serve(ServeArgs),
    /// 整改台账：记入建议书的问题，列出到期和逾期的问题，记录反馈，导出 Excel 台账
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Ledger(super::ledger_cmd::LedgerArgs),
}

/// `jiandu templates`.
#[derive(Debug, Args)]
#[command(subcommand_help_heading = "命令", subcommand_value_name = "命令")]
pub struct TemplatesArgs {
    /// 使用自己的模板文件夹（由 jiandu templates export 导出后修改）
    #[arg(long, value_name = "文件夹", global = true)]
    pub templates: Option<PathBuf>,
    /// 要执行的操作（不写则列出全部模板）
    #[command(subcommand)]
    pub action: Option<TemplatesAction>,
}

/// `jiandu templates show|export`.
#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// 查看模板的字段、类型、是否必填，以及一份示例数据
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Show {
        /// 模板名，如 talk-notice 或 谈话通知书
        #[arg(value_name = "模板")]
        id: String,
    },
    /// 把内置模板导出到文件夹，作为修改的起点
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Export {
        /// 导出到的文件夹
        #[arg(value_name = "文件夹")]
        dir: PathBuf,
    },
}

/// `jiandu render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// 模板名，如 talk-notice、recommendation，或中文名 谈话通知书、纪检监察建议书
    #[arg(value_name = "模板")]
    pub id: String,
    /// 数据文件（.toml 或 .json），字段可用英文键名或中文名称
    #[arg(long, value_name = "数据文件", required = true)]
    pub data: PathBuf,
    /// 输出文件（.pdf 或 .docx），可写多次
    #[arg(short = 'o', long = "output", value_name = "输出文件", required = true)]
    pub output: Vec<PathBuf>,
    /// 数据中没有文号时，从台账按代字和成文日期的年份自动编号（与批量生成共用一个号序）；可写代字，如 --number 青纪谈，不写则用模板的代字
    #[arg(long, value_name = "代字", num_args = 0..=1, default_missing_value = "")]
    pub number: Option<String>,
    /// 把这份文书（文号、文种、姓名或单位、日期、文件及其校验值）记入文书台账
    #[arg(long)]
    pub ledger: bool,
    /// 台账数据库文件（默认为当前文件夹中的 jiandu-台账.db，与 jiandu ledger 相同）
    #[arg(long, value_name = "文件")]
    pub db: Option<PathBuf>,
    /// 使用自己的模板文件夹
    #[arg(long, value_name = "文件夹")]
    pub templates: Option<PathBuf>,
    /// 字体文件夹（优先于系统字体和自带字体）
    #[arg(long, value_name = "文件夹")]
    pub font_dir: Option<PathBuf>,
}

/// `jiandu batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// 模板名，如 talk-notice 或 谈话通知书
    #[arg(value_name = "模板")]
    pub id: String,
    /// 名单文件（.xlsx .xls .ods .csv），第一行（或前几行中）是表头，列名用字段的中文名称或英文键名
    #[arg(long, value_name = "名单文件", required = true)]
    pub rows: PathBuf,
    /// 使用哪个工作表（默认第一个）
    #[arg(long, value_name = "工作表")]
    pub sheet: Option<String>,
    /// 输出文件夹
    #[arg(short = 'o', long = "output", value_name = "文件夹", required = true)]
    pub output: PathBuf,
    /// 输出格式：pdf、docx 或 pdf,docx
    #[arg(long, value_name = "格式", default_value = "pdf,docx")]
    pub format: String,
    /// 另外生成一个合并的 PDF（按行顺序，每人一个书签），便于一次打印
    #[arg(long, value_name = "合并PDF")]
    pub merge: Option<PathBuf>,
    /// 双面打印：合并 PDF 中每份文书补足为偶数页，避免两人的文书印在同一张纸上
    #[arg(long)]
    pub duplex: bool,
    /// 文件名格式，可用 {序号} {行号} {文种} {文号} 和任一字段名
    #[arg(long, value_name = "格式", default_value = crate::instrument::batch::DEFAULT_NAME)]
    pub name: String,
    /// 每行共用的值，如 --set 发文机关=中共XX县纪委监委；--set 代字=青纪谈 设定文号代字。可写多次
    #[arg(long = "set", value_name = "名称=值")]
    pub set: Vec<String>,
    /// 每行共用的值的数据文件（.toml 或 .json）；表格中的值优先
    #[arg(long, value_name = "数据文件")]
    pub data: Option<PathBuf>,
    /// 指定列与字段的对应，如 --map 被谈话人=姓名。可写多次
    #[arg(long = "map", value_name = "列名=字段")]
    pub map: Vec<String>,
    /// 文号从几号开始（默认接着上次的号）
    #[arg(long, value_name = "号")]
    pub start: Option<u32>,
    /// 覆盖已存在的文件
    #[arg(long)]
    pub force: bool,
    /// 把生成的每份文书（文号、文种、姓名或单位、日期、文件及其校验值）记入文书台账
    #[arg(long)]
    pub ledger: bool,
    /// 台账数据库文件：文号从这里统一编号，--ledger 也记在这里（默认为当前文件夹中的 jiandu-台账.db，与 jiandu ledger 相同）
    #[arg(long, value_name = "文件")]
    pub db: Option<PathBuf>,
    /// 使用自己的模板文件夹
    #[arg(long, value_name = "文件夹")]
    pub templates: Option<PathBuf>,
    /// 字体文件夹
    #[arg(long, value_name = "文件夹")]
    pub font_dir: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `jiandu serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 端口号（不写则由系统选一个空闲端口）
    #[arg(long, value_name = "端口", default_value_t = 0)]
    pub port: u16,
    /// 不自动打开浏览器
    #[arg(long)]
    pub no_open: bool,
    /// 存放上传文件、修改记录和生成结果的文件夹（默认在系统临时文件夹下的 jiandu-工作台）
    #[arg(long, value_name = "文件夹")]
    pub work: Option<PathBuf>,
    /// 整改台账数据库文件（默认为当前文件夹中的 jiandu-台账.db，与 jiandu ledger 相同）
    #[arg(long, value_name = "文件")]
    pub db: Option<PathBuf>,
    /// 使用自己的模板文件夹
    #[arg(long, value_name = "文件夹")]
    pub templates: Option<PathBuf>,
    /// 字体文件夹
    #[arg(long, value_name = "文件夹")]
    pub font_dir: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `jiandu fonts`.
#[derive(Debug, Args)]
pub struct FontsArgs {
    /// 字体文件夹（优先于系统字体和自带字体）
    #[arg(long, value_name = "文件夹")]
    pub font_dir: Option<PathBuf>,
}

/// Output format of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON（供其他程序使用）
    Json,
    /// 对齐的表格（在终端中查看）
    Table,
}

/// The reading limits option, shared by every command that reads a user's file.
#[derive(Debug, Default, Args)]
pub struct LimitArgs {
    /// 提高读取上限，可写多次，例如 --limit pdf-pages=40000。名称：file-mb、part-mb、xml-depth、sheet-cells、pdf-pages、pdf-stream-mb、pdf-content-mb、pdf-chars（含义和默认值见 README“读取上限”）
    #[arg(long = "limit", value_name = "名称=值", value_parser = Limits::parse_setting)]
    pub limit: Vec<(Limit, u64)>,
}

impl LimitArgs {
    /// The limits in force: the defaults with the given settings applied.
    pub fn limits(&self) -> Limits {
        Limits::with(&self.limit)
    }
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
    #[command(flatten)]
    pub limits: LimitArgs,
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
    /// 保留整份清单都为空的列（默认不显示这些列，便于打印阅读）
    #[arg(long = "all-columns")]
    pub all_columns: bool,
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
    #[command(flatten)]
    pub limits: LimitArgs,
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

/// The few words clap writes itself into a help text, in Chinese.
fn chinese_help(help: &str) -> String {
    let mut s = help
        .replace("[OPTIONS]", "[选项]")
        .replace("Possible values:", "可选值：")
        .replace("[possible values: ", "[可选：")
        .replace("[default: ", "[默认：")
        .replace("[aliases: ", "[别名：");
    s = s.replace("命令:", "命令：").replace("选项:", "选项：");
    s
}

/// Print a clap error (or the help/version it carries) in Chinese; returns the exit code.
pub fn report_clap_error(e: clap::Error) -> i32 {
    let arg = context(&e, ContextKind::InvalidArg);
    let value = context(&e, ContextKind::InvalidValue);
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", chinese_help(&e.render().to_string()));
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            eprint!("{}", chinese_help(&e.render().to_string()));
            return super::EXIT_ERROR;
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "没有“{}”这个命令",
                context(&e, ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => format!("不认识的选项“{arg}”"),
        ErrorKind::UnknownArgument => format!("多余的参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::InvalidValue => {
            let valid = context(&e, ContextKind::ValidValue);
            if valid.is_empty() {
                format!("{arg} 的值“{value}”不正确")
            } else {
                format!("{arg} 的值“{value}”不正确，可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => match std::error::Error::source(&e) {
            // Our own parsers explain themselves in Chinese.
            Some(why) => format!("{arg} 的值“{value}”不正确：{why}"),
            None => format!("{arg} 的值“{value}”不正确"),
        },
        ErrorKind::TooManyValues if value.is_empty() => format!("{arg} 给了太多的值"),
        ErrorKind::TooManyValues => format!("{arg} 给了太多的值：多出的是“{value}”"),
        ErrorKind::ArgumentConflict if arg.is_empty() => "有的选项不能同时使用".to_string(),
        ErrorKind::ArgumentConflict => format!("选项 {arg} 不能和其他选项同时使用"),
        _ => "命令行参数有误".to_string(),
    };
    eprintln!("错误：{msg}\n查看用法：jiandu --help");
    super::EXIT_ERROR
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Chinese message of an argument error, as printed.
    fn message(args: &[&str]) -> (ErrorKind, String) {
        let e = Cli::try_parse_from(args).expect_err("a bad command line");
        let arg = context(&e, ContextKind::InvalidArg);
        let value = context(&e, ContextKind::InvalidValue);
        (e.kind(), format!("{arg}|{value}"))
    }

    /// A value given to a switch names the switch (the guard was once inverted, and the
    /// message fell back to "命令行参数有误").
    #[test]
    fn too_many_values_names_the_option() {
        let (kind, ctx) = message(&[
            "jiandu",
            "batch",
            "talk-notice",
            "--rows",
            "a.xlsx",
            "-o",
            "out",
            "--duplex=yes",
        ]);
        assert_eq!(kind, ErrorKind::TooManyValues, "{ctx}");
        assert!(ctx.starts_with("--duplex"), "{ctx}");
    }
}
