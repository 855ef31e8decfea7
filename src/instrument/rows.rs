//! Rows of a spreadsheet or CSV → one [`Data`] per person, for batches.
//!
//! Columns map to fields by label or key (`--map 列名=key` overrides); columns that map to
//! nothing are reported once; blank rows are skipped; list cells are left as text (the
//! field's kind splits them on line breaks or ；). Dates arrive as date cells, as Excel day
//! serials (calamine does not recognise Excel's built-in Chinese date formats 27–36, so such
//! cells are plain numbers), or as text; a date field reads all three.

use super::data::{Data, Raw};
use super::schema::Kind;
use super::Instrument;
use crate::error::{Error, Result};
use crate::intake::Limits;
use calamine::Data as Cell;
use std::path::Path;

/// One row of people data.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row number as the spreadsheet shows it (1-based, header included).
    pub number: u32,
    /// The row's values by field key.
    pub data: Data,
}

/// A table read for a batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rows {
    /// Column headers as written.
    pub headers: Vec<String>,
    /// The field key each column fills, if any.
    pub keys: Vec<Option<String>>,
    /// Headers that map to no field (reported once).
    pub unmapped: Vec<String>,
    /// Non-blank rows in order.
    pub rows: Vec<Row>,
}

impl Rows {
    /// The header of the column that fills `key`, for messages ("第 12 行“谈话日期”列").
    pub fn header_of(&self, key: &str) -> Option<&str> {
        self.keys
            .iter()
            .position(|k| k.as_deref() == Some(key))
            .map(|i| self.headers[i].as_str())
    }
}

/// A sheet's rows: each with its row number as the spreadsheet shows it.
type Grid = Vec<(u32, Vec<Value>)>;

/// A cell as the batch sees it: text, a number, or a date.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(i32, u32, u32),
}

fn from_cell(c: &Cell) -> Value {
    match c {
        Cell::Empty => Value::Empty,
        Cell::String(s) | Cell::DateTimeIso(s) | Cell::DurationIso(s) => {
            if s.trim().is_empty() {
                Value::Empty
            } else {
                Value::Text(s.clone())
            }
        }
        Cell::Float(f) => Value::Number(*f),
        Cell::Int(i) => Value::Number(*i as f64),
        Cell::Bool(b) => Value::Text(if *b { "是" } else { "否" }.to_string()),
        Cell::DateTime(d) => {
            let v = d.as_f64();
            match crate::intake::sheet::datetime_ymd(d) {
                Some((y, m, dd)) if v.fract() == 0.0 => Value::Date(y, m, dd),
                Some((y, m, dd)) => Value::Text(format!("{y}年{m}月{dd}日{}", clock(v))),
                // A time of day alone (14:30).
                None if (0.0..1.0).contains(&v) => Value::Text(clock(v)),
                None => Value::Text(d.to_string()),
            }
        }
        Cell::Error(e) => Value::Text(format!("#{e:?}")),
    }
}

/// The time of day of an Excel serial's fraction, as offices write it: `14:30`.
fn clock(v: f64) -> String {
    let minutes = (v.fract() * 24.0 * 60.0).round() as i64;
    format!("{}:{:02}", (minutes / 60) % 24, minutes % 60)
}

/// Interpret a cell for a field of `kind` (`key` names the field).
/// `offset` is the days to add to a plain number read as a day serial (the 1904 date system).
fn raw_for(value: &Value, kind: Kind, key: &str, offset: i64) -> Raw {
    match (value, kind) {
        // A time column whose cells are plain day fractions (a time format the reader does
        // not know as one).
        (Value::Number(f), Kind::Text) if key == "time" && (0.0..1.0).contains(f) => {
            Raw::Text(clock(*f))
        }
        (Value::Empty, _) => Raw::Null,
        (Value::Date(y, m, d), Kind::Date) => Raw::Date(*y, *m, *d),
        (Value::Date(y, m, d), _) => Raw::Text(format!("{y}年{m}月{d}日")),
        // An Excel day serial in a date column: a date whatever its display format.
        (Value::Number(f), Kind::Date) if f.fract() == 0.0 => {
            match crate::intake::sheet::excel_serial_to_ymd(*f as i64 + offset) {
                Some((y, m, d)) if (1950..=2200).contains(&y) => Raw::Date(y, m, d),
                _ => Raw::Text(number_text(*f)),
            }
        }
        // The same serial written out as text (a CSV saved from a General-format cell).
        (Value::Text(s), Kind::Date)
            if s.trim().len() == 5 && s.trim().chars().all(|c| c.is_ascii_digit()) =>
        {
            raw_for(
                &Value::Number(s.trim().parse().unwrap_or(0.0)),
                Kind::Date,
                key,
                0,
            )
        }
        (Value::Number(f), Kind::Integer) if f.fract() == 0.0 => Raw::Integer(*f as i64),
        (Value::Number(f), _) => Raw::Text(number_text(*f)),
        (Value::Text(s), _) => Raw::Text(s.clone()),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Read the rows of `path` (.xlsx, .xls, .ods or .csv) for `inst`, within `limits`. `sheet`
/// picks a sheet by name (default: the first with a recognisable header); `map` gives
/// `(header, key or label)` overrides.
pub fn read(
    path: &Path,
    sheet: Option<&str>,
    inst: &Instrument,
    map: &[(String, String)],
    limits: &Limits,
) -> Result<Rows> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bytes = crate::intake::load(path, limits)?;
    read_bytes(&bytes, &ext, sheet, inst, map, limits).map_err(|e| e.with_path(path))
}

/// Read rows from the bytes of a table whose file extension (lower case, no dot) is `ext`;
/// errors name no file (the caller adds it).
pub fn read_bytes(
    bytes: &[u8],
    ext: &str,
    sheet: Option<&str>,
    inst: &Instrument,
    map: &[(String, String)],
    limits: &Limits,
) -> Result<Rows> {
    let table: (Grid, i64) = match ext {
        "csv" | "txt" => (csv_table(bytes)?, 0),
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => sheet_table(bytes, sheet, limits)?,
        _ => return Err(Error::msg("名单文件的扩展名应为 .xlsx、.xls、.ods 或 .csv")),
    };
    rows_of(table.0, inst, map, table.1)
}

fn csv_table(bytes: &[u8]) -> Result<Vec<(u32, Vec<Value>)>> {
    let text = crate::intake::txt::decode(bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| Error::msg(format!("第 {} 行不是有效的 CSV（{e}）", i + 1)))?;
        let row = rec
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    Value::Empty
                } else {
                    Value::Text(s.to_string())
                }
            })
            .collect();
        out.push((i as u32 + 1, row));
    }
    Ok(out)
}

fn sheet_table(bytes: &[u8], sheet: Option<&str>, limits: &Limits) -> Result<(Grid, i64)> {
    use crate::intake::sheet::{self, Pick};
    let pick = sheet.map_or(Pick::First, Pick::Named);
    let ws = sheet::read_worksheet(bytes, pick, limits, sheet::damaged)?;
    let (range, offset) = (ws.range, ws.serial_offset);
    let start = range.start().map(|(r, _)| r).unwrap_or(0);
    let start_col = range.start().map(|(_, c)| c).unwrap_or(0) as usize;
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![Value::Empty; start_col];
            cells.extend(r.iter().map(from_cell));
            (start + i as u32 + 1, cells)
        })
        .collect();
    Ok((rows, offset))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Text(s) => s.trim().to_string(),
        Value::Number(f) => number_text(*f),
        Value::Date(y, m, d) => format!("{y}年{m}月{d}日"),
    }
}

fn rows_of(
    table: Vec<(u32, Vec<Value>)>,
    inst: &Instrument,
    map: &[(String, String)],
    offset: i64,
) -> Result<Rows> {
    let key_for = |header: &str| -> Option<String> {
        let h = header.trim();
        if let Some((_, target)) = map.iter().find(|(col, _)| col.trim() == h) {
            return inst.field_by_header(target).map(|f| f.key.clone());
        }
        inst.field_by_header(h).map(|f| f.key.clone())
    };
    // The header: the first of the first ten rows that names at least two fields.
    let (hidx, headers, keys) = table
        .iter()
        .take(10)
        .enumerate()
        .find_map(|(i, (_, cells))| {
            let headers: Vec<String> = cells.iter().map(text_of).collect();
            let keys: Vec<Option<String>> = headers.iter().map(|h| key_for(h)).collect();
            (keys.iter().flatten().count() >= 2).then_some((i, headers, keys))
        })
        .ok_or_else(|| {
            Error::msg(format!(
                "找不到表头：前 10 行中没有一行能对应到“{}”的字段（如 姓名、谈话日期），可用 jiandu templates show {} 查看字段名称，或用 --map 列名=字段 指定",
                inst.name(),
                inst.id()
            ))
        })?;
    for (col, target) in map {
        if inst.field_by_header(target).is_none() {
            return Err(Error::msg(format!(
                "--map {col}={target}：“{}”没有“{target}”这个字段",
                inst.name()
            )));
        }
        if !headers.iter().any(|h| h.trim() == col.trim()) {
            return Err(Error::msg(format!(
                "--map {col}={target}：表头中没有“{col}”这一列"
            )));
        }
    }
    let unmapped: Vec<String> = headers
        .iter()
        .zip(&keys)
        .filter(|(h, k)| k.is_none() && !h.is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    let mut rows = Vec::new();
    for (number, cells) in table.into_iter().skip(hidx + 1) {
        let mut data = Data::new();
        let mut any = false;
        for (c, value) in cells.iter().enumerate() {
            let Some(Some(key)) = keys.get(c) else {
                continue;
            };
            if *value == Value::Empty {
                continue;
            }
            let kind = inst
                .schema
                .by_key(key)
                .map(|f| f.kind)
                .unwrap_or(Kind::Text);
            data.set(key.clone(), raw_for(value, kind, key, offset));
            any = true;
        }
        if any {
            rows.push(Row { number, data });
        }
    }
    Ok(Rows {
        headers,
        keys,
        unmapped,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk() -> Instrument {
        crate::instrument::find("talk-notice").unwrap()
    }

    /// A workbook in the 1904 date system (Excel for Mac's old default): a date cell and a
    /// plain day number in a date column both give the dates the clerk sees, not dates
    /// 1,462 days early.
    #[test]
    fn the_1904_date_system_is_read_as_such() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        for (c, h) in ["姓名", "谈话日期", "成文日期"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "张三").unwrap();
        // 2022-03-08 and 2022-03-01 as 1904 serials (days since 1904-01-01).
        ws.write_number_with_format(1, 1, 44_628.0 - 1_462.0, &date)
            .unwrap();
        ws.write_number(1, 2, 44_621.0 - 1_462.0).unwrap();
        let plain = wb.save_to_buffer().unwrap();
        // Mark it as a 1904 workbook, as Excel writes it.
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(plain)).unwrap();
        let mut out = Vec::new();
        {
            let mut zout = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
            for i in 0..zin.len() {
                let mut f = zin.by_index(i).unwrap();
                let name = f.name().unwrap().to_string();
                let mut text = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut text).unwrap();
                if name == "xl/workbook.xml" {
                    let xml = String::from_utf8(text).unwrap();
                    assert!(xml.contains("<workbookPr"), "{xml}");
                    text = xml
                        .replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
                        .into_bytes();
                }
                zout.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut zout, &text).unwrap();
            }
            zout.finish().unwrap();
        }
        let rows = read_bytes(&out, "xlsx", None, &talk(), &[], &Limits::default()).unwrap();
        let data = &rows.rows[0].data;
        assert_eq!(data.get("date"), Some(&Raw::Date(2022, 3, 8)));
        assert_eq!(data.get("issue_date"), Some(&Raw::Date(2022, 3, 1)));
    }

    #[test]
    fn csv_utf8_bom_and_gb18030() {
        let text =
            "序号,姓名,职务,谈话日期,备注\n1,张三,科长,2022-03-05,x\n,,,,\n2,李四,副科长,45000,\n";
        let dir = tempfile::tempdir().unwrap();
        let utf8 = dir.path().join("a.csv");
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(text.as_bytes());
        std::fs::write(&utf8, b).unwrap();
        let gbk = dir.path().join("b.csv");
        std::fs::write(&gbk, encoding_rs::GB18030.encode(text).0).unwrap();
        for p in [utf8, gbk] {
            let rows = read(&p, None, &talk(), &[], &Limits::default()).unwrap();
            assert_eq!(rows.unmapped, vec!["序号", "备注"]);
            assert_eq!(rows.rows.len(), 2);
            assert_eq!(rows.rows[0].number, 2);
            assert_eq!(rows.rows[1].number, 4);
            assert_eq!(
                rows.rows[0].data.get("name"),
                Some(&Raw::Text("张三".into()))
            );
            // A day serial in a date column is a date.
            assert_eq!(rows.rows[1].data.get("date"), Some(&Raw::Date(2023, 3, 15)));
        }
    }

    #[test]
    fn times_of_day() {
        assert_eq!(clock(0.604_166_666_666_667), "14:30");
        assert_eq!(clock(0.375), "9:00");
        assert_eq!(
            raw_for(&Value::Number(0.4375), Kind::Text, "time", 0),
            Raw::Text("10:30".into())
        );
    }

    #[test]
    fn map_overrides_and_bad_map() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "被谈话人,职务,谈话日期\n王五,科员,2022/3/5\n").unwrap();
        let map = vec![("被谈话人".to_string(), "姓名".to_string())];
        let rows = read(&p, None, &talk(), &map, &Limits::default()).unwrap();
        assert_eq!(
            rows.rows[0].data.get("name"),
            Some(&Raw::Text("王五".into()))
        );
        assert_eq!(rows.header_of("name"), Some("被谈话人"));
        let bad = vec![("被谈话人".to_string(), "不存在".to_string())];
        let e = read(&p, None, &talk(), &bad, &Limits::default()).unwrap_err();
        assert!(e.message.contains("没有“不存在”这个字段"), "{e}");
    }

    #[test]
    fn no_header_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "甲,乙\n1,2\n").unwrap();
        let e = read(&p, None, &talk(), &[], &Limits::default()).unwrap_err();
        assert!(e.message.contains("找不到表头"), "{e}");
        assert!(e.to_string().contains("a.csv"));
    }
}
