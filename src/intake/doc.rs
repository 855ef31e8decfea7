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

/// How long a conversion may take before it is given up (a damaged file can make
/// LibreOffice hang).
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// A `file://` URL of a path, percent-encoded (a profile folder under a user name with
/// spaces or Chinese characters must still reach LibreOffice whole).
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let slash = if text.starts_with('/') { "" } else { "/" };
    format!(
        "file://{slash}{}",
        crate::text::percent_encode(&text, b"/-._~:")
    )
}

/// Run LibreOffice to convert `path` into `dir` within `timeout`; the converted file.
fn convert(
    prog: &str,
    path: &Path,
    dir: &Path,
    timeout: std::time::Duration,
) -> Result<std::path::PathBuf> {
    let profile = dir.join("profile");
    let mut child = Command::new(prog)
        .arg(format!("-env:UserInstallation={}", file_url(&profile)))
        .args(["--headless", "--convert-to", "docx", "--outdir"])
        .arg(dir)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| Error::file(path, format!("无法启动 LibreOffice：{e}")))?;
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < timeout => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::file(
                    path,
                    format!(
                        "LibreOffice 转换超过 {} 秒仍未完成，已停止；文件可能已损坏，请在 Word 或 WPS 中另存为 .docx 后再试",
                        timeout.as_secs().max(1)
                    ),
                ));
            }
            Err(e) => return Err(Error::file(path, format!("LibreOffice 运行出错：{e}"))),
        }
    };
    let stem = path.file_stem().unwrap_or_default();
    let converted = dir.join(stem).with_extension("docx");
    if !status.success() || !converted.exists() {
        return Err(Error::file(
            path,
            "LibreOffice 无法转换这个文件，文件可能已损坏；请在 Word 或 WPS 中另存为 .docx 后再试",
        ));
    }
    Ok(converted)
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
    let converted = convert(prog, path, dir.path(), TIMEOUT)?;
    let bytes = std::fs::read(&converted).map_err(|e| Error::io(&converted, &e))?;
    let blocks = docx::read_with(&bytes, limits).map_err(|e| e.with_path(path))?;
    super::finish(path.display().to_string(), blocks, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/张 三/profile")),
            "file:///tmp/%E5%BC%A0%20%E4%B8%89/profile"
        );
        assert_eq!(
            file_url(Path::new("C:\\Users\\a b")),
            "file:///C:/Users/a%20b"
        );
    }

    /// A converter that hangs is stopped, with a message naming the file.
    #[cfg(unix)]
    #[test]
    fn a_hanging_conversion_is_stopped() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("soffice");
        std::fs::write(&fake, "#!/bin/sh\nsleep 30\n").unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let doc = dir.path().join("要点.doc");
        std::fs::write(&doc, b"x").unwrap();
        let out = tempfile::tempdir().unwrap();
        let e = convert(
            fake.to_str().unwrap(),
            &doc,
            out.path(),
            std::time::Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("要点.doc") && e.to_string().contains("已停止"),
            "{e}"
        );
    }
}
