//! Segmentation with jieba-rs, the domain dictionary and the lexicons.
//!
//! The segmenter is built once per process, lazily, on first use: loading jieba's default
//! dictionary costs over 100 ms, and commands that never segment never pay it. Every lexicon
//! entry is added to the dictionary, so the fixed formulas (四风, 一岗双责 …) and the slot
//! terms come out as single tokens wherever their characters allow.
//!
//! Token positions are in characters (jieba-rs reports them so), and all spans in jiandu are
//! in characters.

use super::lexicon::Lexicons;
use jieba_rs::Jieba;
use std::sync::OnceLock;

/// The built-in domain dictionary (`corpora/dict.txt`).
pub const DOMAIN_DICT: &str = include_str!("../../corpora/dict.txt");

/// A token: its text, its character span (`start`, `end`) and its byte span (`byte_start`,
/// `byte_end`) in the segmented string. jieba-rs's own token type, so that a cut is handed
/// on as jieba-rs returns it, without a copy.
pub use jieba_rs::Token;

static JIEBA: OnceLock<Jieba> = OnceLock::new();

/// Frequency given to lexicon entries that are not in the domain dictionary.
const LEXICON_FREQ: usize = 20_000;

/// Add dictionary lines ("word [freq] [tag]") to jieba, skipping comments and blank lines.
fn add_dict_lines(jieba: &mut Jieba, text: &str) {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let freq = parts.next().and_then(|f| f.parse().ok());
        let tag = parts.next();
        jieba.add_word(word, freq.or(Some(LEXICON_FREQ)), tag);
    }
}

/// The process-wide segmenter.
pub fn jieba() -> &'static Jieba {
    JIEBA.get_or_init(|| {
        let mut jieba = Jieba::new();
        add_dict_lines(&mut jieba, DOMAIN_DICT);
        if let Some(text) = super::userdata::file("dict.txt") {
            add_dict_lines(&mut jieba, text);
        }
        let lex = Lexicons::get();
        for word in lex.all_entries() {
            // Short entries become words; longer ones (班子成员一岗双责) are matched as token
            // sequences, so the formulas inside them stay tokens of their own.
            let n = word.chars().count();
            if n <= 4 && word.chars().all(|c| c.is_alphanumeric()) && !jieba.has_word(word) {
                jieba.add_word(word, Some(LEXICON_FREQ), None);
            }
        }
        jieba
    })
}

/// Segment a string into tokens (HMM on, for unknown words).
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    jieba().cut(text, true)
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

/// The part of speech jieba gives a word tagged on its own, remembered per thread: a plan's
/// vocabulary is small and its words recur, so each is tagged once.
pub fn pos_of(word: &str) -> Pos {
    use std::cell::RefCell;
    thread_local! {
        static SEEN: RefCell<super::lexicon::WordMap<Pos>> =
            RefCell::new(super::lexicon::WordMap::default());
    }
    SEEN.with(|seen| {
        if let Some(&p) = seen.borrow().get(word) {
            return p;
        }
        // A word the dictionaries do not hold (made by the HMM) is tagged by jieba's posseg
        // model, which costs about 70 ms to load: such words are names and terms, never the
        // adverbs, prepositions or verbs asked about here.
        let known = jieba().has_word(word);
        let tag = if known {
            jieba().tag(word, false).first().map(|t| t.tag)
        } else {
            None
        };
        let pos = match tag {
            Some("d") => Pos::Adverb,
            Some("c") => Pos::Conjunction,
            Some("t") => Pos::Time,
            Some("p") => Pos::Preposition,
            Some(t) if t.starts_with('v') => Pos::Verb,
            _ => Pos::Other,
        };
        let mut seen = seen.borrow_mut();
        // A bound, so that a huge input of distinct "words" cannot grow it without end.
        if seen.len() < 200_000 {
            seen.insert(word, pos);
        }
        pos
    })
}

/// Segment a string into words with their part-of-speech tags.
pub fn tagged(text: &str) -> Vec<(&str, &str)> {
    jieba()
        .tag(text, true)
        .into_iter()
        .map(|t| (t.word, t.tag))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let words: Vec<&str> = tokens(text).iter().map(|t| t.word).collect();
            assert!(words.contains(&word), "{text}: {words:?}");
        }
    }

    #[test]
    fn spans_are_characters() {
        let t = tokens("强化政治监督");
        assert_eq!(t.last().map(|t| t.end), Some(6));
    }
}
