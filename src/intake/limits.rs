//! Reading limits: how much of a file the readers accept before refusing it.
//!
//! Files arrive from many units and tools; a zip bomb, XML nested a million deep, a sheet
//! claiming billions of cells or a PDF with enormous streams must end quickly with a message,
//! in bounded memory. The defaults suit every real plan we know of; a user with a genuinely
//! larger file raises one limit with `--limit 名称=值` (each refusal names the option to use).

use std::fmt;

/// One adjustable limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Size of the input file, in MB.
    FileMb,
    /// Size of one part of a .docx/.xlsx/.ods zip once decompressed, in MB.
    PartMb,
    /// Depth of XML element nesting in a .docx.
    XmlDepth,
    /// Cells a spreadsheet's data range may span.
    SheetCells,
    /// Pages of a PDF.
    PdfPages,
    /// Size of one decompressed PDF stream, in MB.
    PdfStreamMb,
    /// Size of all decompressed page content of a PDF, in MB.
    PdfContentMb,
    /// Characters taken from a PDF.
    PdfChars,
}

/// Every limit, in the order the README and the help list them.
pub const ALL: [Limit; 8] = [
    Limit::FileMb,
    Limit::PartMb,
    Limit::XmlDepth,
    Limit::SheetCells,
    Limit::PdfPages,
    Limit::PdfStreamMb,
    Limit::PdfContentMb,
    Limit::PdfChars,
];

/// Highest XML depth accepted even when raised: trees are dropped recursively, so a
/// much deeper nesting could exhaust the stack.
pub const MAX_XML_DEPTH_ALLOWED: u64 = 10_000;

impl Limit {
    /// The name used on the command line (`--limit pdf-pages=40000`).
    pub fn key(self) -> &'static str {
        match self {
            Limit::FileMb => "file-mb",
            Limit::PartMb => "part-mb",
            Limit::XmlDepth => "xml-depth",
            Limit::SheetCells => "sheet-cells",
            Limit::PdfPages => "pdf-pages",
            Limit::PdfStreamMb => "pdf-stream-mb",
            Limit::PdfContentMb => "pdf-content-mb",
            Limit::PdfChars => "pdf-chars",
        }
    }

    /// What the limit bounds, in Chinese, with its unit.
    pub fn describe(self) -> &'static str {
        match self {
            Limit::FileMb => "输入文件大小（MB）",
            Limit::PartMb => ".docx/.xlsx/.ods 中每个部件解压后的大小（MB）",
            Limit::XmlDepth => ".docx 中 XML 的嵌套层数",
            Limit::SheetCells => "表格工作表数据范围的单元格数",
            Limit::PdfPages => "PDF 页数",
            Limit::PdfStreamMb => "PDF 每个数据流解压后的大小（MB）",
            Limit::PdfContentMb => "PDF 全部页面内容解压后的大小（MB）",
            Limit::PdfChars => "从 PDF 提取的字符数",
        }
    }

    fn from_key(key: &str) -> Option<Limit> {
        ALL.into_iter().find(|l| l.key() == key)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The limits in force for one run. [`Limits::default`] holds the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file, in bytes.
    pub file_bytes: u64,
    /// Largest decompressed part of a zip container (.docx, .xlsx, .ods), in bytes.
    pub part_bytes: u64,
    /// Deepest XML element nesting in a .docx.
    pub xml_depth: usize,
    /// Most cells a sheet's data range may span.
    pub sheet_cells: u64,
    /// Most pages of a PDF read; a longer document is refused rather than read in part.
    pub pdf_pages: usize,
    /// Largest decoded size of one PDF stream (a page's content, a form, a CMap), in bytes.
    pub pdf_stream_bytes: usize,
    /// Largest decoded content read from a whole PDF, in bytes.
    pub pdf_content_bytes: usize,
    /// Most characters taken from a PDF.
    pub pdf_chars: usize,
}

const MB: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 512 * MB,
            part_bytes: 256 * MB,
            xml_depth: 512,
            sheet_cells: 20_000_000,
            pdf_pages: 20_000,
            pdf_stream_bytes: 256 * MB as usize,
            pdf_content_bytes: 1024 * MB as usize,
            pdf_chars: 20_000_000,
        }
    }
}

impl Limits {
    /// The value of one limit in the unit its key names (MB for the `-mb` keys).
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::FileMb => self.file_bytes / MB,
            Limit::PartMb => self.part_bytes / MB,
            Limit::XmlDepth => self.xml_depth as u64,
            Limit::SheetCells => self.sheet_cells,
            Limit::PdfPages => self.pdf_pages as u64,
            Limit::PdfStreamMb => self.pdf_stream_bytes as u64 / MB,
            Limit::PdfContentMb => self.pdf_content_bytes as u64 / MB,
            Limit::PdfChars => self.pdf_chars as u64,
        }
    }

    /// Set one limit, `value` in the unit its key names.
    pub fn set(&mut self, limit: Limit, value: u64) {
        let bytes = value.saturating_mul(MB);
        let size = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        match limit {
            Limit::FileMb => self.file_bytes = bytes,
            Limit::PartMb => self.part_bytes = bytes,
            Limit::XmlDepth => self.xml_depth = size(value.min(MAX_XML_DEPTH_ALLOWED)),
            Limit::SheetCells => self.sheet_cells = value,
            Limit::PdfPages => self.pdf_pages = size(value),
            Limit::PdfStreamMb => self.pdf_stream_bytes = size(bytes),
            Limit::PdfContentMb => self.pdf_content_bytes = size(bytes),
            Limit::PdfChars => self.pdf_chars = size(value),
        }
    }

    /// Parse one `名称=值` setting as given to `--limit`; the error is a Chinese message.
    pub fn parse_setting(s: &str) -> Result<(Limit, u64), String> {
        let names = || {
            ALL.iter()
                .map(|l| format!("{}（{}）", l.key(), l.describe()))
                .collect::<Vec<_>>()
                .join("、")
        };
        let Some((key, value)) = s.split_once('=') else {
            return Err(format!(
                "应写成“名称=值”，例如 pdf-pages=40000；可用的名称：{}",
                names()
            ));
        };
        let limit = Limit::from_key(key.trim())
            .ok_or_else(|| format!("没有名为“{}”的上限；可用的名称：{}", key.trim(), names()))?;
        let value: u64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| format!("{} 的值“{}”应为正整数", limit.key(), value.trim()))?;
        if limit == Limit::XmlDepth && value > MAX_XML_DEPTH_ALLOWED {
            return Err(format!(
                "xml-depth 最多可设为 {MAX_XML_DEPTH_ALLOWED}（更深的嵌套会耗尽程序的栈空间）"
            ));
        }
        Ok((limit, value))
    }

    /// The defaults with the given settings applied, later ones winning.
    pub fn with(settings: &[(Limit, u64)]) -> Limits {
        let mut limits = Limits::default();
        for &(limit, value) in settings {
            limits.set(limit, value);
        }
        limits
    }
}

/// The sentence every refusal ends with: which option raises the limit that refused.
pub fn hint(limit: Limit) -> String {
    format!("如确需读取，可加选项 --limit {}=更大的值", limit.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_apply() {
        let (l, v) = Limits::parse_setting("pdf-pages=40000").unwrap();
        assert_eq!((l, v), (Limit::PdfPages, 40_000));
        let limits = Limits::with(&[(l, v), (Limit::FileMb, 2048)]);
        assert_eq!(limits.pdf_pages, 40_000);
        assert_eq!(limits.file_bytes, 2048 * MB);
        assert_eq!(limits.get(Limit::FileMb), 2048);
        assert_eq!(limits.part_bytes, Limits::default().part_bytes);
    }

    #[test]
    fn bad_settings_are_explained() {
        let e = Limits::parse_setting("pages=5").unwrap_err();
        assert!(
            e.contains("没有名为“pages”的上限") && e.contains("pdf-pages"),
            "{e}"
        );
        let e = Limits::parse_setting("pdf-pages").unwrap_err();
        assert!(e.contains("名称=值"), "{e}");
        let e = Limits::parse_setting("file-mb=0").unwrap_err();
        assert!(e.contains("正整数"), "{e}");
        let e = Limits::parse_setting("file-mb=很多").unwrap_err();
        assert!(e.contains("正整数"), "{e}");
        let e = Limits::parse_setting("xml-depth=100000").unwrap_err();
        assert!(e.contains("10000"), "{e}");
    }

    #[test]
    fn every_key_round_trips() {
        for l in ALL {
            assert_eq!(Limit::from_key(l.key()), Some(l));
            let limits = Limits::with(&[(l, 7)]);
            assert_eq!(limits.get(l), 7, "{l}");
        }
    }
}
