//! Fonts: splitting a shown string into character codes, each code's text and width.
//!
//! Order of trust for a code's text: the font's `/ToUnicode` map; then what the font's
//! encoding says (a predefined Chinese CMap decoded as GBK/GB18030, UCS-2 or UTF-16; CIDs of
//! the Adobe-GB1 collection through the GB1 table; a simple font's base encoding and
//! `/Differences`); a code that none of these explains is skipped.

use super::cmap::{gb1_unicode, CMap};
use super::deref;

use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;

/// Largest decoded font program or CMap read; a larger one is ignored (no real font or CMap
/// comes near it).
const MAX_FONT_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// How the bytes of a string split into codes, and what a code means without `/ToUnicode`.
#[derive(Debug, Clone)]
enum Scheme {
    /// A simple font: one byte per code, and its 256-entry table.
    Simple(Box<[Option<char>; 256]>),
    /// A legacy multi-byte encoding decoded with encoding_rs (GBK-EUC-H and friends).
    Legacy(&'static encoding_rs::Encoding),
    /// UCS-2 big-endian, two bytes per code (Uni*-UCS2-H).
    Ucs2,
    /// UTF-16 big-endian (Uni*-UTF16-H).
    Utf16,
    /// Two-byte codes that are CIDs (Identity-H/V); `gb1` when the collection is Adobe-GB1.
    Identity { gb1: bool },
    /// An embedded CMap stream as `/Encoding`: code → CID per its tables.
    Embedded { cmap: CMap, gb1: bool },
}

/// A font as far as text extraction needs it.
#[derive(Debug, Clone)]
pub struct Font {
    scheme: Scheme,
    to_unicode: Option<CMap>,
    /// Simple fonts: width by code; CID fonts: width by CID.
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Whether this is a Type0 (composite) font.
    composite: bool,
    /// Type3 fonts scale widths by their font matrix instead of 1/1000.
    width_scale: f32,
}

/// One decoded code: its text (possibly empty when undecodable), advance in text space units
/// (before font size), and whether it is the single-byte code 32 (which word spacing applies to).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The text this code stands for; empty when it could not be decoded.
    pub text: String,
    /// Horizontal advance in glyph space divided by 1000 (1.0 = one em).
    pub advance: f32,
    /// Whether word spacing (`Tw`) applies: a one-byte code 32.
    pub is_space: bool,
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn name_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a [u8]> {
    match deref(doc, o) {
        Object::Name(n) => Some(n.as_slice()),
        _ => None,
    }
}

fn dict_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, o) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn stream_bytes(doc: &Document, o: &Object) -> Option<Vec<u8>> {
    match deref(doc, o) {
        Object::Stream(s) => s
            .decompressed_content_with_limit(MAX_FONT_STREAM_BYTES)
            .ok()
            .or_else(|| (s.content.len() <= MAX_FONT_STREAM_BYTES).then(|| s.content.clone())),
        _ => None,
    }
}

fn array_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a [Object]> {
    match deref(doc, o) {
        Object::Array(a) => Some(a.as_slice()),
        _ => None,
    }
}

/// The encoding a predefined CMap name stands for.
fn predefined(name: &[u8]) -> Option<Scheme> {
    let n = String::from_utf8_lossy(name);
    let base = n
        .strip_suffix("-H")
        .or_else(|| n.strip_suffix("-V"))
        .unwrap_or(&n);
    Some(match base {
        "GBK-EUC" | "GB-EUC" | "GBKp-EUC" | "GBK2K" | "GBpc-EUC" | "GBT-EUC" | "GBTpc-EUC" => {
            Scheme::Legacy(encoding_rs::GB18030)
        }
        "ETen-B5" | "B5pc" | "HKscs-B5" | "ETenms-B5" => Scheme::Legacy(encoding_rs::BIG5),
        "90ms-RKSJ" | "90msp-RKSJ" | "83pv-RKSJ" | "90pv-RKSJ" => {
            Scheme::Legacy(encoding_rs::SHIFT_JIS)
        }
        "KSC-EUC" | "KSCms-UHC" | "KSCpc-EUC" => Scheme::Legacy(encoding_rs::EUC_KR),
        "Identity" => Scheme::Identity { gb1: false },
        _ if base.starts_with("Uni") && base.ends_with("-UCS2") => Scheme::Ucs2,
        _ if base.starts_with("Uni") && base.ends_with("-UTF16") => Scheme::Utf16,
        _ => return None,
    })
}

/// Whether a CIDFont's `/CIDSystemInfo` names the Adobe-GB1 collection.
fn is_gb1(doc: &Document, cid_font: Option<&Dictionary>) -> bool {
    let Some(info) = cid_font
        .and_then(|d| d.get(b"CIDSystemInfo").ok())
        .and_then(|o| dict_of(doc, o))
    else {
        return false;
    };
    let field = |k: &[u8]| match info.get(k).map(|o| deref(doc, o)) {
        Ok(Object::String(s, _)) => s.clone(),
        _ => Vec::new(),
    };
    field(b"Registry") == b"Adobe" && field(b"Ordering") == b"GB1"
}

impl Font {
    /// A font for when a `Tf` names no font the page has: bytes read as Latin-1.
    pub fn fallback() -> Font {
        Font {
            scheme: Scheme::Simple(Box::new(latin1_table())),
            to_unicode: None,
            widths: HashMap::new(),
            default_width: 500.0,
            composite: false,
            width_scale: 0.001,
        }
    }

    /// Read a font dictionary.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o))
            .map(|b| CMap::parse(&b));
        let subtype = dict.get(b"Subtype").ok().and_then(|o| name_of(doc, o));
        if subtype == Some(b"Type0") {
            return Self::load_type0(doc, dict, to_unicode);
        }
        let mut font = Font::fallback();
        font.to_unicode = to_unicode;
        font.scheme = Scheme::Simple(Box::new(simple_table(doc, dict)));
        if subtype == Some(b"Type3") {
            if let Some(m) = dict.get(b"FontMatrix").ok().and_then(|o| array_of(doc, o)) {
                if let Some(a) = m.first().and_then(num) {
                    font.width_scale = a.abs();
                }
            }
        }
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(|o| num(deref(doc, o)))
            .unwrap_or(0.0) as u32;
        if let Some(ws) = dict.get(b"Widths").ok().and_then(|o| array_of(doc, o)) {
            for (i, w) in ws.iter().take(256).enumerate() {
                if let Some(w) = num(deref(doc, w)) {
                    font.widths.insert(first.saturating_add(i as u32), w);
                }
            }
        }
        if let Some(mw) = dict
            .get(b"FontDescriptor")
            .ok()
            .and_then(|o| dict_of(doc, o))
            .and_then(|fd| fd.get(b"MissingWidth").ok())
            .and_then(|o| num(deref(doc, o)))
        {
            if mw > 0.0 {
                font.default_width = mw;
            }
        }
        font
    }

    fn load_type0(doc: &Document, dict: &Dictionary, to_unicode: Option<CMap>) -> Font {
        let cid_font = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| array_of(doc, o))
            .and_then(|a| a.first())
            .and_then(|o| dict_of(doc, o));
        let gb1 = is_gb1(doc, cid_font);
        let scheme = match dict.get(b"Encoding").map(|o| deref(doc, o)) {
            Ok(Object::Name(n)) => match predefined(n) {
                Some(Scheme::Identity { .. }) => Scheme::Identity { gb1 },
                Some(s) => s,
                None => Scheme::Identity { gb1 },
            },
            Ok(Object::Stream(s)) => {
                let bytes = s
                    .decompressed_content_with_limit(MAX_FONT_STREAM_BYTES)
                    .unwrap_or_default();
                let cmap = CMap::parse(&bytes);
                // An embedded CMap that only names a predefined one it uses.
                match s.dict.get(b"UseCMap").ok().and_then(|o| name_of(doc, o)) {
                    Some(n) if !cmap.has_codespace() => {
                        predefined(n).unwrap_or(Scheme::Identity { gb1 })
                    }
                    _ => Scheme::Embedded { cmap, gb1 },
                }
            }
            _ => Scheme::Identity { gb1 },
        };
        let mut widths = HashMap::new();
        let mut default_width = 1000.0;
        if let Some(cf) = cid_font {
            if let Some(dw) = cf.get(b"DW").ok().and_then(|o| num(deref(doc, o))) {
                default_width = dw;
            }
            if let Some(w) = cf.get(b"W").ok().and_then(|o| array_of(doc, o)) {
                parse_cid_widths(doc, w, &mut widths);
            }
        }
        Font {
            scheme,
            to_unicode,
            widths,
            default_width,
            composite: true,
            width_scale: 0.001,
        }
    }

    /// Split a shown string into decoded glyphs.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            let n = self.code_len(rest).clamp(1, rest.len());
            let code = &rest[..n];
            i += n;
            let (text, cid) = self.text_of(code);
            let value = code.iter().fold(0u32, |a, &b| (a << 8) | b as u32);
            let w = if self.composite {
                match cid {
                    Some(cid) => self.widths.get(&cid).copied().unwrap_or(self.default_width),
                    // CID unknown (a byte-encoding CMap): full width for wide characters.
                    None if text.chars().any(crate::intake::is_wide) => self.default_width,
                    None => self.default_width / 2.0,
                }
            } else {
                self.widths
                    .get(&value)
                    .copied()
                    .unwrap_or(self.default_width)
            };
            out.push(Glyph {
                text,
                advance: w * self.width_scale,
                is_space: n == 1 && code[0] == 32,
            });
        }
        out
    }

    fn code_len(&self, rest: &[u8]) -> usize {
        match &self.scheme {
            Scheme::Simple(_) => 1,
            Scheme::Legacy(enc) => legacy_len(enc, rest),
            Scheme::Ucs2 | Scheme::Identity { .. } => 2,
            Scheme::Utf16 => {
                if rest.len() >= 4 && (0xD8..=0xDB).contains(&rest[0]) {
                    4
                } else {
                    2
                }
            }
            Scheme::Embedded { cmap, .. } => {
                if cmap.has_codespace() {
                    cmap.code_len(rest)
                } else if let Some(tu) = self.to_unicode.as_ref().filter(|t| t.has_codespace()) {
                    tu.code_len(rest)
                } else {
                    2
                }
            }
        }
    }

    /// The text of one code and, when known, its CID.
    fn text_of(&self, code: &[u8]) -> (String, Option<u32>) {
        let cid = match &self.scheme {
            Scheme::Identity { .. } if code.len() == 2 => {
                Some(u16::from_be_bytes([code[0], code[1]]) as u32)
            }
            Scheme::Embedded { cmap, .. } => cmap.cid(code),
            _ => None,
        };
        if let Some(tu) = &self.to_unicode {
            if let Some(s) = tu.unicode(code) {
                if usable(&s) {
                    return (s, cid);
                }
            }
        }
        let text = match &self.scheme {
            Scheme::Simple(table) => table[code[0] as usize].map(String::from),
            Scheme::Legacy(enc) => legacy_char(enc, code),
            Scheme::Ucs2 => {
                char::from_u32(u16::from_be_bytes([code[0], *code.get(1).unwrap_or(&0)]) as u32)
                    .map(String::from)
            }
            Scheme::Utf16 => {
                let units: Vec<u16> = code
                    .chunks(2)
                    .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
                    .collect();
                let s: String = char::decode_utf16(units).filter_map(|r| r.ok()).collect();
                Some(s)
            }
            Scheme::Identity { gb1 } | Scheme::Embedded { gb1, .. } => match (gb1, cid) {
                (true, Some(cid)) => gb1_unicode(cid).map(String::from),
                _ => None,
            },
        };
        (text.filter(|s| usable(s)).unwrap_or_default(), cid)
    }
}

/// Whether a decoded string is real text (not empty, not U+FFFD, not only control characters).
fn usable(s: &str) -> bool {
    !s.is_empty()
        && !s.contains('\u{FFFD}')
        && s.chars().any(|c| !c.is_control() || c == '\t' || c == ' ')
}

/// Code length in a legacy multi-byte encoding: one byte below the lead range, else two
/// (four for GB18030 four-byte sequences).
fn legacy_len(enc: &'static encoding_rs::Encoding, rest: &[u8]) -> usize {
    let b = rest[0];
    if enc == encoding_rs::GB18030 {
        if b <= 0x80 || b == 0xFF {
            1
        } else if rest.get(1).is_some_and(|s| (0x30..=0x39).contains(s)) {
            4
        } else {
            2
        }
    } else if enc == encoding_rs::SHIFT_JIS {
        if (0x81..=0x9F).contains(&b) || (0xE0..=0xFC).contains(&b) {
            2
        } else {
            1
        }
    } else if b >= 0x81 && b != 0xFF {
        2
    } else {
        1
    }
}

fn legacy_char(enc: &'static encoding_rs::Encoding, code: &[u8]) -> Option<String> {
    if code.len() == 1 && code[0] < 0x80 {
        return Some((code[0] as char).to_string());
    }
    enc.decode_without_bom_handling_and_without_replacement(code)
        .map(|c| c.into_owned())
}

fn parse_cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f32>) {
    const MAX_WIDTHS: usize = 1 << 17;
    let mut i = 0;
    while i < w.len() && out.len() < MAX_WIDTHS {
        let Some(first) = num(deref(doc, &w[i])) else {
            break;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = num(deref(doc, v)) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(|o| num(deref(doc, o))))
                else {
                    break;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(MAX_WIDTHS as u32));
                for c in first..=last {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
}

fn latin1_table() -> [Option<char>; 256] {
    let mut t = [None; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        let c = i as u8 as char;
        if !c.is_control() {
            *slot = Some(c);
        }
    }
    t
}

fn encoding_table(name: &[u8]) -> Option<[Option<char>; 256]> {
    let enc = match name {
        b"WinAnsiEncoding" => encoding_rs::WINDOWS_1252,
        b"MacRomanEncoding" => encoding_rs::MACINTOSH,
        b"StandardEncoding" => {
            let mut t = latin1_table();
            for slot in t.iter_mut().skip(0x80) {
                *slot = None;
            }
            t[0x27] = Some('\u{2019}');
            t[0x60] = Some('\u{2018}');
            return Some(t);
        }
        _ => return None,
    };
    let mut t = [None; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        if i < 0x20 {
            continue;
        }
        let b = [i as u8];
        if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(&b) {
            *slot = s.chars().next().filter(|c| !c.is_control());
        }
    }
    Some(t)
}

/// A simple font's code → character table: base encoding (WinAnsi, MacRoman, Standard, else
/// Latin-1) with `/Differences` applied.
fn simple_table(doc: &Document, dict: &Dictionary) -> [Option<char>; 256] {
    let enc = dict.get(b"Encoding").ok().map(|o| deref(doc, o));
    let mut table = match enc {
        Some(Object::Name(n)) => encoding_table(n),
        Some(Object::Dictionary(d)) => d
            .get(b"BaseEncoding")
            .ok()
            .and_then(|o| name_of(doc, o))
            .and_then(encoding_table),
        _ => None,
    }
    .unwrap_or_else(latin1_table);
    if let Some(Object::Dictionary(d)) = enc {
        if let Some(diffs) = d.get(b"Differences").ok().and_then(|o| array_of(doc, o)) {
            let mut code: usize = 0;
            for item in diffs {
                match deref(doc, item) {
                    Object::Integer(n) => code = (*n).clamp(0, 255) as usize,
                    Object::Name(glyph) => {
                        if code < 256 {
                            table[code] = glyph_char(glyph);
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    table
}

/// The character a glyph name stands for: `uniXXXX`, `uXXXX[XX]`, single letters and
/// digits, and common Adobe Glyph List names. Unknown names give `None`.
pub fn glyph_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if let Some(hex) = base.strip_prefix("uni") {
        if hex.len() >= 4 {
            return u32::from_str_radix(&hex[..4], 16)
                .ok()
                .and_then(char::from_u32);
        }
    }
    if let Some(hex) = base.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
        }
    }
    let mut cs = base.chars();
    if let (Some(c), None) = (cs.next(), cs.next()) {
        if c.is_ascii_alphabetic() {
            return Some(c);
        }
    }
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("quoteright", '\u{2019}'),
        ("quoteleft", '\u{2018}'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("minus", '\u{2212}'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("asciicircum", '^'),
        ("underscore", '_'),
        ("grave", '`'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
        ("bullet", '\u{2022}'),
        ("endash", '\u{2013}'),
        ("emdash", '\u{2014}'),
        ("ellipsis", '\u{2026}'),
        ("quotedblleft", '\u{201C}'),
        ("quotedblright", '\u{201D}'),
        ("periodcentered", '\u{00B7}'),
        ("degree", '\u{00B0}'),
        ("multiply", '\u{00D7}'),
        ("section", '\u{00A7}'),
        ("copyright", '\u{00A9}'),
        ("registered", '\u{00AE}'),
        ("nbspace", ' '),
        ("fi", '\u{FB01}'),
        ("fl", '\u{FB02}'),
    ];
    NAMES.iter().find(|(n, _)| *n == base).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type0(scheme: Scheme) -> Font {
        Font {
            scheme,
            to_unicode: None,
            widths: HashMap::new(),
            default_width: 1000.0,
            composite: true,
            width_scale: 0.001,
        }
    }

    fn text(f: &Font, b: &[u8]) -> String {
        f.decode(b).into_iter().map(|g| g.text).collect()
    }

    #[test]
    fn gbk_euc_bytes_decode() {
        let f = type0(predefined(b"GBK-EUC-H").expect("known cmap"));
        let (bytes, _, _) = encoding_rs::GBK.encode("一、加强监督2024年");
        assert_eq!(text(&f, &bytes), "一、加强监督2024年");
        let g = f.decode(&bytes);
        assert_eq!(g.len(), 11);
        assert_eq!(g[0].advance, 1.0);
        assert_eq!(g[6].advance, 0.5);
        // A GB18030 four-byte sequence (ß is not in GBK).
        let (four, _, _) = encoding_rs::GB18030.encode("ß");
        assert_eq!(four.len(), 4);
        let f2 = type0(predefined(b"GBK2K-V").expect("known cmap"));
        assert_eq!(text(&f2, &four), "ß");
    }

    #[test]
    fn ucs2_and_utf16() {
        let f = type0(predefined(b"UniGB-UCS2-H").expect("known cmap"));
        assert_eq!(text(&f, &[0x76, 0xD1, 0x77, 0x63]), "监督");
        let f = type0(predefined(b"UniGB-UTF16-V").expect("known cmap"));
        assert_eq!(
            text(&f, &[0xD8, 0x40, 0xDC, 0x00, 0x4E, 0x00]),
            "\u{20000}一"
        );
    }

    #[test]
    fn identity_gb1_and_unknown_collection() {
        let f = type0(Scheme::Identity { gb1: true });
        assert_eq!(text(&f, &[0x03, 0xE8, 0x00, 0x22]), "拜A");
        // Not GB1 and no ToUnicode: nothing comes out, and no U+FFFD either.
        let f = type0(Scheme::Identity { gb1: false });
        assert_eq!(text(&f, &[0x03, 0xE9]), "");
    }

    #[test]
    fn simple_font_differences_from_a_document() {
        use lopdf::dictionary;
        let doc = Document::with_version("1.5");
        let dict = dictionary! {
            "Type" => "Font",
            "Subtype" => "TrueType",
            "Encoding" => dictionary! {
                "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), "uni76D1".into(), "emdash".into(), "glyph77".into()],
            },
            "FirstChar" => 65,
            "Widths" => vec![1000.into(), 1000.into()],
        };
        let f = Font::load(&doc, &dict);
        // A → 监, B → —, C → unknown glyph name (skipped), 0x93 → “ from WinAnsi.
        assert_eq!(text(&f, b"ABC\x93z"), "监—“z");
        let g = f.decode(b"A z");
        assert_eq!(g[0].advance, 1.0);
        assert!(g[1].is_space);
    }

    #[test]
    fn type0_with_to_unicode_stream() {
        use lopdf::{dictionary, Stream};
        let mut doc = Document::with_version("1.5");
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
            1 beginbfrange <0005> <0006> [<7EAA> <68C0>] endbfrange"
            .to_vec();
        let tu = doc.add_object(Stream::new(dictionary! {}, cmap));
        let cid_font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "W" => vec![5.into(), vec![Object::Integer(900)].into(), 6.into(), 6.into(), 800.into()],
        });
        let dict = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid_font.into()],
            "ToUnicode" => tu,
        };
        let f = Font::load(&doc, &dict);
        let g = f.decode(&[0, 5, 0, 6, 0, 7]);
        let t: String = g.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(t, "纪检");
        assert!((g[0].advance - 0.9).abs() < 1e-5, "{}", g[0].advance);
        assert!((g[1].advance - 0.8).abs() < 1e-5, "{}", g[1].advance);
        assert_eq!(g[2].text, "");
    }

    #[test]
    fn hostile_width_tables_do_not_overflow() {
        use lopdf::dictionary;
        let doc = Document::with_version("1.5");
        let simple = dictionary! {
            "Subtype" => "Type1",
            "FirstChar" => Object::Real(1e12),
            "Widths" => vec![500.into(), 600.into()],
        };
        assert_eq!(text(&Font::load(&doc, &simple), b"ok"), "ok");
        let cid_font = dictionary! {
            "Subtype" => "CIDFontType0",
            "W" => vec![Object::Integer(i64::MAX), vec![1.into(), 2.into()].into(),
                        0.into(), Object::Integer(i64::MAX), 700.into()],
        };
        let type0 = dictionary! {
            "Subtype" => "Type0",
            "Encoding" => "UniGB-UCS2-H",
            "DescendantFonts" => vec![cid_font.into()],
        };
        let f = Font::load(&doc, &type0);
        assert_eq!(text(&f, &[0x76, 0xD1]), "监");
    }

    #[test]
    fn simple_encodings_and_glyph_names() {
        let t = encoding_table(b"WinAnsiEncoding").expect("known");
        assert_eq!(t[0x93], Some('\u{201C}'));
        assert_eq!(t[b'A' as usize], Some('A'));
        assert_eq!(glyph_char(b"uni76D1"), Some('监'));
        assert_eq!(glyph_char(b"u20000"), Some('\u{20000}'));
        assert_eq!(glyph_char(b"comma"), Some(','));
        assert_eq!(glyph_char(b"g.sc"), Some('g'));
        assert_eq!(glyph_char(b"glyph1234"), None);
    }
}
