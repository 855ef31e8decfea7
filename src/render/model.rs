//! The one document model that both writers draw from.
//!
//! A filled instrument becomes a [`Document`]: semantic parts of an official document
//! (公文) per GB/T 9704-2012, not positions. The DOCX writer and the PDF writer each lay the
//! same parts out on the same grid (A4, 22 lines × 28 characters), so they cannot disagree
//! about what is printed.

use serde::Serialize;

/// A whole document: its metadata and its sections in print order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    /// Document properties (title and author in the file's metadata).
    pub meta: Meta,
    /// The sections in print order. An instrument with a counterfoil and a receipt has three
    /// sections: 存根, the notice itself, and 回执, separated by cut lines.
    pub sections: Vec<Section>,
}

/// File metadata. No clock is read while rendering: the date here is what the files carry,
/// so the same input gives the same bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    /// The document title, e.g. 谈话通知书.
    pub title: String,
    /// The author: the issuing authority.
    pub author: String,
    /// Creation date (year, month, day), from the data (the 成文日期).
    pub date: Option<(i32, u32, u32)>,
}

/// What kind of part a section is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum SectionKind {
    /// The document itself.
    #[default]
    Main,
    /// The counterfoil (存根) kept by the office.
    Counterfoil,
    /// The receipt (回执) signed and returned.
    Receipt,
}

/// How a section begins relative to the one before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Break {
    /// First section, or continue on the same page.
    #[default]
    None,
    /// A dashed cut line (with scissors and 裁剪线) across the type area, then continue.
    CutLine,
    /// Start a new page.
    NewPage,
}

/// One part of a document: header, title, addressee, body, signature and record block, each
/// optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Section {
    /// Main document, counterfoil or receipt.
    pub kind: SectionKind,
    /// How it is separated from the section before.
    pub break_before: Break,
    /// 版头: copy number, issuing-authority mark, document number, red rule.
    pub header: Option<Header>,
    /// 标题, 2号小标宋, centred. Explicit line breaks (`\n`) are kept; otherwise the writer
    /// breaks it into lines by the grid.
    pub title: Option<String>,
    /// Lines printed between the title and the addressee, in order (a notice's 文号 right
    /// under its title, where its template puts it).
    pub preamble: Vec<Para>,
    /// 主送机关 or the addressee (e.g. `张三同志：`), flush left, ending with ：.
    pub addressee: Option<String>,
    /// Body paragraphs in order.
    pub body: Vec<Para>,
    /// 附件说明 lines (without the leading `附件：`), printed as `附件：1.×××`.
    pub attachments: Vec<String>,
    /// 署名 and 成文日期.
    pub signature: Option<Signature>,
    /// 附注, printed in parentheses under the date.
    pub note: Option<String>,
    /// Attachments bound with the document (GB/T 9704 §7.3.7): each on new pages after the
    /// body and signature, before the 版记.
    pub appendices: Vec<Appendix>,
    /// 版记 at the foot of the last page: 抄送 and 印发.
    pub record: Option<Record>,
}

/// 版头, for documents issued with one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Header {
    /// 份号: six digits, top left, first line.
    pub copy_number: Option<String>,
    /// 密级和保密期限 (e.g. `秘密★1年`): 黑体, flush left, the line after the 份号.
    pub classification: Option<String>,
    /// 紧急程度 (`特急`, `加急`): 黑体, flush left, under the 密级.
    pub urgency: Option<String>,
    /// 发文机关标志, red 小标宋, centred, e.g. `中共XX县纪委监委`.
    pub authority: String,
    /// 发文字号, e.g. `X纪建〔2022〕3号`, centred two lines below the mark (flush left with
    /// one character of space when there is a 签发人).
    pub doc_number: Option<String>,
    /// 签发人 of an upward document: `签发人：` (仿宋) and the name (楷体) on the line of the
    /// 发文字号, right-aligned with one character of space.
    pub signer: Option<String>,
    /// 信函格式 (GB/T 9704 §10.1): the letterhead of a 函 instead of a document's 版头.
    pub letter: bool,
}

/// A paragraph of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Para {
    /// An ordinary body paragraph: 3号仿宋, first line indented two characters.
    Text(String),
    /// A numbered heading, `level` 1 (`一、`, 黑体), 2 (`（一）`, 楷体), 3 (`1.`) or 4
    /// (`（1）`) in 仿宋. `heading` is the marker and heading text; `rest` is body text that
    /// continues in the same paragraph after it (in 仿宋), if any.
    Heading {
        /// 1 to 4.
        level: u8,
        /// Marker and heading, e.g. `一、存在的主要问题`.
        heading: String,
        /// Body text following the heading in the same paragraph.
        rest: Option<String>,
    },
    /// A line without first-line indent, aligned as given (forms such as the receipt:
    /// `被谈话人（签名）：`).
    Line {
        /// The text.
        text: String,
        /// Alignment.
        align: Align,
    },
    /// One empty line of the grid.
    Blank,
}

/// Alignment of a [`Para::Line`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right with `n` characters of space on the right.
    Right(u8),
}

/// 署名 and 成文日期. Without a seal (GB/T 9704 §7.3.5.2) the issuer is right-aligned with
/// two characters of right space and the date on the next line two characters right of the
/// issuer's start; with a seal (§7.3.5.1) the date is four characters from the right, the
/// issuer centred over it, and two blank lines above them leave room for a 42 mm seal whose
/// top is within a line of the body.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Signature {
    /// The issuing authority's name.
    pub issuer: String,
    /// The date as printed, e.g. `2022年3月5日`.
    pub date: String,
    /// Whether the document is sealed (加盖印章).
    pub sealed: bool,
}

/// An attachment page: `附件` (`附件1`, `附件2` … when there are several) in 3号黑体 flush
/// left on its first line, the title centred on the third, then the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Appendix {
    /// The attachment's title (小标宋 2号, centred).
    pub title: String,
    /// Its text.
    pub body: Vec<Para>,
}

/// The label of attachment `i` of `n`: `附件` alone, or `附件1`, `附件2` ….
pub fn appendix_label(i: usize, n: usize) -> String {
    if n > 1 {
        format!("附件{}", i + 1)
    } else {
        "附件".to_string()
    }
}

/// 版记: rules, 抄送 and 印发 line, at the bottom of the last page of the section.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Record {
    /// 抄送 recipients, printed `抄送：A，B，C。`
    pub cc: Vec<String>,
    /// 印发机关.
    pub printer: String,
    /// 印发日期 as printed, e.g. `2022年3月5日`.
    pub print_date: String,
    /// Put the 版记 on an even page (the back of the last sheet): when the last page is
    /// odd it moves to the next page, adding a blank page if needed (GB/T 9704 §7.5: a blank
    /// page before the 版记 page, and that page, carry no number).
    pub even_page: bool,
}
