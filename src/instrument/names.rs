//! File names for batch outputs, made safe: a name can never place a file outside the
//! output folder.

use std::collections::HashSet;

/// Longest file name (without extension), in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// Fill a name pattern such as `{序号}-{姓名}-{文种}`: each `{…}` is looked up with
/// `lookup`; unknown placeholders stay empty.
pub fn fill_pattern(pattern: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push_str(&lookup(after[..close].trim()).unwrap_or_default());
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Make a file name safe on Windows, macOS and Linux: no path separators, no `..`, no
/// control or reserved characters, no reserved device names, no leading or trailing dots
/// and spaces, at most [`MAX_NAME_CHARS`] characters. Never empty.
pub fn sanitize(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '_',
            c => c,
        })
        .collect();
    while s.contains("..") {
        s = s.replace("..", "_");
    }
    let mut s: String = s
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    s = s
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if s.is_empty() {
        s = "未命名".to_string();
    }
    let upper = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (upper.len() == 4
            && (upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.as_bytes()[3].is_ascii_digit());
    if reserved {
        s.insert(0, '_');
    }
    s
}

/// Hands out unique names: a name seen before gets `-2`, `-3` … (compared case-insensitively,
/// as Windows and macOS file systems do).
#[derive(Debug, Default)]
pub struct Unique {
    seen: HashSet<String>,
}

impl Unique {
    /// A unique, safe version of `name`.
    pub fn name(&mut self, name: &str) -> String {
        let base = sanitize(name);
        let mut candidate = base.clone();
        let mut k = 2;
        while !self.seen.insert(candidate.to_lowercase()) {
            candidate = format!("{base}-{k}");
            k += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inside() {
        for bad in [
            "../../etc/passwd",
            "..",
            "a/b\\c",
            "张三\u{0}\u{7}",
            "  . ",
            "CON",
            "lpt1.txt",
            "\u{202e}fdp.exe",
            "x:y*z?",
        ] {
            let s = sanitize(bad);
            assert!(
                !s.contains('/') && !s.contains('\\') && !s.contains(".."),
                "{bad} → {s}"
            );
            assert!(!s.chars().any(char::is_control), "{bad} → {s}");
            assert!(!s.is_empty() && !s.starts_with('.'), "{bad} → {s}");
            let p = std::path::Path::new("/out").join(&s);
            assert_eq!(
                p.parent(),
                Some(std::path::Path::new("/out")),
                "{bad} → {s}"
            );
        }
        assert_eq!(sanitize("CON"), "_CON");
        assert_eq!(sanitize(&"长".repeat(200)).chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn patterns_and_duplicates() {
        let name = fill_pattern("{序号}-{姓名}-{文种}", |k| match k {
            "序号" => Some("001".into()),
            "姓名" => Some("张三".into()),
            "文种" => Some("谈话通知书".into()),
            _ => None,
        });
        assert_eq!(name, "001-张三-谈话通知书");
        let mut u = Unique::default();
        assert_eq!(u.name("张三"), "张三");
        assert_eq!(u.name("张三"), "张三-2");
        assert_eq!(u.name("张三"), "张三-3");
    }
}
