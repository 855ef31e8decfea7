//! A small WordprocessingML (DOCX) writer: paragraphs, runs and the package around them,
//! written with quick-xml in one pass.
//!
//! The project wrote DOCX through docx-rs until stop 25, and then rewrote the package it
//! produced as strings, because docx-rs could not express what GB/T 9704 needs:
//! - `w:firstLineChars` (the two-character indent in character units, which Word prefers to
//!   a twips value);
//! - `w:overflowPunct`, `w:autoSpaceDE` and `w:autoSpaceDN` (no space added between Chinese
//!   and digits, no punctuation hanging into the margin);
//! - a font table with the Chinese fonts, their alternates (`w:altName`) and the GB 2312
//!   character set;
//! - the title and author in the core properties;
//! - and it wrote the children of `w:pPr` and `w:rPr` out of schema order, with theme font
//!   attributes and empty comment, footnote and numbering parts nobody uses.
//!
//! So every element is written here, each property element in ECMA-376 schema order by
//! construction, and nothing is rewritten after it is serialized. The instrument writer
//! (`render::docx`) and the table writer (`render::table`) share it.

use std::io::{self, Cursor, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// The WordprocessingML namespace.
const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The relationships namespace.
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The namespaces a part's root declares: WordprocessingML, relationships, and the drawing
/// namespaces of text boxes.
const ROOT_NS: &[(&str, &str)] = &[
    ("xmlns:w", NS_W),
    ("xmlns:r", NS_R),
    (
        "xmlns:wp",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    ),
    (
        "xmlns:a",
        "http://schemas.openxmlformats.org/drawingml/2006/main",
    ),
    (
        "xmlns:wps",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    ),
];
/// EMUs (drawing units) in a twip.
const EMU_PER_TWIP: i64 = 635;

/// The fonts the document names, with the alternates Word and WPS use on a machine that
/// lacks one (`w:altName`) and the GB 2312 character set (`86`) that tells them to look
/// for a Chinese font: (name, alternate, charset, family, pitch).
pub const CHINESE_FONTS: &[(&str, &str, &str, &str, &str)] = &[
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

/// An XML part being written.
pub struct Xml(quick_xml::Writer<Vec<u8>>);

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

impl Xml {
    /// A part, its XML declaration written.
    pub fn new() -> Self {
        let mut w = quick_xml::Writer::new(Vec::new());
        // Writing to a vector cannot fail.
        let _ = w.write_event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        Xml(w)
    }

    /// Open `name` with `attrs`.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.0.write_event(Event::Start(
            BytesStart::new(name).with_attributes(attrs.iter().copied()),
        ))
    }

    /// Close `name`.
    pub fn close(&mut self, name: &str) -> io::Result<()> {
        self.0.write_event(Event::End(BytesEnd::new(name)))
    }

    /// An empty element.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.0.write_event(Event::Empty(
            BytesStart::new(name).with_attributes(attrs.iter().copied()),
        ))
    }

    /// An empty element with a single `w:val`.
    pub fn val(&mut self, name: &str, val: &str) -> io::Result<()> {
        self.empty(name, &[("w:val", val)])
    }

    /// Escaped text, without the characters XML 1.0 cannot carry (control characters
    /// other than tab, line feed and carriage return; U+FFFE and U+FFFF).
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        let bad = |c: char| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}')
        };
        if text.contains(bad) {
            let clean: String = text.chars().filter(|&c| !bad(c)).collect();
            self.0.write_event(Event::Text(BytesText::new(&clean)))
        } else {
            self.0.write_event(Event::Text(BytesText::new(text)))
        }
    }

    /// `<name attrs>text</name>`.
    pub fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.open(name, attrs)?;
        self.text(text)?;
        self.close(name)
    }

    /// The bytes written.
    pub fn finish(self) -> Vec<u8> {
        self.0.into_inner()
    }

    /// A paragraph.
    pub fn paragraph(&mut self, p: &Paragraph) -> io::Result<()> {
        self.open("w:p", &[])?;
        if p.props != ParaProps::default() {
            self.para_props(&p.props)?;
        }
        for r in &p.runs {
            self.run(r)?;
        }
        self.close("w:p")
    }

    /// Paragraph properties (`w:pPr`), children in schema order.
    pub fn para_props(&mut self, p: &ParaProps) -> io::Result<()> {
        self.open("w:pPr", &[])?;
        if p.keep_next {
            self.empty("w:keepNext", &[])?;
        }
        if p.keep_lines {
            self.empty("w:keepLines", &[])?;
        }
        if p.page_break_before {
            self.empty("w:pageBreakBefore", &[])?;
        }
        if let Some(width) = p.frame {
            // Anchored to the bottom of the type area, centred, text around it.
            let w = width.to_string();
            self.empty(
                "w:framePr",
                &[
                    ("w:w", &w),
                    ("w:wrap", "around"),
                    ("w:vAnchor", "margin"),
                    ("w:hAnchor", "margin"),
                    ("w:xAlign", "center"),
                    ("w:yAlign", "bottom"),
                ],
            )?;
        }
        if !p.borders.is_empty() {
            self.open("w:pBdr", &[])?;
            // Schema order: top, left, bottom, right.
            for side in [Side::Top, Side::Bottom] {
                for b in p.borders.iter().filter(|b| b.side == side) {
                    self.border(b)?;
                }
            }
            self.close("w:pBdr")?;
        }
        if !p.tabs.is_empty() {
            self.open("w:tabs", &[])?;
            for t in &p.tabs {
                let pos = t.pos.to_string();
                let mut attrs = vec![("w:val", t.kind)];
                if let Some(l) = t.leader {
                    attrs.push(("w:leader", l));
                }
                attrs.push(("w:pos", &pos));
                self.empty("w:tab", &attrs)?;
            }
            self.close("w:tabs")?;
        }
        if p.east_asian_grid {
            self.val("w:overflowPunct", "0")?;
            self.val("w:autoSpaceDE", "0")?;
            self.val("w:autoSpaceDN", "0")?;
        }
        if let Some(s) = &p.spacing {
            let before = s.before.map(|v| v.to_string());
            let after = s.after.map(|v| v.to_string());
            let line = s.line.map(|(v, _)| v.to_string());
            let mut attrs = Vec::new();
            if let Some(v) = &before {
                attrs.push(("w:before", v.as_str()));
            }
            if let Some(v) = &after {
                attrs.push(("w:after", v.as_str()));
            }
            if let (Some(v), Some((_, rule))) = (&line, s.line) {
                attrs.push(("w:line", v.as_str()));
                attrs.push((
                    "w:lineRule",
                    match rule {
                        LineRule::Exact => "exact",
                        LineRule::Auto => "auto",
                    },
                ));
            }
            self.empty("w:spacing", &attrs)?;
        }
        if let Some(i) = &p.indent {
            let (left, right) = (i.left.to_string(), i.right.to_string());
            let first = i.first_line.unsigned_abs().to_string();
            let chars = i.first_line_chars.map(|c| c.to_string());
            let mut attrs = vec![("w:left", left.as_str()), ("w:right", right.as_str())];
            match i.first_line {
                0 => {}
                f if f < 0 => attrs.push(("w:hanging", first.as_str())),
                _ => {
                    if let Some(c) = &chars {
                        attrs.push(("w:firstLineChars", c.as_str()));
                    }
                    attrs.push(("w:firstLine", first.as_str()));
                }
            }
            self.empty("w:ind", &attrs)?;
        }
        if let Some(a) = p.align {
            self.val("w:jc", a.name())?;
        }
        if !p.mark.is_empty() {
            self.run_props(&p.mark)?;
        }
        self.close("w:pPr")
    }

    /// A border of a paragraph (in `w:pBdr`) or a cell (in `w:tcBorders`).
    fn border(&mut self, b: &Border) -> io::Result<()> {
        let (sz, space) = (b.size.to_string(), b.space.to_string());
        self.empty(
            b.side.name(),
            &[
                ("w:val", b.style),
                ("w:sz", &sz),
                ("w:space", &space),
                ("w:color", b.color),
            ],
        )
    }

    /// Run properties (`w:rPr`), children in schema order.
    pub fn run_props(&mut self, r: &RunProps) -> io::Result<()> {
        self.open("w:rPr", &[])?;
        if let Some(f) = r.font {
            let mut attrs = vec![
                ("w:ascii", f),
                ("w:hAnsi", f),
                ("w:eastAsia", f),
                ("w:cs", f),
            ];
            if r.hint_east_asia {
                attrs.push(("w:hint", "eastAsia"));
            }
            self.empty("w:rFonts", &attrs)?;
        }
        if r.bold {
            self.empty("w:b", &[])?;
        }
        if let Some(c) = r.color {
            self.val("w:color", c)?;
        }
        if let Some(s) = r.spacing {
            self.val("w:spacing", &s.to_string())?;
        }
        if let Some(s) = r.size {
            let s = s.to_string();
            self.val("w:sz", &s)?;
            self.val("w:szCs", &s)?;
        }
        if let Some(l) = r.east_asian_lang {
            self.empty("w:lang", &[("w:val", "en-US"), ("w:eastAsia", l)])?;
        }
        self.close("w:rPr")
    }

    /// A run: its properties, then its content.
    pub fn run(&mut self, r: &Run) -> io::Result<()> {
        self.open("w:r", &[])?;
        if !r.props.is_empty() {
            self.run_props(&r.props)?;
        }
        for c in &r.content {
            match c {
                Inline::Text(t) => self.element("w:t", &[("xml:space", "preserve")], t)?,
                Inline::Tab => self.empty("w:tab", &[])?,
                Inline::LineBreak => self.empty("w:br", &[])?,
                Inline::PageBreak => self.empty("w:br", &[("w:type", "page")])?,
                Inline::TextBox(b) => self.text_box(b)?,
                Inline::Field(instr) => {
                    self.empty("w:fldChar", &[("w:fldCharType", "begin")])?;
                    self.element("w:instrText", &[("xml:space", "preserve")], instr)?;
                    self.empty("w:fldChar", &[("w:fldCharType", "separate")])?;
                    self.element("w:t", &[], "1")?;
                    self.empty("w:fldChar", &[("w:fldCharType", "end")])?;
                }
            }
        }
        self.close("w:r")
    }
}

impl Xml {
    /// A text box centred on the type area at a height on the page, without border or
    /// fill, text of the page above and below it only (a DrawingML shape: Word 2010 and
    /// later, WPS and LibreOffice read it).
    fn text_box(&mut self, b: &TextBox) -> io::Result<()> {
        let cx = (i64::from(b.width) * EMU_PER_TWIP).to_string();
        let cy = (i64::from(b.height) * EMU_PER_TWIP).to_string();
        let id = b.id.to_string();
        let name = format!("文本框 {}", b.id);
        self.open("w:drawing", &[])?;
        self.open(
            "wp:anchor",
            &[
                ("distT", "0"),
                ("distB", "0"),
                ("distL", "0"),
                ("distR", "0"),
                ("simplePos", "0"),
                ("relativeHeight", "251659264"),
                ("behindDoc", "0"),
                ("locked", "0"),
                ("layoutInCell", "1"),
                ("allowOverlap", "0"),
            ],
        )?;
        self.empty("wp:simplePos", &[("x", "0"), ("y", "0")])?;
        self.open("wp:positionH", &[("relativeFrom", "margin")])?;
        self.element("wp:align", &[], "center")?;
        self.close("wp:positionH")?;
        // From the top of the page: the box ends with a paragraph below its content, which
        // LibreOffice sets taller than asked, so a box aligned to the bottom of the margin
        // would stand higher there than in Word.
        let top = (i64::from(b.top) * EMU_PER_TWIP).to_string();
        self.open("wp:positionV", &[("relativeFrom", "page")])?;
        self.element("wp:posOffset", &[], &top)?;
        self.close("wp:positionV")?;
        self.empty("wp:extent", &[("cx", &cx), ("cy", &cy)])?;
        self.empty(
            "wp:effectExtent",
            &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
        )?;
        self.empty("wp:wrapTopAndBottom", &[])?;
        self.empty("wp:docPr", &[("id", &id), ("name", &name)])?;
        self.empty("wp:cNvGraphicFramePr", &[])?;
        self.open("a:graphic", &[])?;
        self.open(
            "a:graphicData",
            &[(
                "uri",
                "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
            )],
        )?;
        self.open("wps:wsp", &[])?;
        self.empty("wps:cNvSpPr", &[("txBox", "1")])?;
        self.open("wps:spPr", &[])?;
        self.open("a:xfrm", &[])?;
        self.empty("a:off", &[("x", "0"), ("y", "0")])?;
        self.empty("a:ext", &[("cx", &cx), ("cy", &cy)])?;
        self.close("a:xfrm")?;
        self.open("a:prstGeom", &[("prst", "rect")])?;
        self.empty("a:avLst", &[])?;
        self.close("a:prstGeom")?;
        self.empty("a:noFill", &[])?;
        self.open("a:ln", &[])?;
        self.empty("a:noFill", &[])?;
        self.close("a:ln")?;
        self.close("wps:spPr")?;
        self.open("wps:txbx", &[])?;
        self.open("w:txbxContent", &[])?;
        self.table(&b.table)?;
        // Its content ends with a paragraph, as a cell's and the body's do; a 1 pt one.
        self.paragraph(&Paragraph::hairline())?;
        self.close("w:txbxContent")?;
        self.close("wps:txbx")?;
        self.open(
            "wps:bodyPr",
            &[
                ("wrap", "square"),
                ("lIns", "0"),
                ("tIns", "0"),
                ("rIns", "0"),
                ("bIns", "0"),
                ("anchor", "t"),
            ],
        )?;
        self.empty("a:spAutoFit", &[])?;
        self.close("wps:bodyPr")?;
        self.close("wps:wsp")?;
        self.close("a:graphicData")?;
        self.close("a:graphic")?;
        self.close("wp:anchor")?;
        self.close("w:drawing")
    }
}

impl Xml {
    /// A one-column table without borders but those its cells give.
    pub fn table(&mut self, t: &Table) -> io::Result<()> {
        let width = t.width.to_string();
        let (left, right) = (t.cell_margins.0.to_string(), t.cell_margins.1.to_string());
        self.open("w:tbl", &[])?;
        self.open("w:tblPr", &[])?;
        self.empty("w:tblW", &[("w:w", &width), ("w:type", "dxa")])?;
        self.empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")])?;
        self.empty("w:tblLayout", &[("w:type", "fixed")])?;
        self.open("w:tblCellMar", &[])?;
        for (side, w) in [
            ("w:top", "0"),
            ("w:left", left.as_str()),
            ("w:bottom", "0"),
            ("w:right", right.as_str()),
        ] {
            self.empty(side, &[("w:w", w), ("w:type", "dxa")])?;
        }
        self.close("w:tblCellMar")?;
        self.close("w:tblPr")?;
        self.open("w:tblGrid", &[])?;
        self.empty("w:gridCol", &[("w:w", &width)])?;
        self.close("w:tblGrid")?;
        for cell in &t.rows {
            self.open("w:tr", &[])?;
            self.open("w:trPr", &[])?;
            self.empty("w:cantSplit", &[])?;
            self.close("w:trPr")?;
            self.open("w:tc", &[])?;
            self.open("w:tcPr", &[])?;
            self.empty("w:tcW", &[("w:w", &width), ("w:type", "dxa")])?;
            self.open("w:tcBorders", &[])?;
            for side in [Side::Top, Side::Bottom] {
                match cell.borders.iter().find(|b| b.side == side) {
                    Some(b) => self.border(b)?,
                    None => self.val(side.name(), "nil")?,
                }
            }
            for side in ["w:left", "w:right"] {
                self.val(side, "nil")?;
            }
            self.close("w:tcBorders")?;
            self.close("w:tcPr")?;
            for p in &cell.paragraphs {
                self.paragraph(p)?;
            }
            if cell.paragraphs.is_empty() {
                self.paragraph(&Paragraph::default())?;
            }
            self.close("w:tc")?;
            self.close("w:tr")?;
        }
        self.close("w:tbl")
    }
}

/// A one-column table: rows of paragraphs, each row with its own top and bottom rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Width, twips.
    pub width: i32,
    /// Space between the cell's edges and its text, left and right, twips.
    pub cell_margins: (i32, i32),
    /// Its rows.
    pub rows: Vec<Cell>,
}

/// A table's row: its paragraphs and the rules above and below it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// Rules (top and bottom; the side names which).
    pub borders: Vec<Border>,
    /// Paragraphs.
    pub paragraphs: Vec<Paragraph>,
}

/// A text box at the bottom of the type area (see [`Inline::TextBox`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextBox {
    /// Its drawing id, unique in the document.
    pub id: u32,
    /// Width, twips.
    pub width: i32,
    /// Height, twips (readers grow it to fit its text).
    pub height: i32,
    /// Distance of its top from the top of the page, twips.
    pub top: i32,
    /// Its content: a table (the 版记's lines and rules).
    pub table: Table,
}

/// Paragraph alignment (`w:jc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified.
    Both,
}

impl Align {
    fn name(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Both => "both",
        }
    }
}

/// The side of a paragraph border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Above the paragraph.
    Top,
    /// Below the paragraph.
    Bottom,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Top => "w:top",
            Side::Bottom => "w:bottom",
        }
    }
}

/// A paragraph border.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Border {
    /// Which side.
    pub side: Side,
    /// The line style (`single`, `dashed`, `thickThinSmallGap`, …).
    pub style: &'static str,
    /// Width in eighths of a point.
    pub size: u32,
    /// Distance from the text, points.
    pub space: u32,
    /// Colour, `RRGGBB`.
    pub color: &'static str,
}

/// A tab stop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tab {
    /// `left` or `right`.
    pub kind: &'static str,
    /// The leader drawn up to the stop (`heavy`, `underscore`, …), if any.
    pub leader: Option<&'static str>,
    /// Position from the left indent, twips.
    pub pos: i32,
}

/// How a paragraph's line height is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRule {
    /// Exactly the height given, twips.
    Exact,
    /// In 240ths of a single line.
    Auto,
}

/// Paragraph spacing (`w:spacing`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spacing {
    /// Space before, twips.
    pub before: Option<u32>,
    /// Space after, twips.
    pub after: Option<u32>,
    /// Line height and its rule.
    pub line: Option<(i32, LineRule)>,
}

impl Spacing {
    /// Lines of exactly `line` twips, no space before or after.
    pub fn exact(line: i32) -> Self {
        Spacing {
            before: Some(0),
            after: Some(0),
            line: Some((line, LineRule::Exact)),
        }
    }
}

/// Paragraph indentation (`w:ind`), twips.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Indent {
    /// Left indent.
    pub left: i32,
    /// Right indent.
    pub right: i32,
    /// First-line indent: positive indents the first line, negative hangs it.
    pub first_line: i32,
    /// The first-line indent in hundredths of a character, which Word prefers.
    pub first_line_chars: Option<u32>,
}

/// Paragraph properties.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParaProps {
    /// Kept on the page of the next paragraph.
    pub keep_next: bool,
    /// Never split across pages.
    pub keep_lines: bool,
    /// Starts a new page.
    pub page_break_before: bool,
    /// Framed: the width of a frame at the bottom of the type area.
    pub frame: Option<i32>,
    /// Borders.
    pub borders: Vec<Border>,
    /// Tab stops.
    pub tabs: Vec<Tab>,
    /// On the character grid: no space added between Chinese and Latin text or digits, no
    /// punctuation hanging into the margin.
    pub east_asian_grid: bool,
    /// Spacing and line height.
    pub spacing: Option<Spacing>,
    /// Indentation.
    pub indent: Option<Indent>,
    /// Alignment.
    pub align: Option<Align>,
    /// Properties of the paragraph mark.
    pub mark: RunProps,
}

/// Run properties.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunProps {
    /// The font for every script.
    pub font: Option<&'static str>,
    /// Tell Word to treat ambiguous characters as East Asian (`w:hint="eastAsia"`).
    pub hint_east_asia: bool,
    /// Bold.
    pub bold: bool,
    /// Colour, `RRGGBB`.
    pub color: Option<&'static str>,
    /// Character spacing, twentieths of a point.
    pub spacing: Option<i32>,
    /// Size in half-points.
    pub size: Option<u32>,
    /// The East Asian language (`zh-CN`).
    pub east_asian_lang: Option<&'static str>,
}

impl RunProps {
    /// `font` at `size` half-points.
    pub fn font(font: &'static str, size: u32) -> Self {
        RunProps {
            font: Some(font),
            size: Some(size),
            ..Default::default()
        }
    }

    fn is_empty(&self) -> bool {
        *self == RunProps::default()
    }
}

/// What a run holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Text.
    Text(String),
    /// A tab.
    Tab,
    /// A line break.
    LineBreak,
    /// A page break.
    PageBreak,
    /// A field (such as `PAGE`), shown as "1" until the reader updates it.
    Field(&'static str),
    /// A text box anchored at the bottom of the type area of the page this run is on.
    TextBox(Box<TextBox>),
}

/// A run: text of one format.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Run {
    /// Its format.
    pub props: RunProps,
    /// Its content.
    pub content: Vec<Inline>,
}

impl Run {
    /// An empty run formatted as `props`.
    pub fn new(props: RunProps) -> Self {
        Run {
            props,
            content: Vec::new(),
        }
    }

    /// Add text.
    pub fn text(mut self, t: impl Into<String>) -> Self {
        self.content.push(Inline::Text(t.into()));
        self
    }

    /// Add an inline item.
    pub fn item(mut self, i: Inline) -> Self {
        self.content.push(i);
        self
    }

    /// In `color`.
    pub fn color(mut self, color: &'static str) -> Self {
        self.props.color = Some(color);
        self
    }
}

/// A paragraph.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paragraph {
    /// Its properties.
    pub props: ParaProps,
    /// Its runs.
    pub runs: Vec<Run>,
}

impl Paragraph {
    /// An empty paragraph with `spacing`.
    pub fn new(spacing: Spacing) -> Self {
        Paragraph {
            props: ParaProps {
                spacing: Some(spacing),
                ..Default::default()
            },
            runs: Vec::new(),
        }
    }

    /// An empty paragraph 1 pt high (to end a text box, to carry a rule or a drawing).
    pub fn hairline() -> Self {
        Paragraph::new(Spacing::exact(20)).mark(RunProps {
            size: Some(2),
            ..Default::default()
        })
    }

    /// Aligned.
    pub fn align(mut self, a: Align) -> Self {
        self.props.align = Some(a);
        self
    }

    /// Indented `left` and `right` twips, the first line `first_line` more (negative:
    /// hanging).
    pub fn indent(mut self, left: i32, right: i32, first_line: i32) -> Self {
        self.props.indent = Some(Indent {
            left,
            right,
            first_line,
            first_line_chars: None,
        });
        self
    }

    /// With this indentation.
    pub fn indentation(mut self, i: Indent) -> Self {
        self.props.indent = Some(i);
        self
    }

    /// The paragraph mark formatted as `props`.
    pub fn mark(mut self, props: RunProps) -> Self {
        self.props.mark = props;
        self
    }

    /// With a tab stop.
    pub fn tab(mut self, t: Tab) -> Self {
        self.props.tabs.push(t);
        self
    }

    /// With a border.
    pub fn border(mut self, b: Border) -> Self {
        self.props.borders.push(b);
        self
    }

    /// In a frame `width` twips wide at the bottom of the type area.
    pub fn frame(mut self, width: i32) -> Self {
        self.props.frame = Some(width);
        self
    }

    /// Kept with the next paragraph.
    pub fn keep_next(mut self) -> Self {
        self.props.keep_next = true;
        self
    }

    /// Add a run.
    pub fn run(mut self, r: Run) -> Self {
        self.runs.push(r);
        self
    }

    /// Add runs.
    pub fn runs(mut self, rs: impl IntoIterator<Item = Run>) -> Self {
        self.runs.extend(rs);
        self
    }
}

/// Which pages a header or footer is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pages {
    /// Odd pages (every page, unless the document has even-page ones).
    Default,
    /// Even pages.
    Even,
    /// The first page.
    First,
}

impl Pages {
    fn name(self) -> &'static str {
        match self {
            Pages::Default => "default",
            Pages::Even => "even",
            Pages::First => "first",
        }
    }
}

/// Page size, margins and grid of the document's one section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// Width, twips.
    pub width: u32,
    /// Height, twips.
    pub height: u32,
    /// Landscape.
    pub landscape: bool,
    /// Margins top, right, bottom, left, twips.
    pub margins: [i32; 4],
    /// Distance of the header and the footer from the page's edge, twips.
    pub header: u32,
    /// See `header`.
    pub footer: u32,
    /// A line grid of this pitch, twips.
    pub line_pitch: Option<u32>,
}

/// A DOCX package being assembled.
pub struct Package {
    /// Title (core properties).
    pub title: String,
    /// Author (core properties).
    pub author: String,
    /// Creation and modification time, `YYYY-MM-DDT00:00:00Z`.
    pub date: String,
    /// The page.
    pub page: Page,
    /// The body's paragraphs and tables, written.
    pub body: Xml,
    /// Headers: which pages, paragraphs.
    pub headers: Vec<(Pages, Vec<Paragraph>)>,
    /// Footers: which pages, paragraphs.
    pub footers: Vec<(Pages, Vec<Paragraph>)>,
    /// The document's default run and paragraph properties (also its Normal style).
    pub defaults: (RunProps, ParaProps),
    /// Fonts the font table lists: (name, alternate, charset, family, pitch).
    pub fonts: &'static [(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    )],
}

impl Package {
    /// A package for `page`, with an empty body.
    pub fn new(page: Page, defaults: (RunProps, ParaProps)) -> Self {
        let mut body = Xml::new();
        // Writing to a vector cannot fail.
        let _ = body.open("w:document", ROOT_NS);
        let _ = body.open("w:body", &[]);
        Package {
            title: String::new(),
            author: String::new(),
            date: "1980-01-01T00:00:00Z".into(),
            page,
            body,
            headers: Vec::new(),
            footers: Vec::new(),
            defaults,
            fonts: &[],
        }
    }

    /// The package as DOCX bytes: every part, with fixed zip timestamps, so that the same
    /// input gives the same bytes.
    pub fn finish(self) -> io::Result<Vec<u8>> {
        let Package {
            title,
            author,
            date,
            page,
            mut body,
            headers,
            footers,
            defaults,
            fonts,
        } = self;
        let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
        let mut rels = vec![
            ("rId1".to_string(), "styles", "styles.xml".to_string()),
            ("rId2".to_string(), "settings", "settings.xml".to_string()),
        ];
        if !fonts.is_empty() {
            rels.push(("rId3".into(), "fontTable", "fontTable.xml".into()));
        }
        let mut refs = Vec::new();
        for (kind, list) in [("header", &headers), ("footer", &footers)] {
            for (i, (pages, paras)) in list.iter().enumerate() {
                let id = format!("rId{kind}{}", i + 1);
                let file = format!("{kind}{}.xml", i + 1);
                let root = if kind == "header" { "w:hdr" } else { "w:ftr" };
                let mut x = Xml::new();
                x.open(root, ROOT_NS)?;
                for p in paras {
                    x.paragraph(p)?;
                }
                x.close(root)?;
                parts.push((format!("word/{file}"), x.finish()));
                refs.push((kind, *pages, id.clone()));
                rels.push((id, kind, file));
            }
        }
        // The section: references in schema order (headers before footers).
        body.open("w:sectPr", &[])?;
        for (kind, pages, id) in &refs {
            let name = if *kind == "header" {
                "w:headerReference"
            } else {
                "w:footerReference"
            };
            body.empty(name, &[("w:type", pages.name()), ("r:id", id)])?;
        }
        let (w, h) = (page.width.to_string(), page.height.to_string());
        let mut size = vec![("w:w", w.as_str()), ("w:h", h.as_str())];
        if page.landscape {
            size.push(("w:orient", "landscape"));
        }
        body.empty("w:pgSz", &size)?;
        let [top, right, bottom, left] = page.margins.map(|m| m.to_string());
        let (hd, ft) = (page.header.to_string(), page.footer.to_string());
        body.empty(
            "w:pgMar",
            &[
                ("w:top", &top),
                ("w:right", &right),
                ("w:bottom", &bottom),
                ("w:left", &left),
                ("w:header", &hd),
                ("w:footer", &ft),
                ("w:gutter", "0"),
            ],
        )?;
        if refs.iter().any(|(_, p, _)| *p == Pages::First) {
            body.empty("w:titlePg", &[])?;
        }
        if let Some(pitch) = page.line_pitch {
            body.empty(
                "w:docGrid",
                &[("w:type", "lines"), ("w:linePitch", &pitch.to_string())],
            )?;
        }
        body.close("w:sectPr")?;
        body.close("w:body")?;
        body.close("w:document")?;
        parts.insert(0, ("word/document.xml".into(), body.finish()));
        parts.push(("word/styles.xml".into(), styles(&defaults)?));
        let even = refs.iter().any(|(_, p, _)| *p == Pages::Even);
        parts.push(("word/settings.xml".into(), settings(even)?));
        if !fonts.is_empty() {
            parts.push(("word/fontTable.xml".into(), font_table(fonts)?));
        }
        parts.push(("docProps/core.xml".into(), core(&title, &author, &date)?));
        parts.push(("docProps/app.xml".into(), app()?));
        let rels: Vec<(String, String, String)> = rels
            .into_iter()
            .map(|(id, kind, target)| (id, format!("{NS_R}/{kind}"), target))
            .collect();
        parts.push(("word/_rels/document.xml.rels".into(), relationships(&rels)?));
        parts.push(("_rels/.rels".into(), package_rels()?));
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        let types = content_types(&names)?;
        let mut all = vec![("[Content_Types].xml".to_string(), types)];
        all.extend(parts);
        zip(all.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
    }
}

fn styles((run, para): &(RunProps, ParaProps)) -> io::Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open("w:styles", &[("xmlns:w", NS_W)])?;
    x.open("w:docDefaults", &[])?;
    x.open("w:rPrDefault", &[])?;
    x.run_props(run)?;
    x.close("w:rPrDefault")?;
    x.open("w:pPrDefault", &[])?;
    x.para_props(para)?;
    x.close("w:pPrDefault")?;
    x.close("w:docDefaults")?;
    // The Normal style carries the body font, size and line height too: LibreOffice
    // derives the character grid from it, and Word users expect it.
    x.open(
        "w:style",
        &[
            ("w:type", "paragraph"),
            ("w:default", "1"),
            ("w:styleId", "Normal"),
        ],
    )?;
    x.val("w:name", "Normal")?;
    x.empty("w:qFormat", &[])?;
    x.para_props(&ParaProps {
        spacing: para.spacing,
        ..Default::default()
    })?;
    x.run_props(&RunProps {
        font: run.font,
        size: run.size,
        ..Default::default()
    })?;
    x.close("w:style")?;
    x.close("w:styles")?;
    Ok(x.finish())
}

/// Settings: Word 2013's layout (compatibility mode 15) with East Asian line breaking,
/// and different odd and even page footers when the document has even ones.
fn settings(even_and_odd: bool) -> io::Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open("w:settings", &[("xmlns:w", NS_W)])?;
    // Schema order: zoom, defaultTabStop, evenAndOddHeaders, compat.
    x.empty("w:zoom", &[("w:percent", "100")])?;
    x.val("w:defaultTabStop", "840")?;
    if even_and_odd {
        x.empty("w:evenAndOddHeaders", &[])?;
    }
    x.open("w:compat", &[])?;
    for c in [
        "w:spaceForUL",
        "w:balanceSingleByteDoubleByteWidth",
        "w:doNotLeaveBackslashAlone",
        "w:ulTrailSpace",
        "w:doNotExpandShiftReturn",
        "w:useFELayout",
    ] {
        x.empty(c, &[])?;
    }
    for (name, val) in [
        ("compatibilityMode", "15"),
        ("overrideTableStyleFontSizeAndJustification", "1"),
        ("enableOpenTypeFeatures", "1"),
        ("doNotFlipMirrorIndents", "1"),
    ] {
        x.empty(
            "w:compatSetting",
            &[
                ("w:name", name),
                ("w:uri", "http://schemas.microsoft.com/office/word"),
                ("w:val", val),
            ],
        )?;
    }
    x.close("w:compat")?;
    x.close("w:settings")?;
    Ok(x.finish())
}

fn font_table(fonts: &[(&str, &str, &str, &str, &str)]) -> io::Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open("w:fonts", &[("xmlns:w", NS_W)])?;
    for (name, alt, charset, family, pitch) in fonts {
        x.open("w:font", &[("w:name", name)])?;
        if !alt.is_empty() {
            x.val("w:altName", alt)?;
        }
        x.val("w:charset", charset)?;
        x.val("w:family", family)?;
        x.val("w:pitch", pitch)?;
        x.close("w:font")?;
    }
    x.close("w:fonts")?;
    Ok(x.finish())
}

fn core(title: &str, author: &str, date: &str) -> io::Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    )?;
    x.element("dc:title", &[], title)?;
    x.element("dc:creator", &[], author)?;
    x.element("cp:lastModifiedBy", &[], author)?;
    x.element("cp:revision", &[], "1")?;
    x.element("dcterms:created", &[("xsi:type", "dcterms:W3CDTF")], date)?;
    x.element("dcterms:modified", &[("xsi:type", "dcterms:W3CDTF")], date)?;
    x.close("cp:coreProperties")?;
    Ok(x.finish())
}

fn app() -> io::Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
    )?;
    x.element("Application", &[], "jiandu")?;
    x.close("Properties")?;
    Ok(x.finish())
}

/// The package's relationships: the document and its properties.
fn package_rels() -> io::Result<Vec<u8>> {
    let rels = [
        (
            "rId1",
            format!("{NS_R}/officeDocument"),
            "word/document.xml",
        ),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .to_string(),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{NS_R}/extended-properties"),
            "docProps/app.xml",
        ),
    ];
    let rels: Vec<(String, String, String)> = rels
        .into_iter()
        .map(|(id, ty, target)| (id.to_string(), ty, target.to_string()))
        .collect();
    relationships(&rels)
}

/// A relationships part: (id, type, target) each.
fn relationships(rels: &[(String, String, String)]) -> io::Result<Vec<u8>> {
    let mut x = Xml::new();
    x.open(
        "Relationships",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/relationships",
        )],
    )?;
    for (id, ty, target) in rels {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", ty), ("Target", target)],
        )?;
    }
    x.close("Relationships")?;
    Ok(x.finish())
}

/// The content type of each part the package holds.
fn content_types(parts: &[&str]) -> io::Result<Vec<u8>> {
    const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut x = Xml::new();
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    )?;
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    )?;
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    )?;
    for p in parts {
        let ty = match *p {
            "word/document.xml" => format!("{WML}.document.main+xml"),
            "word/styles.xml" => format!("{WML}.styles+xml"),
            "word/settings.xml" => format!("{WML}.settings+xml"),
            "word/fontTable.xml" => format!("{WML}.fontTable+xml"),
            "docProps/core.xml" => {
                "application/vnd.openxmlformats-package.core-properties+xml".into()
            }
            "docProps/app.xml" => {
                "application/vnd.openxmlformats-officedocument.extended-properties+xml".into()
            }
            p if p.starts_with("word/header") => format!("{WML}.header+xml"),
            p if p.starts_with("word/footer") => format!("{WML}.footer+xml"),
            _ => continue,
        };
        let name = format!("/{p}");
        x.empty("Override", &[("PartName", &name), ("ContentType", &ty)])?;
    }
    x.close("Types")?;
    Ok(x.finish())
}

/// Pack files into a zip with fixed timestamps (so the same content gives the same bytes),
/// at a fast deflate level: a one-page notice grows by a few hundred bytes and is written
/// several times faster than at the default level.
pub fn zip<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> io::Result<Vec<u8>> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in files {
        zw.start_file(name, opts).map_err(io::Error::other)?;
        zw.write_all(bytes)?;
    }
    Ok(zw.finish().map_err(io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para_xml(p: &Paragraph) -> String {
        let mut x = Xml(quick_xml::Writer::new(Vec::new()));
        x.paragraph(p).expect("write");
        String::from_utf8(x.finish()).expect("utf-8")
    }

    #[test]
    fn properties_are_written_in_schema_order() {
        let p = Paragraph::new(Spacing::exact(579))
            .align(Align::Both)
            .indent(0, 0, 640)
            .border(Border {
                side: Side::Bottom,
                style: "single",
                size: 8,
                space: 11,
                color: "FF0000",
            })
            .border(Border {
                side: Side::Top,
                style: "dashed",
                size: 6,
                space: 0,
                color: "000000",
            })
            .keep_next()
            .frame(100)
            .mark(RunProps::font("仿宋_GB2312", 32))
            .run(
                Run::new(RunProps::font("黑体", 32))
                    .color("FF0000")
                    .text("一、<总体>"),
            );
        assert_eq!(
            para_xml(&p),
            concat!(
                r#"<w:p><w:pPr><w:keepNext/><w:framePr w:w="100" w:wrap="around" w:vAnchor="margin" w:hAnchor="margin" w:xAlign="center" w:yAlign="bottom"/>"#,
                r#"<w:pBdr><w:top w:val="dashed" w:sz="6" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="11" w:color="FF0000"/></w:pBdr>"#,
                r#"<w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:ind w:left="0" w:right="0" w:firstLine="640"/><w:jc w:val="both"/>"#,
                r#"<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:pPr>"#,
                r#"<w:r><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体" w:cs="黑体"/><w:color w:val="FF0000"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">一、&lt;总体&gt;</w:t></w:r></w:p>"#
            )
        );
    }

    #[test]
    fn a_package_holds_each_part_with_its_type_and_relationship() {
        let page = Page {
            width: 11906,
            height: 16838,
            landscape: false,
            margins: [2098, 1474, 1984, 1587],
            header: 851,
            footer: 1267,
            line_pitch: Some(579),
        };
        let mut pkg = Package::new(page, Default::default());
        pkg.title = "标题 & 副题".into();
        pkg.body
            .paragraph(&Paragraph::new(Spacing::exact(579)).run(Run::default().text("正文")))
            .expect("write");
        pkg.footers
            .push((Pages::Default, vec![Paragraph::default()]));
        pkg.footers.push((Pages::Even, vec![Paragraph::default()]));
        pkg.headers.push((Pages::First, vec![Paragraph::default()]));
        let bytes = pkg.finish().expect("package");
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut read = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut z.by_name(name).expect(name), &mut s)
                .expect("utf-8");
            s
        };
        let types = read("[Content_Types].xml");
        for part in [
            "/word/document.xml",
            "/word/footer2.xml",
            "/word/header1.xml",
        ] {
            assert!(types.contains(part), "{part} in {types}");
        }
        let rels = read("word/_rels/document.xml.rels");
        assert!(rels.contains(r#"Id="rIdheader1""#) && rels.contains("footer2.xml"));
        let doc = read("word/document.xml");
        assert!(doc.contains(
            r#"<w:sectPr><w:headerReference w:type="first" r:id="rIdheader1"/><w:footerReference w:type="default" r:id="rIdfooter1"/><w:footerReference w:type="even" r:id="rIdfooter2"/><w:pgSz"#
        ), "{doc}");
        assert!(doc.contains("<w:titlePg/><w:docGrid"));
        assert!(read("word/settings.xml").contains("<w:evenAndOddHeaders/>"));
        assert!(read("docProps/core.xml").contains("<dc:title>标题 &amp; 副题</dc:title>"));
    }
}
