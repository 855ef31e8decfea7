//! .doc / .wps: converted to .docx by LibreOffice when it is installed.

use super::{docx, Document};
use crate::error::{Error, Result};
use std::path::Path;
use std::process::Command;

/// The LibreOffice program, if one is installed.
fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    })
}

/// Convert a .doc/.wps with LibreOffice into a temporary folder and read the result.
pub fn read(path: &Path, limits: &super::Limits) -> Result<Document> {
    let Some(prog) = soffice() else {
        return Err(Error::file(
            path,
            "这是旧版 Word/WPS 格式（.doc/.wps），需要安装 LibreOffice 才能读取；也可以在 Word 或 WPS 中另存为 .docx 后再试",
        ));
    };
    let dir =
        tempfile::tempdir().map_err(|e| Error::file(path, format!("无法创建临时文件夹：{e}")))?;
    let profile = dir.path().join("profile");
    let out = Command::new(prog)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(dir.path())
        .arg(path)
        .output()
        .map_err(|e| Error::file(path, format!("无法启动 LibreOffice：{e}")))?;
    let stem = path.file_stem().unwrap_or_default();
    let converted = dir.path().join(stem).with_extension("docx");
    if !out.status.success() || !converted.exists() {
        return Err(Error::file(
            path,
            "LibreOffice 无法转换这个文件，文件可能已损坏；请在 Word 或 WPS 中另存为 .docx 后再试",
        ));
    }
    let bytes = std::fs::read(&converted).map_err(|e| Error::io(&converted, &e))?;
    let blocks = docx::read_with(&bytes, limits).map_err(|e| e.with_path(path))?;
    super::finish(path.display().to_string(), blocks, path)
}
