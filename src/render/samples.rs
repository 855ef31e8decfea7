//! Sample documents for tests, examples and benchmarks: a recommendation (纪检监察建议书)
//! with header, headings, signature and record block, and a talk notice (谈话通知书) with a
//! counterfoil and a receipt separated by cut lines.

use super::model::{
    Align, Break, Document, Header, Meta, Para, Record, Section, SectionKind, Signature,
};

/// A 纪检监察建议书 long enough to flow onto a second page.
pub fn recommendation() -> Document {
    let mut body = vec![Para::Text(
        "2022年以来，我委在对县农业农村局开展日常监督中发现，该局在农村集体“三资”管理、惠农补贴发放等方面存在一些突出问题。根据《中华人民共和国监察法》第四十五条和《监察机关监督执法工作规定》的有关规定，现提出如下纪检监察建议。".to_string(),
    )];
    body.push(Para::Heading {
        level: 1,
        heading: "一、存在的主要问题".to_string(),
        rest: None,
    });
    let problems = [
        "（一）主体责任落实不到位。",
        "（二）惠农补贴发放监管不严。",
        "（三）制度执行不够严格。",
    ];
    for (i, p) in problems.iter().enumerate() {
        body.push(Para::Heading {
            level: 2,
            heading: p.to_string(),
            rest: Some(format!(
                "部分乡镇对村级财务审核把关不严，2021年度抽查的{}个村中有{}个村存在白条入账、大额现金支付等问题，涉及金额12.5万元（含ABC-2021-0035号凭证）；个别干部对群众反映的问题推诿拖延，群众满意度不高。",
                12 + i,
                3 + i
            )),
        });
    }
    body.push(Para::Heading {
        level: 1,
        heading: "二、监督建议".to_string(),
        rest: None,
    });
    body.push(Para::Heading {
        level: 3,
        heading: "1.".to_string(),
        rest: Some(
            "压实管党治党政治责任，定期研究部署党风廉政建设工作，层层传导压力。".to_string(),
        ),
    });
    body.push(Para::Heading {
        level: 4,
        heading: "（1）".to_string(),
        rest: Some("健全完善惠农补贴发放“一卡通”管理制度，做到公开透明、全程留痕。".to_string()),
    });
    body.push(Para::Text(
        "请你单位在收到本建议书之日起30日内，将采纳建议情况和整改落实情况书面反馈我委。"
            .to_string(),
    ));
    Document {
        meta: Meta {
            title: "关于加强农村集体“三资”管理的纪检监察建议书".to_string(),
            author: "中共XX县纪律检查委员会".to_string(),
            date: Some((2022, 3, 5)),
        },
        sections: vec![Section {
            kind: SectionKind::Main,
            break_before: Break::None,
            header: Some(Header {
                copy_number: Some("000001".to_string()),
                authority: "中共XX县纪委监委".to_string(),
                doc_number: Some("X纪建〔2022〕3号".to_string()),
                ..Header::default()
            }),
            title: Some(
                "关于加强农村集体“三资”管理和规范村级小微权力运行的纪检监察建议书".to_string(),
            ),
            preamble: Vec::new(),
            addressee: Some("中共XX县农业农村局党组：".to_string()),
            body,
            attachments: vec!["问题清单".to_string(), "整改台账模板".to_string()],
            signature: Some(Signature {
                issuer: "中共XX县纪律检查委员会".to_string(),
                date: "2022年3月5日".to_string(),
                sealed: false,
            }),
            note: Some("联系人：李四，电话：0000-1234567".to_string()),
            appendices: Vec::new(),
            record: Some(Record {
                cc: vec!["县委办公室".to_string(), "县政府办公室".to_string()],
                printer: "中共XX县纪委办公室".to_string(),
                print_date: "2022年3月5日".to_string(),
                even_page: false,
            }),
        }],
    }
}

fn notice_lines(who: &str) -> Vec<Para> {
    vec![
        Para::Text(format!(
            "根据工作安排，定于2022年3月10日上午9:00在县纪委监委第三谈话室对{who}进行提醒谈话，请准时参加。"
        )),
        Para::Text("联系人：王五；联系电话：0000-7654321。".to_string()),
    ]
}

/// A 谈话通知书 with its counterfoil (存根) and receipt (回执).
pub fn talk_notice() -> Document {
    let issuer = "中共XX县纪律检查委员会".to_string();
    let date = "2022年3月5日".to_string();
    let counterfoil = Section {
        kind: SectionKind::Counterfoil,
        break_before: Break::None,
        title: Some("谈话通知书（存根）".to_string()),
        body: vec![
            Para::Line {
                text: "文号：X纪谈〔2022〕5号".to_string(),
                align: Align::Left,
            },
            Para::Line {
                text: "被谈话人：张三（县农业农村局副局长）".to_string(),
                align: Align::Left,
            },
            Para::Line {
                text: "谈话时间：2022年3月10日上午9:00".to_string(),
                align: Align::Left,
            },
        ],
        ..Section::default()
    };
    let main = Section {
        kind: SectionKind::Main,
        break_before: Break::CutLine,
        title: Some("谈话通知书".to_string()),
        body: {
            let mut b = vec![Para::Line {
                text: "X纪谈〔2022〕5号".to_string(),
                align: Align::Right(0),
            }];
            b.extend(notice_lines("你"));
            b
        },
        addressee: Some("张三同志：".to_string()),
        signature: Some(Signature {
            issuer: issuer.clone(),
            date: date.clone(),
            sealed: false,
        }),
        ..Section::default()
    };
    let receipt = Section {
        kind: SectionKind::Receipt,
        break_before: Break::CutLine,
        title: Some("谈话通知书（回执）".to_string()),
        addressee: Some(format!("{issuer}：")),
        body: vec![
            Para::Text("X纪谈〔2022〕5号谈话通知书已收到。".to_string()),
            Para::Line {
                text: "被谈话人（签名）：".to_string(),
                align: Align::Right(8),
            },
            Para::Line {
                text: "年　　月　　日".to_string(),
                align: Align::Right(2),
            },
        ],
        ..Section::default()
    };
    Document {
        meta: Meta {
            title: "谈话通知书".to_string(),
            author: issuer,
            date: Some((2022, 3, 5)),
        },
        sections: vec![counterfoil, main, receipt],
    }
}

/// A letter (信函格式): the talk notice's notice part under a letterhead, with a 抄送.
pub fn letter() -> Document {
    let mut doc = talk_notice();
    doc.sections.truncate(2);
    doc.sections.remove(0);
    let s = &mut doc.sections[0];
    s.break_before = Break::None;
    s.header = Some(Header {
        authority: "中共XX县纪委监委".to_string(),
        doc_number: Some("X纪函〔2022〕2号".to_string()),
        letter: true,
        ..Header::default()
    });
    s.record = Some(Record {
        cc: vec!["县教育局党组".to_string()],
        ..Record::default()
    });
    doc
}
