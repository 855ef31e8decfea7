//! Slots and due dates chosen from the seed plans, and the readers on real files.

use jiandu::extract::Vocabulary;
use jiandu::extract::{Extracted, Task};
use std::path::{Path, PathBuf};

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn seed(name: &str, year: Option<i32>) -> Extracted {
    pipeline(&path(&format!("corpora/plans/{name}")), year).unwrap()
}

fn item<'a>(ex: &'a Extracted, title: &str) -> &'a Task {
    ex.items
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no item {title}"))
}

#[test]
fn seed_001_year_and_half_yearly_check() {
    let ex = seed("001_7a548ebd6d4d31cb.txt", None);
    assert_eq!(ex.year, Some(2022));
    let t = item(&ex, "压实主体责任");
    assert_eq!(t.marker, "2．");
    let half = t.timing.iter().find(|x| x.text == "每半年").unwrap();
    assert_eq!(half.due, vec!["2022-06-30", "2022-12-31"]);
    assert_eq!(
        t.regulations,
        vec!["《关于建立全面从严治党”四责协同”机制的实施意见》"]
    );
    // Duty formulas are duties, never doers.
    for r in ["党委主体责任", "党委书记第一责任人责任", "纪委监督责任"] {
        assert!(t.duty.iter().any(|x| x == r), "{r}: {:?}", t.duty);
        assert!(!t.responsible.iter().any(|x| x == r), "{:?}", t.responsible);
    }
    // "每半年对驻在单位开展…" names no doer.
    assert!(
        !t.responsible.iter().any(|x| x.contains("驻在单位")),
        "{:?}",
        t.responsible
    );
    assert!(t
        .measures
        .iter()
        .any(|m| m.starts_with("每半年对驻在单位开展一次")));
}

#[test]
fn seed_003_quarterly_theme() {
    let ex = seed("003_915de415a2ba83b9.txt", None);
    let t = item(&ex, "健全完善政治监督机制");
    assert_eq!(
        t.regulations,
        vec!["《关于推进政治监督具体化常态化的指导意见》"]
    );
    let q = t.timing.iter().find(|x| x.text == "按季度").unwrap();
    assert_eq!(
        q.due,
        vec!["2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31"]
    );
    let t = item(&ex, "着力提高问责精准化规范化");
    assert_eq!(t.regulations, vec!["《中国共产党问责条例》"]);
}

#[test]
fn seed_000_without_year_and_with_year_option() {
    let ex = seed("000_4c768249f1fe35ba.txt", None);
    assert_eq!(ex.year, None);
    let t = item(&ex, "规范问题线索处置");
    assert_eq!(
        t.regulations,
        vec!["《监督执纪工作规则》", "《监督执法工作规定》"]
    );
    assert!(
        t.methods.contains(&"谈话函询".to_string()),
        "{:?}",
        t.methods
    );
    let t = item(&ex, "严查享乐主义、奢靡之风");
    assert!(
        t.methods.contains(&"明察暗访".to_string()),
        "{:?}",
        t.methods
    );
    assert!(t
        .timing
        .iter()
        .any(|x| x.text == "重要时间节点" && x.due.is_empty()));
    let t = item(&ex, "整治群众身边腐败和作风问题");
    for a in [
        "教育医疗",
        "养老社保",
        "生态环保",
        "安全生产",
        "食品药品安全",
        "执法司法",
    ] {
        assert!(t.areas.iter().any(|x| x == a), "{a}: {:?}", t.areas);
    }
    let t = item(&ex, "不断增强日常监督效能");
    assert!(
        t.duty.iter().any(|x| x == "党委（党组）主体责任"),
        "{:?}",
        t.duty
    );
    assert!(
        t.duty.iter().any(|x| x == "班子成员一岗双责"),
        "{:?}",
        t.duty
    );
    // --year gives the dates the text alone cannot.
    let ex = seed("000_4c768249f1fe35ba.txt", Some(2023));
    assert_eq!(ex.year, Some(2023));
    // Ids are stable across runs and unique.
    let again = seed("000_4c768249f1fe35ba.txt", Some(2023));
    let ids: Vec<&str> = ex.items.iter().map(|t| t.id.as_str()).collect();
    let ids2: Vec<&str> = again.items.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ids2);
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len());
}

#[test]
fn gb18030_text_reads_like_utf8() {
    let utf8 = seed("003_915de415a2ba83b9.txt", None);
    let gbk = pipeline(&path("tests/fixtures/seed003-gb18030.txt"), None).unwrap();
    let t1: Vec<&str> = utf8.items.iter().map(|t| t.title.as_str()).collect();
    let t2: Vec<&str> = gbk.items.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(t1, t2);
    assert_eq!(gbk.items.len(), 19);
}

#[test]
fn plan_kept_as_a_spreadsheet() {
    for ext in ["xlsx", "xls", "ods"] {
        let ex = pipeline(&path(&format!("tests/fixtures/plan-table.{ext}")), None).unwrap();
        assert_eq!(ex.title, "2022年派驻纪检监察组重点工作任务分解表", "{ext}");
        assert_eq!(ex.year, Some(2022));
        let titles: Vec<&str> = ex.items.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "紧跟重大部署，强化政治监督",
                "压实全面从严治党主体责任",
                "深化纠治“四风”",
                "加强乡村振兴领域专项监督",
                "做好巡察整改监督",
            ],
            "{ext}"
        );
        let t = &ex.items[4];
        assert_eq!(t.responsible, vec!["巡察办", "派驻纪检监察组"]);
        assert_eq!(t.timing[0].due, vec!["2022-09-30"]);
        assert_eq!(t.row, Some(8), "{ext}: the row as the spreadsheet shows it");
        assert_eq!(ex.items[1].measures.len(), 2);
    }
}

/// A .doc is converted by LibreOffice when it is installed; otherwise the message says to
/// install it or save as .docx.
#[test]
fn legacy_doc_through_libreoffice() {
    let soffice = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let r = pipeline(&path("tests/fixtures/seed000.doc"), None);
    if soffice {
        let ex = r.unwrap();
        let txt = seed("000_4c768249f1fe35ba.txt", None);
        let a: Vec<&str> = ex.items.iter().map(|t| t.title.as_str()).collect();
        let b: Vec<&str> = txt.items.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(a, b);
    } else {
        let e = r.unwrap_err();
        assert!(
            e.message.contains("LibreOffice") && e.message.contains(".docx"),
            "{e}"
        );
    }
}

/// The pipeline up to the model, within the default limits.
fn pipeline(
    path: &std::path::Path,
    year: Option<i32>,
) -> jiandu::Result<jiandu::extract::Extracted> {
    jiandu::model::read_plan(Vocabulary::builtin(), path, year, &Default::default())
}

/// An assessment table (考核细则) as copied from Word: the 考核项目 column holds a unit in
/// the second part, a unit's cell spans several rows (those rows lack their leading cells),
/// and a sub-group label stands beside the first unit's 序号.
#[test]
fn assessment_table_with_units_in_the_task_column() {
    let text = "某县2024年度纪检监察工作责任单位考核细则\n\
        序号\t考核项目\t分值\t考核内容\t评分标准\n\
        \t总分\t100\t\t\n\
        一、\t共性指标（各责任单位）\t40\t\t\n\
        1\t组织领导\t10\t成立工作专班\t未成立扣5分\n\
        2\t信息报送\t10\t按月报送工作进展\t迟报一次扣1分\n\
        3\t宣传引导\t20\t开展宣传活动\t少一次扣2分\n\
        二、\t个性指标\t60\t\t\n\
        1\t重点单位\t县民政局\t30\t推进养老机构整治\t未完成扣10分\n\
        30\t开展殡葬领域专项检查，年内完成\t少一次扣5分\n\
        2\t县财政局\t60\t落实专项资金\t资金未到位扣10分\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("考核细则.txt");
    std::fs::write(&file, text).unwrap();
    let ex = pipeline(&file, None).unwrap();
    let shape: Vec<(u8, &str, Vec<&str>, bool)> = ex
        .items
        .iter()
        .map(|t| {
            (
                t.level,
                t.title.as_str(),
                t.responsible.iter().map(String::as_str).collect(),
                t.inherited,
            )
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            (1, "共性指标（各责任单位）", vec!["各责任单位"], false),
            (2, "组织领导", vec!["各责任单位"], true),
            (2, "信息报送", vec!["各责任单位"], true),
            (2, "宣传引导", vec!["各责任单位"], true),
            (1, "个性指标", vec![], false),
            (2, "推进养老机构整治", vec!["县民政局"], false),
            // The unit's cell spans this row too: its unit is its own.
            (3, "开展殡葬领域专项检查，年内完成", vec!["县民政局"], false),
            (2, "落实专项资金", vec!["县财政局"], false),
        ]
    );
    let part = &ex.items[6];
    assert_eq!(part.timing[0].due, vec!["2024-12-31".to_string()]);
}

fn read_text(name: &str, text: &str) -> Extracted {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    pipeline(&file, None).unwrap()
}

fn levels_and_titles(ex: &Extracted) -> Vec<(u8, &str)> {
    ex.items
        .iter()
        .map(|t| (t.level, t.title.as_str()))
        .collect()
}

/// A task table whose steps cells are read in all their shapes: several dated steps in one
/// cell, no step, a step after a label, and rows of one cell (the task's cells span them).
#[test]
fn steps_table_with_rows_of_one_cell() {
    let ex = read_text(
        "任务表.txt",
        "某学院2024年重点工作任务表\n\
         工作任务\t任务分解/时序进度\t考核要点\n\
         完善制度\t3月：起草制度 4月：印发制度\t制度文件\n\
         开展培训\t\t培训记录\n\
         加强交流\t对外交流：3-5月完成方案；6-12月实施\t交流报告\n\
         校际交流：3月完成课程转换\n\
         4-12月：实施交流\n\
         组织检查\t2月：完成检查\t检查报告\n",
    );
    assert_eq!(
        levels_and_titles(&ex),
        vec![
            (1, "完善制度"),
            (1, "开展培训"),
            (1, "加强交流"),
            (2, "对外交流：3-5月完成方案"),
            (2, "校际交流：3月完成课程转换"),
            (2, "实施交流"),
            (1, "组织检查"),
            (2, "完成检查"),
        ]
    );
    let dues: Vec<Vec<&str>> = ex
        .items
        .iter()
        .map(|t| {
            t.timing
                .iter()
                .flat_map(|x| x.due.iter().map(String::as_str))
                .collect()
        })
        .collect();
    assert_eq!(dues[0], vec!["2024-03-31", "2024-04-30"]);
    assert_eq!(dues[3], vec!["2024-05-31", "2024-12-31"]);
    assert_eq!(dues[5], vec!["2024-12-31"]);
}

/// A heading between two tables heads the second: it is no row of the first, nor a child
/// of its last row.
#[test]
fn heading_between_two_tables() {
    let ex = read_text(
        "责任分解.txt",
        "某支队2024年责任分解\n\
         主体责任事项\n\
         事项\t责任主体\t完成时限\n\
         调整领导小组\t党委班子\t1月\n\
         召开全会\t党委班子\t3月\n\
         成员责任事项\n\
         落实事项\t完成时限\n\
         召开民主生活会\t6月\n\
         组织专题学习\t9月\n",
    );
    let shape = levels_and_titles(&ex);
    let at = shape
        .iter()
        .position(|&(_, t)| t == "成员责任事项")
        .expect("the heading is an item");
    assert_eq!(shape[at].0, 1);
    assert_eq!(
        &shape[at + 1..],
        &[(2, "召开民主生活会"), (2, "组织专题学习")]
    );
    assert!(ex.items[at].responsible.is_empty());
}

/// A 通报's closing comment speaks of all the cases: it is part of none (its 各级党组织 and
/// 各级纪检监察机关 are no doers of the last case).
#[test]
fn bulletin_closing_comment_ends_the_last_case() {
    let ex = read_text(
        "通报.txt",
        "某市纪委监委关于三起典型问题的通报\n\
         1．某局干部甲违规收受礼金问题。2023年，甲收受礼金。\n\
         2．某乡干部乙违规吃喝问题。2024年，乙违规吃喝。\n\
         市纪委监委指出，各级党组织要引以为戒。\n\
         各级纪检监察机关要严查快处。\n",
    );
    assert_eq!(ex.items.len(), 2);
    let last = &ex.items[1];
    assert!(last.responsible.is_empty(), "{:?}", last.responsible);
    assert!(!last.text.contains("指出"), "{}", last.text);
}

/// A 通报 of problems narrates what its cases' actors did: none of them is a doer; a
/// 通报 of how work went names the units that did it.
#[test]
fn bulletin_of_cases_names_no_narrated_doers() {
    let ex = read_text(
        "通报.txt",
        "某市纪委监委关于两起典型问题的通报\n\
         1．某区自然资源局原局长甲不作为问题。2023年，区自然资源局牵头办理审批事项，推诿扯皮。\n\
         2．某卫生院原院长乙形式主义问题。乙召开晨会200余次，要求全体医护人员参加。\n\
         市纪委监委指出，各级党组织要引以为戒。\n",
    );
    assert_eq!(ex.items.len(), 2);
    for t in &ex.items {
        assert!(t.responsible.is_empty(), "{}: {:?}", t.title, t.responsible);
    }
    let ex = read_text(
        "通报.txt",
        "某市纪委监委关于专项检查情况的通报\n\
         一、检查开展情况\n\
         各区纪委监委及时部署，抽调骨干力量。\n\
         二、下一步工作\n\
         各区纪委监委要对发现的问题建立台账。\n",
    );
    let units: Vec<&Vec<String>> = ex.items.iter().map(|t| &t.responsible).collect();
    assert_eq!(
        units,
        [
            &vec!["各区纪委监委".to_string()],
            &vec!["各区纪委监委".to_string()]
        ]
    );
}

/// A responsibility table's measures that work with other units ("与县环保局、县水文站共同
/// 推进…", "协助乡镇开展…") name them beside the row's unit, as 配合; a row of a table without a
/// unit column gets no doers from its measures.
#[test]
fn a_table_rows_partners_take_part_in_its_task() {
    let ex = read_text(
        "责任分工.txt",
        "某县河长制工作责任分工表\n\
         序号\t责任单位\t工作任务\t具体措施\n\
         1\t县水利局\t加强水库水环境整治\t1.推动水库综合整治； 2.与县环保局、县水文站共同推进备用水源建设。\n\
         2\t县公安局\t加大治安防控力度\t1.协助乡镇打击涉水违法犯罪（30分） 2.指导企业落实安保责任（30分）\n\
         3\t县林业局\t推进湿地修复\t开展河道沿岸绿化\n",
    );
    let row = |title: &str| {
        let t = item(&ex, title);
        (
            t.responsible.iter().map(String::as_str).collect::<Vec<_>>(),
            t.support.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        row("加强水库水环境整治"),
        (
            vec!["县水利局", "县环保局", "县水文站"],
            vec!["县环保局", "县水文站"]
        )
    );
    assert_eq!(
        row("加大治安防控力度"),
        (vec!["县公安局", "乡镇"], vec!["乡镇"])
    );
    assert_eq!(row("推进湿地修复"), (vec!["县林业局"], vec![]));
    let ex = read_text(
        "任务表.txt",
        "某县工作任务表\n\
         序号\t工作任务\t具体措施\t完成时限\n\
         1\t推进备用水源建设\t与县环保局共同推进备用水源建设\t6月底前\n",
    );
    assert!(
        ex.items[0].responsible.is_empty(),
        "{:?}",
        ex.items[0].responsible
    );
}

/// A plan whose text names no year takes the year its file's name gives.
#[test]
fn year_from_the_file_name_when_the_text_has_none() {
    let text = "工作任务\t完成时限\n修订内部制度\t3-4月\n开展专项检查\t9月底前\n";
    let ex = read_text("2025年重点工作任务表.txt", text);
    assert_eq!(ex.year, Some(2025));
    assert_eq!(ex.items[0].timing[0].due, vec!["2025-04-30".to_string()]);
    let ex = read_text("重点工作任务表.txt", text);
    assert_eq!(ex.year, None);
    assert!(ex.items[0].timing[0].due.is_empty());
}

/// A Word task table as LibreOffice writes it (`tests/fixtures/task_table.docx`, converted
/// from `task_table.html`, text written for the project): rows read by their columns, 牵头
/// and 配合 apart, a task cell merged over two rows giving its second row as a part.
#[test]
fn word_task_table_read_by_its_columns() {
    let ex = pipeline(&path("tests/fixtures/task_table.docx"), None).unwrap();
    assert_eq!(ex.year, Some(2024));
    type Row<'a> = (u8, &'a str, Vec<&'a str>, Vec<&'a str>, Vec<&'a str>);
    let shape: Vec<Row> = ex
        .items
        .iter()
        .map(|t| {
            let dues: Vec<&str> = t
                .timing
                .iter()
                .filter(|x| !x.recurring)
                .flat_map(|x| x.due.iter().map(String::as_str))
                .collect();
            (
                t.level,
                t.title.as_str(),
                t.lead.iter().map(String::as_str).collect(),
                t.support.iter().map(String::as_str).collect(),
                dues,
            )
        })
        .collect();
    assert_eq!(
        shape[..4],
        [
            (1, "强化政治监督", vec![], vec![], vec![]),
            (
                2,
                "开展重大决策部署落实情况专项检查",
                vec!["党风政风监督室"],
                vec!["各派驻纪检监察组"],
                vec!["2024-03-31"]
            ),
            (
                3,
                "组织交叉检查并通报结果",
                vec!["第一监督检查室"],
                vec!["县委督查室"],
                vec!["2024-09-30"]
            ),
            (
                2,
                "开展政治生态分析研判",
                vec!["案件监督管理室"],
                vec![],
                vec!["2024-06-30"]
            ),
        ]
    );
    let last = ex.items.last().unwrap();
    assert_eq!(last.title, "整治形式主义为基层减负");
    assert_eq!(last.support, vec!["县委办", "县政府办"]);
    assert_eq!(ex.items.len(), 6);
}

/// An item enclosing 一是…二是… keeps its own sentences as measures, never the bare
/// markers its inline items leave behind ("一是二是三是").
#[test]
fn no_measure_is_only_inline_markers() {
    for e in std::fs::read_dir(path("corpora/plans")).unwrap() {
        let p = e.unwrap().path();
        let ex = pipeline(&p, None).unwrap();
        for t in &ex.items {
            for m in &t.measures {
                let bare = m
                    .replace('是', "")
                    .chars()
                    .all(|c| "一二三四五六七八九十".contains(c));
                assert!(!bare, "{}: {} has measure {m}", p.display(), t.title);
            }
        }
        assert!(ex.items.iter().any(|t| !t.measures.is_empty()));
    }
}
