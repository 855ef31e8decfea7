//! Lexicons kept as data in `corpora/lexicons/`: the words that fill an item's slots.
//!
//! The built-in files are compiled in; a file of the same name in the folder named by
//! `JIANDU_DATA` adds entries without rebuilding. Entries are matched against an item's
//! tokens, as token sequences, so "党委（党组）主体责任" matches although jieba cannot keep
//! it as one token, and "四风" never matches inside an unrelated longer word.

use super::segment;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The environment variable naming a folder of user additions (dict.txt, lexicons).
pub const DATA_ENV: &str = "JIANDU_DATA";

/// Entries by the first token of their token sequence: (sequence, entry), longest first.
type Index = HashMap<String, Vec<(Vec<String>, String)>, FastHash>;

/// The hasher of the lexicon tables: keys are short words looked up once per token, where
/// SipHash (the default) costs more than the lookup. rustc-hash's FxHasher reads eight bytes
/// at a time.
pub type FastHash = rustc_hash::FxBuildHasher;

/// One lexicon: its entries and, once segmented, their token sequences.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Entries in file order, without duplicates.
    pub entries: Vec<String>,
    set: std::collections::HashSet<String, FastHash>,
    /// Entries by the first token of their token sequence (built on first use).
    index: OnceLock<Index>,
    /// The first characters of the entries (built on first use).
    firsts: OnceLock<std::collections::HashSet<char, FastHash>>,
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
            if self.set.insert(line.to_string()) {
                self.entries.push(line.to_string());
            }
        }
    }

    /// Whether `word` is an entry.
    pub fn contains(&self, word: &str) -> bool {
        self.set.contains(word)
    }

    /// Whether some entry starts with the character `c` (a cheap test before [`contains`]).
    ///
    /// [`contains`]: Lexicon::contains
    pub fn may_start(&self, c: char) -> bool {
        self.firsts
            .get_or_init(|| {
                self.entries
                    .iter()
                    .filter_map(|e| e.chars().next())
                    .collect()
            })
            .contains(&c)
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut map: Index = HashMap::default();
            for e in &self.entries {
                let seq = seq_of(e);
                if let Some(first) = seq.first() {
                    map.entry(first.clone())
                        .or_default()
                        .push((seq.clone(), e.clone()));
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
}

static LEXICONS: OnceLock<Lexicons> = OnceLock::new();
macro_rules! builtin {
    ($name:literal) => {
        include_str!(concat!("../../corpora/lexicons/", $name, ".txt"))
    };
}

impl Lexicons {
    /// The lexicons: built-in, plus the user's additions from `$JIANDU_DATA/lexicons/`.
    pub fn get() -> &'static Lexicons {
        LEXICONS.get_or_init(|| {
            let mut l = Lexicons {
                measures: Lexicon::parse(builtin!("measures")),
                modifiers: Lexicon::parse(builtin!("modifiers")),
                responsible: Lexicon::parse(builtin!("responsible")),
                targets: Lexicon::parse(builtin!("targets")),
                methods: Lexicon::parse(builtin!("methods")),
                areas: Lexicon::parse(builtin!("areas")),
                timing: Lexicon::parse(builtin!("timing")),
            };
            if let Some(dir) = std::env::var_os(DATA_ENV) {
                let dir = std::path::Path::new(&dir);
                for (name, lex) in [
                    ("measures", &mut l.measures),
                    ("modifiers", &mut l.modifiers),
                    ("responsible", &mut l.responsible),
                    ("targets", &mut l.targets),
                    ("methods", &mut l.methods),
                    ("areas", &mut l.areas),
                    ("timing", &mut l.timing),
                ] {
                    for sub in ["lexicons", "."] {
                        let p = dir.join(sub).join(format!("{name}.txt"));
                        if let Ok(text) = std::fs::read_to_string(p) {
                            lex.extend(&text);
                            break;
                        }
                    }
                }
            }
            l
        })
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

fn seq_of(entry: &str) -> Vec<String> {
    segment::tokens(&canonical_quotes(entry))
        .into_iter()
        .map(|t| t.word.to_string())
        .collect()
}

/// The entries of `lex` that occur in `words` as whole-token sequences, in order of first
/// occurrence, preferring the longest entry at each position and dropping entries that only
/// occur inside a longer match.
///
/// `words` are the tokens without quotation marks (see [`without_quotes`]), so that
/// "“一把手”" and "一把手" match alike.
pub fn find(lex: &Lexicon, words: &[&str]) -> Vec<String> {
    let index = lex.index();
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
type Combined = HashMap<String, Vec<(usize, Vec<String>, String)>, FastHash>;

static SLOTS: OnceLock<Combined> = OnceLock::new();

/// The slot lexicons matched together by [`find_slots`], in this order.
pub fn slot_lexicons() -> [&'static Lexicon; 4] {
    let l = Lexicons::get();
    [&l.responsible, &l.targets, &l.methods, &l.areas]
}

/// [`find`] for the four slot lexicons (responsible, targets, methods, areas) in one pass
/// over the tokens; each lexicon keeps its own greedy longest-match scan.
pub fn find_slots(words: &[&str]) -> [Vec<String>; 4] {
    let index = SLOTS.get_or_init(|| {
        let mut map: Combined = HashMap::default();
        for (k, lex) in slot_lexicons().into_iter().enumerate() {
            for e in &lex.entries {
                let seq = seq_of(e);
                if let Some(first) = seq.first() {
                    map.entry(first.clone())
                        .or_default()
                        .push((k, seq.clone(), e.clone()));
                }
            }
        }
        for v in map.values_mut() {
            v.sort_by_key(|(_, s, e)| std::cmp::Reverse((s.len(), e.chars().count())));
        }
        map
    });
    let mut hits: [Vec<&String>; 4] = Default::default();
    let mut next = [0usize; 4];
    for i in 0..words.len() {
        let Some(cands) = index.get(words[i]) else {
            continue;
        };
        for k in 0..4 {
            if i < next[k] {
                continue;
            }
            let best = cands.iter().find(|(l, s, _)| {
                *l == k
                    && i + s.len() <= words.len()
                    && s.iter().zip(&words[i..]).all(|(a, b)| a == b)
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
    let mut out: Vec<String> = Vec::new();
    for e in hits {
        let e = canonical_quotes(e);
        if !out.contains(&e) {
            out.push(e);
        }
    }
    // "主体责任" adds nothing beside "党委主体责任".
    let all = out.clone();
    out.retain(|e| !all.iter().any(|o| o != e && o.contains(e.as_str())));
    out
}

/// The tokens to match lexicons against: quotation marks left out.
pub fn without_quotes<'a>(words: &[&'a str]) -> Vec<&'a str> {
    words.iter().copied().filter(|w| !is_quote(w)).collect()
}

/// Whether any token is a quotation mark (most items have none, and need no copy).
pub fn has_quotes(words: &[&str]) -> bool {
    words.iter().any(|w| is_quote(w))
}

fn is_quote(w: &str) -> bool {
    matches!(w, "“" | "”" | "\"" | "‘" | "’")
}

/// Entries are printed with their quotes straightened (“一把手” → 一把手) so that lists
/// group by the term, not by how it was quoted.
fn canonical_quotes(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '“' | '”' | '"'))
        .collect()
}
