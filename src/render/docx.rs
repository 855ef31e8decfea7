//! The DOCX writer: the same [`Document`] as the PDF writer, as a Word file on the GB/T 9704
//! grid (A4, margins 37/28/26/35 mm, 22 lines of exactly 579 twips, 28 characters a line).
//!
//! docx-rs builds the package; a post-processing pass then rewrites it: theme font
//! attributes are removed (every style and run names its fonts by role), the title and
//! author go into the core properties, and every zip entry gets a fixed timestamp, so the same
//! input gives the same bytes.
//!
//! The record block (版记) is a pair of framed paragraphs anchored to the bottom of the
//! type area (`w:framePr w:vAnchor="margin" w:yAlign="bottom"`) in the paragraph flow of the
//! last page: Word and LibreOffice both place the frame on the page of its anchor, at the
//! bottom, however long the body is.

use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;

use docx_rs::{
    AlignmentType, BorderType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer,
    FrameProperty, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType,
    Style, StyleType, Styles, Tab, TabLeaderType, TabValueType,
};
use unicode_width::UnicodeWidthChar;

use super::fonts::Role;
use super::linebreak::break_balanced;
use super::model::{Align, Break, Document, Header, Para, Record, Section, Signature};
use crate::error::{Error, Result};

/// Page size, twips.
/// Character spacing of the body, in twentieths of a point: −0.25 pt, so that 28
/// characters of 16 pt fit the 156 mm line.
const CHAR_SPACING: i32 = -5;

const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// Margins, twips.
const TOP: i32 = 2098;
const LEFT: i32 = 1587;
const RIGHT: i32 = 1474;
const BOTTOM: i32 = 1984;
/// Type area width, twips.
const AREA_W: i32 = PAGE_W as i32 - LEFT - RIGHT;
/// Exact line pitch, twips (22 lines in 225 mm).
const LINE: i32 = 579;
/// Character pitch, twips (28 characters in 156 mm).
const CELL: i32 = AREA_W / 28;
/// Twips in a millimetre.
const TWIPS_PER_MM: f32 = 1440.0 / 25.4;
/// Sizes in half-points.
const BODY: usize = 32;
const TITLE: usize = 44;
const SMALL: usize = 28;
const RED: &str = "FF0000";

fn fonts(role: Role) -> RunFonts {
    let name = role.docx_name();
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

fn run(text: &str, role: Role, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(role)).size(size)
}

/// Whether `c` is in GB 2312, the character set of 仿宋_GB2312 and 楷体_GB2312 (ASCII
/// included). Built once from the GB 2312 rows of the GBK decoder.
fn in_gb2312(c: char) -> bool {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    if c.is_ascii() {
        return true;
    }
    let set = SET.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for lead in 0xA1u8..=0xF7 {
            for trail in 0xA1u8..=0xFE {
                let bytes = [lead, trail];
                let (s, bad) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
                if let (false, Some(ch)) = (bad, s.chars().next()) {
                    let u = ch as usize;
                    if u < 0x10000 {
                        bits[u / 64] |= 1 << (u % 64);
                    }
                }
            }
        }
        bits
    });
    let u = c as usize;
    u < 0x10000 && set[u / 64] & (1 << (u % 64)) != 0
}

/// The font a DOCX names for a character outside GB 2312, so that Word and WPS draw it
/// from a font the machine has instead of a blank box: the GBK font of the same style
/// (仿宋, 楷体, 黑体, 宋体) for the rest of the BMP, 宋体 (SimSun covers GB 18030's
/// Extension A) for Extension A, SimSun-ExtB for the supplementary planes. `None` for a
/// character of GB 2312, which the role's font has.
fn docx_fallback(role: Role, c: char) -> Option<&'static str> {
    if in_gb2312(c) || c.is_whitespace() {
        return None;
    }
    Some(match c as u32 {
        0x10000.. => "SimSun-ExtB",
        0x3400..=0x4DBF => "宋体",
        _ => match role {
            Role::FangSong => "仿宋",
            Role::Kai => "楷体",
            Role::Hei => "黑体",
            Role::XiaoBiaoSong => "方正小标宋_GBK",
            Role::Song => "宋体",
        },
    })
}

/// `text` in `role` as runs: one run in the role's font, split where characters need a
/// fallback font (see [`docx_fallback`]), each of those in a run naming it.
fn runs(text: &str, role: Role, size: usize) -> Vec<Run> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<&'static str> = None;
    let flush = |out: &mut Vec<Run>, seg: &str, font: Option<&'static str>| {
        if seg.is_empty() {
            return;
        }
        out.push(match font {
            None => run(seg, role, size),
            Some(name) => Run::new()
                .add_text(seg)
                .fonts(
                    RunFonts::new()
                        .east_asia(name)
                        .ascii(name)
                        .hi_ansi(name)
                        .cs(name)
                        .hint("eastAsia"),
                )
                .size(size),
        });
    };
    for (i, c) in text.char_indices() {
        let want = if c.is_whitespace() {
            current
        } else {
            docx_fallback(role, c)
        };
        if want != current {
            flush(&mut out, &text[start..i], current);
            start = i;
            current = want;
        }
    }
    flush(&mut out, &text[start..], current);
    if out.is_empty() {
        out.push(run(text, role, size));
    }
    out
}

/// Adding a text as several runs (see [`runs`]).
trait AddRuns {
    fn add_runs(self, runs: Vec<Run>) -> Self;
}

impl AddRuns for Paragraph {
    fn add_runs(mut self, runs: Vec<Run>) -> Self {
        for r in runs {
            self = self.add_run(r);
        }
        self
    }
}

fn red(runs: Vec<Run>) -> Vec<Run> {
    runs.into_iter().map(|r| r.color(RED)).collect()
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line(line)
        .line_rule(LineSpacingType::Exact)
        .before(0)
        .after(0)
}

/// A paragraph on the grid: exact 579-twip lines, 仿宋 by default.
fn para() -> Paragraph {
    Paragraph::new()
        .line_spacing(exact(LINE))
        .fonts(fonts(Role::FangSong))
        .size(BODY)
}

fn body_para() -> Paragraph {
    para()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * 320)),
            None,
            None,
        )
        .first_line_chars(200)
}

/// Width of `text` in grid cells (half-width characters count half).
fn cells(text: &str) -> f32 {
    text.chars()
        .map(|c| match c.width() {
            Some(2) => 1.0,
            Some(w) => w as f32 * 0.5,
            None => 0.0,
        })
        .sum()
}

fn border(
    pos: ParagraphBorderPosition,
    val: BorderType,
    size: usize,
    space: usize,
    color: &str,
) -> ParagraphBorder {
    ParagraphBorder::new(pos)
        .val(val)
        .size(size)
        .space(space)
        .color(color)
}

fn with_borders(mut p: Paragraph, borders: Vec<ParagraphBorder>) -> Paragraph {
    let mut b = ParagraphBorders::with_empty();
    for x in borders {
        b = b.set(x);
    }
    p.property.borders = Some(b);
    p
}

struct Writer {
    paras: Vec<Paragraph>,
    /// The next paragraph starts a new page.
    page_break: bool,
    /// The authority of a letter (信函格式), whose letterhead is the first page's header.
    letter: Option<String>,
}

impl Writer {
    fn push(&mut self, p: Paragraph) {
        let p = if self.page_break {
            self.page_break = false;
            p.page_break_before(true)
        } else {
            p
        };
        self.paras.push(p);
    }

    fn blank(&mut self) {
        self.push(para());
    }

    fn section(&mut self, s: &Section) {
        match s.break_before {
            Break::None => {}
            Break::NewPage => self.page_break = !self.paras.is_empty(),
            Break::CutLine => self.cut_line(),
        }
        let start = self.paras.len();
        self.section_parts(s);
        // A part cut off from the one before is kept whole: every paragraph of it, its cut
        // line included, keeps with the next, so that Word and LibreOffice move the whole
        // part to the next page when it does not fit (as the PDF writer does).
        if s.break_before == Break::CutLine {
            let first = start.saturating_sub(1);
            let last = self.paras.len().saturating_sub(1);
            for p in &mut self.paras[first..last] {
                *p = std::mem::take(p).keep_next(true).keep_lines(true);
            }
        }
    }

    /// The parts of a section, after its break.
    fn section_parts(&mut self, s: &Section) {
        let mut title_gap = 0;
        if let Some(h) = &s.header {
            if h.letter {
                self.letter_head(h);
            } else {
                self.header(h);
            }
            title_gap = 2;
        }
        if let Some(t) = &s.title {
            for _ in 0..title_gap {
                self.blank();
            }
            self.title(t);
        }
        for p in &s.preamble {
            self.para(p);
        }
        if s.title.is_some() && s.addressee.is_some() {
            self.blank();
        }
        if let Some(a) = &s.addressee {
            self.push(
                para()
                    .align(AlignmentType::Both)
                    .add_runs(runs(a, Role::FangSong, BODY)),
            );
        }
        for p in &s.body {
            self.para(p);
        }
        if !s.attachments.is_empty() {
            self.blank();
            let many = s.attachments.len() > 1;
            for (i, a) in s.attachments.iter().enumerate() {
                let text = if many {
                    format!("{}.{a}", i + 1)
                } else {
                    a.clone()
                };
                // A wrapped name continues under its own first character, after the
                // number (half-width digits and point: half a cell each).
                let number = if many {
                    (format!("{}.", i + 1).len() as i32) * CELL / 2
                } else {
                    0
                };
                let mut p = para().align(AlignmentType::Both).indent(
                    Some(5 * CELL + number),
                    Some(SpecialIndentType::Hanging(3 * CELL + number)),
                    None,
                    None,
                );
                if i == 0 {
                    p = p.add_runs(runs("附件：", Role::FangSong, BODY));
                } else {
                    p = p.indent(
                        Some(5 * CELL + number),
                        Some(SpecialIndentType::Hanging(number)),
                        None,
                        None,
                    );
                }
                self.push(p.add_runs(runs(&text, Role::FangSong, BODY)));
            }
        }
        if let Some(sig) = &s.signature {
            self.blank();
            self.signature(sig);
        }
        if let Some(n) = &s.note {
            let n = n.trim();
            let text = if n.starts_with('（') || n.starts_with('(') {
                n.to_string()
            } else {
                format!("（{n}）")
            };
            self.push(body_para().add_runs(runs(&text, Role::FangSong, BODY)));
        }
        for (i, a) in s.appendices.iter().enumerate() {
            self.page_break = true;
            let label = crate::render::model::appendix_label(i, s.appendices.len());
            self.push(para().add_runs(runs(&label, Role::Hei, BODY)));
            self.blank();
            self.title(&a.title);
            self.blank();
            for p in &a.body {
                self.para(p);
            }
        }
        if let Some(r) = &s.record {
            self.record(r);
        }
    }

    fn para(&mut self, p: &Para) {
        match p {
            Para::Text(t) => self.push(body_para().add_runs(runs(t, Role::FangSong, BODY))),
            Para::Heading {
                level,
                heading,
                rest,
            } => {
                let role = Role::for_heading(*level);
                let mut p = body_para().add_runs(runs(heading, role, BODY));
                if let Some(r) = rest {
                    p = p.add_runs(runs(r, Role::FangSong, BODY));
                }
                self.push(p);
            }
            Para::Line { text, align } => {
                let p = match align {
                    Align::Left => para().align(AlignmentType::Left),
                    Align::Center => para().align(AlignmentType::Center),
                    Align::Right(n) => para().align(AlignmentType::Right).indent(
                        None,
                        None,
                        Some(i32::from(*n) * CELL),
                        None,
                    ),
                };
                self.push(p.add_runs(runs(text, Role::FangSong, BODY)));
            }
            Para::Blank => self.blank(),
        }
    }

    /// A letter's first lines (its mark and rules are the first page's header): 份号,
    /// 密级, 紧急程度 flush left and the 发文字号 flush right, on the line under the rule.
    fn letter_head(&mut self, h: &Header) {
        self.letter = Some(h.authority.clone());
        let mut p = para().align(AlignmentType::Left).add_tab(
            docx_rs::Tab::new()
                .val(docx_rs::TabValueType::Right)
                .pos(AREA_W as usize),
        );
        for (i, t) in [&h.copy_number, &h.classification, &h.urgency]
            .into_iter()
            .flatten()
            .enumerate()
        {
            let role = if i == 0 && h.copy_number.is_some() {
                Role::FangSong
            } else {
                Role::Hei
            };
            if i > 0 {
                p = p.add_runs(runs("　", Role::FangSong, BODY));
            }
            p = p.add_runs(runs(t, role, BODY));
        }
        if let Some(n) = &h.doc_number {
            p = p
                .add_run(Run::new().add_tab().fonts(fonts(Role::FangSong)).size(BODY))
                .add_runs(runs(n, Role::FangSong, BODY));
        }
        self.push(p);
    }

    fn header(&mut self, h: &Header) {
        let mut used = 0;
        if let Some(c) = &h.copy_number {
            self.push(para().add_runs(runs(c, Role::FangSong, BODY)));
            used += LINE;
        }
        for t in [&h.classification, &h.urgency].into_iter().flatten() {
            self.push(para().add_runs(runs(t, Role::Hei, BODY)));
            used += LINE;
        }
        // The mark: at most 15 mm high and never wider than the type area; its top edge
        // 35 mm (1984 twips) below the top of the type area.
        let em = cells(&h.authority).max(1.0);
        let size_pt = (15.0 * 72.0 / 25.4f32)
            .min(AREA_W as f32 / 20.0 / em)
            .floor();
        let size = (size_pt * 2.0) as usize;
        let line = (size_pt * 20.0 * 1.2) as i32;
        let before = (1984 - used).max(0) as u32;
        self.push(
            Paragraph::new()
                .line_spacing(
                    LineSpacing::new()
                        .line(line)
                        .line_rule(LineSpacingType::Exact)
                        .before(before)
                        .after(0),
                )
                .align(AlignmentType::Center)
                .add_runs(red(runs(&h.authority, Role::XiaoBiaoSong, size))),
        );
        // Two blank lines, the number, and the red rule 4 mm (about 11 pt) below it.
        self.blank();
        self.blank();
        let number = h.doc_number.clone().unwrap_or_default();
        let p = match &h.signer {
            // With a 签发人: the number flush left one character in, the signer at a right
            // tab one character from the right edge.
            Some(signer) => para()
                .align(AlignmentType::Left)
                .indent(Some(CELL), None, None, None)
                .add_tab(
                    docx_rs::Tab::new()
                        .val(docx_rs::TabValueType::Right)
                        .pos((AREA_W - CELL) as usize),
                )
                .add_runs(runs(&number, Role::FangSong, BODY))
                .add_run(Run::new().add_tab().fonts(fonts(Role::FangSong)).size(BODY))
                .add_runs(runs("签发人：", Role::FangSong, BODY))
                .add_runs(runs(signer, Role::Kai, BODY)),
            None => {
                para()
                    .align(AlignmentType::Center)
                    .add_runs(runs(&number, Role::FangSong, BODY))
            }
        };
        self.push(with_borders(
            p,
            vec![border(
                ParagraphBorderPosition::Bottom,
                BorderType::Single,
                8,
                11,
                RED,
            )],
        ));
    }

    fn title(&mut self, t: &str) {
        // Break like the PDF writer (balanced lines, words whole), with explicit breaks.
        let mut p = para()
            .align(AlignmentType::Center)
            .line_spacing(exact(LINE));
        let mut first = true;
        for part in t.split('\n').map(str::trim).filter(|s| !s.is_empty()) {
            let lines = break_balanced(
                part,
                |c| match c.width() {
                    Some(2) => 22.0,
                    _ => 11.0,
                },
                AREA_W as f32 / 20.0,
            );
            for l in lines {
                let mut rs = Vec::new();
                if !first {
                    rs.push(
                        Run::new()
                            .fonts(fonts(Role::XiaoBiaoSong))
                            .size(TITLE)
                            .add_break(BreakType::TextWrapping),
                    );
                }
                rs.extend(runs(l.text(part).trim_end(), Role::XiaoBiaoSong, TITLE));
                first = false;
                p = p.add_runs(rs);
            }
        }
        self.push(p);
    }

    fn signature(&mut self, s: &Signature) {
        // The last body line and the blank below it stay with the signature, so that no
        // page holds the signature (and its seal) alone.
        let n = self.paras.len();
        for p in &mut self.paras[n.saturating_sub(2)..] {
            *p = std::mem::take(p).keep_next(true);
        }
        let iw = cells(&s.issuer);
        let dw = cells(&s.date);
        let (issuer_right, date_right) = if s.sealed {
            // §7.3.5.1: the date four characters from the right, the issuer centred over
            // it, a second blank line above them for the seal.
            self.push(para().keep_next(true));
            ((4.0 + (dw - iw) / 2.0).max(0.0), 4.0)
        } else {
            // Right spaces, in cells: issuer 2 unless the date is longer; date starts two
            // cells right of the issuer's first character.
            let issuer_right = if dw + 2.0 > iw { 4.0 + dw - iw } else { 2.0 };
            (issuer_right, issuer_right + iw - 2.0 - dw)
        };
        for (text, right) in [(&s.issuer, issuer_right), (&s.date, date_right)] {
            self.push(
                para()
                    .align(AlignmentType::Right)
                    .indent(None, None, Some((right * CELL as f32) as i32), None)
                    .keep_next(true)
                    .add_runs(runs(text, Role::FangSong, BODY)),
            );
        }
        if s.sealed {
            // The seal's lower part below the date, kept clear of the 版记 as the PDF does.
            self.push(para());
        }
    }

    /// 版记: framed paragraphs anchored to the bottom of the type area. The rules are
    /// framed paragraphs too, each a single tab whose leader draws the line (thick rules
    /// with the heavy leader): LibreOffice drops frames whose paragraphs carry borders.
    fn record(&mut self, r: &Record) {
        let frame = FrameProperty::new()
            .wrap("around")
            .h_anchor("margin")
            .v_anchor("margin")
            .x_align("center")
            .y_align("bottom")
            .width(AREA_W as u32);
        let framed = |mut p: Paragraph| {
            p.property.frame_property = Some(frame.clone());
            p
        };
        let text_line = || {
            framed(
                para()
                    .line_spacing(exact(LINE - 120))
                    .fonts(fonts(Role::FangSong))
                    .size(SMALL)
                    .indent(Some(280), None, Some(280), None),
            )
        };
        let rule = |thick: bool| {
            let leader = if thick {
                TabLeaderType::Heavy
            } else {
                TabLeaderType::Underscore
            };
            framed(
                Paragraph::new()
                    .line_spacing(exact(40))
                    .size(8)
                    .add_tab(
                        Tab::new()
                            .val(TabValueType::Right)
                            .leader(leader)
                            .pos(AREA_W as usize),
                    )
                    .add_run(Run::new().size(8).add_tab()),
            )
        };
        let has_print = !r.printer.is_empty() || !r.print_date.is_empty();
        if r.cc.is_empty() && !has_print {
            return;
        }
        self.push(rule(true));
        if !r.cc.is_empty() {
            let mut cc = format!("抄送：{}", r.cc.join("，"));
            if !cc.ends_with('。') {
                cc.push('。');
            }
            // Continuation lines align after 抄送： (a hanging indent of three characters).
            self.push(
                text_line()
                    .align(AlignmentType::Both)
                    .indent(
                        Some(4 * 280),
                        Some(SpecialIndentType::Hanging(3 * 280)),
                        Some(280),
                        None,
                    )
                    .add_runs(runs(&cc, Role::FangSong, SMALL)),
            );
            if has_print {
                self.push(rule(false));
            }
        }
        if has_print {
            self.push(
                text_line()
                    .add_tab(
                        Tab::new()
                            .val(TabValueType::Right)
                            .pos((AREA_W - 560) as usize),
                    )
                    .add_runs(runs(&r.printer, Role::FangSong, SMALL))
                    .add_run(
                        Run::new()
                            .fonts(fonts(Role::FangSong))
                            .size(SMALL)
                            .add_tab()
                            .add_text(format!("{}印发", r.print_date)),
                    ),
            );
        }
        self.push(rule(true));
    }

    /// A paragraph with 裁剪线 on a dashed rule across the type area.
    fn cut_line(&mut self) {
        let p =
            para()
                .align(AlignmentType::Center)
                .add_runs(runs("（裁剪线）", Role::FangSong, 24));
        self.push(with_borders(
            p,
            vec![border(
                ParagraphBorderPosition::Bottom,
                BorderType::Dashed,
                6,
                0,
                "000000",
            )],
        ));
    }
}

/// Size, in half-points, of a letterhead's mark (一号, fitted to the type area).
fn letter_mark_size(authority: &str) -> usize {
    let em = cells(authority).max(1.0);
    let pt = 26.0f32.min(AREA_W as f32 / 20.0 / em).floor();
    (pt * 2.0) as usize
}

/// The first page's header of a letter (信函格式): the red mark, its top about 30 mm below
/// the top of the page, and under it the red double rule (thick over thin), 170 mm long.
/// In the header, so that the body starts below it as on the PDF.
fn letter_header(authority: &str) -> docx_rs::Header {
    let size = letter_mark_size(authority);
    // 30 mm from the top of the page, less the 15 mm header distance.
    let before = (15.0 * TWIPS_PER_MM) as u32;
    let wide = ((170.0 - 156.0) / 2.0 * TWIPS_PER_MM) as i32;
    let p = Paragraph::new()
        .line_spacing(
            LineSpacing::new()
                .line((size as i32) * 12)
                .line_rule(LineSpacingType::Exact)
                .before(before)
                .after(0),
        )
        .align(AlignmentType::Center)
        .indent(Some(-wide), None, Some(-wide), None)
        .add_runs(red(runs(authority, Role::XiaoBiaoSong, size)));
    docx_rs::Header::new().add_paragraph(with_borders(
        p,
        vec![border(
            ParagraphBorderPosition::Bottom,
            BorderType::ThickThinSmallGap,
            24,
            11,
            RED,
        )],
    ))
}

/// The first page's footer of a letter: the red double rule (thin over thick) about 20 mm
/// above the bottom of the page, and no page number.
fn letter_footer() -> Footer {
    let wide = ((170.0 - 156.0) / 2.0 * TWIPS_PER_MM) as i32;
    let p = Paragraph::new().line_spacing(exact(20)).size(2).indent(
        Some(-wide),
        None,
        Some(-wide),
        None,
    );
    Footer::new().add_paragraph(with_borders(
        p,
        vec![border(
            ParagraphBorderPosition::Top,
            BorderType::ThinThickSmallGap,
            24,
            0,
            RED,
        )],
    ))
}

fn footer(odd: bool) -> Footer {
    let mk = |t: &str| run(t, Role::Song, SMALL);
    let p = Paragraph::new()
        .line_spacing(exact(320))
        .fonts(fonts(Role::Song))
        .size(SMALL);
    let p = if odd {
        p.align(AlignmentType::Right)
            .indent(None, None, Some(280), None)
    } else {
        p.align(AlignmentType::Left)
            .indent(Some(280), None, None, None)
    };
    let p = p
        .add_run(mk("— "))
        .add_run(
            Run::new()
                .fonts(fonts(Role::Song))
                .size(SMALL)
                .add_field_char(FieldCharType::Begin, false)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                .add_field_char(FieldCharType::Separate, false)
                .add_text("1")
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(mk(" —"));
    Footer::new().add_paragraph(p)
}

/// Write one document as DOCX.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>> {
    let mut w = Writer {
        paras: Vec::new(),
        page_break: false,
        letter: None,
    };
    for s in &doc.sections {
        w.section(s);
    }
    let date = doc
        .meta
        .date
        .map_or("1980-01-01T00:00:00Z".to_string(), |(y, m, d)| {
            format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
        });
    // The Normal style carries the body font and size too: LibreOffice derives the
    // character grid from it, and Word users expect it.
    let styles = Styles::new()
        .default_fonts(fonts(Role::FangSong))
        .default_size(BODY)
        .default_spacing(CHAR_SPACING)
        .default_line_spacing(exact(LINE))
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .fonts(fonts(Role::FangSong))
                .size(BODY)
                .line_spacing(exact(LINE)),
        );
    let mut docx = Docx::new()
        .styles(styles)
        .page_size(PAGE_W, PAGE_H)
        .page_margin(PageMargin {
            top: TOP,
            left: LEFT,
            bottom: BOTTOM,
            right: RIGHT,
            header: 851,
            // The page number's top 7 mm below the type area: 35 − 7 = 28 mm from the
            // bottom edge, less one 14 pt line.
            footer: 1587 - 320,
            gutter: 0,
        })
        .default_fonts(fonts(Role::FangSong))
        .default_size(BODY)
        .default_line_spacing(exact(LINE))
        .footer(footer(true))
        .even_footer(footer(false))
        .created_at(&date)
        .updated_at(&date);
    // A line grid of 579 twips. The 28 characters a line come from character spacing
    // (16 pt − 0.25 pt = 15.75 pt a character, 28 of them in the 156 mm type area), not
    // from a `linesAndChars` grid: LibreOffice 7.4 spreads every character over about two
    // cells when that grid has a negative `charSpace` (checked by printing through it), so
    // the same file would not look the same in Word and LibreOffice.
    docx.document = docx.document.doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(LINE as usize),
    );
    // A framed paragraph (the record block) must not be the document's last paragraph:
    // LibreOffice only turns framed paragraphs into a frame when a normal one follows. This
    // one is 1 pt high.
    if let Some(a) = &w.letter {
        docx = docx
            .first_header(letter_header(a))
            .first_footer(letter_footer());
    }
    if doc.sections.last().is_some_and(|s| s.record.is_some()) {
        w.paras
            .push(Paragraph::new().line_spacing(exact(20)).size(2));
    }
    for p in w.paras {
        docx = docx.add_paragraph(p);
    }
    let mut raw = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut raw)
        .map_err(|e| Error::msg(format!("生成 DOCX 文件失败（{e}）")))?;
    postprocess(raw.get_ref(), doc)
}

/// Remove every `w:*Theme="…"` attribute from an XML part.
fn strip_theme_attrs(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(pos) = rest.find("Theme=\"") {
        // Find the attribute's start: the space before its name.
        let head = &rest[..pos];
        let Some(space) = head.rfind(' ') else {
            out.push_str(&rest[..pos + 7]);
            rest = &rest[pos + 7..];
            continue;
        };
        let Some(close) = rest[pos + 7..].find('"') else {
            break;
        };
        out.push_str(&rest[..space]);
        rest = &rest[pos + 7 + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The Normal style docx-rs emits on its own.
/// The fonts the document names, with the alternates Word and WPS use on a machine that
/// lacks one (`w:altName`) and the GB 2312 character set (`86`) that tells them to look
/// for a Chinese font: (name, alternate, charset, family, pitch). docx-rs always writes the
/// same three Latin fonts and has no way to add entries or alternates, so the part is
/// written here whole.
const FONT_TABLE: &[(&str, &str, &str, &str, &str)] = &[
    ("Times New Roman", "", "00", "roman", "variable"),
    ("Symbol", "", "02", "roman", "variable"),
    ("Arial", "", "00", "swiss", "variable"),
    ("仿宋_GB2312", "仿宋", "86", "modern", "fixed"),
    ("楷体_GB2312", "楷体", "86", "modern", "fixed"),
    ("方正小标宋简体", "方正小标宋_GBK", "86", "script", "fixed"),
    ("方正小标宋_GBK", "宋体", "86", "script", "fixed"),
    ("黑体", "SimHei", "86", "modern", "fixed"),
    ("宋体", "SimSun", "86", "auto", "variable"),
    ("仿宋", "FangSong", "86", "modern", "fixed"),
    ("楷体", "KaiTi", "86", "modern", "fixed"),
    ("SimSun-ExtB", "宋体", "86", "modern", "fixed"),
];

fn font_table_xml() -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    for (name, alt, charset, family, pitch) in FONT_TABLE {
        x.push_str(&format!(r#"<w:font w:name="{name}">"#));
        if !alt.is_empty() {
            x.push_str(&format!(r#"<w:altName w:val="{alt}" />"#));
        }
        x.push_str(&format!(
            r#"<w:charset w:val="{charset}" /><w:family w:val="{family}" /><w:pitch w:val="{pitch}" /></w:font>"#
        ));
    }
    x.push_str("</w:fonts>");
    x
}

const EMPTY_NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>"#;

/// Rewritten package parts by (name, bytes as docx-rs wrote them), for
/// [`postprocess`]: the parts shared by every document are rewritten once.
type PartCache = std::sync::Mutex<std::collections::HashMap<(String, Vec<u8>), Vec<u8>>>;

fn part_cache() -> &'static PartCache {
    static CACHE: std::sync::OnceLock<PartCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Rewrite the package: no theme fonts, core properties with title and author, fixed
/// timestamps on every entry.
fn postprocess(raw: &[u8], doc: &Document) -> Result<Vec<u8>> {
    let err = |e: &dyn std::fmt::Display| Error::msg(format!("生成 DOCX 文件失败（{e}）"));
    let mut zin = zip::ZipArchive::new(Cursor::new(raw)).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stamp = zip::DateTime::from_date_and_time(1980, 1, 1, 0, 0, 0).map_err(|e| err(&e))?;
    // A fast deflate level: a one-page notice grows by a few hundred bytes and is written
    // several times faster than at the default level.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(stamp);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).map_err(|e| err(&e))?;
        let name = f.name().map_err(|e| err(&e))?.to_string();
        if f.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        f.read_to_end(&mut data).map_err(|e| err(&e))?;
        // Every part but the body and the core properties is the same in every document
        // of a batch: rewrite each distinct part once per process.
        let shared = name != "word/document.xml" && name != "docProps/core.xml";
        let cached = if shared {
            part_cache()
                .lock()
                .ok()
                .and_then(|c| c.get(&(name.clone(), data.clone())).cloned())
        } else {
            None
        };
        if let Some(done) = cached {
            data = done;
        } else if name.ends_with(".xml") || name.ends_with(".rels") {
            let key = shared.then(|| (name.clone(), data.clone()));
            if let Ok(text) = String::from_utf8(data.clone()) {
                let mut text = strip_theme_attrs(&text);
                if name == "word/fontTable.xml" {
                    text = font_table_xml();
                }
                if name == "word/styles.xml" {
                    // docx-rs always adds an empty Normal style; ours (with the body font
                    // and size) follows it. Keep only ours.
                    text = text.replacen(EMPTY_NORMAL, "", 1);
                    // No space added between Chinese and Latin letters or digits, and no
                    // punctuation hanging into the margin (Word's and LibreOffice's East
                    // Asian defaults): the PDF sets every character on the grid, and so
                    // must a printed DOCX. docx-rs has no setters for these three.
                    text = text.replacen(
                        "<w:pPrDefault><w:pPr>",
                        r#"<w:pPrDefault><w:pPr><w:overflowPunct w:val="0" /><w:autoSpaceDE w:val="0" /><w:autoSpaceDN w:val="0" />"#,
                        1,
                    );
                }
                // docx-rs cannot write w:firstLineChars: body paragraphs get the two-character
                // indent in character units too (Word prefers it over the twips value).
                let mut text = schema_order(&text).replace(
                    r#"w:firstLine="640""#,
                    r#"w:firstLineChars="200" w:firstLine="640""#,
                );
                if name == "docProps/core.xml" {
                    let author = super::table::xml_escape(&doc.meta.author);
                    text = text
                        .replace(
                            "<dc:creator>unknown</dc:creator>",
                            &format!("<dc:creator>{author}</dc:creator>"),
                        )
                        .replace(
                            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                            &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
                        );
                    if !text.contains("<dc:title>") {
                        if let Some(p) = text.rfind("</cp:coreProperties>") {
                            let title = format!(
                                "<dc:title>{}</dc:title>",
                                super::table::xml_escape(&doc.meta.title)
                            );
                            text.insert_str(p, &title);
                        }
                    }
                }
                data = text.into_bytes();
                if let Some(key) = key {
                    if let Ok(mut c) = part_cache().lock() {
                        // A bound, so that odd inputs cannot grow it without end.
                        if c.len() < 256 {
                            c.insert(key, data.clone());
                        }
                    }
                }
            }
        }
        out.start_file(name, opts).map_err(|e| err(&e))?;
        out.write_all(&data).map_err(|e| err(&e))?;
    }
    let cur = out.finish().map_err(|e| err(&e))?;
    Ok(cur.into_inner())
}

/// Schema order (ECMA-376) of the children of `w:pPr`.
const PPR_ORDER: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];

/// Schema order of the children of `w:rPr`.
const RPR_ORDER: &[&str] = &[
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
];

/// Schema order of the children of `w:sectPr`.
const SECTPR_ORDER: &[&str] = &[
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
];

/// Schema order of the children of `w:style`.
const STYLE_ORDER: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
];

/// The local name of the element starting at `s` (which begins with `<w:`).
fn local_name(s: &str) -> &str {
    let body = s.strip_prefix("<w:").unwrap_or("");
    let end = body.find([' ', '>', '/']).unwrap_or(body.len());
    &body[..end]
}

/// Split the content of an element into its direct children (raw XML strings). Returns
/// `None` when the content is not a plain sequence of `w:` elements.
fn split_children(content: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        if !rest.starts_with("<w:") {
            return None;
        }
        let name = local_name(rest);
        let gt = rest.find('>')?;
        let len = if rest[..gt].ends_with('/') {
            gt + 1
        } else {
            // Find the matching close tag, counting nested elements of the same name.
            let open = format!("<w:{name}");
            let close = format!("</w:{name}>");
            let mut depth = 1usize;
            let mut pos = gt + 1;
            loop {
                let next_close = rest[pos..].find(&close)? + pos;
                let mut scan = pos;
                while let Some(o) = rest[scan..next_close].find(&open) {
                    let at = scan + o;
                    let after = rest[at + open.len()..].chars().next();
                    let tag_end = rest[at..].find('>')? + at;
                    if matches!(after, Some(' ') | Some('>') | Some('/'))
                        && !rest[at..tag_end].ends_with('/')
                    {
                        depth += 1;
                    }
                    scan = at + open.len();
                }
                depth -= 1;
                pos = next_close + close.len();
                if depth == 0 {
                    break pos;
                }
            }
        };
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    Some(out)
}

/// Put the children of every `<w:{tag}>` element in schema order (stable; unknown names
/// last). docx-rs writes some of them out of order (e.g. `w:rFonts` after `w:sz`, `w:rPr`
/// first in `w:pPr`, `w:footerReference` after `w:docGrid`); Word expects the schema order
/// and LibreOffice ignores a `w:framePr` that follows `w:rPr`.
fn reorder_children(xml: &str, tag: &str, order: &[&str]) -> String {
    let open = format!("<w:{tag}");
    let close = format!("</w:{tag}>");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = rest[i + open.len()..].chars().next();
        let Some(gt) = rest[i..].find('>').map(|g| g + i) else {
            break;
        };
        if !matches!(after, Some(' ') | Some('>')) || rest[..gt].ends_with('/') {
            out.push_str(&rest[..i + open.len()]);
            rest = &rest[i + open.len()..];
            continue;
        }
        let Some(end) = rest[gt..].find(&close).map(|e| e + gt) else {
            break;
        };
        let content = &rest[gt + 1..end];
        out.push_str(&rest[..=gt]);
        match split_children(content) {
            Some(mut kids) => {
                kids.sort_by_key(|k| {
                    let n = local_name(k);
                    order.iter().position(|o| *o == n).unwrap_or(order.len())
                });
                for k in kids {
                    out.push_str(k);
                }
            }
            None => out.push_str(content),
        }
        out.push_str(&close);
        rest = &rest[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// Apply every schema-order fix to one XML part.
fn schema_order(xml: &str) -> String {
    let x = reorder_children(xml, "pPr", PPR_ORDER);
    let x = reorder_children(&x, "rPr", RPR_ORDER);
    let x = reorder_children(&x, "sectPr", SECTPR_ORDER);
    reorder_children(&x, "style", STYLE_ORDER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{printed_text, samples};

    fn part(docx: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(Cursor::new(docx)).expect("zip");
        let mut f = z.by_name(name).expect("part");
        let mut s = String::new();
        f.read_to_string(&mut s).expect("utf-8");
        s
    }

    /// The text of every `w:t` in order.
    fn texts(xml: &str) -> String {
        let mut out = String::new();
        let mut rest = xml;
        while let Some(i) = rest.find("<w:t") {
            let after = &rest[i + 4..];
            if !(after.starts_with('>') || after.starts_with(' ')) {
                rest = after;
                continue;
            }
            let Some(gt) = after.find('>') else { break };
            let Some(end) = after.find("</w:t>") else {
                break;
            };
            out.push_str(&after[gt + 1..end]);
            rest = &after[end..];
        }
        out.replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
    }

    #[test]
    fn recommendation_docx_layout_and_text() {
        let doc = samples::recommendation();
        let bytes = write_docx(&doc).expect("docx");
        assert!(
            bytes == write_docx(&doc).expect("docx"),
            "same input, same bytes"
        );
        let d = part(&bytes, "word/document.xml");
        assert!(
            d.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#),
            "page size"
        );
        for m in [
            r#"w:top="2098""#,
            r#"w:left="1587""#,
            r#"w:right="1474""#,
            r#"w:bottom="1984""#,
        ] {
            assert!(d.contains(m), "margin {m}");
        }
        assert!(d.contains(r#"<w:docGrid w:type="lines" w:linePitch="579" />"#));
        let st = part(&bytes, "word/styles.xml");
        assert!(
            st.contains(r#"<w:spacing w:val="-5" />"#),
            "character pitch 15.75 pt"
        );
        assert!(d.contains(r#"w:line="579" w:lineRule="exact""#));
        assert!(d.contains(r#"w:firstLineChars="200""#) && d.contains(r#"w:firstLine="640""#));
        for name in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"] {
            assert!(
                d.contains(&format!(r#"w:eastAsia="{name}""#)),
                "font {name}"
            );
        }
        // Red mark and red rule.
        assert!(d.contains(r#"<w:color w:val="FF0000" />"#));
        assert!(d.contains(r#"w:color="FF0000""#));
        // The record block is framed at the bottom of the type area.
        assert!(d.contains(r#"w:yAlign="bottom""#));
        let text = texts(&d);
        assert_eq!(text, printed_text(&doc).concat());
        // rFonts before sz (schema order) everywhere.
        assert!(!d.contains(r#"<w:sz w:val="32" /><w:szCs w:val="32" /><w:rFonts"#));
    }

    #[test]
    fn no_theme_fonts_and_styles_name_fonts() {
        let bytes = write_docx(&samples::recommendation()).expect("docx");
        let mut z = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip");
        let names: Vec<String> = (0..z.len())
            .map(|i| {
                z.by_index(i)
                    .expect("entry")
                    .name()
                    .expect("name")
                    .to_string()
            })
            .collect();
        for n in &names {
            let mut s = String::new();
            z.by_name(n)
                .expect("part")
                .read_to_string(&mut s)
                .expect("utf-8");
            assert!(!s.contains("Theme=\""), "theme font attribute in {n}");
            let f = z.by_name(n).expect("part");
            let t = f.last_modified().expect("time");
            assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{n}");
        }
        assert!(!names.iter().any(|n| n.contains("theme")), "{names:?}");
        let styles = part(&bytes, "word/styles.xml");
        assert_eq!(styles.matches(r#"w:styleId="Normal""#).count(), 1);
        assert!(styles.contains(r#"w:eastAsia="仿宋_GB2312""#));
        let settings = part(&bytes, "word/settings.xml");
        assert!(settings.contains("<w:evenAndOddHeaders"));
        let footer = part(&bytes, "word/footer1.xml") + &part(&bytes, "word/footer2.xml");
        assert_eq!(footer.matches("PAGE").count(), 2);
        let core = part(&bytes, "docProps/core.xml");
        assert!(
            core.contains("<dc:creator>中共XX县纪律检查委员会</dc:creator>"),
            "{core}"
        );
    }

    #[test]
    fn letter_docx_has_the_letterhead_on_its_first_page() {
        let doc = samples::letter();
        let bytes = write_docx(&doc).expect("docx");
        let d = part(&bytes, "word/document.xml");
        assert!(d.contains(r#"<w:headerReference w:type="first""#), "{d}");
        assert!(d.contains(r#"<w:footerReference w:type="first""#));
        assert!(d.contains("<w:titlePg />"));
        // The number in the body, flush right at a tab; the mark only in the header.
        assert!(d.contains("X纪函〔2022〕2号") && !d.contains("中共XX县纪委监委</w:t>"));
        let header = part(&bytes, "word/header1.xml");
        assert!(header.contains("中共XX县纪委监委") && header.contains("thickThinSmallGap"));
        let footers: String = (1..=3)
            .map(|i| part(&bytes, &format!("word/footer{i}.xml")))
            .collect();
        assert!(footers.contains("thinThickSmallGap"));
    }

    #[test]
    fn talk_notice_docx_has_cut_lines() {
        let doc = samples::talk_notice();
        let bytes = write_docx(&doc).expect("docx");
        let d = part(&bytes, "word/document.xml");
        assert_eq!(d.matches(r#"w:val="dashed""#).count(), 2);
        assert_eq!(texts(&d), printed_text(&doc).concat());
    }

    #[test]
    fn reorder_puts_children_in_schema_order() {
        let x = r#"<w:p><w:pPr><w:rPr><w:sz w:val="1" /><w:rFonts w:ascii="a" /></w:rPr><w:jc w:val="both" /><w:framePr w:w="1" /></w:pPr></w:p>"#;
        assert_eq!(
            schema_order(x),
            r#"<w:p><w:pPr><w:framePr w:w="1" /><w:jc w:val="both" /><w:rPr><w:rFonts w:ascii="a" /><w:sz w:val="1" /></w:rPr></w:pPr></w:p>"#
        );
    }

    #[test]
    fn strips_theme_attributes() {
        let x = r#"<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsia="仿宋_GB2312" w:eastAsiaTheme="minorEastAsia" />"#;
        assert_eq!(
            strip_theme_attrs(x),
            r#"<w:rFonts w:eastAsia="仿宋_GB2312" />"#
        );
    }
}
