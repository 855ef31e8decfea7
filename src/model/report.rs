//! Reports (调研报告, 监督检查报告, 情况报告, 巡察反馈, 通报): the problems part, the causes part
//! and the suggestions part, each suggestion paired with the problems it answers, and a
//! drafted data file for the 纪检监察建议书 (`recommendation` instrument) made from them.
//!
//! A part is the shallowest item of the report's outline whose heading names it: problems
//! (存在的问题, 主要问题, 存在的不足, 发现的问题 …), causes (原因分析, 问题产生的原因 …),
//! suggestions (意见建议, 对策建议, 整改建议, 下一步工作, 整改要求 …). Its child items (（一）…
//! with their 一是/二是 lists) are the points; a part without numbered children whose text
//! enumerates 一是……二是…… has those as its points.

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
    /// The enumerated details (一是… / 一要…), each whole: marker, lead phrase and text.
    pub details: Vec<String>,
    /// The point's own text.
    pub text: String,
    /// File and paragraph, as the 来源 column shows them.
    pub source: String,
    /// The units the point names as doing it (for a suggestion: who is to act).
    pub responsible: Vec<String>,
    /// Due dates the point (or its details) writes, `YYYY-MM-DD`.
    pub due: Vec<String>,
}

/// Words that, opening a suggestion, show the report's writer speaking of its own work
/// (我们将…, 派驻纪检监察组要…): such a suggestion is not yet addressed to the recipient.
const OWN_VOICE: [&str; 12] = [
    "我们",
    "我组",
    "我委",
    "我局",
    "我部",
    "本组",
    "本委",
    "我单位",
    "派驻纪检监察组要",
    "纪检监察组要",
    "派驻机构要",
    "纪检监察机关要",
];

/// Remove the doubled punctuation joining pieces leaves ("。；", "；。", "，。") and the
/// spaces around it.
pub fn tidy(s: &str) -> String {
    let mut out = s.trim().to_string();
    for (from, to) in [
        ("。；", "；"),
        ("；。", "。"),
        ("，。", "。"),
        ("。。", "。"),
        ("；；", "；"),
        ("：。", "。"),
        ("。，", "，"),
    ] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// Whether a line is a 落款: a date alone ("2022年6月15日"), or a short unit name without
/// punctuation ending as units do.
fn is_signature_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return true;
    }
    let date = t.ends_with('日')
        && t.chars().count() <= 12
        && t.chars()
            .all(|c| c.is_ascii_digit() || "年月日〇一二三四五六七八九十○ ".contains(c));
    let unit = t.chars().count() <= 30
        && !t.contains(['。', '，', '；', '：'])
        && [
            "委", "组", "局", "办", "室", "部", "会", "院", "中心", "党委", "党组", "监委",
        ]
        .iter()
        .any(|e| t.ends_with(e));
    date || unit
}

/// A point's text without a 落款 glued on its end (the signature and date of the report
/// when it is the last point), line breaks made spaces.
fn without_signature(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.len() > 1 && lines.last().is_some_and(|l| is_signature_line(l)) {
        lines.pop();
    }
    lines.join("")
}

impl Point {
    /// The point as one entry of a list, its whole substance: the heading and its text,
    /// then each detail whole ("一是……；二是……。"); no 落款, no doubled punctuation.
    pub fn entry(&self) -> String {
        let title = self.title.trim_end_matches(['。', '；', '，']);
        let body = without_signature(&self.text);
        let body = body
            .strip_prefix(self.title.as_str())
            .unwrap_or(&body)
            .trim_start_matches(['。', '，', '：', '\n', ' '])
            .trim()
            .to_string();
        let mut out = format!("{title}。");
        if !body.is_empty() {
            out.push_str(&body);
        }
        if !self.details.is_empty() {
            let d: Vec<String> = self
                .details
                .iter()
                .map(|d| {
                    without_signature(d)
                        .trim_end_matches(['。', '；', '，'])
                        .to_string()
                })
                .collect();
            if !out.ends_with(['。', '；', '：']) {
                out.push('。');
            }
            out.push_str(&d.join("；"));
            out.push('。');
        }
        // Every entry is printed as a sentence: "……早发现早纠正；" ends with 。.
        let out = tidy(&out);
        let t = out.trim_end_matches(['；', '，', '、', '：']);
        if crate::text::ends_sentence(t) {
            t.to_string()
        } else {
            format!("{t}。")
        }
    }

    /// Whether the point is written as the report writer's own plan ("我们将……",
    /// "派驻纪检监察组要……") rather than addressed to the unit that is to act.
    pub fn own_voice(&self) -> bool {
        let body = self
            .text
            .strip_prefix(self.title.as_str())
            .unwrap_or(&self.text)
            .trim_start_matches(['。', '，', '：', ' ']);
        let head: String = body.chars().take(24).collect();
        let title_head: String = self.title.chars().take(12).collect();
        OWN_VOICE
            .iter()
            .any(|w| head.starts_with(w) || head.contains(&format!("，{w}")) || title_head.starts_with(w))
            // "下一步，我们将……" / "下一步，纪检监察组将……": the writer's next steps.
            || head.starts_with("下一步")
            || title_head.starts_with("下一步")
    }
}

/// The three parts of a report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parts {
    /// The problems part's heading, when found.
    pub problems_title: Option<String>,
    /// Its points.
    pub problems: Vec<Point>,
    /// The causes part's heading, when found.
    pub causes_title: Option<String>,
    /// Its points.
    pub causes: Vec<Point>,
    /// The suggestions part's heading, when found.
    pub suggestions_title: Option<String>,
    /// Its points.
    pub suggestions: Vec<Point>,
    /// The suggestions answer all the problems together (a 通报's demands after its cases),
    /// so none is paired with one problem.
    pub together: bool,
    /// For a text without numbered parts ([`parts_in_text`]): its paragraphs before the
    /// problems, the title left out (how the matter arose).
    pub opening: Option<String>,
}

/// A part's heading is short: a task that names problems ("整治群众身边的腐败问题") is no
/// part heading.
fn short(title: &str) -> bool {
    title.chars().count() <= 24
}

fn is_causes(title: &str) -> bool {
    short(title) && title.contains("原因")
}

fn is_problems(title: &str) -> bool {
    short(title)
        && !is_causes(title)
        && [
            "存在的问题",
            "存在问题",
            "主要问题",
            "发现的问题",
            "突出问题",
            "问题和不足",
            "问题与不足",
            "不足和问题",
            "存在的不足",
            "不足之处",
            "短板",
            "薄弱环节",
            "问题表现",
        ]
        .iter()
        .any(|w| title.contains(w))
        && !["建议", "对策", "整改措施"]
            .iter()
            .any(|w| title.contains(w))
}

fn is_suggestions(title: &str) -> bool {
    short(title)
        && !is_causes(title)
        && [
            "建议",
            "对策",
            "下一步",
            "打算",
            "整改要求",
            "整改意见",
            "工作要求",
            "几点要求",
            "改进措施",
            "整改措施",
        ]
        .iter()
        .any(|w| title.contains(w))
}

/// The enumerated pieces of a text (一是……二是……, 一要……二要……), each with its marker.
fn enumerated(text: &str) -> Vec<String> {
    const NUMS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let mut starts: Vec<usize> = Vec::new();
    let mut k = 0;
    for (at, _) in text.char_indices() {
        if k < NUMS.len() {
            let rest = &text[at..];
            let n = NUMS[k];
            if rest.starts_with(&format!("{n}是")) || rest.starts_with(&format!("{n}要")) {
                let before = text[..at].chars().next_back();
                if at == 0 || before.is_some_and(|c| "。；，：\n ".contains(c)) {
                    starts.push(at);
                    k += 1;
                }
            }
        }
    }
    if starts.len() < 2 {
        return Vec::new();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let b = starts.get(i + 1).copied().unwrap_or(text.len());
            text[a..b].trim().trim_end_matches(['；', '，']).to_string()
        })
        .collect()
}

/// The dates an item writes. A report's items are no tasks, so extraction gives their
/// timing no due dates; a suggestion's "2023年9月30日前完成" is still its deadline.
fn due_of(doc: &Extracted, t: &Task) -> Vec<String> {
    t.timing
        .iter()
        .filter(|x| !x.recurring)
        .flat_map(|x| {
            if x.due.is_empty() {
                crate::extract::timing::dates(&x.text, doc.year, true)
                    .into_iter()
                    .flat_map(|d| d.due)
                    .collect()
            } else {
                x.due.clone()
            }
        })
        .collect()
}

fn point_of(doc: &Extracted, t: &Task) -> Point {
    let kids: Vec<&Task> = doc
        .items
        .iter()
        .filter(|c| c.parent.as_deref() == Some(t.id.as_str()))
        .collect();
    let mut due: Vec<String> = due_of(doc, t);
    for c in &kids {
        due.extend(due_of(doc, c));
    }
    due.sort();
    due.dedup();
    Point {
        title: t.title.clone(),
        marker: t.marker.clone(),
        details: kids
            .iter()
            .map(|c| {
                let text = c.text.trim();
                format!("{}{}", c.marker, text)
            })
            .collect(),
        text: t.text.clone(),
        source: super::checklist::source_cell(&doc.source, t),
        responsible: t.responsible.clone(),
        due,
    }
}

fn points(doc: &Extracted, part: &Task) -> Vec<Point> {
    let kids: Vec<Point> = doc
        .items
        .iter()
        .filter(|t| t.parent.as_deref() == Some(part.id.as_str()))
        .map(|t| point_of(doc, t))
        .collect();
    if !kids.is_empty() {
        return kids;
    }
    // 一是……二是…… within the part's own text.
    let body = part
        .text
        .strip_prefix(part.title.as_str())
        .unwrap_or(&part.text);
    enumerated(body)
        .into_iter()
        .map(|e| {
            enumerated_point(
                &e,
                &['。', '；'],
                super::checklist::source_cell(&doc.source, part),
                due_of(doc, part),
            )
        })
        .collect()
}

/// A point of an enumeration piece ("一是……"): its marker, its text, and as title the text
/// up to the first of `title_ends`.
fn enumerated_point(e: &str, title_ends: &[char], source: String, due: Vec<String>) -> Point {
    let text: String = e.chars().skip(2).collect();
    Point {
        marker: e.chars().take(2).collect(),
        title: text.split(title_ends).next().unwrap_or(&text).to_string(),
        details: Vec::new(),
        text,
        source,
        responsible: Vec::new(),
        due,
    }
}

/// Find the problems, causes and suggestions parts of a report: for each, the shallowest
/// item whose heading names it (the first at that depth).
pub fn parts(doc: &Extracted) -> Parts {
    let find = |is: &dyn Fn(&str) -> bool| -> Option<&Task> {
        let depth = doc
            .items
            .iter()
            .filter(|t| is(&t.title))
            .map(|t| t.level)
            .min()?;
        doc.items.iter().find(|t| t.level == depth && is(&t.title))
    };
    let mut out = Parts::default();
    if let Some(p) = find(&is_problems) {
        out.problems_title = Some(p.title.clone());
        out.problems = points(doc, p);
    }
    if let Some(c) = find(&is_causes) {
        out.causes_title = Some(c.title.clone());
        out.causes = points(doc, c);
    }
    // (Never the problems part: its heading names problems.)
    if let Some(s) = find(&|t: &str| is_suggestions(t) && !is_problems(t)) {
        out.suggestions_title = Some(s.title.clone());
        out.suggestions = points(doc, s);
    }
    out
}

/// The parts of a report written without numbered headings, as news of a 巡察反馈 or a
/// short 通报 are: a paragraph opening "反馈指出，" / "检查发现，" … whose 一是……二是…… are
/// the problems, and one opening "反馈要求，" / "会议要求，" / "建议，" … whose 一要……二要……
/// (or 一是……) are the suggestions. `paragraphs` are the text's paragraphs in order; `file`
/// names them in 来源.
pub fn parts_in_text(paragraphs: &[&str], file: &str) -> Parts {
    let opens = |p: &str, words: &[&str]| {
        let head: String = p.chars().take(30).collect();
        words
            .iter()
            .find_map(|w| head.find(w).map(|at| (at, w.len())))
            .map(|(at, n)| {
                p[at + n..]
                    .trim_start_matches(['，', '：', ',', ':'])
                    .to_string()
            })
    };
    let points_of = |body: &str, k: usize| -> Vec<Point> {
        enumerated(body)
            .into_iter()
            .map(|e| {
                let due = crate::extract::timing::dates(&e, None, false)
                    .into_iter()
                    .flat_map(|t| t.due)
                    .collect();
                enumerated_point(
                    &e,
                    &['，', '；', '。'],
                    format!("{file} 第{}段", k + 1),
                    due,
                )
            })
            .collect()
    };
    let mut out = Parts::default();
    for (k, p) in paragraphs.iter().enumerate() {
        if out.problems.is_empty() {
            if let Some(body) = opens(p, &["指出", "发现", "存在"])
                .filter(|b| ["问题", "不足", "短板"].iter().any(|w| b.contains(w)))
            {
                let points = points_of(&body, k);
                if !points.is_empty() {
                    out.problems_title = Some(p.chars().take_while(|c| *c != '，').collect());
                    out.problems = points;
                    out.opening = Some(paragraphs[1.min(k)..k].join("\n"));
                    continue;
                }
            }
        }
        if out.suggestions.is_empty() {
            if let Some(body) = opens(p, &["要求", "建议", "强调"]) {
                let points = points_of(&body, k);
                if !points.is_empty() {
                    out.suggestions_title = Some(p.chars().take_while(|c| *c != '，').collect());
                    out.suggestions = points;
                }
            }
        }
    }
    out
}

/// Whether a sentence closes a 通报's account of its cases and opens its demands: "上述问题…",
/// "以上问题…", "这些问题…", "X起案例…".
fn closes_cases(p: &str) -> bool {
    let p = without_speaker(p);
    ["上述", "以上", "这些", "此类", "通报的"]
        .iter()
        .any(|w| p.starts_with(w))
}

/// A sentence without the office that speaks it: "中央纪委国家监委指出，落实……" is "落实……".
fn without_speaker(s: &str) -> &str {
    for w in ["指出，", "强调，", "要求，"] {
        if let Some(at) = s.find(w) {
            if s[..at].chars().count() <= 16 && !s[..at].contains(['，', '。']) {
                return &s[at + w.len()..];
            }
        }
    }
    s
}

/// Whether a sentence of a 通报's closing is about passing the 通报 on rather than a demand
/// on the units ("各单位要将本通报传达到全体党员干部").
fn about_the_bulletin(s: &str) -> bool {
    ["本通报", "此通报", "本文件", "传达到", "传达学习"]
        .iter()
        .any(|w| s.contains(w))
}

/// The parts of a 典型问题通报: each numbered paragraph whose first sentence names a case
/// ("一、县农业农村局原副局长赵某某违规收受礼金问题。2021年春节期间……") is a problem, with its
/// facts as text (their dates are history, never deadlines); the paragraphs after the cases
/// ("上述问题……。县纪委监委指出，……要……。一要……；二要……") give the demands, each 一要/一是
/// piece a suggestion, or, when they are not enumerated, each sentence that asks something
/// (要/必须/务必). The paragraphs before the first case are the background. Nothing is found
/// unless at least two cases are.
pub fn parts_of_cases(paragraphs: &[&str], file: &str) -> Parts {
    cases_in(paragraphs, file, &|k| k + 1)
}

/// Posts and roles one of which a case's name holds when its paragraph has no number: a
/// case names who did it ("县农业农村局原局长张某某…", "某村党支部书记李某…").
const CASE_POSTS: &[&str] = &[
    "书记",
    "局长",
    "部长",
    "厅长",
    "处长",
    "科长",
    "股长",
    "县长",
    "市长",
    "区长",
    "镇长",
    "乡长",
    "村长",
    "省长",
    "院长",
    "校长",
    "所长",
    "站长",
    "队长",
    "组长",
    "行长",
    "社长",
    "馆长",
    "庭长",
    "检察长",
    "董事长",
    "主任",
    "主席",
    "总监",
    "经理",
    "干部",
    "职工",
    // 巡视员, 调研员, 委员, 成员, 党员, 工作人员, 科员 …
    "员",
    "干事",
    "会计",
    "出纳",
    "村医",
    "教师",
    "医生",
    "民警",
    "辅警",
];

/// [`parts_of_cases`], with `shown(k)` the paragraph number 来源 gives the `k`-th paragraph.
fn cases_in(paragraphs: &[&str], file: &str, shown: &dyn Fn(usize) -> usize) -> Parts {
    // (marker, the case's name, its text): "一、XX违规收受礼金问题。2021年……".
    let case_of = |p: &str, numbered: bool| -> Option<(String, String, String)> {
        let skip = match crate::text::marker(p) {
            Some(m) if numbered => m.len,
            None if !numbered => 0,
            _ => return None,
        };
        let rest: String = p.chars().skip(skip).collect();
        let first = rest.split(['。', '；']).next().unwrap_or("").trim();
        let n = first.chars().count();
        let named = first.ends_with("问题") || first.ends_with("案") || first.ends_with("案件");
        // Unnumbered, a case is told at length after its name, and its name is no remark
        // on problems ("检查中也发现一些问题") nor news of a 通报 ("公开通报8起违规吃喝典型
        // 问题"): it names the one who did it, by post ("某局原党组书记、局长张某某…").
        let told = numbered
            || (n >= 15
                && rest.chars().count() > n + 20
                && !["发现", "存在", "上述", "这些", "针对", "通报"]
                    .iter()
                    .any(|w| first.contains(w))
                && CASE_POSTS.iter().any(|w| first.contains(w)));
        (named && told && n <= 80).then(|| {
            let marker: String = p.chars().take(skip).collect();
            (
                marker.trim().to_string(),
                first.to_string(),
                rest.trim().to_string(),
            )
        })
    };
    let found = |numbered: bool| -> Vec<(usize, (String, String, String))> {
        paragraphs
            .iter()
            .enumerate()
            .filter_map(|(k, p)| case_of(p.trim(), numbered).map(|c| (k, c)))
            .collect()
    };
    let mut cases = found(true);
    if cases.len() < 2 {
        // Cases told one paragraph each without numbers (the 中央纪委国家监委网站's 通报):
        // the longest run of paragraphs in a row, numbered here.
        let all = found(false);
        let (mut best, mut start) = ((0, 0), 0);
        for i in 0..all.len() {
            if i > 0 && all[i - 1].0 + 1 != all[i].0 {
                start = i;
            }
            if i + 1 - start > best.1 - best.0 {
                best = (start, i + 1);
            }
        }
        cases = all.into_iter().skip(best.0).take(best.1 - best.0).collect();
        for (i, (_, c)) in cases.iter_mut().enumerate() {
            c.0 = format!("{}．", i + 1);
        }
    }
    let mut out = Parts::default();
    if cases.len() < 2 {
        return out;
    }
    let last = cases[cases.len() - 1].0;
    // The closing, with each piece's paragraph number: the paragraphs after the last case
    // from the first that closes the cases or asks something (one before it continues the
    // last case's facts), and a closing written on in the last case's own paragraph.
    let mut closing: Vec<(usize, String)> = Vec::new();
    let mut tail_of_last = String::new();
    for (k, p) in paragraphs.iter().enumerate().skip(last + 1) {
        let p = p.trim();
        if closing.is_empty() && !closes_cases(p) && !p.contains('要') {
            tail_of_last.push_str(p);
        } else {
            closing.push((k, p.to_string()));
        }
    }
    for (i, (k, (marker, title, text))) in cases.iter().enumerate() {
        let mut text = text.clone();
        if i + 1 == cases.len() {
            if let Some(at) = text
                .match_indices('。')
                .map(|(at, _)| at + '。'.len_utf8())
                .find(|&at| closes_cases(&text[at..]))
            {
                closing.insert(0, (*k, text[at..].to_string()));
                text.truncate(at);
            }
            text.push_str(&tail_of_last);
        } else {
            for p in &paragraphs[k + 1..cases[i + 1].0] {
                text.push_str(p.trim());
            }
        }
        let body = text.strip_prefix(title.as_str()).unwrap_or(&text);
        let body = body.trim_start_matches(['。', '；', '，']).trim();
        out.problems.push(Point {
            marker: marker.clone(),
            title: title.clone(),
            details: Vec::new(),
            text: if body.is_empty() {
                title.clone()
            } else {
                format!("{title}。{body}")
            },
            source: format!("{file} 第{}段", shown(*k)),
            responsible: Vec::new(),
            // A case's dates are its history.
            due: Vec::new(),
        });
    }
    out.problems_title = Some("通报的典型问题".to_string());
    out.together = true;
    // Background: the sentences before the first case (not the title, issuer or salutation).
    let before: Vec<&str> = paragraphs[..cases[0].0]
        .iter()
        .map(|p| p.trim())
        .filter(|p| crate::text::ends_sentence(p) && !p.ends_with(['：', ':']))
        .collect();
    out.opening = Some(before.join("\n"));
    let due_in = |t: &str| -> Vec<String> {
        crate::extract::timing::dates(t, None, false)
            .into_iter()
            .flat_map(|d| d.due)
            .collect()
    };
    if let Some((k, c, pieces)) = closing
        .iter()
        .map(|(k, c)| (k, c, enumerated(c)))
        .find(|(_, _, pieces)| !pieces.is_empty())
    {
        // The sentence that introduces 一要……: "县纪委监委指出，……要引以为戒".
        let lead = &c[..c.find(pieces[0].as_str()).unwrap_or(0)];
        let lead = lead
            .rsplit('。')
            .find(|s| !s.trim().is_empty())
            .unwrap_or("");
        let lead = lead.trim().trim_end_matches(['，', '：', '；']);
        out.suggestions_title = Some(if lead.is_empty() {
            "通报提出的要求".to_string()
        } else {
            lead.to_string()
        });
        for e in &pieces {
            let source = format!("{file} 第{}段", shown(*k));
            out.suggestions
                .push(enumerated_point(e, &['，', '；', '。'], source, due_in(e)));
        }
        return out;
    }
    // Demands not enumerated: each sentence that asks something.
    for (k, c) in &closing {
        for sentence in c.split_inclusive('。') {
            let t = sentence.trim();
            let asks = ["要", "必须", "务必"].iter().any(|w| t.contains(w));
            if !asks || about_the_bulletin(t) || closes_cases(t) {
                continue;
            }
            // The sentence as written, as one entry (its first clause is no heading).
            let text = without_speaker(t).trim_end_matches('。').to_string();
            out.suggestions.push(Point {
                marker: format!("{}．", out.suggestions.len() + 1),
                title: text.clone(),
                details: Vec::new(),
                due: due_in(&text),
                text,
                source: format!("{file} 第{}段", shown(*k)),
                responsible: Vec::new(),
            });
        }
    }
    if !out.suggestions.is_empty() {
        out.suggestions_title = Some("通报提出的要求".to_string());
    }
    out
}

/// The parts of an extracted report, read from its tree alone (the 四单 have no more): its
/// headed parts ([`parts`]), else the cases of a 典型问题通报 ([`parts_of_cases`] over the
/// paragraphs of its top-level items, numbered as in the file).
pub fn parts_of(doc: &Extracted) -> Parts {
    let p = parts(doc);
    if p.problems_title.is_some() || p.suggestions_title.is_some() {
        return p;
    }
    let mut paragraphs: Vec<String> = Vec::new();
    let mut numbers: Vec<usize> = Vec::new();
    for t in doc.items.iter().filter(|t| t.parent.is_none()) {
        for (i, line) in t.text.split('\n').enumerate() {
            paragraphs.push(if i == 0 {
                format!("{}{line}", t.marker)
            } else {
                line.to_string()
            });
            numbers.push(t.span.paragraph + i);
        }
    }
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let cases = cases_in(&refs, file_name(&doc.source), &|k| numbers[k]);
    if cases.problems.is_empty() {
        p
    } else {
        cases
    }
}

/// The CJK character pairs of a text (no punctuation, no digits), as a set.
fn bigrams(text: &str) -> std::collections::HashSet<(char, char)> {
    let cs: Vec<char> = text
        .chars()
        .filter(|c| crate::text::is_wide(*c) && c.is_alphabetic())
        .collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Cosine similarities `[suggestion][problem]` of texts as sets of character pairs, each
/// pair weighted by how rare it is among all of them (so 监督, 工作, 加强 weigh little).
fn similarities(problems: &[&str], suggestions: &[&str]) -> Vec<Vec<f64>> {
    type Set = std::collections::HashSet<(char, char)>;
    let p: Vec<Set> = problems.iter().map(|t| bigrams(t)).collect();
    let s: Vec<Set> = suggestions.iter().map(|t| bigrams(t)).collect();
    let mut df: std::collections::HashMap<(char, char), f64> = Default::default();
    for set in p.iter().chain(&s) {
        for b in set {
            *df.entry(*b).or_default() += 1.0;
        }
    }
    let n = (p.len() + s.len()) as f64;
    let w2 = |b: &(char, char)| (n / df.get(b).copied().unwrap_or(1.0)).ln().powi(2);
    let norm = |set: &Set| set.iter().map(w2).sum::<f64>().sqrt().max(1e-9);
    s.iter()
        .map(|sj| {
            p.iter()
                .map(|pi| pi.intersection(sj).map(w2).sum::<f64>() / (norm(pi) * norm(sj)))
                .collect()
        })
        .collect()
}

/// The heading of a point's entry: up to its first 。.
fn lead(text: &str) -> &str {
    text.split('。').next().unwrap_or(text)
}

/// For each suggestion, the problem it answers (its index), or `None` when none is clearly
/// closest. Headings weigh most (a suggestion's heading echoes its problem's: 理顺关系 —
/// 未能理顺与驻在部门的关系), the whole texts a little. When there are as
/// many suggestions as problems they are paired one to one: in order when the order fits
/// about as well as the best one-to-one match (most reports answer their problems one by
/// one), else by that match. Otherwise a suggestion goes to the problem closest to it when
/// that one is clearly closer than the next (half as close again) and not merely alike in
/// common words.
pub fn pair(problems: &[String], suggestions: &[String]) -> Vec<Option<usize>> {
    if problems.is_empty() {
        return vec![None; suggestions.len()];
    }
    let heads = similarities(
        &problems.iter().map(|t| lead(t)).collect::<Vec<_>>(),
        &suggestions.iter().map(|t| lead(t)).collect::<Vec<_>>(),
    );
    let whole = similarities(
        &problems.iter().map(String::as_str).collect::<Vec<_>>(),
        &suggestions.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let score = |i: usize, j: usize| 0.7 * heads[j][i] + 0.3 * whole[j][i];
    if problems.len() == suggestions.len() {
        return one_to_one(problems.len(), &score);
    }
    const AT_LEAST: f64 = 0.02;
    const AHEAD: f64 = 1.5;
    (0..suggestions.len())
        .map(|j| {
            let mut by: Vec<(usize, f64)> = (0..problems.len()).map(|i| (i, score(i, j))).collect();
            by.sort_by(|a, b| b.1.total_cmp(&a.1));
            let (best, first) = by[0];
            let second = by.get(1).map_or(0.0, |x| x.1);
            (first >= AT_LEAST && first >= AHEAD * second).then_some(best)
        })
        .collect()
}

/// The legal basis a drafted recommendation starts with, for the user to confirm (the law's
/// article numbers moved in its 2025 revision: never printed without a check).
pub const DEFAULT_BASIS: &str = "根据《中华人民共和国监察法》和《中国共产党纪律检查机关监督执纪工作规则》有关规定，现提出如下纪检监察建议";

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

/// A heading as a comment shows it: a long one cut at 30 characters, with ……
fn clip(title: &str) -> String {
    if title.chars().count() <= 32 {
        return title.to_string();
    }
    format!("{}……", title.chars().take(30).collect::<String>())
}

/// A drafted data file and the parts it was drafted from.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The data file (TOML, with comments).
    pub text: String,
    /// The report's parts as read.
    pub parts: Parts,
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Draft the data file (TOML) of a 纪检监察建议书 from a report: problems and
/// recommendations prefilled from the report's parts, the report's opening as 情况说明, and
/// comments marking what the user must check or fill. `paragraphs` are all the report's
/// paragraphs in order (a 典型问题通报 is read from them: [`parts_of_cases`]); `preamble` is
/// the text before the report's first heading. A report without a problems or a
/// suggestions part (or with an empty one) is an error naming the part.
pub fn draft_recommendation(
    path: &Path,
    doc: &Extracted,
    paragraphs: &[&str],
    preamble: &str,
    opts: &DraftOptions,
) -> Result<Draft> {
    let mut p = parts(doc);
    if p.problems_title.is_none() && p.suggestions_title.is_none() {
        let file = file_name(&doc.source);
        // A 典型问题通报: numbered cases, then its demands.
        p = parts_of_cases(paragraphs, file);
        if p.problems.is_empty() {
            // No numbered parts: a text such as the news of a 巡察反馈 (反馈指出，一是……；反馈要求，一要……).
            let lines: Vec<&str> = preamble.lines().filter(|l| !l.trim().is_empty()).collect();
            p = parts_in_text(&lines, file);
        }
    }
    let missing = |what: &str, hint: &str| {
        Error::file(
            path,
            format!("没有找到{what}部分（{hint}），无法起草纪检监察建议书；请确认这是一份调研或检查报告，且该部分有“一、”或“（一）”等编号标题"),
        )
    };
    let Some(pt) = &p.problems_title else {
        return Err(missing(
            "“存在的主要问题”",
            "应为“存在的问题”“主要问题”“存在的不足”“发现的问题”这类标题",
        ));
    };
    let Some(st) = &p.suggestions_title else {
        return Err(missing(
            "“意见建议”",
            "应为“意见建议”“对策建议”“整改建议”“下一步工作”这类标题",
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
    s.push_str("#   jiandu render recommendation --data 本文件 -o 建议书.docx -o 建议书.pdf\n");
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
    let preamble = p.opening.as_deref().unwrap_or(preamble);
    let background = if preamble.trim().is_empty() {
        format!("我们在调研中发现，{}存在以下问题。", "你单位")
    } else {
        preamble.trim().to_string()
    };
    s.push_str(&format!("background = {}\n\n", q(&background)));
    // A part headed 下一步工作 or 工作打算 tells what the writer will do.
    let own_part = st.contains("下一步") || st.contains("打算");
    let problem_texts: Vec<String> = p.problems.iter().map(Point::entry).collect();
    let suggestion_texts: Vec<String> = p.suggestions.iter().map(Point::entry).collect();
    let pairs = if p.together {
        vec![None; suggestion_texts.len()]
    } else {
        pair(&problem_texts, &suggestion_texts)
    };
    s.push_str(&if p.together {
        format!(
            "# 【请核对】存在的问题：取自通报的 {} 起典型问题，每项一条；建议书只写主送单位的问题，其余请删去\n",
            p.problems.len()
        )
    } else {
        format!(
            "# 【请核对】存在的问题：取自报告“{pt}”的 {} 个小标题及其“一是……二是……”，每项一条，可删改\n",
            p.problems.len()
        )
    });
    s.push_str("problems = [\n");
    for (i, (pt, text)) in p.problems.iter().zip(&problem_texts).enumerate() {
        let answered: Vec<String> = pairs
            .iter()
            .enumerate()
            .filter(|(_, x)| **x == Some(i))
            .map(|(j, _)| p.suggestions[j].marker.clone())
            .collect();
        s.push_str(&format!(
            "  # {} {}（{}）；{}\n",
            pt.marker,
            clip(&pt.title),
            pt.source,
            if p.together {
                "由下面通报的各项要求共同回应".to_string()
            } else if answered.is_empty() {
                "【请核对】没有找到回应这个问题的建议，请补写一条".to_string()
            } else {
                format!("对应建议 {}", answered.join(" "))
            }
        ));
        s.push_str(&format!("  {},\n", q(text)));
    }
    s.push_str("]\n\n");
    if p.causes.is_empty() {
        s.push_str(
            "# 【请填写】原因分析：报告中没有单列，可按需补写，每项一条；不填则不写这一部分\n",
        );
        s.push_str("causes = []\n\n");
    } else {
        s.push_str(&format!(
            "# 【请核对】原因分析：取自报告“{}”的 {} 条，可删改；不需要则改为 causes = []\n",
            p.causes_title.as_deref().unwrap_or_default(),
            p.causes.len()
        ));
        s.push_str("causes = [\n");
        for c in &p.causes {
            s.push_str(&format!("  # {} {}（{}）\n", c.marker, c.title, c.source));
            s.push_str(&format!("  {},\n", q(&c.entry())));
        }
        s.push_str("]\n\n");
    }
    s.push_str(&if p.together {
        let after = if st == "通报提出的要求" {
            String::new()
        } else {
            format!("（“{st}”之后）")
        };
        format!(
            "# 【请核对】监督建议：取自通报提出的 {} 条要求{after}，每项一条，可删改\n",
            p.suggestions.len()
        )
    } else {
        format!(
            "# 【请核对】监督建议：取自报告“{st}”的 {} 个小标题及其“一要……二要……”，每项一条，可删改\n",
            p.suggestions.len()
        )
    });
    s.push_str("recommendations = [\n");
    for ((pt, text), paired) in p.suggestions.iter().zip(&suggestion_texts).zip(&pairs) {
        s.push_str(&format!(
            "  # {} {}（{}）；{}\n",
            pt.marker,
            clip(&pt.title),
            pt.source,
            match paired {
                Some(i) => format!("回应问题 {}", p.problems[*i].marker),
                None if p.together => "通报的要求，针对上述全部问题".to_string(),
                None => "没有找到它回应的问题".to_string(),
            }
        ));
        let mut text = text.clone();
        if pt.own_voice() || own_part {
            text =
                format!("【请核对：原文是报告单位自己的工作打算，请改写为对主送单位的建议】{text}");
        } else if paired.is_none() && !p.together {
            text = format!("【请核对：没有找到这条建议回应的问题】{text}");
        }
        s.push_str(&format!("  {},\n", q(&text)));
    }
    s.push_str("]\n\n");
    s.push_str("# 【请核对】依据：印在情况说明之后。监察建议依据《中华人民共和国监察法》（2018年文本为第四十五条第一款第（五）项；\n");
    s.push_str("# 2025年6月1日起施行的修正文本条文序号有变化，请按现行文本核对），向党组织提出的纪律检查建议依据\n");
    s.push_str("# 《中国共产党纪律检查机关监督执纪工作规则》（2019年文本第十九条）；不需要则改为 basis = \"\"\n");
    s.push_str(&format!("basis = {}\n\n", q(DEFAULT_BASIS)));
    s.push_str("# 反馈期限（日），通常为 30 日\nreply_days = 30\n\n");
    // Each problem's 整改时限: the first date its answering suggestions (or it) write.
    s.push_str("# 【请核对】各问题的整改时限，与上面的问题逐项对应（取自报告中写明的日期；没有写明的按反馈期限），只记入整改台账\n");
    s.push_str("deadlines = [\n");
    for (i, pt) in p.problems.iter().enumerate() {
        let mut due: Vec<&String> = pt.due.iter().collect();
        for (j, x) in pairs.iter().enumerate() {
            if *x == Some(i) {
                due.extend(&p.suggestions[j].due);
            }
        }
        due.sort();
        let value = due
            .first()
            .map_or("按反馈期限".to_string(), |d| d.to_string());
        s.push_str(&format!("  {},  # {}\n", q(&value), pt.marker));
    }
    s.push_str("]\n\n");
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
    Ok(Draft { text: s, parts: p })
}

/// The one-to-one pairing of `n` problems and `n` suggestions under `score(problem,
/// suggestion)`: in order when that fits about as well as taking the best pairs first.
fn one_to_one(n: usize, score: &dyn Fn(usize, usize) -> f64) -> Vec<Option<usize>> {
    let mut all: Vec<(f64, usize, usize)> = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .map(|(i, j)| (score(i, j), i, j))
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut of: Vec<Option<usize>> = vec![None; n];
    let mut taken = vec![false; n];
    let mut total = 0.0;
    for (sc, i, j) in all {
        if of[j].is_none() && !taken[i] && sc > 0.0 {
            of[j] = Some(i);
            taken[i] = true;
            total += sc;
        }
    }
    let diagonal: f64 = (0..n).map(|j| score(j, j)).sum();
    if diagonal >= 0.8 * total {
        return (0..n).map(Some).collect();
    }
    // As many of each: what shares no word with any problem left answers the one left.
    let mut left = (0..n).filter(|&i| !taken[i]);
    for x in of.iter_mut().filter(|x| x.is_none()) {
        *x = left.next();
    }
    of
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_told_without_numbers_are_found_and_numbered() {
        let paragraphs = [
            "某省纪委监委通报3起违反中央八项规定精神典型问题",
            "日前，某省纪委监委对3起典型问题进行通报。具体如下：",
            "检查中也发现一些问题。",
            "某市水务局原局长郑某某违规收受礼品礼金问题。2019年至2023年，郑某某多次收受管理服务对象所送礼金、购物卡共计3.6万元。郑某某受到撤销党内职务处分。",
            "某县财政局副局长王某某违规公款吃喝问题。2022年，王某某多次组织下属在内部食堂宴请，饮用高档酒水，费用由公款支付。王某某受到党内警告处分。",
            "某镇党委书记冯某某加重基层负担问题。2023年，冯某某要求各村每周报送材料十余种，重复填报，村干部疲于应付。冯某某受到诫勉。",
            "省纪委监委指出，上述问题反映出一些党员干部纪法意识淡薄。各级党组织要切实扛起主体责任。",
        ];
        let p = parts_of_cases(&paragraphs, "通报.txt");
        let markers: Vec<&str> = p.problems.iter().map(|x| x.marker.as_str()).collect();
        assert_eq!(markers, ["1．", "2．", "3．"]);
        assert_eq!(p.problems[2].title, "某镇党委书记冯某某加重基层负担问题");
        // "X指出，上述问题……" closes the cases; its demand sentence is the suggestion.
        assert_eq!(p.suggestions.len(), 1, "{:?}", p.suggestions);
        assert_eq!(p.suggestions[0].text, "各级党组织要切实扛起主体责任");
    }

    /// A commentary on a 通报 (the 纪委监委网站's 评论, 深度关注) tells of problems but
    /// names nobody: its paragraphs are no cases, so no 建议书 is drafted from them.
    #[test]
    fn a_commentary_on_problems_has_no_cases() {
        let paragraphs = [
            "深度关注丨紧盯节点纠治“四风”",
            "本网记者 某某",
            "紧盯违规吃喝问题，持续开展专项整治",
            "4月24日，某省纪委监委公开通报8起违规吃喝典型问题。这些问题涉及“吃公函”“吃老板”“吃下级”等，有的以接待为名公款吃喝，有的在内部食堂大吃大喝。",
            "违规吃喝问题绝非小事小节，其侵蚀中央八项规定堤坝，损害党的形象，滋生政治和腐败问题。各级纪检监察机关持续深化整治，取得明显成效。",
            "以重点问题突破带动纠治“四风”工作整体推进。数据显示，上半年查处违规吃喝问题数量明显上升，反映出整治力度持续加大。",
        ];
        let p = parts_of_cases(&paragraphs, "评论.txt");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
    }

    #[test]
    fn a_bulletin_without_enumerated_demands_gives_each_demand_sentence() {
        let paragraphs = [
            "关于2起违规收送礼品礼金问题的通报",
            "现将2起典型问题通报如下。",
            "1．某镇副镇长周某某违规收受礼品问题。2021年春节前，周某某收受购物卡2张。",
            "周某某受到党内警告处分。",
            "2．某局科员吴某某违规收受礼金问题。2021年中秋，吴某某收受礼金2000元。",
            "吴某某受到诫勉。",
            "上述问题性质恶劣。各级党组织要以案为鉴，严格落实中央八项规定精神，务必在2022年5月31日前开展一次专项检查。各单位要将本通报传达到全体党员干部。",
            "某县纪委监委",
        ];
        let p = parts_of_cases(&paragraphs, "通报.txt");
        assert_eq!(p.problems.len(), 2);
        // A case's continuation paragraph stays with it; the closing is not part of a case.
        assert!(p.problems[0].text.ends_with("周某某受到党内警告处分。"));
        assert!(
            p.problems[1].text.ends_with("吴某某受到诫勉。"),
            "{}",
            p.problems[1].text
        );
        assert!(p.together);
        assert_eq!(p.suggestions.len(), 1, "{:?}", p.suggestions);
        assert!(p.suggestions[0].text.starts_with("各级党组织要以案为鉴"));
        assert_eq!(p.suggestions[0].due, ["2022-05-31"]);
        assert_eq!(p.opening.as_deref(), Some("现将2起典型问题通报如下。"));
        // A report with one numbered problem paragraph is no bulletin of cases.
        assert!(parts_of_cases(&paragraphs[..4], "通报.txt")
            .problems
            .is_empty());
    }

    #[test]
    fn suggestions_pair_with_the_problems_they_answer() {
        let problems = [
            "监督指导责任落实不到位。对村级财务公开、合同管理等工作督促检查不够。".to_string(),
            "村级财务制度执行不严格。部分村存在白条入账、大额现金支付等问题。".to_string(),
            "集体资源发包租赁不规范。部分村集体土地、山林发包未经公开招标。".to_string(),
        ];
        // Answered out of order: the first to the first, the second to the third, the third
        // to the second.
        let suggestions = [
            "压实监管责任。明确乡镇、村两级督导检查责任。".to_string(),
            "规范资源发包。集体土地、山林发包一律公开招标。".to_string(),
            "健全财务制度。严禁白条入账和大额现金支付。".to_string(),
        ];
        assert_eq!(
            pair(&problems, &suggestions),
            vec![Some(0), Some(2), Some(1)]
        );
        // In order when the order fits.
        let in_order = [
            suggestions[0].clone(),
            suggestions[2].clone(),
            suggestions[1].clone(),
        ];
        assert_eq!(pair(&problems, &in_order), vec![Some(0), Some(1), Some(2)]);
        // More suggestions than problems: each to its closest, or none.
        let more = [
            suggestions[1].clone(),
            "加强队伍建设。开展业务培训，提升履职能力。".to_string(),
        ];
        assert_eq!(pair(&problems, &more), vec![Some(2), None]);
        assert_eq!(pair(&[], &more), vec![None, None]);
    }

    #[test]
    fn entries_keep_the_substance_without_signature_or_doubled_punctuation() {
        let p = Point {
            title: "压实监管责任".into(),
            marker: "（一）".into(),
            details: vec![
                "一要建立责任清单，明确乡镇、村两级责任。".into(),
                "二要每半年开展一次督导检查；".into(),
            ],
            text: "压实监管责任。各乡镇要落实属地责任。\n中共青山县纪委监委\n2022年6月15日".into(),
            source: String::new(),
            responsible: Vec::new(),
            due: Vec::new(),
        };
        assert_eq!(
            p.entry(),
            "压实监管责任。各乡镇要落实属地责任。一要建立责任清单，明确乡镇、村两级责任；二要每半年开展一次督导检查。"
        );
        assert_eq!(tidy("问题。；建议，。"), "问题；建议。");
        assert!(!p.own_voice());
        let own = Point {
            text: "强化政治监督。派驻纪检监察组要把学习贯彻……".into(),
            title: "强化政治监督".into(),
            ..p.clone()
        };
        assert!(own.own_voice());
    }

    #[test]
    fn enumerations_in_running_text_are_points() {
        let e = enumerated("各单位要：一是压实责任，明确分工；二是加强督查。三是严肃问责。");
        assert_eq!(
            e,
            vec!["一是压实责任，明确分工", "二是加强督查。", "三是严肃问责。"]
        );
        assert!(enumerated("一是只有一条。").is_empty());
    }
}
