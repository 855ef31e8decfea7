//! The model: tasks → supervision items of one taxonomy, and the lists made from them.
//!
//! The category comes from a trained classifier ([`classifier`], naive Bayes over jieba
//! tokens and the taxonomy's typical words); the taxonomy itself is data in
//! `corpora/taxonomy.toml`, the labelled examples in `corpora/labels/`.

pub mod checklist;
pub mod classifier;
pub mod item;
pub mod labels;
pub mod lists;
pub mod merge;
pub mod normalize;
pub mod progress;
pub mod report;
pub mod taxonomy;
