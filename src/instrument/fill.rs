//! Filling: validated values → tera context → line form → [`Document`].

use std::collections::HashMap;

use serde_json::{json, Value as Json};

use crate::error::{Error, Result};
use crate::render::model::{Document, Meta, Section, SectionKind};

use super::cn_names::Names;
use super::data::Data;
use super::lines;
use super::schema::Kind;
use super::validate::{resolve, Resolved, Value};
use super::Instrument;

/// Chinese numeral for 1..=99 (`一`, `十二`, `二十`), the number itself beyond.
pub fn chinese_number(n: u64) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                D[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// tera filter `cn`: 3 → 三.
fn filter_cn(v: &Json, _: &HashMap<String, Json>) -> tera::Result<Json> {
    match v.as_u64() {
        Some(n) => Ok(Json::String(chinese_number(n))),
        None => Err(tera::Error::msg("cn 过滤器只能用于正整数")),
    }
}

/// tera filter `bare`: drop trailing punctuation (。；，：) so the template can add its own.
fn filter_bare(v: &Json, _: &HashMap<String, Json>) -> tera::Result<Json> {
    match v {
        Json::String(s) => Ok(Json::String(
            s.trim_end_matches(['。', '；', '，', '：', ';', ',', ':', '.', ' ', '　'])
                .to_string(),
        )),
        other => Ok(other.clone()),
    }
}

/// A tera engine holding one template, with jiandu's filters registered.
pub(crate) fn engine(name: &str, source: &str) -> std::result::Result<tera::Tera, tera::Error> {
    let mut t = tera::Tera::default();
    t.autoescape_on(vec![]);
    t.register_filter("cn", filter_cn);
    t.register_filter("bare", filter_bare);
    t.add_raw_template(name, source)?;
    Ok(t)
}

/// The whole cause chain of a tera error, one text.
pub(crate) fn tera_detail(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join("\n")
}

/// A Chinese explanation of a tera error (render or syntax), naming what the template
/// wrote (its Chinese names restored through `names`). Tera's own English words are not
/// shown: clerks edit these templates.
pub(crate) fn explain_tera(detail: &str, names: &Names) -> String {
    let quoted = |after: &str| -> Option<String> {
        let at = detail.find(after)?;
        let rest = &detail[at + after.len()..];
        let rest = rest.strip_prefix('`')?;
        Some(names.original(&rest[..rest.find('`')?]).to_string())
    };
    if detail.contains("not found in context") {
        if let Some(v) = quoted("Variable ") {
            return format!("模板中的“{v}”不是这个文书的字段，请检查拼写（字段可写中文名称或英文键名，如“姓名”或 name；`jiandu templates show` 列出全部字段）");
        }
    }
    if detail.contains("not found") {
        if let Some(v) = quoted("Filter ") {
            return format!("模板使用了不存在的过滤器“{v}”（可用 bare、cn、join 等）");
        }
        if let Some(v) = quoted("Function ") {
            return format!("模板使用了不存在的函数“{v}”");
        }
    }
    if detail.contains("cn 过滤器") {
        return "cn 过滤器只能用于正整数".to_string();
    }
    "请检查 {{ }} 与 {% %} 是否成对，{% if %}、{% for %} 是否有对应的 {% endif %}、{% endfor %}，引号是否成对".to_string()
}

/// The `--> line:col` position in a tera error, if any.
pub(crate) fn tera_line(detail: &str) -> Option<usize> {
    let at = detail.find("--> ")?;
    let rest = &detail[at + 4..];
    let end = rest.find(':')?;
    rest[..end].trim().parse().ok()
}

fn to_json(v: &Value) -> Json {
    match v {
        Value::Text(s) => Json::String(lines::escape(s)),
        Value::Date(d) => Json::String(d.chinese()),
        Value::Integer(i) => json!(i),
        Value::List(items) => Json::Array(
            items
                .iter()
                .map(|s| Json::String(lines::escape(s)))
                .collect(),
        ),
    }
}

fn toml_to_json(v: &toml::Value) -> Json {
    match v {
        toml::Value::String(s) => Json::String(lines::escape(s)),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => Json::String(lines::escape(&d.to_string())),
        toml::Value::Array(a) => Json::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Json::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

fn context(inst: &Instrument, res: &Resolved) -> tera::Context {
    let mut ctx = tera::Context::new();
    for (k, v) in &inst.schema.params {
        ctx.insert(k.as_str(), &toml_to_json(v));
    }
    ctx.insert("instrument_name", &inst.schema.name);
    for f in &inst.schema.fields {
        let v = match res.values.get(&f.key) {
            Some(v) => to_json(v),
            None => match f.kind {
                Kind::List | Kind::MultiChoice => Json::Array(Vec::new()),
                _ => Json::String(String::new()),
            },
        };
        if f.kind == Kind::MultiChoice {
            let proposed = res.proposed.get(&f.key).cloned().unwrap_or_default();
            let all: Vec<Json> = v.as_array().cloned().unwrap_or_default();
            let decided: Vec<Json> = all
                .into_iter()
                .filter(|j| {
                    !proposed
                        .iter()
                        .any(|p| j.as_str() == Some(lines::escape(p).as_str()))
                })
                .collect();
            let proposed: Vec<Json> = proposed
                .iter()
                .map(|p| Json::String(lines::escape(p)))
                .collect();
            let words = |list: &[Json]| -> Vec<String> {
                list.iter()
                    .filter_map(|j| j.as_str().map(str::to_string))
                    .collect()
            };
            ctx.insert(
                format!("{}_decided_text", f.key),
                &f.phrase(&words(&decided)),
            );
            ctx.insert(
                format!("{}_proposed_text", f.key),
                &words(&proposed).join("、"),
            );
            ctx.insert(format!("{}_decided", f.key), &decided);
            ctx.insert(format!("{}_proposed", f.key), &proposed);
        }
        ctx.insert(f.key.as_str(), &v);
    }
    ctx
}

/// Render the template with validated values into the line form (for inspection and tests).
pub(crate) fn render_lines(inst: &Instrument, res: &Resolved) -> Result<String> {
    inst.tera
        .render(&inst.template_name, &context(inst, res))
        .map_err(|e| {
            Error::msg(format!(
                "模板“{}”无法生成文书：{}",
                inst.template_name,
                explain_tera(&tera_detail(&e), &inst.names)
            ))
        })
}

/// Fill an instrument with data: validate (all problems at once, one per line in the error),
/// render the template and parse the result into a [`Document`].
pub fn fill(inst: &Instrument, data: &Data) -> Result<Document> {
    let (res, report) = resolve(&inst.schema, data, &|_| super::validate::Draw::Own);
    if !report.errors.is_empty() {
        let msgs: Vec<String> = report.errors.iter().map(|p| p.message.clone()).collect();
        let e = Error::msg(msgs.join("\n"));
        return Err(match &data.source {
            Some(p) => e.with_path(p),
            None => e,
        });
    }
    let text = render_lines(inst, &res)?;
    let sections = lines::parse(&text).map_err(|e| {
        Error::msg(format!(
            "模板“{}”生成的第{}行“{}”有误：{}",
            inst.template_name, e.line, e.text, e.message
        ))
    })?;
    let empty = |s: &Section| {
        s.header.is_none()
            && s.title.is_none()
            && s.addressee.is_none()
            && s.body.is_empty()
            && s.signature.is_none()
    };
    if sections.iter().all(empty) {
        return Err(Error::msg(format!(
            "模板“{}”没有生成任何内容",
            inst.template_name
        )));
    }
    let text_of = |key: &str| match res.values.get(key) {
        Some(Value::Text(t)) => t.clone(),
        _ => String::new(),
    };
    let title = sections
        .iter()
        .find(|s| s.kind == SectionKind::Main)
        .and_then(|s| s.title.clone())
        .map(|t| t.replace('\n', ""))
        .unwrap_or_else(|| inst.schema.name.clone());
    let date = match res.values.get(&inst.schema.date_field) {
        Some(Value::Date(d)) => Some((d.year, d.month, d.day)),
        _ => None,
    };
    Ok(Document {
        meta: Meta {
            title,
            author: text_of(&inst.schema.author_field),
            date,
        },
        sections,
    })
}
