//! Validation: interpret every given value by its field's kind and check everything before
//! anything is rendered, collecting all problems (one Chinese message each, naming the field
//! by its label).

use std::collections::BTreeMap;
use std::fmt;

use super::data::{parse_date, Data, Date, DateParse, Raw, INSTRUMENT_KEYS};
use super::schema::{Field, Kind, Schema};

/// A value interpreted by its field's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text, a choice.
    Text(String),
    /// A date.
    Date(Date),
    /// A whole number.
    Integer(i64),
    /// A list, a multi-choice.
    List(Vec<String>),
}

impl Value {
    /// Every piece of text the value prints.
    fn texts(&self) -> Vec<String> {
        match self {
            Value::Text(s) => vec![s.clone()],
            Value::Date(d) => vec![d.chinese()],
            Value::Integer(i) => vec![i.to_string()],
            Value::List(v) => v.clone(),
        }
    }
}

/// One problem found in the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The key of the field concerned, when it is a field of the instrument.
    pub field: Option<String>,
    /// What is wrong, in Chinese, naming the field by its label.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// All problems found: errors stop rendering, warnings do not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems that must be fixed.
    pub errors: Vec<Problem>,
    /// Things worth knowing (unknown fields, a measure worded as a proposal).
    pub warnings: Vec<Problem>,
}

impl Report {
    /// Whether there are no errors.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    fn error(&mut self, field: &Field, message: String) {
        self.errors.push(Problem {
            field: Some(field.key.clone()),
            message: format!("{}：{message}", field.quoted()),
        });
    }

    fn warn(&mut self, field: Option<&Field>, name: &str, message: String) {
        self.warnings.push(Problem {
            field: field.map(|f| f.key.clone()),
            message: format!("“{name}”：{message}"),
        });
    }
}

impl fmt::Display for Report {
    /// Errors first (`错误：…`), then warnings (`提醒：…`), one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self
            .errors
            .iter()
            .map(|p| format!("错误：{p}"))
            .chain(self.warnings.iter().map(|p| format!("提醒：{p}")));
        for (i, l) in lines.enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&l)?;
        }
        Ok(())
    }
}

/// The interpreted values, by field key, plus what validation decided.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Resolved {
    pub values: BTreeMap<String, Value>,
    /// Per multi-choice field: the chosen values worded as a proposal rather than a decision.
    pub proposed: BTreeMap<String, Vec<String>>,
}

/// Whether an issuer is a Party committee or leadership group (党委/党组) rather than a
/// discipline-inspection or supervision body.
///
/// The rule: a name that mentions a discipline or supervision body (纪律检查委员会, 纪委,
/// 纪检, 监察委员会, 监委, 纪工委) is never a committee; otherwise a name containing 党委,
/// 党组 or 委员会, or a 中共… name ending in 委 (中共青山县委), is one.
pub fn is_party_committee(issuer: &str) -> bool {
    let s: String = issuer.chars().filter(|c| !c.is_whitespace()).collect();
    const DISCIPLINE: [&str; 6] = [
        "纪律检查委员会",
        "纪委",
        "纪检",
        "监察委员会",
        "监委",
        "纪工委",
    ];
    if DISCIPLINE.iter().any(|d| s.contains(d)) {
        return false;
    }
    s.contains("党委")
        || s.contains("党组")
        || s.contains("委员会")
        || (s.starts_with("中共") && s.ends_with('委'))
}

/// Drop control characters and trim; keep line breaks (they separate paragraphs).
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || !super::lines::is_dropped(c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// One line: control characters and line breaks dropped.
fn clean_line(s: &str) -> String {
    clean(s).replace('\n', "")
}

/// Remove a leading list marker typed by the user (`1.`, `1、`, `（一）`, `(2)`, `一、`), since
/// templates number entries themselves.
fn strip_marker(s: &str) -> &str {
    let t = s.trim_start();
    let is_num =
        |c: char| c.is_ascii_digit() || "一二三四五六七八九十０１２３４５６７８９".contains(c);
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        let end = rest.find(|c: char| !is_num(c)).unwrap_or(rest.len());
        if end > 0 {
            if let Some(after) = rest[end..].strip_prefix(['）', ')']) {
                return after.trim_start();
            }
        }
        return t;
    }
    let end = t.find(|c: char| !is_num(c)).unwrap_or(t.len());
    if end > 0 {
        let rest = &t[end..];
        let ascii = t[..end].chars().all(|c| c.is_ascii_digit());
        if let Some(after) = rest.strip_prefix(['、', '．']) {
            return after.trim_start();
        }
        // `1.` but not `2.5万元`
        if ascii {
            if let Some(after) = rest.strip_prefix('.') {
                if !after.starts_with(|c: char| c.is_ascii_digit()) {
                    return after.trim_start();
                }
            }
        }
    }
    t
}

fn split_items(s: &str, multi_choice: bool) -> Vec<String> {
    s.split(|c: char| {
        c == '\n'
            || c == '\r'
            || c == '；'
            || (multi_choice && matches!(c, '、' | '，' | ',' | ';' | ' ' | '　'))
    })
    .map(|p| clean_line(strip_marker(&clean(p))))
    .filter(|p| !p.is_empty())
    .collect()
}

fn raw_text(raw: &Raw) -> Option<String> {
    match raw {
        Raw::Text(s) => Some(s.clone()),
        Raw::Integer(i) => Some(i.to_string()),
        Raw::Float(f) => Some(f.to_string()),
        Raw::Date(y, m, d) => Some(format!("{y}年{m}月{d}日")),
        _ => None,
    }
}

/// Interpret a raw value for a field; `Err` is the message after the field's label.
fn interpret(field: &Field, raw: &Raw) -> Result<Option<Value>, String> {
    match field.kind {
        Kind::Text | Kind::Choice => match raw {
            Raw::List(items) if field.kind == Kind::Text => {
                // A text given as several lines in an array: paragraphs.
                let parts: Option<Vec<String>> = items.iter().map(raw_text).collect();
                let parts = parts.ok_or_else(|| "应填写文字".to_string())?;
                let s = clean(&parts.join("\n"));
                let s = if field.paragraphs { s } else { clean_line(&s) };
                Ok((!s.is_empty()).then_some(Value::Text(s)))
            }
            _ => {
                let s = raw_text(raw).ok_or_else(|| format!("应填写{}", field.kind.chinese()))?;
                let s = if field.paragraphs {
                    clean(&s)
                } else {
                    clean_line(&s)
                };
                if s.is_empty() {
                    return Ok(None);
                }
                if field.kind == Kind::Choice && !field.choices.contains(&s) {
                    return Err(format!(
                        "“{s}”不在可选范围内（可选：{}）",
                        field.choices.join("、")
                    ));
                }
                Ok(Some(Value::Text(s)))
            }
        },
        Kind::Date => match raw {
            Raw::Date(y, m, d) => match Date::new(*y, *m, *d) {
                Some(date) => Ok(Some(Value::Date(date))),
                None => Err(format!("{y}年{m}月{d}日不是有效日期")),
            },
            Raw::Text(s) if s.trim().is_empty() => Ok(None),
            Raw::Text(s) => match parse_date(s) {
                DateParse::Ok(d) => Ok(Some(Value::Date(d))),
                DateParse::Impossible(y, m, d) => Err(format!("{y}年{m}月{d}日不是有效日期")),
                DateParse::NotADate => Err(format!(
                    "“{}”不是日期（可写作2022-03-05、2022/3/5、2022.3.5或2022年3月5日）",
                    clean(s)
                )),
            },
            _ => Err("应填写日期，如2022-03-05".to_string()),
        },
        Kind::Integer => {
            let n = match raw {
                Raw::Integer(i) => *i,
                Raw::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => *f as i64,
                Raw::Text(s) if s.trim().is_empty() => return Ok(None),
                Raw::Text(s) => {
                    let t: String = s
                        .trim()
                        .chars()
                        .map(|c| match c {
                            '０'..='９' => {
                                char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
                            }
                            _ => c,
                        })
                        .collect();
                    let t = t.trim_end_matches(['日', '天']).trim_end_matches("个工作");
                    t.parse::<i64>()
                        .map_err(|_| format!("“{}”不是整数", clean(s)))?
                }
                Raw::Float(f) => return Err(format!("{f}不是整数")),
                _ => return Err("应填写整数".to_string()),
            };
            let (lo, hi) = (field.min.unwrap_or(i64::MIN), field.max.unwrap_or(i64::MAX));
            if n < lo || n > hi {
                let range = match (field.min, field.max) {
                    (Some(a), Some(b)) => format!("应在{a}到{b}之间"),
                    (Some(a), None) => format!("应不小于{a}"),
                    (None, Some(b)) => format!("应不大于{b}"),
                    (None, None) => String::new(),
                };
                return Err(format!("{n}超出范围（{range}）"));
            }
            Ok(Some(Value::Integer(n)))
        }
        Kind::List | Kind::MultiChoice => {
            let multi = field.kind == Kind::MultiChoice;
            let items: Vec<String> = match raw {
                Raw::List(v) => {
                    let mut out = Vec::new();
                    for item in v {
                        match item {
                            Raw::Null => {}
                            Raw::List(_) | Raw::Table | Raw::Bool(_) => {
                                return Err("列表中的每一项应填写文字".to_string())
                            }
                            other => {
                                let s = raw_text(other).unwrap_or_default();
                                if multi {
                                    out.extend(split_items(&s, true));
                                } else {
                                    let s = clean_line(strip_marker(&clean(&s)));
                                    if !s.is_empty() {
                                        out.push(s);
                                    }
                                }
                            }
                        }
                    }
                    out
                }
                Raw::Null => Vec::new(),
                Raw::Table | Raw::Bool(_) => {
                    return Err(format!(
                        "应填写{}（数组，或每行一项的文字）",
                        field.kind.chinese()
                    ))
                }
                other => split_items(&raw_text(other).unwrap_or_default(), multi),
            };
            if items.is_empty() {
                return Ok(None);
            }
            if multi {
                let bad: Vec<&String> = items
                    .iter()
                    .filter(|i| !field.choices.contains(i))
                    .collect();
                if !bad.is_empty() {
                    let bad: Vec<String> = bad.iter().map(|b| format!("“{b}”")).collect();
                    return Err(format!(
                        "{}不在可选范围内（可选：{}）",
                        bad.join("、"),
                        field.choices.join("、")
                    ));
                }
                let mut uniq: Vec<String> = Vec::new();
                for i in items {
                    if !uniq.contains(&i) {
                        uniq.push(i);
                    }
                }
                return Ok(Some(Value::List(uniq)));
            }
            Ok(Some(Value::List(items)))
        }
    }
}

/// Normalize a 发文字号 per GB/T 9704: the year in hexagonal brackets 〔〕, no 第 before
/// the serial number, no leading zeros (`X纪谈[2022]第05号` → `X纪谈〔2022〕5号`).
pub fn normalize_doc_number(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        let open = matches!(c[i], '[' | '【' | '［' | '(' | '（' | '〔' | '{' | '｛');
        let year = open && i + 5 < c.len() && c[i + 1..i + 5].iter().all(|d| d.is_ascii_digit());
        if year && matches!(c[i + 5], ']' | '】' | '］' | ')' | '）' | '〕' | '}' | '｝') {
            out.push('〔');
            out.extend(&c[i + 1..i + 5]);
            out.push('〕');
            i += 6;
            if c.get(i) == Some(&'第') {
                i += 1;
            }
            while c.get(i) == Some(&'0') && c.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                i += 1;
            }
            continue;
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// What looks wrong in a (normalized) 发文字号, for a warning: GB/T 9704 §7.2.4 wants
/// 机关代字, the year in full in 〔〕, then the serial and 号, e.g. `X纪谈〔2024〕5号`.
pub fn doc_number_problem(n: &str) -> Option<&'static str> {
    let n = n.trim();
    if n.is_empty() {
        return None;
    }
    let Some(open) = n.find('〔') else {
        return Some(if n.contains(['[', '【', '［', '(', '（', '{', '｛']) {
            "年份应写全四位数字，并用六角括号〔〕，如“X纪谈〔2024〕5号”"
        } else if n.contains('年') {
            "年份应写在六角括号〔〕中，如“X纪谈〔2024〕5号”，不写作“2024年5号”"
        } else {
            "缺少年份：应写作“机关代字〔年份〕序号号”，如“X纪谈〔2024〕5号”"
        });
    };
    let after = &n[open + '〔'.len_utf8()..];
    let Some(close) = after.find('〕') else {
        return Some("年份的六角括号〔〕不成对");
    };
    let year = &after[..close];
    if year.chars().count() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Some("年份应写全四位数字，如〔2024〕，不写作〔24〕");
    }
    if open == 0 {
        return Some("缺少机关代字：年份前应有代字，如“X纪谈〔2024〕5号”");
    }
    let serial = &after[close + '〕'.len_utf8()..];
    let Some(digits) = serial.strip_suffix('号') else {
        return Some("文号应以“号”结尾，如“〔2024〕5号”");
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Some("序号应为阿拉伯数字，如“〔2024〕5号”");
    }
    None
}

/// How the fonts of the document draw a character, as the caller (who holds the fonts)
/// tells [`crate::instrument::validate()`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draw {
    /// The font of the text's role has it.
    Own,
    /// The role's font lacks it; the named font of the fallback chain draws it.
    Fallback(String),
    /// No font has it; the text names the fonts searched.
    Missing(String),
}

/// Interpret and check all data against the schema.
pub(crate) fn resolve(
    schema: &Schema,
    data: &Data,
    can_draw: &dyn Fn(char) -> Draw,
) -> (Resolved, Report) {
    let mut report = Report::default();
    let mut given: BTreeMap<String, (String, &Raw)> = BTreeMap::new();
    for (name, raw) in &data.entries {
        let trimmed = name.trim();
        if INSTRUMENT_KEYS.contains(&trimmed) {
            continue;
        }
        match schema.field(trimmed) {
            None => report.warn(None, trimmed, format!("不是{}的字段，已忽略", schema.name)),
            Some(f) => {
                if let Some((first, _)) = given.get(&f.key) {
                    report.errors.push(Problem {
                        field: Some(f.key.clone()),
                        message: format!(
                            "{}：填写了两次（“{first}”和“{trimmed}”），请只保留一个",
                            f.quoted()
                        ),
                    });
                } else {
                    given.insert(f.key.clone(), (trimmed.to_string(), raw));
                }
            }
        }
    }

    let mut res = Resolved::default();
    // Pass 1: given values and literal defaults.
    for f in &schema.fields {
        let from_data = given.get(&f.key).map(|(_, r)| *r).filter(|r| !r.is_empty());
        let raw = from_data
            .cloned()
            .or_else(|| f.default.as_ref().map(Raw::from_toml));
        if let Some(raw) = raw {
            match interpret(f, &raw) {
                Ok(Some(Value::Text(t))) if f.format.as_deref() == Some("doc-number") => {
                    let fixed = normalize_doc_number(&t);
                    if fixed != t {
                        report.warnings.push(Problem {
                            field: Some(f.key.clone()),
                            message: format!(
                                "{}：已将“{t}”规范为“{fixed}”（年份用六角括号〔〕，序号前不加“第”、不编虚位）",
                                f.quoted()
                            ),
                        });
                    }
                    if let Some(why) = doc_number_problem(&fixed) {
                        report.warnings.push(Problem {
                            field: Some(f.key.clone()),
                            message: format!("{}：“{fixed}”{why}", f.quoted()),
                        });
                    }
                    res.values.insert(f.key.clone(), Value::Text(fixed));
                }
                Ok(Some(Value::Text(t))) if f.format.as_deref() == Some("copy-number") => {
                    // 份号: up to six Arabic digits, printed as six (GB/T 9704 §7.2.1).
                    let digits: String = t
                        .chars()
                        .map(|c| match c {
                            '０'..='９' => {
                                char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
                            }
                            _ => c,
                        })
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    if digits.is_empty()
                        || digits.len() > 6
                        || !digits.chars().all(|c| c.is_ascii_digit())
                    {
                        report.error(
                            f,
                            format!(
                                "“{t}”不是有效的份号：份号为不超过 6 位的阿拉伯数字，如“000001”"
                            ),
                        );
                    } else {
                        res.values
                            .insert(f.key.clone(), Value::Text(format!("{digits:0>6}")));
                    }
                }
                Ok(Some(v)) => {
                    res.values.insert(f.key.clone(), v);
                }
                Ok(None) => {}
                Err(m) => report.error(f, m),
            }
        }
    }
    // Pass 2: defaults from other fields, requirements, dependent choices.
    for f in &schema.fields {
        if !res.values.contains_key(&f.key) {
            if let Some(v) = f
                .default_from
                .as_ref()
                .and_then(|k| res.values.get(k))
                .cloned()
            {
                res.values.insert(f.key.clone(), v);
            }
        }
        let failed = report
            .errors
            .iter()
            .any(|p| p.field.as_deref() == Some(&f.key));
        if res.values.contains_key(&f.key) || failed {
            continue;
        }
        if f.required {
            report.error(f, "必填，但未填写".to_string());
        } else if let Some(c) = &f.required_if {
            if matches!(res.values.get(&c.field), Some(Value::Text(t)) if *t == c.equals) {
                let other = schema
                    .by_key(&c.field)
                    .map(|o| o.label.as_str())
                    .unwrap_or(c.field.as_str());
                report.error(f, format!("“{other}”为“{}”时必填，但未填写", c.equals));
            }
        }
    }
    for f in &schema.fields {
        let Some(by) = &f.choices_by else { continue };
        let Some(Value::Text(selector)) = res.values.get(by) else {
            continue;
        };
        let Some(allowed) = f.choices_for.get(selector) else {
            continue;
        };
        let chosen: Vec<String> = match res.values.get(&f.key) {
            Some(Value::List(v)) => v.clone(),
            Some(Value::Text(t)) => vec![t.clone()],
            _ => continue,
        };
        let by_label = schema.by_key(by).map(|o| o.label.as_str()).unwrap_or(by);
        for c in &chosen {
            if !allowed.contains(c) {
                report.error(
                    f,
                    format!(
                        "“{c}”不适用于{by_label}“{selector}”（可选：{}）",
                        allowed.join("、")
                    ),
                );
            }
        }
    }
    // Dates in the wrong order.
    for f in &schema.fields {
        let Some(other) = &f.not_before else { continue };
        if let (Some(Value::Date(d)), Some(Value::Date(o))) =
            (res.values.get(&f.key), res.values.get(other))
        {
            if d < o {
                let label = schema
                    .by_key(other)
                    .map(|o| o.label.as_str())
                    .unwrap_or(other);
                report.warnings.push(Problem {
                    field: Some(f.key.clone()),
                    message: format!(
                        "{}：{}早于“{label}”{}，请核对",
                        f.quoted(),
                        d.chinese(),
                        o.chinese()
                    ),
                });
            }
        }
    }
    // Proposals: measures the issuer can only propose.
    let issuer = match res.values.get(&schema.author_field) {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    };
    for f in &schema.fields {
        if f.proposal_only.is_empty() {
            continue;
        }
        let Some(Value::List(chosen)) = res.values.get(&f.key) else {
            continue;
        };
        let Some(issuer) = &issuer else { continue };
        if is_party_committee(issuer) {
            continue;
        }
        let proposed: Vec<String> = chosen
            .iter()
            .filter(|c| f.proposal_only.contains(c))
            .cloned()
            .collect();
        if proposed.is_empty() {
            continue;
        }
        report.warnings.push(Problem {
            field: Some(f.key.clone()),
            message: format!(
                "{}：{}须由党委（党组）决定，发文机关“{issuer}”不是党委（党组），文书将写作向有管理权限的党组织提出建议",
                f.quoted(),
                proposed.join("、")
            ),
        });
        res.proposed.insert(f.key.clone(), proposed);
    }
    // Every character must be drawable: by the body font, or (with a warning naming the
    // font) by a font of the fallback chain. Only a character no font has is an error.
    for f in &schema.fields {
        let Some(v) = res.values.get(&f.key) else {
            continue;
        };
        let mut seen: Vec<char> = Vec::new();
        for t in v.texts() {
            for c in t.chars() {
                if c.is_whitespace() || seen.contains(&c) {
                    continue;
                }
                seen.push(c);
                match can_draw(c) {
                    Draw::Own => {}
                    Draw::Fallback(font) => report.warnings.push(Problem {
                        field: Some(f.key.clone()),
                        message: format!(
                            "{}：字符“{c}”（U+{:04X}）文书字体中没有，已改用“{font}”字体显示，请打印后核对字形",
                            f.quoted(),
                            c as u32
                        ),
                    }),
                    Draw::Missing(searched) => report.error(
                        f,
                        format!(
                            "字符“{c}”（U+{:04X}）在已查找的字体（{searched}）中都没有，无法显示。请安装含有这个字的字体，并用 --font-dir 指定字体文件夹",
                            c as u32
                        ),
                    ),
                }
            }
        }
    }
    (res, report)
}
