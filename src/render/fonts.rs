//! Font lookup for the five type roles of an official document, and the metrics the line
//! breaker needs (glyph advances, cmap coverage).
//!
//! Each role is looked up in this order, first hit wins:
//! 1. the explicit folder of [`FontConfig::font_dir`] (the `--font-dir` option);
//! 2. the folder of [`FontConfig::env_dir`] (the command line's `JIANDU_FONT_DIR`);
//! 3. the official fonts installed on the machine, found by family name in the usual font
//!    folders (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体 and their English names);
//! 4. a `fonts/` folder next to the executable or up to three folders above it;
//! 5. the repository's own `fonts/` folder (the open Fandol fonts).
//!
//! In the folders of steps 1, 2, 4 and 5 a role is satisfied by an official font (by family
//! name) or by the file name of its Fandol stand-in. Every font file is read and parsed once
//! per process.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::{Error, Result};

/// The five type roles of GB/T 9704.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 小标宋: the title and the issuing-authority mark.
    XiaoBiaoSong,
    /// 仿宋: body text.
    FangSong,
    /// 黑体: level-1 headings.
    Hei,
    /// 楷体: level-2 headings.
    Kai,
    /// 宋体: page numbers.
    Song,
}

impl Role {
    /// All roles, in a fixed order.
    pub const ALL: [Role; 5] = [
        Role::XiaoBiaoSong,
        Role::FangSong,
        Role::Hei,
        Role::Kai,
        Role::Song,
    ];

    /// The role's Chinese name, as users know it.
    pub fn label(self) -> &'static str {
        match self {
            Role::XiaoBiaoSong => "小标宋",
            Role::FangSong => "仿宋",
            Role::Hei => "黑体",
            Role::Kai => "楷体",
            Role::Song => "宋体",
        }
    }

    /// The role of a body heading of `level` (GB/T 9704: 一级 黑体, 二级 楷体, 三级 and
    /// below 仿宋), shared by both writers and the glyph check.
    pub fn for_heading(level: u8) -> Role {
        match level {
            1 => Role::Hei,
            2 => Role::Kai,
            _ => Role::FangSong,
        }
    }

    /// The font name written into DOCX files for this role (Word substitutes by name).
    pub fn docx_name(self) -> &'static str {
        match self {
            Role::XiaoBiaoSong => "方正小标宋简体",
            Role::FangSong => "仿宋_GB2312",
            Role::Hei => "黑体",
            Role::Kai => "楷体_GB2312",
            Role::Song => "宋体",
        }
    }

    /// Family names of the official fonts for this role, most preferred first.
    pub fn official_families(self) -> &'static [&'static str] {
        match self {
            Role::XiaoBiaoSong => &[
                "方正小标宋简体",
                "方正小标宋_GBK",
                "FZXiaoBiaoSong-B05S",
                "FZXiaoBiaoSong-B05",
            ],
            Role::FangSong => &["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"],
            Role::Hei => &["黑体", "SimHei"],
            Role::Kai => &["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"],
            Role::Song => &["宋体", "SimSun"],
        }
    }

    /// File name of the open Fandol stand-in shipped in `fonts/`.
    pub fn fallback_file(self) -> &'static str {
        match self {
            Role::XiaoBiaoSong => "FandolSong-Bold.otf",
            Role::FangSong => "FandolFang-Regular.otf",
            Role::Hei => "FandolHei-Regular.otf",
            Role::Kai => "FandolKai-Regular.otf",
            Role::Song => "FandolSong-Regular.otf",
        }
    }

    /// Position in [`Role::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Role::XiaoBiaoSong => 0,
            Role::FangSong => 1,
            Role::Hei => 2,
            Role::Kai => 3,
            Role::Song => 4,
        }
    }
}

/// Where to look for fonts before the built-in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontConfig {
    /// A folder given by the user (`--font-dir`), searched first.
    pub font_dir: Option<PathBuf>,
    /// A second folder, searched next (the command line passes `JIANDU_FONT_DIR`).
    pub env_dir: Option<PathBuf>,
    /// The user's own font folders, searched with the system's (the command line passes
    /// those of its HOME / USERPROFILE and LOCALAPPDATA: [`user_font_dirs`]).
    pub user_dirs: Vec<PathBuf>,
    /// Folders holding the fonts shipped with the program, searched after the system's
    /// (the command line passes the `fonts/` folders beside its executable and above it:
    /// [`bundled_font_dirs`]). The `fonts/` of the source tree jiandu was built from is
    /// searched last in any case.
    pub bundled_dirs: Vec<PathBuf>,
}

/// One parsed font file, shared by every document in the process.
pub struct LoadedFont {
    /// The file it came from.
    pub path: PathBuf,
    /// Face index inside a collection (0 for plain fonts).
    pub index: u32,
    /// The family name read from the font's name table.
    pub family: String,
    /// The PostScript name (name table entry 6), for the PDF's `/BaseFont`.
    pub postscript_name: String,
    /// How the outlines are stored, which decides how the font is embedded in a PDF.
    pub outlines: Outlines,
    /// The whole file (a collection included), kept for the whole process.
    data: &'static [u8],
    /// A hash of the file's bytes and the face index (see [`LoadedFont::digest`]), made
    /// when a PDF first embeds the font.
    digest: OnceLock<u64>,
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// The whole font as a program, made once, for fonts that cannot be subset.
    whole: OnceLock<Arc<Program>>,
}

/// How a font stores its outlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outlines {
    /// CID-keyed CFF (Adobe's CJK fonts, the Fandol fonts): embedded as a bare CFF table
    /// whose charset keeps the original CIDs, so a glyph's code in a PDF is its CID.
    CidCff,
    /// TrueType `glyf` outlines (the Windows fonts): embedded as a subset TrueType font,
    /// a glyph's code is its glyph id in the whole font, mapped to the subset's glyph id by
    /// a `/CIDToGIDMap`.
    TrueType,
    /// Anything else (name-keyed CFF, CFF2): embedded whole, a glyph's code is its id.
    Other,
}

/// A font program ready to embed in a PDF, deflated when that pays.
#[derive(Debug)]
pub struct Program {
    /// The bytes to embed: deflated when `deflated` says so, else as they are.
    pub bytes: Vec<u8>,
    /// Whether `bytes` are deflated (`/FlateDecode`).
    pub deflated: bool,
    /// Length before deflating.
    pub raw_len: usize,
    /// What the bytes are.
    pub format: ProgramFormat,
    /// For a subset TrueType font: each original glyph id's id in the subset (by position).
    pub new_gids: Vec<(u16, u16)>,
}

/// The format of an embedded font program, which decides its PDF keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramFormat {
    /// A bare CID-keyed CFF table: `/FontFile3` with `/Subtype /CIDFontType0C`.
    BareCff,
    /// A whole OpenType font with CFF outlines: `/FontFile3` with `/Subtype /OpenType`.
    OpenType,
    /// A TrueType font: `/FontFile2`.
    TrueType,
}

impl std::fmt::Debug for LoadedFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedFont")
            .field("path", &self.path)
            .field("family", &self.family)
            .finish()
    }
}

/// Deflate level of embedded TrueType font programs. CFF programs are embedded as they
/// are: a typical notice's 仿宋 subset (89 glyphs, 40.4 KB) deflates to 39.0 KB at level 1
/// and to 33.2 KB at levels 2 to 6 in 0.44 to 0.58 ms, and a batch makes three or four per
/// notice: deflating them was a fifth of a batch's instructions (callgrind, 200 notices:
/// 815M of deflate out of 3,166M besides memset) for 3.5 % of their size.
const PROGRAM_DEFLATE: u32 = 1;

impl LoadedFont {
    /// What names this font's content in caches: a hash of the file's bytes and the face
    /// index (two copies of one font file are one font; a changed file is another). Hashed
    /// on first use, so a font only measured or written to a DOCX is never read through.
    pub(crate) fn digest(&self) -> u64 {
        *self.digest.get_or_init(|| {
            use std::hash::Hasher;
            let mut h = rustc_hash::FxHasher::default();
            h.write(self.data);
            h.write_usize(self.data.len());
            h.write_u32(self.index);
            h.finish()
        })
    }

    /// The whole font file as read (for the workbench, which serves its 黑体 to pages on
    /// machines without Chinese system fonts).
    pub fn file_bytes(&self) -> &'static [u8] {
        self.data
    }

    /// Whether the font has a glyph for `c`. Whitespace and control characters count as
    /// drawable (they print nothing).
    pub fn has_char(&self, c: char) -> bool {
        c.is_control() || self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// The glyph id of `c` (0, the missing glyph, when the font lacks it).
    pub fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map_or(0, |g| g.0)
    }

    /// The code that shows glyph `gid` in a PDF: its CID in a CID-keyed CFF font, else the
    /// glyph id itself. The same whatever subset is embedded, so pages can be written
    /// before the font.
    pub fn code(&self, gid: u16) -> u16 {
        match self.outlines {
            Outlines::CidCff => self
                .face
                .tables()
                .cff
                .and_then(|t| t.glyph_cid(ttf_parser::GlyphId(gid)))
                .unwrap_or(gid),
            Outlines::TrueType | Outlines::Other => gid,
        }
    }

    /// Advance width of glyph `gid` in thousandths of an em (PDF glyph space).
    pub fn width_1000(&self, gid: u16) -> i64 {
        let a = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .map_or(0.0, f32::from);
        if self.units_per_em > 0.0 {
            (a * 1000.0 / self.units_per_em).round() as i64
        } else {
            0
        }
    }

    /// Font-wide metrics in thousandths of an em: ascent, descent, cap height, bounding box
    /// (x min, y min, x max, y max), italic angle in degrees, and the weight class.
    pub fn pdf_metrics(&self) -> ([i64; 7], f32, u16) {
        let s = |v: i16| -> i64 {
            if self.units_per_em > 0.0 {
                (f32::from(v) * 1000.0 / self.units_per_em).round() as i64
            } else {
                0
            }
        };
        let bb = self.face.global_bounding_box();
        let ascent = s(self.face.ascender());
        (
            [
                ascent,
                s(self.face.descender()),
                self.face.capital_height().map_or(ascent, s),
                s(bb.x_min),
                s(bb.y_min),
                s(bb.x_max),
                s(bb.y_max),
            ],
            self.face.italic_angle(),
            self.face.weight().to_number(),
        )
    }

    /// The program to embed for the glyphs `gids` (sorted, without duplicates): a subset
    /// when the outlines allow it, else the whole font. Costly (a subset and a deflate):
    /// the PDF writer keeps what it made.
    pub fn program(&self, gids: &[u16]) -> Result<Arc<Program>> {
        if self.outlines == Outlines::Other {
            if let Some(p) = self.whole.get() {
                return Ok(Arc::clone(p));
            }
            let p = Arc::new(self.make_program(&[])?);
            return Ok(Arc::clone(self.whole.get_or_init(|| p)));
        }
        Ok(Arc::new(self.make_program(gids)?))
    }

    fn make_program(&self, gids: &[u16]) -> Result<Program> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::prince::{subset, PrinceCmapTarget};
        let fail = |what: String| {
            Error::file(
                &self.path,
                format!("无法把字体嵌入 PDF（{what}），请换用其他字体文件"),
            )
        };
        let font = ReadScope::new(self.data)
            .read::<FontData<'_>>()
            .map_err(|e| fail(e.to_string()))?;
        let provider = font
            .table_provider(self.index as usize)
            .map_err(|e| fail(e.to_string()))?;
        // Glyph 0 first (allsorts requires it), then the glyphs in ascending order.
        let ids: Vec<u16> = std::iter::once(0)
            .chain(gids.iter().copied().filter(|&g| g != 0))
            .collect();
        let (raw, format, new_gids) = match self.outlines {
            Outlines::CidCff => {
                let raw = subset(&provider, &ids, PrinceCmapTarget::Omit, false)
                    .map_err(|e| fail(e.to_string()))?;
                (raw, ProgramFormat::BareCff, Vec::new())
            }
            Outlines::TrueType => {
                let raw = subset(&provider, &ids, PrinceCmapTarget::Omit, false)
                    .map_err(|e| fail(e.to_string()))?;
                let new_gids = ids
                    .iter()
                    .enumerate()
                    .map(|(i, &g)| (g, i as u16))
                    .collect();
                (raw, ProgramFormat::TrueType, new_gids)
            }
            Outlines::Other => {
                use allsorts::tables::FontTableProvider;
                let tags = provider
                    .table_tags()
                    .ok_or_else(|| fail("字体表缺失".to_string()))?;
                let raw = allsorts::subset::whole_font(&provider, &tags)
                    .map_err(|e| fail(e.to_string()))?;
                (raw, ProgramFormat::OpenType, Vec::new())
            }
        };
        // CFF outlines are compressed charstrings already: deflate gains a few per cent
        // of a subset and costs a batch a fifth of its time, so they are embedded as they
        // are. TrueType outlines halve.
        let deflated = format != ProgramFormat::BareCff;
        Ok(Program {
            raw_len: raw.len(),
            bytes: if deflated {
                deflate(&raw, PROGRAM_DEFLATE)
            } else {
                raw
            },
            deflated,
            format,
            new_gids,
        })
    }

    /// Advance width of `c` in ems when the font draws it (control characters count as
    /// drawn, see [`LoadedFont::advance`]), `None` when it lacks the glyph.
    pub fn advance_if_drawn(&self, c: char) -> Option<f32> {
        // One cmap lookup: this runs for every character the line breaker measures.
        match self.face.glyph_index(c) {
            Some(g) if g.0 != 0 => Some(match self.face.glyph_hor_advance(g) {
                _ if c == '\n' || c == '\r' => 0.0,
                Some(a) if self.units_per_em > 0.0 => f32::from(a) / self.units_per_em,
                _ if c.is_ascii() => 0.5,
                _ => 1.0,
            }),
            _ if c.is_control() => Some(self.advance(c)),
            _ => None,
        }
    }

    /// Advance width of `c` in ems (1.0 = the font size). Characters the font lacks are
    /// measured as one em (full width) or half an em (ASCII).
    pub fn advance(&self, c: char) -> f32 {
        if c == '\n' || c == '\r' {
            return 0.0;
        }
        match self
            .face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
        {
            Some(a) if self.units_per_em > 0.0 => f32::from(a) / self.units_per_em,
            _ if c.is_ascii() => 0.5,
            _ => 1.0,
        }
    }
}

/// The fonts for all five roles, and the fonts that draw what they lack.
#[derive(Debug, Clone)]
pub struct Fonts {
    roles: [Arc<LoadedFont>; 5],
    fallback: Arc<Fallback>,
}

/// Bundled fonts that cover GB 18030's ideographs (the Hanazono fonts: HanaMinA has the
/// BMP with the CJK Unified Ideographs and Extension A, HanaMinB Extensions B to F), tried
/// after the role's font and its Fandol stand-in.
pub const BUNDLED_FALLBACK: [&str; 2] = ["HanaMinA.ttf", "HanaMinB.ttf"];

/// Families of CJK fonts that Windows, macOS, Linux, 麒麟 and 统信 machines (and WPS)
/// install, tried in this order after the bundled fonts, for characters that none of
/// those has.
const SYSTEM_FALLBACK: &[&str] = &[
    "SimSun",
    "宋体",
    "NSimSun",
    "SimSun-ExtB",
    "SimSun-ExtG",
    "MingLiU-ExtB",
    "Microsoft YaHei",
    "微软雅黑",
    "方正书宋_GBK",
    "方正宋体S-超大字符集",
    "Songti SC",
    "STSong",
    "PingFang SC",
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
    "思源宋体",
    "思源黑体",
    "Noto Sans CJK JP",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "BabelStone Han",
    "Unifont",
];

/// At most this many fonts are tried for one character (slots in a PDF's resources).
const MAX_FALLBACK: usize = 48;

/// A font that may draw a character the role fonts lack, loaded the first time it is
/// needed.
#[derive(Debug)]
struct Candidate {
    path: PathBuf,
    index: u32,
    /// Tried only for this role (a role's Fandol stand-in), or for every role.
    only_for: Option<Role>,
    font: OnceLock<Option<Arc<LoadedFont>>>,
}

impl Candidate {
    fn new(path: PathBuf, index: u32, only_for: Option<Role>) -> Candidate {
        Candidate {
            path,
            index,
            only_for,
            font: OnceLock::new(),
        }
    }

    /// The parsed font, or `None` when the file cannot be read (it is then skipped).
    fn get(&self) -> Option<&LoadedFont> {
        self.font
            .get_or_init(|| load_cached(&self.path, self.index).ok())
            .as_deref()
    }
}

/// The fallback chain shared by every role: the Fandol stand-ins (each for its own role,
/// when the role uses another font), the bundled GB 18030 fonts, then the system's CJK
/// fonts, looked up only when the others fail.
#[derive(Debug)]
struct Fallback {
    /// Stand-ins and bundled fonts, in order.
    near: Vec<Candidate>,
    /// The system's CJK fonts, found on first use.
    system: OnceLock<Vec<Candidate>>,
    /// The folders they are looked for in.
    system_dirs: Vec<PathBuf>,
}

impl Fallback {
    fn new(roles: &[Arc<LoadedFont>; 5], dirs: &Dirs) -> Fallback {
        let mut near = Vec::new();
        let all_dirs = || dirs.before.iter().chain(dirs.after.iter());
        for role in Role::ALL {
            let own = &roles[role.index()];
            if let Some(p) = all_dirs()
                .map(|d| d.join(role.fallback_file()))
                .find(|p| p.is_file())
            {
                if p != own.path {
                    near.push(Candidate::new(p, 0, Some(role)));
                }
            }
        }
        for name in BUNDLED_FALLBACK {
            if let Some(p) = all_dirs().map(|d| d.join(name)).find(|p| p.is_file()) {
                near.push(Candidate::new(p, 0, None));
            }
        }
        Fallback {
            near,
            system: OnceLock::new(),
            system_dirs: dirs.system.clone(),
        }
    }

    fn system(&self) -> &[Candidate] {
        self.system.get_or_init(|| {
            let mut seen: Vec<(PathBuf, u32)> = self
                .near
                .iter()
                .map(|c| (c.path.clone(), c.index))
                .collect();
            let mut out = Vec::new();
            for fam in SYSTEM_FALLBACK {
                for d in &self.system_dirs {
                    if !d.is_dir() {
                        continue;
                    }
                    if let Some((p, i)) = family_index(d).get(*fam) {
                        if !seen.contains(&(p.clone(), *i)) {
                            seen.push((p.clone(), *i));
                            out.push(Candidate::new(p.clone(), *i, None));
                        }
                        break;
                    }
                }
            }
            out.truncate(MAX_FALLBACK.saturating_sub(self.near.len()));
            out
        })
    }

    /// The candidate at position `i` of the whole chain.
    fn at(&self, i: usize) -> Option<&Candidate> {
        match self.near.get(i) {
            Some(c) => Some(c),
            None => self.system().get(i - self.near.len()),
        }
    }

    /// Position in the chain of the first font that draws `c` for `role`.
    fn find(&self, role: Role, c: char) -> Option<usize> {
        let usable = |cand: &Candidate| {
            cand.only_for.is_none_or(|r| r == role) && cand.get().is_some_and(|f| f.has_char(c))
        };
        if let Some(i) = self.near.iter().position(usable) {
            return Some(i);
        }
        self.system()
            .iter()
            .position(usable)
            .map(|i| i + self.near.len())
    }
}

/// Which font draws a character.
#[derive(Debug, Clone, Copy)]
pub enum Coverage<'a> {
    /// The role's own font.
    Own,
    /// Another font of the fallback chain.
    Fallback(&'a LoadedFont),
    /// No font found has it.
    Missing,
}

impl Fonts {
    /// Find and parse the fonts for every role. A role that cannot be found is an error
    /// naming the role and every place looked.
    pub fn load(config: &FontConfig) -> Result<Fonts> {
        let dirs = search_dirs(config);
        let mut found: Vec<Arc<LoadedFont>> = Vec::with_capacity(5);
        for role in Role::ALL {
            found.push(find_role(role, config, &dirs)?);
        }
        let roles: [Arc<LoadedFont>; 5] = found
            .try_into()
            .map_err(|_| Error::msg("内部错误：字体数量不符"))?;
        let fallback = Arc::new(Fallback::new(&roles, &dirs));
        Ok(Fonts { roles, fallback })
    }

    /// Number of font slots before the fallback chain: one per role.
    pub const ROLE_SLOTS: usize = 5;

    /// The slot of the font that draws `c` in `role`: the role's own (`Role::index`),
    /// or `ROLE_SLOTS` plus the place in the fallback chain. `None` when no font has it.
    pub fn slot_for(&self, role: Role, c: char) -> Option<usize> {
        if self.get(role).has_char(c) {
            return Some(role.index());
        }
        self.fallback.find(role, c).map(|i| i + Self::ROLE_SLOTS)
    }

    /// The font of a slot (see [`Fonts::slot_for`]).
    pub fn slot(&self, slot: usize) -> Option<&LoadedFont> {
        match Role::ALL.get(slot) {
            Some(&r) => Some(self.get(r)),
            None => self.fallback.at(slot - Self::ROLE_SLOTS)?.get(),
        }
    }

    /// Which font draws `c` in `role`.
    pub fn coverage(&self, role: Role, c: char) -> Coverage<'_> {
        match self.slot_for(role, c) {
            Some(s) if s < Self::ROLE_SLOTS => Coverage::Own,
            Some(s) => self.slot(s).map_or(Coverage::Missing, Coverage::Fallback),
            None => Coverage::Missing,
        }
    }

    /// Advance width of `c` in `role`, in ems, measured in the font that draws it.
    pub fn advance(&self, role: Role, c: char) -> f32 {
        let own = self.get(role);
        if let Some(a) = own.advance_if_drawn(c) {
            return a;
        }
        match self.slot_for(role, c).and_then(|s| self.slot(s)) {
            Some(f) => f.advance(c),
            None => own.advance(c),
        }
    }

    /// File and family of each bundled font of the fallback chain (the Fandol stand-ins
    /// and the GB 18030 fonts), in the order they are tried, for `jiandu fonts`. The
    /// system's fonts follow them but are not listed (they are looked up only when needed).
    pub fn describe_fallback(&self) -> Vec<(PathBuf, String)> {
        self.fallback
            .near
            .iter()
            .filter(|c| c.only_for.is_none())
            .map(|c| {
                let family = c.get().map_or_else(String::new, |f| f.family.clone());
                (c.path.clone(), family)
            })
            .collect()
    }

    /// The family names of every font tried for `role`, for an error about a character
    /// none of them has.
    pub fn searched(&self, role: Role) -> String {
        let mut names = vec![self.get(role).family.clone()];
        let chain = self.fallback.near.iter().chain(self.fallback.system());
        for c in chain.filter(|c| c.only_for.is_none_or(|r| r == role)) {
            let name = c
                .get()
                .map_or_else(|| c.path.display().to_string(), |f| f.family.clone());
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names.join("、")
    }

    /// The font for `role`.
    pub fn get(&self, role: Role) -> &LoadedFont {
        &self.roles[role.index()]
    }

    /// The shared handle of the font for `role`.
    pub fn get_arc(&self, role: Role) -> Arc<LoadedFont> {
        Arc::clone(&self.roles[role.index()])
    }

    /// Role, file and family of each font in use, for `jiandu fonts`.
    pub fn describe(&self) -> Vec<(Role, PathBuf, String)> {
        Role::ALL
            .iter()
            .map(|&r| {
                let f = self.get(r);
                (r, f.path.clone(), f.family.clone())
            })
            .collect()
    }

    /// Check that every character of `text` can be drawn by `role`'s font or a font of
    /// its fallback chain; the first one that cannot is returned as the error.
    pub fn check_coverage(&self, text: &str, role: Role) -> std::result::Result<(), char> {
        match text
            .chars()
            .find(|&c| !c.is_whitespace() && self.slot_for(role, c).is_none())
        {
            Some(c) => Err(c),
            None => Ok(()),
        }
    }

    /// Like [`Fonts::check_coverage`], as a user-facing error naming the field and the
    /// fonts searched.
    pub fn require_coverage(&self, text: &str, role: Role, field: &str) -> Result<()> {
        self.check_coverage(text, role).map_err(|c| {
            Error::msg(format!(
                "“{field}”中的字符“{c}”（U+{:04X}）在已查找的字体中都没有（{}），无法显示。请安装含有这个字的字体后用 --font-dir 指定",
                c as u32,
                self.searched(role)
            ))
        })
    }
}

/// Find and parse the fonts (see [`Fonts::load`]) and describe them for `jiandu fonts`.
pub fn describe(config: &FontConfig) -> Result<Vec<(Role, PathBuf, String)>> {
    Ok(Fonts::load(config)?.describe())
}

/// The folders searched for fonts by family name on this machine: the systems' own, then
/// the user's (`user`, see [`user_font_dirs`]).
pub fn system_font_dirs(user: &[PathBuf]) -> Vec<PathBuf> {
    let mut v = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
        PathBuf::from("C:\\Windows\\Fonts"),
        PathBuf::from("/Library/Fonts"),
        PathBuf::from("/System/Library/Fonts"),
    ];
    v.extend(user.iter().cloned());
    v
}

/// A user's font folders under their home folder (HOME, or USERPROFILE on Windows) and
/// LOCALAPPDATA (Windows 10's per-user fonts): what a front-end passes as
/// [`FontConfig::user_dirs`].
pub fn user_font_dirs(home: Option<PathBuf>, local_app_data: Option<PathBuf>) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(home) = home {
        v.push(home.join(".fonts"));
        v.push(home.join(".local/share/fonts"));
        v.push(home.join("Library/Fonts"));
    }
    if let Some(local) = local_app_data {
        v.push(local.join("Microsoft\\Windows\\Fonts"));
    }
    v
}

/// The `fonts/` folders a program at `exe` ships its fonts in: beside it and in the three
/// folders above it (`target/release/jiandu` finds the source tree's `fonts/`), what a
/// front-end passes as [`FontConfig::bundled_dirs`].
pub fn bundled_font_dirs(exe: &Path) -> Vec<PathBuf> {
    exe.ancestors()
        .skip(1)
        .take(4)
        .map(|d| d.join("fonts"))
        .collect()
}

/// Where fonts are looked for, in order: the explicit and bundled folders searched before
/// the system's, the system's, and the fallback folders after them.
struct Dirs {
    before: Vec<PathBuf>,
    system: Vec<PathBuf>,
    after: Vec<PathBuf>,
}

/// The explicit, bundled and fallback folders, in lookup order, each tagged with whether
/// it is searched before the system fonts.
fn search_dirs(config: &FontConfig) -> Dirs {
    let mut before = Vec::new();
    if let Some(d) = &config.font_dir {
        before.push(d.clone());
    }
    if let Some(d) = &config.env_dir {
        before.push(d.clone());
    }
    let mut after = config.bundled_dirs.clone();
    after.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"));
    Dirs {
        before,
        system: system_font_dirs(&config.user_dirs),
        after,
    }
}

fn find_role(role: Role, config: &FontConfig, dirs: &Dirs) -> Result<Arc<LoadedFont>> {
    let (before, after) = (&dirs.before, &dirs.after);
    if let Some(d) = &config.font_dir {
        if !d.is_dir() {
            return Err(Error::file(d, "指定的字体文件夹不存在或不是文件夹"));
        }
    }
    if let Some(d) = &config.env_dir {
        if !d.is_dir() {
            return Err(Error::file(
                d,
                "JIANDU_FONT_DIR 设置的字体文件夹不存在或不是文件夹，请检查拼写",
            ));
        }
    }
    for d in before {
        if let Some(hit) = find_in_dir(role, d, true) {
            return load_cached(&hit.0, hit.1);
        }
    }
    for d in &dirs.system {
        if let Some(hit) = find_in_dir(role, d, false) {
            return load_cached(&hit.0, hit.1);
        }
    }
    for d in after {
        if let Some(hit) = find_in_dir(role, d, true) {
            return load_cached(&hit.0, hit.1);
        }
    }
    let mut places: Vec<String> = before.iter().map(|p| p.display().to_string()).collect();
    places.push("系统字体文件夹".to_string());
    places.extend(after.iter().map(|p| p.display().to_string()));
    Err(Error::msg(format!(
        "找不到{}字体（{} 或 {}）。已查找：{}。请用 --font-dir 指定字体文件夹，或设置环境变量 JIANDU_FONT_DIR",
        role.label(),
        role.official_families().join("、"),
        role.fallback_file(),
        places.join("；")
    )))
}

/// Look for `role` in `dir`: an official font by family name, then (if `fallback`) the
/// Fandol stand-in by file name.
fn find_in_dir(role: Role, dir: &Path, fallback: bool) -> Option<(PathBuf, u32)> {
    if !dir.is_dir() {
        return None;
    }
    let index = family_index(dir);
    for fam in role.official_families() {
        if let Some(hit) = index.get(*fam) {
            return Some(hit.clone());
        }
    }
    if fallback {
        let p = dir.join(role.fallback_file());
        if p.is_file() {
            return Some((p, 0));
        }
    }
    None
}

type FamilyIndex = HashMap<String, (PathBuf, u32)>;

/// Family name → (file, face index) for every font file under `dir`, scanned once per
/// process and folder. Only the name tables are read, not whole files.
fn family_index(dir: &Path) -> Arc<FamilyIndex> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<FamilyIndex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(c) = cache.lock() {
        if let Some(hit) = c.get(dir) {
            return Arc::clone(hit);
        }
    }
    let mut files = Vec::new();
    collect_font_files(dir, 0, &mut files);
    files.sort();
    let mut index = FamilyIndex::new();
    for f in files {
        for (face, names) in read_family_names(&f).unwrap_or_default() {
            for n in names {
                index.entry(n).or_insert_with(|| (f.clone(), face));
            }
        }
    }
    let index = Arc::new(index);
    if let Ok(mut c) = cache.lock() {
        c.insert(dir.to_path_buf(), Arc::clone(&index));
    }
    index
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 6 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_font_files(&p, depth + 1, out);
        } else {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_ascii_lowercase())
                .unwrap_or_default();
            if matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
                out.push(p);
            }
        }
    }
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

fn read_at(f: &mut std::fs::File, offset: u64, len: usize) -> Option<Vec<u8>> {
    f.seek(SeekFrom::Start(offset)).ok()?;
    let mut buf = vec![0u8; len];
    f.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// Family names (name ids 1 and 16, every language) of each face in a font file, reading
/// only the table directory and the name table.
fn read_family_names(path: &Path) -> Option<Vec<(u32, Vec<String>)>> {
    let mut f = std::fs::File::open(path).ok()?;
    let head = read_at(&mut f, 0, 12)?;
    let offsets: Vec<u64> = if &head[0..4] == b"ttcf" {
        let n = be_u32(&head, 8)?.min(64) as usize;
        let tbl = read_at(&mut f, 12, n * 4)?;
        (0..n)
            .filter_map(|i| be_u32(&tbl, i * 4).map(u64::from))
            .collect()
    } else {
        vec![0]
    };
    let mut out = Vec::new();
    for (face, off) in offsets.into_iter().enumerate() {
        let Some(dir) = read_at(&mut f, off, 12) else {
            continue;
        };
        let Some(num) = be_u16(&dir, 4) else { continue };
        let Some(recs) = read_at(&mut f, off + 12, usize::from(num) * 16) else {
            continue;
        };
        let mut names = Vec::new();
        for i in 0..usize::from(num) {
            if recs.get(i * 16..i * 16 + 4) != Some(b"name") {
                continue;
            }
            let (Some(t_off), Some(t_len)) =
                (be_u32(&recs, i * 16 + 8), be_u32(&recs, i * 16 + 12))
            else {
                continue;
            };
            let Some(data) = read_at(&mut f, u64::from(t_off), (t_len as usize).min(1 << 20))
            else {
                continue;
            };
            if let Some(table) = ttf_parser::name::Table::parse(&data) {
                names = family_names(&table);
            }
        }
        out.push((face as u32, names));
    }
    Some(out)
}

fn family_names(table: &ttf_parser::name::Table<'_>) -> Vec<String> {
    let mut v = Vec::new();
    for n in table.names {
        if n.name_id != ttf_parser::name_id::FAMILY
            && n.name_id != ttf_parser::name_id::TYPOGRAPHIC_FAMILY
        {
            continue;
        }
        let s = n.to_string().or_else(|| {
            // Older Chinese fonts store names in GBK (Windows platform, encoding 3).
            if n.platform_id == ttf_parser::PlatformId::Windows && n.encoding_id == 3 {
                let bytes: Vec<u8> = n.name.iter().copied().filter(|&b| b != 0).collect();
                let (s, _, bad) = encoding_rs::GBK.decode(&bytes);
                (!bad).then(|| s.into_owned())
            } else if n.platform_id == ttf_parser::PlatformId::Macintosh && n.name.is_ascii() {
                String::from_utf8(n.name.to_vec()).ok()
            } else {
                None
            }
        });
        if let Some(s) = s {
            let s = s.trim().to_string();
            if !s.is_empty() && !v.contains(&s) {
                v.push(s);
            }
        }
    }
    v
}

/// Parse a font file once per process.
fn load_cached(path: &Path, index: u32) -> Result<Arc<LoadedFont>> {
    type FontCache = Mutex<HashMap<(PathBuf, u32), Arc<LoadedFont>>>;
    static CACHE: OnceLock<FontCache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (path.to_path_buf(), index);
    if let Ok(c) = cache.lock() {
        if let Some(hit) = c.get(&key) {
            return Ok(Arc::clone(hit));
        }
    }
    let font = Arc::new(parse_font(path, index)?);
    if let Ok(mut c) = cache.lock() {
        c.entry(key).or_insert_with(|| Arc::clone(&font));
    }
    Ok(font)
}

fn parse_font(path: &Path, index: u32) -> Result<LoadedFont> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    // The font lives as long as the process (it is cached), so its bytes may too; this lets
    // the ttf-parser face borrow them without a self-referential struct.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let face = ttf_parser::Face::parse(bytes, index)
        .map_err(|e| Error::file(path, format!("无法读取字体文件（{e}），文件可能已损坏")))?;
    let family = family_names(&face.tables().name.unwrap_or_default())
        .into_iter()
        .next()
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let postscript_name = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .unwrap_or_else(|| family.clone());
    let tables = face.tables();
    let outlines = match (tables.cff, tables.glyf) {
        (Some(cff), _) if cff.glyph_cid(ttf_parser::GlyphId(0)).is_some() => Outlines::CidCff,
        (None, Some(_)) => Outlines::TrueType,
        _ => Outlines::Other,
    };
    let units_per_em = f32::from(face.units_per_em());
    Ok(LoadedFont {
        path: path.to_path_buf(),
        index,
        family,
        postscript_name,
        outlines,
        data: bytes,
        digest: OnceLock::new(),
        face,
        units_per_em,
        whole: OnceLock::new(),
    })
}

/// Deflate `bytes` (zlib format, as PDF's `/FlateDecode` wants) at `level` (0–9).
pub fn deflate(bytes: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 2 + 64),
        flate2::Compression::new(level),
    );
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> FontConfig {
        FontConfig {
            font_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")),
            ..Default::default()
        }
    }

    #[test]
    fn bundled_fonts_load_with_family_names() {
        let fonts = Fonts::load(&bundled()).expect("bundled fonts");
        let d = fonts.describe();
        assert_eq!(d.len(), 5);
        // On this machine no official fonts are installed, so each role is a Fandol font.
        let fang = fonts.get(Role::FangSong);
        assert!(fang.family.contains("Fandol"), "{}", fang.family);
        assert!(fang.path.ends_with("FandolFang-Regular.otf"));
    }

    #[test]
    fn advances_ascii_half_cjk_full() {
        let fonts = Fonts::load(&bundled()).expect("bundled fonts");
        let f = fonts.get(Role::FangSong);
        assert!((f.advance('中') - 1.0).abs() < 0.01);
        assert!((f.advance('，') - 1.0).abs() < 0.01);
        assert!((f.advance('2') - 0.5).abs() < 0.05, "{}", f.advance('2'));
    }

    #[test]
    fn coverage_names_missing_char() {
        let fonts = Fonts::load(&bundled()).expect("bundled fonts");
        assert_eq!(
            fonts.check_coverage("谈话通知书〔2022〕", Role::FangSong),
            Ok(())
        );
        // U+2A6A5 (an extension-B ideograph) is not in the Fandol fonts: the bundled
        // Hanazono fonts draw it. A private-use character is in no font.
        assert_eq!(
            fonts.check_coverage("甲\u{2A6A5}乙", Role::FangSong),
            Ok(())
        );
        assert!(!fonts.get(Role::FangSong).has_char('\u{2A6A5}'));
        match fonts.coverage(Role::FangSong, '\u{2A6A5}') {
            Coverage::Fallback(f) => assert!(f.family.starts_with("HanaMin"), "{:?}", f.path),
            other => panic!("{other:?}"),
        }
        // 堃 is outside GB 2312: HanaMinA, after the role's own font.
        match fonts.coverage(Role::Kai, '堃') {
            Coverage::Fallback(f) => assert!(f.path.ends_with("HanaMinA.ttf"), "{:?}", f.path),
            other => panic!("{other:?}"),
        }
        assert!(matches!(fonts.coverage(Role::Kai, '乙'), Coverage::Own));
        // Measured in the font that draws it: a full em.
        assert!((fonts.advance(Role::FangSong, '\u{2A6A5}') - 1.0).abs() < 0.01);
        assert_eq!(
            fonts.check_coverage("甲\u{10FFFD}乙", Role::FangSong),
            Err('\u{10FFFD}')
        );
        let e = fonts
            .require_coverage("甲\u{10FFFD}", Role::Hei, "姓名")
            .expect_err("missing glyph");
        assert!(
            e.message.contains("姓名")
                && e.message.contains("FandolHei")
                && e.message.contains("HanaMinA、HanaMinB"),
            "{}",
            e.message
        );
    }

    #[test]
    fn family_index_reads_name_tables() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let index = family_index(&dir);
        let (path, face) = index.get("FandolKai").expect("FandolKai by family name");
        assert!(path.ends_with("FandolKai-Regular.otf"));
        assert_eq!(*face, 0);
        // No official font in the repository, so no role is found by official name there.
        for role in Role::ALL {
            assert!(role
                .official_families()
                .iter()
                .all(|f| !index.contains_key(*f)));
        }
    }

    #[test]
    fn the_users_font_folders_come_from_what_the_front_end_passes() {
        let v = user_font_dirs(Some(PathBuf::from("/home/a")), Some(PathBuf::from("/l")));
        assert_eq!(v.len(), 4);
        assert!(v.contains(&PathBuf::from("/home/a/.local/share/fonts")));
        assert!(v[3].starts_with("/l"));
        assert!(user_font_dirs(None, None).is_empty());
        // The shipped folders come after the system's, before the source tree's.
        let dirs = search_dirs(&FontConfig {
            bundled_dirs: vec![PathBuf::from("/opt/jiandu/fonts")],
            ..Default::default()
        });
        assert_eq!(
            dirs.after,
            [
                PathBuf::from("/opt/jiandu/fonts"),
                Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")
            ]
        );
        assert_eq!(
            bundled_font_dirs(Path::new("/opt/jiandu/bin/jiandu")),
            [
                PathBuf::from("/opt/jiandu/bin/fonts"),
                PathBuf::from("/opt/jiandu/fonts"),
                PathBuf::from("/opt/fonts"),
                PathBuf::from("/fonts"),
            ]
        );
        let all = system_font_dirs(&v);
        assert!(all.starts_with(&[PathBuf::from("/usr/share/fonts")]) && all.ends_with(&v));
    }

    #[test]
    fn missing_font_dir_is_an_error() {
        let e = Fonts::load(&FontConfig {
            env_dir: Some(PathBuf::from("/nonexistent/jiandu-env-fonts")),
            ..Default::default()
        })
        .expect_err("a missing JIANDU_FONT_DIR is an error");
        assert!(e.to_string().contains("JIANDU_FONT_DIR"), "{e}");
        let cfg = FontConfig {
            font_dir: Some(PathBuf::from("/nonexistent/jiandu-fonts")),
            ..Default::default()
        };
        let e = Fonts::load(&cfg).expect_err("no such dir");
        assert!(e.message.contains("字体文件夹"), "{}", e.message);
    }

    #[test]
    fn empty_dir_falls_back_to_bundled() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let cfg = FontConfig {
            font_dir: Some(tmp.path().to_path_buf()),
            ..Default::default()
        };
        let fonts = Fonts::load(&cfg).expect("fallback");
        assert!(fonts.get(Role::Kai).path.ends_with("FandolKai-Regular.otf"));
    }
}
