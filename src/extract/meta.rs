//! A document's kind and metadata: 发文机关, 成文日期, 文号, read off its title and the lines
//! the outline left out (its front and back matter).

use crate::outline::{MarkerKind, NotItem, Outline};
use serde::Serialize;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 工作要点, 方案, 意见, 责任清单 …: tasks to do.
    Plan,
    /// 通知: tasks to do, addressed to units.
    Notice,
    /// 报告, 述职述廉, 总结, 评论 …: what was done and found; its items are no tasks.
    Report,
    /// 通报: cases or findings made known; its items are no tasks.
    Bulletin,
    /// A plan kept as a table, one task per row.
    Table,
}

impl Kind {
    /// Whether the document's items are tasks (a report's or a bulletin's are not).
    pub fn has_tasks(self) -> bool {
        !matches!(self, Kind::Report | Kind::Bulletin)
    }

    /// The kind's Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plan => "工作计划",
            Kind::Notice => "通知",
            Kind::Report => "报告",
            Kind::Bulletin => "通报",
            Kind::Table => "任务表",
        }
    }
}

/// A document's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// What it is.
    pub kind: Kind,
    /// 发文机关.
    pub issuer: Option<String>,
    /// 成文日期, YYYY-MM-DD.
    pub date: Option<String>,
    /// 文号.
    pub doc_number: Option<String>,
}

/// The kind and metadata of an outlined document whose title is `title`.
pub fn of(outline: &Outline, title: &str) -> Meta {
    let find = |reason: &str| -> Vec<&NotItem> {
        outline
            .not_items
            .iter()
            .filter(|n| n.reason == reason)
            .collect()
    };
    let date = find("成文日期")
        .last()
        .and_then(|n| iso_date(&n.text))
        .or_else(|| {
            // A date printed under the title ("（2024年3月1日）").
            outline
                .not_items
                .iter()
                .filter(|n| n.reason == "副标题")
                .find_map(|n| iso_date(&n.text))
        });
    let signature: Vec<&str> = find("落款").iter().map(|n| n.text.trim()).collect();
    let issuer = if signature.is_empty() {
        title
            .split_once("关于")
            .map(|(a, _)| a.trim())
            .filter(|a| !a.is_empty() && a.chars().count() <= 40)
            .map(str::to_string)
    } else {
        Some(signature.join(" "))
    };
    let doc_number = find("文号")
        .first()
        .map(|n| n.text.trim().to_string())
        .or_else(|| doc_number_in(title));
    let rows = outline
        .items
        .iter()
        .filter(|i| {
            matches!(
                i.kind,
                MarkerKind::Row | MarkerKind::RowPart | MarkerKind::Group
            )
        })
        .count();
    let kind = if !outline.items.is_empty() && rows * 2 >= outline.items.len() {
        Kind::Table
    } else {
        kind_of_title(title)
    };
    Meta {
        kind,
        issuer,
        date,
        doc_number,
    }
}

/// How a document of `kind` titled `title` names who does its items: a report, and a 通报
/// of problems ("…典型问题", "关于X问题的通报"), narrate what was done; a 通报 of how work went
/// ("…情况的通报") names the units that did it and those that must follow up, as plans do.
pub fn reading(kind: Kind, title: &str) -> super::doer::Reading {
    let cases = kind == Kind::Bulletin && title.contains("问题");
    if kind == Kind::Report || cases {
        super::doer::Reading::Narrates
    } else {
        super::doer::Reading::Assigns
    }
}

/// The kind a title names.
pub fn kind_of_title(title: &str) -> Kind {
    let t = title.trim();
    let has = |ws: &[&str]| ws.iter().any(|w| t.contains(w));
    if has(&["通报"]) && !has(&["通知"]) {
        Kind::Bulletin
    } else if has(&[
        "报告",
        "述职",
        "述责",
        "汇报",
        "总结",
        "评论",
        "解读",
        "调研",
        "深度关注",
        "答记者问",
    ]) && !has(&["方案", "要点", "计划"])
    {
        Kind::Report
    } else if t.ends_with("通知") || has(&["的通知"]) {
        Kind::Notice
    } else {
        Kind::Plan
    }
}

/// A 文号 printed in a title line after the title ("…的通知 国能综通安全〔2021〕108号").
pub fn doc_number_in(line: &str) -> Option<String> {
    crate::outline::split_doc_number(line).1.map(str::to_string)
}

/// A date line as YYYY-MM-DD: 2024年3月1日, 二〇二四年三月一日.
pub fn iso_date(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let num = |s: &str| -> Option<u32> {
        if let Ok(n) = s.parse::<u32>() {
            return Some(n);
        }
        // 二〇二四 digit by digit; 十二, 三十一 as numbers.
        if s.chars().count() == 4 {
            let mut n = 0;
            for c in s.chars() {
                n = n * 10
                    + "〇一二三四五六七八九"
                        .chars()
                        .position(|d| d == c)
                        .or_else(|| (c == '○' || c == '零').then_some(0))?
                        as u32;
            }
            return Some(n);
        }
        crate::outline::chinese_number(s)
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    ((1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date("2021年12月6日").as_deref(), Some("2021-12-06"));
        assert_eq!(
            iso_date("二〇二四年三月十一日").as_deref(),
            Some("2024-03-11")
        );
        assert_eq!(iso_date("（2024年3月1日）").as_deref(), Some("2024-03-01"));
        assert_eq!(iso_date("3月1日"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of_title("中共某县纪委2024年工作要点"), Kind::Plan);
        assert_eq!(kind_of_title("关于开展专项检查的通知"), Kind::Notice);
        assert_eq!(kind_of_title("关于某局违规问题的通报"), Kind::Bulletin);
        assert_eq!(
            kind_of_title("派驻纪检监察组2023年度述职述廉报告"),
            Kind::Report
        );
        assert_eq!(kind_of_title("整改工作方案"), Kind::Plan);
    }

    #[test]
    fn doc_numbers() {
        assert_eq!(
            doc_number_in("某局关于做好防控工作的通知 某综〔2021〕108号").as_deref(),
            Some("某综〔2021〕108号")
        );
        assert_eq!(doc_number_in("关于做好防控工作的通知"), None);
        // The space between them lost in reading.
        assert_eq!(
            doc_number_in("某局关于做好防控工作的通知某综〔2021〕108号").as_deref(),
            Some("某综〔2021〕108号")
        );
    }
}
