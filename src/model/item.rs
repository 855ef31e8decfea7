//! The supervision item (监督事项): the one normalized record the later stages use.
//!
//! An item is made from an extracted [`Task`]: its id is the task's id (a hash of the file
//! name and the item's place in the outline, so the same item in the same file keeps its id
//! across runs), its slot terms are normalized ([`super::normalize`]), its category comes from
//! the classifier with the classifier's confidence, and it names its sources. Items merged
//! across documents ([`super::merge`]) keep every source.

use super::{classifier, normalize, taxonomy};
use crate::extract::{Extracted, Task, Timing, Vocabulary};
use serde::Serialize;

/// Where an item comes from: file, paragraph and character span (page or row when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The file as named by the user.
    pub file: String,
    /// The id of the task in that file.
    pub task: String,
    /// Paragraph, counted from 1.
    pub paragraph: usize,
    /// Start, in characters of that paragraph.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// Page of a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Row of a spreadsheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
}

/// One supervision item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisionItem {
    /// Stable id: the id of its first source's task.
    pub id: String,
    /// Depth in its (first) document's outline, 1 = top.
    pub level: u8,
    /// Id of the enclosing item, when there is one.
    pub parent: Option<String>,
    /// The marker as written in its (first) document ("" for unnumbered items).
    pub marker: String,
    /// Category id of the taxonomy (`corpora/taxonomy.toml`).
    pub category: String,
    /// The category's Chinese name.
    pub category_name: String,
    /// Title (heading or lead phrase), characters normalized.
    pub title: String,
    /// 具体措施.
    pub measures: Vec<String>,
    /// 责任主体, canonical terms.
    pub responsible: Vec<String>,
    /// 牵头单位.
    pub lead: Vec<String>,
    /// 配合单位.
    pub support: Vec<String>,
    /// Duty formulas (主体责任, 一岗双责), canonical terms.
    pub duty: Vec<String>,
    /// 监督对象, canonical terms.
    pub targets: Vec<String>,
    /// 监督方式, canonical terms.
    pub methods: Vec<String>,
    /// 重点领域, canonical terms.
    pub areas: Vec<String>,
    /// 时限/频次 with due dates (`YYYY-MM-DD`).
    pub timing: Vec<Timing>,
    /// Regulations cited, with their 《》.
    pub regulations: Vec<String>,
    /// Every source (more than one after merging).
    pub sources: Vec<Source>,
    /// The classifier's probability for the category, 0–1.
    pub confidence: f64,
}

impl SupervisionItem {
    /// The item of one task of a document.
    pub fn from_task(v: &Vocabulary, source: &str, task: &Task) -> SupervisionItem {
        let (category, confidence) = if task.category.is_empty() {
            let p = classifier::predict(v, &task.title, &task.text);
            (p.category, p.confidence)
        } else {
            let c = classifier::confidence_of(v, &task.title, &task.text, &task.category);
            (task.category.clone(), c)
        };
        let mut timing: Vec<Timing> = Vec::new();
        for t in &task.timing {
            if !timing.iter().any(|x| x.text == t.text) {
                timing.push(t.clone());
            }
        }
        SupervisionItem {
            id: task.id.clone(),
            level: task.level,
            parent: task.parent.clone(),
            marker: task.marker.clone(),
            category_name: taxonomy::name_of(&category).to_string(),
            category,
            title: crate::text::normalize_chars(&task.title),
            measures: normalize::sentences(&task.measures),
            responsible: normalize::list(v, &task.responsible),
            lead: normalize::list(v, &task.lead),
            support: normalize::list(v, &task.support),
            duty: normalize::list(v, &task.duty),
            targets: normalize::list(v, &task.targets),
            methods: normalize::list(v, &task.methods),
            areas: normalize::list(v, &task.areas),
            timing,
            regulations: normalize::sentences(&task.regulations),
            sources: vec![Source {
                file: source.to_string(),
                task: task.id.clone(),
                paragraph: task.span.paragraph,
                start: task.span.start,
                end: task.span.end,
                page: task.page,
                row: task.row,
            }],
            confidence: (confidence * 1000.0).round() / 1000.0,
        }
    }

    /// Every due date of the item, sorted, without duplicates.
    pub fn due_dates(&self) -> Vec<String> {
        let mut d: Vec<String> = self.timing.iter().flat_map(|t| t.due.clone()).collect();
        d.sort();
        d.dedup();
        d
    }
}

/// The items of documents, in document order.
pub fn items(v: &Vocabulary, docs: &[Extracted]) -> Vec<SupervisionItem> {
    docs.iter()
        .flat_map(|d| {
            d.items
                .iter()
                .map(move |t| SupervisionItem::from_task(v, &d.source, t))
        })
        .collect()
}

/// The JSON Schema of [`SupervisionItem`] (draft 2020-12), written by hand so that it
/// carries Chinese descriptions and needs no schema crate.
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    let strings = |d: &str| json!({"type": "array", "items": {"type": "string"}, "description": d});
    let ids: Vec<&str> = taxonomy::categories()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let names: Vec<&str> = taxonomy::categories()
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let timing = json!({
        "type": "array",
        "description": "时限/频次及换算出的完成日期",
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["text", "due"],
            "properties": {
                "text": {"type": "string", "description": "原文写法，如 每半年"},
                "due": {"type": "array", "items": {"type": "string", "format": "date"},
                        "description": "完成日期 YYYY-MM-DD"},
                "recurring": {"type": "boolean",
                              "description": "为 true 时是周期性要求（每月、每季度等），日期为各次的时间点而非完成时限"}
            }
        }
    });
    let sources = json!({
        "type": "array",
        "minItems": 1,
        "description": "来源：文件、段落、字符位置",
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["file", "task", "paragraph", "start", "end"],
            "properties": {
                "file": {"type": "string", "description": "文件"},
                "task": {"type": "string", "description": "该文件中事项的 id"},
                "paragraph": {"type": "integer", "minimum": 1, "description": "段落，从 1 起"},
                "start": {"type": "integer", "minimum": 0, "description": "起始字符位置"},
                "end": {"type": "integer", "minimum": 0, "description": "结束字符位置（不含）"},
                "page": {"type": "integer", "minimum": 1, "description": "PDF 页码"},
                "row": {"type": "integer", "minimum": 1, "description": "表格行号"}
            }
        }
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://jiandu.local/schema/supervision-item.json",
        "title": "SupervisionItem 监督事项",
        "description": "jiandu 模型阶段的规范化监督事项：同一文件中的同一事项在多次运行中保持同一 id；合并后保留全部来源。",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "level", "parent", "marker", "category", "category_name", "title", "measures",
                     "responsible", "lead", "support", "duty", "targets", "methods", "areas", "timing", "regulations",
                     "sources", "confidence"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9]+(\\.[0-9]+)*$",
                   "description": "稳定编号：文件名哈希-大纲位置，如 1a2b3c4d-2.5"},
            "level": {"type": "integer", "minimum": 1, "description": "在原文大纲中的层级，1 为最高"},
            "parent": {"type": ["string", "null"], "description": "上级事项的 id"},
            "marker": {"type": "string", "description": "原文编号，如 （三）、1．；无编号为空"},
            "category": {"type": "string", "enum": ids, "description": "类别 id（corpora/taxonomy.toml）"},
            "category_name": {"type": "string", "enum": names, "description": "类别中文名"},
            "title": {"type": "string", "description": "工作任务（小标题或引领句，不含编号）"},
            "measures": strings("具体措施"),
            "responsible": strings("责任主体：原文写明承担此项的单位或人员（含牵头、配合单位）"),
            "lead": strings("牵头单位"),
            "support": strings("配合单位"),
            "duty": strings("所涉责任提法（规范提法），如 党委（党组）主体责任、一岗双责"),
            "targets": strings("监督对象（规范提法）"),
            "methods": strings("监督方式（规范提法）"),
            "areas": strings("重点领域（规范提法）"),
            "timing": timing,
            "regulations": strings("所依据的制度，带书名号"),
            "sources": sources,
            "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                           "description": "分类器对类别的置信度"}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_every_field_of_the_record() {
        let schema = json_schema();
        let props = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let task = Task {
            id: "0000abcd-1.2".into(),
            level: 2,
            marker: "2．".into(),
            title: "压实”两个责任”".into(),
            parent: Some("0000abcd-1".into()),
            text: "压实”两个责任”。压实党组主体责任，督促党组主体责任落实。".into(),
            measures: vec!["督促党组主体责任落实".into()],
            responsible: vec!["党组".into()],
            lead: vec![],
            support: vec![],
            duty: vec!["党组主体责任".into(), "党委（党组）主体责任".into()],
            inherited: false,
            targets: vec![],
            methods: vec![],
            areas: vec![],
            timing: vec![],
            regulations: vec![],
            is_task: true,
            category: String::new(),
            candidates: vec![],
            span: crate::extract::Span {
                paragraph: 3,
                start: 0,
                end: 20,
            },
            tokens: Vec::new(),
            page: None,
            row: None,
        };
        let item = SupervisionItem::from_task(Vocabulary::builtin(), "a.txt", &task);
        let v = serde_json::to_value(&item).unwrap_or_default();
        let obj = v.as_object().cloned().unwrap_or_default();
        let mut keys: Vec<&String> = obj.keys().collect();
        let mut schema_keys: Vec<&String> = props.keys().collect();
        keys.sort();
        schema_keys.sort();
        assert_eq!(keys, schema_keys);
        assert_eq!(item.id, "0000abcd-1.2");
        assert_eq!(item.title, "压实“两个责任”");
        assert_eq!(item.responsible, vec!["党组"]);
        assert_eq!(item.duty, vec!["党委（党组）主体责任"]);
        assert_eq!(item.category, "responsibility");
        assert!(item.confidence > 0.0 && item.confidence <= 1.0);
        assert_eq!(item.sources[0].paragraph, 3);
    }
}
