//! The field schema of an instrument (`fields.toml`): which fields it has, their Chinese
//! labels, kinds, defaults and choices, plus instrument-level settings (id, Chinese name,
//! 代字, fixed periods).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One line (or several paragraphs) of text.
    Text,
    /// A calendar date, printed `2022年3月5日`.
    Date,
    /// Several entries: an array, or a string split on newlines or `；`.
    List,
    /// A whole number.
    Integer,
    /// One of the field's `choices`.
    Choice,
    /// Several of the field's `choices` (split also on `、` and `，`).
    MultiChoice,
}

impl Kind {
    /// The kind in Chinese, for messages.
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::Text => "文字",
            Kind::Date => "日期",
            Kind::List => "多项列表",
            Kind::Integer => "整数",
            Kind::Choice => "单选项",
            Kind::MultiChoice => "多选项",
        }
    }
}

/// A condition on another field's value (`required_if = { field = "target_kind", equals = "领导干部" }`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The key of the other field.
    pub field: String,
    /// The value that makes the condition hold.
    pub equals: String,
}

/// One field of an instrument.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// ASCII key, also the template variable name.
    pub key: String,
    /// Chinese label, accepted in data files and as a column header.
    pub label: String,
    /// The kind of value.
    pub kind: Kind,
    /// Whether a value must be given (after defaults are applied).
    #[serde(default)]
    pub required: bool,
    /// Required only when another field has a given value.
    #[serde(default)]
    pub required_if: Option<Condition>,
    /// The value used when none is given.
    #[serde(default)]
    pub default: Option<toml::Value>,
    /// The key of another field whose value is used when none is given.
    #[serde(default)]
    pub default_from: Option<String>,
    /// The allowed values of a choice or multi-choice field.
    #[serde(default)]
    pub choices: Vec<String>,
    /// The key of a field whose value selects the allowed choices from `choices_for`.
    #[serde(default)]
    pub choices_by: Option<String>,
    /// Allowed choices per value of the `choices_by` field.
    #[serde(default)]
    pub choices_for: BTreeMap<String, Vec<String>>,
    /// Choices the issuer can only propose unless it is a Party committee (问责方式 组织调整,
    /// 组织处理 decided by a discipline commission).
    #[serde(default)]
    pub proposal_only: Vec<String>,
    /// Whether a text keeps its line breaks as paragraphs (情况说明); other texts and list
    /// entries are joined into one line.
    #[serde(default)]
    pub paragraphs: bool,
    /// A special format the value is normalized to: `doc-number` (发文字号: year in 〔〕,
    /// no 第, no leading zeros) or `copy-number` (份号: six digits).
    #[serde(default)]
    pub format: Option<String>,
    /// For a date: the key of a date field it should not precede (谈话日期 after 成文日期);
    /// an earlier date is a warning.
    #[serde(default)]
    pub not_before: Option<String>,
    /// Smallest allowed integer.
    #[serde(default)]
    pub min: Option<i64>,
    /// Largest allowed integer.
    #[serde(default)]
    pub max: Option<i64>,
    /// For a multi-choice: how the chosen values are worded in the text, group by group
    /// (`{}` stands for the chosen values of the group, joined with 、). The template gets
    /// the sentence as `{key}_decided_text` (the groups joined with ，, for the decided
    /// values) and the proposed values joined with 、 as `{key}_proposed_text`.
    #[serde(default)]
    pub phrases: Vec<Phrase>,
    /// Help text shown in examples and `templates show`.
    #[serde(default)]
    pub help: String,
    /// An example value for generated example data.
    #[serde(default)]
    pub example: Option<toml::Value>,
}

/// One group of a multi-choice field's wording (see [`Field::phrases`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Phrase {
    /// The choices worded together.
    pub choices: Vec<String>,
    /// The wording, `{}` standing for the chosen ones, e.g. `予以{}`.
    pub text: String,
}

impl Field {
    /// The chosen values in words, group by group in the order of [`Field::phrases`]
    /// (choices no group names are left out), joined with ，.
    pub fn phrase(&self, chosen: &[String]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for p in &self.phrases {
            let hits: Vec<&str> = chosen
                .iter()
                .filter(|c| p.choices.contains(c))
                .map(String::as_str)
                .collect();
            if !hits.is_empty() {
                parts.push(p.text.replace("{}", &hits.join("、")));
            }
        }
        parts.join("，")
    }

    /// The label in Chinese quotes, as messages name a field: `“谈话日期”`.
    pub fn quoted(&self) -> String {
        format!("“{}”", self.label)
    }
}

/// The schema of one instrument, as read from `fields.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// ASCII id, e.g. `talk-notice`.
    pub id: String,
    /// Chinese name, e.g. `谈话通知书`.
    pub name: String,
    /// The default 代字 for numbering, e.g. `纪谈` (giving `X纪谈〔2022〕5号`).
    #[serde(default)]
    pub code: String,
    /// The field whose value is the document's author (metadata); `issuer` by default.
    #[serde(default = "default_author_field")]
    pub author_field: String,
    /// The field whose value is the document's date (metadata); `issue_date` by default.
    #[serde(default = "default_date_field")]
    pub date_field: String,
    /// Fixed values passed to the template that data does not fill (e.g. `appeal_months = 1`).
    #[serde(default)]
    pub params: BTreeMap<String, toml::Value>,
    /// The fields in order.
    #[serde(default)]
    pub fields: Vec<Field>,
}

fn default_author_field() -> String {
    "issuer".to_string()
}

fn default_date_field() -> String {
    "issue_date".to_string()
}

/// The 1-based line of byte offset `at` in `text`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A name as compared with labels: spaces removed, half-width parentheses made full-width.
fn header_form(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

impl Schema {
    /// Parse and check a `fields.toml`; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Schema> {
        let schema: Schema = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let detail = e.message().trim().to_string();
            match line {
                Some(l) => Error::file(path, format!("第{l}行：字段定义格式有误（{detail}）")),
                None => Error::file(path, format!("字段定义格式有误（{detail}）")),
            }
        })?;
        schema.check().map_err(|m| Error::file(path, m))?;
        Ok(schema)
    }

    /// Consistency checks a TOML parser cannot do.
    fn check(&self) -> std::result::Result<(), String> {
        if self.id.trim().is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "文书编号 id“{}”只能由英文字母、数字、-、_组成",
                self.id
            ));
        }
        if self.name.trim().is_empty() {
            return Err("缺少文书名称 name".to_string());
        }
        let mut seen: Vec<&str> = Vec::new();
        for f in &self.fields {
            if f.key.is_empty() || !f.key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("字段键名“{}”只能由英文字母、数字、_组成", f.key));
            }
            if f.label.trim().is_empty() {
                return Err(format!("字段“{}”缺少中文名称 label", f.key));
            }
            for name in [f.key.as_str(), f.label.as_str()] {
                if seen.contains(&name) {
                    return Err(format!("字段名“{name}”重复"));
                }
                seen.push(name);
            }
            if let Some(fmt) = &f.format {
                if fmt != "doc-number" && fmt != "copy-number" {
                    return Err(format!(
                        "字段“{}”的 format“{fmt}”无效（可用：doc-number、copy-number）",
                        f.label
                    ));
                }
            }
            let is_choice = matches!(f.kind, Kind::Choice | Kind::MultiChoice);
            if is_choice && f.choices.is_empty() {
                return Err(format!(
                    "字段“{}”是选项类型，但没有列出可选项 choices",
                    f.label
                ));
            }
            if let Some(by) = &f.choices_by {
                if !self.fields.iter().any(|g| &g.key == by) {
                    return Err(format!(
                        "字段“{}”的 choices_by 指向不存在的字段“{by}”",
                        f.label
                    ));
                }
            }
            for (when, list) in &f.choices_for {
                for c in list {
                    if !f.choices.contains(c) {
                        return Err(format!(
                            "字段“{}”在“{when}”下的可选项“{c}”不在 choices 中",
                            f.label
                        ));
                    }
                }
            }
            for other in [
                f.default_from.as_deref(),
                f.required_if.as_ref().map(|c| c.field.as_str()),
                f.not_before.as_deref(),
            ]
            .into_iter()
            .flatten()
            {
                if !self.fields.iter().any(|g| g.key == other) {
                    return Err(format!("字段“{}”引用了不存在的字段“{other}”", f.label));
                }
            }
        }
        Ok(())
    }

    /// The field with this key or label, or a column header naming one (spaces, a trailing
    /// `*` or `（必填）` ignored).
    pub fn field(&self, key_or_label: &str) -> Option<&Field> {
        let name = header_form(key_or_label);
        let name = name.trim_end_matches(['*', '＊']);
        let name = name.strip_suffix("（必填）").unwrap_or(name);
        self.fields
            .iter()
            .find(|f| f.key == name || header_form(&f.label) == name)
            .or_else(|| {
                self.fields
                    .iter()
                    .find(|f| f.key.eq_ignore_ascii_case(name))
            })
    }

    /// The field with exactly this key.
    pub fn by_key(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}
