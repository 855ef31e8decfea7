//! The task checklist (任务清单): one row per item, in document order, with the columns of
//! the contract in `instruments.md`.

use super::item::SupervisionItem;
use super::normalize;
use super::taxonomy;
use crate::extract::{file_name, Extracted, Task, Timing, Vocabulary};
use crate::render::table::{Column, Sheet, Workbook};

/// The checklist's columns, in contract order, with their widths in characters.
pub const COLUMNS: [(&str, f64); 17] = [
    ("序号", 2.5),
    ("层级", 2.5),
    ("上级事项", 8.0),
    ("工作任务", 10.0),
    ("具体措施", 25.0),
    ("责任主体", 8.0),
    ("牵头单位", 6.0),
    ("配合单位", 6.0),
    ("监督对象", 6.0),
    ("监督方式", 6.0),
    ("重点领域", 6.0),
    ("完成时限", 9.0),
    ("依据", 8.0),
    ("类别", 4.0),
    ("来源", 9.0),
    ("进展情况", 10.0),
    ("状态", 3.5),
];

/// A date `YYYY-MM-DD` as printed: `2022年6月30日`.
pub fn cn_date(iso: &str) -> String {
    let mut it = iso.split('-').map(|p| p.parse::<u32>().unwrap_or(0));
    match (it.next(), it.next(), it.next()) {
        (Some(y), Some(m), Some(d)) if y > 0 => format!("{y}年{m}月{d}日"),
        _ => iso.to_string(),
    }
}

/// A 完成时限 cell: each timing with its due dates, one per line. A rule that recurs gives
/// its first date and how many times it falls ("每月（2022年1月31日起，共12次）"), not a
/// dozen dates: `jiandu progress` reads the rule back with the year.
fn timing_cell(timing: &[Timing]) -> String {
    timing
        .iter()
        .map(|t| {
            if t.due.is_empty() {
                t.text.clone()
            } else if t.recurring && t.due.len() > 2 {
                format!(
                    "{}（{}起，共{}次）",
                    t.text,
                    cn_date(&t.due[0]),
                    t.due.len()
                )
            } else {
                let dates: Vec<String> = t.due.iter().map(|d| cn_date(d)).collect();
                format!("{}（{}）", t.text, dates.join("、"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 完成时限 cell of a task.
pub fn deadline_cell(task: &Task) -> String {
    timing_cell(&task.timing)
}

/// Where in a file something starts: its row, or its page and paragraph, or its paragraph.
fn place(file: &str, row: Option<u32>, page: Option<u32>, paragraph: usize) -> String {
    let name = file_name(file);
    match (row, page) {
        (Some(r), _) => format!("{name} 第{r}行"),
        (None, Some(p)) => format!("{name} 第{p}页第{paragraph}段"),
        (None, None) => format!("{name} 第{paragraph}段"),
    }
}

/// The 来源 cell: file, and paragraph, page or row.
pub fn source_cell(source: &str, task: &Task) -> String {
    place(source, task.row, task.page, task.span.paragraph)
}

/// Columns a user fills in, kept even when empty for the whole document.
const ALWAYS: [&str; 4] = ["序号", "工作任务", "进展情况", "状态"];

/// The 责任主体 cell: the doers not listed as 牵头 or 配合.
fn doers_cell(v: &Vocabulary, task: &Task) -> String {
    let others: Vec<String> = task
        .responsible
        .iter()
        .filter(|u| !task.lead.contains(u) && !task.support.contains(u))
        .cloned()
        .collect();
    normalize::list(v, &others).join("\n")
}

/// The 类别 cell: the category's name, or 待定 with the two likeliest.
pub fn category_cell(task: &Task) -> String {
    if task.category.is_empty() {
        let names: Vec<&str> = task
            .candidates
            .iter()
            .map(|c| taxonomy::name_of(c))
            .collect();
        if names.is_empty() {
            "待定".to_string()
        } else {
            format!("待定（{}）", names.join("/"))
        }
    } else {
        taxonomy::name_of(&task.category).to_string()
    }
}

/// The ids of a document's tasks that head others (headings with items under them), found
/// in one pass rather than one scan of the items per task.
pub fn heads(doc: &Extracted) -> std::collections::HashSet<&str> {
    doc.items
        .iter()
        .filter_map(|c| c.parent.as_deref())
        .collect()
}

/// The checklist rows of several documents (told apart by 来源), and which rows are group
/// headings (items with items under them: not numbered, no status).
pub fn grouped_rows(v: &Vocabulary, docs: &[Extracted]) -> (Vec<Vec<String>>, Vec<usize>) {
    let mut out = Vec::new();
    let mut groups = Vec::new();
    let mut n = 0;
    for doc in docs {
        let index: std::collections::HashMap<&str, &Task> =
            doc.items.iter().map(|t| (t.id.as_str(), t)).collect();
        let heads = heads(doc);
        for task in &doc.items {
            let parent = task
                .parent
                .as_deref()
                .and_then(|p| index.get(p).copied())
                .map(|p| format!("{}{}", p.marker, p.title))
                .unwrap_or_default();
            let group = heads.contains(task.id.as_str());
            if group {
                groups.push(out.len());
            } else {
                n += 1;
            }
            out.push(vec![
                if group { String::new() } else { n.to_string() },
                task.level.to_string(),
                parent,
                format!("{}{}", task.marker, task.title),
                task.measures.join("\n"),
                // Canonical terms, so that the sheet filters and groups by one spelling.
                doers_cell(v, task),
                normalize::list(v, &task.lead).join("\n"),
                normalize::list(v, &task.support).join("\n"),
                normalize::list(v, &task.targets).join("\n"),
                normalize::list(v, &task.methods).join("\n"),
                normalize::list(v, &task.areas).join("\n"),
                deadline_cell(task),
                task.regulations.join("\n"),
                // A heading over tasks is no task: it gets no category of its own.
                if group {
                    String::new()
                } else {
                    category_cell(task)
                },
                source_cell(&doc.source, task),
                String::new(),
                if group || !task.is_task {
                    String::new()
                } else {
                    "未启动".to_string()
                },
            ]);
        }
    }
    (out, groups)
}

/// The checklist rows of several documents (told apart by 来源), every column.
pub fn rows(v: &Vocabulary, docs: &[Extracted]) -> Vec<Vec<String>> {
    grouped_rows(v, docs).0
}

/// The number of tasks in the checklist of the documents: rows that are no group heading.
pub fn task_count(docs: &[Extracted]) -> usize {
    docs.iter()
        .map(|d| {
            let heads = heads(d);
            d.items
                .iter()
                .filter(|t| !heads.contains(t.id.as_str()))
                .count()
        })
        .sum()
}

/// The lines under a checklist's title: the document's 文号 and 成文日期, and for a report
/// or a bulletin, that its items are no tasks.
pub fn subtitle(docs: &[Extracted]) -> Vec<String> {
    let mut out = Vec::new();
    if let [d] = docs {
        let mut parts = Vec::new();
        if let Some(n) = &d.doc_number {
            parts.push(format!("文号：{n}"));
        }
        if let Some(date) = &d.date {
            parts.push(format!("成文日期：{}", cn_date(date)));
        }
        if !parts.is_empty() {
            out.push(parts.join("　"));
        }
    }
    for d in docs {
        if !d.kind.has_tasks() {
            out.push(format!(
                "说明：《{}》是{}，所列事项记述已做的工作和发现的问题，不是待办任务。",
                d.title,
                d.kind.name()
            ));
        }
    }
    out
}

/// Drop the columns empty in every row, except those a user fills in.
fn drop_empty(columns: Vec<Column>, rows: Vec<Vec<String>>) -> (Vec<Column>, Vec<Vec<String>>) {
    let keep: Vec<bool> = columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            ALWAYS.contains(&col.header.as_str())
                || rows
                    .iter()
                    .any(|r| r.get(c).is_some_and(|v| !v.trim().is_empty()))
        })
        .collect();
    let columns = columns
        .into_iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(v, _)| v)
                .collect()
        })
        .collect();
    (columns, rows)
}

/// The checklist as a one-sheet workbook, without the columns empty for the whole checklist.
pub fn workbook(v: &Vocabulary, docs: &[Extracted]) -> Workbook {
    workbook_with(v, docs, false)
}

/// The checklist as a one-sheet workbook; `all_columns` keeps columns that are empty.
pub fn workbook_with(v: &Vocabulary, docs: &[Extracted], all_columns: bool) -> Workbook {
    let title = match docs {
        [one] => format!("{}任务清单", one.title.trim_end_matches("任务清单")),
        _ => "任务清单".to_string(),
    };
    let (rows, group_rows) = grouped_rows(v, docs);
    let columns: Vec<Column> = COLUMNS.iter().map(|(h, w)| Column::new(h, *w)).collect();
    let (columns, rows) = if all_columns {
        (columns, rows)
    } else {
        drop_empty(columns, rows)
    };
    Workbook {
        sheets: vec![Sheet {
            name: "任务清单".to_string(),
            title,
            subtitle: subtitle(docs),
            group_rows,
            columns,
            rows,
        }],
    }
}

/// The 来源 cell of a supervision item: every source, one per line.
pub fn item_source_cell(item: &SupervisionItem) -> String {
    item.sources
        .iter()
        .map(|s| place(&s.file, s.row, s.page, s.paragraph))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 完成时限 cell of a supervision item.
pub fn item_deadline_cell(item: &SupervisionItem) -> String {
    timing_cell(&item.timing)
}

/// Checklist rows of supervision items (merged or not): the same columns as [`rows`], with
/// normalized terms and every source in 来源. `parents` maps task ids to the enclosing
/// item's "marker + title".
pub fn item_rows(
    items: &[SupervisionItem],
    parents: &std::collections::HashMap<String, String>,
) -> Vec<Vec<String>> {
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            vec![
                (k + 1).to_string(),
                item.level.to_string(),
                item.parent
                    .as_deref()
                    .and_then(|p| parents.get(p))
                    .cloned()
                    .unwrap_or_default(),
                format!("{}{}", item.marker, item.title),
                item.measures.join("\n"),
                item.responsible
                    .iter()
                    .filter(|u| !item.lead.contains(u) && !item.support.contains(u))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n"),
                item.lead.join("\n"),
                item.support.join("\n"),
                item.targets.join("\n"),
                item.methods.join("\n"),
                item.areas.join("\n"),
                item_deadline_cell(item),
                item.regulations.join("\n"),
                item.category_name.clone(),
                item_source_cell(item),
                String::new(),
                "未启动".to_string(),
            ]
        })
        .collect()
}

/// "marker + title" of every task of the documents, by task id.
pub fn titles_by_id(docs: &[Extracted]) -> std::collections::HashMap<String, String> {
    docs.iter()
        .flat_map(|d| d.items.iter())
        .map(|t| (t.id.clone(), format!("{}{}", t.marker, t.title)))
        .collect()
}

/// The checklist of supervision items as a one-sheet workbook.
pub fn item_workbook(items: &[SupervisionItem], docs: &[Extracted], title: &str) -> Workbook {
    Workbook {
        sheets: vec![Sheet {
            name: "任务清单".to_string(),
            title: title.to_string(),
            subtitle: subtitle(docs),
            group_rows: Vec::new(),
            columns: COLUMNS.iter().map(|(h, w)| Column::new(h, *w)).collect(),
            rows: item_rows(items, &titles_by_id(docs)),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recurring_rule_is_written_by_its_first_date_and_count() {
        let monthly: Vec<String> = (1..=12).map(|m| format!("2022-{m:02}-10")).collect();
        let timing = vec![
            Timing {
                recurring: true,
                ..Timing::new("每月10日前", monthly)
            },
            Timing {
                recurring: true,
                ..Timing::new("每半年", vec!["2022-06-30".into(), "2022-12-31".into()])
            },
            Timing::new("6月底前", vec!["2022-06-30".into()]),
            Timing::new("长期坚持", Vec::new()),
        ];
        assert_eq!(
            timing_cell(&timing),
            "每月10日前（2022年1月10日起，共12次）\n\
             每半年（2022年6月30日、2022年12月31日）\n\
             6月底前（2022年6月30日）\n\
             长期坚持"
        );
    }
}
