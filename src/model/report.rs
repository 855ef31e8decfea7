//! Reports (调研报告, 检查报告): the problems part and the suggestions part, and a drafted
//! data file for the 纪检监察建议书 (`recommendation` instrument) made from them.
//!
//! The parts are top-level items of the report's outline: the problems part is the first
//! whose title names 问题 (存在的主要问题, 存在的问题 …), the suggestions part the first whose
//! title names 建议, 对策 or 措施 (意见建议, 对策建议 …). Their child items (（一）… with their
//! 一是/二是 lists) are the points.

use crate::error::{Error, Result};
use crate::extract::{file_name, Extracted, Task};
use std::path::Path;

/// One point of a part: a numbered heading and its enumerated details.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The heading without marker and final 。.
    pub title: String,
    /// The marker as written (（一） …).
    pub marker: String,
    /// The enumerated details (一是… / 一要…), marker and title, in order.
    pub details: Vec<String>,
    /// The point's own text.
    pub text: String,
    /// File and paragraph, as the 来源 column shows them.
    pub source: String,
}

impl Point {
    /// The point as one entry of a list: the heading, then its details
    /// ("一是…；二是…。") or, without details, the first sentences of its text.
    pub fn entry(&self) -> String {
        let title = self.title.trim_end_matches(['。', '；', '，']);
        if !self.details.is_empty() {
            let d: Vec<&str> = self
                .details
                .iter()
                .map(|d| d.trim_end_matches(['。', '；', '，']))
                .collect();
            return format!("{title}。{}。", d.join("；"));
        }
        let body = self
            .text
            .strip_prefix(self.title.as_str())
            .unwrap_or(&self.text)
            .trim_start_matches(['。', '，', '\n', ' '])
            .trim();
        let mut first = String::new();
        for s in body.split_inclusive('。') {
            if first.chars().count() + s.chars().count() > 160 && !first.is_empty() {
                break;
            }
            first.push_str(s.trim());
        }
        if first.is_empty() {
            format!("{title}。")
        } else {
            format!("{title}。{first}")
        }
    }
}

/// The two parts of a report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parts {
    /// The problems part's heading, when found.
    pub problems_title: Option<String>,
    /// Its points.
    pub problems: Vec<Point>,
    /// The suggestions part's heading, when found.
    pub suggestions_title: Option<String>,
    /// Its points.
    pub suggestions: Vec<Point>,
}

fn is_problems(title: &str) -> bool {
    title.contains("问题") && !title.contains("建议")
}

fn is_suggestions(title: &str) -> bool {
    ["建议", "对策", "措施", "意见"]
        .iter()
        .any(|w| title.contains(w))
}

fn points(doc: &Extracted, part: &Task) -> Vec<Point> {
    doc.items
        .iter()
        .filter(|t| t.parent.as_deref() == Some(part.id.as_str()))
        .map(|t| Point {
            title: t.title.clone(),
            marker: t.marker.clone(),
            details: doc
                .items
                .iter()
                .filter(|c| c.parent.as_deref() == Some(t.id.as_str()))
                .map(|c| format!("{}{}", c.marker, c.title))
                .collect(),
            text: t.text.clone(),
            source: super::checklist::source_cell(&doc.source, t),
        })
        .collect()
}

/// Find the problems and suggestions parts of a report.
pub fn parts(doc: &Extracted) -> Parts {
    let top: Vec<&Task> = doc.items.iter().filter(|t| t.parent.is_none()).collect();
    let mut out = Parts::default();
    if let Some(p) = top.iter().find(|t| is_problems(&t.title)) {
        out.problems_title = Some(p.title.clone());
        out.problems = points(doc, p);
    }
    if let Some(s) = top
        .iter()
        .find(|t| is_suggestions(&t.title) && !is_problems(&t.title))
    {
        out.suggestions_title = Some(s.title.clone());
        out.suggestions = points(doc, s);
    }
    out
}

/// Options of a drafted recommendation.
#[derive(Debug, Clone, Default)]
pub struct DraftOptions {
    /// 主送单位, when the user gave it.
    pub recipient: Option<String>,
    /// 发文机关, when the user gave it.
    pub issuer: Option<String>,
    /// 成文日期 (`YYYY-MM-DD`).
    pub date: String,
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Draft the data file (TOML) of a 纪检监察建议书 from a report: problems and
/// recommendations prefilled from the report's parts, the report's opening as 情况说明, and
/// comments marking what the user must check or fill. `preamble` is the text before the
/// report's first heading. A report without a problems or a suggestions part (or with an
/// empty one) is an error naming the part.
pub fn draft_recommendation(
    path: &Path,
    doc: &Extracted,
    preamble: &str,
    opts: &DraftOptions,
) -> Result<String> {
    let p = parts(doc);
    let missing = |what: &str, hint: &str| {
        Error::file(
            path,
            format!("没有找到{what}部分（{hint}），无法起草纪检监察建议书；请确认这是一份调研或检查报告，且该部分有“一、”或“（一）”等编号标题"),
        )
    };
    let Some(pt) = &p.problems_title else {
        return Err(missing("“存在的主要问题”", "应为标题含“问题”的一级标题"));
    };
    let Some(st) = &p.suggestions_title else {
        return Err(missing(
            "“意见建议”",
            "应为标题含“建议”“对策”或“措施”的一级标题",
        ));
    };
    if p.problems.is_empty() {
        return Err(Error::file(
            path,
            format!("“{pt}”下面没有编号的问题（如“（一）”），无法起草纪检监察建议书"),
        ));
    }
    if p.suggestions.is_empty() {
        return Err(Error::file(
            path,
            format!("“{st}”下面没有编号的建议（如“（一）”），无法起草纪检监察建议书"),
        ));
    }
    let name = file_name(&doc.source);
    let mut s = String::new();
    s.push_str(&format!(
        "# 纪检监察建议书数据（由 jiandu draft 根据《{name}》起草）。\n"
    ));
    s.push_str("# 标有【请核对】【请填写】的地方必须逐项检查后再生成文书：\n");
    s.push_str("#   jiandu fill recommendation 本文件 -o 建议书.docx\n");
    s.push_str(&format!("instrument = {}\n\n", q("recommendation")));
    s.push_str("# 【请填写】发文字号，如“X纪建〔2022〕3号”；不填则留空\n");
    s.push_str("doc_number = \"\"\n\n");
    s.push_str("# 【请填写】事由：标题写作“关于{事由}的纪检监察建议书”，如“加强派驻监督工作”；不填则标题为“纪检监察建议书”\n");
    s.push_str("subject = \"\"\n\n");
    match &opts.recipient {
        Some(r) => {
            s.push_str("# 【请核对】主送单位（由 --recipient 给出）\n");
            s.push_str(&format!("recipient = {}\n\n", q(r)));
        }
        None => {
            s.push_str(
                "# 【请填写】主送单位：被建议单位的党组织全称，如“中共XX县农业农村局党组”\n",
            );
            s.push_str(&format!("recipient = {}\n\n", q("中共XX县XX局党组")));
        }
    }
    s.push_str("# 【请核对】情况说明：取自报告开头；请改写为发现问题的经过（监督检查、调研、审查调查、巡察等）\n");
    let background = if preamble.trim().is_empty() {
        format!("我们在调研中发现，{}存在以下问题。", "你单位")
    } else {
        preamble.trim().to_string()
    };
    s.push_str(&format!("background = {}\n\n", q(&background)));
    s.push_str(&format!(
        "# 【请核对】存在的问题：取自报告“{pt}”的 {} 个小标题及其“一是……二是……”，每项一条，可删改\n",
        p.problems.len()
    ));
    s.push_str("problems = [\n");
    for pt in &p.problems {
        s.push_str(&format!(
            "  # {} {}（{}）\n",
            pt.marker, pt.title, pt.source
        ));
        s.push_str(&format!("  {},\n", q(&pt.entry())));
    }
    s.push_str("]\n\n");
    s.push_str("# 【请填写】原因分析：报告中没有单列，可按需补写，每项一条；不填则不写这一部分\n");
    s.push_str("causes = []\n\n");
    s.push_str(&format!(
        "# 【请核对】监督建议：取自报告“{st}”的 {} 个小标题及其“一要……二要……”，每项一条，可删改\n",
        p.suggestions.len()
    ));
    s.push_str("recommendations = [\n");
    for pt in &p.suggestions {
        s.push_str(&format!(
            "  # {} {}（{}）\n",
            pt.marker, pt.title, pt.source
        ));
        s.push_str(&format!("  {},\n", q(&pt.entry())));
    }
    s.push_str("]\n\n");
    s.push_str("# 反馈期限（日），通常为 30 日\nreply_days = 30\n\n");
    match &opts.issuer {
        Some(i) => {
            s.push_str("# 【请核对】发文机关（由 --issuer 给出）\n");
            s.push_str(&format!("issuer = {}\n\n", q(i)));
        }
        None => {
            s.push_str(
                "# 【请填写】发文机关，如“中共XX县纪委监委”或“XX县纪委监委派驻第X纪检监察组”\n",
            );
            s.push_str(&format!("issuer = {}\n\n", q("中共XX县纪委监委")));
        }
    }
    s.push_str("# 【请核对】成文日期（起草当天）\n");
    s.push_str(&format!("issue_date = {}\n\n", q(&opts.date)));
    s.push_str("# 【请填写】抄送单位，每项一条，不需要则留空\ncc = []\n");
    Ok(s)
}
