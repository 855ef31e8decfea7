//! Plain text: UTF-8 (with or without BOM) or GB18030/GBK.
//!
//! Valid UTF-8 is read as UTF-8; anything else is tried as GB18030, which is a superset of
//! GBK and GB2312. Bytes that are neither are an error, never silently replaced.

use super::Block;
use crate::error::{Error, Result};

/// Decode text bytes: UTF-8 first (borrowed, not copied), then GB18030.
pub fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.into());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (enc, rest) = if bytes[0] == 0xFF {
            (encoding_rs::UTF_16LE, &bytes[2..])
        } else {
            (encoding_rs::UTF_16BE, &bytes[2..])
        };
        let (s, had_errors) = enc.decode_without_bom_handling(rest);
        if !had_errors {
            return Ok(s.into_owned().into());
        }
    }
    let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        let at = first_bad_offset(bytes);
        return Err(Error::msg(format!(
            "文字编码无法识别：既不是 UTF-8 也不是 GB18030/GBK（第 {at} 字节起无法解码）。请用记事本或 WPS 另存为 UTF-8 后再试"
        )));
    }
    Ok(s.into_owned().into())
}

/// Offset of the first byte that GB18030 cannot decode (for the error message).
fn first_bad_offset(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(64);
    let mut pos = 0;
    while pos < bytes.len() {
        let end = (pos + 1).min(bytes.len());
        out.clear();
        out.reserve(16);
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[pos..end], &mut out, false);
        if let encoding_rs::DecoderResult::Malformed(_, _) = result {
            return pos;
        }
        pos += read.max(1);
    }
    bytes.len()
}

/// Read a text file: one block per paragraph.
///
/// A paragraph is a non-empty line; a long line that stops mid-sentence (no final
/// punctuation) is continued by the next line unless that one opens an outline item, since
/// text copied out of Word or a PDF often carries layout line breaks. Short lines without
/// punctuation are headings and are never joined.
///
/// Lines holding tab-separated cells are a table (as text copied out of Word or a web page
/// keeps one): when one of its first rows is a header naming the columns, each row after it
/// becomes an item as a spreadsheet's would ([`super::table`]).
pub fn read(bytes: &[u8]) -> Result<Vec<Block>> {
    let text = decode(bytes)?;
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    // Characters of the last paragraph.
    let mut chars = 0usize;
    let mut table: Vec<&str> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    // The header of the table being read, among its first three rows (asked once per table).
    let mut header: Option<Option<super::table::Columns>> = None;
    for (i, &raw) in lines.iter().enumerate() {
        if raw.contains('\t') && !raw.trim().is_empty() {
            table.push(raw);
            if table.len() <= 3 {
                // The header is looked for among the first three rows: ask again.
                header = None;
            }
            open = false;
            continue;
        }
        if !table.is_empty() {
            let cols = header.get_or_insert_with(|| {
                let head: Vec<Vec<&str>> = table
                    .iter()
                    .take(3)
                    .map(|l| l.split('\t').collect())
                    .collect();
                super::table::find_header(&head, 3).map(|(_, c)| c)
            });
            // A step whose other cells span rows stands alone on its line.
            let step = super::table::leading_time(raw).is_some()
                && cols.as_ref().is_some_and(|c| c.has_steps());
            // A row of one cell (the others span from the rows above) between rows of a
            // table with a header: the table goes on. A line before another table's header
            // heads that table instead.
            let next_row = lines[i + 1..].iter().take(4).find(|l| l.contains('\t'));
            let single = !raw.trim().is_empty()
                && cols.is_some()
                && next_row.is_some_and(|l| {
                    let cells: Vec<&str> = l.split('\t').collect();
                    super::table::header(&cells).is_none()
                });
            if step || single {
                table.push(raw);
                continue;
            }
            flush_table(&mut out, &mut table);
            header = None;
        }
        let line = raw.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        let n = line.chars().count();
        match out.last_mut() {
            Some(prev) if open && crate::text::marker(line).is_none() => {
                prev.text.push_str(line);
                chars += n;
            }
            _ => {
                out.push(Block::para(line));
                chars = n;
            }
        }
        // The paragraph's length is counted as it grows, and the title test asks the line
        // that ends it: a long paragraph of unpunctuated lines is read in linear time.
        // A title (with its 文号) ends its line though it has no final punctuation.
        open = chars > 40
            && !line
                .chars()
                .next_back()
                .is_some_and(|c| crate::text::is_final_punct(c) || matches!(c, '”' | '）' | ')'))
            && !crate::text::ends_like_title(line);
    }
    if !table.is_empty() {
        flush_table(&mut out, &mut table);
    }
    Ok(out)
}

/// The blocks of a run of tab-separated lines: rows of a table when a header is found among
/// its first lines, else one paragraph per line (cells joined by a space).
fn flush_table(out: &mut Vec<Block>, run: &mut Vec<&str>) {
    let rows: Vec<Vec<String>> = run
        .iter()
        .map(|l| {
            l.trim_end_matches(['\r', '\n'])
                .split('\t')
                .map(|c| c.trim_matches([' ', '\u{3000}', '\u{a0}']).to_string())
                .collect()
        })
        .collect();
    match super::table::headed(rows, 3, &super::Origin::default()) {
        Ok(blocks) => out.extend(blocks),
        // Without a header every row is a paragraph, cells joined by a space.
        Err(rows) => out.extend(
            rows.iter()
                .filter_map(|r| super::table::row_paragraph(r))
                .map(Block::para),
        ),
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("一、监督".as_bytes()).unwrap(), "一、监督");
        assert_eq!(decode(b"\xEF\xBB\xBF\xE4\xB8\x80").unwrap(), "一");
    }

    /// A paragraph of many unpunctuated lines is one block (its length counted as it grows:
    /// recounting it at every line made such files quadratic to read).
    #[test]
    fn long_unpunctuated_paragraph_is_one_block() {
        let line = "加强对党中央重大决策部署落实情况的监督检查推动各项任务落到实处确保取得实效并形成长效机制";
        let text = format!("{}\n", [line; 20_000].join("\n"));
        let blocks = read(text.as_bytes()).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(
            blocks[0].text.chars().count(),
            line.chars().count() * 20_000
        );
    }

    #[test]
    fn gbk_bytes() {
        let (gbk, _, _) = encoding_rs::GBK.encode("强化政治监督");
        assert_eq!(decode(&gbk).unwrap(), "强化政治监督");
    }

    /// A table copied out of a web page or Word: one row a line, cells joined by tabs; a
    /// 序号 of 一、 heads the rows numbered under it; 总分 rows and the header are no items.
    #[test]
    fn tab_separated_rows_are_items() {
        let text = "某县2024年度纪检监察工作考核细则\n序号\t考核项目\t分值\t考核指标\t负责考核部门\n\t总分\t100\t\t\n一、\t强化政治监督\t30\t\t\n1\t开展专项检查\t10\t6月底前完成检查\t县纪委\n2\t整改问题\t20\t按时整改\t县纪委\n";
        let blocks = read(text.as_bytes()).unwrap();
        let shape: Vec<(&str, bool, Option<&str>)> = blocks
            .iter()
            .map(|b| {
                (
                    b.text.as_str(),
                    b.fields.as_ref().is_some_and(|f| f.group),
                    b.fields.as_ref().and_then(|f| f.number.as_deref()),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("某县2024年度纪检监察工作考核细则", false, None),
                ("强化政治监督", true, Some("一、")),
                ("开展专项检查", false, Some("1")),
                ("整改问题", false, Some("2")),
            ]
        );
        assert_eq!(
            blocks[2].fields.as_ref().unwrap().measures.as_deref(),
            Some("6月底前完成检查")
        );
        // The assessor's column is not the doer.
        assert_eq!(blocks[2].fields.as_ref().unwrap().responsible, None);
    }

    /// A task split into monthly steps; a step whose other cells span rows stands alone on its
    /// line (no tab), and still belongs to the table.
    #[test]
    fn steps_of_a_task_table() {
        let text = "工作任务\t任务分解/时序进度\t考核要点\n加强廉洁教育\t3月：制定教育方案\t方案印发\n4-6月：开展警示教育\n7月 组织专题党课\t党课记录\n完善制度\t全年 修订内部制度\t制度汇编\n特此通知。\n";
        let blocks = read(text.as_bytes()).unwrap();
        let shape: Vec<(&str, bool, Option<&str>)> = blocks
            .iter()
            .map(|b| {
                (
                    b.text.as_str(),
                    b.fields.as_ref().is_some_and(|f| f.group),
                    b.fields.as_ref().and_then(|f| f.deadline.as_deref()),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("加强廉洁教育", true, None),
                ("制定教育方案", false, Some("3月")),
                ("开展警示教育", false, Some("4-6月")),
                ("组织专题党课", false, Some("7月")),
                ("完善制度", true, None),
                ("修订内部制度", false, Some("全年")),
                ("特此通知。", false, None),
            ]
        );
        assert_eq!(
            blocks[3].fields.as_ref().unwrap().measures.as_deref(),
            Some("党课记录")
        );
    }

    #[test]
    fn neither_is_an_error() {
        let err = decode(&[0x80, 0xFF, 0xFF, 0x30]).unwrap_err();
        assert!(err.message.contains("GB18030"), "{}", err.message);
    }
}
