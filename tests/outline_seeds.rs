//! The outline of the five seed plans: exact item counts per level and titles.

use jiandu::intake;
use jiandu::outline::{self, MarkerKind, Outline};
use std::path::Path;

fn outline_of(name: &str) -> Outline {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpora/plans")
        .join(name);
    let doc = intake::read(&path).unwrap();
    outline::parse(&doc.blocks)
}

fn titles(o: &Outline, level: u8) -> Vec<&str> {
    o.items
        .iter()
        .filter(|i| i.level == level)
        .map(|i| i.title.as_str())
        .collect()
}

fn count(o: &Outline, level: u8) -> usize {
    titles(o, level).len()
}

#[test]
fn seed_000_numbered_straight_across_sections() {
    let o = outline_of("000_4c768249f1fe35ba.txt");
    assert_eq!(o.title, None);
    assert_eq!(count(&o, 1), 5);
    assert_eq!(count(&o, 2), 17);
    assert_eq!(o.items.len(), 22);
    assert_eq!(
        titles(&o, 1),
        vec![
            "立足职责使命，强化政治监督",
            "强化责任担当，严格监督执纪问责",
            "持之以恒正风肃纪，锲而不舍纠治“四风”",
            "做深做细日常监督，全面提升监督实效",
            "从严从实加强自身建设，着力锻造派驻纪检监察铁军",
        ]
    );
    let l2 = titles(&o, 2);
    assert_eq!(l2[0], "紧跟重大部署");
    assert_eq!(l2[2], "用好“红脸出汗”清单");
    assert_eq!(l2[8], "严查享乐主义、奢靡之风");
    assert_eq!(l2[16], "强化纪律作风建设");
    // Items 5–7 stand under section 二 although their numbers run on from section 一.
    let five = o.items.iter().find(|i| i.marker == "5．").unwrap();
    assert_eq!(o.items[five.parent.unwrap()].marker, "二、");
    assert!(o.items.iter().all(|i| i.kind != MarkerKind::Lead));
}

#[test]
fn seed_001_preamble_and_mismatched_quotes() {
    let o = outline_of("001_7a548ebd6d4d31cb.txt");
    assert_eq!(o.preamble, vec![0]);
    assert_eq!(count(&o, 1), 5);
    assert_eq!(count(&o, 2), 15);
    // ”两个维护” (two closing quotes) is repaired in the title.
    assert_eq!(
        titles(&o, 1)[0],
        "严明政治纪律和政治规矩，坚决做到“两个维护”"
    );
    assert_eq!(titles(&o, 2)[5], "贯通运用监督执纪“四种形态”");
}

#[test]
fn seed_002_unnumbered_headings_and_lead_phrases() {
    let o = outline_of("002_2f8af48aba49df7d.txt");
    assert_eq!(o.title.as_deref(), Some("忠诚履行派驻职责做深做实政治监督"));
    assert_eq!(
        titles(&o, 1),
        vec![
            "突出职能定位找准政治监督切口",
            "擦亮监督探头聚焦政治监督重点",
            "紧跟形势任务创新政治监督方法",
            "强化贯通协同凝聚政治监督合力",
            "锻造忠诚品格扛起政治监督责任",
        ]
    );
    assert!(o
        .items
        .iter()
        .filter(|i| i.level == 1)
        .all(|i| i.kind == MarkerKind::Heading && i.marker.is_empty()));
    let per_heading: Vec<usize> = o
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.level == 1)
        .map(|(k, _)| o.items.iter().filter(|c| c.parent == Some(k)).count())
        .collect();
    assert_eq!(per_heading, vec![3, 4, 4, 3, 4]);
    let l2 = titles(&o, 2);
    assert_eq!(l2[0], "把准派驻监督属性");
    assert_eq!(l2[3], "构建监督闭环");
    // "切实推动政治监督的关键是创新监督方式方法。" is an introduction, not a task.
    assert_eq!(l2[7], "开展调查研究");
    assert_eq!(l2[11], "压实主体责任，做到同向发力");
    assert_eq!(l2[17], "纪律过硬，做到从严监督管理");
    // The paragraph broken mid-sentence ("通过管好 / “关键人”") is one paragraph again.
    let key = o
        .items
        .iter()
        .find(|i| i.title == "紧盯“关键少数”")
        .unwrap();
    assert!(
        key.text.contains("通过管好“关键人”，管住“绝大多数”。"),
        "{}",
        key.text
    );
}

#[test]
fn seed_003_level_two_continues_across_sections() {
    let o = outline_of("003_915de415a2ba83b9.txt");
    assert_eq!(count(&o, 1), 5);
    assert_eq!(count(&o, 2), 14);
    let markers: Vec<&str> = o
        .items
        .iter()
        .filter(|i| i.level == 2)
        .map(|i| i.marker.as_str())
        .collect();
    assert_eq!(markers[3], "（四）");
    assert_eq!(markers[13], "（十四）");
    let four = o.items.iter().find(|i| i.marker == "（四）").unwrap();
    assert_eq!(
        o.items[four.parent.unwrap()].title,
        "聚焦作风建设，坚持不懈纠治“四风”"
    );
    // The unnumbered paragraph under 二、 is that section's text, not an item.
    assert!(o.items[four.parent.unwrap()]
        .text
        .contains("坚持力度不减、久久为功"));
    assert_eq!(titles(&o, 2)[9], "推动“1＋X”监督机制深耕实作");
}

#[test]
fn seed_004_report_with_inline_enumerations() {
    let o = outline_of("004_17309b67fbf1a13d.txt");
    assert_eq!(
        titles(&o, 1),
        vec!["目前派驻监督工作中存在的主要问题", "意见建议"]
    );
    let under = |t: &str| {
        let k = o.items.iter().position(|i| i.title == t).unwrap();
        o.items
            .iter()
            .filter(|c| c.parent == Some(k))
            .map(|c| c.marker.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(under("目前派驻监督工作中存在的主要问题").len(), 3);
    assert_eq!(under("意见建议").len(), 8);
    assert_eq!(
        under("派驻纪检监察组的监督作用未能有效发挥"),
        vec!["一是", "二是", "三是", "四是"]
    );
    assert_eq!(
        under("理顺关系，加强“贴身”监督"),
        vec!["一要", "二要", "三要", "四要", "五要", "六要", "七要", "八要"]
    );
    let first = o.items.iter().find(|i| i.marker == "一是").unwrap();
    assert_eq!(first.title, "同级监督存在困难");
    assert_eq!(first.level, 3);
    // Spans lie inside their paragraph.
    let doc = intake::read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans/004_17309b67fbf1a13d.txt"),
    )
    .unwrap();
    for i in &o.items {
        assert!(i.start < i.end && i.end <= doc.blocks[i.block].text.chars().count());
    }
}

#[test]
fn numbers_at_line_start_open_no_items() {
    let blocks: Vec<intake::Block> = [
        "一、总体要求",
        "2022年，全面贯彻落实。",
        "2024.3起施行新规定。",
        "1.5倍以上的增幅要说明。",
        "10万元以上的项目要报备。",
        "1．加强监督。内容。",
    ]
    .into_iter()
    .map(intake::Block::para)
    .collect();
    let o = outline::parse(&blocks);
    let got: Vec<&str> = o.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(got, vec!["总体要求", "加强监督"]);
}
