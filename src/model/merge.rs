//! Merging across documents: the items of several plans that mean the same task become one
//! item that keeps every source.
//!
//! Similarity is the cosine of TF-IDF vectors over normalized tokens ([`super::normalize::text`],
//! then jieba) of the title (counted twice) and the text; only items of the same category and
//! of different documents are compared. Pairs at or above the threshold are joined, the most
//! similar first, and two groups are never joined when they already hold items of the same
//! document (one plan does not state one task twice), so chains cannot pull unrelated items
//! together.

use super::item::SupervisionItem;
use super::normalize;
use crate::extract::Vocabulary;
use std::collections::HashMap;

/// The default `--merge-threshold`.
pub const DEFAULT_THRESHOLD: f64 = 0.25;

/// One cluster: the merged item and the indexes of its members in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The merged item (the first member's id, title and category; lists and sources of all).
    pub item: SupervisionItem,
    /// Indexes of the members in the input, in input order.
    pub members: Vec<usize>,
}

fn tokens_of(v: &Vocabulary, title: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let keep = |w: &str| w.chars().count() >= 2 && w.chars().all(|c| c.is_alphanumeric());
    let t = normalize::text(v, title);
    for tok in v.tokens(&t) {
        if keep(tok.word) {
            out.push(tok.word.to_string());
            out.push(tok.word.to_string());
        }
    }
    let body = normalize::text(v, text);
    for tok in v.tokens(&body) {
        if keep(tok.word) {
            out.push(tok.word.to_string());
        }
    }
    out
}

/// Unit TF-IDF vectors (sorted by term) of token lists, IDF over the lists themselves.
fn tfidf(docs: &[Vec<String>]) -> Vec<Vec<(String, f64)>> {
    let n = docs.len() as f64;
    let mut df: HashMap<&str, f64> = HashMap::new();
    for d in docs {
        let mut seen: Vec<&str> = d.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for w in seen {
            *df.entry(w).or_insert(0.0) += 1.0;
        }
    }
    docs.iter()
        .map(|d| {
            let mut tf: HashMap<&str, f64> = HashMap::new();
            for w in d {
                *tf.entry(w.as_str()).or_insert(0.0) += 1.0;
            }
            let mut v: Vec<(String, f64)> = tf
                .into_iter()
                .map(|(w, c)| {
                    let idf = ((1.0 + n) / (1.0 + df.get(w).copied().unwrap_or(0.0))).ln() + 1.0;
                    (w.to_string(), (1.0 + c.ln()) * idf)
                })
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            if norm > 0.0 {
                for (_, x) in &mut v {
                    *x /= norm;
                }
            }
            v
        })
        .collect()
}

fn cosine(a: &[(String, f64)], b: &[(String, f64)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// An item to merge: the item, its document (any key telling documents apart) and its text.
#[derive(Debug, Clone)]
pub struct Input {
    /// The normalized item.
    pub item: SupervisionItem,
    /// Which document it comes from.
    pub doc: usize,
    /// Its full text (title and measures when the text is unknown).
    pub text: String,
    /// Whether it encloses other items (a heading): headings merge only with headings.
    pub heading: bool,
}

/// Similarity of every comparable pair (same category, different documents, both headings
/// or both not), as
/// (i, j, cosine) with i < j.
pub fn similarities(v: &Vocabulary, inputs: &[Input]) -> Vec<(usize, usize, f64)> {
    let docs: Vec<Vec<String>> = inputs
        .iter()
        .map(|x| tokens_of(v, &x.item.title, &x.text))
        .collect();
    let vecs = tfidf(&docs);
    let mut out = Vec::new();
    for i in 0..inputs.len() {
        for j in i + 1..inputs.len() {
            let (a, b) = (&inputs[i], &inputs[j]);
            if a.doc != b.doc && a.item.category == b.item.category && a.heading == b.heading {
                out.push((i, j, cosine(&vecs[i], &vecs[j])));
            }
        }
    }
    out
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Cluster items: pairs at or above `threshold`, most similar first, joined unless their
/// groups share a document. Clusters come in the order of their first member.
pub fn cluster(v: &Vocabulary, inputs: &[Input], threshold: f64) -> Vec<Cluster> {
    let mut pairs: Vec<(usize, usize, f64)> = similarities(v, inputs)
        .into_iter()
        .filter(|p| p.2 >= threshold)
        .collect();
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let n = inputs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut docs: Vec<Vec<usize>> = inputs.iter().map(|x| vec![x.doc]).collect();
    for (i, j, _) in pairs {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a == b || docs[a].iter().any(|d| docs[b].contains(d)) {
            continue;
        }
        let (root, other) = if a < b { (a, b) } else { (b, a) };
        parent[other] = root;
        let moved = std::mem::take(&mut docs[other]);
        docs[root].extend(moved);
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        let k = *slot.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[k].push(i);
    }
    groups
        .into_iter()
        .map(|members| Cluster {
            item: merged(inputs, &members),
            members,
        })
        .collect()
}

fn union(into: &mut Vec<String>, from: &[String]) {
    for x in from {
        if !into.contains(x) {
            into.push(x.clone());
        }
    }
}

fn merged(inputs: &[Input], members: &[usize]) -> SupervisionItem {
    let mut item = inputs[members[0]].item.clone();
    for &m in &members[1..] {
        let o = &inputs[m].item;
        union(&mut item.measures, &o.measures);
        union(&mut item.responsible, &o.responsible);
        union(&mut item.lead, &o.lead);
        union(&mut item.support, &o.support);
        union(&mut item.duty, &o.duty);
        union(&mut item.targets, &o.targets);
        union(&mut item.methods, &o.methods);
        union(&mut item.areas, &o.areas);
        union(&mut item.regulations, &o.regulations);
        for t in &o.timing {
            if !item.timing.contains(t) {
                item.timing.push(t.clone());
            }
        }
        item.sources.extend(o.sources.iter().cloned());
        item.confidence = item.confidence.max(o.confidence);
    }
    item
}

/// The inputs of documents' tasks, in document order.
pub fn inputs(v: &Vocabulary, docs: &[crate::extract::Extracted]) -> Vec<Input> {
    docs.iter()
        .enumerate()
        .flat_map(|(k, d)| {
            d.items.iter().map(move |t| Input {
                item: SupervisionItem::from_task(v, &d.source, t),
                doc: k,
                text: t.text.clone(),
                heading: d
                    .items
                    .iter()
                    .any(|c| c.parent.as_deref() == Some(t.id.as_str())),
            })
        })
        .collect()
}

/// Merge the items of several documents.
pub fn merge(v: &Vocabulary, docs: &[crate::extract::Extracted], threshold: f64) -> Vec<Cluster> {
    cluster(v, &inputs(v, docs), threshold)
}
