//! Data for filling an instrument: read from JSON or TOML files (or built by a batch from
//! spreadsheet rows), kept as typed-as-given values until validation interprets them
//! against the schema.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

use super::schema::{line_of, Schema};

/// A value as given in a data file, before it is interpreted by the field's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// A string.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction.
    Float(f64),
    /// true / false.
    Bool(bool),
    /// A TOML date (year, month, day) as the parser gave it, not yet checked.
    Date(i32, u32, u32),
    /// An array.
    List(Vec<Raw>),
    /// A table / object, which no field accepts.
    Table,
    /// JSON null: treated as not given.
    Null,
}

impl Raw {
    /// Whether this counts as "not given": null, an empty string, an empty array.
    pub fn is_empty(&self) -> bool {
        match self {
            Raw::Null => true,
            Raw::Text(s) => s.trim().is_empty(),
            Raw::List(v) => v.iter().all(Raw::is_empty),
            _ => false,
        }
    }

    /// A JSON value as given (null is not given).
    pub fn from_json(v: &serde_json::Value) -> Raw {
        use serde_json::Value as J;
        match v {
            J::Null => Raw::Null,
            J::Bool(b) => Raw::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Raw::Integer(i),
                None => Raw::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Raw::Text(s.clone()),
            J::Array(a) => Raw::List(a.iter().map(Raw::from_json).collect()),
            J::Object(_) => Raw::Table,
        }
    }

    /// Convert a TOML value.
    pub fn from_toml(v: &toml::Value) -> Raw {
        use toml::Value as T;
        match v {
            T::String(s) => Raw::Text(s.clone()),
            T::Integer(i) => Raw::Integer(*i),
            T::Float(f) => Raw::Float(*f),
            T::Boolean(b) => Raw::Bool(*b),
            T::Datetime(dt) => match dt.date {
                Some(d) => Raw::Date(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
                None => Raw::Text(dt.to_string()),
            },
            T::Array(a) => Raw::List(a.iter().map(Raw::from_toml).collect()),
            T::Table(_) => Raw::Table,
        }
    }
}

/// Names in a data file that choose the instrument rather than fill a field.
pub const INSTRUMENT_KEYS: [&str; 2] = ["instrument", "文书"];

/// The values for one instrument: field names (keys or labels, as written) with their
/// values, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    /// The file the data came from, for messages.
    pub source: Option<PathBuf>,
    /// `(name, value)` pairs in the order given.
    pub entries: Vec<(String, Raw)>,
}

impl Data {
    /// Empty data.
    pub fn new() -> Data {
        Data::default()
    }

    /// Add or replace a value (a later value for the same name replaces the earlier one).
    pub fn set(&mut self, name: impl Into<String>, value: Raw) {
        let name = name.into();
        if let Some(e) = self.entries.iter_mut().find(|(n, _)| *n == name) {
            e.1 = value;
        } else {
            self.entries.push((name, value));
        }
    }

    /// The value given under exactly this name.
    pub fn get(&self, name: &str) -> Option<&Raw> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The instrument named in the data (`instrument = "谈话通知书"`), if any.
    pub fn instrument(&self) -> Option<&str> {
        INSTRUMENT_KEYS.iter().find_map(|k| match self.get(k) {
            Some(Raw::Text(s)) => Some(s.trim()),
            _ => None,
        })
    }

    /// Parse JSON text: one object whose members are fields.
    pub fn from_json(text: &str) -> Result<Data> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::msg(format!(
                "第{}行第{}列：不是有效的JSON（{}）",
                e.line(),
                e.column(),
                json_reason(&e)
            ))
        })?;
        let serde_json::Value::Object(map) = v else {
            return Err(Error::msg(
                "JSON数据应是一个对象，如 {\"姓名\": \"张三\"}".to_string(),
            ));
        };
        let entries = map
            .iter()
            .map(|(k, v)| (k.clone(), Raw::from_json(v)))
            .collect();
        Ok(Data {
            source: None,
            entries,
        })
    }

    /// Parse TOML text: top-level keys are fields. A Chinese field name may be written
    /// without quotes (`姓名 = "张三"`), as clerks do: TOML wants it quoted, so such keys
    /// are quoted before parsing.
    pub fn from_toml(text: &str) -> Result<Data> {
        let quoted = quote_bare_keys(text);
        let text: &str = &quoted;
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let detail = toml_reason(e.message());
            match e.span() {
                Some(s) => {
                    let line = line_of(text, s.start);
                    let shown = text.lines().nth(line - 1).unwrap_or("").trim();
                    Error::msg(format!("第{line}行“{shown}”：{detail}"))
                }
                None => Error::msg(format!("不是有效的数据文件：{detail}")),
            }
        })?;
        // toml::Table is sorted by key; keep the file order by looking the keys up in the text.
        let mut entries: Vec<(usize, String, Raw)> = table
            .iter()
            .map(|(k, v)| {
                (
                    text.find(k.as_str()).unwrap_or(usize::MAX),
                    k.clone(),
                    Raw::from_toml(v),
                )
            })
            .collect();
        entries.sort_by_key(|e| e.0);
        Ok(Data {
            source: None,
            entries: entries.into_iter().map(|(_, k, v)| (k, v)).collect(),
        })
    }
}

/// Quote the bare keys with characters outside ASCII (`姓名 = …` → `"姓名" = …`), outside
/// multi-line strings. Other lines are kept as they are, so line numbers do not move.
fn quote_bare_keys(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut open: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let mut line_out = Cow::Borrowed(line);
        if open.is_none() {
            let body = line.trim_start();
            if let Some(eq) = body.find('=') {
                let key = body[..eq].trim_end();
                let bare = !key.is_empty()
                    && !key.is_ascii()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
                if bare {
                    let indent = &line[..line.len() - body.len()];
                    line_out = Cow::Owned(format!("{indent}\"{key}\"{}", &body[key.len()..]));
                }
            }
        }
        // Track multi-line strings: a line inside one is text, not a key.
        for delim in ["\"\"\"", "'''"] {
            if line.matches(delim).count() % 2 == 1 {
                open = match open {
                    Some(d) if d == delim => None,
                    None => Some(delim),
                    other => other,
                };
            }
        }
        out.push_str(&line_out);
    }
    Cow::Owned(out)
}

/// A TOML parser message in plain Chinese.
fn toml_reason(message: &str) -> String {
    let m = message.to_ascii_lowercase();
    let reason = if m.contains("duplicate key") {
        "字段重复：同一个字段写了两次"
    } else if m.contains("unquoted key") || m.contains("invalid key") {
        "字段名写法不对：字段名用中文名称或英文键名，后面跟“=”和内容，如 姓名 = \"张三\""
    } else if m.contains("string") || m.contains("unterminated") {
        "引号没有配对或内容没加引号：文字内容要用英文双引号括起来，如 姓名 = \"张三\"；多行文字用三个双引号"
    } else if m.contains("integer") || m.contains("float") || m.contains("number") {
        "数字写法不对：整数直接写（如 15），其他内容加英文双引号"
    } else if m.contains("date") || m.contains("time") {
        "日期写法不对：日期加英文双引号写，如 \"2022年3月5日\" 或 \"2022-03-05\""
    } else if m.contains("array") {
        "多项内容写法不对：写成 [\"第一项\", \"第二项\"]，方括号和逗号用英文符号"
    } else if m.contains("table") {
        "方括号标题写法不对，或同一个标题写了两次"
    } else {
        "每行应为 字段名 = \"内容\"，内容加英文双引号，引号、方括号、逗号用英文符号"
    };
    reason.to_string()
}

fn json_reason(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "文件意外结束，可能缺少括号或引号",
        Category::Syntax => "语法错误，请检查逗号、引号和括号",
        Category::Data => "数据类型不对",
        Category::Io => "读取失败",
    }
}

/// Read a data file: `.json`, or `.toml` (any other extension is tried as TOML, then JSON).
pub fn load_data(path: &Path) -> Result<Data> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::file(path, "不是UTF-8编码的文本，请用UTF-8保存后再试"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    let data = match ext.as_deref() {
        Some("json") => Data::from_json(text),
        Some("toml") => Data::from_toml(text),
        _ if text.trim_start().starts_with('{') => Data::from_json(text),
        _ => Data::from_toml(text),
    };
    let mut data = data.map_err(|e| e.with_path(path))?;
    data.source = Some(path.to_path_buf());
    Ok(data)
}

/// Apply one batch row over shared values: every non-empty value of `row` replaces the
/// shared value of the same field, whether either names the field by key or by label.
/// Names that are no field of the schema are kept as given (validation warns about them).
pub fn apply_row(schema: &Schema, shared: &Data, row: &Data) -> Data {
    let canon = |name: &str| -> String {
        schema
            .field(name)
            .map(|f| f.key.clone())
            .unwrap_or_else(|| name.trim().to_string())
    };
    let mut out = Data {
        source: row.source.clone().or_else(|| shared.source.clone()),
        entries: Vec::new(),
    };
    for (name, value) in &shared.entries {
        out.set(canon(name), value.clone());
    }
    for (name, value) in &row.entries {
        if !value.is_empty() {
            out.set(canon(name), value.clone());
        }
    }
    out
}

/// Read one value written as a date (see [`crate::date::parse`]).
pub use crate::date::parse as parse_date;
/// A calendar date of a field (the one date type of the project).
pub use crate::date::Day as Date;
/// What one value written as a date is.
pub use crate::date::Parsed as DateParse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keeps_file_order_and_dates() {
        let d =
            Data::from_toml("\"姓名\" = \"张三\"\ndate = 2022-03-05\nmatters = [\"a\", \"b\"]\n")
                .unwrap();
        let names: Vec<&str> = d.entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["姓名", "date", "matters"]);
        assert_eq!(d.get("date"), Some(&Raw::Date(2022, 3, 5)));
    }

    #[test]
    fn bad_files_give_chinese_errors_with_lines() {
        let e = Data::from_toml("a = 1\nb = \n").unwrap_err();
        assert!(e.message.starts_with("第2行“b =”："), "{}", e.message);
        // A bare Chinese key is accepted, as clerks write it; multi-line strings are text.
        let d = Data::from_toml("姓名 = \"张三\"\n  谈话事由 = '''\n说明 = 不是键\n'''\n").unwrap();
        assert_eq!(d.get("姓名"), Some(&Raw::Text("张三".into())));
        assert_eq!(
            d.get("谈话事由"),
            Some(&Raw::Text("说明 = 不是键\n".into()))
        );
        assert!(d.get("说明").is_none());
        // Errors are Chinese, with the line as written, and no parser English.
        let e = Data::from_toml("姓名 = 张三\n").unwrap_err();
        assert!(
            e.message.starts_with("第1行“\"姓名\" = 张三”：") && e.message.contains("英文双引号"),
            "{}",
            e.message
        );
        let e = Data::from_toml("a = 1\na = 2\n").unwrap_err();
        assert!(e.message.contains("字段重复"), "{}", e.message);
        for bad in [
            "a = \"x\n",
            "a = [1,\n",
            "a = 1980-13-45\n",
            "= 1\n",
            "[x\n",
        ] {
            let e = Data::from_toml(bad).unwrap_err();
            assert!(
                !e.message
                    .chars()
                    .any(|c| c.is_ascii_lowercase() && !bad.contains(c)),
                "{bad:?}: {}",
                e.message
            );
        }
        let e = Data::from_json("{\n\"a\": 1,\n}").unwrap_err();
        assert!(e.message.starts_with("第3行"), "{}", e.message);
        let e = Data::from_json("[1]").unwrap_err();
        assert!(e.message.contains("对象"), "{}", e.message);
    }

    #[test]
    fn load_data_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.json");
        std::fs::write(&p, "{\"姓名\": \"张三\", \"x\": null}").unwrap();
        let d = load_data(&p).unwrap();
        assert_eq!(d.get("姓名"), Some(&Raw::Text("张三".into())));
        assert_eq!(d.source.as_deref(), Some(p.as_path()));
        let missing = dir.path().join("none.toml");
        let e = load_data(&missing).unwrap_err();
        assert_eq!(e.path.as_deref(), Some(missing.as_path()));
        assert!(e.message.contains("不存在"));
        std::fs::write(&p, "{\"姓名\": }").unwrap();
        let e = load_data(&p).unwrap_err();
        assert_eq!(e.path.as_deref(), Some(p.as_path()));
        assert!(e.message.contains("JSON"));
    }
}
