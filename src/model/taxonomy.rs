//! The taxonomy of supervision items (`corpora/taxonomy.toml`), its typical words (features
//! of the classifier, and the fallback word rule), and `categorize`, which assigns each task
//! its category with the trained classifier.

use crate::extract::lexicon::CharMask;
use crate::extract::{Extracted, Task, Vocabulary};
use rayon::prelude::*;
use serde::Deserialize;
use std::sync::OnceLock;

/// One category.
#[derive(Debug, Clone, Deserialize)]
pub struct Category {
    /// Stable ASCII id, used in JSON.
    pub id: String,
    /// Chinese name shown to users.
    pub name: String,
    /// Typical words.
    pub words: Vec<String>,
}

#[derive(Deserialize)]
struct File {
    category: Vec<Category>,
}

static TAXONOMY: OnceLock<Vec<Category>> = OnceLock::new();

/// The categories, in the order of the taxonomy.
pub fn categories() -> &'static [Category] {
    TAXONOMY.get_or_init(|| {
        toml::from_str::<File>(include_str!("../../corpora/taxonomy.toml"))
            .map(|f| f.category)
            .unwrap_or_default()
    })
}

/// The Chinese name of a category id ("" when unknown).
pub fn name_of(id: &str) -> &'static str {
    categories()
        .iter()
        .find(|c| c.id == id)
        .map_or("", |c| c.name.as_str())
}

/// Every typical word, found by its first character: asked at every character of every item,
/// so the first characters are kept as a [`CharMask`] (one bit answers most characters), and
/// the words of each first character are compared in place.
struct Matcher {
    /// The typical words, in taxonomy order, and the category of each.
    words: Vec<(String, usize)>,
    /// The first characters: the same answer as an empty bucket, read from 512 bytes that
    /// stay in the cache instead of the buckets' 96 KB.
    mask: CharMask,
    /// The first eight bytes of each word (fewer when it is shorter) and their mask.
    heads: Vec<(u64, u64)>,
    /// The words (indexes into `words`) by their first character's code point modulo 4096
    /// (the mask's bit), longest first; words of another first character sharing the bucket
    /// fail the eight-byte compare.
    buckets: Vec<Vec<usize>>,
}

static MATCHER: OnceLock<Matcher> = OnceLock::new();

fn matcher() -> &'static Matcher {
    MATCHER.get_or_init(|| {
        let mut words = Vec::new();
        for (k, c) in categories().iter().enumerate() {
            for w in c.words.iter().filter(|w| !w.is_empty()) {
                words.push((w.clone(), k));
            }
        }
        let mut mask = CharMask::default();
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); 4096];
        for (i, (w, _)) in words.iter().enumerate() {
            if let Some(c) = w.chars().next() {
                mask.insert(c);
                buckets[c as usize & 4095].push(i);
            }
        }
        for v in &mut buckets {
            // Longest first, then in taxonomy order: the order of matches ending together.
            v.sort_by_key(|&i| (std::cmp::Reverse(words[i].0.len()), i));
        }
        let heads = words
            .iter()
            .map(|(w, _)| {
                let mut b = [0u8; 8];
                let n = w.len().min(8);
                b[..n].copy_from_slice(&w.as_bytes()[..n]);
                let mask = if n == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * n)) - 1
                };
                (u64::from_le_bytes(b), mask)
            })
            .collect();
        Matcher {
            words,
            mask,
            heads,
            buckets,
        }
    })
}

impl Matcher {
    /// Every occurrence of every typical word in `hay`, overlapping ones included, as
    /// (category, end byte), in order of their end (longer first when two end together).
    fn hits(&self, hay: &str) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        for (at, c) in hay.char_indices() {
            if !self.mask.may_contain(c) {
                continue;
            }
            let cands = &self.buckets[c as usize & 4095];
            let rest = &hay.as_bytes()[at..];
            // The next eight bytes at once: most candidates differ there (no compare call).
            let head = rest
                .get(..8)
                .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
            for &i in cands {
                let (word, category) = &self.words[i];
                let (prefix, mask) = self.heads[i];
                if head.is_some_and(|h| h & mask != prefix) {
                    continue;
                }
                if rest.starts_with(word.as_bytes()) {
                    out.push((at + word.len(), at, *category));
                }
            }
        }
        // Found by start; ordered by end, the longer (earlier start) first.
        out.sort_by_key(|&(end, start, _)| (end, start));
        out.into_iter().map(|(end, _, k)| (k, end)).collect()
    }
}

/// Score each category by its typical words: in the title (weight 3) and the text (1).
/// Overlapping occurrences count, as every word is evidence of its own.
fn scores(title: &str, text: &str) -> Vec<f32> {
    let mut s = vec![0.0; categories().len()];
    let m = matcher();
    for (hay, weight) in [(title, 3.0), (text, 1.0)] {
        for (k, _) in m.hits(hay) {
            s[k] += weight;
        }
    }
    s
}

/// The categories whose typical words occur in the title or text: one entry per occurrence
/// (overlapping occurrences count), as category indexes. The classifier's lexicon features.
pub fn word_hits(title: &str, text: &str) -> Vec<usize> {
    let m = matcher();
    if text.starts_with(title) {
        // The usual case: one pass over the text. Matches come in order of their end, so
        // the title's own matches are the text's first ones ending within it; they are
        // listed first, as a separate pass over the title would list them.
        let hits = m.hits(text);
        let in_title = hits.iter().take_while(|h| h.1 <= title.len()).count();
        let mut out = Vec::with_capacity(in_title + hits.len());
        out.extend(hits[..in_title].iter().map(|h| h.0));
        out.extend(hits.iter().map(|h| h.0));
        return out;
    }
    // Title words count twice when the text repeats the title.
    [title, text]
        .iter()
        .flat_map(|hay| m.hits(hay))
        .map(|h| h.0)
        .collect()
}

/// The word rule: the best-scoring category of a title and text by typical words alone
/// (title weight 3, text 1); None without any typical word. The fallback when the trained
/// model is unavailable.
pub fn word_rule(title: &str, text: &str) -> Option<String> {
    let s = scores(title, text);
    s.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
        .filter(|(_, v)| **v >= 1.0)
        .map(|(k, _)| categories()[k].id.clone())
}

/// Below this probability, the enclosing item's category weighs in.
const UNSURE: f64 = 0.6;

/// Below this calibrated probability an item's category is 待定: `category` is left empty
/// and the two likeliest are given as `candidates`. Chosen on the corpus by
/// `jiandu model eval --corpus` (leave one document out): see the README.
pub const PENDING_BELOW: f64 = 0.7;

/// The temperature that calibrates the naive Bayes posterior (which is far too sure of
/// itself): probabilities are raised to 1/T and normalized. Chosen with [`PENDING_BELOW`].
pub const TEMPERATURE: f64 = 2.0;

/// One item's category choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The likeliest category.
    pub category: String,
    /// Its calibrated probability.
    pub confidence: f64,
    /// The two likeliest categories, best first.
    pub candidates: Vec<String>,
}

/// Load what [`categorize`] reads (the classifier and the taxonomy's words) ahead of it, so
/// that a caller can do it while other work runs.
pub fn prepare() {
    super::classifier::embedded();
    matcher();
}

/// Assign a category to every task with the embedded classifier
/// ([`super::classifier`]); see [`choices_with`]. Items the classifier is unsure of
/// (calibrated probability below [`PENDING_BELOW`]) get no category and two candidates.
pub fn categorize(v: &Vocabulary, doc: &mut Extracted) {
    let Some(m) = super::classifier::embedded() else {
        for t in &mut doc.items {
            t.category = super::classifier::predict(v, &t.title, &t.text).category;
        }
        return;
    };
    let chosen = choices_with(v, doc, m, TEMPERATURE);
    for (t, c) in doc.items.iter_mut().zip(chosen) {
        if c.confidence < PENDING_BELOW {
            t.category = String::new();
            t.candidates = c.candidates;
        } else {
            t.category = c.category;
            t.candidates = Vec::new();
        }
    }
}

/// Calibrate a posterior: each probability raised to 1/T, normalized.
pub fn calibrate(posterior: &[f64], t: f64) -> Vec<f64> {
    softmax(posterior.iter().map(|p| p.max(1e-300).ln() / t).collect())
}

/// Probabilities from log scores, in the scores' own vector.
fn softmax(mut logs: Vec<f64>) -> Vec<f64> {
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    logs.iter_mut().for_each(|l| *l = (*l - top).exp());
    let z: f64 = logs.iter().sum();
    logs.iter_mut().for_each(|x| *x /= z);
    logs
}

/// The category choice of every task by `model`, calibrated with `temperature`; when the
/// model is unsure of an item, the enclosing item's probabilities break the tie (the
/// section an item stands in, as `taxonomy.md` says).
pub fn choices_with(
    v: &Vocabulary,
    doc: &Extracted,
    model: &super::classifier::Model,
    temperature: f64,
) -> Vec<Choice> {
    let n = doc.items.len();
    // Each item is predicted on its own: in parallel, in document order.
    let preds: Vec<super::classifier::Prediction> = doc
        .items
        .par_iter()
        .map(|t| {
            if t.tokens.is_empty() {
                model.predict(v, &t.title, &t.text)
            } else {
                model.predict_tokens(v, &t.title, &t.text, &t.tokens)
            }
        })
        .collect();
    let index: std::collections::HashMap<&str, usize, crate::extract::lexicon::FastHash> = doc
        .items
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let classes = model.classes();
    // An item's choice reads only its own and its parent's prediction.
    (0..n)
        .into_par_iter()
        .map(|i| {
            let t: &Task = &doc.items[i];
            let p = &preds[i];
            let parent = t
                .parent
                .as_deref()
                .and_then(|q| index.get(q).copied())
                .filter(|&q| q < i);
            let mixed: Vec<f64> = match parent {
                Some(q)
                    if p.confidence < UNSURE && preds[q].posterior.len() == p.posterior.len() =>
                {
                    softmax(
                        p.posterior
                            .iter()
                            .zip(&preds[q].posterior)
                            .map(|(a, b)| a.max(1e-12).ln() + 0.3 * b.max(1e-12).ln())
                            .collect(),
                    )
                }
                _ => p.posterior.clone(),
            };
            let cal = calibrate(&mixed, temperature);
            let mut order: Vec<usize> = (0..cal.len()).collect();
            order.sort_by(|&a, &b| cal[b].total_cmp(&cal[a]).then(a.cmp(&b)));
            let best = order.first().copied();
            let category = best
                .and_then(|k| classes.get(k).cloned())
                .unwrap_or_else(|| p.category.clone());
            Choice {
                category,
                confidence: best.map_or(0.0, |k| cal[k]),
                candidates: order
                    .iter()
                    .take(2)
                    .filter_map(|&k| classes.get(k).cloned())
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typical words found as an Aho-Corasick automaton finds them, overlapping: the
    /// same matches in the same order (the order in which the classifier adds them up).
    #[test]
    fn hits_equal_an_automatons() {
        let m = matcher();
        let words: Vec<&str> = m.words.iter().map(|(w, _)| w.as_str()).collect();
        let ac = aho_corasick::AhoCorasick::new(&words).expect("automaton");
        let mut texts: Vec<String> = Vec::new();
        for dir in ["corpora/plans", "corpora/labels", "corpora/samples"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for e in std::fs::read_dir(dir).expect("corpus folder") {
                let text = std::fs::read_to_string(e.expect("entry").path()).unwrap_or_default();
                texts.extend(text.lines().map(str::to_string));
            }
        }
        // Words inside words and words ending together.
        texts.push(words.concat());
        texts.push(words.iter().rev().map(|w| format!("{w}{w}")).collect());
        let mut found = 0;
        for t in &texts {
            let expect: Vec<(usize, usize)> = ac
                .find_overlapping_iter(t.as_str())
                .map(|h| (m.words[h.pattern().as_usize()].1, h.end()))
                .collect();
            assert_eq!(m.hits(t), expect, "{t}");
            found += expect.len();
        }
        assert!(found > 1000, "{found}");
    }

    /// The one-pass count equals counting the title and the text separately.
    #[test]
    fn word_hits_in_one_pass_equal_two_passes() {
        let m = matcher();
        let two = |title: &str, text: &str| -> Vec<usize> {
            [title, text]
                .iter()
                .flat_map(|hay| m.hits(hay))
                .map(|h| h.0)
                .collect()
        };
        let plan = include_str!("../../corpora/plans/001_7a548ebd6d4d31cb.txt");
        let mut checked = 0;
        for line in plan.lines().filter(|l| l.chars().count() > 8) {
            for cut in [2, 6, 12, 40] {
                let title: String = line.chars().take(cut).collect();
                assert_eq!(word_hits(&title, line), two(&title, line), "{line}");
                checked += usize::from(!word_hits(&title, line).is_empty());
            }
        }
        assert!(checked > 20, "{checked}");
    }
}
