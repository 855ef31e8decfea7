//! Segmentation with jieba-rs, the domain dictionary and the lexicons.
//!
//! Every lexicon entry is added to the dictionary, so the fixed formulas (四风, 一岗双责 …)
//! and the slot terms come out as single tokens wherever their characters allow.
//!
//! Two segmenters give the same cuts. Loading jieba's whole dictionary costs over 100 ms,
//! nearly all of a small plan's run, so a process starts with a *partial* segmenter that
//! holds only the dictionary words of the texts it has been asked to cut (found in the
//! sorted dictionary, [`super::dict`]), with the same frequencies, plus one filler word that
//! never matches and carries the frequency of every word not loaded: jieba's total is the
//! whole dictionary's, and a text's cut depends only on the words that occur in it and that
//! total, so it comes out as with the whole dictionary. Once the texts looked up pass
//! [`LOOKUP_BUDGET`], or when [`Vocabulary::jieba`] is asked for, the whole dictionary is
//! loaded and used from then on. Both are built lazily, once per [`Vocabulary`] (whose
//! additions they hold); commands that never segment never pay for either.
//!
//! Token positions are in characters (jieba-rs reports them so), and all spans in jiandu are
//! in characters.

use super::dict;
use super::lexicon::Lexicons;
use super::Vocabulary;
use jieba_rs::Jieba;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{OnceLock, PoisonError, RwLock};

/// The built-in domain dictionary (`corpora/dict.txt`).
pub const DOMAIN_DICT: &str = include_str!("../../corpora/dict.txt");

/// A token: its text, its character span (`start`, `end`) and its byte span (`byte_start`,
/// `byte_end`) in the segmented string. jieba-rs's own token type, so that a cut is handed
/// on as jieba-rs returns it, without a copy.
pub use jieba_rs::Token;

/// A vocabulary's segmenters: the whole dictionary and the partial one, each built on
/// first use, with the text looked up so far.
#[derive(Default)]
pub struct Segmenter {
    whole: OnceLock<Jieba>,
    partial: OnceLock<RwLock<Partial>>,
    /// Bytes of text the partial segmenter has looked up.
    looked_up: AtomicUsize,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("whole", &self.whole.get().is_some())
            .field("partial", &self.partial.get().is_some())
            .field("looked_up", &self.looked_up.load(Ordering::Relaxed))
            .finish()
    }
}

/// Bytes of text looked up in the sorted dictionary before the whole dictionary is loaded
/// instead: looking up costs several times what cutting does, and past this much text the
/// lookups would cost more than loading everything once.
pub const LOOKUP_BUDGET: usize = 96 * 1024;

/// The partial segmenter's filler word (noncharacters, which no document holds; a text that
/// does is cut with the whole dictionary).
const FILLER: &str = "\u{FDD0}\u{FDD1}\u{FDD2}";

/// Frequency given to lexicon entries that are not in the domain dictionary.
const LEXICON_FREQ: usize = 20_000;

/// Add dictionary lines ("word [freq] [tag]") to jieba, skipping comments and blank lines.
fn add_dict_lines(jieba: &mut Jieba, text: &str) {
    for (word, freq, tag) in dict_lines(text) {
        jieba.add_word(word, freq.or(Some(LEXICON_FREQ)), tag);
    }
}

/// The entries of dictionary lines ("word [freq] [tag]"), without comments and blank lines.
fn dict_lines(text: &str) -> impl Iterator<Item = (&str, Option<usize>, Option<&str>)> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next()?;
        let freq = parts.next().and_then(|f| f.parse().ok());
        Some((word, freq, parts.next()))
    })
}

/// The lexicon entries made words of the dictionary: short ones (longer ones, 班子成员一岗双责,
/// are matched as token sequences, so the formulas inside them stay tokens of their own).
fn lexicon_words(lex: &Lexicons) -> impl Iterator<Item = &str> {
    lex.all_entries()
        .filter(|w| w.chars().count() <= 4 && w.chars().all(|c| c.is_alphanumeric()))
}

/// Add the domain dictionary, the user's dictionary and the lexicons' words.
fn add_domain(jieba: &mut Jieba, v: &Vocabulary) {
    add_dict_lines(jieba, DOMAIN_DICT);
    add_dict_lines(jieba, v.user_dict());
    for word in lexicon_words(v.lexicons()) {
        if !jieba.has_word(word) {
            jieba.add_word(word, Some(LEXICON_FREQ), None);
        }
    }
}

/// The segmenter with part of the dictionary (see the module's introduction).
struct Partial {
    jieba: Jieba,
    /// The dictionary's lines in `jieba`, a bit per line.
    loaded: Vec<u64>,
    /// The frequency of the words not loaded, the filler's.
    filler: usize,
}

impl Partial {
    fn new(v: &Vocabulary) -> Partial {
        let d = dict::get();
        let mut p = Partial {
            jieba: Jieba::empty(),
            loaded: vec![0; d.len().div_ceil(64)],
            filler: d.total(),
        };
        // Every word the additions below touch is first loaded as the whole dictionary has
        // it, so that each addition changes the same word, and the total, in the same way.
        let lex = v.lexicons();
        let user = v.user_dict();
        let touched: Vec<usize> = dict_lines(DOMAIN_DICT)
            .chain(dict_lines(user))
            .map(|(w, _, _)| w)
            .chain(lexicon_words(lex))
            .filter_map(|w| d.find(w))
            .collect();
        p.load(&touched);
        add_domain(&mut p.jieba, v);
        p
    }

    fn has(&self, k: usize) -> bool {
        self.loaded[k / 64] & (1 << (k % 64)) != 0
    }

    /// Load dictionary lines, taking their frequency from the filler.
    fn load(&mut self, lines: &[usize]) {
        let d = dict::get();
        for &k in lines {
            if self.has(k) {
                continue;
            }
            self.loaded[k / 64] |= 1 << (k % 64);
            let e = d.entry(k);
            if self.jieba.has_word(e.word) {
                continue;
            }
            self.jieba.add_word(e.word, Some(e.freq), Some(e.tag));
            self.filler -= e.freq;
        }
        self.jieba.add_word(FILLER, Some(self.filler), Some("x"));
    }
}

/// The parts of speech extraction tells apart (jieba's tags `d`, `c`, `t`, `p`, `v…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// Adverb (`d`).
    Adverb,
    /// Conjunction (`c`).
    Conjunction,
    /// Time word (`t`).
    Time,
    /// Preposition (`p`).
    Preposition,
    /// Verb (`v`, `vn`, `vd` …).
    Verb,
    /// Anything else.
    Other,
}

impl Vocabulary {
    /// The segmenter with the whole dictionary, loaded on first use.
    pub fn jieba(&self) -> &Jieba {
        self.segmenter.whole.get_or_init(|| {
            let mut jieba = Jieba::new();
            add_domain(&mut jieba, self);
            jieba
        })
    }

    /// Get ready to segment about `bytes` of text: an input that large is cut with the
    /// whole dictionary, loaded now (a caller may do it while other work runs); a smaller
    /// one needs nothing.
    pub fn expect(&self, bytes: usize) {
        if bytes > LOOKUP_BUDGET / 2 {
            self.jieba();
        }
    }

    /// Run `f` with a segmenter that cuts `text` as the whole dictionary does.
    fn with_segmenter<R>(&self, text: &str, f: impl FnOnce(&Jieba) -> R) -> R {
        let s = &self.segmenter;
        if let Some(j) = s.whole.get() {
            return f(j);
        }
        let before = s.looked_up.fetch_add(text.len(), Ordering::Relaxed);
        if before + text.len() > LOOKUP_BUDGET || text.contains(&FILLER[..3]) {
            return f(self.jieba());
        }
        let partial = s.partial.get_or_init(|| RwLock::new(Partial::new(self)));
        let d = dict::get();
        let mut found = Vec::new();
        d.each_in(text, |k| found.push(k));
        {
            let p = partial.read().unwrap_or_else(PoisonError::into_inner);
            if found.iter().all(|&k| p.has(k)) {
                return f(&p.jieba);
            }
        }
        partial
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .load(&found);
        // Lines are only ever added: what this text needs is still there.
        let p = partial.read().unwrap_or_else(PoisonError::into_inner);
        f(&p.jieba)
    }

    /// Segment a string into tokens (HMM on, for unknown words).
    pub fn tokens<'t>(&self, text: &'t str) -> Vec<Token<'t>> {
        self.with_segmenter(text, |j| j.cut(text, true))
    }

    /// The part of speech jieba gives a word tagged on its own, remembered per thread: a plan's
    /// vocabulary is small and its words recur, so each is tagged once.
    pub fn pos_of(&self, word: &str) -> Pos {
        use std::cell::RefCell;
        thread_local! {
            static SEEN: RefCell<(u64, super::lexicon::WordMap<Pos>)> =
                RefCell::new((0, super::lexicon::WordMap::default()));
        }
        SEEN.with(|seen| {
            if let Some(&p) = self.table(&mut seen.borrow_mut()).get(word) {
                return p;
            }
            // A word the dictionaries do not hold (made by the HMM) is tagged by jieba's posseg
            // model, which costs about 70 ms to load: such words are names and terms, never the
            // adverbs, prepositions or verbs asked about here.
            let pos = self.with_segmenter(word, |j| {
                if !j.has_word(word) {
                    return Pos::Other;
                }
                match j.tag(word, false).first().map(|t| t.tag) {
                    Some("d") => Pos::Adverb,
                    Some("c") => Pos::Conjunction,
                    Some("t") => Pos::Time,
                    Some("p") => Pos::Preposition,
                    Some(t) if t.starts_with('v') => Pos::Verb,
                    _ => Pos::Other,
                }
            });
            let mut seen = seen.borrow_mut();
            let seen = self.table(&mut seen);
            // A bound, so that a huge input of distinct "words" cannot grow it without end.
            if seen.len() < 200_000 {
                seen.insert(word, pos);
            }
            pos
        })
    }

    /// Segment a string into words with their part-of-speech tags.
    pub fn tagged<'a>(&'a self, text: &'a str) -> Vec<(&'a str, &'a str)> {
        self.jieba()
            .tag(text, true)
            .into_iter()
            .map(|t| (t.word, t.tag))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The partial segmenter, loading each line's words as it comes, cuts and tags every
    /// line of the seed plans as the whole dictionary does.
    #[test]
    fn a_partial_dictionary_cuts_as_the_whole() {
        let v = Vocabulary::builtin();
        let full = v.jieba();
        let mut partial = Partial::new(v);
        let d = dict::get();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/plans");
        let mut lines = 0;
        let mut words = 0;
        for e in std::fs::read_dir(dir).expect("seed plans") {
            let text = std::fs::read_to_string(e.expect("entry").path()).expect("seed");
            // Each line, and each line without its first and last characters joined to
            // the next (a text no document holds as it is).
            let pieces: Vec<String> = text
                .lines()
                .map(String::from)
                .chain(text.lines().collect::<Vec<_>>().windows(2).map(|w| {
                    let a: String = w[0].chars().skip(1).collect();
                    let b: String = w[1]
                        .chars()
                        .rev()
                        .skip(1)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    a + &b
                }))
                .collect();
            for line in &pieces {
                let mut found = Vec::new();
                d.each_in(line, |k| found.push(k));
                partial.load(&found);
                let cut =
                    |j: &Jieba| -> Vec<&str> { j.cut(line, true).iter().map(|t| t.word).collect() };
                assert_eq!(cut(&partial.jieba), cut(full), "{line}");
                let tags = |j: &Jieba| -> Vec<(String, String)> {
                    j.tag(line, false)
                        .iter()
                        .map(|t| (t.word.to_string(), t.tag.to_string()))
                        .collect()
                };
                assert_eq!(tags(&partial.jieba), tags(full), "{line}");
                lines += 1;
                words += found.len();
            }
        }
        assert!(
            lines > 200 && words > 10_000,
            "{lines} lines, {words} words"
        );
    }

    #[test]
    fn a_text_holding_the_filler_is_cut_with_the_whole_dictionary() {
        let v = Vocabulary::builtin();
        let text = "加强\u{FDD0}\u{FDD1}\u{FDD2}廉政建设";
        let words =
            |t: Vec<Token<'_>>| -> Vec<String> { t.iter().map(|t| t.word.to_string()).collect() };
        assert_eq!(words(v.tokens(text)), words(v.jieba().cut(text, true)));
        assert!(words(v.tokens(text)).contains(&"廉政建设".to_string()));
    }

    #[test]
    fn formulas_stay_whole() {
        for (text, word) in [
            ("坚决做到两个维护", "两个维护"),
            ("锲而不舍纠治四风", "四风"),
            ("班子成员一岗双责", "一岗双责"),
            ("加大谈话函询力度", "谈话函询"),
            ("落实三重一大事项报备制度", "三重一大"),
            ("用好红脸出汗清单", "红脸出汗"),
            ("两个确立的决定性意义", "两个确立"),
        ] {
            let words: Vec<&str> = Vocabulary::builtin()
                .tokens(text)
                .iter()
                .map(|t| t.word)
                .collect();
            assert!(words.contains(&word), "{text}: {words:?}");
        }
    }

    #[test]
    fn spans_are_characters() {
        let t = Vocabulary::builtin().tokens("强化政治监督");
        assert_eq!(t.last().map(|t| t.end), Some(6));
    }
}
