//! The command line: clap commands, messages in Chinese, exit codes.

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    0
}
