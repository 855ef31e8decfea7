//! Lexicons kept as data in `corpora/lexicons/`: the words that fill an item's slots.
//!
//! The built-in files are compiled in; a file of the same name in a user's folder (the
//! command line's `JIANDU_DATA`) adds entries without rebuilding: the lexicons are part of a
//! [`Vocabulary`], built from its [`UserData`]. Entries are matched against an item's
//! tokens, as token sequences, so "党委（党组）主体责任" matches although jieba cannot keep
//! it as one token, and "四风" never matches inside an unrelated longer word.

use super::segment;
use super::userdata::UserData;
use super::Vocabulary;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The environment variable naming a folder of user additions (dict.txt, lexicons).
pub const DATA_ENV: &str = "JIANDU_DATA";

/// Entries by the first token of their token sequence: (sequence, entry), longest first.
type Index = WordMap<Vec<(Vec<String>, String)>>;

/// The hasher of the lexicon tables: keys are short words looked up once per token, where
/// SipHash (the default) costs more than the lookup. rustc-hash's FxHasher reads eight bytes
/// at a time.
pub type FastHash = rustc_hash::FxBuildHasher;

/// A table keyed by words, looked up once per token. A word of up to 15 bytes (five Chinese
/// characters: nearly every token) is packed with its length into one 128-bit integer, so a
/// lookup hashes two machine words and compares integers, never reading a stored string;
/// longer words go to a string table.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    short: HashMap<u128, V, FastHash>,
    long: HashMap<String, V, FastHash>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: HashMap::default(),
            long: HashMap::default(),
        }
    }
}

/// A word of up to 15 bytes as an integer: its bytes, then its length in the last byte.
/// Read with overlapping unaligned loads rather than copied byte by byte into a buffer: a
/// wide load from narrow stores stalls the processor (store forwarding fails).
#[inline]
fn pack(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    let n = b.len();
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or([0; 4])));
    let (lo, hi) = match n {
        // Bytes 8..n are the top of the last eight, shifted down.
        9..=15 => (u64_at(0), u64_at(n - 8) >> ((16 - n) * 8)),
        8 => (u64_at(0), 0),
        // The first four and the last four overlap; the shared bytes are equal.
        4..=7 => (u32_at(0) | (u32_at(n - 4) << ((n - 4) * 8)), 0),
        0..=3 => (
            b.iter()
                .enumerate()
                .fold(0, |v, (i, &x)| v | (u64::from(x) << (i * 8))),
            0,
        ),
        _ => return None,
    };
    Some((u128::from(hi | ((n as u64) << 56)) << 64) | u128::from(lo))
}

impl<V> WordMap<V> {
    /// The value of `word`.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        match pack(word) {
            Some(k) => self.short.get(&k),
            None => self.long.get(word),
        }
    }

    /// Whether `word` has a value.
    #[inline]
    pub fn contains_key(&self, word: &str) -> bool {
        self.get(word).is_some()
    }

    /// Set the value of `word`, returning the previous one.
    pub fn insert(&mut self, word: &str, value: V) -> Option<V> {
        match pack(word) {
            Some(k) => self.short.insert(k, value),
            None => self.long.insert(word.to_string(), value),
        }
    }

    /// The value of `word`, inserted as the default when absent.
    pub fn entry_or_default(&mut self, word: &str) -> &mut V
    where
        V: Default,
    {
        match pack(word) {
            Some(k) => self.short.entry(k).or_default(),
            None => self.long.entry(word.to_string()).or_default(),
        }
    }

    /// Every value, in no particular order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.short.values_mut().chain(self.long.values_mut())
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A set of characters that answers "surely not" in one bit test: a character sets the bit of
/// its code point modulo 4096, so a few hundred characters leave most bits clear. Asked of
/// every token or character, before the exact (slower) test.
#[derive(Debug, Clone)]
pub struct CharMask([u64; 64]);

impl Default for CharMask {
    fn default() -> Self {
        CharMask([0; 64])
    }
}

impl CharMask {
    fn slot(c: char) -> (usize, u64) {
        let k = c as usize & 4095;
        (k / 64, 1 << (k % 64))
    }

    /// Add a character.
    pub fn insert(&mut self, c: char) {
        let (w, bit) = Self::slot(c);
        self.0[w] |= bit;
    }

    /// Whether `c` may be in the set (false: it is not).
    #[inline]
    pub fn may_contain(&self, c: char) -> bool {
        let (w, bit) = Self::slot(c);
        self.0[w] & bit != 0
    }
}

impl Extend<char> for CharMask {
    fn extend<I: IntoIterator<Item = char>>(&mut self, chars: I) {
        chars.into_iter().for_each(|c| self.insert(c));
    }
}

impl FromIterator<char> for CharMask {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Self {
        let mut m = CharMask::default();
        m.extend(chars);
        m
    }
}

/// One lexicon: its entries and, once segmented, their token sequences.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Entries in file order, without duplicates.
    pub entries: Vec<String>,
    set: WordMap<()>,
    /// The entries' first characters.
    pub firsts: CharMask,
    /// Entries by the first token of their token sequence (built on first use).
    index: OnceLock<Index>,
}

impl Lexicon {
    fn parse(text: &str) -> Lexicon {
        let mut lex = Lexicon::default();
        lex.extend(text);
        lex
    }

    fn extend(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if self.set.insert(line, ()).is_none() {
                self.firsts.extend(line.chars().next());
                self.entries.push(line.to_string());
            }
        }
    }

    /// Whether `word` is an entry.
    pub fn contains(&self, word: &str) -> bool {
        self.set.contains_key(word)
    }

    /// The index, its entries cut by `v` (the vocabulary holding this lexicon).
    fn index(&self, v: &Vocabulary) -> &Index {
        self.index.get_or_init(|| {
            let mut map: Index = WordMap::default();
            for e in &self.entries {
                let seq = seq_of(v, e);
                if let Some(first) = seq.first() {
                    map.entry_or_default(first).push((seq.clone(), e.clone()));
                }
            }
            for v in map.values_mut() {
                // Longest first, so the first sequence that matches is the longest.
                v.sort_by_key(|(s, e)| std::cmp::Reverse((s.len(), e.chars().count())));
            }
            map
        })
    }
}

/// All lexicons.
#[derive(Debug, Default)]
pub struct Lexicons {
    /// Verbs that open a measure.
    pub measures: Lexicon,
    /// Words that may stand before that verb.
    pub modifiers: Lexicon,
    /// Responsible parties.
    pub responsible: Lexicon,
    /// Supervised people and posts.
    pub targets: Lexicon,
    /// Ways of supervising.
    pub methods: Lexicon,
    /// Key areas.
    pub areas: Lexicon,
    /// Timing words without a date.
    pub timing: Lexicon,
    /// The slot lexicons' index for [`find_slots`] (built on first use).
    slots: OnceLock<SlotIndex>,
}
macro_rules! builtin {
    ($name:literal) => {
        include_str!(concat!("../../corpora/lexicons/", $name, ".txt"))
    };
}

/// The slot lexicons by file stem (`corpora/lexicons/NAME.txt`, and `lexicons/NAME.txt` in
/// a user's folder), with their built-in text: the one list of them.
pub const SLOT_LEXICONS: [(&str, &str); 7] = [
    ("measures", builtin!("measures")),
    ("modifiers", builtin!("modifiers")),
    ("responsible", builtin!("responsible")),
    ("targets", builtin!("targets")),
    ("methods", builtin!("methods")),
    ("areas", builtin!("areas")),
    ("timing", builtin!("timing")),
];

impl Lexicons {
    /// The lexicon of a file stem of [`SLOT_LEXICONS`].
    fn slot_mut(&mut self, name: &str) -> Option<&mut Lexicon> {
        Some(match name {
            "measures" => &mut self.measures,
            "modifiers" => &mut self.modifiers,
            "responsible" => &mut self.responsible,
            "targets" => &mut self.targets,
            "methods" => &mut self.methods,
            "areas" => &mut self.areas,
            "timing" => &mut self.timing,
            _ => return None,
        })
    }

    /// The lexicons: built-in, plus a user's additions (its `lexicons/NAME.txt`). Used
    /// through [`Vocabulary::lexicons`], which builds them once.
    pub fn with(user: &UserData) -> Lexicons {
        let mut l = Lexicons::default();
        for (name, text) in SLOT_LEXICONS {
            if let Some(lex) = l.slot_mut(name) {
                *lex = Lexicon::parse(text);
                if let Some(more) = user.file(&format!("lexicons/{name}.txt")) {
                    lex.extend(more);
                }
            }
        }
        l
    }

    /// The slot lexicons matched together by [`find_slots`], in this order.
    pub fn slot_lexicons(&self) -> [&Lexicon; 4] {
        [&self.responsible, &self.targets, &self.methods, &self.areas]
    }

    /// Every entry of the slot lexicons (for the segmenter's dictionary).
    pub fn all_entries(&self) -> impl Iterator<Item = &str> {
        [
            &self.measures,
            &self.responsible,
            &self.targets,
            &self.methods,
            &self.areas,
            &self.timing,
        ]
        .into_iter()
        .flat_map(|l| l.entries.iter().map(String::as_str))
    }
}

fn seq_of(v: &Vocabulary, entry: &str) -> Vec<String> {
    v.tokens(&canonical_quotes(entry))
        .into_iter()
        .map(|t| t.word.to_string())
        .collect()
}

/// The entries of `lex` that occur in `words` as whole-token sequences, in order of first
/// occurrence, preferring the longest entry at each position and dropping entries that only
/// occur inside a longer match.
///
/// `words` are the tokens without quotation marks (see [`without_quotes`]), so that
/// "“一把手”" and "一把手" match alike. `lex` is one of `v`'s lexicons.
pub fn find(v: &Vocabulary, lex: &Lexicon, words: &[&str]) -> Vec<String> {
    let index = lex.index(v);
    let mut hits: Vec<&String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let best = index.get(words[i]).and_then(|cands| {
            cands.iter().find(|(s, _)| {
                i + s.len() <= words.len() && s.iter().zip(&words[i..]).all(|(a, b)| a == b)
            })
        });
        match best {
            Some((s, e)) => {
                hits.push(e);
                i += s.len();
            }
            None => i += 1,
        }
    }
    finish(hits)
}

/// Entries of several lexicons by the first token of their sequence: (lexicon, sequence,
/// entry), longest first, so one hash lookup per token serves every lexicon.
type Combined = WordMap<Vec<(usize, Vec<String>, String)>>;

/// [`Combined`] and the first characters of its keys (most tokens open no entry).
#[derive(Debug)]
struct SlotIndex {
    map: Combined,
    firsts: CharMask,
}

/// [`find`] for the four slot lexicons (responsible, targets, methods, areas) in one pass
/// over the tokens; each lexicon keeps its own greedy longest-match scan.
pub fn find_slots<W: Word>(v: &Vocabulary, words: &[W]) -> [Vec<String>; 4] {
    let lexicons = v.lexicons();
    let index = lexicons.slots.get_or_init(|| {
        let mut map: Combined = WordMap::default();
        let mut firsts = CharMask::default();
        for (k, lex) in lexicons.slot_lexicons().into_iter().enumerate() {
            for e in &lex.entries {
                let seq = seq_of(v, e);
                if let Some(first) = seq.first() {
                    firsts.extend(first.chars().next());
                    map.entry_or_default(first)
                        .push((k, seq.clone(), e.clone()));
                }
            }
        }
        for v in map.values_mut() {
            v.sort_by_key(|(_, s, e)| std::cmp::Reverse((s.len(), e.chars().count())));
        }
        SlotIndex { map, firsts }
    });
    let mut hits: [Vec<&String>; 4] = Default::default();
    let mut next = [0usize; 4];
    for i in 0..words.len() {
        let w = words[i].word();
        if !w
            .chars()
            .next()
            .is_some_and(|c| index.firsts.may_contain(c))
        {
            continue;
        }
        let Some(cands) = index.map.get(w) else {
            continue;
        };
        for k in 0..4 {
            if i < next[k] {
                continue;
            }
            let best = cands.iter().find(|(l, s, _)| {
                *l == k
                    && i + s.len() <= words.len()
                    && s.iter().zip(&words[i..]).all(|(a, b)| a == b.word())
            });
            if let Some((_, s, e)) = best {
                hits[k].push(e);
                next[k] = i + s.len();
            }
        }
    }
    hits.map(|h| finish(h))
}

/// Straighten quotes, drop duplicates and entries contained in another found entry.
fn finish(hits: Vec<&String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(hits.len());
    for e in hits {
        let e = canonical_quotes(e);
        if !out.iter().any(|o| *o == e) {
            out.push(e.into_owned());
        }
    }
    if out.len() < 2 {
        return out;
    }
    // "主体责任" adds nothing beside "党委主体责任" (only a longer entry can contain it).
    let inside: Vec<bool> = out
        .iter()
        .map(|e| {
            out.iter()
                .any(|o| o.len() > e.len() && o.contains(e.as_str()))
        })
        .collect();
    out.into_iter()
        .zip(inside)
        .filter_map(|(e, inside)| (!inside).then_some(e))
        .collect()
}

/// A token's text: slot lexicons match tokens as jieba cut them, or as plain words.
pub trait Word {
    /// The text.
    fn word(&self) -> &str;
}

impl Word for &str {
    fn word(&self) -> &str {
        self
    }
}

impl Word for segment::Token<'_> {
    fn word(&self) -> &str {
        self.word
    }
}

/// The tokens to match lexicons against: quotation marks left out.
pub fn without_quotes<W: Word>(words: &[W]) -> Vec<&str> {
    words
        .iter()
        .map(Word::word)
        .filter(|w| !is_quote(w))
        .collect()
}

/// Whether any token is a quotation mark (most items have none, and need no copy).
pub fn has_quotes<W: Word>(words: &[W]) -> bool {
    words.iter().any(|w| is_quote(w.word()))
}

/// Whether a text holds a quotation mark at all (a cheap test before [`has_quotes`]).
pub fn text_has_quotes(text: &str) -> bool {
    // Curly quotes start with the byte E2 in UTF-8.
    memchr::memchr2(0xE2, b'"', text.as_bytes()).is_some()
        && text.contains(['“', '”', '"', '‘', '’'])
}

fn is_quote(w: &str) -> bool {
    matches!(w, "“" | "”" | "\"" | "‘" | "’")
}

/// Entries are printed with their quotes straightened (“一把手” → 一把手) so that lists
/// group by the term, not by how it was quoted.
fn canonical_quotes(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['“', '”', '"']) {
        s.chars()
            .filter(|c| !matches!(c, '“' | '”' | '"'))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packing is the word's bytes and length, whatever the length: no two words share a key.
    #[test]
    fn words_pack_into_distinct_keys() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdef",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmno",
            "a\0",
            "监",
            "监督",
            "监督检",
            "监督检查",
            "监督检查组",
            "监督检查组织",
            "一岗双责",
            "一岗双",
            "岗双责",
        ];
        for w in words {
            let expect = (w.len() <= 15).then(|| {
                let mut buf = [0u8; 16];
                buf[..w.len()].copy_from_slice(w.as_bytes());
                buf[15] = w.len() as u8;
                u128::from_le_bytes(buf)
            });
            assert_eq!(pack(w), expect, "{w:?}");
        }
        let mut map = WordMap::default();
        for (k, w) in words.iter().enumerate() {
            map.insert(w, k);
        }
        assert_eq!(map.len(), words.len());
        for (k, w) in words.iter().enumerate() {
            assert_eq!(map.get(w), Some(&k), "{w:?}");
        }
        assert_eq!(map.get("监督检查组织工作"), None);
    }

    #[test]
    fn char_masks_hold_their_characters() {
        let m: CharMask = "每按一二监督".chars().collect();
        for c in "每按一二监督".chars() {
            assert!(m.may_contain(c), "{c}");
        }
        // Most other characters are answered "no" at once.
        let others = ('\u{4e00}'..='\u{9fff}')
            .filter(|&c| m.may_contain(c))
            .count();
        assert!(others < 20_992 / 100, "{others}");
        assert!(!m.may_contain('a'));
    }

    #[test]
    fn found_entries_keep_the_longest() {
        let out = finish(vec![
            &"主体责任".to_string(),
            &"党委主体责任".to_string(),
            &"“一把手”".to_string(),
            &"一把手".to_string(),
            &"主体责任".to_string(),
        ]);
        assert_eq!(out, vec!["党委主体责任", "一把手"]);
    }
}
