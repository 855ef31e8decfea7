//! The one error type. Every error names what it concerns (a file, a row, a field) and says
//! in plain Chinese what is wrong, because the people reading it are office staff.

use std::fmt;
use std::path::{Path, PathBuf};

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error a user can act on: the file it concerns and what is wrong, in Chinese.
#[derive(Debug)]
pub struct Error {
    /// The file concerned, when there is one.
    pub path: Option<PathBuf>,
    /// What is wrong, in Chinese, without the file name.
    pub message: String,
}

impl Error {
    /// An error about a file.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Error {
            path: Some(path.to_path_buf()),
            message: message.into(),
        }
    }

    /// An error that concerns no particular file.
    pub fn msg(message: impl Into<String>) -> Self {
        Error {
            path: None,
            message: message.into(),
        }
    }

    /// An I/O error while reading or writing `path`, in words a user understands.
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        use std::io::ErrorKind::*;
        let what = match err.kind() {
            NotFound => "文件不存在，请检查文件名和路径".to_string(),
            PermissionDenied => "没有读写权限".to_string(),
            IsADirectory => "这是一个文件夹，不是文件".to_string(),
            StorageFull => "磁盘空间已满，文件没有写完".to_string(),
            _ => format!("读写失败（{err}）"),
        };
        Error::file(path, what)
    }

    /// Attach a file to an error that has none yet.
    pub fn with_path(mut self, path: &Path) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_path_buf());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}：{}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}
