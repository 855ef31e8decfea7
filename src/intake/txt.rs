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
pub fn read(bytes: &[u8]) -> Result<Vec<Block>> {
    let text = decode(bytes)?;
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(prev) if open && crate::outline::marker(line).is_none() => {
                prev.text.push_str(line)
            }
            _ => out.push(Block::para(line)),
        }
        let last = out.last().map(|b| b.text.as_str()).unwrap_or("");
        open = last.chars().count() > 40
            && !last.chars().next_back().is_some_and(|c| {
                crate::outline::is_final_punct(c) || matches!(c, '”' | '）' | ')')
            });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("一、监督".as_bytes()).unwrap(), "一、监督");
        assert_eq!(decode(b"\xEF\xBB\xBF\xE4\xB8\x80").unwrap(), "一");
    }

    #[test]
    fn gbk_bytes() {
        let (gbk, _, _) = encoding_rs::GBK.encode("强化政治监督");
        assert_eq!(decode(&gbk).unwrap(), "强化政治监督");
    }

    #[test]
    fn neither_is_an_error() {
        let err = decode(&[0x80, 0xFF, 0xFF, 0x30]).unwrap_err();
        assert!(err.message.contains("GB18030"), "{}", err.message);
    }
}
