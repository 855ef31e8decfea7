//! The line form a template renders to, and its parser into the document model.
//!
//! Every non-blank line of a rendered template starts with a directive:
//!
//! | directive | meaning |
//! |---|---|
//! | `@section KIND [cut\|page]` | start a section: `counterfoil`, `main` or `receipt`, after a cut line or on a new page |
//! | `@header TEXT` / `@number TEXT` / `@copy TEXT` | 版头: issuing-authority mark, document number, copy number |
//! | `@secret TEXT` / `@urgency TEXT` / `@signer TEXT` | 版头: 密级和保密期限, 紧急程度, 签发人 |
//! | `@letter TEXT` | 信函格式 letterhead of the authority TEXT (instead of `@header`) |
//! | `@title TEXT` | title (a second `@title` adds a line) |
//! | `@to TEXT` | addressee |
//! | `@p TEXT` | body paragraph (a line break in a value starts a new paragraph) |
//! | `@h1`…`@h4 TEXT` | numbered heading; for levels 2–4 text after the first `。` continues as body text |
//! | `@rest TEXT` | body text continuing the heading just before |
//! | `@line`, `@line-center`, `@line-right`, `@line-rightN TEXT` | a line without indent (right with N characters of space) |
//! | `@blank` | an empty line |
//! | `@attach TEXT` | an attachment line |
//! | `@sign TEXT` / `@date TEXT` | signature: issuer and date |
//! | `@seal 是\|否` | whether the signature is laid out for a seal (GB/T 9704 §7.3.5.1) |
//! | `@note TEXT` | 附注 |
//! | `@appendix TITLE` | an attachment page after the body (附件 and its number, TITLE centred); the body lines after it are its text |
//! | `@cc TEXT` / `@printer TEXT` / `@print-date TEXT` | 版记: one 抄送 each, 印发机关, 印发日期 |
//! | `@record-even 是\|否` | put the 版记 on an even page |
//!
//! Directives with empty text are skipped, so optional values need no `{% if %}`.
//!
//! Values are data, never directives: [`escape`] turns line breaks in a value into a
//! paragraph mark and `@` into a stand-in character before the template sees it, so no value
//! can start a line or a directive; [`parse`] turns them back afterwards.

use crate::render::model::{
    Align, Appendix, Break, Header, Para, Record, Section, SectionKind, Signature,
};

/// Where body lines go: the last attachment page once one has begun (`@appendix`), else
/// the section's body.
fn body_of(sec: &mut Section) -> &mut Vec<Para> {
    match sec.appendices.last_mut() {
        Some(a) => &mut a.body,
        None => &mut sec.body,
    }
}

/// Stands for a line break inside a value (U+2029 PARAGRAPH SEPARATOR).
const PARA_MARK: char = '\u{2029}';
/// Stands for `@` inside a value (a private-use character).
const AT_MARK: char = '\u{E040}';

/// Characters dropped from values: control characters, and invisible formatting characters
/// (zero-width spaces and joiners, bidirectional overrides, BOM) that would print nothing or
/// reorder text.
pub fn is_dropped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Make a value safe to print in the line form: control characters dropped, line breaks
/// become a paragraph mark, `@` a stand-in; leading and trailing space trimmed.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut last_break = true;
    for c in value.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | PARA_MARK => {
                if !last_break {
                    out.push(PARA_MARK);
                }
                last_break = true;
            }
            '@' => {
                out.push(AT_MARK);
                last_break = false;
            }
            c if is_dropped(c) => {}
            c => {
                out.push(c);
                last_break = false;
            }
        }
    }
    while out.ends_with(PARA_MARK) {
        out.pop();
    }
    out.trim().to_string()
}

/// Text with stand-ins turned back; paragraph marks replaced by `join`.
fn plain(text: &str, join: &str) -> String {
    text.replace(AT_MARK, "@")
        .replace(PARA_MARK, join)
        .trim()
        .to_string()
}

/// A problem in the rendered line form: 1-based line and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// Line of the rendered text.
    pub line: usize,
    /// The offending line as rendered.
    pub text: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

fn section_kind(word: &str) -> Option<SectionKind> {
    match word {
        "main" => Some(SectionKind::Main),
        "counterfoil" => Some(SectionKind::Counterfoil),
        "receipt" => Some(SectionKind::Receipt),
        _ => None,
    }
}

/// Split `text` of a level-2..4 heading at its first `。` if more text follows.
fn split_heading(text: &str) -> (String, Option<String>) {
    if let Some(i) = text.find('。') {
        let end = i + '。'.len_utf8();
        let rest = text[end..].trim();
        if !rest.is_empty() {
            return (text[..end].to_string(), Some(rest.to_string()));
        }
    }
    (text.to_string(), None)
}

/// Parse the rendered line form into sections (metadata is left for the caller).
pub fn parse(rendered: &str) -> Result<Vec<Section>, LineError> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<Section> = None;
    for (i, line) in rendered.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let err = |message: String| LineError {
            line: i + 1,
            text: plain(t, " "),
            message,
        };
        let Some(body) = t.strip_prefix('@') else {
            return Err(err("这一行没有以指令（如@p、@title）开头".to_string()));
        };
        let (name, arg) = match body.find(char::is_whitespace) {
            Some(k) => (&body[..k], body[k..].trim()),
            None => (body, ""),
        };
        if name == "section" {
            let mut words = arg.split_whitespace();
            let kind = words.next().and_then(section_kind).ok_or_else(|| {
                err(format!(
                    "@section 后应为 counterfoil、main 或 receipt，而不是“{arg}”"
                ))
            })?;
            let brk = match words.next() {
                None => Break::None,
                Some("cut") => Break::CutLine,
                Some("page") => Break::NewPage,
                Some(w) => {
                    return Err(err(format!(
                        "@section 的分隔方式应为 cut 或 page，而不是“{w}”"
                    )))
                }
            };
            if let Some(s) = current.take() {
                sections.push(s);
            }
            current = Some(Section {
                kind,
                break_before: brk,
                ..Section::default()
            });
            continue;
        }
        let sec = current.get_or_insert_with(Section::default);
        let one = plain(arg, "");
        match name {
            "header" | "letter" | "number" | "copy" | "secret" | "urgency" | "signer" => {
                if one.is_empty() {
                    continue;
                }
                let h = sec.header.get_or_insert_with(Header::default);
                match name {
                    "header" => h.authority = one,
                    "letter" => {
                        h.authority = one;
                        h.letter = true;
                    }
                    "number" => h.doc_number = Some(one),
                    "secret" => h.classification = Some(one),
                    "urgency" => h.urgency = Some(one),
                    "signer" => h.signer = Some(one),
                    _ => h.copy_number = Some(one),
                }
            }
            "record-even" => match one.as_str() {
                "" | "否" | "false" | "no" | "0" => {}
                "是" | "true" | "yes" | "1" => {
                    sec.record.get_or_insert_with(Record::default).even_page = true
                }
                other => {
                    return Err(err(format!(
                        "@record-even 后应为“是”或“否”，收到的是“{other}”"
                    )))
                }
            },
            "seal" => {
                let sealed = match one.as_str() {
                    "" => continue,
                    "是" | "盖章" | "加盖" | "true" | "yes" | "1" => true,
                    "否" | "不盖章" | "false" | "no" | "0" => false,
                    other => return Err(err(format!("@seal 后应为“是”或“否”，收到的是“{other}”"))),
                };
                sec.signature.get_or_insert_with(Signature::default).sealed = sealed;
            }
            "title" => {
                let text = plain(arg, "\n");
                if text.is_empty() {
                    continue;
                }
                sec.title = Some(match sec.title.take() {
                    Some(prev) => format!("{prev}\n{text}"),
                    None => text,
                });
            }
            "to" => {
                if !one.is_empty() {
                    // Lines written before the addressee print before it.
                    if sec.addressee.is_none() && sec.preamble.is_empty() {
                        sec.preamble = std::mem::take(&mut sec.body);
                    }
                    sec.addressee = Some(one);
                }
            }
            "p" => {
                for p in arg.split(PARA_MARK) {
                    let p = plain(p, "");
                    if !p.is_empty() {
                        body_of(sec).push(Para::Text(p));
                    }
                }
            }
            "h1" | "h2" | "h3" | "h4" => {
                if one.is_empty() {
                    continue;
                }
                let level = name[1..].parse::<u8>().unwrap_or(1);
                let (heading, rest) = if level == 1 {
                    (one, None)
                } else {
                    split_heading(&one)
                };
                body_of(sec).push(Para::Heading {
                    level,
                    heading,
                    rest,
                });
            }
            "rest" => {
                if one.is_empty() {
                    continue;
                }
                match body_of(sec).last_mut() {
                    Some(Para::Heading { rest, .. }) => {
                        *rest = Some(match rest.take() {
                            Some(r) => format!("{r}{one}"),
                            None => one,
                        })
                    }
                    _ => return Err(err("@rest 前面应是一个标题（@h1…@h4）".to_string())),
                }
            }
            "blank" => body_of(sec).push(Para::Blank),
            "appendix" => {
                if one.is_empty() {
                    continue;
                }
                sec.appendices.push(Appendix {
                    title: one,
                    body: Vec::new(),
                });
            }
            "attach" => {
                if !one.is_empty() {
                    sec.attachments.push(one);
                }
            }
            "sign" => sec.signature.get_or_insert_with(Signature::default).issuer = one,
            "date" => sec.signature.get_or_insert_with(Signature::default).date = one,
            "note" => {
                if !one.is_empty() {
                    sec.note = Some(one);
                }
            }
            "cc" => {
                if !one.is_empty() {
                    sec.record.get_or_insert_with(Record::default).cc.push(one);
                }
            }
            "printer" => sec.record.get_or_insert_with(Record::default).printer = one,
            "print-date" => sec.record.get_or_insert_with(Record::default).print_date = one,
            _ => {
                let align = if name == "line" {
                    Align::Left
                } else if name == "line-center" {
                    Align::Center
                } else if let Some(n) = name.strip_prefix("line-right") {
                    let n = n.trim_start_matches('-');
                    if n.is_empty() {
                        Align::Right(0)
                    } else {
                        Align::Right(n.parse().map_err(|_| err(format!("未知的指令“@{name}”")))?)
                    }
                } else {
                    return Err(err(format!("未知的指令“@{name}”")));
                };
                if !one.is_empty() {
                    body_of(sec).push(Para::Line { text: one, align });
                }
            }
        }
    }
    if let Some(s) = current.take() {
        sections.push(s);
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralizes_directives_and_drops_controls() {
        let v = escape("张三\n@title 假标题\u{0}\u{7}\t");
        assert!(!v.contains('\n') && !v.contains('@') && !v.contains('\u{0}'));
        let secs = parse(&format!("@p {v}")).unwrap();
        assert_eq!(
            secs[0].body,
            vec![
                Para::Text("张三".into()),
                Para::Text("@title 假标题".into())
            ]
        );
        assert_eq!(secs[0].title, None);
    }

    #[test]
    fn parses_sections_headings_and_record() {
        let text = "@section counterfoil\n@title 存根\n@line 文号：X\n\n@section main cut\n@header 机关\n@number X纪建〔2022〕3号\n@title 标题\n@to 单位：\n@h1 一、问题\n@h2 （一）责任不到位。具体表现为……\n@h3 1.事项\n@rest 说明\n@line-right2 签名：\n@sign 机关\n@date 2022年3月5日\n@cc 甲\n@cc 乙\n@printer 机关\n@print-date 2022年3月5日\n@p \n";
        let secs = parse(text).unwrap();
        assert_eq!(secs.len(), 2);
        assert_eq!(secs[0].kind, SectionKind::Counterfoil);
        assert_eq!(secs[1].break_before, Break::CutLine);
        let m = &secs[1];
        assert_eq!(
            m.header.as_ref().map(|h| h.authority.as_str()),
            Some("机关")
        );
        assert_eq!(
            m.body[1],
            Para::Heading {
                level: 2,
                heading: "（一）责任不到位。".into(),
                rest: Some("具体表现为……".into())
            }
        );
        assert_eq!(
            m.body[2],
            Para::Heading {
                level: 3,
                heading: "1.事项".into(),
                rest: Some("说明".into())
            }
        );
        assert_eq!(
            m.body[3],
            Para::Line {
                text: "签名：".into(),
                align: Align::Right(2)
            }
        );
        assert_eq!(m.body.len(), 4, "empty @p is skipped");
        assert_eq!(
            m.record.as_ref().map(|r| r.cc.clone()),
            Some(vec!["甲".to_string(), "乙".to_string()])
        );
    }

    #[test]
    fn bad_lines_are_reported_with_line_numbers() {
        let e = parse("@p a\n纯文字").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("@title a\n@foo b").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "未知的指令“@foo”"));
        assert!(parse("@rest x").is_err());
        assert!(parse("@section side").is_err());
    }
}
