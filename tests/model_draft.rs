//! Drafting a 纪检监察建议书 data file from a report (seed 004), and the four lists.

use jiandu::extract::Vocabulary;
use jiandu::instrument::{self, Data};
use jiandu::model::{item, lists, report};
use std::path::{Path, PathBuf};

fn plan(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpora/plans")
        .join(name)
}

const REPORT: &str = "004_17309b67fbf1a13d.txt";

fn draft_of(name: &str) -> jiandu::Result<String> {
    let path = plan(name);
    let ex = jiandu::model::read_plan(Vocabulary::builtin(), &path, None, &Default::default())?;
    let opts = report::DraftOptions {
        recipient: Some("中共青山县农业农村局党组".into()),
        issuer: None,
        date: "2022-06-15".into(),
    };
    report::draft_recommendation(
        &path,
        &ex,
        &[],
        "2022年5月，我们对派驻监督工作开展了调研。",
        &opts,
    )
    .map(|d| d.text)
}

#[test]
fn draft_from_seed_004_carries_every_heading_and_validates() {
    let text = draft_of(REPORT).unwrap();
    let v: toml::Table = toml::from_str(&text).unwrap();
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let problems = list("problems");
    assert_eq!(problems.len(), 3, "{problems:#?}");
    for (p, h) in problems.iter().zip([
        "派驻纪检监察组的监督作用未能有效发挥",
        "派驻纪检监察组未能完全理顺与驻在部门的关系",
        "部分派驻纪检监察组成员综合素质不高，监督能力不强",
    ]) {
        assert!(p.starts_with(h), "{p}");
    }
    // Each detail whole (its lead phrase and its substance), joined without doubled
    // punctuation.
    assert!(problems[0]
        .contains("一是同级监督存在困难。派驻机构对驻在部门党委（党组）班子及成员监督薄弱"));
    assert!(problems[0].contains("；二是派驻部门监督的体量不均衡"));
    for p in &problems {
        assert!(!p.contains("。；") && !p.contains("；。"), "{p}");
    }
    let recs = list("recommendations");
    assert_eq!(recs.len(), 8, "{recs:#?}");
    let unmarked: Vec<String> = recs
        .iter()
        .map(|r| match r.split_once('】') {
            Some((m, rest)) if m.starts_with("【请核对") => rest.to_string(),
            _ => r.clone(),
        })
        .collect();
    for (r, h) in unmarked.iter().zip([
        "聚焦“两个维护”，强化政治监督",
        "提高认识，明确职责定位",
        "理顺关系，加强“贴身”监督",
        "敢于担当，开展有效监督",
        "重点监督，促进巩固拓展脱贫攻坚成果同乡村振兴有效衔接",
        "正风肃纪，以反腐败实际成效取信于民",
        "守正创新，推动纪检监察工作高质量发展",
        "提高能力，加强队伍建设",
    ]) {
        assert!(r.starts_with(h), "{r}");
    }
    assert!(recs[2].contains("八要强化“再监督”"), "{}", recs[2]);
    // Paired: （三）理顺关系 answers （二）, （四）有效监督 （一）, （八）提高能力 （三）; the rest
    // answer none and say so.
    assert!(
        text.contains("对应建议 （四）") && text.contains("回应问题 （二）"),
        "{text}"
    );
    assert!(
        text.contains(
            "（八） 提高能力，加强队伍建设（004_17309b67fbf1a13d.txt 第23段）；回应问题 （三）"
        ),
        "{text}"
    );
    assert!(
        recs[1].starts_with("【请核对：没有找到这条建议回应的问题】"),
        "{}",
        recs[1]
    );
    // Written as the 派驻纪检监察组's own plan: marked, not sent as it is.
    assert!(
        recs[0].starts_with("【请核对：原文是报告单位自己的工作打算"),
        "{}",
        recs[0]
    );
    // The header names a real command; the legal basis is there for the user to confirm.
    assert!(text.contains("jiandu render recommendation --data 本文件"));
    assert!(v["basis"]
        .as_str()
        .unwrap()
        .contains("《中华人民共和国监察法》"));
    assert_eq!(v["recipient"].as_str(), Some("中共青山县农业农村局党组"));
    // What the user must fill is marked.
    assert!(text.contains("# 【请填写】发文机关"));
    assert!(text.contains("# 【请核对】主送单位"));
    // The data file is valid for the recommendation instrument, and fills.
    let inst = instrument::find("recommendation").unwrap();
    let data = Data::from_toml(&text).unwrap();
    let report = instrument::validate(&inst, &data, &|_| instrument::Draw::Own);
    assert!(report.is_ok(), "{report:?}");
    let doc = instrument::fill(&inst, &data).unwrap();
    let dbg = format!("{doc:?}");
    assert!(dbg.contains("同级监督存在困难"));
}

#[test]
fn a_plan_without_the_two_parts_is_a_clear_error() {
    let e = draft_of("000_4c768249f1fe35ba.txt").unwrap_err();
    assert!(e.message.contains("没有找到“存在的主要问题”部分"), "{e}");
    assert!(e.to_string().contains("000_4c768249f1fe35ba.txt"), "{e}");
}

#[test]
fn four_lists_from_a_plan_and_a_report() {
    let docs: Vec<_> = ["000_4c768249f1fe35ba.txt", REPORT]
        .iter()
        .map(|f| {
            jiandu::model::read_plan(
                Vocabulary::builtin(),
                &plan(f),
                Some(2022),
                &Default::default(),
            )
            .unwrap()
        })
        .collect();
    let items = item::items(Vocabulary::builtin(), &docs);
    let book = lists::workbook(&items, &docs);
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["任务清单", "责任清单", "问题清单", "落实清单"]);
    let total = docs[0].items.len() + docs[1].items.len();
    assert_eq!(book.sheets[0].rows.len(), total);
    // 责任清单: one row per canonical party; the variants of 主体责任 are one row.
    let resp = &book.sheets[1].rows;
    let parties: Vec<&str> = resp.iter().map(|r| r[1].as_str()).collect();
    let mut uniq = parties.clone();
    uniq.sort_unstable();
    uniq.dedup();
    assert_eq!(uniq.len(), parties.len(), "{parties:?}");
    // Parties are the units that do the work, never duty formulas.
    assert!(
        !parties
            .iter()
            .any(|p| p.contains("主体责任") || p.contains("一岗双责")),
        "{parties:?}"
    );
    let main = resp
        .iter()
        .find(|r| r[1] == "派驻纪检监察组")
        .unwrap_or_else(|| panic!("{parties:?}"));
    assert_eq!(main[2], main[3].lines().count().to_string());
    assert!(main[3].lines().count() >= 2, "{}", main[3]);
    // Every task is under some party (or the row for none); headings that only enclose
    // other items are not tasks here.
    let listed: usize = resp.iter().map(|r| r[3].lines().count()).sum();
    let headings = ["一、立足职责使命，强化政治监督", "二、意见建议"];
    let all: String = resp
        .iter()
        .map(|r| r[3].clone())
        .collect::<Vec<_>>()
        .join("\n");
    for h in headings {
        assert!(!all.lines().any(|l| l == h), "{h} in 责任清单");
    }
    assert!(all.lines().any(|l| l == "9．严查享乐主义、奢靡之风"));
    assert!(listed >= total - 10, "{listed} of {total}");
    // 问题清单: the three problems of the report, with their 一是… details.
    let probs = &book.sheets[2].rows;
    assert_eq!(probs.len(), 3);
    assert_eq!(probs[0][1], "（一）派驻纪检监察组的监督作用未能有效发挥");
    assert_eq!(probs[0][2].lines().count(), 4);
    // A problem without 一是… details shows its first sentences.
    assert!(
        probs[2][2].starts_with("纪检监察工作是一项原则性、政策性、专业性非常强的工作"),
        "{}",
        probs[2][2]
    );
    // Each problem's 整改措施 are the suggestions answering it: （一） is answered by （四）, （三）
    // by （八）; a report that dates nothing gets the default period.
    assert!(
        probs[0][4].starts_with("（四）敢于担当，开展有效监督"),
        "{}",
        probs[0][4]
    );
    assert!(
        probs[2][4].starts_with("（八）提高能力，加强队伍建设"),
        "{}",
        probs[2][4]
    );
    assert_eq!(probs[0][6], lists::DEFAULT_RECTIFICATION);
    // 落实清单: 完成情况 and 佐证材料 to fill in.
    let heads: Vec<&str> = book.sheets[3]
        .columns
        .iter()
        .map(|c| c.header.as_str())
        .collect();
    assert!(
        heads.contains(&"完成情况") && heads.contains(&"佐证材料"),
        "{heads:?}"
    );
    // 落实清单: dated rows in date order, then the rest.
    let imp = &book.sheets[3].rows;
    let months: Vec<&str> = imp.iter().map(|r| r[1].as_str()).collect();
    let first_undated = months.iter().position(|m| *m == "长期/未定");
    if let Some(k) = first_undated {
        assert!(months[k..].iter().all(|m| *m == "长期/未定"));
    }
}

#[test]
fn checklist_cells_carry_canonical_terms() {
    let docs = vec![jiandu::model::read_plan(
        Vocabulary::builtin(),
        &plan("001_7a548ebd6d4d31cb.txt"),
        None,
        &Default::default(),
    )
    .unwrap()];
    let rows = jiandu::model::checklist::rows(Vocabulary::builtin(), &docs);
    let at = |h: &str| {
        jiandu::model::checklist::COLUMNS
            .iter()
            .position(|(c, _)| *c == h)
            .unwrap()
    };
    let row = rows
        .iter()
        .find(|r| r[at("工作任务")] == "2．压实主体责任")
        .unwrap();
    // Extraction found 党委主体责任 and 党委书记第一责任人责任: duties, kept in canonical terms
    // in the item's `duty`, never in the 责任主体 column.
    assert!(
        !row[at("责任主体")].contains("责任"),
        "{}",
        row[at("责任主体")]
    );
    let item = &jiandu::model::item::items(Vocabulary::builtin(), &docs)
        .into_iter()
        .find(|i| i.title == "压实主体责任")
        .unwrap();
    assert_eq!(
        &item.duty[..3],
        &[
            "党委（党组）主体责任",
            "党委（党组）书记第一责任人责任",
            "班子成员一岗双责"
        ]
    );
    assert_eq!(row[at("类别")], "主体责任");
}

/// A 情况报告 of another shape (written here in the genre: 存在的不足, 原因分析, 整改建议,
/// 下一步工作, a 落款 at the end): its problems, causes and suggestions are read, each
/// suggestion paired with its problem, and its 问题清单 rows carry the suggestion as 整改措施,
/// the unit it names as 责任主体 and the date it writes as 整改时限.
#[test]
fn a_situation_report_with_other_headings_drafts_and_fills_the_problem_list() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/情况报告.txt");
    let ex =
        jiandu::model::read_plan(Vocabulary::builtin(), &path, None, &Default::default()).unwrap();
    let opts = report::DraftOptions {
        recipient: None,
        issuer: None,
        date: "2023-06-10".into(),
    };
    let text = report::draft_recommendation(&path, &ex, &[], "", &opts)
        .unwrap()
        .text;
    let v: toml::Table = toml::from_str(&text).unwrap();
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let problems = list("problems");
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[1].starts_with("合同管理不够规范。部分村集体土地发包"));
    let causes = list("causes");
    assert_eq!(causes.len(), 2, "{causes:#?}");
    assert!(causes[0].starts_with("思想认识有偏差"));
    let recs = list("recommendations");
    assert_eq!(recs.len(), 3, "{recs:#?}");
    // The 一是/二是 of a suggestion stay in it; the 落款 of the report is in none.
    assert!(recs[2].contains("一是统一公开内容和格式；二是设立公开监督电话"));
    assert!(recs
        .iter()
        .chain(&problems)
        .all(|r| !r.contains("2023年6月2日")
            && !r.contains("派驻第三纪检监察组")
            && !r.starts_with('【')));
    assert!(text.contains("回应问题 （三）"), "{text}");
    // Each problem's 整改时限: the date its suggestion writes, or the reply period.
    assert_eq!(
        list("deadlines"),
        ["2023-09-30", "按反馈期限", "按反馈期限"]
    );
    let rec = instrument::entry::recommendation(&instrument::find("recommendation").unwrap(), &{
        let mut d = Data::from_toml(&text).unwrap();
        d.set(
            "doc_number",
            instrument::Raw::Text("青纪建〔2023〕7号".into()),
        );
        d
    })
    .unwrap();
    let dues: Vec<String> = rec.items.iter().map(|i| i.deadline.iso()).collect();
    assert_eq!(dues, ["2023-09-30", "2023-07-10", "2023-07-10"]);
    let data = Data::from_toml(&text).unwrap();
    let inst = instrument::find("recommendation").unwrap();
    assert!(instrument::validate(&inst, &data, &|_| instrument::Draw::Own).is_ok());
    // The printed recommendation carries the legal basis after the background.
    let doc = format!("{:?}", instrument::fill(&inst, &data).unwrap());
    assert!(doc.contains("有关规定，现提出如下纪检监察建议。"), "{doc}");

    let docs = vec![ex];
    let items = item::items(Vocabulary::builtin(), &docs);
    let book = lists::workbook(&items, &docs);
    let probs = &book.sheets[2].rows;
    assert_eq!(probs.len(), 3);
    assert!(
        probs[0][4].starts_with("（一）压实监管责任"),
        "{}",
        probs[0][4]
    );
    assert!(probs[0][5].contains("县农业农村局"), "{:?}", probs[0]);
    assert_eq!(probs[0][6], "2023年9月30日", "{:?}", probs[0]);
    assert_eq!(probs[1][6], lists::DEFAULT_RECTIFICATION);
}

/// The news of a 巡察反馈 (written here in the genre's shape, no numbered headings): the
/// problems after "反馈指出，" and the demands after "反馈要求，" are read from their 一是/一要
/// lists, paired one to one, and the 2023年7月31日 of a demand is its problem's 整改时限.
#[test]
fn an_inspection_feedback_without_headings_drafts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/巡察反馈.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let ex =
        jiandu::model::read_plan(Vocabulary::builtin(), &path, None, &Default::default()).unwrap();
    assert!(ex.items.is_empty());
    let opts = report::DraftOptions {
        recipient: Some("中共县水利局党组".into()),
        issuer: None,
        date: "2023-05-20".into(),
    };
    let draft =
        report::draft_recommendation(&path, &ex, &text.lines().collect::<Vec<_>>(), &text, &opts)
            .unwrap()
            .text;
    let v: toml::Table = toml::from_str(&draft).unwrap();
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let problems = list("problems");
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[1].starts_with("工程项目管理不够规范。"),
        "{}",
        problems[1]
    );
    let recs = list("recommendations");
    assert_eq!(recs.len(), 3, "{recs:#?}");
    assert!(
        recs[0].starts_with("压实整改主体责任。党组书记要履行第一责任人职责"),
        "{}",
        recs[0]
    );
    assert!(draft.contains("回应问题 一是"), "{draft}");
    assert_eq!(list("deadlines")[0], "2023-07-31");
    // What is said after the demands (表态) is neither.
    assert!(!draft.contains("不折不扣"), "{draft}");
}

/// A 典型问题通报 (written here in the genre's shape): its four numbered cases are the
/// problems (their 2021/2022 dates are history, not deadlines), the 一要/二要/三要 after
/// "县纪委监委指出，" are the suggestions, "各单位要将本通报传达到…" is none, and the draft is a
/// valid recommendation.
#[test]
fn a_bulletin_of_cases_drafts_from_its_cases_and_its_demands() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/典型问题通报.txt");
    let read = jiandu::intake::read(&path).unwrap();
    let paragraphs: Vec<&str> = read.blocks.iter().map(|b| b.text.as_str()).collect();
    let ex =
        jiandu::model::read_plan(Vocabulary::builtin(), &path, None, &Default::default()).unwrap();
    let p = report::parts_of_cases(&paragraphs, "典型问题通报.txt");
    let titles: Vec<&str> = p.problems.iter().map(|x| x.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "县农业农村局原副局长赵某某违规收受礼金问题",
            "青石镇财政所所长钱某某违规公款吃喝问题",
            "县水利局办公室主任孙某某公车私用问题",
            "县住建局工程股股长李某某违规操办婚丧喜庆事宜问题",
        ]
    );
    // The last case ends with its own facts, not the closing.
    assert!(
        p.problems[3].text.ends_with("受到党内警告处分。"),
        "{}",
        p.problems[3].text
    );
    assert!(p.problems.iter().all(|x| x.due.is_empty()));
    let heads: Vec<&str> = p.suggestions.iter().map(|x| x.title.as_str()).collect();
    assert_eq!(
        heads,
        ["压紧压实主体责任", "紧盯节点严查问题", "深化以案促改"]
    );
    assert_eq!(p.suggestions[2].due, ["2022-06-30"]);
    assert!(p
        .suggestions_title
        .as_deref()
        .unwrap()
        .starts_with("县纪委监委指出"));
    assert!(
        p.opening.as_deref().unwrap().starts_with("今年以来"),
        "{:?}",
        p.opening
    );

    let opts = report::DraftOptions {
        recipient: Some("中共青山县住房和城乡建设局党组".into()),
        issuer: None,
        date: "2022-04-20".into(),
    };
    let draft = report::draft_recommendation(&path, &ex, &paragraphs, "", &opts)
        .unwrap()
        .text;
    // The comment says where the demands come from: the 通报's closing, not headings.
    assert!(
        draft.contains("# 【请核对】监督建议：取自通报提出的 3 条要求（“县纪委监委指出"),
        "{draft}"
    );
    let v: toml::Table = toml::from_str(&draft).unwrap();
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 4);
    assert!(problems[0].as_str().unwrap().contains("1.2万元"));
    let recs: Vec<&str> = v["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(recs.len(), 3, "{recs:?}");
    assert!(recs.iter().all(|r| !r.contains("本通报")), "{recs:?}");
    assert!(
        recs[2].contains("于2022年6月30日前完成自查自纠"),
        "{recs:?}"
    );
    let inst = jiandu::instrument::find("recommendation").unwrap();
    let data = jiandu::instrument::Data::from_toml(&draft).unwrap();
    let report = jiandu::instrument::validate(&inst, &data, &|_| jiandu::instrument::Draw::Own);
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    // The 四单's 问题清单 reads the same cases from the tree alone, each answered by all
    // three demands, with its place in the file and the one date the demands write.
    let docs = vec![ex];
    let items = jiandu::model::item::items(Vocabulary::builtin(), &docs);
    let book = jiandu::model::lists::workbook(&items, &docs);
    let probs = &book.sheets[2].rows;
    assert_eq!(probs.len(), 4, "{probs:?}");
    assert_eq!(
        probs[0][1],
        "一、县农业农村局原副局长赵某某违规收受礼金问题"
    );
    assert!(probs[0][2].contains("1.2万元"), "{:?}", probs[0]);
    assert_eq!(probs[1][3], "典型问题通报.txt 第6段");
    for row in probs {
        assert_eq!(row[4].lines().count(), 3, "{row:?}");
        assert!(row[4].starts_with("一要压紧压实主体责任"), "{row:?}");
        assert_eq!(row[6], "2022年6月30日", "{row:?}");
    }
}
