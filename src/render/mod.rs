//! Rendering: one document model → DOCX, PDF, XLSX.
//!
//! [`model`] is the contract; [`fonts`] finds the type of each role; [`linebreak`] fits text
//! into the GB/T 9704 grid; [`pdf`] and [`docx`] write the files.
//! [`table`] writes checklists; [`write_atomic`] writes any output whole or not at all.

pub mod docx;
pub mod fonts;
pub mod linebreak;
pub mod model;
pub mod table;
pub mod wml;

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// The format of a rendered instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutKind {
    /// PDF.
    Pdf,
    /// Word.
    Docx,
}

impl OutKind {
    /// The kind of an output path, from its extension, or a Chinese error naming the file.
    pub fn of_path(path: &Path) -> Result<OutKind> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("pdf") => Ok(OutKind::Pdf),
            Some("docx") => Ok(OutKind::Docx),
            _ => Err(Error::file(path, "输出文件的扩展名应为 .pdf 或 .docx")),
        }
    }

    /// The kind a format name (`pdf`, `docx`, any case) names.
    pub fn from_name(name: &str) -> Option<OutKind> {
        match name.to_ascii_lowercase().as_str() {
            "pdf" => Some(OutKind::Pdf),
            "docx" => Some(OutKind::Docx),
            _ => None,
        }
    }

    /// A list of format names (`pdf`, `docx`, any case), each kept once in order; the name
    /// that is neither, as the error.
    pub fn parse_list<'a>(
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<OutKind>, &'a str> {
        let mut out = Vec::new();
        for name in names {
            let k = OutKind::from_name(name).ok_or(name)?;
            if !out.contains(&k) {
                out.push(k);
            }
        }
        Ok(out)
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            OutKind::Pdf => "pdf",
            OutKind::Docx => "docx",
        }
    }

    /// The document as this kind's bytes.
    pub fn write(self, doc: &model::Document, fonts: &Fonts) -> Result<Vec<u8>> {
        match self {
            OutKind::Pdf => write_pdf(doc, fonts),
            OutKind::Docx => write_docx(doc),
        }
    }
}

/// Write a file whole or not at all: the bytes go to a temporary file in the same folder,
/// which is renamed over the target only when complete. An interrupted run never leaves a
/// half-written file under the target's name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, bytes, true)
}

/// [`write_atomic`] without waiting for the disk: for a batch's thousands of files. The
/// rename still guarantees that an interrupted run leaves only whole files; a power cut
/// may leave a file cut short under its name, which the batch's next run finds to differ
/// from what it makes and reports (it is never silently kept).
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, bytes, false)
}

fn write_whole(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let f = AtomicFile::create(path)?;
    f.file().write_all(bytes).map_err(|e| Error::io(path, &e))?;
    f.finish(sync)
}

/// A file being written under a temporary name (`.jiandu-….part`) in its target's folder,
/// renamed over the target by [`AtomicFile::commit`]. Dropped without being committed (an
/// error on the way), the temporary file is removed; killed, the process leaves only the
/// temporary file, which the next batch in the folder removes.
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

impl AtomicFile {
    /// Create the temporary file for `path` (and `path`'s folder if need be).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
        }
        let tmp = tempfile::Builder::new()
            .prefix(".jiandu-")
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, &e))?;
        // Held while the file is written: another run cleaning up leftovers of an
        // interrupted one (see `remove_stale_parts`) leaves a locked temporary file alone.
        let _ = tmp.as_file().lock();
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// The temporary file, to write to (`&File` implements `Write`).
    pub fn file(&self) -> &std::fs::File {
        self.tmp.as_file()
    }

    /// Flush to disk and rename over the target.
    pub fn commit(self) -> Result<()> {
        self.finish(true)
    }

    fn finish(self, sync: bool) -> Result<()> {
        let path = self.path;
        if sync {
            self.tmp
                .as_file()
                .sync_all()
                .map_err(|e| Error::io(&path, &e))?;
        }
        // Temporary files are private (0600); the result gets ordinary permissions.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = self
                .tmp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        self.tmp
            .persist(&path)
            .map_err(|e| Error::io(&path, &e.error))?;
        Ok(())
    }
}

pub mod pdf;
pub mod samples;

pub use docx::write_docx;
pub use fonts::{Coverage, FontConfig, Fonts, Role};
pub use pdf::{write_pdf, write_pdf_many};

use model::{Document, Para};

/// Every printed string of a document in reading order, one entry per printed element
/// (without page numbers): what a reader copying the text out of the PDF or DOCX gets.
/// Cut lines print `（裁剪线）`.
pub fn printed_text(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for s in &doc.sections {
        if s.break_before == model::Break::CutLine {
            out.push("（裁剪线）".to_string());
        }
        if let Some(h) = &s.header {
            out.extend(h.copy_number.clone());
            out.extend(h.classification.clone());
            out.extend(h.urgency.clone());
            out.push(h.authority.clone());
            out.extend(h.doc_number.clone());
            if let Some(signer) = &h.signer {
                out.push(format!("签发人：{signer}"));
            }
        }
        let para = |out: &mut Vec<String>, p: &Para| match p {
            Para::Text(t) | Para::Line { text: t, .. } => out.push(t.clone()),
            Para::Heading { heading, rest, .. } => {
                out.push(format!("{heading}{}", rest.as_deref().unwrap_or("")))
            }
            Para::Blank => {}
        };
        out.extend(s.title.clone());
        for p in &s.preamble {
            para(&mut out, p);
        }
        out.extend(s.addressee.clone());
        for p in &s.body {
            para(&mut out, p);
        }
        let many = s.attachments.len() > 1;
        for (i, a) in s.attachments.iter().enumerate() {
            let prefix = if i == 0 { "附件：" } else { "" };
            if many {
                out.push(format!("{prefix}{}.{a}", i + 1));
            } else {
                out.push(format!("{prefix}{a}"));
            }
        }
        if let Some(sig) = &s.signature {
            out.push(sig.issuer.clone());
            out.push(sig.date.clone());
        }
        if let Some(n) = &s.note {
            let n = n.trim();
            if n.starts_with('（') || n.starts_with('(') {
                out.push(n.to_string());
            } else {
                out.push(format!("（{n}）"));
            }
        }
        for (i, a) in s.appendices.iter().enumerate() {
            out.push(model::appendix_label(i, s.appendices.len()));
            out.push(a.title.clone());
            for p in &a.body {
                para(&mut out, p);
            }
        }
        if let Some(r) = &s.record {
            if !r.cc.is_empty() {
                let mut cc = format!("抄送：{}", r.cc.join("，"));
                if !cc.ends_with('。') {
                    cc.push('。');
                }
                out.push(cc);
            }
            out.push(r.printer.clone());
            out.push(format!("{}印发", r.print_date));
        }
    }
    out
}
