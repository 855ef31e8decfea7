//! Tables (checklists and the lists derived from them) → XLSX, DOCX and CSV.
//!
//! A [`Workbook`] is plain data: sheets of text cells with a header row. The XLSX writer
//! gives a bold frozen header, wrapped cells, sensible widths, an autofilter and the 状态
//! drop-down; the DOCX writer a landscape A4 table in 仿宋 whose header row repeats on every
//! page; the CSV writer UTF-8 with a BOM, which Excel in China opens correctly.

use crate::error::{Error, Result};
use std::io::Write;

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

/// Escape text for XML content and attributes; control characters (other than tab and
/// newline, which callers turn into elements) are dropped, as XML 1.0 cannot carry them.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
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

fn run(text: &str, font: &str, size_half_pt: u32, bold: bool) -> String {
    let mut s = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            s.push_str("<w:r><w:br/></w:r>");
        }
        s.push_str(&format!(
            "<w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\" w:cs=\"{font}\"/>{}<w:sz w:val=\"{size_half_pt}\"/><w:szCs w:val=\"{size_half_pt}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            if bold { "<w:b/>" } else { "" },
            xml_escape(line)
        ));
    }
    s
}

/// Write a DOCX of the workbook: each sheet a titled table on landscape A4, 仿宋, the header
/// row repeated on every page. Written as plain OOXML (docx-rs cannot mark a header row),
/// with no theme fonts and fixed zip timestamps.
pub fn to_docx(book: &Workbook) -> Result<Vec<u8>> {
    // Landscape A4: 297 × 210 mm; margins 20 mm (1134 twips).
    let (page_w, page_h, margin) = (16838u32, 11906u32, 1134u32);
    let text_w = page_w - 2 * margin;
    let mut body = String::new();
    for (si, sheet) in book.sheets.iter().enumerate() {
        if si > 0 {
            body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
        }
        body.push_str(&format!(
            "<w:p><w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"{}\"/></w:pPr>{}</w:p>",
            if sheet.subtitle.is_empty() { 200 } else { 60 },
            run(&sheet.title, HEITI, 32, false)
        ));
        for (k, line) in sheet.subtitle.iter().enumerate() {
            body.push_str(&format!(
                "<w:p><w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"{}\"/></w:pPr>{}</w:p>",
                if k + 1 == sheet.subtitle.len() {
                    200
                } else {
                    0
                },
                run(line, FANGSONG, 21, false)
            ));
        }
        let widths = docx_widths(&sheet.columns, text_w);
        body.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"");
        body.push_str(&text_w.to_string());
        body.push_str("\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            body.push_str(&format!(
                "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
            ));
        }
        body.push_str("</w:tblBorders><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
        for w in &widths {
            body.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        body.push_str("</w:tblGrid>");
        let row_xml = |cells: &[String], header: bool, group: bool| {
            // The header row repeats on every page and never splits; body rows may split, as
            // a long row kept whole would leave most of a page empty.
            let mut s = String::from("<w:tr><w:trPr>");
            if header {
                s.push_str("<w:cantSplit/><w:tblHeader/>");
            }
            s.push_str("</w:trPr>");
            for (c, w) in cells.iter().zip(&widths) {
                s.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
                ));
                if header {
                    s.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DDEBF7\"/><w:vAlign w:val=\"center\"/>");
                } else if group {
                    s.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/>");
                }
                s.push_str("</w:tcPr><w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"260\" w:lineRule=\"auto\"/>");
                if header {
                    s.push_str("<w:jc w:val=\"center\"/>");
                }
                s.push_str("</w:pPr>");
                s.push_str(&run(
                    c,
                    if header || group { HEITI } else { FANGSONG },
                    21,
                    false,
                ));
                s.push_str("</w:p></w:tc>");
            }
            s.push_str("</w:tr>");
            s
        };
        let headers: Vec<String> = sheet.columns.iter().map(|c| c.header.clone()).collect();
        body.push_str(&row_xml(&headers, true, false));
        for (ri, row) in sheet.rows.iter().enumerate() {
            body.push_str(&row_xml(row, false, sheet.group_rows.contains(&ri)));
        }
        body.push_str("</w:tbl>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{body}<w:p/><w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/><w:pgSz w:w=\"{page_w}\" w:h=\"{page_h}\" w:orient=\"landscape\"/><w:pgMar w:top=\"{margin}\" w:right=\"{margin}\" w:bottom=\"{margin}\" w:left=\"{margin}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{FANGSONG}\" w:hAnsi=\"{FANGSONG}\" w:eastAsia=\"{FANGSONG}\" w:cs=\"{FANGSONG}\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:rPr><w:rFonts w:ascii=\"{FANGSONG}\" w:hAnsi=\"{FANGSONG}\" w:eastAsia=\"{FANGSONG}\" w:cs=\"{FANGSONG}\"/></w:rPr></w:style><w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>"
    );
    // Page numbers in the footer: 第 N 页 共 M 页.
    let field = |instr: &str| {
        format!("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>")
    };
    let footer = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{}{}{}{}{}</w:p></w:ftr>",
        run("第 ", FANGSONG, 21, false),
        field("PAGE"),
        run(" 页 共 ", FANGSONG, 21, false),
        field("NUMPAGES"),
        run(" 页", FANGSONG, 21, false),
    );
    let files: [(&str, String); 7] = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>".to_string()),
        ("word/_rels/document.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/></Relationships>".to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
        ("word/footer1.xml", footer),
        ("docProps/core.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>jiandu</dc:creator></cp:coreProperties>", xml_escape(&book.sheets.first().map(|s| s.title.clone()).unwrap_or_default()))),
    ];
    let app = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>jiandu</Application></Properties>";
    zip_files(
        files
            .iter()
            .map(|(n, c)| (*n, c.as_bytes()))
            .chain([("docProps/app.xml", app.as_bytes())]),
    )
}

/// Pack files into a zip with fixed timestamps (so the same content gives the same bytes).
pub fn zip_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<Vec<u8>> {
    let zerr = |e: zip::result::ZipError| Error::msg(format!("打包文件失败：{e}"));
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in files {
        zw.start_file(name, opts).map_err(zerr)?;
        zw.write_all(bytes)
            .map_err(|e| Error::msg(format!("打包文件失败：{e}")))?;
    }
    Ok(zw.finish().map_err(zerr)?.into_inner())
}
