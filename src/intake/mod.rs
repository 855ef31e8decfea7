//! Intake: bytes of an office file → a [`Document`] of text [`Block`]s.
//!
//! One module per format; all of them return the same types, so the later stages never
//! know what the file was. Text is returned as the reader sees it: automatic numbering is
//! rebuilt into the text, layout line breaks are joined back into paragraphs, running
//! headers and page numbers are dropped.

pub mod contain;
mod doc;
pub mod docx;
pub mod limits;
pub mod pdf;
pub mod sheet;
pub mod table;
pub mod txt;

use crate::error::{Error, Result};
use crate::text::is_wide;
pub use limits::{Limit, Limits};
use std::path::Path;

/// Where a block came from in its file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Origin {
    /// 1-based page, for PDFs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 1-based row as a spreadsheet shows it, for spreadsheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// Sheet name, for spreadsheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Whether the block is a table cell (in a .docx).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_table: bool,
}

/// Values a plan kept as a table gives directly, column by column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowFields {
    /// 责任单位 / 责任主体 …
    pub responsible: Option<String>,
    /// 牵头单位 / 牵头部门.
    pub lead: Option<String>,
    /// 配合单位 / 配合部门.
    pub support: Option<String>,
    /// 完成时限 / 时限 …
    pub deadline: Option<String>,
    /// 具体措施 / 工作措施 …
    pub measures: Option<String>,
    /// 序号 as written.
    pub number: Option<String>,
    /// Whether the row is a group heading (a 一、 row, a task split into steps, a new
    /// 类别): the rows after it are its children.
    pub group: bool,
    /// Whether the row continues the task row above it (the task's cells span both rows):
    /// one more part of that task, with its own measures, units and deadline.
    pub part: bool,
}

/// One paragraph (or table cell, or spreadsheet row) of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The text, one paragraph, without line breaks.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// Column values, when the block is a row of a plan kept as a table.
    pub fields: Option<RowFields>,
}

impl Block {
    /// A plain paragraph.
    pub fn para(text: impl Into<String>) -> Self {
        Block {
            text: text.into(),
            origin: Origin::default(),
            fields: None,
        }
    }
}

/// A read file: its display name and its blocks in reading order.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name as given by the user.
    pub source: String,
    /// Paragraphs in reading order; empty paragraphs are dropped.
    pub blocks: Vec<Block>,
}

/// The formats jiandu reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, UTF-8 or GB18030.
    Txt,
    /// Word 2007+.
    Docx,
    /// PDF with a text layer.
    Pdf,
    /// A spreadsheet: .xlsx, .xls, .xlsm, .ods.
    Sheet,
    /// Legacy Word / WPS, converted through LibreOffice.
    Doc,
}

impl Format {
    /// The format for a file name's extension.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Txt,
            "docx" | "docm" => Format::Docx,
            "pdf" => Format::Pdf,
            "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => Format::Sheet,
            "doc" | "wps" => Format::Doc,
            _ => return None,
        })
    }
}

/// Read a file of any supported format, within the default [`Limits`].
pub fn read(path: &Path) -> Result<Document> {
    read_with(path, &Limits::default())
}

/// Read a file of any supported format within `limits`.
pub fn read_with(path: &Path, limits: &Limits) -> Result<Document> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    if meta.is_dir() {
        return Err(Error::file(path, "这是一个文件夹，不是文件"));
    }
    let format = Format::of(path).ok_or_else(|| {
        Error::file(
            path,
            "无法识别的文件类型，支持 .txt .docx .doc .wps .pdf .xlsx .xls .ods",
        )
    })?;
    match format {
        Format::Doc => {
            admit(path, limits)?;
            doc::read(path, limits)
        }
        _ => from_bytes(format, &load(path, limits)?, path, limits),
    }
}

/// Read the bytes of a file of a known format into a [`Document`] (as [`read_with`] does
/// after loading them); `path` names the file in the document and in errors.
pub fn from_bytes(format: Format, bytes: &[u8], path: &Path, limits: &Limits) -> Result<Document> {
    let blocks = read_bytes(format, bytes, path, limits)?;
    finish(path.display().to_string(), blocks, path)
}

/// The bytes of a user's file, refused with a message naming the file when it is a folder,
/// empty, or larger than [`Limits::file_bytes`] (checked before reading anything).
pub fn load(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    admit(path, limits)?;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    if bytes.is_empty() {
        return Err(Error::file(path, "文件是空的"));
    }
    Ok(bytes)
}

/// Check a user's file before reading it: not a folder, not empty, within
/// [`Limits::file_bytes`].
fn admit(path: &Path, limits: &Limits) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    if meta.is_dir() {
        return Err(Error::file(path, "这是一个文件夹，不是文件"));
    }
    if meta.len() > limits.file_bytes {
        return Err(Error::file(
            path,
            format!(
                "文件过大（{} MB），超过 {} MB 的上限；{}",
                meta.len() / 1024 / 1024,
                limits.get(Limit::FileMb),
                limits::hint(Limit::FileMb)
            ),
        ));
    }
    if meta.len() == 0 {
        return Err(Error::file(path, "文件是空的"));
    }
    Ok(())
}

/// Read bytes of a known format within `limits`; `path` names the file in errors.
pub fn read_bytes(
    format: Format,
    bytes: &[u8],
    path: &Path,
    limits: &Limits,
) -> Result<Vec<Block>> {
    let r = match format {
        Format::Txt => txt::read(bytes),
        Format::Docx => contain::contain("Word 文档", || docx::read_with(bytes, limits)),
        Format::Pdf => contain::contain("PDF 文件", || pdf::read_with(bytes, limits)),
        Format::Sheet => contain::contain("表格文件", || sheet::read_with(bytes, path, limits)),
        Format::Doc => Err(Error::msg("需要先转换为 .docx")),
    };
    r.map_err(|e| e.with_path(path))
}

fn finish(source: String, blocks: Vec<Block>, path: &Path) -> Result<Document> {
    let blocks: Vec<Block> = blocks
        .into_iter()
        .map(|mut b| {
            if let std::borrow::Cow::Owned(t) = clean_text(&b.text) {
                b.text = t;
            }
            b
        })
        .filter(|b| !b.text.is_empty())
        .collect();
    if blocks.is_empty() {
        return Err(Error::file(path, "文件里没有可读的文字"));
    }
    Ok(Document { source, blocks })
}

/// Normalize one paragraph's whitespace: trim, drop control characters and zero-width
/// characters, turn inner runs of whitespace between CJK characters into nothing and other
/// runs into one space.
pub fn clean_text(s: &str) -> std::borrow::Cow<'_, str> {
    // Most paragraphs need nothing: they are returned as they are, not copied.
    let Some(first) = s.char_indices().find(|&(_, c)| is_special(c)) else {
        return s.into();
    };
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    // Start of the run of kept characters not yet copied: runs are copied whole.
    let mut run: Option<usize> = (first.0 > 0).then_some(0);
    for (i, c) in s[first.0..].char_indices().map(|(i, c)| (i + first.0, c)) {
        let special = is_special(c);
        if !special && !pending_space {
            run.get_or_insert(i);
            continue;
        }
        if let Some(a) = run.take() {
            out.push_str(&s[a..i]);
        }
        if special {
            // Whitespace (U+3000 and U+A0 included) becomes a pending space; control and
            // zero-width characters are dropped.
            if c.is_whitespace() {
                pending_space = !out.is_empty();
            }
            continue;
        }
        let prev = out.chars().next_back().unwrap_or(' ');
        if !(is_wide(prev) || is_wide(c)) {
            out.push(' ');
        }
        pending_space = false;
        run = Some(i);
    }
    if let Some(a) = run {
        out.push_str(&s[a..]);
    }
    out.into()
}

/// Whether [`clean_text`] drops or folds a character: whitespace, control and zero-width
/// characters. Above U+3000 (the last whitespace character; controls end at U+9F) only the
/// zero-width no-break space is: nearly every Chinese character is decided by one compare.
fn is_special(c: char) -> bool {
    if u32::from(c) > 0x3000 {
        c == '\u{feff}'
    } else {
        c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`clean_text`] character by character, as first written: the fast version must agree.
    fn clean_text_slowly(s: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for c in s.chars() {
            let c = if c == '\u{3000}' || c == '\u{a0}' {
                ' '
            } else {
                c
            };
            if c.is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}' | '\u{2060}') {
                continue;
            }
            if pending_space {
                let prev = out.chars().next_back().unwrap_or(' ');
                if !(is_wide(prev) || is_wide(c)) {
                    out.push(' ');
                }
                pending_space = false;
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn cleaning_keeps_text_and_folds_whitespace() {
        assert_eq!(clean_text("  一、 加强\u{3000}监督 \t"), "一、加强监督");
        assert_eq!(
            clean_text("Word  文档\u{200b}和 PDF 2024 年"),
            "Word文档和PDF 2024年"
        );
        assert_eq!(clean_text("a \u{feff} b\u{7}c"), "a bc");
        assert_eq!(clean_text("\u{a0}x\u{a0}\u{a0}y"), "x y");
        // Pseudo-random strings over the characters that matter, against the slow version.
        let alphabet = [
            'a', 'Z', '1', ' ', '\t', '\n', '\r', '\u{3000}', '\u{a0}', '\u{200b}', '\u{200f}',
            '\u{feff}', '\u{2060}', '\u{7}', '\u{85}', '\u{2028}', '监', '督', '，', '。', '“',
            '—', '\u{3001}', '\u{2f00}', '😀',
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 12) as usize;
            let mut x = seed;
            for _ in 0..n {
                s.push(alphabet[(x % alphabet.len() as u64) as usize]);
                x /= alphabet.len() as u64;
                x ^= x.rotate_left(29).wrapping_mul(0x2545_F491_4F6C_DD1D);
            }
            assert_eq!(clean_text(&s), clean_text_slowly(&s), "{s:?}");
        }
    }
}
