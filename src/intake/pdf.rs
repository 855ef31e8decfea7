//! .pdf: the text layer, lines joined back into paragraphs.
//!
//! Each page's content stream is walked with enough of the graphics and text state (`q`/`Q`,
//! `cm`, `Tf`, `Tm`, `Td`, `TD`, `T*`, `'`, `"`, `Tj`, `TJ`, `Tc`, `Tw`, `Tz`, `TL`, `Ts`, and
//! form XObjects via `Do`) to place every decoded character on the page. Characters are grouped
//! into lines by baseline, lines are sorted top to bottom, running headers, footers and page
//! numbers are dropped, and lines are joined into paragraphs.
//!
//! Joining rule: a line continues into the next one unless
//! - it ends in sentence-final punctuation `。；！？：;!?:` (closing quotes and brackets after it
//!   are looked through) and does not run to the right text edge (`right_edge`; within [`FULL_LINE_EMS`]
//!   character widths): a full line that happens to end a sentence is most often a layout
//!   wrap in the middle of a paragraph (both LibreOffice seed PDFs wrap right after a 。 in
//!   mid-paragraph), so it continues unless one of the next rules starts a new paragraph; or
//! - the next line starts with an outline marker ([`starts_with_marker`]), or
//! - the next line is indented: it starts at least [`INDENT_EMS`] character widths right of the
//!   page's body margin (the most common line start on that page), or
//! - the line is short: it ends more than [`SHORT_LINE_EMS`] character widths before the
//!   document's right text edge.
//!
//! Fonts are decoded by the `font` module: `/ToUnicode` first, then the predefined Chinese CMaps
//! (GBK-EUC, GB-EUC, GBK2K, UniGB-UCS2, UniGB-UTF16 and their vertical forms), Identity-H/V
//! with Adobe-GB1 CIDs through a shipped table, and simple-font encodings. Text that cannot be
//! decoded is skipped, never replaced by U+FFFD.

mod cmap;
mod font;

use super::limits::{hint, Limit};
use super::Block;
use super::Limits;
use crate::error::{Error, Result};
use font::Font;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Deepest nesting of form XObjects followed (a form drawing itself is cut off here).
pub const MAX_FORM_DEPTH: usize = 8;
/// Deepest `q` nesting tracked; deeper saves are ignored.
pub const MAX_STATE_DEPTH: usize = 256;
/// A line starting this many character widths right of the body margin begins a paragraph.
pub const INDENT_EMS: f32 = 1.5;
/// A line ending this many character widths before the right text edge ends a paragraph.
pub const SHORT_LINE_EMS: f32 = 4.0;
/// A line ending within this many character widths of the right text edge is full: its
/// sentence-final punctuation alone does not end the paragraph.
pub const FULL_LINE_EMS: f32 = 1.5;

/// Follow references (at most 32, so a reference cycle ends) to the object they name.
pub(crate) fn deref<'a>(doc: &'a Document, mut o: &'a Object) -> &'a Object {
    static NULL: Object = Object::Null;
    for _ in 0..32 {
        match o {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(next) => o = next,
                None => return &NULL,
            },
            _ => return o,
        }
    }
    &NULL
}

fn dict_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, o) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

const NOT_PDF: &str = "不是有效的 PDF 文件（文件开头没有 %PDF 标记），可能已损坏或扩展名不对";
const CORRUPT: &str =
    "PDF 文件已损坏，无法读取；请重新获取原文件，或用 PDF 阅读器打开后另存一份再试";
const PASSWORD: &str =
    "PDF 文件设有打开密码，无法读取；请向发文单位索取未加密的文件，或用 PDF 阅读器输入密码后另存为不加密的副本";
const SCANNED: &str = "这是扫描件 PDF：页面只有图片，没有文字层，无法直接读取文字；请先用 OCR 软件识别成文字，或改用原始 Word 文件";
const UNDECODABLE: &str = "PDF 中的文字使用了无法识别的字体编码，读不出文字；请改用原始 Word 文件";

/// Read a PDF file's bytes within the default limits.
pub fn read(bytes: &[u8]) -> Result<Vec<Block>> {
    read_with(bytes, &Limits::default())
}

/// Read a PDF file's bytes within `limits` (pages, stream sizes, characters).
pub fn read_with(bytes: &[u8], limits: &Limits) -> Result<Vec<Block>> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::msg(NOT_PDF));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.pdf_stream_bytes),
        ..Default::default()
    };
    let mentions_encrypt = bytes.windows(8).any(|w| w == b"/Encrypt");
    // lopdf tries the empty user password itself; a document still encrypted afterwards
    // needs a password we do not have.
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) => {
            return Err(Error::msg(PASSWORD))
        }
        Err(_) if mentions_encrypt => return Err(Error::msg(PASSWORD)),
        Err(_) => return Err(Error::msg(CORRUPT)),
    };
    if doc.is_encrypted() {
        return Err(Error::msg(PASSWORD));
    }
    // Pages in order, each once: a page tree that lists a node twice (or itself) must not
    // make pages repeat. One more than the limit is taken, to tell a document over it.
    let mut seen = HashSet::new();
    let pages: Vec<ObjectId> = doc
        .page_iter()
        .take(limits.pdf_pages.saturating_add(1))
        .filter(|id| seen.insert(*id))
        .collect();
    if pages.is_empty() {
        return Err(Error::msg(format!("{CORRUPT}（找不到任何页面）")));
    }
    if pages.len() > limits.pdf_pages {
        return Err(Error::msg(format!(
            "PDF 页数过多（超过 {} 页的上限），请拆分后再读取；{}",
            limits.pdf_pages,
            hint(Limit::PdfPages)
        )));
    }
    let mut walker = Walker::new(&doc, limits);
    let mut page_lines = Vec::with_capacity(pages.len());
    for (index, &page_id) in pages.iter().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let chars = walker.page(page_id)?;
        if walker.decoded > limits.pdf_chars {
            return Err(Error::msg(format!(
                "PDF 的文字超过 {} 字的上限，无法完整读取；{}",
                limits.pdf_chars,
                hint(Limit::PdfChars)
            )));
        }
        page_lines.push(build_lines(number, chars));
    }
    if walker.glyphs == 0 {
        return Err(Error::msg(SCANNED));
    }
    if walker.decoded == 0 {
        return Err(Error::msg(UNDECODABLE));
    }
    let lines = drop_furniture(page_lines);
    Ok(join_paragraphs(&lines))
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m1: &Matrix, m2: &Matrix) -> Matrix {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// A decoded character placed on the page (user space, y grows upwards).
#[derive(Debug, Clone)]
struct Char {
    x: f32,
    x_end: f32,
    y: f32,
    size: f32,
    text: String,
}

/// Graphics state saved by `q`: transformation and text state parameters.
#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

struct Walker<'a> {
    doc: &'a Document,
    limits: Limits,
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// Glyphs shown (decoded or not) and glyphs that gave text, over the whole document.
    glyphs: usize,
    decoded: usize,
    content_bytes: usize,
    chars_kept: usize,
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) if r.is_finite() => *r,
        _ => 0.0,
    }
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (o, v) in out.iter_mut().zip(&ops[ops.len() - N..]) {
        *o = num(v);
    }
    Some(out)
}

/// The `/Resources` of a page: its own or the nearest ancestor's.
fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.objects.get(&page_id).and_then(|o| dict_of(doc, o))?;
    for _ in 0..64 {
        if let Some(r) = node.get(b"Resources").ok().and_then(|o| dict_of(doc, o)) {
            return Some(r);
        }
        node = node.get(b"Parent").ok().and_then(|o| dict_of(doc, o))?;
    }
    None
}

impl<'a> Walker<'a> {
    fn new(doc: &'a Document, limits: &Limits) -> Self {
        Walker {
            doc,
            limits: *limits,
            fonts: HashMap::new(),
            glyphs: 0,
            decoded: 0,
            content_bytes: 0,
            chars_kept: 0,
        }
    }

    fn page(&mut self, page_id: ObjectId) -> Result<Vec<Char>> {
        let content = match self
            .doc
            .get_page_content_with_limit(page_id, self.limits.pdf_stream_bytes)
        {
            Ok(c) => c,
            Err(lopdf::Error::Decompress(_)) => {
                return Err(Error::msg(format!(
                    "PDF 中有一页的内容解压后超过 {} MB 的上限，可能是损坏或恶意构造的文件；{}",
                    self.limits.get(Limit::PdfStreamMb),
                    hint(Limit::PdfStreamMb)
                )))
            }
            Err(_) => Vec::new(),
        };
        let resources = page_resources(self.doc, page_id);
        let mut out = Vec::new();
        self.run(&content, resources, IDENTITY, 0, &mut out)?;
        Ok(out)
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let doc = self.doc;
        let fonts = resources?.get(b"Font").ok().and_then(|o| dict_of(doc, o))?;
        let entry = fonts.get(name).ok()?;
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        if let Some(f) = id.and_then(|id| self.fonts.get(&id)) {
            return Some(f.clone());
        }
        let dict = dict_of(doc, entry)?;
        let f = Rc::new(Font::load(doc, dict));
        if let Some(id) = id {
            self.fonts.insert(id, f.clone());
        }
        Some(f)
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        ctm: Matrix,
        depth: usize,
        out: &mut Vec<Char>,
    ) -> Result<()> {
        self.content_bytes += content.len();
        if self.content_bytes > self.limits.pdf_content_bytes {
            return Err(Error::msg(format!(
                "PDF 的页面内容解压后超过 {} MB 的上限，无法读取；{}",
                self.limits.get(Limit::PdfContentMb),
                hint(Limit::PdfContentMb)
            )));
        }
        // Content that does not parse is treated as an empty page rather than failing the file.
        let Ok(ops) = lopdf::content::Content::decode(content) else {
            return Ok(());
        };
        let mut gs = GState {
            ctm,
            ..GState::default()
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in &ops.operations {
            let args = &op.operands;
            match op.operator.as_str() {
                "q" if stack.len() < MAX_STATE_DEPTH => stack.push(gs.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                "cm" => {
                    if let Some(m) = nums::<6>(args) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    if let (Some(Object::Name(n)), Some(size)) = (args.first(), args.get(1)) {
                        gs.font = self.font(resources, n);
                        gs.size = num(size);
                    }
                }
                "Tc" => gs.char_spacing = args.first().map_or(0.0, num),
                "Tw" => gs.word_spacing = args.first().map_or(0.0, num),
                "Tz" => gs.h_scale = args.first().map_or(100.0, num) / 100.0,
                "TL" => gs.leading = args.first().map_or(0.0, num),
                "Ts" => gs.rise = args.first().map_or(0.0, num),
                "Td" | "TD" => {
                    if let Some([tx, ty]) = nums::<2>(args) {
                        if op.operator == "TD" {
                            gs.leading = -ty;
                        }
                        tlm = mul(&translate(tx, ty), &tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = nums::<6>(args) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = mul(&translate(0.0, -gs.leading), &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" => {
                    if op.operator == "\"" {
                        if let Some([aw, ac]) = args.get(..2).and_then(nums::<2>) {
                            gs.word_spacing = aw;
                            gs.char_spacing = ac;
                        }
                    }
                    if op.operator != "Tj" {
                        tlm = mul(&translate(0.0, -gs.leading), &tlm);
                        tm = tlm;
                    }
                    if let Some(Object::String(s, _)) = args.last() {
                        self.show(&gs, &mut tm, s, out);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = args.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(&gs, &mut tm, s, out),
                                Object::Integer(_) | Object::Real(_) => {
                                    let tx = -num(item) / 1000.0 * gs.size * gs.h_scale;
                                    tm = mul(&translate(tx, 0.0), &tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    if let Some(Object::Name(n)) = args.first() {
                        self.form(resources, n, &gs.ctm, depth, out)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Draw a form XObject (text inside forms counts; images are ignored).
    fn form(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        ctm: &Matrix,
        depth: usize,
        out: &mut Vec<Char>,
    ) -> Result<()> {
        let doc = self.doc;
        let Some(xobj) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|o| dict_of(doc, o))
            .and_then(|d| d.get(name).ok())
        else {
            return Ok(());
        };
        let Object::Stream(stream) = deref(doc, xobj) else {
            return Ok(());
        };
        if !matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Form") {
            return Ok(());
        }
        let Ok(content) = stream.decompressed_content_with_limit(self.limits.pdf_stream_bytes)
        else {
            return Ok(());
        };
        let matrix = match stream.dict.get(b"Matrix").map(|o| deref(doc, o)) {
            Ok(Object::Array(a)) => nums::<6>(a).unwrap_or(IDENTITY),
            _ => IDENTITY,
        };
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| dict_of(doc, o));
        self.run(
            &content,
            own.or(resources),
            mul(&matrix, ctm),
            depth + 1,
            out,
        )
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, bytes: &[u8], out: &mut Vec<Char>) {
        let font = gs.font.clone().unwrap_or_else(|| Rc::new(Font::fallback()));
        for g in font.decode(bytes) {
            self.glyphs += 1;
            let trm = mul(
                &[gs.size * gs.h_scale, 0.0, 0.0, gs.size, 0.0, gs.rise],
                &mul(tm, &gs.ctm),
            );
            let spacing = gs.char_spacing + if g.is_space { gs.word_spacing } else { 0.0 };
            let tx = (g.advance * gs.size + spacing) * gs.h_scale;
            *tm = mul(&translate(tx, 0.0), tm);
            if g.text.is_empty() {
                continue;
            }
            self.decoded += 1;
            if self.chars_kept >= self.limits.pdf_chars {
                continue;
            }
            self.chars_kept += 1;
            let end = mul(&translate(g.advance * gs.h_scale, 0.0), &trm);
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            out.push(Char {
                x: trm[4],
                x_end: end[4].max(trm[4]),
                y: trm[5],
                size: if size.is_finite() && size > 0.0 {
                    size
                } else {
                    1.0
                },
                text: g.text,
            });
        }
    }
}

/// One line of text on a page.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    page: u32,
    y: f32,
    x0: f32,
    x1: f32,
    size: f32,
    text: String,
}

/// Group a page's characters into lines by baseline, sort lines top to bottom and characters
/// left to right; put a space where a gap wider than a quarter character separates two runs.
fn build_lines(page: u32, chars: Vec<Char>) -> Vec<Line> {
    let mut groups: Vec<(f32, f32, Vec<Char>)> = Vec::new();
    for c in chars {
        if c.text.chars().all(char::is_whitespace) {
            // Spaces are implied by gaps; a space glyph alone carries no position we need.
            continue;
        }
        let found = groups
            .iter_mut()
            .rev()
            .find(|(y, size, _)| (c.y - *y).abs() <= 0.35 * size.max(c.size));
        match found {
            Some((_, size, list)) => {
                *size = size.max(c.size);
                list.push(c);
            }
            None => groups.push((c.y, c.size, vec![c])),
        }
    }
    groups.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut lines = Vec::new();
    for (y, size, mut list) in groups {
        list.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut text = String::new();
        let mut prev: Option<&Char> = None;
        for c in &list {
            if let Some(p) = prev {
                // The same glyph drawn twice at almost the same place (fake bold): keep one.
                if p.text == c.text && (c.x - p.x).abs() < 0.15 * size {
                    continue;
                }
                if c.x - p.x_end > 0.25 * size {
                    text.push(' ');
                }
            }
            text.push_str(&c.text);
            prev = Some(c);
        }
        let x0 = list.first().map_or(0.0, |c| c.x);
        let x1 = list.iter().map(|c| c.x_end).fold(x0, f32::max);
        let text = text.trim().to_string();
        if !text.is_empty() {
            lines.push(Line {
                page,
                y,
                x0,
                x1,
                size,
                text,
            });
        }
    }
    lines
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Skip leading digits; `None` when there are none.
fn skip_number(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(is_digit);
    (rest.len() < s.len()).then_some(rest)
}

/// Whether a line is a page number: `— 3 —`, `- 3 -`, `第3页`, `第 3 页 共 10 页`, `3/10`,
/// `Page 3 of 10`. A bare number counts only when `alone_ok` (first or last line of a page).
fn is_page_number(line: &str, alone_ok: bool) -> bool {
    let s: String = line
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | '.' | '。'))
        .collect();
    let dashes = |c: char| {
        matches!(
            c,
            '—' | '–' | '-' | '－' | '―' | '‒' | '_' | '·' | '•' | '─'
        )
    };
    let inner = s.trim_matches(dashes);
    if inner.len() < s.len() && s.starts_with(dashes) && s.ends_with(dashes) {
        return skip_number(inner) == Some("");
    }
    if skip_number(&s) == Some("") {
        return alone_ok && s.chars().count() <= 4;
    }
    // 第N页 [共M页]  or  第N页/共M页
    if let Some(rest) = s.strip_prefix('第').and_then(skip_number) {
        if let Some(rest) = rest.strip_prefix('页') {
            let rest = rest.trim_start_matches(['/', '／']);
            if rest.is_empty() {
                return true;
            }
            return rest
                .strip_prefix('共')
                .and_then(skip_number)
                .is_some_and(|r| r == "页");
        }
        return false;
    }
    // 共M页 第N页
    if let Some(rest) = s.strip_prefix('共').and_then(skip_number) {
        return rest
            .strip_prefix("页第")
            .and_then(skip_number)
            .is_some_and(|r| r == "页");
    }
    // N/M
    if let Some(rest) = skip_number(&s) {
        if let Some(rest) = rest.strip_prefix(['/', '／']) {
            return skip_number(rest) == Some("");
        }
    }
    // Page N [of M]
    let lower = s.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page").and_then(skip_number) {
        return rest.is_empty() || rest.strip_prefix("of").and_then(skip_number) == Some("");
    }
    false
}

/// How many lines at the top and at the bottom of a page may be running headers or footers.
const FURNITURE_LINES: usize = 3;

/// Drop page numbers and lines repeated at the same place on most pages (running headers
/// and footers); only the first and last [`FURNITURE_LINES`] lines of a page are candidates.
fn drop_furniture(pages: Vec<Vec<Line>>) -> Vec<Line> {
    let key = |l: &Line| -> (String, i32) {
        let text: String = l
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if is_digit(c) { '#' } else { c })
            .collect();
        (text, (l.y / 3.0).round() as i32)
    };
    let is_edge = |i: usize, n: usize| i < FURNITURE_LINES || i + FURNITURE_LINES >= n;
    let with_text = pages.iter().filter(|p| !p.is_empty()).count();
    let mut counts: HashMap<(String, i32), usize> = HashMap::new();
    for page in &pages {
        let keys: HashSet<(String, i32)> = page
            .iter()
            .enumerate()
            .filter(|(i, _)| is_edge(*i, page.len()))
            .map(|(_, l)| key(l))
            .collect();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let needed = ((with_text as f32) * 0.6).ceil().max(2.0) as usize;
    let mut out = Vec::new();
    for page in pages {
        let n = page.len();
        for (i, l) in page.into_iter().enumerate() {
            let edge = is_edge(i, n);
            if is_page_number(&l.text, i == 0 || i + 1 == n) {
                continue;
            }
            if edge && with_text >= 2 && counts.get(&key(&l)).copied().unwrap_or(0) >= needed {
                continue;
            }
            out.push(l);
        }
    }
    out
}

/// Whether a line starts with an outline marker, by the one rule every reader and the
/// outline share ([`crate::text::marker`]): `一、` `（一）` `1．` `（1）` `①` `第一章` ….
/// A number that is part of a value is not a marker: `2022年`, `2024.3`, `1.5倍`, `10万元`.
pub fn starts_with_marker(text: &str) -> bool {
    crate::text::marker(text.trim_start()).is_some()
}

/// The most common line start on each page (rounded to whole points), as the body margin.
fn page_margins(lines: &[Line]) -> HashMap<u32, f32> {
    let mut votes: HashMap<u32, HashMap<i32, usize>> = HashMap::new();
    for l in lines {
        *votes
            .entry(l.page)
            .or_default()
            .entry(l.x0.round() as i32)
            .or_default() += 1;
    }
    votes
        .into_iter()
        .map(|(page, v)| {
            let best = v
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map_or(0, |(x, _)| x);
            (page, best as f32)
        })
        .collect()
}

/// The right text edge: the 90th percentile of line ends. Not the maximum, because a few
/// lines overhang the edge (LibreOffice lets punctuation hang past it: in the seed PDFs 6% of
/// lines end 10 pt right of where the rest do).
fn right_edge(lines: &[Line]) -> f32 {
    let mut ends: Vec<f32> = lines.iter().map(|l| l.x1).collect();
    ends.sort_by(f32::total_cmp);
    ends.get((ends.len().saturating_sub(1)) * 9 / 10)
        .copied()
        .unwrap_or(0.0)
}

/// Join lines into paragraphs (see the module documentation for the rule).
fn join_paragraphs(lines: &[Line]) -> Vec<Block> {
    let margins = page_margins(lines);
    let right = right_edge(lines);
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<(String, u32)> = None;
    for (i, line) in lines.iter().enumerate() {
        let starts_new = match i.checked_sub(1).map(|p| &lines[p]) {
            None => true,
            Some(prev) => {
                let margin = margins.get(&line.page).copied().unwrap_or(line.x0);
                let full = prev.x1 >= right - FULL_LINE_EMS * prev.size;
                (crate::text::ends_sentence(&prev.text) && !full)
                    || starts_with_marker(&line.text)
                    || line.x0 >= margin + INDENT_EMS * line.size
                    || prev.x1 < right - SHORT_LINE_EMS * prev.size
            }
        };
        if starts_new {
            if let Some((text, page)) = current.take() {
                blocks.push(para(&text, page));
            }
            current = Some((line.text.clone(), line.page));
        } else if let Some((text, _)) = current.as_mut() {
            let wide_joint = text.chars().next_back().is_some_and(crate::text::is_wide)
                || line.text.chars().next().is_some_and(crate::text::is_wide);
            if !wide_joint {
                text.push(' ');
            }
            text.push_str(&line.text);
        }
    }
    if let Some((text, page)) = current {
        blocks.push(para(&text, page));
    }
    blocks.retain(|b| !b.text.is_empty());
    blocks
}

fn para(text: &str, page: u32) -> Block {
    let mut b = Block::para(super::clean_text(text));
    b.origin.page = Some(page);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(page: u32, y: f32, x0: f32, x1: f32, text: &str) -> Line {
        Line {
            page,
            y,
            x0,
            x1,
            size: 12.0,
            text: text.to_string(),
        }
    }

    #[test]
    fn markers() {
        for yes in [
            "一、总体要求",
            "十二、其他",
            "（一）加强监督",
            "(三) 严格",
            "1．紧跟",
            "1.紧跟",
            "12、强化",
            "（1）开展",
            "(2)开展",
            "①坚持",
            "3）落实",
            "第二章 监督检查",
        ] {
            assert!(starts_with_marker(yes), "{yes}");
        }
        for no in [
            "2022年工作",
            "2024.3完成",
            "1.5倍",
            "10万元",
            "一是加强",
            "（注）",
            "加强监督",
            "",
            "一定要",
        ] {
            assert!(!starts_with_marker(no), "{no}");
        }
    }

    #[test]
    fn page_numbers() {
        for yes in [
            "— 3 —",
            "- 3 -",
            "–12–",
            "第3页",
            "第 3 页 共 10 页",
            "第3页，共10页",
            "第 3 页/共 10 页",
            "3/10",
            "3 / 10",
            "Page 2 of 9",
            "共 10 页 第 3 页",
        ] {
            assert!(is_page_number(yes, false), "{yes}");
        }
        assert!(is_page_number("7", true));
        assert!(!is_page_number("7", false));
        for no in [
            "第3页的内容需要核对",
            "一、总体要求",
            "2024",
            "— 附件 —",
            "3/10 以上",
        ] {
            assert!(!is_page_number(no, false), "{no}");
        }
    }

    #[test]
    fn joining_rule() {
        // Body margin 90, right edge 500, 12 pt characters.
        let lines = vec![
            line(1, 700.0, 90.0, 200.0, "一、总体要求"),
            line(
                1,
                680.0,
                114.0,
                500.0,
                "坚持以习近平新时代中国特色社会主义思想为",
            ),
            line(1, 660.0, 90.0, 500.0, "指导，全面贯彻落实中央纪委全会精神"),
            line(1, 640.0, 90.0, 300.0, "和省委部署"),
            line(
                1,
                620.0,
                90.0,
                500.0,
                "1．紧跟重大部署。坚持党中央重大决策部",
            ),
            line(2, 760.0, 90.0, 500.0, "署到哪里、政治监督就跟进到哪里"),
            line(
                2,
                740.0,
                114.0,
                470.0,
                "这是缩进开始的新段落，前一行没有句末标点。",
            ),
            line(2, 720.0, 90.0, 480.0, "加强监督执纪问责，做到以下几点："),
            line(
                2,
                700.0,
                90.0,
                500.0,
                "严格执行规定。这一行写满了，恰好在句号处换行。",
            ),
            line(2, 680.0, 90.0, 200.0, "接着写完"),
        ];
        let blocks = join_paragraphs(&lines);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "一、总体要求",
                "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实中央纪委全会精神和省委部署",
                "1．紧跟重大部署。坚持党中央重大决策部署到哪里、政治监督就跟进到哪里",
                "这是缩进开始的新段落，前一行没有句末标点。",
                "加强监督执纪问责，做到以下几点：",
                "严格执行规定。这一行写满了，恰好在句号处换行。接着写完",
            ]
        );
        assert_eq!(blocks[2].origin.page, Some(1));
        assert_eq!(blocks[3].origin.page, Some(2));
    }

    #[test]
    fn latin_lines_join_with_a_space() {
        let lines = vec![
            line(1, 700.0, 90.0, 500.0, "the quick brown"),
            line(1, 680.0, 90.0, 500.0, "fox jumps."),
        ];
        let blocks = join_paragraphs(&lines);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].text, "the quick brown fox jumps.");
    }

    #[test]
    fn running_header_and_page_numbers_dropped() {
        let mut pages = Vec::new();
        for p in 1..=3u32 {
            pages.push(vec![
                line(p, 800.0, 90.0, 300.0, "某某市纪委监委2024年工作要点"),
                line(
                    p,
                    700.0,
                    90.0,
                    500.0,
                    ["正文甲。", "正文乙。", "正文丙。"][p as usize - 1],
                ),
                line(p, 40.0, 280.0, 310.0, &format!("— {p} —")),
            ]);
        }
        let kept = drop_furniture(pages);
        let texts: Vec<&str> = kept.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["正文甲。", "正文乙。", "正文丙。"]);
    }

    #[test]
    fn chars_group_into_lines_with_gaps() {
        let c = |x: f32, y: f32, t: &str| Char {
            x,
            x_end: x + 10.0,
            y,
            size: 10.0,
            text: t.to_string(),
        };
        // Stream order is not reading order; the second line is drawn first.
        let lines = build_lines(
            1,
            vec![
                c(0.0, 680.0, "下"),
                c(10.0, 680.0, "行"),
                c(10.0, 700.5, "行"),
                c(0.0, 700.0, "上"),
                c(40.0, 700.0, "A"),
            ],
        );
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["上行 A", "下行"]);
    }

    #[test]
    fn garbage_is_a_chinese_error() {
        let e = read(b"hello world").expect_err("not a pdf");
        assert!(e.message.contains("不是有效的 PDF"), "{}", e.message);
        let e = read(b"%PDF-1.4\n garbage garbage").expect_err("corrupt");
        assert!(e.message.contains("PDF"), "{}", e.message);
    }
}
