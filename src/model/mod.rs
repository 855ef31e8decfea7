//! The model: tasks → supervision items of one taxonomy, and the lists made from them.
//!
//! For now the category comes from the taxonomy's typical words (a transparent rule that the
//! trained classifier replaces); the taxonomy itself is data in `corpora/taxonomy.toml`.

pub mod checklist;
pub mod taxonomy;
