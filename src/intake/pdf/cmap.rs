//! CMaps: the `/ToUnicode` maps and embedded `/Encoding` CMaps of PDF fonts, and the
//! Adobe-GB1 CID → Unicode table used when a Chinese font carries no `/ToUnicode`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Ranges wider than this are kept as ranges rather than expanded into the lookup table.
const EXPAND_LIMIT: u32 = 256;

/// Largest number of entries (mappings and ranges) read from one CMap; the rest is ignored.
pub const MAX_CMAP_ENTRIES: usize = 1 << 20;

/// One code space range: codes of `len` bytes whose every byte lies between the bytes of
/// `lo` and `hi` at the same position.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Codespace {
    lo: Vec<u8>,
    hi: Vec<u8>,
}

impl Codespace {
    fn matches(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.lo.len()
            && bytes
                .iter()
                .zip(self.lo.iter().zip(&self.hi))
                .all(|(b, (lo, hi))| lo <= b && b <= hi)
    }
}

/// Destination of a `bfrange`: a start string whose last UTF-16 unit is incremented, or one
/// string per code.
#[derive(Debug, Clone)]
enum RangeDst {
    Start(Vec<u16>),
    List(Vec<String>),
}

#[derive(Debug, Clone)]
struct BfRange {
    len: u8,
    lo: u32,
    hi: u32,
    dst: RangeDst,
}

#[derive(Debug, Clone)]
struct CidRange {
    len: u8,
    lo: u32,
    hi: u32,
    cid: u32,
}

/// A parsed CMap: code space, code → Unicode (`bfchar`/`bfrange`) and code → CID
/// (`cidchar`/`cidrange`).
#[derive(Debug, Clone, Default)]
pub struct CMap {
    codespace: Vec<Codespace>,
    bf: HashMap<(u8, u32), String>,
    bf_ranges: Vec<BfRange>,
    cid: HashMap<(u8, u32), u32>,
    cid_ranges: Vec<CidRange>,
}

/// A token of PostScript-ish CMap syntax, as far as we need it.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Int(u32),
    Word(String),
    Open,
    Close,
}

fn tokenize(src: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() && out.len() < MAX_CMAP_ENTRIES * 4 {
        let c = src[i];
        match c {
            b'%' => {
                while i < src.len() && src[i] != b'\n' && src[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if src.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if src.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let end = src[start..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(src.len(), |p| start + p);
                out.push(Tok::Hex(hex_bytes(&src[start..end])));
                i = end + 1;
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // A literal string (CMap names, registry); skip it with nesting.
                let mut depth = 0usize;
                while i < src.len() {
                    match src[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            _ if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < src.len()
                    && !src[i].is_ascii_whitespace()
                    && !matches!(src[i], b'<' | b'>' | b'[' | b']' | b'(' | b')' | b'%')
                {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                let word = String::from_utf8_lossy(&src[start..i]).into_owned();
                match word.parse::<u32>() {
                    Ok(n) => out.push(Tok::Int(n)),
                    Err(_) => out.push(Tok::Word(word)),
                }
            }
        }
    }
    out
}

fn hex_bytes(s: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = s
        .iter()
        .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
        .collect()
}

fn code_value(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let v = bytes.iter().fold(0u32, |a, &b| (a << 8) | b as u32);
    Some((bytes.len() as u8, v))
}

/// UTF-16BE bytes of a `bfchar` destination → text (unpaired surrogates dropped).
fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| {
            if p.len() == 2 {
                u16::from_be_bytes([p[0], p[1]])
            } else {
                p[0] as u16
            }
        })
        .collect()
}

fn units_to_string(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .filter_map(|r| r.ok())
        .collect()
}

impl CMap {
    /// Parse a CMap program (a `/ToUnicode` stream or an embedded `/Encoding` CMap).
    /// Unknown operators are skipped; malformed entries are ignored.
    pub fn parse(src: &[u8]) -> CMap {
        let toks = tokenize(src);
        let mut cmap = CMap::default();
        let mut i = 0;
        let mut entries = 0usize;
        while i < toks.len() && entries < MAX_CMAP_ENTRIES {
            let Tok::Word(w) = &toks[i] else {
                i += 1;
                continue;
            };
            i += 1;
            match w.as_str() {
                "begincodespacerange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if lo.len() == hi.len() && !lo.is_empty() && lo.len() <= 4 {
                            cmap.codespace.push(Codespace {
                                lo: lo.clone(),
                                hi: hi.clone(),
                            });
                        }
                        i += 2;
                    }
                }
                "beginbfchar" => {
                    while let (Some(Tok::Hex(src)), Some(Tok::Hex(dst))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let Some(key) = code_value(src) {
                            cmap.bf.insert(key, units_to_string(&utf16_units(dst)));
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                "beginbfrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        let (Some((len, lo)), Some((_, hi))) = (code_value(lo), code_value(hi))
                        else {
                            i += 2;
                            continue;
                        };
                        i += 2;
                        let dst = match toks.get(i) {
                            Some(Tok::Hex(start)) => {
                                i += 1;
                                RangeDst::Start(utf16_units(start))
                            }
                            Some(Tok::Open) => {
                                i += 1;
                                let mut list = Vec::new();
                                while let Some(Tok::Hex(d)) = toks.get(i) {
                                    list.push(units_to_string(&utf16_units(d)));
                                    i += 1;
                                }
                                if toks.get(i) == Some(&Tok::Close) {
                                    i += 1;
                                }
                                RangeDst::List(list)
                            }
                            _ => break,
                        };
                        if hi < lo {
                            continue;
                        }
                        entries += 1;
                        cmap.add_bf_range(BfRange { len, lo, hi, dst });
                    }
                }
                "begincidchar" => {
                    while let (Some(Tok::Hex(src)), Some(Tok::Int(cid))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let Some(key) = code_value(src) {
                            cmap.cid.insert(key, *cid);
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                "begincidrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(Tok::Int(cid))) =
                        (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                    {
                        if let (Some((len, lo)), Some((_, hi))) = (code_value(lo), code_value(hi)) {
                            if lo <= hi {
                                cmap.cid_ranges.push(CidRange {
                                    len,
                                    lo,
                                    hi,
                                    cid: *cid,
                                });
                                entries += 1;
                            }
                        }
                        i += 3;
                    }
                }
                _ => {}
            }
        }
        cmap
    }

    fn add_bf_range(&mut self, r: BfRange) {
        if r.hi - r.lo >= EXPAND_LIMIT {
            self.bf_ranges.push(r);
            return;
        }
        for code in r.lo..=r.hi {
            if let Some(s) = range_target(&r, code) {
                self.bf.insert((r.len, code), s);
            }
        }
    }

    /// Whether the CMap declares a code space.
    pub fn has_codespace(&self) -> bool {
        !self.codespace.is_empty()
    }

    /// Length in bytes of the code starting at `bytes[0]`, per the code space ranges
    /// (1 when nothing matches, so a bad byte is skipped rather than stalling).
    pub fn code_len(&self, bytes: &[u8]) -> usize {
        for n in 1..=4usize.min(bytes.len()) {
            if self.codespace.iter().any(|c| c.matches(&bytes[..n])) {
                return n;
            }
        }
        // No full match: take the shortest declared length whose first byte fits.
        self.codespace
            .iter()
            .filter(|c| c.lo.first() <= bytes.first() && bytes.first() <= c.hi.first())
            .map(|c| c.lo.len())
            .min()
            .unwrap_or(1)
            .min(bytes.len())
            .max(1)
    }

    /// The text a code maps to, if any.
    pub fn unicode(&self, code: &[u8]) -> Option<String> {
        let key = code_value(code)?;
        if let Some(s) = self.bf.get(&key) {
            return Some(s.clone());
        }
        self.bf_ranges
            .iter()
            .rev()
            .find(|r| r.len == key.0 && r.lo <= key.1 && key.1 <= r.hi)
            .and_then(|r| range_target(r, key.1))
    }

    /// The CID a code maps to, if the CMap has `cidchar`/`cidrange` entries for it.
    pub fn cid(&self, code: &[u8]) -> Option<u32> {
        let key = code_value(code)?;
        if let Some(c) = self.cid.get(&key) {
            return Some(*c);
        }
        self.cid_ranges
            .iter()
            .rev()
            .find(|r| r.len == key.0 && r.lo <= key.1 && key.1 <= r.hi)
            .map(|r| r.cid.saturating_add(key.1 - r.lo))
    }
}

fn range_target(r: &BfRange, code: u32) -> Option<String> {
    let off = code.checked_sub(r.lo)?;
    match &r.dst {
        RangeDst::List(list) => list.get(off as usize).cloned(),
        RangeDst::Start(units) => {
            let mut units = units.clone();
            let last = units.last_mut()?;
            *last = last.checked_add(u16::try_from(off).ok()?)?;
            Some(units_to_string(&units))
        }
    }
}

/// The Adobe-GB1 CID → Unicode table, one hex code point per line, line N for CID N
/// (`0000` where a CID has no Unicode). Generated from Adobe's BSD-licensed `UniGB-UTF32-H`
/// CMap; see `corpora/cmap/`.
static GB1_TABLE: &str = include_str!("../../../corpora/cmap/Adobe-GB1.cidToUnicode");

/// Unicode for a CID of the Adobe-GB1 character collection.
pub fn gb1_unicode(cid: u32) -> Option<char> {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        GB1_TABLE
            .lines()
            .map(|l| u32::from_str_radix(l.trim(), 16).unwrap_or(0))
            .collect()
    });
    let u = *table.get(cid as usize)?;
    if u == 0 {
        return None;
    }
    char::from_u32(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar
<0003> <0020>
<0A1B> <5DE5>
endbfchar
2 beginbfrange
<0010> <0012> <4E00>
<0020> <0021> [<76D1> <D840DC00>]
endbfrange
1 beginbfrange
<1000> <1FFF> <6000>
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_and_bfrange_forms() {
        let c = CMap::parse(TO_UNICODE);
        assert_eq!(c.code_len(&[0x0A, 0x1B]), 2);
        assert_eq!(c.unicode(&[0x0A, 0x1B]).as_deref(), Some("工"));
        assert_eq!(c.unicode(&[0x00, 0x03]).as_deref(), Some(" "));
        assert_eq!(c.unicode(&[0x00, 0x11]).as_deref(), Some("丁"));
        assert_eq!(c.unicode(&[0x00, 0x20]).as_deref(), Some("监"));
        assert_eq!(c.unicode(&[0x00, 0x21]).as_deref(), Some("\u{20000}"));
        // A wide range is kept as a range and still found.
        assert_eq!(c.unicode(&[0x10, 0x05]).as_deref(), Some("\u{6005}"));
        assert_eq!(c.unicode(&[0x00, 0x13]), None);
        // One-byte code of the same value is a different code.
        assert_eq!(c.unicode(&[0x03]), None);
    }

    #[test]
    fn mixed_width_codespace() {
        let c = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
              1 begincidrange <8140> <8142> 100 endcidrange
              1 begincidchar <41> 34 endcidchar",
        );
        assert_eq!(c.code_len(b"A\x81\x40"), 1);
        assert_eq!(c.code_len(b"\x81\x40"), 2);
        assert_eq!(c.cid(b"\x81\x42"), Some(102));
        assert_eq!(c.cid(b"A"), Some(34));
        // A lead byte with a bad trail byte still takes two bytes.
        assert_eq!(c.code_len(b"\x81\x20"), 2);
    }

    #[test]
    fn gb1_table_known_cids() {
        // CID 1 is the space, CID 34 is 'A' in Adobe-GB1; CID 1000 is 拜.
        assert_eq!(gb1_unicode(1), Some(' '));
        assert_eq!(gb1_unicode(34), Some('A'));
        assert_eq!(gb1_unicode(1000), Some('拜'));
        assert_eq!(gb1_unicode(1001), Some('稗'));
        assert_eq!(gb1_unicode(0), None);
        assert_eq!(gb1_unicode(10_000_000), None);
    }
}
