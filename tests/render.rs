//! End-to-end tests of the renderer: the sample documents written as PDF and DOCX and read
//! back, and the line breaker on generated hostile strings.

use std::io::Read;
use std::path::Path;

use jiandu::render::linebreak::{break_lines, no_end, no_start, Params};
use jiandu::render::{
    printed_text, samples, write_docx, write_pdf, write_pdf_many, FontConfig, Fonts, Role,
};

fn fonts() -> Fonts {
    Fonts::load(&FontConfig {
        font_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")),
        ..Default::default()
    })
    .expect("the repository's fonts/ folder")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Page count and text of a PDF (lopdf), page numbers `— n —` removed.
fn pdf_text(bytes: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf parses the PDF");
    let pages = doc.get_pages();
    let mut all = String::new();
    let mut number = 0;
    for n in pages.keys() {
        number += 1;
        let t = squash(&doc.extract_text(&[*n]).expect("text"));
        let suffix = format!("—{number}—");
        match t.strip_suffix(&suffix) {
            Some(body) => all.push_str(body),
            None => panic!("page {n} does not end with its number {suffix}: {t}"),
        }
    }
    (pages.len(), all)
}

fn check_pdf_structure(bytes: &[u8]) {
    let doc = lopdf::Document::load_mem(bytes).expect("parse");
    for (_, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).expect("page dict");
        let mb = page.get(b"MediaBox").expect("MediaBox");
        let arr = mb.as_array().expect("array");
        let nums: Vec<f32> = arr
            .iter()
            .map(|o| {
                o.as_float()
                    .or_else(|_| o.as_i64().map(|i| i as f32))
                    .expect("number")
            })
            .collect();
        assert!((nums[2] - nums[0] - 595.28).abs() < 0.5, "width {nums:?}");
        assert!((nums[3] - nums[1] - 841.89).abs() < 0.5, "height {nums:?}");
    }
    let mut embedded = 0;
    for o in doc.objects.values() {
        if let Ok(d) = o.as_dict() {
            if d.get(b"Type").ok().and_then(|t| t.as_name().ok())
                == Some(b"FontDescriptor".as_slice())
            {
                assert!(
                    d.get(b"FontFile3").is_ok()
                        || d.get(b"FontFile2").is_ok()
                        || d.get(b"FontFile").is_ok(),
                    "font descriptor without an embedded font"
                );
                let name = d
                    .get(b"FontName")
                    .and_then(|n| n.as_name())
                    .expect("FontName");
                // Subset fonts are named XXXXXX+Name.
                assert_eq!(
                    name.get(6),
                    Some(&b'+'),
                    "{}",
                    String::from_utf8_lossy(name)
                );
                embedded += 1;
            }
        }
    }
    assert!(embedded >= 2, "{embedded} embedded fonts");
}

#[test]
fn recommendation_pdf() {
    let f = fonts();
    let doc = samples::recommendation();
    let a = write_pdf(&doc, &f).expect("pdf");
    check_pdf_structure(&a);
    let (pages, text) = pdf_text(&a);
    assert_eq!(pages, 3);
    assert_eq!(text, squash(&printed_text(&doc).concat()));
    assert!(
        a == write_pdf(&doc, &f).expect("pdf"),
        "byte-identical output"
    );
    // Title and author from Meta.
    let pdf = lopdf::Document::load_mem(&a).expect("parse");
    let info = pdf
        .trailer
        .get(b"Info")
        .and_then(|r| r.as_reference())
        .expect("Info");
    let info = pdf.get_dictionary(info).expect("Info dict");
    let date = info
        .get(b"CreationDate")
        .and_then(|d| d.as_str())
        .expect("date");
    assert!(
        date.starts_with(b"D:20220305"),
        "{}",
        String::from_utf8_lossy(date)
    );
    // A small file: fonts are subset, not embedded whole (each is 5-8 MB).
    assert!(a.len() < 400_000, "{} bytes", a.len());
}

#[test]
fn talk_notice_pdf_one_page_with_cut_lines() {
    let f = fonts();
    let doc = samples::talk_notice();
    let bytes = write_pdf(&doc, &f).expect("pdf");
    check_pdf_structure(&bytes);
    let (pages, text) = pdf_text(&bytes);
    assert_eq!(pages, 1);
    assert_eq!(text, squash(&printed_text(&doc).concat()));
    assert!(text.starts_with("谈话通知书（存根）"));
    assert_eq!(text.matches("（裁剪线）").count(), 2);
}

#[test]
fn batch_pdf_restarts_page_numbers_and_shares_fonts() {
    let f = fonts();
    let docs = vec![samples::recommendation(), samples::talk_notice()];
    let bytes = write_pdf_many(&docs, &f, true).expect("pdf");
    check_pdf_structure(&bytes);
    let doc = lopdf::Document::load_mem(&bytes).expect("parse");
    let pages: Vec<_> = doc.get_pages().into_keys().collect();
    assert_eq!(pages.len(), 4);
    // The fourth page is the talk notice's first: numbered 1 again.
    let last = squash(&doc.extract_text(&[pages[3]]).expect("text"));
    assert!(
        last.starts_with("谈话通知书（存根）") && last.ends_with("—1—"),
        "{last}"
    );
    let single = write_pdf(&docs[0], &f).expect("pdf");
    // Fonts once: the batch is far smaller than twice the single documents.
    assert!(
        bytes.len() < single.len() + 60_000,
        "{} vs {}",
        bytes.len(),
        single.len()
    );
}

#[test]
fn docx_reads_back() {
    let doc = samples::recommendation();
    let bytes = write_docx(&doc).expect("docx");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).expect("zip");
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut xml)
        .expect("utf-8");
    assert!(xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:h="16838""#));
    assert!(xml.contains(r#"w:linePitch="579""#));
    assert!(!xml.contains("Theme=\""));
    for name in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"] {
        assert!(xml.contains(&format!(r#"w:eastAsia="{name}""#)), "{name}");
    }
    // The text of the runs, in order, is the printed text.
    let mut text = String::new();
    for piece in xml.split("<w:t").skip(1) {
        if let (Some(gt), Some(end)) = (piece.find('>'), piece.find("</w:t>")) {
            if piece.starts_with(' ') || piece.starts_with('>') {
                text.push_str(&piece[gt + 1..end]);
            }
        }
    }
    assert_eq!(text, printed_text(&doc).concat());
    assert!(bytes == write_docx(&doc).expect("docx"));
}

#[test]
fn coverage_check_names_role() {
    let f = fonts();
    assert_eq!(f.check_coverage("问责决定书", Role::Hei), Ok(()));
    // Extension C is drawn by the bundled fallback font; a private-use character by none.
    assert_eq!(f.check_coverage("乙\u{2A700}", Role::Kai), Ok(()));
    assert_eq!(
        f.check_coverage("乙\u{10FFFD}", Role::Kai),
        Err('\u{10FFFD}')
    );
    let d = f.describe();
    assert_eq!(d.len(), 5);
    assert!(d.iter().all(|(_, p, fam)| p.is_file() && !fam.is_empty()));
}

/// A 谈话通知书 cut along its cut lines: each part (存根, 通知, 回执) is whole on its own
/// side, for short and long data alike, so the signature and date (and the seal on them)
/// are on the notice's sheet; its 文号 prints under the title, before the addressee.
#[test]
fn talk_notice_parts_are_never_split() {
    use jiandu::instrument::{self, Raw};
    let f = fonts();
    let list = instrument::load(None).expect("built-in templates");
    let inst = instrument::find_in(&list, "talk-notice").expect("talk-notice");
    let base = instrument::load_data(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/samples/talk-notice.toml"),
    )
    .expect("sample data");
    let long = "分管领域农机购置补贴发放不规范，部分补贴资金未按规定公示，群众反映强烈，经初步核实存在审核把关不严等问题";
    let cases = [
        ("", ""),
        ("工作作风问题", ""),
        (long, "本人身份证件及分管工作情况说明"),
        (long, "本人身份证件、分管工作情况说明、近三年个人有关事项报告表、分管领域补贴发放台账、相关会议记录和签批文件复印件"),
    ];
    for (reason, bring) in cases {
        let mut data = base.clone();
        data.set("谈话事由", Raw::Text(reason.into()));
        data.set("携带材料", Raw::Text(bring.into()));
        let doc = instrument::fill(inst, &data).expect("fill");
        let bytes = write_pdf(&doc, &f).expect("pdf");
        let pdf = lopdf::Document::load_mem(&bytes).expect("parse");
        let pages: Vec<String> = pdf
            .get_pages()
            .keys()
            .map(|n| squash(&pdf.extract_text(&[*n]).expect("text")))
            .collect();
        let on = |what: &str| -> usize {
            let hits: Vec<usize> = (0..pages.len())
                .filter(|&i| pages[i].contains(what))
                .collect();
            assert_eq!(hits.len(), 1, "{what} on pages {hits:?}: {pages:?}");
            hits[0]
        };
        let notice = on("根据工作需要");
        for part in [
            "谈话通知书青纪谈〔2022〕5号王建国同志：",
            "特此通知。",
            "中共青山县纪委监委2022年3月5日",
        ] {
            assert_eq!(
                on(part),
                notice,
                "{reason}/{bring}: {part} off the notice's page: {pages:?}"
            );
        }
        let stub = on("谈话通知书（存根）");
        assert_eq!(on("签发日期"), stub, "{pages:?}");
        let receipt = on("谈话通知书（回执）");
        assert_eq!(on("被谈话人（签名）"), receipt, "{pages:?}");
        assert!(stub <= notice && notice <= receipt, "{pages:?}");
    }
}

/// A small deterministic generator (xorshift).
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Anything goes: runs of punctuation, spaces, long Latin words and numbers.
fn hostile(seed: u64, len: usize) -> String {
    const ALPHA: &[&str] = &[
        "中", "国", "，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "”", "（", "《",
        "「", "“", "〔", "〕", "a", "b", "Z", "0", "7", " ", "-", ".", "%", "——", "…",
    ];
    let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    (0..len).map(|_| ALPHA[g.next(ALPHA.len())]).collect()
}

/// Prose-like text: words, with an opening or closing mark at most between two words.
fn prose(seed: u64, words: usize) -> String {
    const WORDS: &[&str] = &[
        "中国", "监督", "执纪", "问责", "abc", "2022", "年", "X纪建", "工作",
    ];
    const OPEN: &[&str] = &["（", "《", "“", "〔"];
    const CLOSE: &[&str] = &["，", "。", "、", "）", "》", "”", "〕", "：", "；"];
    let mut g = Gen(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1);
    let mut s = String::new();
    for _ in 0..words {
        match g.next(6) {
            0 => s.push_str(OPEN[g.next(OPEN.len())]),
            1 => {}
            _ => {}
        }
        s.push_str(WORDS[g.next(WORDS.len())]);
        if g.next(3) == 0 {
            s.push_str(CLOSE[g.next(CLOSE.len())]);
        }
    }
    s
}

fn grid_params(cell: f32) -> [Params; 3] {
    [
        Params {
            width: 28.0 * cell,
            first_indent: 2.0 * cell,
            squeeze: cell,
        },
        Params {
            width: 28.0 * cell,
            first_indent: 0.0,
            squeeze: 0.0,
        },
        Params {
            width: 5.0 * cell,
            first_indent: 0.0,
            squeeze: 0.0,
        },
    ]
}

#[test]
fn line_breaker_properties_on_generated_strings() {
    let f = fonts();
    let font = f.get(Role::FangSong);
    let cell = 156.0 * 72.0 / 25.4 / 28.0;
    let width = |c: char| font.advance(c) * 16.0 + (cell - 16.0);
    for seed in 1..300u64 {
        for (kind, text) in [
            ("hostile", hostile(seed, (seed as usize * 7) % 160)),
            ("prose", prose(seed, 10 + seed as usize % 60)),
        ] {
            for p in grid_params(cell) {
                let lines = break_lines(&text, width, p);
                let joined: String = lines.iter().map(|l| l.text(&text)).collect();
                assert_eq!(
                    joined, text,
                    "{kind} seed {seed}: lost or reordered characters"
                );
                for (i, l) in lines.iter().enumerate() {
                    let avail = p.width - l.indent;
                    assert!(
                        l.width <= avail + p.squeeze + 0.01,
                        "{kind} seed {seed} line {i} too wide"
                    );
                    if kind == "prose" && p.width > 10.0 * cell {
                        let t = l.text(&text);
                        let first = t.chars().next().unwrap_or('中');
                        let last = t.chars().last().unwrap_or('中');
                        assert!(
                            i == 0 || !no_start(first),
                            "seed {seed}: line starts with {first}: {t}"
                        );
                        assert!(
                            i + 1 == lines.len() || !no_end(last),
                            "seed {seed}: line ends with {last}: {t}"
                        );
                    }
                }
            }
        }
    }
}

/// A fontconfig file that maps the role names Word files name (仿宋_GB2312, 方正小标宋简体 …)
/// to the bundled fonts, so that LibreOffice prints a DOCX with the fonts the PDF uses.
fn role_fonts_conf(dir: &Path) -> std::path::PathBuf {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let map = [
        ("仿宋_GB2312", "FandolFang R"),
        ("仿宋", "FandolFang R"),
        ("楷体_GB2312", "FandolKai"),
        ("楷体", "FandolKai"),
        ("黑体", "FandolHei"),
        ("方正小标宋简体", "FandolSong"),
        ("宋体", "FandolSong"),
    ];
    let mut conf = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n\
         <dir>{}</dir>\n<cachedir>{}</cachedir>\n",
        fonts.display(),
        dir.join("fc-cache").display()
    );
    for (name, family) in map {
        conf.push_str(&format!(
            "<match target=\"pattern\"><test name=\"family\"><string>{name}</string></test>\
             <edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>{family}</string>\
             </edit></match>\n"
        ));
    }
    conf.push_str("</fontconfig>\n");
    let path = dir.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// Printed through LibreOffice with the bundled fonts, every built-in instrument's DOCX
/// takes as many pages as its PDF (its 版记 on the last page, the notices' parts whole).
/// Line for line they differ: LibreOffice's DOCX import ignores `w:autoSpaceDE/DN` and
/// always adds its space between Chinese and digits (README, 已知问题).
#[test]
fn docx_prints_on_as_many_pages_as_the_pdf() {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|p| {
            std::process::Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("这个测试需要 LibreOffice：apt install libreoffice-writer-nogui（.ci/run 会安装）");
    let dir = tempfile::tempdir().unwrap();
    let conf = role_fonts_conf(dir.path());
    let ids = [
        "talk-notice",
        "inquiry-notice",
        "recommendation",
        "accountability-decision",
        "supervise-notice",
    ];
    let mut docx = Vec::new();
    for id in ids {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("corpora/samples/{id}.toml"));
        let pdf = dir.path().join(format!("{id}.pdf"));
        let word = dir.path().join(format!("{id}.docx"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiandu"))
            .args(["render", id, "--data"])
            .arg(&data)
            .arg("-o")
            .arg(&pdf)
            .arg("-o")
            .arg(&word)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        docx.push(word);
    }
    let printed = dir.path().join("printed");
    let out = std::process::Command::new(soffice)
        .env("FONTCONFIG_FILE", &conf)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&printed)
        .args(&docx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for id in ids {
        let ours = std::fs::read(dir.path().join(format!("{id}.pdf"))).unwrap();
        let lo = std::fs::read(printed.join(format!("{id}.pdf")))
            .unwrap_or_else(|e| panic!("LibreOffice printed no {id}.pdf: {e}"));
        let (ours, lo) = (
            lopdf::Document::load_mem(&ours).unwrap(),
            lopdf::Document::load_mem(&lo).unwrap(),
        );
        // The role names were mapped: LibreOffice printed with the bundled fonts.
        let fonts: Vec<String> = lo
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter_map(|d| d.get(b"BaseFont").ok())
            .filter_map(|n| n.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        assert!(
            fonts.iter().any(|f| f.contains("FandolFang")),
            "{id}: LibreOffice used {fonts:?}"
        );
        assert_eq!(
            lo.get_pages().len(),
            ours.get_pages().len(),
            "{id}: pages of the DOCX printed by LibreOffice against the PDF's"
        );
        // The 版记 of the sealed instruments prints as solid rules across the type area
        // (156 mm = 442.2 pt) at the foot of the last page: 1 pt, ¾ pt, 1 pt.
        if matches!(id, "recommendation" | "accountability-decision") {
            let rules = printed_rules(&lo, lo.get_pages().len() as u32);
            let foot: Vec<&(f32, f32, f32)> = rules
                .iter()
                .filter(|(len, y, _)| (len - 442.2).abs() < 2.0 && *y < 170.0)
                .collect();
            let widths: Vec<f32> = foot.iter().map(|r| r.2).collect();
            assert_eq!(
                widths,
                [1.0, 0.75, 1.0],
                "{id}: rules at the foot {rules:?}"
            );
            // The last rule on the type area's bottom edge (35 mm = 99.2 pt up), within 1 mm.
            let lowest = foot.iter().map(|r| r.1).fold(f32::MAX, f32::min);
            assert!(
                (lowest - 99.2).abs() < 2.9,
                "{id}: last rule at {lowest} pt"
            );
        }
        // A letter's red double rules, 170 mm (481.9 pt) long: thick over thin under the
        // mark, thin over thick at the foot of the first page (GB/T 9704 §10.1).
        if id == "inquiry-notice" {
            let rules = printed_rules(&lo, 1);
            let long: Vec<&(f32, f32, f32)> = rules
                .iter()
                .filter(|(len, _, _)| (len - 481.9).abs() < 2.0)
                .collect();
            let pair = |top: bool| {
                let mut p: Vec<(f32, f32)> = long
                    .iter()
                    .filter(|r| (r.1 > 421.0) == top)
                    .map(|r| (r.1, r.2))
                    .collect();
                p.sort_by(|a, b| b.0.total_cmp(&a.0));
                p.dedup();
                p
            };
            let (head, foot) = (pair(true), pair(false));
            assert!(
                head.len() == 2 && head[0].1 > head[1].1,
                "{id}: head rules {head:?}"
            );
            assert!(
                foot.len() == 2 && foot[0].1 < foot[1].1,
                "{id}: foot rules {foot:?}"
            );
        }
    }
}

/// Horizontal lines stroked on page `page` (1-based) of a PDF: (length, height from the
/// bottom, line width), in points, in drawing order.
fn printed_rules(doc: &lopdf::Document, page: u32) -> Vec<(f32, f32, f32)> {
    let pages = doc.get_pages();
    let id = *pages.get(&page).expect("the page");
    let content = doc.get_page_content(id);
    let ops = lopdf::content::Content::decode(&content)
        .expect("operations")
        .operations;
    let num = |o: &lopdf::Object| o.as_float().or_else(|_| o.as_i64().map(|i| i as f32));
    let (mut width, mut from, mut to) = (1.0f32, None, None);
    let mut out = Vec::new();
    for op in ops {
        let xy = |k: usize| {
            Some((
                num(op.operands.get(k)?).ok()?,
                num(op.operands.get(k + 1)?).ok()?,
            ))
        };
        match op.operator.as_str() {
            "w" => {
                width = op
                    .operands
                    .first()
                    .and_then(|o| num(o).ok())
                    .unwrap_or(width)
            }
            "m" => from = xy(0),
            "l" => to = xy(0),
            "S" => {
                if let (Some((x0, y0)), Some((x1, y1))) = (from, to) {
                    if (y0 - y1).abs() < 0.1 {
                        out.push(((x1 - x0).abs(), y0, width));
                    }
                }
                (from, to) = (None, None);
            }
            _ => {}
        }
    }
    out
}
