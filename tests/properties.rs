//! Properties that must hold for any input (issue 6, part 3), checked with proptest:
//! any string in a text field gives a well-formed DOCX and a PDF whose text keeps the
//! string's printable characters in order (or, when a character has no glyph, a Chinese
//! error naming the field and the character); the line breaker never loses, duplicates or
//! reorders a character; the outline parser never panics and its spans lie inside the text.

use jiandu::instrument::{self, Data, Raw};
use jiandu::intake::Block;
use jiandu::outline;
use jiandu::render::linebreak::{break_lines, Params};
use jiandu::render::{write_docx, write_pdf, FontConfig, Fonts, Role};
use proptest::prelude::*;
use std::io::Read;
use std::sync::OnceLock;

fn fonts() -> &'static Fonts {
    static F: OnceLock<Fonts> = OnceLock::new();
    F.get_or_init(|| {
        Fonts::load(&FontConfig {
            font_dir: Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")),
            ..Default::default()
        })
        .expect("bundled fonts")
    })
}

fn talk_notice() -> (instrument::Instrument, Data) {
    let inst = instrument::find("talk-notice").expect("built-in talk notice");
    let data = Data::from_toml(&instrument::example_data(&inst)).expect("example data");
    (inst, data)
}

/// Text of every page of a PDF, whitespace removed.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf parses the PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .expect("text")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether `needle`'s characters appear in `hay` in order (not necessarily adjacent).
fn in_order(needle: &[char], hay: &str) -> bool {
    let mut it = hay.chars();
    needle.iter().all(|n| it.by_ref().any(|h| h == *n))
}

/// The DOCX's main part parses as XML from start to end.
fn docx_is_well_formed(bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("entry name").to_string();
        if !name.ends_with(".xml") {
            continue;
        }
        let mut xml = String::new();
        f.read_to_string(&mut xml).expect("UTF-8 part");
        let mut r = quick_xml::Reader::from_str(&xml);
        let mut depth = 0i64;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
        assert_eq!(depth, 0, "{name} has unclosed elements");
    }
}

/// Strings mixing the characters that break naive writers: XML and template syntax,
/// controls, CJK, astral characters, combining marks, and anything else.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        3 => Just("{{ name }}".to_string()),
        3 => Just("{% if x %}".to_string()),
        3 => Just("<w:t>&amp;</w:t>".to_string()),
        3 => Just("]]>".to_string()),
        3 => Just("\u{0}\u{1}\u{8}\u{b}\u{1b}".to_string()),
        3 => Just("（一）王建国同志：\n第二行".to_string()),
        1 => Just("\u{2A6A5}".to_string()),
        3 => Just("e\u{301}".to_string()),
        3 => Just("\u{feff}\u{200b}\u{202e}".to_string()),
        6 => "[\\u{4e00}-\\u{9fa5}]{0,12}",
        6 => "[ -~]{0,12}",
        1 => any::<String>(),
    ];
    prop::collection::vec(pieces, 0..5).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_string_in_a_field_gives_valid_files_or_a_named_error(s in hostile()) {
        let f = fonts();
        let (inst, mut data) = talk_notice();
        data.set("reason", Raw::Text(s.clone()));
        let can_draw = |c: char| {
            if f.slot_for(Role::FangSong, c).is_some() {
                instrument::Draw::Own
            } else {
                instrument::Draw::Missing(String::new())
            }
        };
        let report = instrument::validate(&inst, &data, &can_draw);
        // The template prints the reason through `bare`, which drops its trailing
        // punctuation (the template adds its own) — trailing after the characters no page
        // shows (controls, zero-width marks) are gone; the rest must all be there.
        let mut printable: Vec<char> = s
            .chars()
            .filter(|&c| !instrument::lines::is_dropped(c) && !c.is_whitespace())
            .collect();
        while printable
            .last()
            .is_some_and(|c| ['。', '；', '，', '：', ';', ',', ':', '.'].contains(c))
        {
            printable.pop();
        }
        if let Some(bad) = printable
            .iter()
            .find(|&&c| f.slot_for(Role::FangSong, c).is_none())
        {
            // The one acceptable refusal: a character no font can draw, named with its field.
            prop_assert!(
                report.errors.iter().any(|e| e.message.contains("谈话事由")
                    && e.message.contains(*bad)),
                "{:?}", report.errors
            );
            return Ok(());
        }
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        let doc = instrument::fill(&inst, &data).expect("fill");
        docx_is_well_formed(&write_docx(&doc).expect("docx"));
        let text = pdf_text(&write_pdf(&doc, f).expect("pdf"));
        prop_assert!(in_order(&printable, &text), "{printable:?} not in order in {text}");
    }

    #[test]
    fn line_breaker_keeps_every_character_once_in_order(
        s in "[\\u{4e00}-\\u{4e40}，。、；：“”（）《》a-z0-9 \\n]{0,200}",
        width in 20.0f32..400.0,
    ) {
        let lines = break_lines(&s, |c| if c.is_ascii() { 8.0 } else { 16.0 }, Params {
            width,
            first_indent: 32.0,
            squeeze: 8.0,
        });
        let mut at = 0;
        for l in &lines {
            prop_assert_eq!(l.start, at, "lines are contiguous");
            prop_assert!(l.end >= l.start);
            at = l.end;
        }
        prop_assert_eq!(at, s.len(), "the lines cover the text");
        let rebuilt: String = lines.iter().map(|l| &s[l.start..l.end]).collect();
        prop_assert_eq!(rebuilt, s);
    }

    #[test]
    fn outline_spans_lie_inside_their_paragraphs(
        paras in prop::collection::vec(
            prop_oneof![
                "[一二三四五六七八九十]{1,2}、[\\u{4e00}-\\u{9fa5}]{0,20}[。；]?",
                "（[一二三四五六七八九十]{1,2}）[\\u{4e00}-\\u{9fa5}]{0,20}",
                "[0-9]{1,4}[．.、][\\u{4e00}-\\u{9fa5}0-9]{0,20}",
                "一是[\\u{4e00}-\\u{9fa5}]{0,8}；二是[\\u{4e00}-\\u{9fa5}]{0,8}。",
                any::<String>(),
            ],
            0..12,
        ),
    ) {
        let blocks: Vec<Block> = paras.iter().map(|p| Block::para(p.clone())).collect();
        let o = outline::parse(&blocks);
        for (i, it) in o.items.iter().enumerate() {
            prop_assert!(it.block < blocks.len());
            prop_assert!(it.last_block >= it.block && it.last_block < blocks.len());
            let n = blocks[it.block].text.chars().count();
            prop_assert!(it.start <= it.end && it.end <= n, "{:?} in {:?}", it, blocks[it.block].text);
            if let Some(p) = it.parent {
                prop_assert!(p < i, "a parent comes first");
            }
        }
    }
}
