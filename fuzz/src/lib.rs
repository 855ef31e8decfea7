//! The bodies of jiandu's fuzz targets (issue 6). Each takes arbitrary bytes; it must not
//! panic, hang or allocate without bound, and it asserts what must hold of its output.
//!
//! The file is shared: `fuzz_targets/*.rs` call these functions under libFuzzer, and
//! `tests/fuzz_regressions.rs` includes this file (`#[path]`) to replay every kept crash
//! under `cargo test`. So it uses nothing but `jiandu` and the standard library.
//!
//! Structured targets (`fill`, `linebreak`) decode their bytes by hand rather than through
//! `arbitrary`, so a kept input means the same thing to both users of this file.

use jiandu::extract::Extracted;
use jiandu::instrument::{self, Data, Raw};
use jiandu::intake::{self, Block, Document, Format, Limits};
use jiandu::render::linebreak::{break_balanced, break_lines, Params};
use jiandu::render::{write_docx, write_pdf, FontConfig, Fonts, Role};
use std::path::Path;
use std::sync::OnceLock;

/// What every extraction must satisfy: spans inside their paragraphs, parents first, and a
/// JSON rendering that succeeds.
fn check_extracted(doc: &Document, ex: &Extracted) {
    for (i, t) in ex.items.iter().enumerate() {
        let s = &t.span;
        assert!(s.paragraph >= 1 && s.paragraph <= doc.blocks.len(), "{s:?}");
        let n = doc.blocks[s.paragraph - 1].text.chars().count();
        assert!(
            s.start <= s.end && s.end <= n,
            "{s:?} in a paragraph of {n}"
        );
        if let Some(parent) = &t.parent {
            assert!(
                ex.items[..i].iter().any(|p| &p.id == parent),
                "parent {parent} comes first"
            );
        }
    }
    jiandu::extract::json::documents_json(std::slice::from_ref(ex))
        .expect("JSON of any extraction");
}

/// Read `data` as `format`, then run the rest of the plan pipeline on what was read.
fn read_and_extract(format: Format, name: &str, data: &[u8]) {
    let Ok(doc) = intake::from_bytes(format, data, Path::new(name), &Limits::default()) else {
        return;
    };
    for b in &doc.blocks {
        assert!(
            !b.text.is_empty() && b.text.trim() == b.text,
            "{:?}",
            b.text
        );
    }
    let ex = jiandu::model::plan_of(jiandu::extract::Vocabulary::builtin(), &doc, None);
    check_extracted(&doc, &ex);
}

/// A .txt plan (UTF-8 or GB18030), through the whole pipeline up to the model.
pub fn txt(data: &[u8]) {
    read_and_extract(Format::Txt, "fuzz.txt", data);
}

/// A .docx file.
pub fn docx(data: &[u8]) {
    read_and_extract(Format::Docx, "fuzz.docx", data);
}

/// A .pdf file.
pub fn pdf(data: &[u8]) {
    read_and_extract(Format::Pdf, "fuzz.pdf", data);
}

/// A spreadsheet (.xlsx, .xls, .ods: the reader tells them apart by their bytes), read both
/// as a plan kept as a table and as the rows of a batch.
pub fn sheet(data: &[u8]) {
    read_and_extract(Format::Sheet, "fuzz.xlsx", data);
    rows("xlsx", data);
}

/// A .csv list of people for a batch (UTF-8 or GB18030).
pub fn csv(data: &[u8]) {
    rows("csv", data);
}

fn rows(ext: &str, data: &[u8]) {
    let inst = instrument::find("talk-notice").expect("built-in talk notice");
    let _ = instrument::rows::read_bytes(data, ext, None, &inst, &[], &Limits::default());
}

/// The outline parser on arbitrary text, one paragraph per line.
pub fn outline(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let blocks: Vec<Block> = text.split('\n').map(Block::para).collect();
    let o = jiandu::outline::parse(&blocks);
    for (i, it) in o.items.iter().enumerate() {
        assert!(it.block < blocks.len() && it.block <= it.last_block);
        assert!(it.last_block < blocks.len());
        let n = blocks[it.block].text.chars().count();
        assert!(it.start <= it.end && it.end <= n, "{it:?}");
        if let Some(p) = it.parent {
            assert!(p < i, "a parent comes first");
        }
    }
}

fn fonts() -> &'static Fonts {
    static F: OnceLock<Fonts> = OnceLock::new();
    F.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = if dir.join("fonts").is_dir() {
            dir.join("fonts")
        } else {
            dir.join("../fonts")
        };
        Fonts::load(&FontConfig {
            font_dir: Some(dir),
            ..Default::default()
        })
        .expect("bundled fonts")
    })
}

/// Template filling with arbitrary field values. The bytes are: one byte choosing the
/// instrument, then values separated by 0xFF (never part of UTF-8), each a byte choosing
/// the field followed by the value's text. A value set must give a DOCX and a PDF, or a
/// validation error; filling a validated instrument must not fail.
pub fn fill(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let all = instrument::builtin();
    let inst = &all[usize::from(pick) % all.len()];
    let mut values = Data::from_toml(&instrument::example_data(inst)).expect("example data");
    for part in rest.split(|&b| b == 0xFF) {
        let Some((&field, value)) = part.split_first() else {
            continue;
        };
        let f = &inst.schema.fields[usize::from(field) % inst.schema.fields.len()];
        values.set(
            f.key.clone(),
            Raw::Text(String::from_utf8_lossy(value).into_owned()),
        );
    }
    let fonts = fonts();
    let can_draw = |c: char| {
        if fonts.slot_for(Role::FangSong, c).is_some() {
            jiandu::instrument::Draw::Own
        } else {
            jiandu::instrument::Draw::Missing(String::new())
        }
    };
    let report = instrument::validate(inst, &values, &can_draw);
    if !report.errors.is_empty() {
        return;
    }
    let doc = instrument::fill(inst, &values).expect("a validated instrument fills");
    let docx = write_docx(&doc).expect("DOCX of a filled instrument");
    assert!(docx.starts_with(b"PK"));
    let pdf = write_pdf(&doc, fonts).expect("PDF of a filled instrument");
    assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n"));
}

/// The line breaker: two bytes give the width, the rest is the text. Lines must cover the
/// text exactly, in order.
pub fn linebreak(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let width = f32::from(u16::from_le_bytes([data[0], data[1]])) / 64.0;
    let text = String::from_utf8_lossy(&data[2..]);
    let widths = |c: char| if c.is_ascii() { 8.0 } else { 16.0 };
    for lines in [
        break_lines(
            &text,
            widths,
            Params {
                width,
                first_indent: 32.0,
                squeeze: 8.0,
            },
        ),
        break_balanced(&text, widths, width),
    ] {
        let mut at = 0;
        for l in &lines {
            assert_eq!(l.start, at, "lines are contiguous");
            assert!(l.end >= l.start && text.is_char_boundary(l.end));
            at = l.end;
        }
        if !text.is_empty() {
            assert_eq!(at, text.len(), "the lines cover the text");
        }
    }
}
