//! The PDF reader on committed fixtures (see `tests/fixtures/README.md` for how each was made).

#[path = "fixtures/make/pdf_gen.rs"]
mod pdf_gen;

use jiandu::intake;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pdf")
        .join(name)
}

fn seed_paragraphs(prefix: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans");
    let entry = std::fs::read_dir(&dir)
        .expect("corpora/plans")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .expect("seed file");
    let text = std::fs::read_to_string(entry.path()).expect("utf-8 seed");
    text.lines()
        .map(|l| intake::clean_text(l).into_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

fn texts(name: &str) -> Vec<String> {
    let doc = intake::read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    doc.blocks.into_iter().map(|b| b.text).collect()
}

fn assert_same_paragraphs(got: &[String], want: &[String]) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "paragraph {i} differs");
    }
    assert_eq!(got.len(), want.len(), "paragraph count");
}

#[test]
fn seed000_libreoffice_pdf_reassembles_paragraphs() {
    let want = seed_paragraphs("000_");
    assert_eq!(want.len(), 22);
    assert_same_paragraphs(&texts("seed000.pdf"), &want);
}

#[test]
fn seed003_libreoffice_pdf_reassembles_paragraphs() {
    let want = seed_paragraphs("003_");
    assert_eq!(want.len(), 23);
    assert_same_paragraphs(&texts("seed003.pdf"), &want);
}

#[test]
fn seed003_with_running_header_page_numbers_and_indents() {
    let want = seed_paragraphs("003_");
    let doc = intake::read(&fixture("seed003_footer.pdf")).expect("readable");
    let got: Vec<String> = doc.blocks.iter().map(|b| b.text.clone()).collect();
    assert!(
        got.iter().all(|t| !t.contains('—')),
        "a page number survived"
    );
    assert!(
        got.iter().all(|t| !t.contains("党风政风监督工作要点")),
        "the running header survived"
    );
    assert_same_paragraphs(&got, &want);
    // Seven pages: the last paragraph is on the last page, the first on the first.
    assert_eq!(doc.blocks[0].origin.page, Some(1));
    assert_eq!(doc.blocks.last().and_then(|b| b.origin.page), Some(7));
}

#[test]
#[ignore = "writes the hand-built fixtures; run on purpose"]
fn regenerate_pdf_fixtures() {
    for (name, bytes) in pdf_gen::all() {
        std::fs::write(fixture(name), bytes).expect("write fixture");
    }
}

#[test]
fn hand_built_fixtures_match_generator() {
    for (name, bytes) in pdf_gen::all() {
        let committed = std::fs::read(fixture(name)).expect("committed fixture");
        assert!(committed == bytes, "{name} differs from what pdf_gen makes");
    }
}

#[test]
fn gbk_euc_h_without_to_unicode() {
    assert_eq!(texts("gbk_euc_h.pdf"), pdf_gen::PLAN_PARAGRAPHS);
}

#[test]
fn unigb_ucs2_h_without_to_unicode() {
    assert_eq!(texts("unigb_ucs2_h.pdf"), pdf_gen::PLAN_PARAGRAPHS);
}

#[test]
fn identity_h_adobe_gb1_cids() {
    assert_eq!(texts("identity_h_gb1.pdf"), vec![pdf_gen::GB1_TEXT]);
    assert_eq!(
        texts("identity_h_gb1.pdf")[0],
        "二、加强监督执纪问责，严肃查处违纪违法行为。"
    );
}

fn error_of(name: &str) -> String {
    match intake::read(&fixture(name)) {
        Ok(doc) => panic!("{name} read as {} blocks", doc.blocks.len()),
        Err(e) => {
            assert_eq!(e.path.as_deref(), Some(fixture(name).as_path()));
            e.message
        }
    }
}

#[test]
fn scanned_pdf_is_a_chinese_error() {
    let msg = error_of("scan.pdf");
    assert!(
        msg.contains("扫描件") && msg.contains("OCR") && msg.contains("Word"),
        "{msg}"
    );
}

#[test]
fn password_protected_pdf_is_a_chinese_error() {
    let msg = error_of("encrypted_user_password.pdf");
    assert!(msg.contains("密码"), "{msg}");
}

#[test]
fn empty_user_password_is_opened() {
    let want = seed_paragraphs("000_");
    assert_same_paragraphs(&texts("encrypted_empty_user_password.pdf"), &want);
}

#[test]
fn corrupt_and_fake_pdfs_are_chinese_errors() {
    let msg = error_of("truncated.pdf");
    assert!(msg.contains("已损坏"), "{msg}");
    let msg = error_of("not_a_pdf.pdf");
    assert!(msg.contains("不是有效的 PDF"), "{msg}");
}

#[test]
fn cyclic_page_tree_and_self_drawing_form_terminate() {
    let bytes = pdf_gen::cyclic();
    let started = std::time::Instant::now();
    let blocks = intake::pdf::read(&bytes).expect("readable");
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
    let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
    // The form is drawn MAX_FORM_DEPTH times at one place; the copies collapse into one.
    assert_eq!(texts, vec![pdf_gen::CYCLIC_TEXT]);
    assert_eq!(blocks[0].origin.page, Some(1));
}

/// A page content stream of a few hundred KB that inflates to 300 MB, past the 256 MB
/// stream limit, is refused within seconds, saying how to raise the limit; under the limit
/// the same kind of stream is read.
#[test]
fn stream_bomb_is_refused_and_a_raised_limit_reads_it() {
    let bomb = pdf_gen::stream_bomb(300 << 20);
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    let started = std::time::Instant::now();
    let e = intake::pdf::read(&bomb).unwrap_err();
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
    assert!(
        e.message.contains("256 MB") && e.message.contains("--limit pdf-stream-mb="),
        "{}",
        e.message
    );
    let small = pdf_gen::stream_bomb(4 << 20);
    let tight = intake::Limits {
        pdf_stream_bytes: 1 << 20,
        ..intake::Limits::default()
    };
    assert!(intake::pdf::read_with(&small, &tight).is_err());
    let blocks = intake::pdf::read(&small).expect("under the limit");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].text, pdf_gen::CYCLIC_TEXT);
}
