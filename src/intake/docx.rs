//! .docx: body paragraphs and table cells in order, automatic numbering rebuilt.
//!
//! A .docx is a zip of XML parts. Only `word/document.xml` (the body), `word/styles.xml`
//! and `word/numbering.xml` are read: headers, footers, footnotes and comments live in
//! other parts and are skipped on purpose (they are not part of a plan's outline).
//!
//! Elements are matched on their *local* names (`p`, `r`, `t`, …), never on prefixes, so
//! files written by WPS (which adds its own namespaces, and may bind the WordprocessingML
//! namespace to another prefix) read the same as files written by Word.
//!
//! What counts as text, and what does not:
//! - runs' `w:t`, including inside `w:hyperlink`, `w:ins`, `w:moveTo`, `w:smartTag`,
//!   `w:customXml`, `w:sdt` content controls, `w:fldSimple` and the *result* part of
//!   complex fields, and text boxes (`w:txbxContent`, taken from `mc:Choice`, never from
//!   the duplicate in `mc:Fallback`);
//! - never: deleted text (`w:del`, `w:moveFrom`, `w:delText`), field codes (`w:instrText`),
//!   tracked property changes (`w:pPrChange` …), hidden runs (`w:vanish`), ruby guide text
//!   (`w:rt`), the prompt text of an empty content control (`w:showingPlcHdr`), and a
//!   table-of-contents content control (it repeats the headings and would double the
//!   outline);
//! - `w:tab`/`w:ptab` become a tab; `w:br` and `w:cr` end a block: a soft line break
//!   (Shift+Enter) is how many offices separate items inside one paragraph, and the outline
//!   stage only recognizes a marker such as "二、" at the start of a block, exactly as the
//!   text reader splits lines. The numbering marker goes on the first block only.
//!
//! Tables: a task table (a header row naming 事项/工作任务, 责任单位, 完成时限 … among its
//! first three rows) gives one block a row, read by its columns as a spreadsheet's rows are
//! (`super::table`); in any other table every paragraph of every cell (nested tables
//! included) becomes its own block. Either way `origin.in_table = true`, in document order.
//!
//! Automatic numbering is rebuilt as Word shows it (the counter rules are documented on the
//! private `Numbering` type: counters per abstract list, `w:startOverride` restarts on first
//! use, `w:lvlRestart`, `w:isLgl`, `w:numStyleLink`); see
//! [`format_number`] for the number formats.
//! Bulleted paragraphs get no marker: their glyph is often a private-use Symbol/Wingdings
//! character that means nothing as text, and an unmarked item reads the same to the outline
//! stage. After the marker, Word's tab or space (`w:suff`) is dropped next to CJK text
//! ("一、加强") and kept as one space between Latin text ("1. Scope").
//!
//! Hostile input: every part is read through a limit ([`Limits::part_bytes`]) on the bytes
//! actually decompressed (the size in the zip header is not trusted), and XML nested deeper
//! than [`Limits::xml_depth`] is refused, both with a Chinese error naming the option that
//! raises the limit.

use super::limits::{hint, Limit};
use super::{Block, Limits, Origin};
use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read};

/// Read a .docx file's bytes within the default limits: one block per paragraph (see the
/// module documentation).
pub fn read(bytes: &[u8]) -> Result<Vec<Block>> {
    read_with(bytes, &Limits::default())
}

/// Read a .docx file's bytes within `limits`.
pub fn read_with(bytes: &[u8], limits: &Limits) -> Result<Vec<Block>> {
    let limit = limits.part_bytes;
    let depth = limits.xml_depth;
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::msg(
            "不是有效的 Word 文档（.docx）：这是旧版 Word 格式（.doc）或设置了打开密码的文档。请在 Word 或 WPS 中取消密码，或另存为 .docx 后再试",
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        Error::msg(
            "不是有效的 Word 文档（.docx）：无法作为压缩包打开，文件可能已损坏，或只是把扩展名改成了 .docx",
        )
    })?;
    let doc_name = main_part_name(&mut zip, limit, depth)?;
    let Some(document) = read_part(&mut zip, &doc_name, limit)? else {
        return Err(Error::msg(format!(
            "不是有效的 Word 文档（.docx）：压缩包里没有正文部分 {doc_name}，文件可能已损坏或不是 Word 文档"
        )));
    };
    let dir = match doc_name.rfind('/') {
        Some(i) => &doc_name[..=i],
        None => "",
    };
    let styles = match read_part(&mut zip, &format!("{dir}styles.xml"), limit)? {
        Some(xml) => Styles::parse(&parse_tree(&xml, "styles.xml", depth)?),
        None => Styles::default(),
    };
    let numbering = match read_part(&mut zip, &format!("{dir}numbering.xml"), limit)? {
        Some(xml) => Numbering::parse(&parse_tree(&xml, "numbering.xml", depth)?),
        None => Numbering::default(),
    };
    read_document(&document, &styles, &numbering, depth)
}

/// The name of the main document part: `word/document.xml`, or what `_rels/.rels` names.
fn main_part_name(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limit: u64,
    depth: usize,
) -> Result<String> {
    const DEFAULT: &str = "word/document.xml";
    if zip.index_for_name(DEFAULT).is_some() {
        return Ok(DEFAULT.to_string());
    }
    if let Some(rels) = read_part(zip, "_rels/.rels", limit)? {
        let tree = parse_tree(&rels, "_rels/.rels", depth)?;
        for rel in tree.children.iter().filter(|c| c.name == "Relationship") {
            let is_main = rel
                .attr("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"));
            if let (true, Some(target)) = (is_main, rel.attr("Target")) {
                return Ok(target.trim_start_matches('/').to_string());
            }
        }
    }
    Ok(DEFAULT.to_string())
}

/// One part of the zip as text, at most `limit` bytes once decompressed (the size in the
/// zip header is not trusted: the reader stops at `limit + 1`). `None` if absent.
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Option<String>> {
    let damaged = || {
        Error::msg(format!(
            "不是有效的 Word 文档（.docx）：压缩包中的 {name} 已损坏"
        ))
    };
    let too_big = || {
        Error::msg(format!(
            "文档中的 {name} 解压后超过 {} MB，超出上限，拒绝读取（文件可能被恶意构造）；{}",
            limit / 1024 / 1024,
            hint(Limit::PartMb)
        ))
    };
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(_))
        | Err(zip::result::ZipError::CompressionMethodNotSupported(_)) => {
            return Err(Error::msg(format!(
                "不是有效的 Word 文档（.docx）：{name} 使用了不支持的压缩或加密方式，请在 Word 或 WPS 中重新另存为 .docx 后再试"
            )))
        }
        Err(_) => return Err(damaged()),
    };
    // Counted first without keeping anything, so that a zip bomb is refused in a few MB of
    // memory instead of being held up to the limit; then read.
    let counted = std::io::copy(
        &mut file.take(limit.saturating_add(1)),
        &mut std::io::sink(),
    );
    if counted.as_ref().is_ok_and(|&n| n > limit) {
        return Err(too_big());
    }
    let file = zip.by_name(name).map_err(|_| damaged())?;
    let mut buf = Vec::with_capacity(counted.map_or(0, |n| n as usize));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|_| {
            Error::msg(format!(
                "不是有效的 Word 文档（.docx）：压缩包中的 {name} 无法解压，文件可能已损坏"
            ))
        })?;
    if buf.len() as u64 > limit {
        return Err(too_big());
    }
    decode_xml(buf, name).map(Some)
}

/// XML bytes → text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
fn decode_xml(buf: Vec<u8>, name: &str) -> Result<String> {
    if buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF]) {
        let (enc, rest) = if buf[0] == 0xFF {
            (encoding_rs::UTF_16LE, &buf[2..])
        } else {
            (encoding_rs::UTF_16BE, &buf[2..])
        };
        let (s, bad) = enc.decode_without_bom_handling(rest);
        if !bad {
            return Ok(s.into_owned());
        }
    } else {
        if let Ok(mut s) = String::from_utf8(buf) {
            if s.starts_with('\u{feff}') {
                s.remove(0);
            }
            return Ok(s);
        }
    }
    Err(Error::msg(format!(
        "不是有效的 Word 文档（.docx）：{name} 的文字编码无效，文件可能已损坏"
    )))
}

fn xml_error(part: &str, pos: u64, e: impl std::fmt::Display) -> Error {
    Error::msg(format!(
        "不是有效的 Word 文档（.docx）：{part} 的 XML 格式错误（第 {pos} 字节附近：{e}），文件可能已损坏"
    ))
}

fn depth_error(part: &str, depth: usize) -> Error {
    Error::msg(format!(
        "文档中的 {part} 元素嵌套超过 {depth} 层，文件可能已损坏或被恶意构造，拒绝读取；{}",
        hint(Limit::XmlDepth)
    ))
}

/// Local name of an element, owned.
fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

/// Attributes of an element by local name, unescaped.
fn attrs(e: &BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string());
            (a.key.local_name().as_ref().to_string(), value)
        })
        .collect()
}

/// The value of an attribute given by local name.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    attrs(e)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Whether an on/off property (`<w:vanish/>`, `<w:isLgl w:val="0"/>`) is on.
fn on_off(val: Option<&str>) -> bool {
    !matches!(val, Some("0" | "false" | "off"))
}

// ---------------------------------------------------------------------------------------
// A small element tree for styles.xml, numbering.xml and .rels (text is not kept).

/// An element: local name, attributes by local name, child elements.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn val(&self, child: &str) -> Option<&str> {
        self.child(child).and_then(|c| c.attr("val"))
    }
}

/// Parse XML into a tree whose root is the document element.
fn parse_tree(xml: &str, part: &str, depth: usize) -> Result<Node> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_error(part, reader.error_position(), e))?;
        match ev {
            Event::Start(e) => {
                if stack.len() > depth {
                    return Err(depth_error(part, depth));
                }
                stack.push(Node {
                    name: local(&e),
                    attrs: attrs(&e),
                    children: Vec::new(),
                });
            }
            Event::Empty(e) => {
                let node = Node {
                    name: local(&e),
                    attrs: attrs(&e),
                    children: Vec::new(),
                };
                if let Some(top) = stack.last_mut() {
                    top.children.push(node);
                }
            }
            Event::End(_) if stack.len() > 1 => {
                let node = stack.pop().unwrap_or_default();
                if let Some(top) = stack.last_mut() {
                    top.children.push(node);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.swap_remove(0);
    Ok(if root.children.len() == 1 {
        root.children.remove(0)
    } else {
        root
    })
}

// ---------------------------------------------------------------------------------------
// Styles.

/// Numbering a paragraph style gives (directly or through `w:basedOn`).
#[derive(Debug, Default, Clone)]
struct StyleDef {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

/// The parts of styles.xml that matter for numbering.
#[derive(Debug, Default)]
struct Styles {
    /// Paragraph styles by id.
    paragraph: HashMap<String, StyleDef>,
    /// The default paragraph style's id.
    default_paragraph: Option<String>,
    /// Numbering styles (targets of `w:numStyleLink`) by id: their numId.
    numbering: HashMap<String, String>,
}

impl Styles {
    fn parse(root: &Node) -> Styles {
        let mut s = Styles::default();
        for style in root.children("style") {
            let Some(id) = style.attr("styleId") else {
                continue;
            };
            let num_pr = style.child("pPr").and_then(|p| p.child("numPr"));
            let num_id = num_pr.and_then(|n| n.val("numId")).map(str::to_string);
            let ilvl = num_pr
                .and_then(|n| n.val("ilvl"))
                .and_then(|v| v.parse().ok());
            match style.attr("type").unwrap_or("paragraph") {
                "paragraph" => {
                    if style.attr("default").is_some_and(|v| on_off(Some(v))) {
                        s.default_paragraph = Some(id.to_string());
                    }
                    s.paragraph.insert(
                        id.to_string(),
                        StyleDef {
                            based_on: style.val("basedOn").map(str::to_string),
                            num_id,
                            ilvl,
                        },
                    );
                }
                "numbering" => {
                    if let Some(n) = num_id {
                        s.numbering.insert(id.to_string(), n);
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// (numId, ilvl) a paragraph style gives, following `w:basedOn`; each property is
    /// inherited separately, as Word does.
    fn num_pr(&self, style: &str) -> (Option<String>, Option<u8>) {
        let (mut num_id, mut ilvl) = (None, None);
        let mut seen = HashSet::new();
        let mut cur = Some(style);
        while let Some(id) = cur {
            if !seen.insert(id) || seen.len() > 64 {
                break;
            }
            let Some(def) = self.paragraph.get(id) else {
                break;
            };
            if num_id.is_none() {
                num_id = def.num_id.clone();
            }
            if ilvl.is_none() {
                ilvl = def.ilvl;
            }
            cur = def.based_on.as_deref();
        }
        (num_id, ilvl)
    }
}

// ---------------------------------------------------------------------------------------
// Numbering.

/// Text after the marker (`w:suff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    Tab,
    Space,
    Nothing,
}

/// One level of a list (`w:lvl`).
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    fmt: String,
    text: String,
    /// `w:lvlRestart`: 1-based level whose use restarts this one (0: never).
    restart: Option<u32>,
    is_lgl: bool,
    suffix: Suffix,
    pstyle: Option<String>,
}

impl Level {
    fn parse(lvl: &Node) -> Level {
        Level {
            // ECMA-376: start defaults to 0 when absent.
            start: lvl.val("start").and_then(|v| v.parse().ok()).unwrap_or(0),
            fmt: level_format(lvl),
            text: lvl.val("lvlText").unwrap_or("").to_string(),
            restart: lvl.val("lvlRestart").and_then(|v| v.parse().ok()),
            is_lgl: lvl.child("isLgl").is_some_and(|n| on_off(n.attr("val"))),
            suffix: match lvl.val("suff") {
                Some("space") => Suffix::Space,
                Some("nothing") => Suffix::Nothing,
                _ => Suffix::Tab,
            },
            pstyle: lvl.val("pStyle").map(str::to_string),
        }
    }
}

/// A level's number format. Word 2010+ writes custom formats as
/// `mc:AlternateContent/mc:Choice/w:numFmt[@w:val="custom"][@w:format="001, 002, 003, ..."]`
/// with a standard format in `mc:Fallback`: zero-padded decimals are understood, anything
/// else falls back.
fn level_format(lvl: &Node) -> String {
    if let Some(f) = lvl.val("numFmt") {
        return f.to_string();
    }
    if let Some(alt) = lvl.child("AlternateContent") {
        for choice in alt.children("Choice") {
            if let Some(nf) = choice.child("numFmt") {
                let first = nf.attr("format").unwrap_or("").split(',').next();
                let first = first.unwrap_or("").trim();
                if nf.attr("val") == Some("custom")
                    && first.len() > 1
                    && first.bytes().all(|b| b.is_ascii_digit())
                {
                    return format!("zeroPad{}", first.len());
                }
            }
        }
        if let Some(f) = alt.child("Fallback").and_then(|f| f.val("numFmt")) {
            return f.to_string();
        }
    }
    "decimal".to_string()
}

/// `w:abstractNum`.
#[derive(Debug, Default)]
struct AbstractNum {
    levels: BTreeMap<u8, Level>,
    num_style_link: Option<String>,
}

/// `w:lvlOverride`.
#[derive(Debug, Default)]
struct Override {
    start: Option<u32>,
    level: Option<Level>,
}

/// `w:num`.
#[derive(Debug, Default)]
struct NumInstance {
    abstract_id: String,
    overrides: HashMap<u8, Override>,
}

/// The numbering definitions (numbering.xml) and the rules that turn them into markers.
///
/// Counters follow Word's behaviour:
/// - counters belong to the *abstract* list: two `w:num` that point at the same
///   `w:abstractNum` continue each other's numbering (this is how Word's "continue
///   numbering" is stored);
/// - a `w:num` with `w:lvlOverride/w:startOverride` restarts that level at the override
///   value the first time a paragraph uses that `w:num` (this is how Word's "restart at 1"
///   is stored), and later restarts of that level inside it use the override value;
/// - using level *k* restarts every deeper level, unless the deeper level's `w:lvlRestart`
///   says otherwise (`0`: never restart; *r*: restart only when a level 1..*r* is used);
/// - `%n` in `w:lvlText` is level *n*'s current value in level *n*'s own format, or in
///   decimal when the paragraph's level has `w:isLgl`; a level never used yet shows its
///   start value;
/// - a `w:num` whose abstract list has `w:numStyleLink` uses the list of the numbering
///   style it names (the abstract list that has the matching `w:styleLink`).
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, AbstractNum>,
    nums: HashMap<String, NumInstance>,
}

impl Numbering {
    fn parse(root: &Node) -> Numbering {
        let mut n = Numbering::default();
        for a in root.children("abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut abs = AbstractNum {
                levels: BTreeMap::new(),
                num_style_link: a.val("numStyleLink").map(str::to_string),
            };
            for lvl in a.children("lvl") {
                if let Some(i) = lvl.attr("ilvl").and_then(|v| v.parse::<u8>().ok()) {
                    if i < 9 {
                        abs.levels.insert(i, Level::parse(lvl));
                    }
                }
            }
            n.abstracts.insert(id.to_string(), abs);
        }
        for num in root.children("num") {
            let (Some(id), Some(abs)) = (num.attr("numId"), num.val("abstractNumId")) else {
                continue;
            };
            let mut inst = NumInstance {
                abstract_id: abs.to_string(),
                overrides: HashMap::new(),
            };
            for o in num.children("lvlOverride") {
                let Some(i) = o.attr("ilvl").and_then(|v| v.parse::<u8>().ok()) else {
                    continue;
                };
                inst.overrides.insert(
                    i,
                    Override {
                        start: o.val("startOverride").and_then(|v| v.parse().ok()),
                        level: o.child("lvl").map(Level::parse),
                    },
                );
            }
            n.nums.insert(id.to_string(), inst);
        }
        n
    }

    /// The abstract list a `w:num` uses, following `w:numStyleLink`.
    fn abstract_of(&self, num_id: &str, styles: &Styles) -> Option<(&str, &AbstractNum)> {
        let mut id = self.nums.get(num_id)?.abstract_id.as_str();
        for _ in 0..8 {
            let abs = self.abstracts.get(id)?;
            let Some(link) = &abs.num_style_link else {
                return Some((id, abs));
            };
            let next = styles
                .numbering
                .get(link)
                .and_then(|n| self.nums.get(n))
                .map(|n| n.abstract_id.as_str());
            match next {
                Some(next) if next != id => id = next,
                _ => return Some((id, abs)),
            }
        }
        None
    }
}

/// Running counters while walking the document.
#[derive(Debug, Default)]
struct Counters {
    by_abstract: HashMap<String, [Option<u32>; 9]>,
    used_nums: HashSet<String>,
}

/// How a paragraph's number is attached to its text.
struct Marker {
    text: String,
    suffix: Suffix,
}

impl Counters {
    /// Advance the counters for a paragraph of list `num_id` and return its marker.
    ///
    /// The level is the paragraph's own `w:ilvl`; failing that, the list level whose
    /// `w:pStyle` names the paragraph's style (ECMA-376 §17.9.23 makes that link win over
    /// the style's `w:ilvl`); failing that, the style's `w:ilvl`; failing that, 0.
    fn next(
        &mut self,
        numbering: &Numbering,
        styles: &Styles,
        num_id: &str,
        ilvl: Option<u8>,
        style: Option<&str>,
        style_ilvl: Option<u8>,
    ) -> Option<Marker> {
        if num_id == "0" {
            return None;
        }
        let inst = numbering.nums.get(num_id)?;
        let (abs_id, abs) = numbering.abstract_of(num_id, styles)?;
        let ilvl = ilvl
            .or_else(|| {
                let style = style?;
                abs.levels
                    .iter()
                    .find(|(_, l)| l.pstyle.as_deref() == Some(style))
                    .map(|(i, _)| *i)
            })
            .or(style_ilvl)
            .unwrap_or(0);
        if ilvl > 8 {
            return None;
        }
        let level = |k: u8| {
            inst.overrides
                .get(&k)
                .and_then(|o| o.level.as_ref())
                .or_else(|| abs.levels.get(&k))
        };
        let start_of = |k: u8| {
            inst.overrides
                .get(&k)
                .and_then(|o| o.start)
                .or_else(|| level(k).map(|l| l.start))
                .unwrap_or(0)
        };
        let lv = level(ilvl)?;
        let counts = self
            .by_abstract
            .entry(abs_id.to_string())
            .or_insert([None; 9]);
        if self.used_nums.insert(num_id.to_string()) {
            for (k, o) in &inst.overrides {
                if o.start.is_some() && *k < 9 {
                    counts[*k as usize] = None;
                }
            }
        }
        let i = ilvl as usize;
        counts[i] = Some(match counts[i] {
            Some(c) => c.saturating_add(1),
            None => start_of(ilvl),
        });
        for (k, count) in counts.iter_mut().enumerate().skip(i + 1) {
            let restart = level(k as u8).and_then(|l| l.restart).unwrap_or(k as u32);
            if (i as u32) < restart {
                *count = None;
            }
        }
        if lv.fmt == "bullet" {
            return None;
        }
        let mut text = String::new();
        let mut chars = lv.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            match digit {
                Some(d @ 1..=9) if c == '%' => {
                    chars.next();
                    let k = (d - 1) as u8;
                    let n = counts[k as usize].unwrap_or_else(|| start_of(k));
                    let fmt = if lv.is_lgl {
                        "decimal"
                    } else {
                        level(k).map_or("decimal", |l| l.fmt.as_str())
                    };
                    text.push_str(&format_number(fmt, n));
                }
                _ => text.push(c),
            }
        }
        if text.is_empty() {
            return None;
        }
        Some(Marker {
            text,
            suffix: lv.suffix,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Number formats.

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CN_LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const TW_LEGAL: [char; 10] = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const BRANCHES: [char; 12] = [
    '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
];

/// Write `n` in a Word number format (`w:numFmt`'s value), as Word displays it.
///
/// - `decimal` 1, `decimalZero` 01, `decimalFullWidth`/`decimalFullWidth2` １, `zeroPadN`
///   (a custom `001, 002, …` format) 001;
/// - `chineseCounting`, `chineseCountingThousand`, `japaneseCounting`,
///   `taiwaneseCounting`, `taiwaneseCountingThousand`, `ideographLegalTraditional`-like
///   counting: 一 … 十, 十一 … 二十, 二十一 …, 一百, 一百零一, 一千 …;
/// - `chineseLegalSimplified` 壹 … 拾, `ideographLegalTraditional` 壹 … 拾 (traditional);
/// - `ideographDigital`, `taiwaneseDigital`, `japaneseDigitalTenThousand`: digit by digit
///   (十 → 一〇);
/// - `ideographTraditional` 甲 乙 丙 … 癸, `ideographZodiac` 子 丑 寅 … 亥,
///   `ideographZodiacTraditional` 甲子 乙丑 … (beyond their cycle: decimal);
/// - `decimalEnclosedCircle`, `decimalEnclosedCircleChinese` ① … ⑳,
///   `decimalEnclosedFullstop` ⒈ … ⒛, `decimalEnclosedParen` ⑴ … ⒇,
///   `ideographEnclosedCircle` ㈠ … ㈩ (beyond: decimal, as Word does);
/// - `upperLetter`/`lowerLetter` A … Z, AA … ZZ, AAA …; `upperRoman`/`lowerRoman`;
///   `ordinal` 1st 2nd …;
/// - `none` and `bullet`: empty (a bullet list gets no marker);
/// - anything else: decimal.
pub fn format_number(fmt: &str, n: u32) -> String {
    match fmt {
        "none" | "bullet" => String::new(),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese_counting(n, &CN_DIGITS, ['十', '百', '千']),
        "chineseLegalSimplified" => chinese_counting(n, &CN_LEGAL, ['拾', '佰', '仟']),
        "ideographLegalTraditional" => chinese_counting(n, &TW_LEGAL, ['拾', '佰', '仟']),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| CN_DIGITS[c.to_digit(10).unwrap_or(0) as usize])
            .collect(),
        "ideographTraditional" if (1..=10).contains(&n) => STEMS[n as usize - 1].to_string(),
        "ideographZodiac" if (1..=12).contains(&n) => BRANCHES[n as usize - 1].to_string(),
        "ideographZodiacTraditional" if (1..=60).contains(&n) => {
            let i = n as usize - 1;
            format!("{}{}", STEMS[i % 10], BRANCHES[i % 12])
        }
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            enclosed(0x2460, n)
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => enclosed(0x2488, n),
        "decimalEnclosedParen" if (1..=20).contains(&n) => enclosed(0x2474, n),
        "ideographEnclosedCircle" if (1..=10).contains(&n) => enclosed(0x3220, n),
        "upperLetter" | "lowerLetter" if n > 0 => {
            let base = if fmt == "upperLetter" { b'A' } else { b'a' };
            let c = (base + ((n - 1) % 26) as u8) as char;
            c.to_string().repeat(((n - 1) / 26 + 1) as usize)
        }
        "upperRoman" | "lowerRoman" if n > 0 => {
            let r = roman(n);
            if fmt == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }
        "ordinal" => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
        f if f.starts_with("zeroPad") => {
            let width: usize = f["zeroPad".len()..].parse().unwrap_or(1);
            format!("{n:0width$}")
        }
        _ => n.to_string(),
    }
}

fn enclosed(first: u32, n: u32) -> String {
    char::from_u32(first + n - 1)
        .map(String::from)
        .unwrap_or_else(|| n.to_string())
}

/// Chinese counting: 十 for 10, 十一 (not 一十一) for 11–19 at the start, 零 for gaps
/// (一百零一), 万 and 亿 groups.
fn chinese_counting(n: u32, digits: &[char; 10], units: [char; 3]) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    let zero = if digits[0] == '〇' { '零' } else { digits[0] };
    // Groups of four digits, most significant first.
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push(m % 10000);
        m /= 10000;
    }
    let big = ['\0', '万', '亿'];
    let mut out = String::new();
    let mut pending_zero = false;
    for (gi, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (g < 1000 || pending_zero) {
            out.push(zero);
        }
        pending_zero = false;
        let ds = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
        let mut gap = false;
        for (pos, &d) in ds.iter().enumerate() {
            let unit = 3 - pos; // 3: thousands, 0: ones
            if d == 0 {
                gap = true;
                continue;
            }
            let started = out.chars().next_back().is_some_and(|c| c != zero)
                && ds[..pos].iter().any(|&x| x != 0);
            if gap && started {
                out.push(zero);
            }
            gap = false;
            // 十一, not 一十一, when the number begins with the tens.
            if !(unit == 1 && d == 1 && out.is_empty()) {
                out.push(digits[d as usize]);
            }
            if unit > 0 {
                out.push(units[unit - 1]);
            }
        }
        if gi > 0 {
            out.push(big[gi.min(2)]);
        }
    }
    out
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The body.

/// A paragraph being read.
#[derive(Debug, Default)]
struct Para {
    /// Text pieces, split at line breaks.
    segments: Vec<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    style: Option<String>,
    in_table: bool,
}

/// Elements whose whole content is not visible text.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "del"
            | "moveFrom"
            | "delText"
            | "delInstrText"
            | "instrText"
            | "pPrChange"
            | "rPrChange"
            | "sectPrChange"
            | "tblPrChange"
            | "tblPrExChange"
            | "trPrChange"
            | "tcPrChange"
            | "tblGridChange"
            | "numberingChange"
            | "Fallback"
            | "rt"
            | "sdtEndPr"
    )
}

/// Walk document.xml and produce the blocks.
fn read_document(
    xml: &str,
    styles: &Styles,
    numbering: &Numbering,
    depth: usize,
) -> Result<Vec<Block>> {
    const PART: &str = "word/document.xml";
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    // Depth of the element whose content is skipped, if any.
    let mut skip_from: Option<usize> = None;
    let mut paras: Vec<Para> = Vec::new();
    let mut table_depth = 0u32;
    let mut run_hidden = false;
    // One flag per open w:sdt: whether its content is to be skipped.
    let mut sdt_skip: Vec<bool> = Vec::new();
    let mut counters = Counters::default();
    let mut blocks = Vec::new();
    // The top-level table being read, its cells kept so that a task table's rows can be
    // read by their columns once it ends.
    let mut table: Option<TableRead> = None;

    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_error(PART, reader.error_position(), e))?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                let Some(name) = stack.pop() else {
                    continue;
                };
                if let Some(d) = skip_from {
                    if stack.len() > d {
                        continue;
                    }
                    skip_from = None;
                    continue;
                }
                match name.as_str() {
                    "p" => {
                        if let Some(p) = paras.pop() {
                            finish_para(p, &mut counters, numbering, styles, &mut blocks);
                        }
                    }
                    "tc" if table_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            let cell: Vec<&str> = blocks[t.cell_start.min(blocks.len())..]
                                .iter()
                                .map(|b: &Block| b.text.as_str())
                                .collect();
                            t.row.push(cell.join("\n").trim().to_string());
                        }
                    }
                    "tr" if table_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            t.rows.push(std::mem::take(&mut t.row));
                        }
                    }
                    "tbl" => {
                        if table_depth == 1 {
                            if let Some(t) = table.take() {
                                t.finish(&mut blocks);
                            }
                        }
                        table_depth = table_depth.saturating_sub(1);
                    }
                    "sdt" => {
                        sdt_skip.pop();
                    }
                    _ => {}
                }
                continue;
            }
            Event::Text(t) => {
                if skip_from.is_none() && !run_hidden && stack.last().is_some_and(|n| n == "t") {
                    if let Some(p) = paras.last_mut() {
                        push_text(p, &t.xml10_content());
                    }
                }
                continue;
            }
            Event::CData(t) => {
                if skip_from.is_none() && !run_hidden && stack.last().is_some_and(|n| n == "t") {
                    if let Some(p) = paras.last_mut() {
                        push_text(p, &t.xml10_content());
                    }
                }
                continue;
            }
            Event::GeneralRef(r) => {
                if skip_from.is_none() && !run_hidden && stack.last().is_some_and(|n| n == "t") {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.as_ref() {
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "amp" => Some('&'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let (Some(c), Some(p)) = (c, paras.last_mut()) {
                        push_text(p, c.encode_utf8(&mut [0; 4]));
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = local(&e);
        let parent = stack.last().map(String::as_str).unwrap_or("");
        if skip_from.is_none() {
            match name.as_str() {
                "p" => paras.push(Para {
                    in_table: table_depth > 0,
                    ..Para::default()
                }),
                "tbl" if !empty => {
                    table_depth += 1;
                    if table_depth == 1 {
                        table = Some(TableRead {
                            start: blocks.len(),
                            ..TableRead::default()
                        });
                    }
                }
                "tr" if !empty && table_depth == 1 => {
                    if let Some(t) = table.as_mut() {
                        t.row.clear();
                    }
                }
                "tc" if !empty && table_depth == 1 => {
                    if let Some(t) = table.as_mut() {
                        t.cell_start = blocks.len();
                    }
                }
                "r" => run_hidden = false,
                "vanish"
                    if parent == "rPr" && stack.iter().rev().nth(1).is_some_and(|n| n == "r") =>
                {
                    run_hidden = on_off(attr(&e, "val").as_deref());
                }
                "pStyle" if parent == "pPr" => {
                    if let Some(p) = paras.last_mut() {
                        p.style = attr(&e, "val");
                    }
                }
                "numId" | "ilvl" if parent == "numPr" && in_ppr(&stack) => {
                    if let (Some(p), Some(v)) = (paras.last_mut(), attr(&e, "val")) {
                        if name == "numId" {
                            p.num_id = Some(v);
                        } else {
                            p.ilvl = v.trim().parse().ok();
                        }
                    }
                }
                "tab" | "ptab" if parent == "r" && !run_hidden => {
                    if let Some(p) = paras.last_mut() {
                        push_text(p, "\t");
                    }
                }
                "noBreakHyphen" if parent == "r" && !run_hidden => {
                    if let Some(p) = paras.last_mut() {
                        push_text(p, "-");
                    }
                }
                "br" | "cr" if parent == "r" && !run_hidden => {
                    if let Some(p) = paras.last_mut() {
                        if p.segments.is_empty() {
                            p.segments.push(String::new());
                        }
                        p.segments.push(String::new());
                    }
                }
                "sdt" if !empty => sdt_skip.push(false),
                "showingPlcHdr" if parent == "sdtPr" => {
                    if let Some(f) = sdt_skip.last_mut() {
                        *f = true;
                    }
                }
                "docPartGallery" if parent == "docPartObj" => {
                    let toc = attr(&e, "val").is_some_and(|v| v.contains("Table of Contents"));
                    if let (true, Some(f)) = (toc, sdt_skip.last_mut()) {
                        *f = true;
                    }
                }
                _ => {}
            }
        }
        if empty {
            if name == "p" && skip_from.is_none() {
                if let Some(p) = paras.pop() {
                    finish_para(p, &mut counters, numbering, styles, &mut blocks);
                }
            }
            continue;
        }
        if stack.len() >= depth {
            return Err(depth_error(PART, depth));
        }
        if skip_from.is_none()
            && (skipped(&name) || (name == "sdtContent" && sdt_skip.last() == Some(&true)))
        {
            skip_from = Some(stack.len());
        }
        stack.push(name);
    }
    Ok(blocks)
}

/// A top-level table being read: where its blocks start, its rows of cell texts (a cell's
/// paragraphs one per line), the row being read and where its current cell's blocks start.
#[derive(Debug, Default)]
struct TableRead {
    start: usize,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell_start: usize,
}

impl TableRead {
    /// A task table (a header row naming 事项/工作任务, 责任单位, 完成时限 … among its first three
    /// rows) becomes one block per row, read by its columns ([`super::table`]), in place of a
    /// block per cell paragraph; rows above the header are paragraphs. Any other table keeps
    /// its paragraphs.
    fn finish(self, blocks: &mut Vec<Block>) {
        let origin = Origin {
            in_table: true,
            ..Origin::default()
        };
        if let Ok(rows) = super::table::headed(self.rows, 3, &origin) {
            blocks.truncate(self.start);
            blocks.extend(rows);
        }
    }
}

/// Whether the innermost `numPr` on the stack is directly in a paragraph's `pPr`.
fn in_ppr(stack: &[String]) -> bool {
    let n = stack.len();
    n >= 3 && stack[n - 2] == "pPr" && stack[n - 3] == "p"
}

fn push_text(p: &mut Para, s: &str) {
    match p.segments.last_mut() {
        Some(seg) => seg.push_str(s),
        None => p.segments.push(s.to_string()),
    }
}

/// Number a finished paragraph and turn it into blocks.
fn finish_para(
    p: Para,
    counters: &mut Counters,
    numbering: &Numbering,
    styles: &Styles,
    blocks: &mut Vec<Block>,
) {
    let style = p.style.as_deref().or(styles.default_paragraph.as_deref());
    let (style_num, style_ilvl) = style.map(|s| styles.num_pr(s)).unwrap_or_default();
    let num_id = p.num_id.or(style_num);
    let marker =
        num_id.and_then(|id| counters.next(numbering, styles, &id, p.ilvl, style, style_ilvl));
    let origin = Origin {
        in_table: p.in_table,
        ..Origin::default()
    };
    let mut segments = p.segments.into_iter();
    let first = segments.next().unwrap_or_default();
    let first = match marker {
        Some(m) => join_marker(&m, &first),
        None => first,
    };
    for text in std::iter::once(first).chain(segments) {
        if !text.trim().is_empty() {
            blocks.push(Block {
                text,
                origin: origin.clone(),
                fields: None,
            });
        }
    }
}

/// Marker + text. A tab or space after the marker is dropped next to CJK characters (as
/// a reader of "一、加强" sees no gap) and kept as one space between Latin text ("1. Plan").
fn join_marker(m: &Marker, text: &str) -> String {
    let text = text.trim_start();
    let gap = m.suffix != Suffix::Nothing
        && !text.is_empty()
        && !m.text.chars().next_back().is_some_and(crate::text::is_wide)
        && !text.chars().next().is_some_and(crate::text::is_wide);
    let mut out = String::with_capacity(m.text.len() + text.len() + 1);
    out.push_str(&m.text);
    if gap {
        out.push(' ');
    }
    out.push_str(text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// A .docx in memory from its parts.
    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            zw.start_file(*name, opts).unwrap();
            zw.write_all(text.as_bytes()).unwrap();
        }
        zw.finish().unwrap().into_inner()
    }

    fn doc_xml(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    fn numbering_xml(inner: &str) -> String {
        format!(r#"<w:numbering xmlns:w="{W}">{inner}</w:numbering>"#)
    }

    fn lvl(ilvl: u8, fmt: &str, text: &str) -> String {
        format!(
            r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>"#
        )
    }

    /// The standard Chinese outline: 一、 / （一） / 1. / （1） / ①.
    fn outline_abstract(id: &str) -> String {
        format!(
            r#"<w:abstractNum w:abstractNumId="{id}">{}{}{}{}{}</w:abstractNum>"#,
            lvl(0, "chineseCounting", "%1、"),
            lvl(1, "chineseCounting", "（%2）"),
            lvl(2, "decimal", "%3."),
            lvl(3, "decimal", "（%4）"),
            lvl(4, "decimalEnclosedCircle", "%5"),
        )
    }

    fn np(num: &str, ilvl: u8, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks.iter().map(|b| b.text.clone()).collect()
    }

    fn read_body(body: &str) -> Vec<String> {
        let bytes = zip_of(&[("word/document.xml", &doc_xml(body))]);
        texts(&read(&bytes).unwrap())
    }

    fn read_numbered(body: &str, numbering: &str) -> Vec<String> {
        let bytes = zip_of(&[
            ("word/document.xml", &doc_xml(body)),
            ("word/numbering.xml", &numbering_xml(numbering)),
        ]);
        texts(&read(&bytes).unwrap())
    }

    #[test]
    fn chinese_counting_numbers() {
        let f = |n| format_number("chineseCounting", n);
        assert_eq!(f(1), "一");
        assert_eq!(f(10), "十");
        assert_eq!(f(11), "十一");
        assert_eq!(f(19), "十九");
        assert_eq!(f(20), "二十");
        assert_eq!(f(21), "二十一");
        assert_eq!(f(99), "九十九");
        assert_eq!(f(100), "一百");
        assert_eq!(f(101), "一百零一");
        assert_eq!(f(110), "一百一十");
        assert_eq!(f(1001), "一千零一");
        assert_eq!(f(10001), "一万零一");
        assert_eq!(f(0), "〇");
        assert_eq!(format_number("chineseCountingThousand", 21), "二十一");
        assert_eq!(format_number("japaneseCounting", 12), "十二");
        assert_eq!(format_number("taiwaneseCounting", 30), "三十");
        assert_eq!(format_number("chineseLegalSimplified", 12), "拾贰");
        assert_eq!(format_number("ideographDigital", 10), "一〇");
    }

    #[test]
    fn other_number_formats() {
        assert_eq!(format_number("decimal", 7), "7");
        assert_eq!(format_number("decimalZero", 7), "07");
        assert_eq!(format_number("decimalFullWidth", 12), "１２");
        assert_eq!(format_number("decimalFullWidth2", 3), "３");
        assert_eq!(format_number("ideographTraditional", 1), "甲");
        assert_eq!(format_number("ideographTraditional", 10), "癸");
        assert_eq!(format_number("ideographTraditional", 11), "11");
        assert_eq!(format_number("ideographZodiac", 12), "亥");
        assert_eq!(format_number("ideographZodiacTraditional", 11), "甲戌");
        assert_eq!(format_number("decimalEnclosedCircle", 1), "①");
        assert_eq!(format_number("decimalEnclosedCircleChinese", 20), "⑳");
        assert_eq!(format_number("decimalEnclosedCircle", 21), "21");
        assert_eq!(format_number("decimalEnclosedParen", 3), "⑶");
        assert_eq!(format_number("ideographEnclosedCircle", 1), "㈠");
        assert_eq!(format_number("upperLetter", 2), "B");
        assert_eq!(format_number("lowerLetter", 27), "aa");
        assert_eq!(format_number("upperRoman", 14), "XIV");
        assert_eq!(format_number("lowerRoman", 2024), "mmxxiv");
        assert_eq!(format_number("ordinal", 12), "12th");
        assert_eq!(format_number("zeroPad3", 7), "007");
        assert_eq!(format_number("bullet", 1), "");
        assert_eq!(format_number("none", 1), "");
        assert_eq!(format_number("somethingNew", 5), "5");
    }

    #[test]
    fn words_split_across_runs_join() {
        let body = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>加</w:t></w:r><w:bookmarkStart w:id="0" w:name="a"/><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">强</w:t></w:r><w:proofErr w:type="spellEnd"/><w:bookmarkEnd w:id="0"/><w:hyperlink r:id="rId4" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r><w:t>监督</w:t></w:r></w:hyperlink></w:p>"#;
        assert_eq!(read_body(body), ["加强监督"]);
    }

    #[test]
    fn tracked_changes_keep_insertions_and_drop_deletions() {
        let body = r#"<w:p><w:r><w:t>严肃</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>认真</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>查处</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>旧位置</w:t></w:r></w:moveFrom><w:pPr><w:pPrChange w:id="4"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:pPrChange></w:pPr></w:p>"#;
        assert_eq!(read_body(body), ["严肃查处"]);
    }

    #[test]
    fn field_codes_are_dropped_results_kept() {
        let body = r#"<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE \* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r><w:fldSimple w:instr=" DATE "><w:r><w:t>今天</w:t></w:r></w:fldSimple></w:p>"#;
        assert_eq!(read_body(body), ["第3页今天"]);
    }

    #[test]
    fn tabs_breaks_entities_hidden_and_fallback() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>A&amp;B</w:t><w:tab/><w:t>&#x4E00;</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r><w:r><w:br/><w:t>二、第二行</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        assert_eq!(
            read_body(body),
            ["文本框", "A&B\t一显示", "二、第二行"],
            "text box paragraph comes first (it ends first), once; br splits"
        );
    }

    /// A Word task table: its header names the columns, so each row is one task with its
    /// unit and deadline (not a block per cell); a merged (vMerge) task cell continues on the
    /// row below, which is a part of that task; a cell of two paragraphs keeps both.
    #[test]
    fn task_table_rows_read_by_their_columns() {
        let cell = |t: &str| format!("<w:tc><w:tcPr/>{}</w:tc>", p(t));
        let merged = |t: &str| {
            format!(
                r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{}</w:tc>"#,
                p(t)
            )
        };
        let cont = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>".to_string();
        let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
        let body = format!(
            "{}<w:tbl>{}{}{}{}</w:tbl>{}",
            p("某县纪委监委2024年重点任务分解表"),
            row(&[
                cell("序号"),
                cell("工作任务"),
                cell("具体措施"),
                cell("责任单位"),
                cell("完成时限")
            ]),
            row(&[
                cell("1"),
                merged("开展专项检查"),
                format!(
                    "<w:tc><w:tcPr/>{}{}</w:tc>",
                    p("制定检查方案"),
                    p("组织交叉检查")
                ),
                cell("党风政风监督室"),
                cell("6月底前"),
            ]),
            row(&[
                cell(""),
                cont,
                cell("通报检查结果"),
                cell("宣传部"),
                cell("9月底前")
            ]),
            row(&[
                cell("2"),
                cell("整改问题"),
                cell("建立台账"),
                cell("各派驻纪检监察组"),
                cell("年底前")
            ]),
            p("特此通知。"),
        );
        let bytes = zip_of(&[("word/document.xml", &doc_xml(&body))]);
        let blocks = read(&bytes).unwrap();
        type Shape<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            bool,
        );
        let got: Vec<Shape> = blocks
            .iter()
            .map(|b| {
                let f = b.fields.as_ref();
                (
                    b.text.as_str(),
                    f.and_then(|f| f.responsible.as_deref()),
                    f.and_then(|f| f.deadline.as_deref()),
                    f.and_then(|f| f.measures.as_deref()),
                    f.is_some_and(|f| f.part),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("某县纪委监委2024年重点任务分解表", None, None, None, false),
                (
                    "开展专项检查",
                    Some("党风政风监督室"),
                    Some("6月底前"),
                    Some("制定检查方案\n组织交叉检查"),
                    false
                ),
                ("通报检查结果", Some("宣传部"), Some("9月底前"), None, true),
                (
                    "整改问题",
                    Some("各派驻纪检监察组"),
                    Some("年底前"),
                    Some("建立台账"),
                    false
                ),
                ("特此通知。", None, None, None, false),
            ]
        );
    }

    #[test]
    fn tables_nested_and_content_controls() {
        let cell = |t: &str| format!("<w:tc><w:tcPr/>{}</w:tc>", p(t));
        let inner = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", cell("内层"));
        let body = format!(
            r#"{}<w:tbl><w:tblPr/><w:tr>{}<w:tc>{}{}</w:tc></w:tr><w:tr>{}{}</w:tr></w:tbl><w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt><w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>{}"#,
            p("前"),
            cell("序号"),
            p("任务"),
            inner,
            cell("1"),
            cell("加强监督"),
            p("控件内容"),
            p("单击或点击此处输入文字。"),
            p("目录 一、总体要求 1"),
            p("后"),
        );
        let bytes = zip_of(&[("word/document.xml", &doc_xml(&body))]);
        let blocks = read(&bytes).unwrap();
        let got: Vec<(&str, bool)> = blocks
            .iter()
            .map(|b| (b.text.as_str(), b.origin.in_table))
            .collect();
        assert_eq!(
            got,
            [
                ("前", false),
                ("序号", true),
                ("任务", true),
                ("内层", true),
                ("1", true),
                ("加强监督", true),
                ("控件内容", false),
                ("后", false),
            ]
        );
    }

    #[test]
    fn chinese_outline_numbering_with_restart() {
        // num 1 and num 2 share abstract 0: num 2 continues; num 3 restarts level 0 at 1.
        let numbering = format!(
            r#"{}<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
            outline_abstract("0")
        );
        let body = [
            np("1", 0, "总体要求"),
            np("1", 1, "强化政治监督"),
            np("1", 2, "紧跟重大部署。"),
            np("1", 2, "聚焦关键少数。"),
            np("1", 3, "细项"),
            np("1", 4, "圈号"),
            np("1", 1, "深化专项整治"),
            np("1", 2, "重新编号"),
            p("不编号的段落"),
            np("2", 0, "重点任务"),
            np("2", 1, "续编"),
            np("3", 0, "重新开始"),
            np("3", 0, "第二项"),
            np("0", 0, "numId 为 0"),
        ]
        .concat();
        assert_eq!(
            read_numbered(&body, &numbering),
            [
                "一、总体要求",
                "（一）强化政治监督",
                "1.紧跟重大部署。",
                "2.聚焦关键少数。",
                "（1）细项",
                "①圈号",
                "（二）深化专项整治",
                "1.重新编号",
                "不编号的段落",
                "二、重点任务",
                "（一）续编",
                "一、重新开始",
                "二、第二项",
                "numId 为 0",
            ]
        );
    }

    #[test]
    fn lists_sharing_an_abstract_list_continue_until_a_start_override() {
        // Checked against LibreOffice 7.4's rendering of the same file (its docx import
        // follows Word here): num 3 continues num 1; num 2 restarts once, at first use,
        // and later paragraphs of num 1 and num 3 continue from there.
        let lv = |i: u8, fmt: &str, text: &str| {
            format!(
                r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/><w:lvlText w:val="{text}"/></w:lvl>"#
            )
        };
        let numbering = format!(
            r#"<w:abstractNum w:abstractNumId="0">{}{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>"#,
            lv(0, "chineseCounting", "%1、"),
            lv(1, "decimal", "%2."),
        );
        let body = [
            np("1", 0, "A"),
            np("1", 0, "B"),
            p("plain"),
            np("3", 0, "C"),
            np("3", 0, "D"),
            np("2", 0, "E"),
            np("1", 0, "F"),
            np("3", 0, "G"),
            np("2", 1, "H"),
            np("2", 1, "I"),
        ]
        .concat();
        assert_eq!(
            read_numbered(&body, &numbering),
            [
                "一、A", "二、B", "plain", "三、C", "四、D", "一、E", "二、F", "三、G", "1.H",
                "2.I"
            ]
        );
    }

    #[test]
    fn counting_past_ten() {
        let numbering = format!(
            r#"{}<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>"#,
            outline_abstract("0")
        );
        let body: String = (0..21).map(|_| np("5", 1, "项")).collect();
        let got = read_numbered(&body, &numbering);
        assert_eq!(got[9], "（十）项");
        assert_eq!(got[10], "（十一）项");
        assert_eq!(got[19], "（二十）项");
        assert_eq!(got[20], "（二十一）项");
    }

    #[test]
    fn multi_level_text_legal_restart_and_suffix() {
        let numbering = format!(
            r#"<w:abstractNum w:abstractNumId="7">{}{}<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1.%2.%3"/><w:isLgl/><w:suff w:val="space"/></w:lvl><w:lvl w:ilvl="3"><w:start w:val="3"/><w:lvlRestart w:val="0"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%4)"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum><w:num w:numId="9"><w:abstractNumId w:val="7"/></w:num>"#,
            lvl(0, "chineseCounting", "第%1章"),
            lvl(1, "decimal", "%1.%2."),
        );
        let body = [
            np("9", 0, "总则"),
            np("9", 1, "Scope"),
            np("9", 2, "Item"),
            np("9", 3, "x"),
            np("9", 1, "范围"),
            np("9", 3, " y"),
            np("9", 0, "分则"),
            np("9", 2, "条"),
        ]
        .concat();
        assert_eq!(
            read_numbered(&body, &numbering),
            [
                "第一章总则",
                // %1 keeps level 1's Chinese format unless the level is legal (isLgl).
                "一.1. Scope",
                "1.1.1 Item",
                "C)x",
                "一.2.范围",
                // lvlRestart 0: level 4 does not restart when level 2 advances.
                "D)y",
                "第二章分则",
                // A level not used since its restart shows its start value.
                "2.1.1条",
            ]
        );
    }

    #[test]
    fn numbering_from_paragraph_style_and_style_link() {
        let styles = format!(
            r#"<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"/><w:style w:type="paragraph" w:styleId="H1"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="H1"/></w:style><w:style w:type="paragraph" w:styleId="H2b"><w:basedOn w:val="H1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style><w:style w:type="numbering" w:styleId="ListStyle"><w:pPr><w:numPr><w:numId w:val="6"/></w:numPr></w:pPr></w:style></w:styles>"#
        );
        let numbering = r#"<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="ListStyle"/></w:abstractNum><w:abstractNum w:abstractNumId="2"><w:styleLink w:val="ListStyle"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="H1"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="H2"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>"#;
        let sp = |style: &str, t: &str| {
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
            )
        };
        let body = [
            sp("H1", "总体要求"),
            sp("H2", "政治监督"),
            sp("H2b", "日常监督"),
            p("正文"),
            sp("H1", "重点任务"),
            r#"<w:p><w:pPr><w:pStyle w:val="H1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>取消编号</w:t></w:r></w:p>"#.to_string(),
        ]
        .concat();
        let bytes = zip_of(&[
            ("word/document.xml", &doc_xml(&body)),
            ("word/numbering.xml", &numbering_xml(numbering)),
            ("word/styles.xml", &styles),
        ]);
        assert_eq!(
            texts(&read(&bytes).unwrap()),
            [
                "一、总体要求",
                "（一）政治监督",
                "（二）日常监督",
                "正文",
                "二、重点任务",
                "取消编号"
            ]
        );
    }

    #[test]
    fn bullets_have_no_marker_and_override_levels_apply() {
        let numbering = format!(
            r#"<w:abstractNum w:abstractNumId="0">{}</w:abstractNum><w:abstractNum w:abstractNumId="1">{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="5"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/></w:lvl></w:lvlOverride></w:num>"#,
            lvl(0, "bullet", "\u{F06C}"),
            lvl(0, "decimal", "%1."),
        );
        let body = [np("1", 0, "要点"), np("2", 0, "五"), np("2", 0, "六")].concat();
        assert_eq!(read_numbered(&body, &numbering), ["要点", "⑤五", "⑥六"]);
    }

    #[test]
    fn other_prefixes_and_wps_namespaces_read_the_same() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><ns0:document xmlns:ns0="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData"><ns0:body><ns0:p><ns0:pPr><ns0:numPr><ns0:ilvl ns0:val="0"/><ns0:numId ns0:val="1"/></ns0:numPr></ns0:pPr><ns0:r><ns0:t>加强</ns0:t></ns0:r><ns0:r><ns0:t>监督</ns0:t></ns0:r></ns0:p><ns0:sectPr><wpsCustomData:docGrid/></ns0:sectPr></ns0:body></ns0:document>"#;
        let numbering = r#"<x:numbering xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:abstractNum x:abstractNumId="3"><x:lvl x:ilvl="0"><x:start x:val="1"/><x:numFmt x:val="chineseCounting"/><x:lvlText x:val="%1、"/></x:lvl></x:abstractNum><x:num x:numId="1"><x:abstractNumId x:val="3"/></x:num></x:numbering>"#;
        let bytes = zip_of(&[
            ("word/document.xml", xml),
            ("word/numbering.xml", numbering),
        ]);
        assert_eq!(texts(&read(&bytes).unwrap()), ["一、加强监督"]);
    }

    #[test]
    fn main_part_found_through_rels() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document2.xml"/></Relationships>"#;
        let bytes = zip_of(&[
            ("_rels/.rels", rels),
            ("word/document2.xml", &doc_xml(&p("正文"))),
        ]);
        assert_eq!(texts(&read(&bytes).unwrap()), ["正文"]);
    }

    #[test]
    fn bad_input_gives_chinese_errors() {
        let e = read(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(
            e.message.starts_with("不是有效的 Word 文档（.docx）"),
            "{}",
            e.message
        );
        let e = read(&zip_of(&[("word/styles.xml", "<w:styles/>")])).unwrap_err();
        assert!(
            e.message.contains("没有正文部分 word/document.xml"),
            "{}",
            e.message
        );
        let e = read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old doc").unwrap_err();
        assert!(e.message.contains("旧版 Word 格式"), "{}", e.message);
        let e = read(&zip_of(&[(
            "word/document.xml",
            "<w:document><w:body></w:document>",
        )]))
        .unwrap_err();
        assert!(e.message.contains("XML 格式错误"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!(
            "{}{}",
            "<w:sdtContent>".repeat(600),
            "</w:sdtContent>".repeat(600)
        );
        let bytes = zip_of(&[("word/document.xml", &doc_xml(&(deep + &p("深处"))))]);
        let e = read(&bytes).unwrap_err();
        assert!(e.message.contains("嵌套超过 512 层"), "{}", e.message);
        assert!(e.message.contains("--limit xml-depth="), "{}", e.message);
        let raised = Limits {
            xml_depth: 1000,
            ..Limits::default()
        };
        let blocks = read_with(&bytes, &raised).unwrap();
        assert_eq!(blocks.last().map(|b| b.text.as_str()), Some("深处"));
        let ok = format!(
            "{}{}",
            "<w:sdtContent>".repeat(400),
            "</w:sdtContent>".repeat(400)
        );
        assert!(read(&zip_of(&[("word/document.xml", &doc_xml(&(ok + &p("x"))))])).is_ok());
        let deep_num = format!(
            "<w:numbering>{}{}</w:numbering>",
            "<a>".repeat(600),
            "</a>".repeat(600)
        );
        let e = read(&zip_of(&[
            ("word/document.xml", &doc_xml(&p("x"))),
            ("word/numbering.xml", &deep_num),
        ]))
        .unwrap_err();
        assert!(
            e.message.contains("numbering.xml 元素嵌套超过 512 层"),
            "{}",
            e.message
        );
    }

    #[test]
    fn oversized_part_is_refused_by_bytes_read() {
        let body: String = (0..200).map(|i| p(&format!("第{i}段"))).collect();
        let bytes = zip_of(&[("word/document.xml", &doc_xml(&body))]);
        let small = Limits {
            part_bytes: 1024,
            ..Limits::default()
        };
        let e = read_with(&bytes, &small).unwrap_err();
        assert!(
            e.message.contains("word/document.xml 解压后超过"),
            "{}",
            e.message
        );
        assert!(e.message.contains("--limit part-mb="), "{}", e.message);
        let big = Limits {
            part_bytes: 1 << 20,
            ..Limits::default()
        };
        assert_eq!(read_with(&bytes, &big).unwrap().len(), 200);
    }

    /// Timing on a large plan: `cargo test --lib intake::docx -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn large_document_timing() {
        let numbering = format!(
            r#"{}<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
            outline_abstract("0")
        );
        let body: String = (0..50_000u32)
            .map(|i| {
                np(
                    "1",
                    (i % 3) as u8,
                    "督促各级党组织落实全面从严治党主体责任，加强日常监督。",
                )
            })
            .collect();
        let bytes = zip_of(&[
            ("word/document.xml", &doc_xml(&body)),
            ("word/numbering.xml", &numbering_xml(&numbering)),
        ]);
        let t = std::time::Instant::now();
        let blocks = read(&bytes).unwrap();
        eprintln!(
            "{} paragraphs, {} KB zipped: {:?}",
            blocks.len(),
            bytes.len() / 1024,
            t.elapsed()
        );
        assert_eq!(blocks.len(), 50_000);
    }
}
