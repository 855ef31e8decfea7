//! The model: tasks → supervision items of one taxonomy, and the lists made from them.
//!
//! The category comes from a trained classifier ([`classifier`], naive Bayes over jieba
//! tokens and the taxonomy's typical words); the taxonomy itself is data in
//! `corpora/taxonomy.toml`, the labelled examples in `corpora/labels/`.

pub mod checklist;
pub mod classifier;
pub mod corrections;
pub mod item;
pub mod labels;
pub mod ledger;
pub mod lists;
pub mod merge;
pub mod normalize;
pub mod progress;
pub mod report;
pub mod score;
pub mod taxonomy;

use crate::error::Result;
use crate::extract::{self, Extracted, Vocabulary};
use crate::intake::{self, Document, Limits};
use crate::outline;
use std::path::Path;

/// Read, outline, extract and categorize one file within `limits`, with the words of `v`:
/// the pipeline up to the model, as `extract` and `checklist` run it.
pub fn read_plan(
    v: &Vocabulary,
    path: &Path,
    year: Option<i32>,
    limits: &Limits,
) -> Result<Extracted> {
    let doc = intake::read_with(path, limits)?;
    // A big document is cut with the whole dictionary: it is loaded on a second core while
    // the document is outlined and the classifier loaded.
    let bytes = doc.blocks.iter().map(|b| b.text.len()).sum();
    let (_, tree) = rayon::join(
        || v.expect(bytes),
        || {
            taxonomy::prepare();
            outline::parse(&doc.blocks)
        },
    );
    Ok(categorized(v, &doc, tree, year))
}

/// Outline, extract and categorize a read document.
pub fn plan_of(v: &Vocabulary, doc: &Document, year: Option<i32>) -> Extracted {
    categorized(v, doc, outline::parse(&doc.blocks), year)
}

fn categorized(
    v: &Vocabulary,
    doc: &Document,
    tree: outline::Outline,
    year: Option<i32>,
) -> Extracted {
    let mut ex = extract::extract(v, doc, tree, year);
    taxonomy::categorize(v, &mut ex);
    ex
}
