//! The command line: clap commands, messages in Chinese, exit codes.
//!
//! Exit codes: 0 when everything was done; 1 when some inputs failed and the rest were
//! processed; 2 when nothing could be done (bad arguments, every input bad, an output that
//! could not be written).

/// `println!` for the command line's results: a closed pipe (`jiandu ledger list | head`)
/// ends the output quietly instead of panicking; any other failure (a full disk under
/// `> 文件`) is remembered and turns the exit code into an error (see [`stdout_failure`]).
macro_rules! outln {
    () => {
        $crate::cli::print_line(format_args!(""))
    };
    ($($t:tt)*) => {
        $crate::cli::print_line(format_args!($($t)*))
    };
}

mod args;
mod batch;
pub mod instrument_cmd;
pub mod ledger_cmd;
mod model_cmd;
mod plan;
mod serve_cmd;

use crate::error::Error;
use crate::extract::Vocabulary;
pub use crate::text::fit;
pub use args::Cli;
use args::Command;
use clap::Parser;

/// Exit code: all done.
pub const EXIT_OK: i32 = 0;
/// Exit code: some inputs failed, the rest were processed.
pub const EXIT_PARTIAL: i32 = 1;
/// Exit code: nothing could be done.
pub const EXIT_ERROR: i32 = 2;

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return args::report_clap_error(e),
    };
    // The user's dictionary folder: the one environment setting, read here and built into
    // the vocabulary passed to the commands that read plans and reports (a wrong folder
    // does not stop a render).
    let reads_text = matches!(
        cli.command,
        Command::Extract(_)
            | Command::Checklist(_)
            | Command::Segment(_)
            | Command::Demo(_)
            | Command::Model(_)
            | Command::Draft(_)
            | Command::Progress(_)
            | Command::Serve(_)
    );
    let mut user = crate::extract::userdata::UserData::default();
    if let Some(dir) = std::env::var_os(crate::extract::lexicon::DATA_ENV).filter(|_| reads_text) {
        match crate::extract::userdata::load(std::path::Path::new(&dir)) {
            Ok((data, notes)) => {
                for n in notes {
                    eprintln!("提示：{n}");
                }
                user = data;
            }
            Err(e) => {
                eprintln!("错误：{e}");
                return EXIT_ERROR;
            }
        }
    }
    let vocabulary = std::sync::Arc::new(Vocabulary::new(user));
    let code = match run(cli, &vocabulary) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e}");
            EXIT_ERROR
        }
    };
    match stdout_failure() {
        Some(e) => {
            eprintln!("错误：{e}");
            EXIT_ERROR
        }
        None => code,
    }
}

/// The first failed write of [`print_line`] that was not a closed pipe, as its message.
static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Write a line of results to standard output (see `outln!`).
pub(crate) fn print_line(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{args}") {
        if let Some(why) = stdout_error(&e, "") {
            let mut failed = STDOUT_FAILED.lock().unwrap_or_else(|p| p.into_inner());
            failed.get_or_insert(why);
        }
    }
}

/// Why the results could not all be written to standard output, if they could not.
fn stdout_failure() -> Option<String> {
    STDOUT_FAILED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

/// What a failed write to standard output means to the user: nothing for a closed pipe
/// (`| head`), else the reason, `hint` (what to do instead) after a write error other than a
/// full disk.
pub(crate) fn stdout_error(e: &std::io::Error, hint: &str) -> Option<String> {
    match e.kind() {
        std::io::ErrorKind::BrokenPipe => None,
        std::io::ErrorKind::StorageFull => {
            Some("磁盘空间已满，输出没有写完；请清理磁盘，或用 -o 把结果写到别处".to_string())
        }
        _ => Some(format!("无法写入标准输出（{e}），输出没有写完{hint}")),
    }
}

fn run(cli: Cli, v: &std::sync::Arc<Vocabulary>) -> Result<i32, Error> {
    match cli.command {
        Command::Extract(a) => plan::extract(a, v),
        Command::Checklist(a) => plan::checklist(a, v),
        Command::Segment(a) => plan::segment(a, v),
        Command::Templates(a) => instrument_cmd::templates(a),
        Command::Render(a) => instrument_cmd::render(a),
        Command::Fonts(a) => instrument_cmd::fonts(a),
        Command::Batch(a) => batch::batch(a),
        Command::Demo(a) => plan::demo(a, v),
        Command::Schema(a) => model_cmd::schema(a),
        Command::Model(a) => model_cmd::model(a, v),
        Command::Draft(a) => model_cmd::draft(a, v),
        Command::Progress(a) => model_cmd::progress_cmd(a, v),
        Command::Ledger(a) => ledger_cmd::ledger(a),
        Command::Serve(a) => serve_cmd::serve(a, v),
    }
}

/// Open the default browser; say so when it cannot be done.
fn open_browser_or_say(url: &str) -> bool {
    match crate::serve::open_browser(url) {
        Ok(()) => true,
        Err(_) => {
            eprintln!("提示：无法自动打开浏览器，请把上面的地址复制到浏览器中打开");
            false
        }
    }
}

/// The font settings of a command: `--font-dir`, then the folder of `JIANDU_FONT_DIR`; the
/// user's font folders; the `fonts/` shipped beside the program.
fn font_config(font_dir: Option<std::path::PathBuf>) -> crate::render::FontConfig {
    crate::render::FontConfig {
        font_dir,
        env_dir: std::env::var_os("JIANDU_FONT_DIR")
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from),
        user_dirs: crate::render::fonts::user_font_dirs(
            std::env::var_os("HOME")
                .or_else(|| std::env::var_os("USERPROFILE"))
                .map(Into::into),
            std::env::var_os("LOCALAPPDATA").map(Into::into),
        ),
        bundled_dirs: std::env::current_exe()
            .map(|exe| crate::render::fonts::bundled_font_dirs(&exe))
            .unwrap_or_default(),
    }
}
