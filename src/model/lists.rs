//! The four lists (四单): 任务清单 (tasks), 责任清单 (one row per responsible party with its
//! tasks), 问题清单 (problems found in reports) and 落实清单 (tasks by due month), as one
//! workbook of four sheets. Responsible parties are grouped by their canonical terms
//! ([`super::normalize`]). Headings that only enclose other items are rows of 任务清单 but
//! not of 责任清单 and 落实清单.

use super::checklist::{self, item_deadline_cell, item_source_cell};
use super::item::SupervisionItem;
use super::report;
use crate::extract::Extracted;
use crate::render::table::{Column, Sheet, Workbook};
use std::collections::HashSet;

/// The responsibility-list row key for tasks that name no responsible party.
pub const NO_RESPONSIBLE: &str = "（未明确责任主体）";

fn task_label(item: &SupervisionItem) -> String {
    format!("{}{}", item.marker, item.title)
}

/// Whether an item only heads others: it encloses items of its document and names neither a
/// responsible party nor a deadline of its own. Such headings stay in 任务清单 (which mirrors
/// the plan) but not in 责任清单 and 落实清单, which list what is to be done.
fn only_heads(item: &SupervisionItem, parents: &HashSet<&str>) -> bool {
    parents.contains(item.id.as_str()) && item.responsible.is_empty() && item.timing.is_empty()
}

/// The ids of the tasks that enclose other tasks.
pub fn parent_ids(docs: &[Extracted]) -> HashSet<&str> {
    docs.iter()
        .flat_map(|d| d.items.iter().filter_map(|t| t.parent.as_deref()))
        .collect()
}

/// 责任清单 rows: one per responsible party (first-seen order; tasks naming none last), with
/// the number and list of its tasks.
pub fn responsibility_rows(items: &[&SupervisionItem]) -> Vec<Vec<String>> {
    let mut parties: Vec<(String, Vec<&SupervisionItem>)> = Vec::new();
    let mut none: Vec<&SupervisionItem> = Vec::new();
    for &item in items {
        if item.responsible.is_empty() {
            none.push(item);
        }
        for r in &item.responsible {
            match parties.iter_mut().find(|(p, _)| p == r) {
                Some((_, v)) => v.push(item),
                None => parties.push((r.clone(), vec![item])),
            }
        }
    }
    if !none.is_empty() {
        parties.push((NO_RESPONSIBLE.to_string(), none));
    }
    parties
        .into_iter()
        .enumerate()
        .map(|(k, (party, tasks))| {
            let mut cats: Vec<&str> = Vec::new();
            for t in &tasks {
                if !cats.contains(&t.category_name.as_str()) {
                    cats.push(&t.category_name);
                }
            }
            let deadlines: Vec<String> = tasks
                .iter()
                .map(|t| item_deadline_cell(t))
                .filter(|d| !d.is_empty())
                .collect();
            vec![
                (k + 1).to_string(),
                party,
                tasks.len().to_string(),
                tasks
                    .iter()
                    .map(|t| task_label(t))
                    .collect::<Vec<_>>()
                    .join("\n"),
                cats.join("\n"),
                deadlines.join("\n"),
                String::new(),
                "未启动".to_string(),
            ]
        })
        .collect()
}

/// The 整改时限 of a problem no text dates: the usual reply period of a recommendation.
pub const DEFAULT_RECTIFICATION: &str = "收到建议书之日起30日内（报告未写明，请核对）";

/// 问题清单 rows: the points of every report's problems part (or a 通报's cases), with their
/// details, each filled from the suggestions that answer it ([`report::pair`]): 整改措施 their
/// text, 责任主体 the units they name (not those of a writer's own plans), 整改时限 the dates
/// they (or the problem) write, else [`DEFAULT_RECTIFICATION`].
pub fn problem_rows(docs: &[Extracted]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for doc in docs {
        let parts = report::parts_of(doc);
        let problems: Vec<String> = parts.problems.iter().map(report::Point::entry).collect();
        let suggestions: Vec<String> = parts.suggestions.iter().map(report::Point::entry).collect();
        let pairs = report::pair(&problems, &suggestions);
        for (i, p) in parts.problems.iter().enumerate() {
            let details = if p.details.is_empty() {
                // No 一是/二是 list: the first sentences of the point's text.
                p.entry()
                    .strip_prefix(p.title.as_str())
                    .unwrap_or_default()
                    .trim_start_matches('。')
                    .to_string()
            } else {
                p.details.join("\n")
            };
            let answers: Vec<(&report::Point, &String)> = parts
                .suggestions
                .iter()
                .zip(&suggestions)
                .zip(&pairs)
                // A 通报's demands answer every case.
                .filter(|(_, x)| parts.together || **x == Some(i))
                .map(|(s, _)| s)
                .collect();
            let mut units: Vec<String> = Vec::new();
            let mut due: Vec<String> = p.due.clone();
            for (s, _) in &answers {
                if !s.own_voice() {
                    for u in &s.responsible {
                        if !units.contains(u) {
                            units.push(u.clone());
                        }
                    }
                }
                due.extend(s.due.iter().cloned());
            }
            due.sort();
            due.dedup();
            out.push(vec![
                (out.len() + 1).to_string(),
                format!("{}{}", p.marker, p.title),
                details,
                p.source.clone(),
                answers
                    .iter()
                    .map(|(s, t)| format!("{}{}", s.marker, t))
                    .collect::<Vec<_>>()
                    .join("\n"),
                units.join("\n"),
                if due.is_empty() {
                    DEFAULT_RECTIFICATION.to_string()
                } else {
                    due.iter()
                        .map(|d| checklist::cn_date(d))
                        .collect::<Vec<_>>()
                        .join("、")
                },
                "未启动".to_string(),
            ]);
        }
    }
    out
}

/// 落实清单 rows: one per task and due month, in date order; tasks without a due date last,
/// under 长期/未定.
pub fn implementation_rows(items: &[&SupervisionItem]) -> Vec<Vec<String>> {
    let mut dated: Vec<(String, &SupervisionItem)> = Vec::new();
    let mut undated: Vec<&SupervisionItem> = Vec::new();
    for &item in items {
        let dates = item.due_dates();
        if dates.is_empty() {
            undated.push(item);
        }
        for d in dates {
            dated.push((d, item));
        }
    }
    dated.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (d, item) in dated {
        let month = d
            .get(..7)
            .and_then(|ym| ym.split_once('-'))
            .map(|(y, m)| format!("{y}年{}月", m.trim_start_matches('0')))
            .unwrap_or_default();
        out.push(vec![
            (out.len() + 1).to_string(),
            month,
            checklist::cn_date(&d),
            task_label(item),
            item.responsible.join("\n"),
            item.category_name.clone(),
            item_source_cell(item),
            String::new(),
            String::new(),
            "未启动".to_string(),
        ]);
    }
    for item in undated {
        out.push(vec![
            (out.len() + 1).to_string(),
            "长期/未定".to_string(),
            item_deadline_cell(item),
            task_label(item),
            item.responsible.join("\n"),
            item.category_name.clone(),
            item_source_cell(item),
            String::new(),
            String::new(),
            "未启动".to_string(),
        ]);
    }
    out
}

/// The four lists of the items (merged or not) and the documents they come from.
pub fn workbook(items: &[SupervisionItem], docs: &[Extracted]) -> Workbook {
    let mut task_sheet = checklist::item_workbook(items, docs, "任务清单")
        .sheets
        .remove(0);
    task_sheet.title = "任务清单".to_string();
    let parents = parent_ids(docs);
    let tasks: Vec<&SupervisionItem> = items.iter().filter(|i| !only_heads(i, &parents)).collect();
    let cols = |spec: &[(&str, f64)]| -> Vec<Column> {
        spec.iter().map(|(h, w)| Column::new(h, *w)).collect()
    };
    Workbook {
        sheets: vec![
            task_sheet,
            Sheet {
                subtitle: Vec::new(),
                group_rows: Vec::new(),
                name: "责任清单".to_string(),
                title: "责任清单".to_string(),
                columns: cols(&[
                    ("序号", 2.5),
                    ("责任主体", 12.0),
                    ("任务数", 3.0),
                    ("工作任务", 30.0),
                    ("类别", 6.0),
                    ("完成时限", 12.0),
                    ("进展情况", 12.0),
                    ("状态", 3.5),
                ]),
                rows: responsibility_rows(&tasks),
            },
            Sheet {
                subtitle: Vec::new(),
                group_rows: Vec::new(),
                name: "问题清单".to_string(),
                title: "问题清单".to_string(),
                columns: cols(&[
                    ("序号", 2.5),
                    ("问题", 16.0),
                    ("具体表现", 30.0),
                    ("来源", 9.0),
                    ("整改措施", 16.0),
                    ("责任主体", 8.0),
                    ("整改时限", 6.0),
                    ("状态", 3.5),
                ]),
                rows: problem_rows(docs),
            },
            Sheet {
                subtitle: Vec::new(),
                group_rows: Vec::new(),
                name: "落实清单".to_string(),
                title: "落实清单".to_string(),
                columns: cols(&[
                    ("序号", 2.5),
                    ("月份", 5.0),
                    ("完成时限", 8.0),
                    ("工作任务", 20.0),
                    ("责任主体", 10.0),
                    ("类别", 5.0),
                    ("来源", 9.0),
                    ("完成情况", 12.0),
                    ("佐证材料", 10.0),
                    ("状态", 3.5),
                ]),
                rows: implementation_rows(&tasks),
            },
        ],
    }
}
