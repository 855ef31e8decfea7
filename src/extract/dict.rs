//! jieba-rs's own dictionary, kept as its sorted text, to find the dictionary's words in a
//! text without building the whole dictionary.
//!
//! Building jieba-rs's dictionary (350,000 words into its trie) is nearly all of a small
//! plan's run. A small input needs only the words that occur in it: [`Dict::each_in`] finds
//! them by binary search in the sorted lines, and [`super::segment`] loads just those, so
//! that a 10 KB plan is segmented exactly as with the whole dictionary at a fraction of the
//! cost.

use std::sync::OnceLock;

/// `src/data/dict.txt` of jieba-rs 0.11 (MIT licence; see `corpora/jieba/README.md`), the
/// dictionary `Jieba::new` loads: one "word frequency tag" line per word, in byte order of
/// the words.
pub const TEXT: &str = include_str!("../../corpora/jieba/dict.txt");

/// The dictionary's lines, indexed.
pub struct Dict {
    /// Byte offset of each line's start in [`TEXT`], and the text's length after the last.
    starts: Vec<u32>,
}

/// One dictionary line: word, frequency and tag, as jieba-rs reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The word.
    pub word: &'static str,
    /// Its frequency (0 when the line has none).
    pub freq: usize,
    /// Its part-of-speech tag ("" when the line has none).
    pub tag: &'static str,
}

/// The sum of the frequencies in [`TEXT`], jieba's total (a test adds them up).
const TOTAL: usize = 60_101_964;

/// The indexed dictionary, built once per process (one pass over its 5 MB for line ends).
pub fn get() -> &'static Dict {
    static DICT: OnceLock<Dict> = OnceLock::new();
    DICT.get_or_init(|| {
        let bytes = TEXT.as_bytes();
        let mut starts = Vec::with_capacity(350_000);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|at| at as u32 + 1));
        if starts.last() != Some(&(bytes.len() as u32)) {
            starts.push(bytes.len() as u32);
        }
        Dict { starts }
    })
}

impl Dict {
    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether the dictionary has no line.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sum of all frequencies.
    pub fn total(&self) -> usize {
        TOTAL
    }

    fn line(&self, k: usize) -> &'static str {
        &TEXT[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// The word of line `k` (its first field).
    fn word(&self, k: usize) -> &'static [u8] {
        let line = self.line(k).as_bytes();
        let end = line
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(line.len());
        &line[..end]
    }

    /// Line `k` as jieba-rs reads it.
    pub fn entry(&self, k: usize) -> Entry {
        let mut f = self.line(k).split_ascii_whitespace();
        let word = f.next().unwrap_or_default();
        let freq = f.next().and_then(|x| x.parse().ok()).unwrap_or(0);
        Entry {
            word,
            freq,
            tag: f.next().unwrap_or_default(),
        }
    }

    /// The line of `word`, if the dictionary has it.
    pub fn find(&self, word: &str) -> Option<usize> {
        let w = word.as_bytes();
        let k = self.lower(0, self.len(), w);
        (k < self.len() && self.word(k) == w && !w.is_empty()).then_some(k)
    }

    /// The first line in `lo..hi` whose word is not below `p`.
    fn lower(&self, mut lo: usize, mut hi: usize, p: &[u8]) -> usize {
        while lo < hi {
            let m = lo + (hi - lo) / 2;
            if self.word(m) < p {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        lo
    }

    /// The first line in `lo..hi` whose word does not start with `p`, when every word in
    /// `lo..hi` is at least `p`.
    fn past(&self, mut lo: usize, mut hi: usize, p: &[u8]) -> usize {
        while lo < hi {
            let m = lo + (hi - lo) / 2;
            if self.word(m).starts_with(p) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        lo
    }

    /// Call `f` with the line of every dictionary word that occurs in `text`, at every place
    /// it occurs: from each character, the range of words starting with the text that
    /// follows narrows one character at a time until it is empty.
    pub fn each_in(&self, text: &str, mut f: impl FnMut(usize)) {
        let bytes = text.as_bytes();
        for (i, _) in text.char_indices() {
            let (mut lo, mut hi) = (0, self.len());
            for (j, c) in text[i..].char_indices() {
                let p = &bytes[i..i + j + c.len_utf8()];
                lo = self.lower(lo, hi, p);
                hi = self.past(lo, hi, p);
                if lo == hi {
                    break;
                }
                if self.word(lo) == p {
                    f(lo);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy is jieba-rs's dictionary: as many words and the same total frequency as the
    /// one `Jieba::new` loads, and every word in it.
    #[test]
    fn the_copy_is_jiebas_dictionary() {
        let d = get();
        let full = jieba_rs::Jieba::new();
        assert_eq!(
            format!("{full:?}"),
            format!(
                "Jieba {{ records_len: {}, total_freq: {} }}",
                d.len(),
                d.total()
            )
        );
        let mut total = 0;
        for k in 0..d.len() {
            assert!(full.has_word(d.entry(k).word), "line {k}");
            total += d.entry(k).freq;
        }
        assert_eq!(total, d.total());
        // Sorted by word, each word once: binary search finds every line.
        assert!((1..d.len()).all(|k| d.word(k - 1) < d.word(k)));
    }

    #[test]
    fn words_in_a_text() {
        let d = get();
        let mut found: Vec<&str> = Vec::new();
        d.each_in("加强党风廉政建设", |k| found.push(d.entry(k).word));
        for w in ["加强", "党风", "廉政", "廉政建设", "建设", "党"] {
            assert!(found.contains(&w), "{w}: {found:?}");
        }
        assert!(!found.contains(&"风廉"));
        assert_eq!(
            d.find("廉政建设").map(|k| d.entry(k).word),
            Some("廉政建设")
        );
        assert_eq!(d.find("廉政建设局"), None);
        assert_eq!(d.find(""), None);
    }
}
