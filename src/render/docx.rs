//! The DOCX writer: the same [`Document`] as the PDF writer, as a Word file on the GB/T 9704
//! grid (A4, margins 37/28/26/35 mm, 22 lines of exactly 579 twips, 28 characters a line).
//!
//! Written through [`super::wml`] in one pass: every style and run names its fonts by role
//! (no theme fonts), the title and author are in the core properties, and every zip entry
//! has a fixed timestamp, so the same input gives the same bytes.
//!
//! The record block (版记) is a pair of framed paragraphs anchored to the bottom of the
//! type area (`w:framePr w:vAnchor="margin" w:yAlign="bottom"`) in the paragraph flow of the
//! last page: Word and LibreOffice both place the frame on the page of its anchor, at the
//! bottom, however long the body is.

use std::sync::OnceLock;

use unicode_width::UnicodeWidthChar;

use super::fonts::Role;
use super::linebreak::break_balanced;
use super::model::{Align, Break, Document, Header, Para, Record, Section, Signature};
use super::wml::{
    self, Border, Indent, Inline, Package, Page, Pages, ParaProps, Paragraph, Run, RunProps, Side,
    Spacing, Tab,
};
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
const BODY: u32 = 32;
const TITLE: u32 = 44;
const SMALL: u32 = 28;
const RED: &str = "FF0000";

fn props(role: Role, size: u32) -> RunProps {
    RunProps::font(role.docx_name(), size)
}

fn run(text: &str, role: Role, size: u32) -> Run {
    Run::new(props(role, size)).text(text)
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
fn runs(text: &str, role: Role, size: u32) -> Vec<Run> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<&'static str> = None;
    let flush = |out: &mut Vec<Run>, seg: &str, font: Option<&'static str>| {
        if seg.is_empty() {
            return;
        }
        out.push(match font {
            None => run(seg, role, size),
            Some(name) => Run::new(RunProps {
                hint_east_asia: true,
                ..RunProps::font(name, size)
            })
            .text(seg),
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

fn red(runs: Vec<Run>) -> Vec<Run> {
    runs.into_iter().map(|r| r.color(RED)).collect()
}

/// A paragraph on the grid: exact 579-twip lines, 仿宋 by default.
fn para() -> Paragraph {
    Paragraph::new(Spacing::exact(LINE)).mark(props(Role::FangSong, BODY))
}

/// A body paragraph: justified, the first line indented two characters (in character
/// units too, which Word prefers over the twips value).
fn body_para() -> Paragraph {
    para().align(wml::Align::Both).indentation(Indent {
        first_line: 2 * 320,
        first_line_chars: Some(200),
        ..Default::default()
    })
}

/// Width of `c` in grid cells (a half-width character counts half).
fn cell(c: char) -> f32 {
    match c.width() {
        Some(2) => 1.0,
        Some(w) => w as f32 * 0.5,
        None => 0.0,
    }
}

/// Width of `text` in grid cells.
fn cells(text: &str) -> f32 {
    text.chars().map(cell).sum()
}

fn border(side: Side, style: &'static str, size: u32, space: u32, color: &'static str) -> Border {
    Border {
        side,
        style,
        size,
        space,
        color,
    }
}

fn right_tab(pos: i32) -> Tab {
    Tab {
        kind: "right",
        leader: None,
        pos,
    }
}

struct Writer {
    paras: Vec<Paragraph>,
    /// The next paragraph starts a new page.
    page_break: bool,
    /// The authority of a letter (信函格式), whose letterhead is the first page's header.
    letter: Option<String>,
    /// Drawings (text boxes) so far, for their ids.
    drawings: u32,
}

/// Lines the 抄送 text takes in the 版记 at 4 号 on the grid's character spacing (13.75 pt a
/// character): the first from one character in, the rest under the first recipient.
fn record_lines(cc: &str) -> i32 {
    let size = SMALL as f32 / 2.0;
    let pitch = size - 0.25;
    let hang = 3.0 * size;
    let lines = crate::render::linebreak::break_lines(
        cc,
        |c| cell(c) * pitch,
        crate::render::linebreak::Params {
            width: AREA_W as f32 / 20.0 - 2.0 * size - hang,
            first_indent: -hang,
            squeeze: size / 2.0,
        },
    );
    lines.len().max(1) as i32
}

impl Writer {
    fn push(&mut self, mut p: Paragraph) {
        if self.page_break {
            self.page_break = false;
            p.props.page_break_before = true;
        }
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
                p.props.keep_next = true;
                p.props.keep_lines = true;
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
                    .align(wml::Align::Both)
                    .runs(runs(a, Role::FangSong, BODY)),
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
                let mut p = para().align(wml::Align::Both);
                if i == 0 {
                    p = p
                        .indent(5 * CELL + number, 0, -(3 * CELL + number))
                        .runs(runs("附件：", Role::FangSong, BODY));
                } else {
                    p = p.indent(5 * CELL + number, 0, -number);
                }
                self.push(p.runs(runs(&text, Role::FangSong, BODY)));
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
            self.push(body_para().runs(runs(&text, Role::FangSong, BODY)));
        }
        for (i, a) in s.appendices.iter().enumerate() {
            self.page_break = true;
            let label = crate::render::model::appendix_label(i, s.appendices.len());
            self.push(para().runs(runs(&label, Role::Hei, BODY)));
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
            Para::Text(t) => self.push(body_para().runs(runs(t, Role::FangSong, BODY))),
            Para::Heading {
                level,
                heading,
                rest,
            } => {
                let role = Role::for_heading(*level);
                let mut p = body_para().runs(runs(heading, role, BODY));
                if let Some(r) = rest {
                    p = p.runs(runs(r, Role::FangSong, BODY));
                }
                self.push(p);
            }
            Para::Line { text, align } => {
                let p = match align {
                    Align::Left => para().align(wml::Align::Left),
                    Align::Center => para().align(wml::Align::Center),
                    Align::Right(n) => {
                        para()
                            .align(wml::Align::Right)
                            .indent(0, i32::from(*n) * CELL, 0)
                    }
                };
                self.push(p.runs(runs(text, Role::FangSong, BODY)));
            }
            Para::Blank => self.blank(),
        }
    }

    /// A letter's first lines (its mark and rules are the first page's header): 份号,
    /// 密级, 紧急程度 flush left and the 发文字号 flush right, on the line under the rule.
    fn letter_head(&mut self, h: &Header) {
        self.letter = Some(h.authority.clone());
        let mut p = para().align(wml::Align::Left).tab(right_tab(AREA_W));
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
                p = p.runs(runs("　", Role::FangSong, BODY));
            }
            p = p.runs(runs(t, role, BODY));
        }
        if let Some(n) = &h.doc_number {
            p = p
                .run(Run::new(props(Role::FangSong, BODY)).item(Inline::Tab))
                .runs(runs(n, Role::FangSong, BODY));
        }
        self.push(p);
    }

    fn header(&mut self, h: &Header) {
        let mut used = 0;
        if let Some(c) = &h.copy_number {
            self.push(para().runs(runs(c, Role::FangSong, BODY)));
            used += LINE;
        }
        for t in [&h.classification, &h.urgency].into_iter().flatten() {
            self.push(para().runs(runs(t, Role::Hei, BODY)));
            used += LINE;
        }
        // The mark: at most 15 mm high and never wider than the type area; its top edge
        // 35 mm (1984 twips) below the top of the type area.
        let em = cells(&h.authority).max(1.0);
        let size_pt = (15.0 * 72.0 / 25.4f32)
            .min(AREA_W as f32 / 20.0 / em)
            .floor();
        let size = (size_pt * 2.0) as u32;
        let line = (size_pt * 20.0 * 1.2) as i32;
        let before = (1984 - used).max(0) as u32;
        self.push(
            Paragraph::new(Spacing {
                before: Some(before),
                ..Spacing::exact(line)
            })
            .align(wml::Align::Center)
            .runs(red(runs(&h.authority, Role::XiaoBiaoSong, size))),
        );
        // Two blank lines, the number, and the red rule 4 mm (about 11 pt) below it.
        self.blank();
        self.blank();
        let number = h.doc_number.clone().unwrap_or_default();
        let p = match &h.signer {
            // With a 签发人: the number flush left one character in, the signer at a right
            // tab one character from the right edge.
            Some(signer) => para()
                .align(wml::Align::Left)
                .indent(CELL, 0, 0)
                .tab(right_tab(AREA_W - CELL))
                .runs(runs(&number, Role::FangSong, BODY))
                .run(Run::new(props(Role::FangSong, BODY)).item(Inline::Tab))
                .runs(runs("签发人：", Role::FangSong, BODY))
                .runs(runs(signer, Role::Kai, BODY)),
            None => para()
                .align(wml::Align::Center)
                .runs(runs(&number, Role::FangSong, BODY)),
        };
        self.push(p.border(border(Side::Bottom, "single", 8, 11, RED)));
    }

    fn title(&mut self, t: &str) {
        // Break like the PDF writer (balanced lines, words whole), with explicit breaks.
        let mut p = para().align(wml::Align::Center);
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
                if !first {
                    p = p.run(Run::new(props(Role::XiaoBiaoSong, TITLE)).item(Inline::LineBreak));
                }
                p = p.runs(runs(l.text(part).trim_end(), Role::XiaoBiaoSong, TITLE));
                first = false;
            }
        }
        self.push(p);
    }

    fn signature(&mut self, s: &Signature) {
        // The last body line and the blank below it stay with the signature, so that no
        // page holds the signature (and its seal) alone.
        let n = self.paras.len();
        for p in &mut self.paras[n.saturating_sub(2)..] {
            p.props.keep_next = true;
        }
        let iw = cells(&s.issuer);
        let dw = cells(&s.date);
        let (issuer_right, date_right) = if s.sealed {
            // §7.3.5.1: the date four characters from the right, the issuer centred over
            // it, a second blank line above them for the seal.
            self.push(para().keep_next());
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
                    .align(wml::Align::Right)
                    .indent(0, (right * CELL as f32) as i32, 0)
                    .keep_next()
                    .runs(runs(text, Role::FangSong, BODY)),
            );
        }
        if s.sealed {
            // The seal's lower part below the date, kept clear of the 版记 as the PDF does.
            self.push(para());
        }
    }

    /// 版记: a text box anchored to the bottom of the type area of the last page, holding a
    /// one-column table whose rows are its lines on the grid, as in the PDF, and whose row
    /// borders are its rules across the type area: 0.35 mm (1 pt) the first and the last,
    /// 0.25 mm (¾ pt) between 抄送 and 印发; none in a letter. Not framed paragraphs, as
    /// before: LibreOffice drops a frame whose paragraphs carry borders, and the tab leaders
    /// that stood for the rules printed as dotted lines; not paragraph borders, which stop at
    /// the paragraph's indents.
    fn record(&mut self, r: &Record) {
        let has_print = !r.printer.is_empty() || !r.print_date.is_empty();
        if r.cc.is_empty() && !has_print {
            return;
        }
        let rules = self.letter.is_none();
        let rule =
            |side, thick: bool| border(side, "single", if thick { 8 } else { 6 }, 0, "000000");
        let line = || Paragraph::new(Spacing::exact(LINE)).mark(props(Role::FangSong, SMALL));
        let mut rows = Vec::new();
        let mut lines = 0;
        if !r.cc.is_empty() {
            let mut cc = format!("抄送：{}", r.cc.join("，"));
            if !cc.ends_with('。') {
                cc.push('。');
            }
            // Continuation lines align after 抄送： (a hanging indent of three characters).
            let p = line()
                .align(wml::Align::Both)
                .indent(3 * 280, 0, -(3 * 280))
                .runs(runs(&cc, Role::FangSong, SMALL));
            let mut borders = Vec::new();
            if rules {
                // Below it the thin rule before 印发, or the last, thick one.
                borders = vec![rule(Side::Top, true), rule(Side::Bottom, !has_print)];
            }
            rows.push(wml::Cell {
                borders,
                paragraphs: vec![p],
            });
            lines += record_lines(&cc);
        }
        if has_print {
            let p = line()
                .tab(right_tab(AREA_W - 560))
                .runs(runs(&r.printer, Role::FangSong, SMALL))
                .run(
                    Run::new(props(Role::FangSong, SMALL))
                        .item(Inline::Tab)
                        .text(format!("{}印发", r.print_date)),
                );
            let mut borders = Vec::new();
            if rules {
                if r.cc.is_empty() {
                    borders.push(rule(Side::Top, true));
                }
                borders.push(rule(Side::Bottom, true));
            }
            rows.push(wml::Cell {
                borders,
                paragraphs: vec![p],
            });
            lines += 1;
        }
        let table = wml::Table {
            width: AREA_W,
            // One character of space left and right.
            cell_margins: (280, 280),
            rows,
        };
        self.drawings += 1;
        let text_box = wml::TextBox {
            id: self.drawings,
            width: AREA_W,
            height: lines * LINE,
            // Its last line on the type area's last.
            top: PAGE_H as i32 - BOTTOM - lines * LINE,
            table,
        };
        self.push(
            Paragraph::hairline().run(Run::default().item(Inline::TextBox(Box::new(text_box)))),
        );
    }

    /// A paragraph with 裁剪线 on a dashed rule across the type area.
    fn cut_line(&mut self) {
        let p = para()
            .align(wml::Align::Center)
            .runs(runs("（裁剪线）", Role::FangSong, 24))
            .border(border(Side::Bottom, "dashed", 6, 0, "000000"));
        self.push(p);
    }
}

/// Size, in half-points, of a letterhead's mark (一号, fitted to the type area).
fn letter_mark_size(authority: &str) -> u32 {
    let em = cells(authority).max(1.0);
    let pt = 26.0f32.min(AREA_W as f32 / 20.0 / em).floor();
    (pt * 2.0) as u32
}

/// How far a letter's rules reach past each side of the type area (170 mm against 156 mm).
fn letter_overhang() -> i32 {
    ((170.0 - 156.0) / 2.0 * TWIPS_PER_MM) as i32
}

/// The first page's header of a letter (信函格式): the red mark, its top about 30 mm below
/// the top of the page, and under it the red double rule (thick over thin), 170 mm long.
/// In the header, so that the body starts below it as on the PDF.
fn letter_header(authority: &str) -> Paragraph {
    let size = letter_mark_size(authority);
    // 30 mm from the top of the page, less the 15 mm header distance.
    let before = (15.0 * TWIPS_PER_MM) as u32;
    let wide = letter_overhang();
    Paragraph::new(Spacing {
        before: Some(before),
        ..Spacing::exact((size as i32) * 12)
    })
    .align(wml::Align::Center)
    .indent(-wide, -wide, 0)
    .runs(red(runs(authority, Role::XiaoBiaoSong, size)))
    .border(border(Side::Bottom, "thickThinSmallGap", 24, 11, RED))
}

/// The first page's footer of a letter: the red double rule (thin over thick) about 20 mm
/// above the bottom of the page, and no page number. A bottom border, as the header's rule:
/// the order of a double border's lines is counted from the text, so a top border of
/// `thinThickSmallGap` printed thick over thin (LibreOffice).
fn letter_footer() -> Paragraph {
    let wide = letter_overhang();
    Paragraph::hairline().indent(-wide, -wide, 0).border(border(
        Side::Bottom,
        "thinThickSmallGap",
        24,
        0,
        RED,
    ))
}

/// The page number: "— N —", 4 号 宋体, one character in from the outer edge.
fn footer(odd: bool) -> Paragraph {
    let p = Paragraph::new(Spacing::exact(320)).mark(props(Role::Song, SMALL));
    let p = if odd {
        p.align(wml::Align::Right).indent(0, 280, 0)
    } else {
        p.align(wml::Align::Left).indent(280, 0, 0)
    };
    p.run(run("— ", Role::Song, SMALL))
        .run(Run::new(props(Role::Song, SMALL)).item(Inline::Field("PAGE")))
        .run(run(" —", Role::Song, SMALL))
}

/// Write one document as DOCX.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>> {
    let mut w = Writer {
        paras: Vec::new(),
        page_break: false,
        letter: None,
        drawings: 0,
    };
    for s in &doc.sections {
        w.section(s);
    }
    // The document's defaults: the body font and size, the character spacing that gives
    // 28 characters a line, exact lines, and no space added around digits or punctuation
    // hanging into the margin (the PDF sets every character on the grid, and so must a
    // printed DOCX).
    let defaults = (
        RunProps {
            spacing: Some(CHAR_SPACING),
            ..props(Role::FangSong, BODY)
        },
        ParaProps {
            east_asian_grid: true,
            spacing: Some(Spacing::exact(LINE)),
            ..Default::default()
        },
    );
    // A line grid of 579 twips. The 28 characters a line come from character spacing
    // (16 pt − 0.25 pt = 15.75 pt a character, 28 of them in the 156 mm type area), not
    // from a `linesAndChars` grid: LibreOffice 7.4 spreads every character over about two
    // cells when that grid has a negative `charSpace` (checked by printing through it), so
    // the same file would not look the same in Word and LibreOffice.
    let page = Page {
        width: PAGE_W,
        height: PAGE_H,
        landscape: false,
        margins: [TOP, RIGHT, BOTTOM, LEFT],
        header: 851,
        // The page number's top 7 mm below the type area: 35 − 7 = 28 mm from the
        // bottom edge, less one 14 pt line.
        footer: 1587 - 320,
        line_pitch: Some(LINE as u32),
    };
    let mut pkg = Package::new(page, defaults);
    pkg.title = doc.meta.title.clone();
    pkg.author = doc.meta.author.clone();
    if let Some((y, m, d)) = doc.meta.date {
        pkg.date = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
    }
    pkg.fonts = wml::CHINESE_FONTS;
    pkg.footers.push((Pages::Default, vec![footer(true)]));
    pkg.footers.push((Pages::Even, vec![footer(false)]));
    if let Some(a) = &w.letter {
        pkg.headers.push((Pages::First, vec![letter_header(a)]));
        pkg.footers.push((Pages::First, vec![letter_footer()]));
    }
    let err = |e: std::io::Error| Error::msg(format!("生成 DOCX 文件失败（{e}）"));
    for p in &w.paras {
        pkg.body.paragraph(p).map_err(err)?;
    }
    pkg.finish().map_err(err)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

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
            d.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#),
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
        assert!(d.contains(r#"<w:docGrid w:type="lines" w:linePitch="579"/>"#));
        let st = part(&bytes, "word/styles.xml");
        assert!(
            st.contains(r#"<w:spacing w:val="-5"/>"#),
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
        assert!(d.contains(r#"<w:color w:val="FF0000"/>"#));
        assert!(d.contains(r#"w:color="FF0000""#));
        // The record block: a text box on the last lines of the type area, holding a table
        // whose cell borders are the rules (1 pt first and last, ¾ pt between), no tab
        // leaders standing for them.
        let top = (PAGE_H as i32 - BOTTOM - 2 * LINE) as i64 * 635;
        assert!(
            d.contains(&format!(
                r#"<wp:positionV relativeFrom="page"><wp:posOffset>{top}</wp:posOffset>"#
            )),
            "{d}"
        );
        let record = &d[d.find("<w:txbxContent>").expect("text box")..];
        assert!(record.contains("抄送：") && record.contains("印发"));
        assert_eq!(record.matches(r#"w:val="single" w:sz="8""#).count(), 2);
        assert_eq!(record.matches(r#"w:val="single" w:sz="6""#).count(), 1);
        assert!(!d.contains("w:leader="));
        assert_eq!(d.matches("<wp:docPr ").count(), 1);
        let text = texts(&d);
        assert_eq!(text, printed_text(&doc).concat());
        // rFonts before sz (schema order) everywhere.
        assert!(!d.contains(r#"<w:sz w:val="32"/><w:szCs w:val="32"/><w:rFonts"#));
        assert!(d.contains(r#"<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>"#));
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
        assert!(d.contains("<w:titlePg/>"));
        // The number in the body, flush right at a tab; the mark only in the header.
        assert!(d.contains("X纪函〔2022〕2号") && !d.contains("中共XX县纪委监委</w:t>"));
        let header = part(&bytes, "word/header1.xml");
        assert!(header.contains("中共XX县纪委监委") && header.contains("thickThinSmallGap"));
        let footers: String = (1..=3)
            .map(|i| part(&bytes, &format!("word/footer{i}.xml")))
            .collect();
        assert!(footers.contains(r#"<w:bottom w:val="thinThickSmallGap""#));
        // The letter's 版记 has no rules.
        let record = &d[d.find("<w:txbxContent>").expect("text box")..];
        assert!(record.contains("抄送：县教育局党组。"), "{record}");
        assert!(!record.contains(r#"w:val="single""#), "{record}");
    }

    #[test]
    fn a_long_cc_list_takes_more_lines_of_the_record() {
        assert_eq!(record_lines("抄送：县委办公室，县政府办公室。"), 1);
        let many: Vec<String> = (1..=12).map(|i| format!("第{i}协作区纪检监察组")).collect();
        let cc = format!("抄送：{}。", many.join("，"));
        // 12 names of 8 to 9 characters, 27 characters a line after 抄送：.
        let n = record_lines(&cc);
        assert!((4..=5).contains(&n), "{n}");
        let mut doc = samples::recommendation();
        let r = doc
            .sections
            .iter_mut()
            .find_map(|s| s.record.as_mut())
            .expect("record");
        r.cc = many;
        let d = part(&write_docx(&doc).expect("docx"), "word/document.xml");
        let top = (PAGE_H as i32 - BOTTOM - (n + 1) * LINE) as i64 * 635;
        assert!(d.contains(&format!("<wp:posOffset>{top}</wp:posOffset>")));
    }

    #[test]
    fn talk_notice_docx_has_cut_lines() {
        let doc = samples::talk_notice();
        let bytes = write_docx(&doc).expect("docx");
        let d = part(&bytes, "word/document.xml");
        assert_eq!(d.matches(r#"w:val="dashed""#).count(), 2);
        assert_eq!(texts(&d), printed_text(&doc).concat());
    }
}
