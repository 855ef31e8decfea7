//! Chinese names inside template tags.
//!
//! Data files and spreadsheets take a field's Chinese name (姓名) as well as its key (name),
//! so a clerk editing a template writes `{{ 姓名 }}` too. Tera's identifiers are ASCII, so
//! before a template is compiled every Chinese name inside a `{{ }}` or `{% %}` tag is
//! replaced: a field's label by its key, a parameter's or any other name (a loop variable
//! such as `{% for 问题 in 问题清单 %}`) by a fixed ASCII stand-in. Text outside tags,
//! comments and quoted strings inside tags are left alone. [`Names::original`] turns a
//! stand-in back into the Chinese name for error messages.

use super::schema::Schema;

/// The replacements made in one template.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// (stand-in, Chinese name) for names that are not field labels.
    other: Vec<(String, String)>,
}

const PREFIX: &str = "cn_";

/// Whether `c` may be part of a Chinese name in a tag: a letter or digit outside ASCII.
fn is_name_char(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

impl Names {
    /// The Chinese name a stand-in was made from, or the name itself.
    pub fn original<'a>(&'a self, name: &'a str) -> &'a str {
        self.other
            .iter()
            .find(|(ascii, _)| ascii == name)
            .map_or(name, |(_, cn)| cn.as_str())
    }

    fn stand_in(&mut self, cn: &str) -> String {
        if let Some((ascii, _)) = self.other.iter().find(|(_, c)| c == cn) {
            return ascii.clone();
        }
        let mut ascii = String::from(PREFIX);
        for b in cn.bytes() {
            ascii.push_str(&format!("{b:02x}"));
        }
        self.other.push((ascii.clone(), cn.to_string()));
        ascii
    }
}

/// Replace the Chinese names inside the tags of `source` (see the module docs). The text
/// keeps its lines, so tera's line numbers still point at the user's file.
pub fn to_keys(source: &str, schema: &Schema) -> (String, Names) {
    let mut names = Names::default();
    if source.is_ascii() {
        return (source.to_string(), names);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else if let Some(comment) = after.strip_prefix("{#") {
            // A comment, kept as it is.
            let end = comment.find("#}").map_or(after.len(), |e| e + 4);
            out.push_str(&rest[..open + end]);
            rest = &after[end..];
            continue;
        } else {
            out.push_str(&rest[..open + 1]);
            rest = &rest[open + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        let Some(end) = after[2..].find(close).map(|e| e + 4) else {
            out.push_str(after);
            return (out, names);
        };
        out.push_str(&tag_to_keys(&after[..end], schema, &mut names));
        rest = &after[end..];
    }
    out.push_str(rest);
    (out, names)
}

/// One tag, its Chinese names replaced outside quoted strings.
fn tag_to_keys(tag: &str, schema: &Schema, names: &mut Names) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut quote: Option<char> = None;
    let mut name = String::new();
    let flush = |out: &mut String, name: &mut String, names: &mut Names| {
        if name.is_empty() {
            return;
        }
        match schema.fields.iter().find(|f| f.label == *name) {
            Some(f) => out.push_str(&f.key),
            None => out.push_str(&names.stand_in(name)),
        }
        name.clear();
    };
    for c in tag.chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if is_name_char(c) => name.push(c),
            None => {
                flush(&mut out, &mut name, names);
                if matches!(c, '"' | '\'' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut name, names);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::parse(
            r#"
id = "t"
name = "测试"
code = "测"
[[fields]]
key = "name"
label = "姓名"
kind = "text"
[[fields]]
key = "facts"
label = "问题"
kind = "list"
"#,
            std::path::Path::new("fields.toml"),
        )
        .expect("schema")
    }

    #[test]
    fn labels_become_keys_inside_tags_only() {
        let (out, _) = to_keys(
            "@to {{ 姓名 }}同志：\n{% if 姓名 == \"姓名\" %}姓名{% endif %}{# 姓名 #}",
            &schema(),
        );
        assert_eq!(
            out,
            "@to {{ name }}同志：\n{% if name == \"姓名\" %}姓名{% endif %}{# 姓名 #}"
        );
    }

    #[test]
    fn other_names_get_stand_ins_that_map_back() {
        let (out, names) = to_keys("{% for 项 in 问题 %}{{ 项 | bare }}{% endfor %}", &schema());
        assert_eq!(
            out,
            "{% for cn_e9a1b9 in facts %}{{ cn_e9a1b9 | bare }}{% endfor %}"
        );
        assert_eq!(names.original("cn_e9a1b9"), "项");
        assert_eq!(names.original("facts"), "facts");
        // ASCII templates pass unchanged.
        assert_eq!(to_keys("{{ name }}", &schema()).0, "{{ name }}");
    }
}
