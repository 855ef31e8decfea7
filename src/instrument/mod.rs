//! Stage: instrument — templates, field schemas, data loading, validation, and filling into
//! the one document model ([`crate::render::model::Document`]).
//!
//! Each instrument is a folder with `fields.toml` (the schema: fields, labels, kinds,
//! defaults, 代字, fixed periods) and `template.tera` (the wording, rendered to the line form
//! described in [`lines`]). The four built-in instruments are embedded in the binary;
//! [`load`] reads a user's folder of the same layout instead, and [`export`] writes the
//! built-ins out for editing.
//!
//! Flow: [`load_data`] → [`validate()`] (all problems at once, Chinese, by field label) →
//! [`fill()`] → `Document`.

pub mod batch;
pub mod cn_names;
pub mod data;
pub mod entry;
pub mod fill;
pub mod lines;
pub mod names;
pub mod numbering;
pub mod remind;
pub mod rows;
pub mod schema;
pub mod validate;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use data::{apply_row, load_data, parse_date, Data, Date, DateParse, Raw};
pub use fill::fill;
pub use schema::{Field, Kind, Schema};
pub use validate::{is_party_committee, normalize_doc_number, Draw, Problem, Report, Value};

/// A document number (发文字号) per GB/T 9704: `prefix` (the office's short name, e.g. `青`),
/// the 代字 `code`, the full year in 〔〕, the serial without 第 or leading zeros:
/// `number("青", "纪谈", 2022, 5)` is `青纪谈〔2022〕5号`.
pub fn number(prefix: &str, code: &str, year: i32, serial: u32) -> String {
    format!("{}{}〔{year}〕{serial}号", prefix.trim(), code.trim())
}

/// The built-in instruments: (id, fields.toml, template.tera).
const BUILTIN: [(&str, &str, &str); 5] = [
    (
        "talk-notice",
        include_str!("../../templates/talk-notice/fields.toml"),
        include_str!("../../templates/talk-notice/template.tera"),
    ),
    (
        "inquiry-notice",
        include_str!("../../templates/inquiry-notice/fields.toml"),
        include_str!("../../templates/inquiry-notice/template.tera"),
    ),
    (
        "recommendation",
        include_str!("../../templates/recommendation/fields.toml"),
        include_str!("../../templates/recommendation/template.tera"),
    ),
    (
        "accountability-decision",
        include_str!("../../templates/accountability-decision/fields.toml"),
        include_str!("../../templates/accountability-decision/template.tera"),
    ),
    (
        "supervise-notice",
        include_str!("../../templates/supervise-notice/fields.toml"),
        include_str!("../../templates/supervise-notice/template.tera"),
    ),
];

/// What [`write()`] made of one instrument's data.
#[derive(Debug, Clone)]
pub struct Written {
    /// The check of the data: with errors, nothing was written.
    pub report: Report,
    /// The files written, with their sizes and hashes for the 文书台账.
    pub files: Vec<crate::model::ledger::IssuedFile>,
}

impl Written {
    /// An error listing the check's errors, when it found any.
    pub fn check(&self) -> Result<()> {
        if self.report.errors.is_empty() {
            return Ok(());
        }
        let all: Vec<&str> = self
            .report
            .errors
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        Err(Error::msg(format!(
            "数据有 {} 处问题，没有生成文件：{}",
            all.len(),
            all.join("；")
        )))
    }
}

/// Check, fill and write one instrument's data to each output (its format by extension),
/// each file whole or not at all. Nothing is written when the check finds an error.
pub fn write(
    inst: &Instrument,
    data: &Data,
    outs: &[PathBuf],
    fonts: &crate::render::Fonts,
) -> Result<Written> {
    let report = validate(inst, data, &batch::can_draw(fonts));
    let mut files = Vec::new();
    if report.errors.is_empty() {
        let doc = fill(inst, data)?;
        for out in outs {
            let bytes = crate::render::OutKind::of_path(out)?.write(&doc, fonts)?;
            crate::render::write_atomic(out, &bytes)?;
            let full = std::fs::canonicalize(out).unwrap_or_else(|_| out.clone());
            files.push(crate::model::ledger::IssuedFile::of(
                &full.to_string_lossy(),
                &bytes,
            ));
        }
    }
    Ok(Written { report, files })
}

/// The explanation of the folder layout, written by [`export`] beside the instruments.
const README: &str = include_str!("../../templates/README.md");

/// File name of the schema in an instrument folder.
pub const FIELDS_FILE: &str = "fields.toml";
/// File name of the template in an instrument folder.
pub const TEMPLATE_FILE: &str = "template.tera";

/// One instrument: its schema and its compiled template.
#[derive(Debug, Clone)]
pub struct Instrument {
    /// The field schema.
    pub schema: Schema,
    /// The template source (tera).
    pub template: String,
    /// Where the template came from (`talk-notice/template.tera` for a built-in, the file path
    /// for a user's), as messages name it.
    pub template_name: String,
    tera: tera::Tera,
    /// The Chinese names replaced in the template's tags, for messages.
    names: cn_names::Names,
}

impl Instrument {
    /// Build an instrument from the texts of its two files; the paths name them in errors.
    pub fn from_sources(
        fields: &str,
        fields_path: &Path,
        template: &str,
        template_path: &Path,
    ) -> Result<Instrument> {
        let schema = Schema::parse(fields, fields_path)?;
        let template_name = template_path.display().to_string();
        let (source, names) = cn_names::to_keys(template, &schema);
        let tera = fill::engine(&template_name, &source).map_err(|e| {
            let detail = fill::tera_detail(&e);
            let why = fill::explain_tera(&detail, &names);
            match fill::tera_line(&detail) {
                Some(line) => {
                    let text = template.lines().nth(line.saturating_sub(1)).unwrap_or("");
                    let shown = match text.trim() {
                        "" => String::new(),
                        t => format!("“{t}”"),
                    };
                    Error::file(
                        template_path,
                        format!("第{line}行{shown}：模板语法错误，{why}"),
                    )
                }
                None => Error::file(template_path, format!("模板语法错误，{why}")),
            }
        })?;
        Ok(Instrument {
            schema,
            template: template.to_string(),
            template_name,
            tera,
            names,
        })
    }

    /// ASCII id, e.g. `talk-notice`.
    pub fn id(&self) -> &str {
        &self.schema.id
    }

    /// Chinese name, e.g. `谈话通知书`.
    pub fn name(&self) -> &str {
        &self.schema.name
    }

    /// The 代字 used for numbering, e.g. `纪谈`.
    pub fn code(&self) -> &str {
        &self.schema.code
    }

    /// The 代字 a number is given with: the one written (`--number 青纪督`), or this
    /// template's when none is.
    pub fn number_code<'a>(&'a self, written: &'a str) -> &'a str {
        match written.trim() {
            "" => self.code(),
            code => code,
        }
    }

    /// The field a spreadsheet column header (or a data key) names: key or label.
    pub fn field_by_header(&self, header: &str) -> Option<&Field> {
        self.schema.field(header)
    }

    /// Whether `id_or_name` names this instrument (id, Chinese name, case and spaces ignored).
    pub fn is_named(&self, id_or_name: &str) -> bool {
        let n: String = id_or_name.chars().filter(|c| !c.is_whitespace()).collect();
        n.eq_ignore_ascii_case(&self.schema.id) || n == self.schema.name
    }
}

/// Sample data for each built-in instrument (`corpora/samples/`), bundled for `jiandu demo`
/// and used by the tests.
pub const SAMPLES: [(&str, &str); 5] = [
    (
        "talk-notice",
        include_str!("../../corpora/samples/talk-notice.toml"),
    ),
    (
        "inquiry-notice",
        include_str!("../../corpora/samples/inquiry-notice.toml"),
    ),
    (
        "recommendation",
        include_str!("../../corpora/samples/recommendation.toml"),
    ),
    (
        "accountability-decision",
        include_str!("../../corpora/samples/accountability-decision.toml"),
    ),
    (
        "supervise-notice",
        include_str!("../../corpora/samples/supervise-notice.toml"),
    ),
];

/// The built-in instruments, in the contract's order (the four of the first contract, then
/// the 督办通知书 that `jiandu ledger remind` drafts).
pub fn builtin() -> Vec<Instrument> {
    BUILTIN
        .iter()
        .filter_map(|(id, fields, template)| {
            let dir = Path::new(id);
            let built = Instrument::from_sources(
                fields,
                &dir.join(FIELDS_FILE),
                template,
                &dir.join(TEMPLATE_FILE),
            );
            // The built-in templates are compiled in and tested (`builtin_templates_all_load`):
            // one that fails is a bug of this program, not of the user's data.
            debug_assert!(built.is_ok(), "built-in {id}: {:?}", built.as_ref().err());
            built.ok()
        })
        .collect()
}

fn not_found(id_or_name: &str, list: &[Instrument]) -> Error {
    let names: Vec<String> = list
        .iter()
        .map(|i| format!("{}（{}）", i.name(), i.id()))
        .collect();
    Error::msg(format!(
        "没有名为“{}”的文书，可用的有：{}",
        id_or_name.trim(),
        names.join("、")
    ))
}

/// A built-in instrument by id or Chinese name.
pub fn find(id_or_name: &str) -> Result<Instrument> {
    let all = builtin();
    match all.iter().position(|i| i.is_named(id_or_name)) {
        Some(k) => Ok(all[k].clone()),
        None => Err(not_found(id_or_name, &all)),
    }
}

/// An instrument from a loaded list by id or Chinese name.
pub fn find_in<'a>(list: &'a [Instrument], id_or_name: &str) -> Result<&'a Instrument> {
    list.iter()
        .find(|i| i.is_named(id_or_name))
        .ok_or_else(|| not_found(id_or_name, list))
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::file(path, "不是UTF-8编码的文本，请用UTF-8保存后再试"))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// The instruments: the built-ins, or with `dir` a user's template folder (one subfolder
/// per instrument holding `fields.toml` and `template.tera`). An instrument in the folder
/// replaces the built-in of the same id; built-ins the folder lacks stay available; new ids
/// are added. A subfolder with only one of the two files, an unreadable file, a broken
/// schema or a template syntax error is an error naming the file.
pub fn load(dir: Option<&Path>) -> Result<Vec<Instrument>> {
    let mut all = builtin();
    let Some(dir) = dir else { return Ok(all) };
    if dir.exists() && !dir.is_dir() {
        return Err(Error::file(dir, "这是一个文件，不是模板文件夹"));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut found = 0;
    for folder in folders {
        let fields = folder.join(FIELDS_FILE);
        let template = folder.join(TEMPLATE_FILE);
        if !fields.exists() && !template.exists() {
            continue;
        }
        for p in [&fields, &template] {
            if !p.exists() {
                return Err(Error::file(
                    p,
                    "缺少这个文件：每个文书文件夹都应有 fields.toml 和 template.tera",
                ));
            }
        }
        let inst = Instrument::from_sources(
            &read_text(&fields)?,
            &fields,
            &read_text(&template)?,
            &template,
        )?;
        found += 1;
        match all.iter().position(|i| i.id() == inst.id()) {
            Some(k) => all[k] = inst,
            None => all.push(inst),
        }
    }
    if found == 0 {
        return Err(Error::file(
            dir,
            "文件夹中没有文书模板：每个文书应是一个子文件夹，内有 fields.toml 和 template.tera（可用 jiandu templates export 导出内置模板作为起点）",
        ));
    }
    Ok(all)
}

/// Write the built-in templates into `dir` (one subfolder per instrument, and a README.md
/// explaining the layout in Chinese) for editing.
/// Refuses, before writing anything, if any of the files already exists. Returns the files
/// written.
pub fn export(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::file(dir, "这是一个文件，不是文件夹"));
    }
    let mut files = vec![(dir.join("README.md"), README)];
    for (id, fields, template) in BUILTIN {
        files.push((dir.join(id).join(FIELDS_FILE), fields));
        files.push((dir.join(id).join(TEMPLATE_FILE), template));
    }
    if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(Error::file(
            p,
            "文件已存在，为避免覆盖未导出任何模板；请换一个空文件夹",
        ));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, &e))?;
        written.push(path);
    }
    Ok(written)
}

/// The checked values of `data` for `inst`, by field key (defaults applied, dates parsed),
/// or the report of its problems when there is an error.
pub fn values(
    inst: &Instrument,
    data: &Data,
) -> std::result::Result<std::collections::BTreeMap<String, Value>, Report> {
    let (res, report) = validate::resolve(&inst.schema, data, &|_| Draw::Own);
    if report.errors.is_empty() {
        Ok(res.values)
    } else {
        Err(report)
    }
}

/// Check data against an instrument without rendering: every problem at once. `can_draw`
/// says how the fonts draw a character (the renderer's coverage check; pass
/// `&|_| Draw::Own` to skip it).
pub fn validate(inst: &Instrument, data: &Data, can_draw: &dyn Fn(char) -> Draw) -> Report {
    validate::resolve(&inst.schema, data, can_draw).1
}

/// Apply one batch row over shared values (see [`data::apply_row`]).
pub fn apply_row_for(inst: &Instrument, shared: &Data, row: &Data) -> Data {
    apply_row(&inst.schema, shared, row)
}

/// A Chinese description of an instrument's fields, one per line
/// (`姓名（name）：文字，必填。被谈话人的姓名`), for `jiandu templates show ID`.
pub fn describe(inst: &Instrument) -> String {
    let s = &inst.schema;
    let mut out = format!("{}（{}），编号代字“{}”\n", s.name, s.id, s.code);
    for f in &s.fields {
        let need = need(s, f);
        out.push_str(&format!(
            "{}（{}）：{}，{need}",
            f.label,
            f.key,
            f.kind.chinese()
        ));
        if let Some(d) = &f.default {
            out.push_str(&format!("，默认{}", toml_value(d).trim_matches('"')));
        }
        if !f.choices.is_empty() {
            out.push_str(&format!("，可选：{}", f.choices.join("、")));
        }
        if !f.help.is_empty() {
            out.push_str(&format!("。{}", f.help));
        }
        out.push('\n');
    }
    out
}

/// TOML string literal.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => toml_str(s),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(a) => {
            let items: Vec<String> = a
                .iter()
                .map(|x| format!("  {},\n", toml_value(x)))
                .collect();
            format!("[\n{}]", items.concat())
        }
        toml::Value::Table(_) => "{}".to_string(),
    }
}

/// Whether a field must be given, in words: 必填, 选填, or required when another field has a
/// value.
fn need(s: &Schema, f: &Field) -> String {
    match &f.required_if {
        Some(c) => {
            let other = s
                .by_key(&c.field)
                .map(|o| o.label.as_str())
                .unwrap_or(&c.field);
            format!("{other}为{}时必填", c.equals)
        }
        None if f.required => "必填".to_string(),
        None => "选填".to_string(),
    }
}

/// An example data file (TOML, with Chinese comments) for an instrument, from the examples
/// in its schema; for `jiandu templates show ID`.
pub fn example_data(inst: &Instrument) -> String {
    let s = &inst.schema;
    let mut out = format!(
        "# {}（{}）的数据示例。\n# 字段名可写英文键名，也可写中文名称（如 {} 或 {}）。\n# 日期可写作 2022-03-05、2022/3/5、2022.3.5 或 2022年3月5日；多项内容写成数组，或每行一项。\n\n",
        s.name,
        s.id,
        s.fields.first().map(|f| f.key.as_str()).unwrap_or("name"),
        s.fields.first().map(|f| f.label.as_str()).unwrap_or("姓名"),
    );
    for f in &s.fields {
        let need = need(s, f);
        out.push_str(&format!("# {}（{}，{}）", f.label, f.kind.chinese(), need));
        if !f.help.is_empty() {
            out.push_str(&format!("：{}", f.help));
        }
        out.push('\n');
        if !f.choices.is_empty() && f.choices_for.is_empty() {
            out.push_str(&format!("# 可选：{}\n", f.choices.join("、")));
        }
        match (&f.example, &f.default) {
            (Some(v), _) | (None, Some(v)) => {
                out.push_str(&format!("{} = {}\n\n", f.key, toml_value(v)))
            }
            (None, None) => out.push_str(&format!("# {} = \"\"\n\n", f.key)),
        }
    }
    out
}

/// `data` as a data file (.toml) a clerk can edit and give to `jiandu render`: every field
/// of the schema in order, with its label and help as a comment; fields without a value are
/// left as comments to fill in.
pub fn data_file(inst: &Instrument, data: &Data) -> String {
    let s = &inst.schema;
    let mut out = format!(
        "# {}（{}）的数据，可修改后用 jiandu render {} --data 本文件 -o 文件.pdf 重新生成。\n\n",
        s.name, s.id, s.id
    );
    for f in &s.fields {
        out.push_str(&format!("# {}（{}）", f.label, need(s, f)));
        if !f.help.is_empty() {
            out.push_str(&format!("：{}", f.help));
        }
        out.push('\n');
        let value = data
            .get(&f.key)
            .or_else(|| data.get(&f.label))
            .filter(|v| !v.is_empty());
        match value {
            Some(v) => out.push_str(&format!("{} = {}\n\n", f.key, raw_toml(v))),
            None => match &f.default {
                Some(d) => out.push_str(&format!(
                    "# {} = {}（不填则为此值）\n\n",
                    f.key,
                    toml_value(d)
                )),
                None => out.push_str(&format!("# {} = \"\"\n\n", f.key)),
            },
        }
    }
    out
}

/// A value as TOML text.
fn raw_toml(v: &Raw) -> String {
    match v {
        Raw::Text(t) => toml_str(t),
        Raw::Integer(i) => i.to_string(),
        Raw::Float(f) => f.to_string(),
        Raw::Bool(b) => b.to_string(),
        Raw::Date(y, m, d) => format!("\"{y:04}-{m:02}-{d:02}\""),
        Raw::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|x| format!("  {},\n", raw_toml(x)))
                .collect();
            format!("[\n{}]", items.concat())
        }
        Raw::Table | Raw::Null => "\"\"".to_string(),
    }
}

#[cfg(test)]
mod tests;
