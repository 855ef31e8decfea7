//! The .docx reader on real files: LibreOffice conversions of the seed plans, a plan whose
//! outline markers exist only as automatic numbering, and broken files.

use jiandu::intake::{self, clean_text};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn texts(path: &Path) -> Vec<String> {
    intake::read(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .blocks
        .into_iter()
        .map(|b| b.text)
        .collect()
}

/// What LibreOffice shows for a file (its "Text" export, committed next to the fixture),
/// one cleaned line per paragraph: indentation dropped, and the space LibreOffice puts
/// after a list label dropped where it touches CJK text, as the reader does.
fn libreoffice_lines(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| clean_text(l).into_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn seed000_docx_reads_like_its_text() {
    let from_docx = texts(&fixture("seed000.docx"));
    let from_txt = texts(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans/000_4c768249f1fe35ba.txt"),
    );
    assert!(from_txt.len() > 20, "{}", from_txt.len());
    assert_eq!(from_docx, from_txt);
}

#[test]
fn seed003_docx_reads_like_its_text() {
    let from_docx = texts(&fixture("seed003.docx"));
    let from_txt = texts(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans/003_915de415a2ba83b9.txt"),
    );
    assert_eq!(from_docx, from_txt);
}

#[test]
fn automatic_chinese_numbering_is_rebuilt() {
    let path = fixture("numbered_plan.docx");
    let got = texts(&path);
    let expected = [
        "2024年某市纪委监委纪检监察工作要点",
        "为深入推进全面从严治党，现提出如下工作要点。",
        "一、总体要求",
        "坚持稳中求进工作总基调，一体推进不敢腐、不能腐、不想腐。",
        "二、重点任务",
        "（一）强化政治监督",
        "1.紧跟重大部署。督促各级党组织贯彻落实党中央决策部署。",
        "2.聚焦关键少数。加强对“一把手”和领导班子的监督。",
        "（1）开展谈心谈话；",
        "（2）落实述责述廉。",
        "①每半年一次；",
        "②年底前完成。",
        "（二）深化整治群众身边不正之风和腐败问题",
        "1.严肃查处侵害群众利益问题。",
        "2.开展专项检查。",
        "三、保障措施",
        "（一）加强组织领导",
        "（二）压实主体责任",
        "（三）强化监督责任",
        "（四）健全工作机制",
        "（五）注重协调联动",
        "（六）加强队伍建设",
        "（七）严格考核问责",
        "（八）强化宣传引导",
        "（九）抓好督促落实",
        "（十）注重总结提炼",
        "（十一）做好统筹衔接",
        "附件：重点任务分工",
        "一、党委（党组）主体责任",
        "二、纪委监督责任",
        // The table's header (任务 | 责任单位) makes its row one task with its unit.
        "开展专项检查",
    ];
    assert_eq!(got, expected);
    // The markers are not in the text: they come from numbering.xml.
    let doc = intake::read(&path).unwrap();
    let in_table: Vec<(&str, Option<&str>)> = doc
        .blocks
        .iter()
        .filter(|b| b.origin.in_table)
        .map(|b| {
            (
                b.text.as_str(),
                b.fields.as_ref().and_then(|f| f.responsible.as_deref()),
            )
        })
        .collect();
    assert_eq!(in_table, [("开展专项检查", Some("第一监督检查室"))]);
}

#[test]
fn numbering_matches_what_libreoffice_shows() {
    // The cells of each file's task table, which LibreOffice shows one a line and the
    // reader reads by their columns (one block a row): the paragraphs outside are compared.
    let task_table: &[&str] = &["任务", "责任单位", "开展专项检查", "第一监督检查室"];
    for (docx, shown, cells) in [
        ("numbered_plan.docx", "numbered_plan.lo.txt", task_table),
        ("numbered_plan_lo.docx", "numbered_plan_lo.lo.txt", &[]),
    ] {
        let outside: Vec<String> = intake::read(&fixture(docx))
            .unwrap_or_else(|e| panic!("{e}"))
            .blocks
            .into_iter()
            .filter(|b| !b.origin.in_table)
            .map(|b| b.text)
            .collect();
        let mut shown = libreoffice_lines(shown);
        let tail: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        assert!(shown.ends_with(&tail), "{docx}: {shown:?}");
        shown.truncate(shown.len() - tail.len());
        assert_eq!(outside, shown, "{docx}");
    }
}

#[test]
fn broken_files_give_chinese_errors() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("损坏.docx");
    std::fs::write(&corrupt, b"PK\x03\x04\x14\x00garbage that is not a zip").unwrap();
    let e = intake::read(&corrupt).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(corrupt.as_path()));
    assert!(
        e.message.starts_with("不是有效的 Word 文档（.docx）"),
        "{}",
        e.message
    );

    // A real zip, but no word/document.xml: take a fixture and drop that part.
    let src = std::fs::read(fixture("numbered_plan.docx")).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let f = zin.by_index(i).unwrap();
        if f.name().unwrap() != "word/document.xml" {
            zout.raw_copy_file(f).unwrap();
        }
    }
    let no_body = dir.path().join("无正文.docx");
    std::fs::write(&no_body, zout.finish().unwrap().into_inner()).unwrap();
    let e = intake::read(&no_body).unwrap_err();
    assert!(
        e.message.starts_with("不是有效的 Word 文档（.docx）")
            && e.message.contains("word/document.xml"),
        "{}",
        e.message
    );
}
