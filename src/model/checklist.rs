//! The task checklist (任务清单): one row per item, in document order, with the columns of
//! the contract in `instruments.md`.

use super::item::SupervisionItem;
use super::normalize;
use super::taxonomy;
use crate::extract::{file_name, Extracted, Task, Timing};
use crate::render::table::{Column, Sheet, Workbook};

/// The checklist's columns, in contract order, with their widths in characters.
pub const COLUMNS: [(&str, f64); 15] = [
    ("序号", 2.5),
    ("层级", 2.5),
    ("上级事项", 8.0),
    ("工作任务", 10.0),
    ("具体措施", 25.0),
    ("责任主体", 8.0),
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

/// A 完成时限 cell: each timing with its due dates, one per line.
fn timing_cell(timing: &[Timing]) -> String {
    timing
        .iter()
        .map(|t| {
            if t.due.is_empty() {
                t.text.clone()
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

/// The checklist rows of several documents (told apart by 来源).
pub fn rows(docs: &[Extracted]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for doc in docs {
        let index: std::collections::HashMap<&str, &Task> =
            doc.items.iter().map(|t| (t.id.as_str(), t)).collect();
        for task in &doc.items {
            let parent = task
                .parent
                .as_deref()
                .and_then(|p| index.get(p).copied())
                .map(|p| format!("{}{}", p.marker, p.title))
                .unwrap_or_default();
            out.push(vec![
                (out.len() + 1).to_string(),
                task.level.to_string(),
                parent,
                format!("{}{}", task.marker, task.title),
                task.measures.join("\n"),
                // Canonical terms, so that the sheet filters and groups by one spelling.
                normalize::list(&task.responsible).join("\n"),
                normalize::list(&task.targets).join("\n"),
                normalize::list(&task.methods).join("\n"),
                normalize::list(&task.areas).join("\n"),
                deadline_cell(task),
                task.regulations.join("\n"),
                taxonomy::name_of(&task.category).to_string(),
                source_cell(&doc.source, task),
                String::new(),
                "未启动".to_string(),
            ]);
        }
    }
    out
}

/// The checklist as a one-sheet workbook.
pub fn workbook(docs: &[Extracted]) -> Workbook {
    let title = match docs {
        [one] => format!("{}任务清单", one.title.trim_end_matches("任务清单")),
        _ => "任务清单".to_string(),
    };
    Workbook {
        sheets: vec![Sheet {
            name: "任务清单".to_string(),
            title,
            columns: COLUMNS.iter().map(|(h, w)| Column::new(h, *w)).collect(),
            rows: rows(docs),
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
                item.responsible.join("\n"),
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
            columns: COLUMNS.iter().map(|(h, w)| Column::new(h, *w)).collect(),
            rows: item_rows(items, &titles_by_id(docs)),
        }],
    }
}
