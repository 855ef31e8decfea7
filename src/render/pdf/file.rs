//! PDF file syntax: laid-out pages ([`Mark`]s) become content streams, fonts become
//! embedded subsets, and every object is written through `pdf-writer` (the typst project's
//! PDF writer), one object at a time.
//!
//! The file's layout around the objects is this module's: a batch writes thousands of
//! files from a handful of glyph sets and one merged file of thousands of pages, so pages
//! are encoded once ([`Encoded`]) for both, font objects are made once per glyph set and
//! kept, and the merged file is streamed to disk page by page ([`MergedPdf`]) — which
//! `pdf_writer::Pdf`, building the whole file in memory, does not do. So each object is
//! written into its own `pdf_writer::Chunk` and passed on at once, and the
//! cross-reference table, trailer and file identifier are written here.
//!
//! Text is shown with Type 0 fonts in `Identity-H` encoding. A glyph's code is fixed by the
//! font alone ([`LoadedFont::code`]: its CID in CID-keyed CFF fonts, its glyph id in
//! TrueType fonts, whose subset is reached through a `/CIDToGIDMap`), so pages can be
//! written before the fonts are subset. Every font carries a `/ToUnicode` map, so text
//! copies out as it was written. No clock and no random numbers: the file identifier is a
//! hash of the content, the dates come from the document.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, OnceLock};

use super::{Color, Mark, MM, PAGE_H_MM, PAGE_W_MM};
use crate::error::Result;
use crate::render::fonts::{deflate, Fonts, LoadedFont, Program, ProgramFormat, Role};
use crate::render::model::Meta;
use pdf_writer::types::{CidFontType, FontFlags, PageMode, SystemInfo};
use pdf_writer::writers::{Catalog, DocumentInfo};
use pdf_writer::{Chunk, Filter, Name, Rect, Ref, Settings, Str, TextStr};

/// Deflate level of page content streams (small; level 6 costs little there).
const CONTENT_DEFLATE: u32 = 6;

/// Resource name of each font slot (see [`Fonts::slot_for`]; six capital letters: also
/// the subset tag): one per role, then `JDX` and three letters for the fallback fonts.
fn font_name(slot: usize) -> String {
    match Role::ALL.get(slot) {
        Some(Role::XiaoBiaoSong) => "JDXBSA".to_string(),
        Some(Role::FangSong) => "JDFANG".to_string(),
        Some(Role::Hei) => "JDHEIA".to_string(),
        Some(Role::Kai) => "JDKAIA".to_string(),
        Some(Role::Song) => "JDSONG".to_string(),
        None => {
            let i = slot - Fonts::ROLE_SLOTS;
            let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
            format!("JDX{}{}{}", letter(i / 676), letter(i / 26), letter(i))
        }
    }
}

/// One encoded page: its deflated content stream and the slots whose fonts it uses (bit
/// `slot`).
#[derive(Debug, Clone)]
struct Page {
    content: Vec<u8>,
    fonts: u64,
}

/// A document's pages encoded for PDF, with the glyphs each font must carry: written
/// alone by `write_encoded` and into a merged file by [`MergedPdf::add`], without
/// encoding twice. A few kilobytes a page.
#[derive(Debug, Clone)]
pub struct Encoded {
    pages: Vec<Page>,
    /// Per font slot (the roles in [`Role::ALL`] order, then the fallback fonts used):
    /// glyph id → the character it shows.
    glyphs: Vec<BTreeMap<u16, char>>,
    meta: Meta,
}

impl Encoded {
    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }
}

/// A number as PDF writes it: up to three decimals, no trailing zeros.
fn num(out: &mut String, v: f32) {
    let r = (v * 1000.0).round() / 1000.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    out.push_str(s);
}

fn color(out: &mut String, c: Color, op: &str) {
    for v in c.0 {
        num(out, v);
        out.push(' ');
    }
    out.push_str(op);
    out.push('\n');
}

/// Encode laid-out pages: content streams (deflated) and the glyphs used.
pub(super) fn encode(pages: &[Vec<Mark>], fonts: &Fonts, meta: Meta) -> Encoded {
    let mut glyphs: Vec<BTreeMap<u16, char>> = vec![BTreeMap::new(); Fonts::ROLE_SLOTS];
    let mut out = Vec::with_capacity(pages.len());
    for marks in pages {
        let mut s = String::with_capacity(4096);
        let mut used = 0u64;
        let mut in_text = false;
        let mut font: Option<(usize, f32)> = None;
        let mut fill = Color([0.0, 0.0, 0.0]);
        let mut tc = 0.0f32;
        for m in marks {
            match m {
                Mark::Text {
                    role,
                    size,
                    x,
                    y,
                    tracking,
                    color: c,
                    text,
                } => {
                    if !in_text {
                        s.push_str("BT\n");
                        in_text = true;
                    }
                    let own = role.index();
                    if font != Some((own, *size)) {
                        let _ = write!(s, "/{} ", font_name(own));
                        num(&mut s, *size);
                        s.push_str(" Tf\n");
                        font = Some((own, *size));
                    }
                    if fill != *c {
                        color(&mut s, *c, "rg");
                        fill = *c;
                    }
                    if tc != *tracking {
                        num(&mut s, *tracking);
                        s.push_str(" Tc\n");
                        tc = *tracking;
                    }
                    s.push_str("1 0 0 1 ");
                    num(&mut s, *x);
                    s.push(' ');
                    num(&mut s, *y);
                    s.push_str(" Tm\n<");
                    let mut slot = own;
                    let mut f: &LoadedFont = fonts.get(*role);
                    used |= 1 << own;
                    for ch in text.chars() {
                        // A character the role's font lacks is shown in the first font of
                        // the fallback chain that has it, in the middle of the run.
                        let mut gid = if slot == own { f.glyph(ch) } else { 0 };
                        let want = if gid != 0 || (slot == own && ch.is_control()) {
                            own
                        } else {
                            fonts.slot_for(*role, ch).unwrap_or(own)
                        };
                        if want != slot {
                            if let Some(next) = fonts.slot(want) {
                                let _ = write!(s, "> Tj\n/{} ", font_name(want));
                                num(&mut s, *size);
                                s.push_str(" Tf\n<");
                                font = Some((want, *size));
                                slot = want;
                                f = next;
                                used |= 1 << slot;
                                if glyphs.len() <= slot {
                                    glyphs.resize(slot + 1, BTreeMap::new());
                                }
                            }
                        }
                        if gid == 0 || slot != own {
                            gid = f.glyph(ch);
                        }
                        glyphs[slot].entry(gid).or_insert(ch);
                        let _ = write!(s, "{:04X}", f.code(gid));
                    }
                    s.push_str("> Tj\n");
                }
                Mark::Rule {
                    x0,
                    x1,
                    y,
                    width,
                    color: c,
                    dash,
                } => {
                    if in_text {
                        s.push_str("ET\n");
                        in_text = false;
                    }
                    s.push_str("q\n");
                    color(&mut s, *c, "RG");
                    num(&mut s, *width);
                    s.push_str(" w\n");
                    if let Some([on, off]) = dash {
                        s.push('[');
                        num(&mut s, *on);
                        s.push(' ');
                        num(&mut s, *off);
                        s.push_str("] 0 d\n");
                    }
                    num(&mut s, *x0);
                    s.push(' ');
                    num(&mut s, *y);
                    s.push_str(" m ");
                    num(&mut s, *x1);
                    s.push(' ');
                    num(&mut s, *y);
                    s.push_str(" l S\nQ\n");
                }
            }
        }
        if in_text {
            s.push_str("ET\n");
        }
        out.push(Page {
            content: deflate(s.as_bytes(), CONTENT_DEFLATE),
            fonts: used,
        });
    }
    Encoded {
        pages: out,
        glyphs,
        meta,
    }
}

/// Objects written so far, with their offsets, and a running hash for the file identifier.
struct Writer<W: Write> {
    out: W,
    pos: u64,
    /// Offset of object `i + 1`; 0 while reserved and not yet written.
    offsets: Vec<u64>,
    hash: [u64; 2],
}

impl<W: Write> Writer<W> {
    fn new(out: W) -> io::Result<Self> {
        let mut w = Writer {
            out,
            pos: 0,
            offsets: Vec::new(),
            hash: [0xcbf2_9ce4_8422_2325 ^ 1, 0xcbf2_9ce4_8422_2325 ^ 2],
        };
        // The binary comment tells transfer programs the file is binary.
        w.put(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(w)
    }

    fn put(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)?;
        self.pos += b.len() as u64;
        // FNV-style mixing eight bytes at a time (the identifier needs no more than a
        // stable digest of the content, and a batch writes gigabytes through here).
        let mut words = b.chunks_exact(8);
        for w in &mut words {
            let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            for h in &mut self.hash {
                *h = (*h ^ x).wrapping_mul(0x0100_0000_01b3);
                *h ^= *h >> 29;
            }
        }
        for &x in words.remainder() {
            for h in &mut self.hash {
                *h = (*h ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        Ok(())
    }

    fn reserve(&mut self) -> u32 {
        self.offsets.push(0);
        self.offsets.len() as u32
    }

    /// Write object `id`, made by `make` in a chunk of its own.
    fn object(&mut self, id: u32, make: impl FnOnce(&mut Chunk, Ref)) -> io::Result<()> {
        let mut c = Chunk::with_settings(Settings { pretty: false });
        make(&mut c, obj(id));
        self.offsets[id as usize - 1] = self.pos;
        self.put(c.as_bytes())
    }

    /// A deflated stream with nothing in its dictionary besides `/Length` and `/Filter`.
    fn stream(&mut self, id: u32, deflated: &[u8]) -> io::Result<()> {
        self.object(id, |c, r| {
            c.stream(r, deflated).filter(Filter::FlateDecode);
        })
    }

    /// Cross-reference table and trailer. Reserved objects never written become `null`.
    fn finish(mut self, root: u32, info: u32) -> io::Result<W> {
        for id in 1..=self.offsets.len() as u32 {
            if self.offsets[id as usize - 1] == 0 {
                self.object(id, |c, r| c.indirect(r).primitive(pdf_writer::Null))?;
            }
        }
        let [a, b] = self.hash;
        let xref = self.pos;
        let mut s = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1);
        for o in &self.offsets {
            let _ = writeln!(s, "{o:010} 00000 n ");
        }
        let _ = write!(
            s,
            "trailer\n<</Size {} /Root {root} 0 R /Info {info} 0 R /ID [<{a:016x}{b:016x}> <{a:016x}{b:016x}>]>>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        );
        self.put(s.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The reference to object `n` (objects are numbered by [`Writer::reserve`]).
fn obj(n: u32) -> Ref {
    Ref::new(n as i32)
}

/// A font's name for `/BaseFont` and `/FontName` (pdf-writer escapes what a PDF name
/// cannot hold).
fn font_base_name(s: &str) -> String {
    if s.is_empty() {
        "Font".to_string()
    } else {
        s.to_string()
    }
}

/// The document information dictionary: title, author, producer, dates from the data.
fn write_info(c: &mut Chunk, r: Ref, meta: &Meta) {
    let (y, m, d) = meta
        .date
        .filter(|&(y, m, d)| {
            (1..=12).contains(&m) && (1..=31).contains(&d) && (1970..=9999).contains(&y)
        })
        .unwrap_or((1970, 1, 1));
    let date = pdf_writer::Date::new(y as u16)
        .month(m as u8)
        .day(d as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0);
    let mut info = c.indirect(r).start::<DocumentInfo>();
    info.title(TextStr(&meta.title))
        .author(TextStr(&meta.author))
        .creator(TextStr("jiandu"))
        .producer(TextStr("jiandu"))
        .creation_date(date)
        .modified_date(date);
}

/// The parts of an embedded font that depend only on the font and its glyphs: made once
/// per glyph set and kept, since a batch asks for the same few over and over (every
/// notice's title and page numbers use the same characters).
struct FontObjects {
    base: String,
    program: Arc<Program>,
    /// Runs of consecutive codes: (first code, widths).
    widths: Vec<(u16, Vec<f32>)>,
    to_unicode: Vec<u8>,
    cid_to_gid: Option<Vec<u8>>,
}

/// Font objects kept, most recently used last.
const KEPT: usize = 32;

type Kept = Vec<((u64, usize, Vec<(u16, char)>), Arc<FontObjects>)>;

fn font_objects(
    font: &LoadedFont,
    slot: usize,
    glyphs: &BTreeMap<u16, char>,
) -> Result<Arc<FontObjects>> {
    static CACHE: OnceLock<Mutex<Kept>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    // The font by its content (a hash of its file), the slot and the glyphs.
    let key = (
        font.digest(),
        slot,
        glyphs.iter().map(|(&g, &c)| (g, c)).collect::<Vec<_>>(),
    );
    if let Ok(mut kept) = cache.lock() {
        if let Some(i) = kept.iter().position(|(k, _)| *k == key) {
            let hit = kept.remove(i);
            let objects = Arc::clone(&hit.1);
            kept.push(hit);
            return Ok(objects);
        }
    }
    let objects = Arc::new(make_font_objects(font, slot, glyphs)?);
    if let Ok(mut kept) = cache.lock() {
        if kept.len() >= KEPT {
            kept.remove(0);
        }
        kept.push((key, Arc::clone(&objects)));
    }
    Ok(objects)
}

fn make_font_objects(
    font: &LoadedFont,
    slot: usize,
    glyphs: &BTreeMap<u16, char>,
) -> Result<FontObjects> {
    let gids: Vec<u16> = glyphs.keys().copied().collect();
    let program = font.program(&gids)?;
    let base = if program.format == ProgramFormat::OpenType {
        font_base_name(&font.postscript_name)
    } else {
        format!(
            "{}+{}",
            font_name(slot),
            font_base_name(&font.postscript_name)
        )
    };
    // (code, gid, char), by code.
    let mut coded: Vec<(u16, u16, char)> =
        glyphs.iter().map(|(&g, &c)| (font.code(g), g, c)).collect();
    coded.sort_unstable();
    coded.dedup_by_key(|t| t.0);

    // Widths of consecutive codes in runs.
    let mut widths: Vec<(u16, Vec<f32>)> = Vec::new();
    for &(code, gid, _) in &coded {
        let w = font.width_1000(gid) as f32;
        match widths.last_mut() {
            Some((first, run)) if *first as usize + run.len() == code as usize => run.push(w),
            _ => widths.push((code, vec![w])),
        }
    }

    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in coded.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for &(code, _, c) in chunk {
            let _ = write!(cmap, "<{code:04X}> <");
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                let _ = write!(cmap, "{u:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

    let cid_to_gid = (program.format == ProgramFormat::TrueType).then(|| {
        let max = coded.last().map_or(0, |t| t.0) as usize;
        let mut map = vec![0u8; 2 * (max + 1)];
        let new: BTreeMap<u16, u16> = program.new_gids.iter().copied().collect();
        for &(code, gid, _) in &coded {
            let n = new.get(&gid).copied().unwrap_or(0);
            map[2 * code as usize..2 * code as usize + 2].copy_from_slice(&n.to_be_bytes());
        }
        deflate(&map, CONTENT_DEFLATE)
    });
    Ok(FontObjects {
        base,
        program,
        widths,
        to_unicode: deflate(cmap.as_bytes(), CONTENT_DEFLATE),
        cid_to_gid,
    })
}

/// Write the font objects of `slot` under the reserved id `type0`, carrying `glyphs`.
fn write_font<W: Write>(
    w: &mut Writer<W>,
    type0: u32,
    font: &LoadedFont,
    slot: usize,
    glyphs: &BTreeMap<u16, char>,
) -> Result<()> {
    let io = |e: io::Error| crate::error::Error::msg(format!("无法写出 PDF（{e}）"));
    let f = font_objects(font, slot, glyphs)?;
    let base = f.base.as_bytes();
    let cid = w.reserve();
    let descriptor = w.reserve();
    let file = w.reserve();
    let to_unicode = w.reserve();
    let cid_to_gid = f.cid_to_gid.as_ref().map(|m| (w.reserve(), m));
    w.object(type0, |c, r| {
        c.type0_font(r)
            .base_font(Name(base))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(obj(cid))
            .to_unicode(obj(to_unicode));
    })
    .map_err(io)?;
    let subtype = match f.program.format {
        ProgramFormat::TrueType => CidFontType::Type2,
        ProgramFormat::BareCff | ProgramFormat::OpenType => CidFontType::Type0,
    };
    w.object(cid, |c, r| {
        let mut cf = c.cid_font(r);
        cf.subtype(subtype)
            .base_font(Name(base))
            .system_info(SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            })
            .font_descriptor(obj(descriptor))
            .default_width(1000.0);
        if let Some((m, _)) = cid_to_gid {
            cf.cid_to_gid_map_stream(obj(m));
        }
        let mut widths = cf.widths();
        for (first, run) in &f.widths {
            widths.consecutive(*first, run.iter().copied());
        }
    })
    .map_err(io)?;

    let ([ascent, descent, cap, x0, y0, x1, y1], italic, weight) = font.pdf_metrics();
    let mut flags = FontFlags::NON_SYMBOLIC;
    if italic != 0.0 {
        flags |= FontFlags::ITALIC;
    }
    let stem_v = if weight == 0 {
        80
    } else {
        50 + ((f32::from(weight) / 65.0).powi(2)).round() as i64
    };
    w.object(descriptor, |c, r| {
        let mut d = c.font_descriptor(r);
        d.name(Name(base))
            .flags(flags)
            .bbox(Rect::new(x0 as f32, y0 as f32, x1 as f32, y1 as f32))
            .italic_angle(italic)
            .ascent(ascent as f32)
            .descent(descent as f32)
            .cap_height(cap as f32)
            .stem_v(stem_v as f32);
        match f.program.format {
            ProgramFormat::TrueType => d.font_file2(obj(file)),
            ProgramFormat::BareCff | ProgramFormat::OpenType => d.font_file3(obj(file)),
        };
    })
    .map_err(io)?;
    w.object(file, |c, r| {
        let mut s = c.stream(r, &f.program.bytes);
        if f.program.deflated {
            s.filter(Filter::FlateDecode);
        }
        match f.program.format {
            ProgramFormat::BareCff => s.pair(Name(b"Subtype"), Name(b"CIDFontType0C")),
            ProgramFormat::OpenType => s.pair(Name(b"Subtype"), Name(b"OpenType")),
            ProgramFormat::TrueType => s.pair(Name(b"Length1"), f.program.raw_len as i32),
        };
    })
    .map_err(io)?;
    w.stream(to_unicode, &f.to_unicode).map_err(io)?;
    if let Some((m, map)) = cid_to_gid {
        w.stream(m, map).map_err(io)?;
    }
    Ok(())
}

/// The A4 media box, in points.
fn media_box() -> Rect {
    Rect::new(0.0, 0.0, PAGE_W_MM * MM, PAGE_H_MM * MM)
}

/// A page of the tree `parent`, drawn by `content` (none for a blank page) with the fonts
/// of the slots set in `fonts`.
fn write_page(
    c: &mut Chunk,
    r: Ref,
    parent: u32,
    content: Option<u32>,
    fonts: u64,
    font_ids: &[u32],
) {
    let mut page = c.page(r);
    page.parent(obj(parent)).media_box(media_box());
    if let Some(content) = content {
        page.contents(obj(content));
    }
    let mut res = page.resources();
    let mut f = res.fonts();
    for (i, id) in font_ids.iter().enumerate() {
        if fonts & (1 << i) != 0 {
            f.pair(Name(font_name(i).as_bytes()), obj(*id));
        }
    }
}

/// Write one encoded document as a PDF file.
pub fn write_encoded(e: &Encoded, fonts: &Fonts) -> Result<Vec<u8>> {
    let mut m = MergedPdf::new(Vec::with_capacity(64 * 1024), false, false)
        .map_err(|e| crate::error::Error::msg(format!("无法写出 PDF（{e}）")))?;
    m.add(e, "")
        .map_err(|e| crate::error::Error::msg(format!("无法写出 PDF（{e}）")))?;
    m.finish(fonts)
}

/// A PDF of many documents written as they come: each document's pages go out at once
/// (in the order added), fonts are embedded once at the end with every glyph any page
/// used, and only the page list, bookmarks and glyph sets are held in memory.
pub struct MergedPdf<W: Write> {
    w: Writer<W>,
    pages_id: u32,
    /// Per font slot: the reserved id of its font object (fallback slots get theirs when
    /// a document first uses them).
    font_ids: Vec<u32>,
    glyphs: Vec<BTreeMap<u16, char>>,
    kids: Vec<u32>,
    bookmarks: Option<Vec<(String, u32)>>,
    duplex: bool,
    meta: Option<Meta>,
}

impl<W: Write> MergedPdf<W> {
    /// Start the file. With `bookmarks`, each added document gets an outline entry; with
    /// `duplex`, a document of an odd number of pages is followed by a blank page.
    pub fn new(out: W, bookmarks: bool, duplex: bool) -> io::Result<Self> {
        let mut w = Writer::new(out)?;
        let pages_id = w.reserve();
        let font_ids = (0..Fonts::ROLE_SLOTS).map(|_| w.reserve()).collect();
        Ok(MergedPdf {
            w,
            pages_id,
            font_ids,
            glyphs: vec![BTreeMap::new(); Fonts::ROLE_SLOTS],
            kids: Vec::new(),
            bookmarks: bookmarks.then(Vec::new),
            duplex,
            meta: None,
        })
    }

    /// Append a document's pages, with its bookmark name.
    pub fn add(&mut self, e: &Encoded, name: &str) -> io::Result<()> {
        if self.meta.is_none() {
            self.meta = Some(e.meta.clone());
        }
        while self.font_ids.len() < e.glyphs.len() {
            self.font_ids.push(self.w.reserve());
            self.glyphs.push(BTreeMap::new());
        }
        for (mine, theirs) in self.glyphs.iter_mut().zip(&e.glyphs) {
            for (&g, &c) in theirs {
                mine.entry(g).or_insert(c);
            }
        }
        let mut first = None;
        for p in &e.pages {
            let content = self.w.reserve();
            self.w.stream(content, &p.content)?;
            let page = self.w.reserve();
            let (parent, ids) = (self.pages_id, &self.font_ids);
            self.w.object(page, |c, r| {
                write_page(c, r, parent, Some(content), p.fonts, ids)
            })?;
            first.get_or_insert(page);
            self.kids.push(page);
        }
        if self.duplex && e.pages.len() % 2 == 1 {
            let page = self.w.reserve();
            let (parent, ids) = (self.pages_id, &self.font_ids);
            self.w
                .object(page, |c, r| write_page(c, r, parent, None, 0, ids))?;
            self.kids.push(page);
        }
        if let (Some(b), Some(first)) = (self.bookmarks.as_mut(), first) {
            b.push((name.to_string(), first));
        }
        Ok(())
    }

    /// Embed the fonts, write the page tree, bookmarks, metadata and trailer; return the
    /// writer.
    pub fn finish(mut self, fonts: &Fonts) -> Result<W> {
        let io = |e: io::Error| crate::error::Error::msg(format!("无法写出 PDF（{e}）"));
        for (i, glyphs) in self.glyphs.iter().enumerate() {
            if glyphs.is_empty() {
                continue;
            }
            let font = fonts.slot(i).ok_or_else(|| {
                crate::error::Error::msg(format!("内部错误：找不到第 {i} 号字体"))
            })?;
            write_font(&mut self.w, self.font_ids[i], font, i, glyphs)?;
        }
        let kids = &self.kids;
        self.w
            .object(self.pages_id, |c, r| {
                c.pages(r)
                    .kids(kids.iter().map(|&k| obj(k)))
                    .count(kids.len() as i32);
            })
            .map_err(io)?;
        let outlines = match self.bookmarks.take() {
            Some(b) if !b.is_empty() => {
                let root = self.w.reserve();
                let ids: Vec<u32> = b.iter().map(|_| self.w.reserve()).collect();
                let top = PAGE_H_MM * MM;
                for (i, (name, page)) in b.iter().enumerate() {
                    self.w
                        .object(ids[i], |c, r| {
                            let mut item = c.outline_item(r);
                            item.title(TextStr(name)).parent(obj(root));
                            if i > 0 {
                                item.prev(obj(ids[i - 1]));
                            }
                            if let Some(&n) = ids.get(i + 1) {
                                item.next(obj(n));
                            }
                            item.dest().page(obj(*page)).xyz(0.0, top, None);
                        })
                        .map_err(io)?;
                }
                self.w
                    .object(root, |c, r| {
                        c.outline(r)
                            .first(obj(ids[0]))
                            .last(obj(ids[ids.len() - 1]))
                            .count(ids.len() as i32);
                    })
                    .map_err(io)?;
                Some(root)
            }
            _ => None,
        };
        let info = self.w.reserve();
        let meta = self.meta.take().unwrap_or_default();
        self.w
            .object(info, |c, r| write_info(c, r, &meta))
            .map_err(io)?;
        let catalog = self.w.reserve();
        let pages = self.pages_id;
        self.w
            .object(catalog, |c, r| {
                let mut cat = c.indirect(r).start::<Catalog>();
                cat.pages(obj(pages));
                if let Some(o) = outlines {
                    cat.outlines(obj(o)).page_mode(PageMode::UseOutlines);
                }
            })
            .map_err(io)?;
        self.w.finish(catalog, info).map_err(io)
    }
}
