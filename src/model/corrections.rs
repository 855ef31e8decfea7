//! A clerk's corrections to what was read from a plan: a cell set by hand (工作任务,
//! 责任单位, 牵头/配合, 完成时限, 类别, 具体措施) or a row marked as no task. Kept as a list
//! beside the plan and applied to a fresh reading, so that the reading can improve and the
//! corrections still stand.

use crate::error::{Error, Result};
use crate::extract::{timing, Extracted, Task, Vocabulary};
use crate::model::taxonomy;
use serde::{Deserialize, Serialize};

/// The cell a correction sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 工作任务 (the title, without its marker).
    Title,
    /// 具体措施, one per line.
    Measures,
    /// 责任单位 (all doers), separated by 、，; or line breaks.
    Responsible,
    /// 牵头单位.
    Lead,
    /// 配合单位.
    Support,
    /// 完成时限, as written ("6月底前", "每季度"); dates are read from it.
    Deadline,
    /// 类别, by name or id; "" or 待定 for undecided.
    Category,
    /// The row is no task ("1"/"是"/"true"), or is one again ("0"/"否"/"false").
    NotTask,
}

impl Field {
    /// The column's name as the checklist shows it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "工作任务",
            Field::Measures => "具体措施",
            Field::Responsible => "责任单位",
            Field::Lead => "牵头单位",
            Field::Support => "配合单位",
            Field::Deadline => "完成时限",
            Field::Category => "类别",
            Field::NotTask => "不是任务",
        }
    }
}

/// One correction: the task (by its id in the extraction), the cell, the new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The task's id (`Task::id`).
    pub task: String,
    /// The cell.
    pub field: Field,
    /// The value as the clerk typed it.
    pub value: String,
}

/// Split a typed list on 、，,；; and line breaks.
fn list(value: &str) -> Vec<String> {
    value
        .split(['、', '，', ',', '；', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a typed yes/no means yes; `None` when it is neither.
fn yes(value: &str) -> Option<bool> {
    match value.trim() {
        "1" | "是" | "true" | "yes" | "对" => Some(true),
        "0" | "否" | "false" | "no" | "" => Some(false),
        _ => None,
    }
}

/// Check a correction against a document before keeping it: the task exists and the value
/// is one the cell takes. The error says which row and cell, in Chinese.
pub fn check(doc: &Extracted, c: &Correction) -> Result<()> {
    let Some(task) = doc.items.iter().find(|t| t.id == c.task) else {
        return Err(Error::msg(format!(
            "没有编号为 {} 的条目（文件可能已重新读取）",
            c.task
        )));
    };
    let at = || {
        format!(
            "“{}{}”的{}",
            task.marker,
            short(&task.title),
            c.field.label()
        )
    };
    match c.field {
        Field::Title if c.value.trim().is_empty() => Err(Error::msg(format!("{}不能为空", at()))),
        Field::Category if category_id(&c.value).is_none() => Err(Error::msg(format!(
            "{}“{}”不在分类中，可选：{}",
            at(),
            c.value.trim(),
            taxonomy::categories()
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        ))),
        Field::NotTask if yes(&c.value).is_none() => Err(Error::msg(format!(
            "{}应为“是”或“否”，收到的是“{}”",
            at(),
            c.value
        ))),
        _ => Ok(()),
    }
}

/// The first characters of a title, for messages.
fn short(title: &str) -> String {
    let mut s: String = title.chars().take(16).collect();
    if title.chars().count() > 16 {
        s.push('…');
    }
    s
}

/// The category id a typed value names: `Some("")` for 待定 or blank.
fn category_id(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || v == "待定" {
        return Some(String::new());
    }
    taxonomy::categories()
        .iter()
        .find(|c| c.name == v || c.id == v)
        .map(|c| c.id.clone())
}

/// Apply corrections in order (a later one of the same cell wins). Corrections of tasks the
/// document no longer has, or with values the cell does not take, are skipped and given
/// back, so that nothing is applied half.
pub fn apply(v: &Vocabulary, doc: &mut Extracted, corrections: &[Correction]) -> Vec<Correction> {
    let mut skipped = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    for c in corrections {
        if check(doc, c).is_err() {
            skipped.push(c.clone());
            continue;
        }
        let year = doc.year;
        let Some(task) = doc.items.iter_mut().find(|t| t.id == c.task) else {
            continue;
        };
        set(v, task, c, year);
        if c.field == Field::NotTask {
            match yes(&c.value) {
                Some(true) if !dropped.contains(&c.task) => dropped.push(c.task.clone()),
                Some(false) => dropped.retain(|d| d != &c.task),
                _ => {}
            }
        }
    }
    // Rows that are no task leave the list; items under them move up to their parent.
    for id in &dropped {
        let Some(at) = doc.items.iter().position(|t| &t.id == id) else {
            continue;
        };
        let gone = doc.items.remove(at);
        for t in &mut doc.items {
            if t.parent.as_deref() == Some(id.as_str()) {
                t.parent = gone.parent.clone();
                t.level = t.level.saturating_sub(1).max(1);
            }
        }
    }
    skipped
}

/// Set one cell of a task.
fn set(v: &Vocabulary, task: &mut Task, c: &Correction, year: Option<i32>) {
    let value = c.value.trim();
    match c.field {
        Field::Title => task.title = value.to_string(),
        Field::Measures => {
            task.measures = value
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        }
        Field::Responsible => {
            task.responsible = list(value);
            task.inherited = false;
        }
        Field::Lead => {
            task.lead = list(value);
            add_doers(task);
        }
        Field::Support => {
            task.support = list(value);
            add_doers(task);
        }
        Field::Deadline => {
            let found = timing::find_in_cell(v, value, year);
            task.timing = if found.is_empty() && !value.is_empty() {
                vec![timing::Timing::new(value, Vec::new())]
            } else {
                found
            };
        }
        Field::Category => {
            task.category = category_id(value).unwrap_or_default();
            task.candidates.clear();
        }
        Field::NotTask => {}
    }
}

/// Every 牵头 and 配合 unit is also one of the 责任单位.
fn add_doers(task: &mut Task) {
    for u in task.lead.iter().chain(&task.support) {
        if !task.responsible.contains(u) {
            task.responsible.push(u.clone());
        }
    }
    task.inherited = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Extracted {
        let text = "某县纪委监委2025年工作要点\n一、强化政治监督\n（一）开展专项监督。县纪委监委牵头，6月底前完成。\n（二）加强日常监督。各派驻纪检监察组负责。\n二、深化作风建设\n";
        let doc = crate::intake::Document {
            source: "要点.txt".to_string(),
            blocks: crate::intake::txt::read(text.as_bytes()).expect("text"),
        };
        crate::model::plan_of(Vocabulary::builtin(), &doc, None)
    }

    fn fix(task: &str, field: Field, value: &str) -> Correction {
        Correction {
            task: task.to_string(),
            field,
            value: value.to_string(),
        }
    }

    #[test]
    fn cells_are_set_and_rows_dropped() {
        let mut doc = plan();
        assert_eq!(doc.items.len(), 4, "{:#?}", doc.items);
        let second = doc.items[1].id.clone();
        let third = doc.items[2].id.clone();
        let head = doc.items[0].id.clone();
        let skipped = apply(
            Vocabulary::builtin(),
            &mut doc,
            &[
                fix(&second, Field::Responsible, "县纪委监委、县委组织部"),
                fix(&second, Field::Deadline, "9月底前"),
                fix(&second, Field::Category, "作风建设"),
                fix(&third, Field::NotTask, "是"),
                fix("nope-1", Field::Title, "x"),
                fix(&head, Field::Category, "没有这类"),
            ],
        );
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(doc.items.len(), 3);
        let t = &doc.items[1];
        assert_eq!(t.responsible, ["县纪委监委", "县委组织部"]);
        assert_eq!(t.timing[0].text, "9月底前");
        assert_eq!(t.timing[0].due, ["2025-09-30"]);
        assert_eq!(taxonomy::name_of(&t.category), "作风建设");
        assert!(doc.items.iter().all(|t| t.id != third));
    }

    #[test]
    fn check_names_the_row_and_the_cell() {
        let doc = plan();
        let id = doc.items[1].id.clone();
        let e = check(&doc, &fix(&id, Field::Category, "没有这类")).unwrap_err();
        assert!(
            e.to_string()
                .contains("“（一）开展专项监督”的类别“没有这类”不在分类中"),
            "{e}"
        );
        let e = check(&doc, &fix(&id, Field::Title, " ")).unwrap_err();
        assert!(e.to_string().contains("工作任务不能为空"), "{e}");
    }
}
