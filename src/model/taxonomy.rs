//! The taxonomy of supervision items (`corpora/taxonomy.toml`), its typical words (features
//! of the classifier, and the fallback word rule), and `categorize`, which assigns each task
//! its category with the trained classifier.

use crate::extract::{Extracted, Task};
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

/// One automaton over every typical word, with the category of each pattern.
struct Matcher {
    ac: aho_corasick::AhoCorasick,
    category_of: Vec<usize>,
}

static MATCHER: OnceLock<Option<Matcher>> = OnceLock::new();

fn matcher() -> Option<&'static Matcher> {
    MATCHER
        .get_or_init(|| {
            let mut words = Vec::new();
            let mut category_of = Vec::new();
            for (k, c) in categories().iter().enumerate() {
                for w in &c.words {
                    words.push(w.as_str());
                    category_of.push(k);
                }
            }
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
                // A full DFA: a few hundred patterns, and it is scanned over every item.
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&words)
                .ok()
                .map(|ac| Matcher { ac, category_of })
        })
        .as_ref()
}

/// Score each category by its typical words: in the title (weight 3) and the text (1).
/// Overlapping occurrences count, as every word is evidence of its own.
fn scores(title: &str, text: &str) -> Vec<f32> {
    let mut s = vec![0.0; categories().len()];
    if let Some(m) = matcher() {
        for (hay, weight) in [(title, 3.0), (text, 1.0)] {
            for hit in m.ac.find_overlapping_iter(hay) {
                s[m.category_of[hit.pattern().as_usize()]] += weight;
            }
        }
    }
    s
}

/// The categories whose typical words occur in the title or text: one entry per occurrence
/// (overlapping occurrences count), as category indexes. The classifier's lexicon features.
pub fn word_hits(title: &str, text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(m) = matcher() else {
        return out;
    };
    if text.starts_with(title) {
        // The usual case: one pass over the text. Matches come in order of their end, so
        // the title's own matches are the text's first ones ending within it; they are
        // listed first, as a separate pass over the title would list them.
        let hits: Vec<(usize, usize)> =
            m.ac.find_overlapping_iter(text)
                .map(|h| (m.category_of[h.pattern().as_usize()], h.end()))
                .collect();
        let in_title = hits.iter().take_while(|h| h.1 <= title.len()).count();
        out.extend(hits[..in_title].iter().map(|h| h.0));
        out.extend(hits.iter().map(|h| h.0));
        return out;
    }
    // Title words count twice when the text repeats the title.
    for hay in [title, text] {
        for hit in m.ac.find_overlapping_iter(hay) {
            out.push(m.category_of[hit.pattern().as_usize()]);
        }
    }
    out
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

/// Assign a category to every task with the trained classifier
/// ([`super::classifier`]); when the classifier is unsure of an item, the enclosing item's
/// probabilities break the tie (the section an item stands in, as `taxonomy.md` says).
pub fn categorize(doc: &mut Extracted) {
    let n = doc.items.len();
    let preds: Vec<super::classifier::Prediction> = doc
        .items
        .iter()
        .map(|t| {
            let tokens = (!t.tokens.is_empty()).then_some(t.tokens.as_slice());
            super::classifier::predict_tokens(&t.title, &t.text, tokens)
        })
        .collect();
    let index: std::collections::HashMap<&str, usize, crate::extract::lexicon::FastHash> = doc
        .items
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let classes: Vec<String> = super::classifier::embedded()
        .map(|m| m.classes().to_vec())
        .unwrap_or_default();
    let mut chosen: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let t: &Task = &doc.items[i];
        let p = &preds[i];
        let parent = t
            .parent
            .as_deref()
            .and_then(|q| index.get(q).copied())
            .filter(|&q| q < i);
        let cat = match parent {
            Some(q) if p.confidence < UNSURE && preds[q].posterior.len() == p.posterior.len() => {
                let best = p
                    .posterior
                    .iter()
                    .zip(&preds[q].posterior)
                    .map(|(a, b)| a.max(1e-12).ln() + 0.3 * b.max(1e-12).ln())
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(k, _)| k);
                best.and_then(|k| classes.get(k).cloned())
                    .unwrap_or_else(|| p.category.clone())
            }
            _ => p.category.clone(),
        };
        chosen.push(cat);
    }
    for (t, c) in doc.items.iter_mut().zip(chosen) {
        t.category = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass count equals counting the title and the text separately.
    #[test]
    fn word_hits_in_one_pass_equal_two_passes() {
        let m = matcher().expect("taxonomy words");
        let two = |title: &str, text: &str| -> Vec<usize> {
            [title, text]
                .iter()
                .flat_map(|hay| m.ac.find_overlapping_iter(*hay))
                .map(|h| m.category_of[h.pattern().as_usize()])
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
