//! Normalization: surface variants of one term become its canonical form.
//!
//! Three layers, each idempotent:
//! - characters ([`chars`]): full-width letters and digits become half-width, half-width
//!   punctuation between Chinese characters becomes full-width, straight and mismatched
//!   quotation marks are repaired, stray spaces go;
//! - terms ([`term`]): a slot entry (责任主体 …) equal to a variant of `corpora/lexicons/canonical.txt`
//!   becomes the canonical term (党组主体责任 → 党委（党组）主体责任);
//! - text ([`text`]): every variant inside a longer text is replaced (leftmost-longest), for
//!   comparing items (merging), not for display.
//!
//! Lists lose their duplicates after normalization ([`list`]).

use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The built-in canonical terms.
pub const CANONICAL: &str = include_str!("../../corpora/lexicons/canonical.txt");

/// The canonical-term table: variant → canonical, and one automaton over all variants.
#[derive(Debug)]
pub struct Canon {
    map: HashMap<String, String>,
    patterns: Vec<String>,
    ac: Option<AhoCorasick>,
}

impl Canon {
    /// Parse `canonical = variant | variant` lines; lines without `=` and comments are skipped.
    pub fn parse(text: &str) -> Canon {
        let mut map = HashMap::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((canon, variants)) = line.split_once('=') else {
                continue;
            };
            let canon = chars(canon.trim());
            if canon.is_empty() {
                continue;
            }
            map.insert(canon.clone(), canon.clone());
            for v in variants.split('|') {
                let v = v.trim();
                if !v.is_empty() {
                    map.entry(chars(v)).or_insert_with(|| canon.clone());
                    map.entry(v.to_string()).or_insert_with(|| canon.clone());
                }
            }
        }
        let mut patterns: Vec<String> = map.keys().cloned().collect();
        patterns.sort();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Canon { map, patterns, ac }
    }

    /// The canonical form of a whole term (characters normalized first).
    pub fn term(&self, s: &str) -> String {
        let c = chars(s);
        let bare: String = c.chars().filter(|c| !matches!(c, '“' | '”')).collect();
        self.map
            .get(&c)
            .or_else(|| self.map.get(&bare))
            .cloned()
            .unwrap_or(c)
    }

    /// A text with every variant replaced by its canonical term.
    pub fn text(&self, s: &str) -> String {
        let c = chars(s);
        let Some(ac) = &self.ac else { return c };
        let mut out = String::with_capacity(c.len());
        let mut last = 0;
        for m in ac.find_iter(&c) {
            out.push_str(&c[last..m.start()]);
            let pat = &self.patterns[m.pattern().as_usize()];
            out.push_str(self.map.get(pat).map_or(pat.as_str(), String::as_str));
            last = m.end();
        }
        out.push_str(&c[last..]);
        out
    }
}

static CANON: OnceLock<Canon> = OnceLock::new();

/// The built-in table plus the user's `lexicons/canonical.txt` ([`crate::extract::userdata`]).
pub fn canon() -> &'static Canon {
    CANON.get_or_init(|| {
        let mut text = CANONICAL.to_string();
        if let Some(extra) = crate::extract::userdata::file("lexicons/canonical.txt") {
            text.push('\n');
            text.push_str(extra);
        }
        Canon::parse(&text)
    })
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '“' | '”')
}

/// Character-level normalization: full-width ASCII letters and digits → half-width;
/// `( ) , ; : ? !` next to a Chinese character → full-width; straight quotes `"` → “ ”;
/// unbalanced “ ” repaired; full-width and stray spaces removed between Chinese characters;
/// ends trimmed.
pub fn chars(s: &str) -> String {
    let v: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    for (k, &c) in v.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(|p| v.get(p)).copied();
        let next = v.get(k + 1).copied();
        let near_cjk = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
        let mapped = match c {
            '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            '(' if near_cjk => '（',
            ')' if near_cjk => '）',
            ',' if near_cjk => '，',
            ';' if near_cjk => '；',
            ':' if near_cjk => '：',
            '?' if near_cjk => '？',
            '!' if near_cjk => '！',
            '"' => '“',
            '\u{3000}' | ' ' | '\t' if prev.is_none_or(is_cjk) || next.is_none_or(is_cjk) => {
                continue
            }
            _ => c,
        };
        out.push(mapped);
    }
    crate::outline::fix_quotes(&out)
}

/// Normalize a list of terms and drop the duplicates (first occurrence kept).
pub fn list(items: &[String]) -> Vec<String> {
    let c = canon();
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        let t = c.term(i);
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Normalize free-text entries (titles, measures): characters only, duplicates dropped.
pub fn sentences(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        let t = chars(i);
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The canonical form of a term (see [`Canon::term`]).
pub fn term(s: &str) -> String {
    canon().term(s)
}

/// A text with every variant replaced (see [`Canon::text`]).
pub fn text(s: &str) -> String {
    canon().text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_become_one_term() {
        assert_eq!(term("党组主体责任"), "党委（党组）主体责任");
        assert_eq!(term("党委(党组)主体责任"), "党委（党组）主体责任");
        assert_eq!(term("党委（党组）主体责任"), "党委（党组）主体责任");
        assert_eq!(term("主体责任"), "党委（党组）主体责任");
        assert_eq!(term("红红脸、出出汗"), "红脸出汗");
        assert_eq!(term("班子成员“一岗双责”"), "班子成员一岗双责");
        assert_eq!(term("明查暗访"), "明察暗访");
        assert_eq!(term("乡村振兴"), "乡村振兴");
    }

    #[test]
    fn characters_are_repaired() {
        assert_eq!(chars("推动“１＋Ｘ”监督机制"), "推动“1＋X”监督机制");
        assert_eq!(chars("坚决做到”两个维护”"), "坚决做到“两个维护”");
        assert_eq!(chars("做到\"两个维护\"(试行)"), "做到“两个维护”（试行）");
        assert_eq!(chars("  强化 政治监督 "), "强化政治监督");
        assert_eq!(chars("Excel 表格"), "Excel表格");
        // Idempotent.
        let once = chars("用好\"红脸出汗\"清单, 坚持");
        assert_eq!(chars(&once), once);
    }

    #[test]
    fn text_variants_replaced_inside_sentences() {
        assert_eq!(
            text("经常性开展红红脸、出出汗，压实党组主体责任"),
            "经常性开展红脸出汗，压实党委（党组）主体责任"
        );
        assert_eq!(
            text("严查享乐主义和奢靡之风问题"),
            "严查享乐主义、奢靡之风问题"
        );
    }

    #[test]
    fn lists_lose_duplicates() {
        let got = list(&[
            "党组主体责任".to_string(),
            "党委（党组）主体责任".to_string(),
            "明察暗访".to_string(),
            "明查暗访".to_string(),
            " 明察暗访".to_string(),
        ]);
        assert_eq!(got, vec!["党委（党组）主体责任", "明察暗访"]);
    }
}
