//! Tables (checklists and the lists derived from them) → XLSX, DOCX and CSV.
//!
//! A [`Workbook`] is plain data: sheets of text cells with a header row. The XLSX writer
//! gives a bold frozen header, wrapped cells, sensible widths, an autofilter and the 状态
//! drop-down; the DOCX writer a landscape A4 table in 仿宋 whose header row repeats on every
//! page; the CSV writer UTF-8 with a BOM, which Excel in China opens correctly.

use super::wml::{
    self, Align, Inline, LineRule, Package, Page, Pages, ParaProps, Paragraph, Run, RunProps,
    Spacing,
};
use crate::error::{Error, Result};

/// The values of the 状态 (status) column's drop-down.
pub const STATUS_CHOICES: [&str; 4] = ["未启动", "推进中", "已完成", "已销号"];

/// One column: its header and width in characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// Width in (CJK) characters.
    pub width: f64,
    /// Whether the column offers the 状态 drop-down.
    pub status: bool,
}

impl Column {
    /// A column of the given header and width.
    pub fn new(header: &str, width: f64) -> Self {
        Column {
            header: header.to_string(),
            width,
            status: header == "状态",
        }
    }
}

/// One sheet: a title (the sheet name), its columns and rows of text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters in Excel).
    pub name: String,
    /// The title printed above the table.
    pub title: String,
    /// Lines printed under the title (the document's 文号 and date, a note), may be empty.
    pub subtitle: Vec<String>,
    /// Rows (indexes into `rows`) that head a group of rows: printed apart (bold, shaded).
    pub group_rows: Vec<usize>,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows; each has one cell per column. Line breaks inside a cell are kept.
    pub rows: Vec<Vec<String>>,
}

/// One or more sheets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workbook {
    /// Sheets in order.
    pub sheets: Vec<Sheet>,
}

/// The table as a file of a format named by its extension (`xlsx`, `docx`, `csv`, lower
/// case); `None` for another format.
pub fn encode(format: &str, book: &Workbook) -> Option<Result<Vec<u8>>> {
    Some(match format {
        "xlsx" => to_xlsx(book),
        "docx" => to_docx(book),
        "csv" => Ok(to_csv(book)),
        _ => return None,
    })
}

/// Write an XLSX workbook.
pub fn to_xlsx(book: &Workbook) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{
        DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
        Workbook as XWorkbook,
    };
    let xerr = |e: rust_xlsxwriter::XlsxError| Error::msg(format!("生成 Excel 文件失败：{e}"));
    let mut wb = XWorkbook::new();
    // A fixed creation time: the same input gives the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xerr)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("jiandu"),
    );
    let header = Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7");
    let cell = Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let title_format = Format::new()
        .set_bold()
        .set_font_name("黑体")
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let subtitle_format = Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_align(FormatAlign::Center);
    let group_cell = Format::new()
        .set_bold()
        .set_font_name("黑体")
        .set_font_size(10.5)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_background_color("#F2F2F2");
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        let name: String = sheet
            .name
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        ws.set_name(if name.is_empty() { "Sheet1" } else { &name })
            .map_err(xerr)?;
        // Columns as wide as they fit on landscape A4 at full size: wrapped rather than
        // shrunk below a readable size when printed.
        let widths = xlsx_widths(&sheet.columns);
        // A title row and the subtitle lines above the header.
        let top = 1 + sheet.subtitle.len() as u32;
        let last_col = sheet.columns.len().saturating_sub(1) as u16;
        ws.merge_range(0, 0, 0, last_col, &sheet.title, &title_format)
            .map_err(xerr)?;
        ws.set_row_height(0, 28).map_err(xerr)?;
        for (k, line) in sheet.subtitle.iter().enumerate() {
            ws.merge_range(
                1 + k as u32,
                0,
                1 + k as u32,
                last_col,
                line,
                &subtitle_format,
            )
            .map_err(xerr)?;
        }
        for (c, col) in sheet.columns.iter().enumerate() {
            ws.set_column_width(c as u16, widths[c]).map_err(xerr)?;
            ws.write_string_with_format(top, c as u16, &col.header, &header)
                .map_err(xerr)?;
        }
        ws.set_row_height(top, 30).map_err(xerr)?;
        for (ri, row) in sheet.rows.iter().enumerate() {
            let r = ri as u32 + 1 + top;
            let cell = if sheet.group_rows.contains(&ri) {
                &group_cell
            } else {
                &cell
            };
            // Explicit heights, so every wrapped line shows in any spreadsheet program.
            let lines = row
                .iter()
                .zip(&sheet.columns)
                .zip(&widths)
                .map(|((v, _), w)| lines_needed(v, (w - 1.5) / 2.0 - 0.5))
                .max()
                .unwrap_or(1)
                .min(60);
            ws.set_row_height(r, 14.5 * lines as f64 + 3.0)
                .map_err(xerr)?;
            for (c, v) in row.iter().enumerate() {
                let v: String = v
                    .chars()
                    .filter(|c| !c.is_control() || *c == '\n')
                    .collect();
                // Excel's cell limit is 32,767 characters.
                let v: String = v.chars().take(32_000).collect();
                ws.write_string_with_format(r, c as u16, &v, cell)
                    .map_err(xerr)?;
            }
        }
        ws.set_freeze_panes(top + 1, 0).map_err(xerr)?;
        let last_row = sheet.rows.len().max(1) as u32 + top;
        ws.autofilter(top, 0, last_row, last_col).map_err(xerr)?;
        for (c, col) in sheet.columns.iter().enumerate() {
            if col.status {
                let dv = DataValidation::new()
                    .allow_list_strings(&STATUS_CHOICES)
                    .map_err(xerr)?
                    .set_input_title("状态")
                    .map_err(xerr)?
                    .set_input_message("请从下拉列表中选择：未启动、推进中、已完成、已销号")
                    .map_err(xerr)?;
                ws.add_data_validation(top + 1, c as u16, last_row.max(1000), c as u16, &dv)
                    .map_err(xerr)?;
            }
        }
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_repeat_rows(top, top).map_err(xerr)?;
        ws.set_print_fit_to_pages(1, 0);
        ws.set_footer("&C第 &P 页 共 &N 页");
    }
    wb.save_to_buffer().map_err(xerr)
}

/// Excel column widths (in its character units) of the columns, narrowed in proportion
/// when together they are wider than landscape A4 can print at full size (about 150 units
/// at the default font), never below 6.
fn xlsx_widths(columns: &[Column]) -> Vec<f64> {
    const PRINTABLE: f64 = 150.0;
    let raw: Vec<f64> = columns.iter().map(|c| c.width * 2.0 + 1.5).collect();
    let total: f64 = raw.iter().sum();
    if total <= PRINTABLE {
        return raw;
    }
    let k = PRINTABLE / total;
    raw.into_iter().map(|w| (w * k).max(6.0)).collect()
}

/// Write CSV (UTF-8 with BOM). Every sheet after the first follows after a blank line.
pub fn to_csv(book: &Workbook) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for (i, sheet) in book.sheets.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        let header: Vec<String> = sheet.columns.iter().map(|c| field(&c.header)).collect();
        out.extend_from_slice(header.join(",").as_bytes());
        out.extend_from_slice(b"\r\n");
        for row in &sheet.rows {
            let cells: Vec<String> = row.iter().map(|c| field(c)).collect();
            out.extend_from_slice(cells.join(",").as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// Column widths in twips for a table `text_w` twips wide: every column at least as wide
/// as its header (10.5 pt characters plus cell margins), the rest shared in proportion to
/// the columns' nominal widths.
fn docx_widths(columns: &[Column], text_w: u32) -> Vec<u32> {
    const CHAR: f64 = 210.0; // 10.5 pt in twips
    let min: Vec<f64> = columns
        .iter()
        .map(|c| (c.header.chars().count().min(2) as f64) * CHAR + 140.0)
        .collect();
    let nominal: Vec<f64> = columns.iter().map(|c| c.width * CHAR + 140.0).collect();
    let total_min: f64 = min.iter().sum();
    let extra: Vec<f64> = nominal
        .iter()
        .zip(&min)
        .map(|(n, m)| (n - m).max(0.0))
        .collect();
    let total_extra: f64 = extra.iter().sum::<f64>().max(1.0);
    let room = (f64::from(text_w) - total_min).max(0.0);
    min.iter()
        .zip(&extra)
        .map(|(m, e)| (m + room * e / total_extra) as u32)
        .collect()
}

/// Lines a cell needs in a column `width` characters wide (CJK counted as one character).
fn lines_needed(text: &str, width: f64) -> usize {
    text.split('\n')
        .map(|line| {
            let w: f64 = line
                .chars()
                .map(|c| if crate::text::is_wide(c) { 1.0 } else { 0.55 })
                .sum();
            ((w / width.max(1.0)).ceil() as usize).max(1)
        })
        .sum()
}

const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";

/// A cell's or title's text as one run of `font` at `size` half-points, its lines
/// separated by line breaks.
fn text_run(text: &str, font: &'static str, size: u32) -> Run {
    let mut r = Run::new(RunProps::font(font, size));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.item(Inline::LineBreak);
        }
        r = r.text(line);
    }
    r
}

/// A paragraph `after` twips above the next, single-spaced.
fn spaced(after: u32, line: Option<i32>) -> Paragraph {
    Paragraph::new(Spacing {
        before: line.map(|_| 0),
        after: Some(after),
        line: line.map(|l| (l, LineRule::Auto)),
    })
}

/// Write a DOCX of the workbook: each sheet a titled table on landscape A4, 仿宋, the header
/// row repeated on every page (docx-rs, which wrote the instruments until stop 25, cannot
/// mark a header row), with no theme fonts and fixed zip timestamps.
pub fn to_docx(book: &Workbook) -> Result<Vec<u8>> {
    to_docx_parts(book).map_err(|e| Error::msg(format!("生成 DOCX 文件失败（{e}）")))
}

fn to_docx_parts(book: &Workbook) -> std::io::Result<Vec<u8>> {
    // Landscape A4: 297 × 210 mm; margins 20 mm (1134 twips).
    let (page_w, page_h, margin) = (16838u32, 11906u32, 1134i32);
    let text_w = page_w - 2 * margin as u32;
    let defaults = (
        RunProps {
            east_asian_lang: Some("zh-CN"),
            ..RunProps::font(FANGSONG, 21)
        },
        ParaProps {
            spacing: Some(Spacing {
                before: None,
                after: Some(0),
                line: Some((240, LineRule::Auto)),
            }),
            ..Default::default()
        },
    );
    let page = Page {
        width: page_w,
        height: page_h,
        landscape: true,
        margins: [margin; 4],
        header: 567,
        footer: 567,
        line_pitch: None,
    };
    let mut pkg = Package::new(page, defaults);
    pkg.title = book
        .sheets
        .first()
        .map(|s| s.title.clone())
        .unwrap_or_default();
    pkg.author = "jiandu".into();
    pkg.fonts = wml::CHINESE_FONTS;
    let x = &mut pkg.body;
    for (si, sheet) in book.sheets.iter().enumerate() {
        if si > 0 {
            x.paragraph(&Paragraph::default().run(Run::default().item(Inline::PageBreak)))?;
        }
        let after = if sheet.subtitle.is_empty() { 200 } else { 60 };
        x.paragraph(&spaced(after, None).align(Align::Center).run(text_run(
            &sheet.title,
            HEITI,
            32,
        )))?;
        for (k, line) in sheet.subtitle.iter().enumerate() {
            let after = if k + 1 == sheet.subtitle.len() {
                200
            } else {
                0
            };
            x.paragraph(
                &spaced(after, None)
                    .align(Align::Center)
                    .run(text_run(line, FANGSONG, 21)),
            )?;
        }
        let widths = docx_widths(&sheet.columns, text_w);
        x.open("w:tbl", &[])?;
        x.open("w:tblPr", &[])?;
        x.empty("w:tblW", &[("w:w", &text_w.to_string()), ("w:type", "dxa")])?;
        x.open("w:tblBorders", &[])?;
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            x.empty(
                &format!("w:{side}"),
                &[
                    ("w:val", "single"),
                    ("w:sz", "4"),
                    ("w:space", "0"),
                    ("w:color", "000000"),
                ],
            )?;
        }
        x.close("w:tblBorders")?;
        x.empty("w:tblLayout", &[("w:type", "fixed")])?;
        x.open("w:tblCellMar", &[])?;
        for side in ["w:left", "w:right"] {
            x.empty(side, &[("w:w", "57"), ("w:type", "dxa")])?;
        }
        x.close("w:tblCellMar")?;
        x.close("w:tblPr")?;
        x.open("w:tblGrid", &[])?;
        for w in &widths {
            x.empty("w:gridCol", &[("w:w", &w.to_string())])?;
        }
        x.close("w:tblGrid")?;
        let mut row = |cells: &[String], header: bool, group: bool| -> std::io::Result<()> {
            // The header row repeats on every page and never splits; body rows may split, as
            // a long row kept whole would leave most of a page empty.
            x.open("w:tr", &[])?;
            x.open("w:trPr", &[])?;
            if header {
                x.empty("w:cantSplit", &[])?;
                x.empty("w:tblHeader", &[])?;
            }
            x.close("w:trPr")?;
            for (c, w) in cells.iter().zip(&widths) {
                x.open("w:tc", &[])?;
                x.open("w:tcPr", &[])?;
                x.empty("w:tcW", &[("w:w", &w.to_string()), ("w:type", "dxa")])?;
                let fill = if header {
                    Some("DDEBF7")
                } else if group {
                    Some("F2F2F2")
                } else {
                    None
                };
                if let Some(fill) = fill {
                    x.empty(
                        "w:shd",
                        &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)],
                    )?;
                }
                if header {
                    x.val("w:vAlign", "center")?;
                }
                x.close("w:tcPr")?;
                let mut p = spaced(0, Some(260));
                if header {
                    p = p.align(Align::Center);
                }
                let font = if header || group { HEITI } else { FANGSONG };
                x.paragraph(&p.run(text_run(c, font, 21)))?;
                x.close("w:tc")?;
            }
            x.close("w:tr")
        };
        let headers: Vec<String> = sheet.columns.iter().map(|c| c.header.clone()).collect();
        row(&headers, true, false)?;
        for (ri, r) in sheet.rows.iter().enumerate() {
            row(r, false, sheet.group_rows.contains(&ri))?;
        }
        x.close("w:tbl")?;
    }
    // A table must not end the body.
    x.paragraph(&Paragraph::default())?;
    // Page numbers in the footer: 第 N 页 共 M 页.
    let small = |t: &str| text_run(t, FANGSONG, 21);
    let footer = Paragraph::default()
        .align(Align::Center)
        .run(small("第 "))
        .run(Run::new(RunProps::font(FANGSONG, 21)).item(Inline::Field("PAGE")))
        .run(small(" 页 共 "))
        .run(Run::new(RunProps::font(FANGSONG, 21)).item(Inline::Field("NUMPAGES")))
        .run(small(" 页"));
    pkg.footers.push((Pages::Default, vec![footer]));
    pkg.finish()
}
