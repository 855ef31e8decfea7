//! The canonical spellings of slot terms (`corpora/lexicons/canonical.txt`, and a user's
//! `lexicons/canonical.txt`): `canonical = variant | variant` lines, read into a table that
//! normalization ([`crate::model::normalize`]) uses to make one term of its variants.

use crate::text::normalize_chars as chars;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

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
