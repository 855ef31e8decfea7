//! Spreadsheets (.xlsx, .xls, .ods): a plan kept as a table, one task per row.
//!
//! The header row is found by its labels (工作任务/任务/内容, 责任单位/责任主体/牵头单位,
//! 完成时限/时限 …) within the first rows of each sheet; each later non-blank row becomes
//! one block whose text is the task and whose [`RowFields`](super::RowFields) carry the other columns.

use super::limits::{hint, Limit};
use super::{Block, Limits, Origin};
use crate::error::{Error, Result};
use calamine::{Data, Reader};
use std::io::Cursor;
use std::path::Path;

/// A cell as text; numbers without a needless ".0".
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(d) => match datetime_ymd(d) {
            Some((y, m, dd)) => format!("{y}年{m}月{dd}日"),
            None => d.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}

/// The calendar date of a date cell, in the workbook's own date system (a workbook saved
/// with the 1904 system, as Excel for Mac once did, counts from 1904-01-01: read as 1900
/// serials its dates would fall 1,462 days early). `None` for a duration or an impossible
/// serial.
pub fn datetime_ymd(d: &calamine::ExcelDateTime) -> Option<(i32, u32, u32)> {
    if d.is_duration() || !(1.0..2_958_466.0).contains(&d.as_f64()) {
        return None;
    }
    let (y, m, dd, ..) = d.to_ymd_hms_milli();
    Some((i32::from(y), u32::from(m), u32::from(dd)))
}

/// Days to add to a plain number read as a day serial of this workbook: 1,462 for the 1904
/// date system, else 0 (a date cell carries its system itself, see [`datetime_ymd`]).
pub fn serial_offset<RS: std::io::Read + std::io::Seek>(wb: &calamine::Sheets<RS>) -> i64 {
    let is_1904 = match wb {
        calamine::Sheets::Xlsx(x) => x.has_1904_epoch(),
        calamine::Sheets::Xls(x) => x.has_1904_epoch(),
        _ => false,
    };
    if is_1904 {
        1_462
    } else {
        0
    }
}

/// Excel's day serial (days since 1899-12-30, the 1900 date system) as a calendar date.
pub fn excel_serial_to_ymd(serial: i64) -> Option<(i32, u32, u32)> {
    if !(1..=2_958_465).contains(&serial) {
        return None;
    }
    Some(civil_from_days(serial - 25_569))
}

pub use crate::date::civil_from_days;

/// Refuse a zipped workbook (.xlsx, .ods) any of whose parts decompresses past
/// [`Limits::part_bytes`] (a zip bomb), counted by decompressing, since the sizes in the zip
/// directory are not to be trusted. Other bytes are left to the spreadsheet reader.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<()> {
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // calamine reports a broken zip itself.
        return Ok(());
    };
    // The whole may hold twice one part's limit: a workbook of many parts each under the
    // limit is no more to be decompressed without end than one big part.
    let total_limit = limits.part_bytes.saturating_mul(2);
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else {
            continue;
        };
        let name = file.name().map(|n| n.to_string()).unwrap_or_default();
        let mut counted = std::io::Read::take(file, limits.part_bytes.saturating_add(1));
        let n = std::io::copy(&mut counted, &mut std::io::sink()).unwrap_or(0);
        if n > limits.part_bytes {
            return Err(Error::msg(format!(
                "表格中的 {name} 解压后超过 {} MB，超出上限，拒绝读取（文件可能被恶意构造）；{}",
                limits.get(Limit::PartMb),
                hint(Limit::PartMb)
            )));
        }
        total = total.saturating_add(n);
        if total > total_limit {
            return Err(Error::msg(format!(
                "表格的各部分解压后合计超过 {} MB（单个部分上限的两倍），拒绝读取（文件可能被恶意构造）；{}",
                limits.get(Limit::PartMb).saturating_mul(2),
                hint(Limit::PartMb)
            )));
        }
    }
    Ok(())
}

/// Refuse a legacy .xls (a Compound File) whose header claims more sectors than the file
/// holds: the spreadsheet reader allocates by those counts before reading a sector, so a
/// crafted header of a few hundred bytes could ask for gigabytes.
pub fn check_cfb(bytes: &[u8]) -> Result<()> {
    const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if !bytes.starts_with(&MAGIC) {
        return Ok(());
    }
    let damaged = || {
        Error::msg("表格文件（.xls）已损坏：文件头记录的结构与文件大小不符，无法读取；请用原软件打开后另存一份再试")
    };
    let u16_at = |o: usize| {
        bytes
            .get(o..o + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |o: usize| {
        bytes
            .get(o..o + 4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let sector: u64 = match u16_at(30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err(damaged()),
    };
    let len = bytes.len() as u64;
    // Directory, FAT, mini FAT and DIFAT sector counts: each sector must lie in the file.
    for offset in [40, 44, 64, 72] {
        let count = u32_at(offset).ok_or_else(damaged)?;
        if count.saturating_mul(sector) > len {
            return Err(damaged());
        }
    }
    Ok(())
}

/// Open a workbook after the checks every spreadsheet read needs ([`check_zip`],
/// [`check_cfb`]); `unreadable` words the error when the spreadsheet library cannot open it
/// (see [`damaged`]). Run it contained (`intake::contain`): the library may panic.
pub fn open<'a>(
    bytes: &'a [u8],
    limits: &Limits,
    unreadable: impl FnOnce(calamine::Error) -> Error,
) -> Result<calamine::Sheets<Cursor<&'a [u8]>>> {
    check_zip(bytes, limits)?;
    check_cfb(bytes)?;
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(unreadable)
}

/// Which worksheet of a workbook to read.
#[derive(Debug, Clone, Copy)]
pub enum Pick<'a> {
    /// The sheet of this name; an error naming the sheets there are when there is none.
    Named(&'a str),
    /// The sheet of this name when there is one, else the first (a 任务清单 or 整改台账
    /// exported by jiandu, or the same table saved under another name).
    Preferred(&'a str),
    /// The first sheet.
    First,
}

/// One worksheet read from a workbook's bytes.
#[derive(Debug, Clone)]
pub struct Worksheet {
    /// Its name.
    pub name: String,
    /// Its cells.
    pub range: calamine::Range<Data>,
    /// Days to add to a plain day number in a date column to read it in the workbook's date
    /// system ([`serial_offset`]).
    pub serial_offset: i64,
}

/// Read one worksheet of a workbook (.xlsx, .xls, .ods …) in memory, within `limits` (zip
/// parts, cell extent) and with the reader's panics turned into errors: the one way every
/// stage reads a spreadsheet's table. `unreadable` words the error for bytes that are no
/// workbook. Errors name no file (the caller adds it).
pub fn read_worksheet(
    bytes: &[u8],
    pick: Pick,
    limits: &Limits,
    unreadable: impl FnOnce(calamine::Error) -> Error,
) -> Result<Worksheet> {
    super::contain::contain("表格文件", || {
        let mut wb = open(bytes, limits, unreadable)?;
        let serial_offset = serial_offset(&wb);
        let names = wb.sheet_names().to_vec();
        let name = match pick {
            Pick::Named(s) => names.iter().find(|n| n.as_str() == s).ok_or_else(|| {
                Error::msg(format!("没有名为“{s}”的工作表，现有：{}", names.join("、")))
            })?,
            Pick::Preferred(s) => names
                .iter()
                .find(|n| n.as_str() == s)
                .or(names.first())
                .ok_or_else(|| Error::msg("表格里没有工作表"))?,
            Pick::First => names
                .first()
                .ok_or_else(|| Error::msg("表格里没有工作表"))?,
        }
        .clone();
        check_extent(&mut wb, &name, limits)?;
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| Error::msg(format!("无法读取工作表“{name}”（{e}）")))?;
        Ok(Worksheet {
            name,
            range,
            serial_offset,
        })
    })
}

/// The error for a workbook the spreadsheet library cannot open.
pub fn damaged(e: calamine::Error) -> Error {
    Error::msg(format!("无法打开表格，文件可能已损坏或不是表格文件（{e}）"))
}

/// Refuse an .xlsx sheet whose cells span more than [`Limits::sheet_cells`] (rows × columns
/// between its first and last cell), found by streaming its cells' positions (cheap) before
/// calamine builds the dense range: calamine lays a sheet out densely, so a file with one cell
/// in A1 and one in XFD1048576 would ask for billions of cells. Other formats have small
/// fixed limits of their own (.xls: 65,536 × 256).
pub fn check_extent<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    sheet: &str,
    limits: &Limits,
) -> Result<()> {
    let calamine::Sheets::Xlsx(x) = wb else {
        return Ok(());
    };
    let Ok(mut cells) = x.worksheet_cells_reader(sheet) else {
        // calamine reports the problem itself when it reads the range.
        return Ok(());
    };
    let (mut r0, mut c0, mut r1, mut c1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    while let Ok(Some(cell)) = cells.next_cell() {
        let (r, c) = cell.get_position();
        r0 = r0.min(r);
        c0 = c0.min(c);
        r1 = r1.max(r);
        c1 = c1.max(c);
    }
    if r0 == u32::MAX {
        return Ok(());
    }
    let span = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
    if span > limits.sheet_cells {
        return Err(Error::msg(format!(
                "工作表“{sheet}”的数据范围过大（{} 行 × {} 列），超过 {} 个单元格的上限；请删除多余的行列后另存再试。{}",
                r1 - r0 + 1,
                c1 - c0 + 1,
                limits.sheet_cells,
                hint(Limit::SheetCells)
        )));
    }
    Ok(())
}

/// Read every sheet of a workbook within the default limits; rows under a recognised header
/// become tasks.
pub fn read(bytes: &[u8], path: &Path) -> Result<Vec<Block>> {
    read_with(bytes, path, &Limits::default())
}

/// Read every sheet of a workbook within `limits`.
pub fn read_with(bytes: &[u8], path: &Path, limits: &Limits) -> Result<Vec<Block>> {
    let mut wb = open(bytes, limits, |e| damaged(e).with_path(path))?;
    let names = wb.sheet_names().to_vec();
    let mut out = Vec::new();
    let mut any_header = false;
    for name in names {
        check_extent(&mut wb, &name, limits)?;
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        let start_row = range.start().map(|(r, _)| r).unwrap_or(0);
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        let Some((hidx, cols)) = super::table::find_header(&rows, 10) else {
            continue;
        };
        any_header = true;
        let origin = |i: usize| Origin {
            row: Some(start_row + i as u32 + 1),
            sheet: Some(name.clone()),
            ..Origin::default()
        };
        // A title row above the header ("2022年重点工作任务分解表") names the plan and its year.
        if let Some((ti, title)) = rows[..hidx]
            .iter()
            .enumerate()
            .find_map(|(i, r)| r.iter().find(|t| !t.is_empty()).map(|t| (i, t.clone())))
        {
            out.push(Block {
                text: title,
                origin: origin(ti),
                fields: None,
            });
        }
        let body: Vec<super::table::Row> = rows
            .into_iter()
            .enumerate()
            .skip(hidx + 1)
            .map(|(i, cells)| super::table::Row {
                cells,
                origin: origin(i),
            })
            .collect();
        out.extend(super::table::blocks(&cols, &body));
    }
    if !any_header {
        return Err(Error::file(
            path,
            "表格里找不到表头：需要有“工作任务”（或“任务”“内容”）列，以及“责任单位”或“完成时限”等列",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many parts each under the part limit are refused when together they pass twice it.
    #[test]
    fn zip_parts_are_capped_in_total() {
        let mut buf = Vec::new();
        {
            let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut buf));
            let opts = zip::write::SimpleFileOptions::default();
            for i in 0..3 {
                z.start_file(format!("xl/part{i}.xml"), opts).unwrap();
                std::io::Write::write_all(&mut z, &[b'a'; 900]).unwrap();
            }
            z.finish().unwrap();
        }
        let limits = Limits {
            part_bytes: 1024,
            ..Limits::default()
        };
        let e = check_zip(&buf, &limits).unwrap_err();
        assert!(e.message.contains("合计超过"), "{}", e.message);
        let roomy = Limits {
            part_bytes: 2048,
            ..Limits::default()
        };
        assert!(check_zip(&buf, &roomy).is_ok());
    }

    /// A Compound File header claiming a quarter billion FAT sectors in 612 bytes (which
    /// made the spreadsheet reader try to allocate gigabytes) is refused before reading.
    #[test]
    fn cfb_header_claiming_more_sectors_than_the_file_is_refused() {
        let mut bytes = vec![0u8; 612];
        bytes[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        bytes[28..30].copy_from_slice(&[0xFE, 0xFF]);
        bytes[30..32].copy_from_slice(&9u16.to_le_bytes());
        bytes[44..48].copy_from_slice(&0x0FFF_FFFFu32.to_le_bytes());
        let e = read(&bytes, Path::new("坏.xls")).unwrap_err();
        assert!(e.message.contains("与文件大小不符"), "{}", e.message);
        bytes[44..48].copy_from_slice(&1u32.to_le_bytes());
        assert!(check_cfb(&bytes).is_ok());
        bytes[30..32].copy_from_slice(&7u16.to_le_bytes());
        assert!(check_cfb(&bytes).is_err());
        // A real .xls passes.
        let xls = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/plan-table.xls"
        ))
        .unwrap();
        assert!(check_cfb(&xls).is_ok());
    }

    #[test]
    fn serials() {
        assert_eq!(excel_serial_to_ymd(44620), Some((2022, 2, 28)));
        assert_eq!(excel_serial_to_ymd(45292), Some((2024, 1, 1)));
        assert_eq!(excel_serial_to_ymd(61), Some((1900, 3, 1)));
    }
}
