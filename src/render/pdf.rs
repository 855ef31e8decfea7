//! The PDF writer: lays a [`Document`] out on the GB/T 9704 grid (A4, 22 lines × 28
//! characters) into pages of [`Mark`]s, which [`file`] writes as PDF, fonts embedded and
//! subset.
//!
//! Layout is line-based: every element sits on a line of the grid (pitch 225 mm / 22), and
//! paragraphs flow across pages. Text is placed line by line with absolute text matrices,
//! in reading order, so it copies out in order. No clock is read: file dates come from
//! [`Meta::date`](super::model::Meta) or the Unix epoch, font resource names are fixed and
//! the file identifier is a hash of the content, so the same input gives the same bytes.

mod file;

pub use file::{Encoded, MergedPdf};

use super::fonts::{Fonts, Role};
use super::linebreak::{break_balanced, break_lines_at, Params};
use super::model::{Align, Break, Document, Header, Para, Record, Section, Signature};
use crate::error::{Error, Result};

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
/// A4 width and height in millimetres.
const PAGE_W_MM: f32 = 210.0;
const PAGE_H_MM: f32 = 297.0;
/// Left edge of the type area, in points.
const LEFT: f32 = 28.0 * MM;
/// Width of the type area (156 mm), in points.
const WIDTH: f32 = 156.0 * MM;
/// Top edge of the type area, from the bottom of the page, in points.
const TOP: f32 = (PAGE_H_MM - 37.0) * MM;
/// Bottom edge of the type area, in points.
const BOTTOM: f32 = 35.0 * MM;
/// Lines per page.
pub const LINES: usize = 22;
/// Line pitch: 225 mm / 22.
const PITCH: f32 = 225.0 * MM / LINES as f32;
/// Character pitch: 156 mm / 28.
const CELL: f32 = WIDTH / 28.0;
/// 3号 (body).
const BODY: f32 = 16.0;
/// 2号 (title).
const TITLE: f32 = 22.0;
/// 4号 (record block, page numbers).
const SMALL: f32 = 14.0;
/// Where the ideographic em box's centre sits above the baseline, in ems.
const EM_CENTRE: f32 = 0.38;
/// Grid lines a sealed signature takes (GB/T 9704 §7.3.5.1) after the blank line below the
/// body: a second blank line, the issuer, the date, and one line for the lower part of a
/// 42 mm seal (4.1 lines across) whose top is within a line of the body.
const SEAL_LINES: usize = 4;
/// Size of the 信函格式 mark (一号, 26 pt) before fitting it to the type area.
const LETTER_MARK: f32 = 26.0;
/// The smallest size at which a 发文机关标志 stays on one line: a longer authority is set
/// on two lines rather than shrunk further (about 15 characters).
const MARK_ONE_LINE: f32 = 30.0;

/// An RGB colour, each part from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub [f32; 3]);

fn red() -> Color {
    Color([1.0, 0.0, 0.0])
}

fn black() -> Color {
    Color([0.0, 0.0, 0.0])
}

/// One thing drawn on a page, in points from the page's lower left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A run of text in one font on one baseline.
    Text {
        /// The font.
        role: Role,
        /// Font size.
        size: f32,
        /// Start of the baseline.
        x: f32,
        /// The baseline.
        y: f32,
        /// Space added after every character.
        tracking: f32,
        /// Fill colour.
        color: Color,
        /// The characters, without control characters.
        text: String,
    },
    /// A horizontal rule from `x0` to `x1`.
    Rule {
        /// Start.
        x0: f32,
        /// End.
        x1: f32,
        /// Height of the rule's centre line.
        y: f32,
        /// Thickness.
        width: f32,
        /// Stroke colour.
        color: Color,
        /// Dash and gap lengths, or solid.
        dash: Option<[f32; 2]>,
    },
}

/// A run of text in one font.
#[derive(Debug, Clone)]
struct Run {
    text: String,
    role: Role,
}

/// Horizontal placement of a paragraph's lines.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// From the left edge plus an indent; justify full lines.
    Justify,
    /// Flush left, not justified.
    Left,
    /// Centred.
    Center,
    /// Flush right with this many cells of space.
    Right(f32),
}

/// The last line of running text drawn, so that it can be carried over to the next page
/// with the signature (a page may not hold the signature alone).
#[derive(Debug, Clone)]
struct DrawnLine {
    page: usize,
    ops: std::ops::Range<usize>,
    runs: Vec<Run>,
    x: f32,
    size: f32,
    tracking: f32,
    color: Color,
}

/// The pages of one document being laid out.
struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Mark>>,
    /// The next free grid line on the last page.
    line: usize,
    last_line: Option<DrawnLine>,
    /// Page and first grid line below a seal's room (sealed signatures), which the 版记
    /// and a 附注 must keep clear of.
    seal_bottom: Option<(usize, usize)>,
    /// A letter (信函格式): no page number on the first page, no rules in the 版记.
    unnumbered_first: bool,
    /// Pages (0-based) that carry no number: a blank page before an even-page 版记, and
    /// that page.
    unnumbered: Vec<usize>,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            line: 0,
            last_line: None,
            seal_bottom: None,
            unnumbered_first: false,
            unnumbered: Vec::new(),
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.line = 0;
    }

    /// Make sure the current line exists on the page.
    fn ensure_line(&mut self) {
        if self.line >= LINES {
            self.new_page();
        }
    }

    fn blank(&mut self, n: usize) {
        // Blank lines at the top of a page are dropped.
        if self.line > 0 {
            self.line = (self.line + n).min(LINES);
        }
    }

    fn ops(&mut self) -> &mut Vec<Mark> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Baseline of grid line `line` for text of `size`.
    fn baseline(line: usize, size: f32) -> f32 {
        TOP - line as f32 * PITCH - PITCH / 2.0 - EM_CENTRE * size
    }

    fn width_of(&self, role: Role, size: f32, c: char, tracking: f32) -> f32 {
        self.fonts.advance(role, c) * size + tracking
    }

    /// Draw runs on one baseline starting at `x`, with `tracking` after every character.
    fn draw_runs(&mut self, runs: &[Run], x: f32, y: f32, size: f32, tracking: f32, color: Color) {
        let mut x = x;
        let mut marks = Vec::with_capacity(runs.len());
        for run in runs {
            let text: String = run.text.chars().filter(|c| !c.is_control()).collect();
            if text.is_empty() {
                continue;
            }
            let start = x;
            x += text
                .chars()
                .map(|c| self.width_of(run.role, size, c, tracking))
                .sum::<f32>();
            marks.push(Mark::Text {
                role: run.role,
                size,
                x: start,
                y,
                tracking,
                color,
                text,
            });
        }
        self.ops().extend(marks);
    }

    fn rule(&mut self, y: f32, thickness: f32, color: Color, dash: Option<[f32; 2]>) {
        self.rule_span(LEFT, LEFT + WIDTH, y, thickness, color, dash);
    }

    fn rule_span(
        &mut self,
        x0: f32,
        x1: f32,
        y: f32,
        thickness: f32,
        color: Color,
        dash: Option<[f32; 2]>,
    ) {
        self.ops().push(Mark::Rule {
            x0,
            x1,
            y,
            width: thickness,
            color,
            dash,
        });
    }

    /// Lay out a paragraph made of runs, flowing across pages.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        runs: &[Run],
        size: f32,
        first_indent_cells: f32,
        left_cells: f32,
        right_cells: f32,
        place: Place,
        color: Color,
    ) {
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        if text.is_empty() {
            self.ensure_line();
            self.line += 1;
            return;
        }
        // Byte offset where each run ends, to find a character's font.
        let mut bounds = Vec::with_capacity(runs.len());
        let mut acc = 0;
        for r in runs {
            acc += r.text.len();
            bounds.push((acc, r.role));
        }
        let role_at = |byte: usize| {
            bounds
                .iter()
                .find(|(end, _)| byte < *end)
                .map_or(Role::FangSong, |(_, r)| *r)
        };
        let cell = if size == BODY { CELL } else { size };
        let tracking = if size == BODY { CELL - BODY } else { 0.0 };
        let avail = WIDTH - (left_cells + right_cells) * cell;
        let p = Params {
            width: avail,
            first_indent: first_indent_cells * cell,
            squeeze: cell,
        };
        let fonts = self.fonts;
        let width_at = |b: usize, c: char| fonts.advance(role_at(b), c) * size + tracking;
        let lines = break_lines_at(&text, width_at, p);
        for l in lines {
            self.ensure_line();
            let line_avail = avail - l.indent;
            let mut t = tracking;
            let full = !l.last || l.width > line_avail;
            if matches!(place, Place::Justify) && full && l.visible > 1 {
                let extra = (line_avail - l.width) / (l.visible - 1) as f32;
                if extra <= size / 2.0 {
                    t += extra;
                }
            } else if l.width > line_avail && l.visible > 1 {
                t += (line_avail - l.width) / (l.visible - 1) as f32;
            }
            let drawn = l.width.min(line_avail);
            let x = match place {
                Place::Justify | Place::Left => LEFT + left_cells * cell + l.indent,
                Place::Center => LEFT + (WIDTH - drawn) / 2.0,
                Place::Right(n) => LEFT + WIDTH - n * cell - drawn,
            };
            // Split the line into runs.
            let mut line_runs: Vec<Run> = Vec::new();
            for (i, c) in text[l.start..l.end].char_indices() {
                let role = role_at(l.start + i);
                match line_runs.last_mut() {
                    Some(r) if r.role == role => r.text.push(c),
                    _ => line_runs.push(Run {
                        text: c.to_string(),
                        role,
                    }),
                }
            }
            let y = Self::baseline(self.line, size);
            let start = self.ops().len();
            self.draw_runs(&line_runs, x, y, size, t, color);
            self.last_line = Some(DrawnLine {
                page: self.pages.len() - 1,
                ops: start..self.ops().len(),
                runs: line_runs,
                x,
                size,
                tracking: t,
                color,
            });
            self.line += 1;
        }
    }

    fn simple(&mut self, text: &str, role: Role, size: f32, first_indent: f32, place: Place) {
        self.paragraph(
            &[Run {
                text: text.to_string(),
                role,
            }],
            size,
            first_indent,
            0.0,
            0.0,
            place,
            black(),
        );
    }

    fn section(&mut self, s: &Section) {
        match s.break_before {
            Break::None => {}
            Break::NewPage => {
                if self.line > 0 {
                    self.new_page();
                }
            }
            Break::CutLine => {
                // A part cut off from the one before is never split: when it does not fit
                // in what is left of the page, it starts the next page (the part before
                // gives way), its cut line on top, as Word does with the DOCX's
                // keep-with-next paragraphs.
                let need = 1 + self.measure(s);
                if self.line > 0 && self.line + need > LINES && need <= LINES {
                    self.new_page();
                }
                self.cut_line();
            }
        }
        self.section_parts(s);
    }

    /// Grid lines `s` takes when laid out from the top of a fresh page (more than a page
    /// when it does not fit on one).
    fn measure(&self, s: &Section) -> usize {
        let mut trial = Layout::new(self.fonts);
        trial.section_parts(s);
        (trial.pages.len() - 1) * LINES + trial.line
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
            self.blank(title_gap);
            self.title(t);
        }
        for p in &s.preamble {
            self.para(p);
        }
        if s.title.is_some() && s.addressee.is_some() {
            self.blank(1);
        }
        if let Some(a) = &s.addressee {
            self.simple(a, Role::FangSong, BODY, 0.0, Place::Justify);
        }
        for p in &s.body {
            self.para(p);
        }
        if !s.attachments.is_empty() {
            self.blank(1);
            self.attachments(&s.attachments);
        }
        if let Some(sig) = &s.signature {
            self.blank(1);
            self.signature(sig);
        }
        if let Some(n) = &s.note {
            if let Some((page, bottom)) = self.seal_bottom {
                if page == self.pages.len() - 1 {
                    self.line = self.line.max(bottom);
                }
            }
            let n = n.trim();
            let text = if n.starts_with('（') || n.starts_with('(') {
                n.to_string()
            } else {
                format!("（{n}）")
            };
            self.simple(&text, Role::FangSong, BODY, 2.0, Place::Justify);
        }
        // Attachments bound with the document (§7.3.7): each from a new page, `附件N` in
        // 黑体 flush left on the first line, its title centred on the third.
        for (i, a) in s.appendices.iter().enumerate() {
            self.new_page();
            let label = crate::render::model::appendix_label(i, s.appendices.len());
            self.simple(&label, Role::Hei, BODY, 0.0, Place::Left);
            self.line = 2;
            self.title(&a.title);
            self.blank(1);
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
            Para::Text(t) => self.simple(t, Role::FangSong, BODY, 2.0, Place::Justify),
            Para::Heading {
                level,
                heading,
                rest,
            } => {
                let role = Role::for_heading(*level);
                let mut runs = vec![Run {
                    text: heading.clone(),
                    role,
                }];
                if let Some(r) = rest {
                    runs.push(Run {
                        text: r.clone(),
                        role: Role::FangSong,
                    });
                }
                self.paragraph(&runs, BODY, 2.0, 0.0, 0.0, Place::Justify, black());
            }
            Para::Line { text, align } => {
                let place = match align {
                    Align::Left => Place::Left,
                    Align::Center => Place::Center,
                    Align::Right(n) => Place::Right(f32::from(*n)),
                };
                self.simple(text, Role::FangSong, BODY, 0.0, place);
            }
            Para::Blank => {
                self.ensure_line();
                self.line += 1;
            }
        }
    }

    /// 信函格式 (GB/T 9704 §10.1): the authority's full name in red 小标宋 centred, its top
    /// 30 mm below the top of the page; a red double rule (thick over thin) 4 mm below it
    /// and another (thin over thick) 20 mm above the bottom of the page, both 170 mm long;
    /// under the first rule the 份号, 密级 and 紧急程度 flush left and the 发文字号 flush
    /// right, 7/8 of a 3号 character below the rule. The first page carries no number.
    fn letter_head(&mut self, h: &Header) {
        self.ensure_line();
        self.unnumbered_first = true;
        let bottom = self.mark(&h.authority, LETTER_MARK, PAGE_H_MM * MM - 30.0 * MM);
        let x0 = (PAGE_W_MM - 170.0) / 2.0 * MM;
        let x1 = x0 + 170.0 * MM;
        let rule_y = bottom - 4.0 * MM;
        self.rule_span(x0, x1, rule_y, 1.0 * MM, red(), None);
        self.rule_span(x0, x1, rule_y - 1.0 * MM - 0.5, 0.35 * MM, red(), None);
        let low = 20.0 * MM;
        self.rule_span(x0, x1, low + 1.0 * MM + 0.5, 0.35 * MM, red(), None);
        self.rule_span(x0, x1, low, 1.0 * MM, red(), None);
        // The line under the rule: its characters' top 7/8 of a 3号 character below it.
        let under = rule_y - 1.0 * MM - 0.5 - 0.875 * BODY;
        let baseline = under - 0.88 * BODY;
        let t = CELL - BODY;
        let left: Vec<&String> = [&h.copy_number, &h.classification, &h.urgency]
            .into_iter()
            .flatten()
            .collect();
        let mut x = LEFT;
        for (i, item) in left.iter().enumerate() {
            let role = if i == 0 && h.copy_number.is_some() {
                Role::FangSong
            } else {
                Role::Hei
            };
            self.draw_runs(
                &[Run {
                    text: (*item).clone(),
                    role,
                }],
                x,
                baseline,
                BODY,
                t,
                black(),
            );
            x += self.text_width(item, role, BODY, t) + CELL;
        }
        if let Some(n) = &h.doc_number {
            let w = self.text_width(n, Role::FangSong, BODY, t);
            self.draw_runs(
                &[Run {
                    text: n.clone(),
                    role: Role::FangSong,
                }],
                LEFT + WIDTH - w,
                baseline,
                BODY,
                t,
                black(),
            );
        }
        // Continue on the grid line below that line.
        let after = ((TOP - (baseline - 0.12 * BODY)) / PITCH).ceil().max(0.0) as usize;
        self.line = after.clamp(self.line, LINES);
    }

    /// Draw an issuing-authority mark (red 小标宋, centred, on one or two lines as
    /// [`Layout::mark_lines`] decides) with its top edge at `top`; returns its bottom edge.
    fn mark(&mut self, authority: &str, max: f32, top: f32) -> f32 {
        let mut top = top;
        let mut bottom = top;
        for (text, size, w) in self.mark_lines(authority, max) {
            let baseline = top - 0.88 * size;
            self.draw_runs(
                &[Run {
                    text,
                    role: Role::XiaoBiaoSong,
                }],
                LEFT + (WIDTH - w).max(0.0) / 2.0,
                baseline,
                size,
                0.0,
                red(),
            );
            bottom = baseline - 0.12 * size;
            top = bottom - 0.2 * size;
        }
        bottom
    }

    /// The lines of an issuing-authority mark: one line at `max` size when it fits the
    /// type area at [`MARK_ONE_LINE`] or more, else two lines (a long authority, or a joint
    /// one written with 、 or a space between the authorities, broken there or in the
    /// middle), both at the size that fits the longer.
    /// (text, size, width) per line.
    fn mark_lines(&self, authority: &str, max: f32) -> Vec<(String, f32, f32)> {
        let fonts = self.fonts;
        let em = |t: &str| -> f32 {
            t.chars()
                .map(|c| fonts.advance(Role::XiaoBiaoSong, c))
                .sum()
        };
        let fit = |t: &str| -> (String, f32, f32) {
            let e = em(t);
            let size = if e > 0.0 { max.min(WIDTH / e) } else { max };
            (t.to_string(), size, e * size)
        };
        let one = fit(authority.trim());
        let joint = authority.trim().contains(['、', ' ', '　']);
        if (!joint && one.1 >= max.min(MARK_ONE_LINE) - 0.01)
            || authority.trim().chars().count() < 4
        {
            return vec![one];
        }
        let chars: Vec<char> = authority.trim().chars().collect();
        let mid = chars.len() / 2;
        let cut = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, '、' | ' ' | '　'))
            .map(|(i, _)| i)
            .min_by_key(|&i| i.abs_diff(mid));
        let (a, b): (String, String) = match cut {
            Some(i) => (chars[..i].iter().collect(), chars[i + 1..].iter().collect()),
            None => (chars[..mid].iter().collect(), chars[mid..].iter().collect()),
        };
        let (a, b) = (fit(a.trim()), fit(b.trim()));
        // Both lines at the smaller size, so the mark reads as one.
        let size = a.1.min(b.1);
        vec![
            (a.0.clone(), size, a.2 / a.1 * size),
            (b.0.clone(), size, b.2 / b.1 * size),
        ]
    }

    /// 版头: copy number, red authority mark 35 mm below the top of the type area, document
    /// number two lines below it, red rule 4 mm below the number.
    fn header(&mut self, h: &Header) {
        self.ensure_line();
        let start = self.line;
        // 份号, 密级和保密期限, 紧急程度: flush left, one a line, from the first line.
        if let Some(c) = &h.copy_number {
            self.simple(c, Role::FangSong, BODY, 0.0, Place::Left);
        }
        for t in [&h.classification, &h.urgency].into_iter().flatten() {
            self.simple(t, Role::Hei, BODY, 0.0, Place::Left);
        }
        // The mark's top edge: 35 mm below the type area's top on a fresh page; otherwise
        // directly on the next line. At most 15 mm high and never wider than the type
        // area; a long or joint authority on two lines.
        let top = if start == 0 {
            TOP - 35.0 * MM
        } else {
            TOP - self.line as f32 * PITCH
        };
        let bottom = self.mark(&h.authority, 15.0 * MM, top);
        let mark_end = ((TOP - bottom) / PITCH).ceil().max(0.0) as usize;
        self.line = mark_end.min(LINES);
        let mut rule_y = bottom - 4.0 * MM;
        if let Some(n) = &h.doc_number {
            self.blank(2);
            self.ensure_line();
            let y = Self::baseline(self.line, BODY);
            match &h.signer {
                // With a 签发人 the number moves flush left (one character in) and the
                // signer takes the right of its line (one character in).
                Some(signer) => {
                    let t = CELL - BODY;
                    self.draw_runs(
                        &[Run {
                            text: n.clone(),
                            role: Role::FangSong,
                        }],
                        LEFT + CELL,
                        y,
                        BODY,
                        t,
                        black(),
                    );
                    let runs = [
                        Run {
                            text: "签发人：".to_string(),
                            role: Role::FangSong,
                        },
                        Run {
                            text: signer.clone(),
                            role: Role::Kai,
                        },
                    ];
                    let w: f32 = runs
                        .iter()
                        .map(|r| self.text_width(&r.text, r.role, BODY, t))
                        .sum();
                    self.draw_runs(&runs, LEFT + WIDTH - CELL - w, y, BODY, t, black());
                    self.line += 1;
                }
                None => self.simple(n, Role::FangSong, BODY, 0.0, Place::Center),
            }
            rule_y = y - 0.12 * BODY - 4.0 * MM;
        }
        self.rule(rule_y, 1.0, red(), None);
        let after = ((TOP - rule_y) / PITCH).ceil().max(0.0) as usize;
        self.line = after.clamp(self.line, LINES);
    }

    fn title(&mut self, t: &str) {
        let fonts = self.fonts;
        for part in t.split('\n') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let lines = break_balanced(
                part,
                |c| fonts.advance(Role::XiaoBiaoSong, c) * TITLE,
                WIDTH,
            );
            for l in lines {
                self.ensure_line();
                let text = l.text(part).trim_end().to_string();
                let w = l.width.min(WIDTH);
                let y = Self::baseline(self.line, TITLE);
                self.draw_runs(
                    &[Run {
                        text,
                        role: Role::XiaoBiaoSong,
                    }],
                    LEFT + (WIDTH - w) / 2.0,
                    y,
                    TITLE,
                    0.0,
                    black(),
                );
                self.line += 1;
            }
        }
    }

    fn attachments(&mut self, items: &[String]) {
        let numbered = items.len() > 1;
        for (i, item) in items.iter().enumerate() {
            let label = if numbered {
                format!("{}.{}", i + 1, item)
            } else {
                item.clone()
            };
            let prefix = if i == 0 { "附件：" } else { "" };
            // Hanging: the item's text starts after 2 cells + 附件： (3 cells).
            self.ensure_line();
            if !prefix.is_empty() {
                let y = Self::baseline(self.line, BODY);
                self.draw_runs(
                    &[Run {
                        text: prefix.to_string(),
                        role: Role::FangSong,
                    }],
                    LEFT + 2.0 * CELL,
                    y,
                    BODY,
                    CELL - BODY,
                    black(),
                );
            }
            // A wrapped name continues under its own first character, after the number.
            let number = if numbered {
                self.text_width(&format!("{}.", i + 1), Role::FangSong, BODY, CELL - BODY) / CELL
            } else {
                0.0
            };
            self.paragraph(
                &[Run {
                    text: label,
                    role: Role::FangSong,
                }],
                BODY,
                -number,
                5.0 + number,
                0.0,
                Place::Justify,
                black(),
            );
        }
    }

    fn text_width(&self, text: &str, role: Role, size: f32, tracking: f32) -> f32 {
        text.chars()
            .map(|c| self.width_of(role, size, c, tracking))
            .sum()
    }

    /// Issuer right with two cells of right space; the date on the next line, its first
    /// character two cells right of the issuer's (or, when longer, two cells from the right
    /// and the issuer moved left to keep the offset).
    fn signature(&mut self, s: &Signature) {
        // Lines the block needs on this page: issuer and date; with a seal also the two
        // blank lines above them and the seal's lower part below the date.
        let need = if s.sealed { SEAL_LINES } else { 2 };
        if self.line + need > LINES {
            // Carry the last line of text over with the signature, so that no page holds
            // the signature alone.
            let last_page = self.pages.len() - 1;
            let carry = self
                .last_line
                .take()
                .filter(|l| l.page == last_page && l.ops.end == self.pages[last_page].len());
            self.new_page();
            if let Some(l) = carry {
                self.pages[l.page].truncate(l.ops.start);
                let y = Self::baseline(0, l.size);
                self.draw_runs(&l.runs, l.x, y, l.size, l.tracking, l.color);
                self.line = 2;
            }
        }
        let t = CELL - BODY;
        let iw = self.text_width(&s.issuer, Role::FangSong, BODY, t);
        let dw = self.text_width(&s.date, Role::FangSong, BODY, t);
        let (issuer_x, date_x) = if s.sealed {
            // §7.3.5.1: the date four characters from the right, the issuer centred over
            // it; two blank lines above them for the seal, whose top is then within a line
            // of the body and whose centre lies just above the issuer and date.
            self.blank(1);
            let date_x = (LEFT + WIDTH - 4.0 * CELL - dw).max(LEFT);
            let issuer_x = (date_x + dw / 2.0 - iw / 2.0).clamp(LEFT, LEFT + WIDTH - iw);
            (issuer_x, date_x)
        } else {
            let right = LEFT + WIDTH - 2.0 * CELL;
            let issuer_x = (right - iw).min(right - dw - 2.0 * CELL).max(LEFT);
            (issuer_x, (issuer_x + 2.0 * CELL).min(right - dw).max(LEFT))
        };
        for (text, x) in [(&s.issuer, issuer_x), (&s.date, date_x)] {
            if text.is_empty() {
                continue;
            }
            self.ensure_line();
            let y = Self::baseline(self.line, BODY);
            self.draw_runs(
                &[Run {
                    text: text.clone(),
                    role: Role::FangSong,
                }],
                x,
                y,
                BODY,
                t,
                black(),
            );
            self.line += 1;
        }
        if s.sealed {
            // The seal reaches below the date: keep that part clear of what follows (the
            // 版记's first rule, a 附注).
            self.seal_bottom = Some((self.pages.len() - 1, self.line + 1));
        }
    }

    /// 版记 at the foot of the page: thick rule, 抄送, thin rule, 印发 line, thick rule on
    /// the bottom edge of the type area.
    fn record(&mut self, r: &Record) {
        let fonts = self.fonts;
        let cc_text = if r.cc.is_empty() {
            None
        } else {
            let mut s = format!("抄送：{}", r.cc.join("，"));
            if !s.ends_with('。') {
                s.push('。');
            }
            Some(s)
        };
        // One character of space left and right; continuation lines align with the first
        // character after 抄送： (a hanging indent of three characters).
        let hang = 3.0 * SMALL;
        let avail = WIDTH - 2.0 * SMALL - hang;
        let cc_lines = cc_text.as_ref().map_or(Vec::new(), |t| {
            break_lines_at(
                t,
                |_, c| fonts.advance(Role::FangSong, c) * SMALL,
                Params {
                    width: avail,
                    first_indent: -hang,
                    squeeze: SMALL / 2.0,
                },
            )
        });
        let printed = !r.printer.is_empty() || !r.print_date.is_empty();
        let needed = cc_lines.len() + usize::from(printed);
        if needed == 0 {
            return;
        }
        let start = LINES.saturating_sub(needed);
        // Not over the seal: a 版记 that would reach into it goes to the next page.
        let seal_in_way = self
            .seal_bottom
            .is_some_and(|(page, bottom)| page == self.pages.len() - 1 && start < bottom);
        let mut new_page = self.line + needed > LINES || seal_in_way;
        if r.even_page {
            // Page numbers are 1-based: the record's page must be even.
            let here = self.pages.len();
            if !new_page && here % 2 == 1 {
                new_page = true;
            }
            if new_page && (here + 1) % 2 == 1 {
                // The next page would be odd: a blank page first; it and the record's page
                // carry no number.
                self.new_page();
                self.unnumbered.push(self.pages.len() - 1);
                self.unnumbered.push(self.pages.len());
            }
        }
        if new_page {
            self.new_page();
        }
        self.line = start;
        let line_top = |l: usize| TOP - l as f32 * PITCH;
        let rules = !self.unnumbered_first;
        if rules {
            self.rule(line_top(start), 1.0, black(), None);
        }
        if let Some(t) = &cc_text {
            for l in &cc_lines {
                let y = Self::baseline(self.line, SMALL);
                let text = l.text(t).to_string();
                self.draw_runs(
                    &[Run {
                        text,
                        role: Role::FangSong,
                    }],
                    LEFT + SMALL + hang + l.indent,
                    y,
                    SMALL,
                    0.0,
                    black(),
                );
                self.line += 1;
            }
        }
        if printed {
            if rules && !cc_lines.is_empty() {
                self.rule(line_top(self.line), 0.7, black(), None);
            }
            let y = Self::baseline(self.line, SMALL);
            let date = format!("{}印发", r.print_date);
            let dw = self.text_width(&date, Role::FangSong, SMALL, 0.0);
            let runs = |t: String| {
                [Run {
                    text: t,
                    role: Role::FangSong,
                }]
            };
            self.draw_runs(
                &runs(r.printer.clone()),
                LEFT + SMALL,
                y,
                SMALL,
                0.0,
                black(),
            );
            self.draw_runs(
                &runs(date),
                LEFT + WIDTH - SMALL - dw,
                y,
                SMALL,
                0.0,
                black(),
            );
            self.line += 1;
        }
        if rules {
            self.rule(BOTTOM, 1.0, black(), None);
        }
        self.line = LINES;
    }

    /// A dashed line across the type area with 裁剪线 in its middle.
    fn cut_line(&mut self) {
        self.ensure_line();
        let label = "（裁剪线）";
        let size = 12.0;
        let lw = self.text_width(label, Role::FangSong, size, 0.0);
        let mid = Self::baseline(self.line, 0.0);
        let x_label = LEFT + (WIDTH - lw) / 2.0;
        self.rule_span(LEFT, x_label - 4.0, mid, 0.6, black(), Some([4.0, 3.0]));
        self.draw_runs(
            &[Run {
                text: label.to_string(),
                role: Role::FangSong,
            }],
            x_label,
            mid - EM_CENTRE * size,
            size,
            0.0,
            black(),
        );
        self.rule_span(
            x_label + lw + 4.0,
            LEFT + WIDTH,
            mid,
            0.6,
            black(),
            Some([4.0, 3.0]),
        );
        self.line += 1;
    }

    /// `— n —` 7 mm below the type area: odd pages right, even pages left, one character
    /// of space.
    fn page_numbers(&mut self) {
        let count = self.pages.len();
        for i in 0..count {
            let n = i + 1;
            if (n == 1 && self.unnumbered_first) || self.unnumbered.contains(&i) {
                continue;
            }
            let text = format!("— {n} —");
            let w = self.text_width(&text, Role::Song, SMALL, 0.0);
            let x = if n % 2 == 1 {
                LEFT + WIDTH - SMALL - w
            } else {
                LEFT + SMALL
            };
            let y = BOTTOM - 7.0 * MM - 0.75 * SMALL;
            let mut saved = std::mem::take(&mut self.pages);
            let page_ops = std::mem::take(&mut saved[i]);
            self.pages = vec![page_ops];
            self.draw_runs(
                &[Run {
                    text,
                    role: Role::Song,
                }],
                x,
                y,
                SMALL,
                0.0,
                black(),
            );
            saved[i] = self.pages.pop().unwrap_or_default();
            self.pages = saved;
        }
    }
}

/// Check that every character of the document can be drawn by the font of its role; the
/// error names the part and the character.
pub fn check_fonts(doc: &Document, fonts: &Fonts) -> Result<()> {
    for s in &doc.sections {
        if let Some(h) = &s.header {
            fonts.require_coverage(&h.authority, Role::XiaoBiaoSong, "发文机关标志")?;
            if let Some(n) = &h.doc_number {
                fonts.require_coverage(n, Role::FangSong, "发文字号")?;
            }
            if let Some(c) = &h.copy_number {
                fonts.require_coverage(c, Role::FangSong, "份号")?;
            }
            if let Some(c) = &h.classification {
                fonts.require_coverage(c, Role::Hei, "密级和保密期限")?;
            }
            if let Some(c) = &h.urgency {
                fonts.require_coverage(c, Role::Hei, "紧急程度")?;
            }
            if let Some(c) = &h.signer {
                fonts.require_coverage(c, Role::Kai, "签发人")?;
            }
        }
        if let Some(t) = &s.title {
            fonts.require_coverage(t, Role::XiaoBiaoSong, "标题")?;
        }
        if let Some(a) = &s.addressee {
            fonts.require_coverage(a, Role::FangSong, "主送机关")?;
        }
        for p in s.preamble.iter().chain(&s.body) {
            match p {
                Para::Text(t) | Para::Line { text: t, .. } => {
                    fonts.require_coverage(t, Role::FangSong, "正文")?
                }
                Para::Heading {
                    level,
                    heading,
                    rest,
                } => {
                    let role = Role::for_heading(*level);
                    fonts.require_coverage(heading, role, "正文标题")?;
                    if let Some(r) = rest {
                        fonts.require_coverage(r, Role::FangSong, "正文")?;
                    }
                }
                Para::Blank => {}
            }
        }
        for a in &s.attachments {
            fonts.require_coverage(a, Role::FangSong, "附件说明")?;
        }
        if let Some(sig) = &s.signature {
            fonts.require_coverage(&sig.issuer, Role::FangSong, "发文机关署名")?;
            fonts.require_coverage(&sig.date, Role::FangSong, "成文日期")?;
        }
        if let Some(n) = &s.note {
            fonts.require_coverage(n, Role::FangSong, "附注")?;
        }
        for a in &s.appendices {
            fonts.require_coverage(&a.title, Role::XiaoBiaoSong, "附件标题")?;
            for p in &a.body {
                if let Para::Text(t) | Para::Line { text: t, .. } = p {
                    fonts.require_coverage(t, Role::FangSong, "附件")?;
                }
            }
        }
        if let Some(r) = &s.record {
            for c in &r.cc {
                fonts.require_coverage(c, Role::FangSong, "抄送")?;
            }
            fonts.require_coverage(&r.printer, Role::FangSong, "印发机关")?;
            fonts.require_coverage(&r.print_date, Role::FangSong, "印发日期")?;
        }
    }
    Ok(())
}

/// Lay one document out into pages of marks, with page numbers.
fn layout(doc: &Document, fonts: &Fonts) -> Result<Vec<Vec<Mark>>> {
    check_fonts(doc, fonts)?;
    let mut l = Layout::new(fonts);
    for s in &doc.sections {
        l.section(s);
    }
    // A record block fills its page: drop a trailing empty page left by nothing.
    if l.pages.len() > 1 && l.pages.last().is_some_and(|p| p.is_empty()) {
        l.pages.pop();
    }
    l.page_numbers();
    Ok(l.pages)
}

/// Lay one document out (checking that its fonts can draw every character) and encode its
/// pages, to be written alone ([`write_encoded`]) and into a merged file
/// ([`MergedPdf::add`]) without laying it out twice.
pub fn encode(doc: &Document, fonts: &Fonts) -> Result<Encoded> {
    let pages = layout(doc, fonts)?;
    Ok(file::encode(&pages, fonts, doc.meta.clone()))
}

/// Write one encoded document as PDF: the same bytes as [`write_pdf`] of the document.
pub fn write_encoded(e: &Encoded, fonts: &Fonts) -> Result<Vec<u8>> {
    file::write_encoded(e, fonts)
}

/// Write one document as PDF.
pub fn write_pdf(doc: &Document, fonts: &Fonts) -> Result<Vec<u8>> {
    write_encoded(&encode(doc, fonts)?, fonts)
}

fn write_err(e: std::io::Error) -> Error {
    Error::msg(format!("无法写出 PDF（{e}）"))
}

/// Write several documents into one PDF, fonts embedded once, each document starting on a
/// new page (and, with `bookmarks`, one bookmark per document, named by its title).
pub fn write_pdf_many(docs: &[Document], fonts: &Fonts, bookmarks: bool) -> Result<Vec<u8>> {
    let mut m = MergedPdf::new(Vec::new(), bookmarks, false).map_err(write_err)?;
    for (i, d) in docs.iter().enumerate() {
        let e = encode(d, fonts).map_err(|e| {
            Error::msg(format!(
                "第{}份文书（{}）：{}",
                i + 1,
                d.meta.title,
                e.message
            ))
        })?;
        let name = if d.meta.title.is_empty() {
            format!("第{}份", i + 1)
        } else {
            d.meta.title.clone()
        };
        m.add(&e, &name).map_err(write_err)?;
    }
    m.finish(fonts)
}

/// Write a batch's merged PDF: the documents in order, fonts embedded once for the whole
/// file, one bookmark per document with the given name. With `duplex`, a document with an
/// odd number of pages is followed by a blank page, so that double-sided printing never
/// puts two people's documents on one sheet. (A batch streams the same through
/// [`MergedPdf`] as rows finish.)
pub fn write_pdf_merged(
    docs: &[(Document, String)],
    fonts: &Fonts,
    duplex: bool,
) -> Result<Vec<u8>> {
    let mut m = MergedPdf::new(Vec::new(), true, duplex).map_err(write_err)?;
    for (i, (d, name)) in docs.iter().enumerate() {
        let e = encode(d, fonts)
            .map_err(|e| Error::msg(format!("第{}份文书（{name}）：{}", i + 1, e.message)))?;
        m.add(&e, name).map_err(write_err)?;
    }
    m.finish(fonts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{printed_text, samples, FontConfig};

    fn fonts() -> Fonts {
        Fonts::load(&FontConfig {
            font_dir: Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")),
            ..Default::default()
        })
        .expect("bundled fonts")
    }

    fn squash(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Text of every page via lopdf, page numbers removed.
    fn extract(bytes: &[u8]) -> (usize, String) {
        let doc = lopdf::Document::load_mem(bytes).expect("parse pdf");
        let pages = doc.get_pages();
        let mut all = String::new();
        for (n, _) in pages.iter() {
            let t = squash(&doc.extract_text(&[*n]).expect("extract"));
            let suffix = format!("—{n}—");
            let t = t
                .strip_suffix(&suffix)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    panic!("page {n} does not end with its number: {t}");
                });
            all.push_str(&t);
        }
        (pages.len(), all)
    }

    #[test]
    fn recommendation_text_in_order_and_deterministic() {
        let f = fonts();
        let doc = samples::recommendation();
        let a = write_pdf(&doc, &f).expect("pdf");
        let b = write_pdf(&doc, &f).expect("pdf");
        assert!(a == b, "same input must give the same bytes");
        let (pages, text) = extract(&a);
        // Body flows onto page 2; the signature (with the last line of text carried over)
        // and the record block are on page 3.
        assert_eq!(pages, 3);
        assert_eq!(text, squash(&printed_text(&doc).concat()));
        // The last page does not start with the signature: a line of text came with it.
        let pdf = lopdf::Document::load_mem(&a).expect("parse");
        let last = squash(&pdf.extract_text(&[3]).expect("text"));
        assert!(!last.starts_with("中共XX县纪律检查委员会"), "{last}");
        assert!(
            last.contains("中共XX县纪律检查委员会2022年3月5日"),
            "{last}"
        );
    }

    /// The text marks of laid-out pages: (page, text, x, y, width).
    fn text_marks(f: &Fonts, pages: &[Vec<Mark>]) -> Vec<(usize, String, f32, f32, f32)> {
        let mut out = Vec::new();
        for (i, p) in pages.iter().enumerate() {
            for m in p {
                if let Mark::Text {
                    role,
                    size,
                    x,
                    y,
                    tracking,
                    text,
                    ..
                } = m
                {
                    let w: f32 = text
                        .chars()
                        .map(|c| f.advance(*role, c) * size + tracking)
                        .sum();
                    out.push((i, text.clone(), *x, *y, w));
                }
            }
        }
        out
    }

    #[test]
    fn sealed_signature_leaves_room_for_the_seal() {
        let f = fonts();
        let mut doc = samples::recommendation();
        doc.sections[0].note = None;
        let sig = doc.sections[0].signature.as_mut().expect("signature");
        sig.sealed = true;
        let pages = layout(&doc, &f).expect("layout");
        let marks = text_marks(&f, &pages);
        let find = |t: &str| marks.iter().find(|m| m.1 == t).cloned().expect(t);
        let issuer = find("中共XX县纪律检查委员会");
        let date = find("2022年3月5日");
        // The date four characters from the right; the issuer centred over it.
        let right = LEFT + WIDTH - 4.0 * CELL;
        assert!((date.2 + date.4 - right).abs() < 1.0, "{date:?}");
        let centre = |m: &(usize, String, f32, f32, f32)| m.2 + m.4 / 2.0;
        assert!(
            (centre(&issuer) - centre(&date)).abs() < 1.0,
            "{issuer:?} {date:?}"
        );
        assert!((issuer.3 - date.3 - PITCH).abs() < 0.1);
        // Two blank lines between the body's last line and the issuer.
        let body_last = marks
            .iter()
            .filter(|m| m.0 == issuer.0 && m.3 > issuer.3 + 1.0)
            .map(|m| m.3)
            .fold(f32::MAX, f32::min);
        assert!(
            (body_last - issuer.3 - 3.0 * PITCH).abs() < 0.5,
            "{body_last} {issuer:?} {:?}",
            marks.iter().filter(|m| m.0 == issuer.0).collect::<Vec<_>>()
        );
        // The 版记's first rule is below the seal: a 42 mm seal whose top is within a line
        // of the body.
        let seal_bottom = body_last - 0.12 * BODY - PITCH - 42.0 * MM;
        let top_rule = pages[issuer.0]
            .iter()
            .filter_map(|m| match m {
                Mark::Rule { y, dash: None, .. } => Some(*y),
                _ => None,
            })
            .fold(f32::MIN, f32::max);
        if top_rule > f32::MIN {
            assert!(top_rule < seal_bottom, "rule {top_rule} seal {seal_bottom}");
        }
        // Unsealed: the date two characters right of the issuer's start.
        let mut doc = samples::recommendation();
        doc.sections[0].note = None;
        let pages = layout(&doc, &f).expect("layout");
        let marks = text_marks(&f, &pages);
        let find = |t: &str| marks.iter().find(|m| m.1 == t).cloned().expect(t);
        let (issuer, date) = (find("中共XX县纪律检查委员会"), find("2022年3月5日"));
        assert!((date.2 - issuer.2 - 2.0 * CELL).abs() < 1.0);
    }

    #[test]
    fn header_elements_above_the_mark() {
        let f = fonts();
        let mut doc = samples::recommendation();
        let h = doc.sections[0].header.as_mut().expect("header");
        h.classification = Some("秘密★1年".to_string());
        h.urgency = Some("特急".to_string());
        h.signer = Some("张三".to_string());
        let pages = layout(&doc, &f).expect("layout");
        let marks = text_marks(&f, &pages);
        let find = |t: &str| marks.iter().find(|m| m.1 == t).cloned().expect(t);
        let (copy, secret, urgent) = (find("000001"), find("秘密★1年"), find("特急"));
        // 份号, 密级, 紧急程度 flush left on lines 1 to 3.
        for (i, m) in [&copy, &secret, &urgent].iter().enumerate() {
            assert!((m.2 - LEFT).abs() < 0.5, "{m:?}");
            assert!((m.3 - Layout::baseline(i, BODY)).abs() < 0.1, "{m:?}");
        }
        let heis = pages[0]
            .iter()
            .any(|m| matches!(m, Mark::Text { role: Role::Hei, text, .. } if text == "秘密★1年"));
        assert!(heis, "密级 in 黑体");
        // The number one character in from the left, the signer one from the right, on
        // one line.
        let number = find("X纪建〔2022〕3号");
        assert!((number.2 - LEFT - CELL).abs() < 0.5, "{number:?}");
        let label = find("签发人：");
        let name = find("张三");
        assert!((label.3 - number.3).abs() < 0.1 && (name.3 - number.3).abs() < 0.1);
        assert!(
            (name.2 + name.4 - (LEFT + WIDTH - CELL)).abs() < 1.0,
            "{name:?}"
        );
        assert!(pages[0]
            .iter()
            .any(|m| matches!(m, Mark::Text { role: Role::Kai, text, .. } if text == "张三")));
    }

    #[test]
    fn letter_format_for_a_letter() {
        let f = fonts();
        let doc = samples::letter();
        let pages = layout(&doc, &f).expect("layout");
        let marks = text_marks(&f, &pages);
        let find = |t: &str| marks.iter().find(|m| m.1 == t).cloned().expect(t);
        let mark = find("中共XX县纪委监委");
        // The mark's top 30 mm below the top of the page.
        let top = PAGE_H_MM * MM - 30.0 * MM;
        let size = 26.0f32.min(WIDTH / 8.0);
        assert!((mark.3 + 0.88 * size - top).abs() < 0.5, "{mark:?}");
        // Red double rules 170 mm long: thick over thin under the mark, thin over thick
        // 20 mm above the bottom.
        let rules: Vec<(f32, f32, f32)> = pages[0]
            .iter()
            .filter_map(|m| match m {
                Mark::Rule {
                    x0, x1, y, width, ..
                } => Some((*x1 - *x0, *y, *width)),
                _ => None,
            })
            .collect();
        assert_eq!(rules.len(), 4, "{rules:?}");
        assert!(
            rules.iter().all(|r| (r.0 - 170.0 * MM).abs() < 0.5),
            "{rules:?}"
        );
        assert!(
            rules[0].2 > rules[1].2 && rules[0].1 > rules[1].1,
            "thick over thin"
        );
        assert!(rules[3].2 > rules[2].2 && (rules[3].1 - 20.0 * MM).abs() < 0.5);
        // The number flush right under the first rule.
        let number = find("X纪函〔2022〕2号");
        assert!(
            (number.2 + number.4 - (LEFT + WIDTH)).abs() < 1.0,
            "{number:?}"
        );
        assert!(number.3 < rules[1].1 && number.3 > rules[1].1 - 2.0 * PITCH);
        // No number on the first page; the 版记 without rules.
        assert!(
            !marks.iter().any(|m| m.0 == 0 && m.1 == "— 1 —"),
            "{marks:?}"
        );
        let last = pages.len() - 1;
        assert!(marks
            .iter()
            .any(|m| m.0 == last && m.1.starts_with("抄送：")));
        if last > 0 {
            assert!(!pages[last].iter().any(|m| matches!(m, Mark::Rule { .. })));
        }
    }

    #[test]
    fn long_or_joint_authority_on_two_lines() {
        let f = fonts();
        let l = Layout::new(&f);
        let one = l.mark_lines("中共XX县纪委监委", 15.0 * MM);
        assert_eq!(one.len(), 1);
        let long = l.mark_lines(
            "中共XX市XX区纪律检查委员会XX区监察委员会派驻第三纪检监察组",
            15.0 * MM,
        );
        assert_eq!(long.len(), 2, "{long:?}");
        let joint = l.mark_lines("中共XX县纪律检查委员会、XX县监察委员会", 15.0 * MM);
        assert_eq!(
            joint.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
            ["中共XX县纪律检查委员会", "XX县监察委员会"]
        );
        for lines in [&long, &joint] {
            assert!(lines.iter().all(|l| l.2 <= WIDTH + 0.1));
            assert!((lines[0].1 - lines[1].1).abs() < 0.01, "one size");
            // Larger than the one-line fit would be.
            assert!(lines[0].1 > TITLE, "{lines:?}");
        }
    }

    #[test]
    fn attachment_pages_come_before_the_record() {
        let f = fonts();
        let mut doc = samples::recommendation();
        doc.sections[0].appendices = vec![
            crate::render::model::Appendix {
                title: "问题清单".to_string(),
                body: vec![Para::Text("一、村级财务公开不及时。".to_string())],
            },
            crate::render::model::Appendix {
                title: "整改台账模板".to_string(),
                body: vec![Para::Text("按问题逐项填写。".to_string())],
            },
        ];
        let pages = layout(&doc, &f).expect("layout");
        let marks = text_marks(&f, &pages);
        let find = |t: &str| marks.iter().find(|m| m.1 == t).cloned().expect(t);
        let (a1, a2) = (find("附件1"), find("附件2"));
        assert_eq!(a2.0, a1.0 + 1, "each attachment from a new page");
        let sig = find("中共XX县纪律检查委员会");
        assert!(a1.0 > sig.0, "after the signature");
        for (label, title) in [(&a1, "问题清单"), (&a2, "整改台账模板")] {
            assert!(
                (label.2 - LEFT).abs() < 0.5 && (label.3 - Layout::baseline(0, BODY)).abs() < 0.1
            );
            let t = find(title);
            assert_eq!(t.0, label.0);
            assert!(
                (t.3 - Layout::baseline(2, TITLE)).abs() < 0.1,
                "title on the third line"
            );
            assert!(
                (t.2 + t.4 / 2.0 - (LEFT + WIDTH / 2.0)).abs() < 1.0,
                "centred"
            );
        }
        let cc = marks
            .iter()
            .find(|m| m.1.starts_with("抄送："))
            .expect("record");
        assert_eq!(cc.0, pages.len() - 1, "the 版记 on the last page");
        assert!(cc.0 >= a2.0);
        // Printed text (what a DOCX holds) in the same order.
        let text = printed_text(&doc).concat();
        let at = |t: &str| text.find(t).expect(t);
        assert!(at("2022年3月5日") < at("附件1") && at("附件2") < at("抄送："));
    }

    #[test]
    fn record_on_an_even_page_when_asked() {
        let f = fonts();
        let mut blanks = 0;
        for extra in 0..30 {
            let mut doc = samples::recommendation();
            for _ in 0..extra {
                doc.sections[0]
                    .body
                    .push(Para::Text("加强监督检查，推动整改落实，".repeat(5)));
            }
            let plain = layout(&doc, &f).expect("layout").len();
            doc.sections[0].record.as_mut().expect("record").even_page = true;
            let pages = layout(&doc, &f).expect("layout");
            let marks = text_marks(&f, &pages);
            let cc = marks
                .iter()
                .find(|m| m.1.starts_with("抄送："))
                .expect("record");
            assert_eq!((cc.0 + 1) % 2, 0, "{extra}: 版记 on page {}", cc.0 + 1);
            assert!(pages.len().is_multiple_of(2) && pages.len() <= plain + 2);
            // A blank page before it carries no number, nor does the 版记's page then.
            let blank = cc.0 >= 1
                && !marks
                    .iter()
                    .any(|m| m.0 == cc.0 - 1 && !m.1.starts_with('—'));
            if blank {
                blanks += 1;
                assert!(
                    !marks
                        .iter()
                        .any(|m| m.0 >= cc.0 - 1 && m.1.starts_with("— ")),
                    "{extra}"
                );
            }
        }
        assert!(blanks > 0, "no case needed a blank page");
    }

    #[test]
    fn talk_notice_with_cut_lines() {
        let f = fonts();
        let doc = samples::talk_notice();
        let bytes = write_pdf(&doc, &f).expect("pdf");
        let (pages, text) = extract(&bytes);
        assert_eq!(pages, 1);
        assert_eq!(text, squash(&printed_text(&doc).concat()));
        assert_eq!(text.matches("（裁剪线）").count(), 2);
    }

    #[test]
    fn long_cc_list_wraps_inside_the_record_block() {
        let f = fonts();
        let mut doc = samples::recommendation();
        if let Some(r) = doc.sections[0].record.as_mut() {
            r.cc = (1..=14).map(|i| format!("县第{i}督查组")).collect();
        }
        let bytes = write_pdf(&doc, &f).expect("pdf");
        let (pages, text) = extract(&bytes);
        assert_eq!(pages, 3);
        assert_eq!(text, squash(&printed_text(&doc).concat()));
        assert!(text.contains("县第14督查组。中共XX县纪委办公室2022年3月5日印发"));
    }

    #[test]
    fn new_page_break_starts_a_page() {
        let f = fonts();
        let mut doc = samples::talk_notice();
        doc.sections[2].break_before = crate::render::model::Break::NewPage;
        let bytes = write_pdf(&doc, &f).expect("pdf");
        let pdf = lopdf::Document::load_mem(&bytes).expect("parse");
        assert_eq!(pdf.get_pages().len(), 2);
        let second = squash(&pdf.extract_text(&[2]).expect("text"));
        assert!(second.starts_with("谈话通知书（回执）"), "{second}");
        assert!(second.ends_with("—2—"), "{second}");
    }

    #[test]
    fn missing_glyph_names_field_and_char() {
        let f = fonts();
        let mut doc = samples::talk_notice();
        doc.sections[1].addressee = Some("张\u{10FFFD}同志：".to_string());
        let e = write_pdf(&doc, &f).expect_err("missing glyph");
        assert!(
            e.message.contains("主送机关") && e.message.contains('\u{10FFFD}'),
            "{}",
            e.message
        );
        // An Extension B name is drawn by the fallback font, in the middle of the run.
        doc.sections[1].addressee = Some("张\u{2A6A5}同志：".to_string());
        let bytes = write_pdf(&doc, &f).expect("fallback glyph");
        let pdf = lopdf::Document::load_mem(&bytes).expect("parse");
        let text = squash(&pdf.extract_text(&[1]).expect("text"));
        assert!(text.contains("张\u{2A6A5}同志："), "{text}");
        check_xref(&bytes);
    }

    /// Every cross-reference entry points at its object, and `startxref` at the table.
    fn check_xref(bytes: &[u8]) {
        let key = b"startxref\n";
        let at = bytes
            .windows(key.len())
            .rposition(|w| w == key)
            .expect("startxref");
        let tail = std::str::from_utf8(&bytes[at + key.len()..]).expect("ASCII tail");
        let start: usize = tail
            .lines()
            .next()
            .and_then(|n| n.parse().ok())
            .expect("offset");
        let text = std::str::from_utf8(&bytes[start..]).expect("ASCII table and trailer");
        assert!(
            text.starts_with("xref\n0 "),
            "startxref points at the table"
        );
        let mut lines = text.lines().skip(1);
        let count: usize = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|n| n.parse().ok())
            .expect("xref count");
        lines.next(); // object 0, free
        for id in 1..count {
            let off: usize = lines
                .next()
                .and_then(|l| l.get(..10))
                .and_then(|n| n.parse().ok())
                .expect("xref entry");
            let head = format!("{id} 0 obj\n");
            assert_eq!(
                &bytes[off..off + head.len()],
                head.as_bytes(),
                "object {id}"
            );
        }
    }

    #[test]
    fn cross_reference_table_is_exact() {
        let f = fonts();
        check_xref(&write_pdf(&samples::recommendation(), &f).expect("pdf"));
        let docs = vec![
            (samples::talk_notice(), "一".to_string()),
            (samples::recommendation(), "二".to_string()),
        ];
        check_xref(&write_pdf_merged(&docs, &f, true).expect("pdf"));
    }

    /// The design rests on this: a CID-keyed font's subset keeps the original CIDs, so the
    /// codes written into pages before the font is subset (`LoadedFont::code`) still name
    /// the right glyphs in the embedded program.
    #[test]
    fn cid_codes_survive_subsetting() {
        use std::io::Read;
        let f = fonts();
        for role in Role::ALL {
            let font = f.get(role);
            let mut gids: Vec<u16> = "谈话通知书中共县纪律检查委员会2022年3月5日—（）〔〕"
                .chars()
                .map(|c| font.glyph(c))
                .collect();
            gids.sort_unstable();
            gids.dedup();
            assert!(gids[0] != 0, "{role:?} lacks a character");
            let p = font.program(&gids).expect("program");
            assert_eq!(p.format, crate::render::fonts::ProgramFormat::BareCff);
            // CFF programs are embedded as they are (they hardly deflate).
            assert!(!p.deflated);
            let raw = p.bytes.clone();
            assert_eq!(raw.len(), p.raw_len);
            let cff = ttf_parser::cff::Table::parse(&raw).expect("a bare CFF table");
            assert_eq!(usize::from(cff.number_of_glyphs()), gids.len() + 1);
            for (i, &g) in gids.iter().enumerate() {
                let cid = cff.glyph_cid(ttf_parser::GlyphId(i as u16 + 1));
                assert_eq!(cid, Some(font.code(g)), "{role:?} glyph {g}");
            }
        }
        // A TrueType program (the bundled fallback font) is deflated: its outlines halve.
        let crate::render::fonts::Coverage::Fallback(hana) = f.coverage(Role::FangSong, '堃')
        else {
            panic!("堃 has no fallback font");
        };
        let p = hana.program(&[hana.glyph('堃')]).expect("program");
        assert_eq!(p.format, crate::render::fonts::ProgramFormat::TrueType);
        assert!(p.deflated);
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&p.bytes[..])
            .read_to_end(&mut raw)
            .expect("inflate");
        assert_eq!(raw.len(), p.raw_len);
        assert!(p.bytes.len() < raw.len());
    }

    #[test]
    fn merged_pdf_carries_the_glyphs_of_every_document() {
        let f = fonts();
        let mut a = samples::talk_notice();
        let mut b = samples::talk_notice();
        a.sections[1].addressee = Some("甲乙同志：".to_string());
        b.sections[1].addressee = Some("丙丁同志：".to_string());
        let bytes = write_pdf_merged(
            &[(a, "甲乙".to_string()), (b, "丙丁".to_string())],
            &f,
            false,
        )
        .expect("pdf");
        let doc = lopdf::Document::load_mem(&bytes).expect("parse");
        assert_eq!(doc.get_pages().len(), 2);
        let first = squash(&doc.extract_text(&[1]).expect("text"));
        let second = squash(&doc.extract_text(&[2]).expect("text"));
        assert!(first.contains("甲乙同志："), "{first}");
        assert!(second.contains("丙丁同志："), "{second}");
    }

    #[test]
    fn many_documents_share_fonts_and_start_new_pages() {
        let f = fonts();
        let docs = vec![
            samples::talk_notice(),
            samples::recommendation(),
            samples::talk_notice(),
        ];
        let bytes = write_pdf_many(&docs, &f, true).expect("pdf");
        let doc = lopdf::Document::load_mem(&bytes).expect("parse");
        assert_eq!(doc.get_pages().len(), 5);
        let fonts = doc
            .objects
            .values()
            .filter(|o| {
                o.as_dict()
                    .ok()
                    .and_then(|d| d.get(b"Type").ok())
                    .and_then(|t| t.as_name().ok())
                    == Some(b"FontDescriptor".as_slice())
            })
            .count();
        // 小标宋, 仿宋, 黑体, 楷体, 宋体: each once.
        assert_eq!(fonts, 5);
        assert!(doc.catalog().expect("catalog").get(b"Outlines").is_ok());
    }
}
