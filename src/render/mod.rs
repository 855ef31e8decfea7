//! Rendering: one document model → DOCX, PDF, XLSX; and safe file writing.

pub mod model;
pub mod table;

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Write a file whole or not at all: the bytes go to a temporary file in the same folder,
/// which is renamed over the target only when complete. An interrupted run never leaves a
/// half-written file under the target's name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".jiandu-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, &e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, &e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, &e))?;
    // Temporary files are private (0600); the result gets ordinary permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path).map_err(|e| Error::io(path, &e.error))?;
    Ok(())
}
