//! Tests of the instrument stage: every instrument filled from its sample, every validation
//! message, injection attempts, user template folders.

use super::SAMPLES;
use super::*;
use crate::render::model::{Align, Break, Document, Para, SectionKind};

fn sample(id: &str) -> Data {
    let text = SAMPLES
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, t)| *t)
        .unwrap();
    Data::from_toml(text).unwrap()
}

fn inst(id: &str) -> Instrument {
    find(id).unwrap()
}

/// Every printed string of a document, one per line.
fn text_of(doc: &Document) -> String {
    let mut out = Vec::new();
    for s in &doc.sections {
        if let Some(h) = &s.header {
            out.push(h.authority.clone());
            out.extend(h.doc_number.clone());
        }
        let para = |out: &mut Vec<String>, p: &Para| match p {
            Para::Text(t) => out.push(t.clone()),
            Para::Heading { heading, rest, .. } => {
                out.push(format!("{heading}{}", rest.clone().unwrap_or_default()))
            }
            Para::Line { text, .. } => out.push(text.clone()),
            Para::Blank => out.push(String::new()),
        };
        out.extend(s.title.clone());
        for p in &s.preamble {
            para(&mut out, p);
        }
        out.extend(s.addressee.clone());
        for p in &s.body {
            para(&mut out, p);
        }
        if let Some(sig) = &s.signature {
            out.push(sig.issuer.clone());
            out.push(sig.date.clone());
        }
        if let Some(r) = &s.record {
            out.push(format!("抄送：{}", r.cc.join("，")));
            out.push(r.printer.clone());
            out.push(r.print_date.clone());
        }
    }
    out.join("\n")
}

fn errors(inst: &Instrument, data: &Data) -> Vec<String> {
    validate(inst, data, &|_| Draw::Own)
        .errors
        .into_iter()
        .map(|p| p.message)
        .collect()
}

fn toml_data(text: &str) -> Data {
    Data::from_toml(text).unwrap()
}

#[test]
fn builtins_follow_the_contract() {
    let all = builtin();
    let ids: Vec<&str> = all.iter().map(|i| i.id()).collect();
    assert_eq!(
        ids,
        [
            "talk-notice",
            "inquiry-notice",
            "recommendation",
            "accountability-decision",
            "supervise-notice"
        ]
    );
    let names: Vec<&str> = all.iter().map(|i| i.name()).collect();
    assert_eq!(
        names,
        [
            "谈话通知书",
            "函询通知书",
            "纪检监察建议书",
            "问责决定书",
            "督办通知书"
        ]
    );
    let codes: Vec<&str> = all.iter().map(|i| i.code()).collect();
    assert_eq!(codes, ["纪谈", "纪函", "纪建", "纪问", "纪督"]);
    let fields = |id: &str| -> Vec<(String, String, Kind, bool)> {
        inst(id)
            .schema
            .fields
            .iter()
            .map(|f| (f.key.clone(), f.label.clone(), f.kind, f.required))
            .collect()
    };
    let want = |v: &[(&str, &str, Kind, bool)]| -> Vec<(String, String, Kind, bool)> {
        v.iter()
            .map(|(k, l, kind, r)| (k.to_string(), l.to_string(), *kind, *r))
            .collect()
    };
    use Kind::*;
    assert_eq!(
        fields("talk-notice"),
        want(&[
            ("doc_number", "文号", Text, false),
            ("name", "姓名", Text, true),
            ("position", "职务", Text, false),
            ("talk_type", "谈话类型", Choice, true),
            ("reason", "谈话事由", Text, false),
            ("date", "谈话日期", Date, true),
            ("time", "谈话时间", Text, true),
            ("place", "谈话地点", Text, true),
            ("contact", "联系人", Text, true),
            ("phone", "联系电话", Text, true),
            ("bring", "携带材料", Text, false),
            ("issuer", "发文机关", Text, true),
            ("issue_date", "成文日期", Date, true),
        ])
    );
    assert_eq!(
        fields("inquiry-notice"),
        want(&[
            ("doc_number", "文号", Text, false),
            ("name", "姓名", Text, true),
            ("position", "职务", Text, false),
            ("matters", "函询事项", List, true),
            ("reply_days", "回复期限（工作日）", Integer, false),
            ("contact", "联系人", Text, true),
            ("phone", "联系电话", Text, true),
            ("issuer", "发文机关", Text, true),
            ("issue_date", "成文日期", Date, true),
            // Extension: 抄送 of the letter.
            ("cc", "抄送", List, false),
        ])
    );
    assert_eq!(
        fields("recommendation"),
        want(&[
            ("doc_number", "文号", Text, false),
            ("subject", "事由", Text, false),
            ("recipient", "主送单位", Text, true),
            ("background", "情况说明", Text, true),
            ("problems", "存在的问题", List, true),
            ("causes", "原因分析", List, false),
            ("recommendations", "监督建议", List, true),
            ("reply_days", "反馈期限（日）", Integer, false),
            ("issuer", "发文机关", Text, true),
            ("issue_date", "成文日期", Date, true),
            ("cc", "抄送", List, false),
            // Extensions of the contract (optional, after its fields): the header elements,
            // the seal and the 版记's 印发 line.
            ("copy_number", "份号", Text, false),
            ("classification", "密级和保密期限", Text, false),
            ("urgency", "紧急程度", Choice, false),
            ("seal", "加盖印章", Choice, false),
            ("printer", "印发机关", Text, false),
            ("print_date", "印发日期", Date, false),
            ("record_even", "版记在偶数页", Choice, false),
            ("basis", "依据", Text, false),
            ("deadlines", "整改时限", List, false),
        ])
    );
    assert_eq!(
        fields("accountability-decision"),
        want(&[
            ("doc_number", "文号", Text, false),
            ("target_kind", "问责对象类型", Choice, true),
            ("target", "被问责对象", Text, true),
            ("profile", "基本情况", Text, false),
            ("facts", "问题事实", List, true),
            ("basis", "问责依据", Text, false),
            ("measures", "问责方式", MultiChoice, true),
            ("appeal_to", "申诉受理机关", Text, false),
            ("issuer", "发文机关", Text, true),
            ("issue_date", "成文日期", Date, true),
            ("cc", "抄送", List, false),
            // Extensions of the contract (optional, after its fields): the header elements,
            // the seal and the 版记's 印发 line.
            ("copy_number", "份号", Text, false),
            ("classification", "密级和保密期限", Text, false),
            ("urgency", "紧急程度", Choice, false),
            ("seal", "加盖印章", Choice, false),
            ("printer", "印发机关", Text, false),
            ("print_date", "印发日期", Date, false),
            ("record_even", "版记在偶数页", Choice, false),
        ])
    );
    // An extension of the contract: the 督办通知书 that `jiandu ledger remind` drafts.
    assert_eq!(
        fields("supervise-notice"),
        want(&[
            ("doc_number", "文号", Text, false),
            ("recipient", "主送单位", Text, true),
            ("recommendations", "所涉建议书", List, true),
            ("items", "逾期问题", List, true),
            ("as_of", "截至日期", Date, true),
            ("reply_days", "反馈期限（日）", Integer, false),
            ("contact", "联系人", Text, false),
            ("phone", "联系电话", Text, false),
            ("issuer", "发文机关", Text, true),
            ("issue_date", "成文日期", Date, true),
            ("cc", "抄送", List, false),
        ])
    );
}

#[test]
fn find_by_id_or_chinese_name() {
    assert_eq!(find("谈话通知书").unwrap().id(), "talk-notice");
    assert_eq!(find(" Recommendation ").unwrap().name(), "纪检监察建议书");
    let e = find("处分决定书").unwrap_err();
    assert!(
        e.message
            .starts_with("没有名为“处分决定书”的文书，可用的有：谈话通知书（talk-notice）"),
        "{}",
        e.message
    );
}

#[test]
fn every_sample_validates_and_fills_with_all_required_values() {
    for (id, _) in SAMPLES {
        let i = inst(id);
        let data = sample(id);
        let report = validate(&i, &data, &|_| Draw::Own);
        assert!(report.errors.is_empty(), "{id}: {:?}", report.errors);
        assert!(report.warnings.is_empty(), "{id}: {:?}", report.warnings);
        let doc = fill(&i, &data).unwrap();
        let text = text_of(&doc);
        let (res, _) = validate::resolve(&i.schema, &data, &|_| Draw::Own);
        // 问责对象类型 chooses the wording (同志, 被问责对象：) rather than being printed.
        for f in i
            .schema
            .fields
            .iter()
            .filter(|f| f.required && f.key != "target_kind")
        {
            let v = res
                .values
                .get(&f.key)
                .unwrap_or_else(|| panic!("{id}: {} missing", f.key));
            let shown: Vec<String> = match v {
                Value::Text(t) => vec![t.clone()],
                Value::Date(d) => vec![d.chinese()],
                Value::Integer(n) => vec![n.to_string()],
                Value::List(items) => items.clone(),
            };
            for s in shown {
                // Long texts may be split into paragraphs; check each line of it.
                for part in s.split('\n') {
                    let part = part.trim_end_matches('。');
                    assert!(
                        text.contains(part),
                        "{id}: {} “{part}” not printed in\n{text}",
                        f.label
                    );
                }
            }
        }
        assert_eq!(doc.meta.author, "中共青山县纪委监委");
        assert!(doc.meta.date.is_some());
    }
}

#[test]
fn talk_notice_has_counterfoil_notice_and_receipt() {
    let doc = fill(&inst("talk-notice"), &sample("talk-notice")).unwrap();
    let kinds: Vec<(SectionKind, Break)> = doc
        .sections
        .iter()
        .map(|s| (s.kind, s.break_before))
        .collect();
    assert_eq!(
        kinds,
        [
            (SectionKind::Counterfoil, Break::None),
            (SectionKind::Main, Break::CutLine),
            (SectionKind::Receipt, Break::CutLine)
        ]
    );
    let [stub, main, receipt] = &doc.sections[..] else {
        panic!("three sections")
    };
    assert_eq!(stub.title.as_deref(), Some("谈话通知书（存根）"));
    assert!(stub.body.contains(&Para::Line {
        text: "被谈话人：王建国".into(),
        align: Align::Left
    }));
    assert!(stub.body.contains(&Para::Line {
        text: "签发日期：2022年3月5日".into(),
        align: Align::Left
    }));
    assert!(stub.body.contains(&Para::Line {
        text: "谈话时间：2022年3月10日上午9:00".into(),
        align: Align::Left
    }));
    assert_eq!(main.title.as_deref(), Some("谈话通知书"));
    assert_eq!(main.addressee.as_deref(), Some("王建国同志："));
    assert_eq!(
        main.body[0],
        Para::Text(
            "根据工作需要，经研究，决定对你进行提醒谈话（谈话事由：分管领域农机购置补贴资金发放审核不严、公示不及时）。请你于2022年3月10日上午9:00到青山县纪委监委机关三楼302谈话室，向刘晓梅报到。".into()
        )
    );
    // The 文号 prints where the template puts it: under the title, before the addressee.
    assert_eq!(
        main.preamble,
        [Para::Line {
            text: "青纪谈〔2022〕5号".into(),
            align: Align::Right(0)
        }]
    );
    let sig = main.signature.as_ref().unwrap();
    assert_eq!(
        (sig.issuer.as_str(), sig.date.as_str()),
        ("中共青山县纪委监委", "2022年3月5日")
    );
    assert_eq!(receipt.addressee.as_deref(), Some("中共青山县纪委监委："));
    assert!(
        matches!(&receipt.body[0], Para::Text(t) if t.starts_with("王建国同志已于") && t.contains("收到《谈话通知书》（青纪谈〔2022〕5号）"))
    );
    assert!(receipt.body.iter().any(|p| matches!(p, Para::Line { text, align: Align::Right(2) } if text.starts_with("被谈话人（签名）："))));
    assert_eq!(doc.meta.title, "谈话通知书");
    assert_eq!(doc.meta.date, Some((2022, 3, 5)));
}

#[test]
fn talk_notice_without_optional_values_leaves_no_gaps() {
    let mut data = sample("talk-notice");
    data.entries
        .retain(|(n, _)| !["文号", "谈话事由", "携带材料", "职务"].contains(&n.as_str()));
    let doc = fill(&inst("talk-notice"), &data).unwrap();
    let text = text_of(&doc);
    assert!(!text.contains("谈话事由"), "{text}");
    assert!(!text.contains("请携带"));
    assert!(text.contains("决定对你进行提醒谈话。请你于"));
    assert!(text.contains("收到《谈话通知书》，"));
}

#[test]
fn inquiry_numbers_matters_and_defaults_to_15_working_days() {
    let i = inst("inquiry-notice");
    let mut data = sample("inquiry-notice");
    data.entries.retain(|(n, _)| n != "reply_days");
    let doc = fill(&i, &data).unwrap();
    let main = &doc.sections[0];
    assert_eq!(main.title.as_deref(), Some("函询通知书"));
    assert_eq!(main.addressee.as_deref(), Some("陈志强同志："));
    let headings: Vec<&str> = main
        .body
        .iter()
        .filter_map(|p| match p {
            Para::Heading {
                level: 3, heading, ..
            } => Some(heading.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(headings.len(), 3);
    assert!(headings[0].starts_with("1.反映你在城区老旧小区改造项目中"));
    assert!(headings[2].starts_with("3.反映你2021年春节期间"));
    let text = text_of(&doc);
    assert!(
        text.contains("于收到本通知书之日起15个工作日内报送中共青山县纪委监委"),
        "{text}"
    );
    assert!(text.contains("如实作出书面说明"));
    assert!(text.contains("所在单位主要负责人签署意见"));
    data.set("回复期限（工作日）", Raw::Text("10".into()));
    assert!(text_of(&fill(&i, &data).unwrap()).contains("之日起10个工作日内"));
}

#[test]
fn recommendation_structure_with_and_without_causes() {
    let i = inst("recommendation");
    let doc = fill(&i, &sample("recommendation")).unwrap();
    let main = &doc.sections[0];
    let h = main.header.as_ref().unwrap();
    assert_eq!(
        (h.authority.as_str(), h.doc_number.as_deref()),
        ("中共青山县纪委监委", Some("青纪建〔2022〕3号"))
    );
    assert_eq!(
        main.title.as_deref(),
        Some("关于加强农村集体“三资”管理的纪检监察建议书")
    );
    assert_eq!(
        main.addressee.as_deref(),
        Some("中共青山县农业农村局党组：")
    );
    let h1: Vec<&str> = main
        .body
        .iter()
        .filter_map(|p| match p {
            Para::Heading {
                level: 1, heading, ..
            } => Some(heading.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(h1, ["一、存在的主要问题", "二、原因分析", "三、监督建议"]);
    assert!(main.body.contains(&Para::Heading {
        level: 2,
        heading: "（一）监督指导责任落实不到位。".into(),
        rest: Some("对村级财务公开、合同管理等工作督促检查不够，抽查的46个村中有17个村集体资产底数不清、台账不全。".into())
    }));
    assert_eq!(
        main.body.iter().filter(|p| matches!(p, Para::Text(t) if t.starts_with("2022年3月至5月") || t.starts_with("为推动问题整改"))).count(),
        2,
        "background keeps its two paragraphs"
    );
    let text = text_of(&doc);
    assert!(text.contains("（三）健全长效机制。"));
    assert!(text.contains("请你单位认真研究，切实抓好整改落实，并于收到本建议书之日起30日内将整改落实情况书面反馈中共青山县纪委监委。"));
    let rec = main.record.as_ref().unwrap();
    assert_eq!(rec.cc, ["县委巡察办", "县财政局"]);
    assert_eq!(rec.print_date, "2022年6月15日");

    let mut data = sample("recommendation");
    data.entries
        .retain(|(n, _)| n != "causes" && n != "subject" && n != "cc");
    let doc = fill(&i, &data).unwrap();
    let main = &doc.sections[0];
    assert_eq!(main.title.as_deref(), Some("纪检监察建议书"));
    let h1: Vec<&str> = main
        .body
        .iter()
        .filter_map(|p| match p {
            Para::Heading {
                level: 1, heading, ..
            } => Some(heading.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(h1, ["一、存在的主要问题", "二、监督建议"]);
    assert_eq!(main.record.as_ref().map(|r| r.cc.len()), Some(0));
}

#[test]
fn accountability_decided_measures_and_appeal() {
    let i = inst("accountability-decision");
    let doc = fill(&i, &sample("accountability-decision")).unwrap();
    let text = text_of(&doc);
    assert_eq!(doc.sections[0].title.as_deref(), Some("问责决定书"));
    assert!(text.contains("李明华，男，1972年8月生，中共党员，现任青山县应急管理局局长。"));
    assert!(text.contains("经查，李明华同志存在以下问题："));
    assert!(text.contains("依据《中国共产党问责条例》第七条第五项、第八条的规定，经中共青山县纪委监委研究，决定：对李明华同志予以通报、诫勉。"), "{text}");
    assert!(text.contains(
        "如不服本决定，可以自收到本决定书之日起1个月内，向中共青山县纪委监委提出书面申诉。"
    ));
}

#[test]
fn accountability_organizational_measures_become_a_proposal_unless_a_committee_decides() {
    let i = inst("accountability-decision");
    let mut data = sample("accountability-decision");
    data.set(
        "问责方式",
        Raw::List(vec![Raw::Text("诫勉".into()), Raw::Text("组织调整".into())]),
    );
    let report = validate(&i, &data, &|_| Draw::Own);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        report.warnings.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        ["“问责方式”：组织调整须由党委（党组）决定，发文机关“中共青山县纪委监委”不是党委（党组），文书将写作向有管理权限的党组织提出建议"]
    );
    let text = text_of(&fill(&i, &data).unwrap());
    assert!(
        text.contains(
            "决定：对李明华同志予以诫勉。同时，建议有管理权限的党组织对李明华同志给予组织调整。"
        ),
        "{text}"
    );

    data.set("发文机关", Raw::Text("中共青山县委".into()));
    data.set("申诉受理机关", Raw::Text("中共青山县委".into()));
    let report = validate(&i, &data, &|_| Draw::Own);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let text = text_of(&fill(&i, &data).unwrap());
    assert!(
        text.contains("决定：对李明华同志予以诫勉，给予组织调整。"),
        "{text}"
    );
    assert!(!text.contains("建议"));
}

#[test]
fn party_committee_rule() {
    for yes in [
        "中共青山县委",
        "中共青山县委员会",
        "中共青山县应急管理局党组",
        "青山镇党委",
    ] {
        assert!(is_party_committee(yes), "{yes}");
    }
    for no in [
        "中共青山县纪委监委",
        "中共青山县纪律检查委员会",
        "青山县监察委员会",
        "县纪委监委派驻第三纪检监察组",
        "中共青山县委组织部",
        "青山县应急管理局",
    ] {
        assert!(!is_party_committee(no), "{no}");
    }
}

#[test]
fn organization_target_and_defaults() {
    let i = inst("accountability-decision");
    let data = toml_data(
        "target_kind = \"党组织\"\ntarget = \"中共青山县某镇委员会\"\nfacts = \"落实全面从严治党主体责任不力；对辖区违建问题长期失管\"\nmeasures = \"检查、通报\"\nissuer = \"中共青山县纪委监委\"\nissue_date = 2022-08-01\n",
    );
    let report = validate(&i, &data, &|_| Draw::Own);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let text = text_of(&fill(&i, &data).unwrap());
    assert!(text.contains("被问责对象：中共青山县某镇委员会。"));
    assert!(text.contains("1.落实全面从严治党主体责任不力"));
    assert!(text.contains("2.对辖区违建问题长期失管"));
    assert!(
        text.contains("依据《中国共产党问责条例》第七条、第八条的规定"),
        "default basis: {text}"
    );
    assert!(
        text.contains("决定：对中共青山县某镇委员会责令作出书面检查并切实整改，予以通报。"),
        "{text}"
    );
    assert!(
        text.contains("向中共青山县纪委监委提出书面申诉"),
        "appeal_to defaults to the issuer"
    );
}

#[test]
fn every_validation_problem_is_reported_at_once() {
    let i = inst("talk-notice");
    let data = toml_data(
        "\"姓名\" = \"王建国\"\n\"谈话类型\" = \"批评谈话\"\n\"谈话日期\" = \"2022-02-30\"\n\"成文日期\" = \"下周三\"\n\"谈话地点\" = [\"a\", [\"b\"]]\n\"电话号码\" = \"123\"\n",
    );
    let report = validate(&i, &data, &|_| Draw::Own);
    let errs: Vec<&str> = report.errors.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        errs,
        [
            "“谈话类型”：“批评谈话”不在可选范围内（可选：提醒谈话、诫勉谈话、谈心谈话、约谈）",
            "“谈话日期”：2022年2月30日不是有效日期",
            "“谈话地点”：应填写文字",
            "“成文日期”：“下周三”不是日期（可写作2022-03-05、2022/3/5、2022.3.5或2022年3月5日）",
            "“谈话时间”：必填，但未填写",
            "“联系人”：必填，但未填写",
            "“联系电话”：必填，但未填写",
            "“发文机关”：必填，但未填写",
        ]
    );
    assert_eq!(
        report
            .warnings
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        ["“电话号码”：不是谈话通知书的字段，已忽略"]
    );
    // fill refuses with all messages
    let e = fill(&i, &data).unwrap_err();
    assert_eq!(e.message.lines().count(), 8);
}

#[test]
fn kind_range_duplicate_and_dependent_choice_errors() {
    let i = inst("inquiry-notice");
    let mut data = sample("inquiry-notice");
    data.set("reply_days", Raw::Text("十五".into()));
    assert_eq!(errors(&i, &data), ["“回复期限（工作日）”：“十五”不是整数"]);
    data.set("reply_days", Raw::Integer(0));
    assert_eq!(
        errors(&i, &data),
        ["“回复期限（工作日）”：0超出范围（应在1到60之间）"]
    );
    data.set("reply_days", Raw::Integer(15));
    data.set("姓名", Raw::Text("陈志强".into()));
    assert_eq!(
        errors(&i, &data),
        ["“姓名”：填写了两次（“name”和“姓名”），请只保留一个"]
    );

    let a = inst("accountability-decision");
    let mut data = sample("accountability-decision");
    data.set("问责方式", Raw::Text("改组、诫勉、警告".into()));
    assert_eq!(
        errors(&a, &data),
        ["“问责方式”：“警告”不在可选范围内（可选：检查、通报、改组、诫勉、组织调整、组织处理、纪律处分）"]
    );
    data.set("问责方式", Raw::Text("改组、诫勉".into()));
    assert_eq!(
        errors(&a, &data),
        ["“问责方式”：“改组”不适用于问责对象类型“领导干部”（可选：通报、诫勉、组织调整、组织处理、纪律处分）"]
    );
    data.set("问责方式", Raw::Text("诫勉".into()));
    data.set("基本情况", Raw::Text(" ".into()));
    assert_eq!(
        errors(&a, &data),
        ["“基本情况”：“问责对象类型”为“领导干部”时必填，但未填写"]
    );
    data.set("问题事实", Raw::List(vec![]));
    assert_eq!(errors(&a, &data).len(), 2, "empty required list is missing");
}

#[test]
fn labels_and_keys_are_interchangeable() {
    let i = inst("talk-notice");
    let by_label = sample("talk-notice");
    let mut by_key = Data::new();
    for (name, v) in &by_label.entries {
        by_key.set(i.field_by_header(name).unwrap().key.clone(), v.clone());
    }
    assert!(by_key.entries.iter().all(|(n, _)| n.is_ascii()));
    assert_eq!(fill(&i, &by_key).unwrap(), fill(&i, &by_label).unwrap());
    assert_eq!(
        i.field_by_header(" 谈话日期 ").map(|f| f.key.as_str()),
        Some("date")
    );
    assert_eq!(
        i.field_by_header("姓名*").map(|f| f.key.as_str()),
        Some("name")
    );
    assert_eq!(
        i.field_by_header("Phone").map(|f| f.key.as_str()),
        Some("phone")
    );
    assert!(i.field_by_header("性别").is_none());
    let q = inst("inquiry-notice");
    assert_eq!(
        q.field_by_header("回复期限(工作日)")
            .map(|f| f.key.as_str()),
        Some("reply_days")
    );
    assert_eq!(
        q.field_by_header("函询事项（必填）")
            .map(|f| f.key.as_str()),
        Some("matters")
    );
}

#[test]
fn json_data_and_lists_from_strings() {
    let i = inst("recommendation");
    let data = Data::from_json(
        r#"{"主送单位": "中共青山县教育局党组：", "情况说明": "经查。", "存在的问题": "1.问题甲；2、问题乙\n（三）问题丙",
            "监督建议": ["建议甲"], "发文机关": "中共青山县纪委监委", "成文日期": "2022年9月1日", "反馈期限（日）": 20}"#,
    )
    .unwrap();
    let doc = fill(&i, &data).unwrap();
    let text = text_of(&doc);
    assert_eq!(
        doc.sections[0].addressee.as_deref(),
        Some("中共青山县教育局党组：")
    );
    for want in [
        "（一）问题甲",
        "（二）问题乙",
        "（三）问题丙",
        "（一）建议甲",
        "之日起20日内",
        "2022年9月1日",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(!text.contains("（一）1."));
}

#[test]
fn values_are_data_never_template_code_or_directives() {
    let i = inst("talk-notice");
    let mut data = sample("talk-notice");
    data.set(
        "姓名",
        Raw::Text("{{ name }}{% if true %}x{% endif %}".into()),
    );
    data.set(
        "谈话事由",
        Raw::Text("<b>&amp;</b>\n@title 假标题\n@section receipt".into()),
    );
    data.set(
        "谈话地点",
        Raw::Text("302室\u{0}\u{1b}[31m\u{7f}\t\u{202e}\u{200b}".into()),
    );
    data.set("携带材料", Raw::Text("@p 材料".into()));
    let doc = fill(&i, &data).unwrap();
    assert_eq!(doc.sections.len(), 3, "no section injected");
    let main = &doc.sections[1];
    assert_eq!(main.title.as_deref(), Some("谈话通知书"));
    assert_eq!(
        main.addressee.as_deref(),
        Some("{{ name }}{% if true %}x{% endif %}同志：")
    );
    let Para::Text(body) = &main.body[0] else {
        panic!("{:?}", main.body)
    };
    assert!(
        body.contains("（谈话事由：<b>&amp;</b>@title 假标题@section receipt）"),
        "{body}"
    );
    assert_eq!(main.preamble.len(), 1, "the 文号: {:?}", main.preamble);
    assert_eq!(
        main.body.len(),
        4,
        "one-line values are not split: {:?}",
        main.body
    );
    assert!(body.contains("到302室[31m，"), "controls dropped: {body}");
    assert!(main.body.contains(&Para::Text("请携带@p 材料。".into())));
    // A paragraph value keeps its break as a new paragraph, still not a directive.
    let r = inst("recommendation");
    let mut data = sample("recommendation");
    data.set(
        "background",
        Raw::Text("第一段\n@title 注入\n{{ issuer }}".into()),
    );
    let doc = fill(&r, &data).unwrap();
    let main = &doc.sections[0];
    assert_eq!(
        main.title.as_deref(),
        Some("关于加强农村集体“三资”管理的纪检监察建议书")
    );
    assert_eq!(
        main.body[..3],
        [
            Para::Text("第一段".into()),
            Para::Text("@title 注入".into()),
            Para::Text("{{ issuer }}".into())
        ]
    );
}

#[test]
fn undrawable_characters_are_errors_naming_field_and_character() {
    let i = inst("talk-notice");
    let mut data = sample("talk-notice");
    data.set("姓名", Raw::Text("王𠀀国".into()));
    // A character only a fallback font has is a warning naming that font, never an error.
    let report = validate(&i, &data, &|c| {
        if c == '𠀀' {
            Draw::Fallback("花園明朝B".into())
        } else {
            Draw::Own
        }
    });
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        report
            .warnings
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        ["“姓名”：字符“𠀀”（U+20000）文书字体中没有，已改用“花園明朝B”字体显示，请打印后核对字形"]
    );
    // A character no font has is the only error, and it names the fonts searched.
    let report = validate(&i, &data, &|c| {
        if c == '𠀀' {
            Draw::Missing("FandolFang、HanaMinA".into())
        } else {
            Draw::Own
        }
    });
    assert_eq!(
        report
            .errors
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        ["“姓名”：字符“𠀀”（U+20000）在已查找的字体（FandolFang、HanaMinA）中都没有，无法显示。请安装含有这个字的字体，并用 --font-dir 指定字体文件夹"]
    );
    assert_eq!(report.errors[0].field.as_deref(), Some("name"));
    assert!(validate(&i, &data, &|_| Draw::Own).errors.is_empty());
}

#[test]
fn example_data_is_valid_toml_and_fills() {
    for i in builtin() {
        let ex = example_data(&i);
        assert!(ex.starts_with(&format!("# {}（{}）的数据示例。", i.name(), i.id())));
        let data = Data::from_toml(&ex).unwrap_or_else(|e| panic!("{}: {e}\n{ex}", i.id()));
        let report = validate(&i, &data, &|_| Draw::Own);
        assert!(
            report.errors.is_empty() && report.warnings.is_empty(),
            "{}: {report:?}",
            i.id()
        );
        assert!(fill(&i, &data).is_ok());
        for f in &i.schema.fields {
            assert!(
                ex.contains(&format!("# {}（", f.label)),
                "{} commented",
                f.label
            );
        }
    }
}

#[test]
fn describe_and_report_display() {
    let d = describe(&inst("inquiry-notice"));
    assert!(
        d.starts_with("函询通知书（inquiry-notice），编号代字“纪函”\n"),
        "{d}"
    );
    assert!(
        d.contains("\n回复期限（工作日）（reply_days）：整数，选填，默认15。"),
        "{d}"
    );
    let d = describe(&inst("accountability-decision"));
    assert!(
        d.contains("\n基本情况（profile）：文字，问责对象类型为领导干部时必填。"),
        "{d}"
    );
    let i = inst("talk-notice");
    let mut data = sample("talk-notice");
    data.set("谈话日期", Raw::Text("2022-02-30".into()));
    data.set("备注", Raw::Text("x".into()));
    assert_eq!(
        validate(&i, &data, &|_| Draw::Own).to_string(),
        "错误：“谈话日期”：2022年2月30日不是有效日期\n提醒：“备注”：不是谈话通知书的字段，已忽略"
    );
}

#[test]
fn batch_rows_override_shared_values_by_key_or_label() {
    let i = inst("talk-notice");
    let shared = sample("talk-notice");
    let mut row = Data::new();
    row.set("name", Raw::Text("周敏".into()));
    row.set("文号", Raw::Text("青纪谈〔2022〕6号".into()));
    row.set("谈话地点", Raw::Text("".into()));
    let merged = apply_row_for(&i, &shared, &row);
    assert_eq!(merged.get("name"), Some(&Raw::Text("周敏".into())));
    assert_eq!(
        merged.get("doc_number"),
        Some(&Raw::Text("青纪谈〔2022〕6号".into()))
    );
    assert_eq!(
        merged.get("place"),
        Some(&Raw::Text("青山县纪委监委机关三楼302谈话室".into())),
        "empty cell keeps shared"
    );
    assert!(validate(&i, &merged, &|_| Draw::Own).errors.is_empty());
    assert_eq!(
        fill(&i, &merged).unwrap().sections[1].addressee.as_deref(),
        Some("周敏同志：")
    );
}

#[test]
fn export_then_load_a_user_folder() {
    let dir = tempfile::tempdir().unwrap();
    let written = export(dir.path()).unwrap();
    assert_eq!(written.len(), 11);
    assert!(std::fs::read_to_string(dir.path().join("README.md"))
        .unwrap()
        .contains("@section"));
    assert!(dir.path().join("talk-notice/template.tera").is_file());
    let e = export(dir.path()).unwrap_err();
    assert!(e.message.contains("文件已存在"), "{}", e.message);

    // Change the wording of one instrument; it replaces the built-in.
    let t = dir.path().join("talk-notice/template.tera");
    let src = std::fs::read_to_string(&t)
        .unwrap()
        .replace("根据工作需要，经研究，", "经县纪委监委研究，");
    std::fs::write(&t, src).unwrap();
    let all = load(Some(dir.path())).unwrap();
    assert_eq!(all.len(), 5);
    let talk = find_in(&all, "谈话通知书").unwrap();
    let text = text_of(&fill(talk, &sample("talk-notice")).unwrap());
    assert!(
        text.contains("经县纪委监委研究，决定对你进行提醒谈话"),
        "{text}"
    );
    assert!(!text.contains("根据工作需要"));
    assert_eq!(load(None).unwrap().len(), 5);
}

#[test]
fn broken_user_templates_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path()).unwrap();
    let t = dir.path().join("inquiry-notice/template.tera");
    std::fs::write(
        &t,
        "@title 函询通知书\n@to {{ name }}同志：\n@p {% if x %}未闭合\n",
    )
    .unwrap();
    let e = load(Some(dir.path())).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(t.as_path()));
    assert!(
        e.message
            .starts_with("第3行“@p {% if x %}未闭合”：模板语法错误")
            || e.message.starts_with("第4行：模板语法错误"),
        "{}",
        e.message
    );

    std::fs::write(&t, "@title 函询通知书\n@bogus {{ name }}\n").unwrap();
    let all = load(Some(dir.path())).unwrap();
    let e = fill(
        find_in(&all, "inquiry-notice").unwrap(),
        &sample("inquiry-notice"),
    )
    .unwrap_err();
    assert!(
        e.message.contains("生成的第2行") && e.message.contains("未知的指令“@bogus”"),
        "{}",
        e.message
    );

    std::fs::write(&t, "{# 只有注释 #}\n").unwrap();
    let all = load(Some(dir.path())).unwrap();
    let e = fill(
        find_in(&all, "inquiry-notice").unwrap(),
        &sample("inquiry-notice"),
    )
    .unwrap_err();
    assert!(e.message.ends_with("没有生成任何内容"), "{}", e.message);

    std::fs::remove_file(&t).unwrap();
    let e = load(Some(dir.path())).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(t.as_path()));
    assert!(e.message.contains("缺少这个文件"));

    let f = dir.path().join("recommendation/fields.toml");
    std::fs::remove_dir_all(dir.path().join("inquiry-notice")).unwrap();
    std::fs::write(&f, "id = \"recommendation\"\nname = \"纪检监察建议书\"\n[[fields]]\nkey = \"x\"\nlabel = \"甲\"\nkind = \"colour\"\n").unwrap();
    let e = load(Some(dir.path())).unwrap_err();
    assert_eq!(e.path.as_deref(), Some(f.as_path()));
    assert!(
        e.message.starts_with("第6行：字段定义格式有误"),
        "{}",
        e.message
    );

    let e = load(Some(&f)).unwrap_err();
    assert_eq!(e.message, "这是一个文件，不是模板文件夹");
    let e = load(Some(&dir.path().join("nowhere"))).unwrap_err();
    assert!(e.message.contains("不存在"), "{}", e.message);
    let empty = tempfile::tempdir().unwrap();
    let e = load(Some(empty.path())).unwrap_err();
    assert!(e.message.contains("没有文书模板"));
}

#[test]
fn a_talk_before_the_notice_is_a_warning() {
    let i = inst("talk-notice");
    let mut data = sample("talk-notice");
    data.set("谈话日期", Raw::Text("2022.3.1".into()));
    let report = validate(&i, &data, &|_| Draw::Own);
    assert!(report.errors.is_empty());
    assert_eq!(
        report
            .warnings
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        ["“谈话日期”：2022年3月1日早于“成文日期”2022年3月5日，请核对"]
    );
}

#[test]
fn doc_numbers_are_normalized_with_a_warning() {
    assert_eq!(
        normalize_doc_number("青纪谈[2022]第05号"),
        "青纪谈〔2022〕5号"
    );
    assert_eq!(
        normalize_doc_number("青纪建【2022】10号"),
        "青纪建〔2022〕10号"
    );
    assert_eq!(
        normalize_doc_number("青纪建〔2022〕3号"),
        "青纪建〔2022〕3号"
    );
    assert_eq!(normalize_doc_number("第[12]号"), "第[12]号");
    assert_eq!(number("青", "纪谈", 2022, 5), "青纪谈〔2022〕5号");
    let i = inst("talk-notice");
    let mut data = sample("talk-notice");
    data.set("文号", Raw::Text("青纪谈（2022）第005号".into()));
    let report = validate(&i, &data, &|_| Draw::Own);
    assert_eq!(
        report.warnings.iter().map(|p| p.message.as_str()).collect::<Vec<_>>(),
        ["“文号”：已将“青纪谈（2022）第005号”规范为“青纪谈〔2022〕5号”（年份用六角括号〔〕，序号前不加“第”、不编虚位）"]
    );
    let doc = fill(&i, &data).unwrap();
    assert!(text_of(&doc).contains("文　　号：青纪谈〔2022〕5号"));
}

#[test]
fn every_measure_for_a_leading_cadre_decided_by_a_committee() {
    let i = inst("accountability-decision");
    let mut data = sample("accountability-decision");
    data.set(
        "问责方式",
        Raw::Text("纪律处分、组织处理、通报、诫勉、组织调整".into()),
    );
    data.set("发文机关", Raw::Text("中共青山县委".into()));
    let text = text_of(&fill(&i, &data).unwrap());
    assert!(
        text.contains(
            "决定：对李明华同志予以通报、诫勉，给予组织处理、组织调整，依规依纪给予纪律处分。"
        ),
        "{text}"
    );
    assert!(text.contains("向中共青山县委提出书面申诉"));
}

#[test]
fn templates_take_chinese_field_names() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path()).unwrap();
    let t = dir.path().join("inquiry-notice/template.tera");
    std::fs::write(
        &t,
        "@title 函询通知书\n@to {{ 姓名 }}同志：\n{% for 事项 in 函询事项 %}\n@p {{ loop.index }}.{{ 事项 | bare }}\n{% endfor %}\n@sign {{ 发文机关 }}\n@date {{ 成文日期 }}\n",
    )
    .unwrap();
    let all = load(Some(dir.path())).unwrap();
    let inquiry = find_in(&all, "inquiry-notice").unwrap();
    let text = text_of(&fill(inquiry, &sample("inquiry-notice")).unwrap());
    assert!(text.contains("陈志强同志："), "{text}");
    assert!(text.contains("\n1."), "{text}");
    // A Chinese name that is no field is reported in Chinese, by that name.
    std::fs::write(&t, "@title 函询通知书\n@to {{ 名字 }}同志：\n").unwrap();
    let all = load(Some(dir.path())).unwrap();
    let e = fill(
        find_in(&all, "inquiry-notice").unwrap(),
        &sample("inquiry-notice"),
    )
    .unwrap_err();
    assert!(
        e.message.contains("模板中的“名字”不是这个文书的字段"),
        "{}",
        e.message
    );
    assert!(!e.message.contains("Variable"), "{}", e.message);
}

#[test]
fn malformed_doc_numbers_get_a_warning() {
    use super::validate::doc_number_problem;
    assert_eq!(doc_number_problem("X纪谈〔2024〕5号"), None);
    assert_eq!(doc_number_problem(""), None);
    for bad in [
        "X纪谈〔24〕5号",
        "X纪谈2024年5号",
        "X纪谈〔2024〕5",
        "〔2024〕5号",
        "X纪谈〔2024〕五号",
        "X纪谈〔2024",
        "X纪谈5号",
    ] {
        assert!(doc_number_problem(bad).is_some(), "{bad}");
    }
    let i = inst("talk-notice");
    let mut data = sample("talk-notice");
    data.set("文号", Raw::Text("青纪谈[24]5号".into()));
    let report = validate(&i, &data, &|_| Draw::Own);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("年份应写全四位数字")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn recommendation_is_sealed_unless_told_and_takes_header_elements() {
    let i = inst("recommendation");
    let doc = fill(&i, &sample("recommendation")).unwrap();
    let main = &doc.sections[0];
    assert!(main.signature.as_ref().unwrap().sealed, "sealed by default");
    let h = main.header.as_ref().unwrap();
    assert_eq!(
        (h.copy_number.as_deref(), h.urgency.as_deref()),
        (None, None)
    );
    // 印发机关 and 印发日期 default to the issuer and the date.
    let r = main.record.as_ref().unwrap();
    assert_eq!(r.printer, main.signature.as_ref().unwrap().issuer);
    assert_eq!(r.print_date, main.signature.as_ref().unwrap().date);

    let mut data = sample("recommendation");
    data.set("加盖印章", Raw::Text("否".into()));
    data.set("份号", Raw::Text("12".into()));
    data.set("密级和保密期限", Raw::Text("秘密★1年".into()));
    data.set("紧急程度", Raw::Text("加急".into()));
    data.set("印发机关", Raw::Text("中共青山县纪委监委办公室".into()));
    data.set("印发日期", Raw::Text("2022年6月16日".into()));
    let doc = fill(&i, &data).unwrap();
    let main = &doc.sections[0];
    assert!(!main.signature.as_ref().unwrap().sealed);
    let h = main.header.as_ref().unwrap();
    assert_eq!(h.copy_number.as_deref(), Some("000012"));
    assert_eq!(h.classification.as_deref(), Some("秘密★1年"));
    assert_eq!(h.urgency.as_deref(), Some("加急"));
    let r = main.record.as_ref().unwrap();
    assert_eq!(r.printer, "中共青山县纪委监委办公室");
    assert_eq!(r.print_date, "2022年6月16日");

    // A 份号 that is not up to six digits is an error naming the field.
    data.set("份号", Raw::Text("第1份".into()));
    let e = validate(&i, &data, &|_| Draw::Own);
    assert!(
        e.errors.iter().any(|p| p.message.starts_with("“份号”：")),
        "{:?}",
        e.errors
    );
    // The accountability decision is sealed too; the notices are not.
    let d = fill(
        &inst("accountability-decision"),
        &sample("accountability-decision"),
    )
    .unwrap();
    assert!(d.sections[0].signature.as_ref().unwrap().sealed);
    let t = fill(&inst("talk-notice"), &sample("talk-notice")).unwrap();
    assert!(t
        .sections
        .iter()
        .all(|s| s.signature.as_ref().is_none_or(|g| !g.sealed)));
}

#[test]
fn inquiry_notice_is_a_letter_with_cc() {
    let i = inst("inquiry-notice");
    let mut data = sample("inquiry-notice");
    data.set(
        "抄送",
        Raw::List(vec![Raw::Text("中共青山县教育局党组".into())]),
    );
    let doc = fill(&i, &data).unwrap();
    let main = &doc.sections[0];
    let h = main.header.as_ref().expect("letterhead");
    assert!(h.letter);
    assert_eq!(h.authority, "中共青山县纪委监委");
    assert_eq!(h.doc_number.as_deref(), Some("青纪函〔2022〕2号"));
    assert!(main.preamble.is_empty(), "the number is in the letterhead");
    let r = main.record.as_ref().expect("抄送");
    assert_eq!(r.cc, ["中共青山县教育局党组"]);
    assert!(r.printer.is_empty() && r.print_date.is_empty());
}
