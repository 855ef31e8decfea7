//! The taxonomy of supervision items (`corpora/taxonomy.toml`) and the word rule that
//! assigns a category to a task.

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

/// Assign a category to every task: the best-scoring category of its title and text, the
/// enclosing item's scores breaking ties; a task with no typical word takes its parent's.
pub fn categorize(doc: &mut Extracted) {
    let cats = categories();
    let n = doc.items.len();
    let mut chosen: Vec<String> = Vec::with_capacity(n);
    let own: Vec<Vec<f32>> = doc
        .items
        .iter()
        .map(|t| scores(&t.title, &t.text))
        .collect();
    let index: std::collections::HashMap<&str, usize> = doc
        .items
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    for i in 0..n {
        let t: &Task = &doc.items[i];
        let parent = t
            .parent
            .as_deref()
            .and_then(|p| index.get(p).copied())
            .filter(|&p| p < i);
        let mut s = own[i].clone();
        if let Some(p) = parent {
            for (a, b) in s.iter_mut().zip(&own[p]) {
                *a += 0.1 * b;
            }
        }
        let best = s
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .filter(|(_, v)| **v >= 1.0)
            .map(|(k, _)| cats[k].id.clone());
        let cat = best
            .or_else(|| parent.map(|p| chosen[p].clone()))
            .unwrap_or_else(|| "daily".to_string());
        chosen.push(cat);
    }
    for (t, c) in doc.items.iter_mut().zip(chosen) {
        t.category = c;
    }
}
