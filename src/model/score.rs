//! Scoring the extraction against hand-made gold: `jiandu model eval --corpus DIR`.
//!
//! A corpus folder holds `docs/NAME.txt` (one paragraph or table row per line, cells joined
//! by a tab) and `gold/NAME.json` (the document's kind and metadata, its items and the lines
//! that are not items; the format is the one of the project's shared corpus README). Each
//! document is read, outlined and extracted as `jiandu extract` does; its items are aligned
//! with the gold items in document order, and the figures are counted over that alignment:
//! - outline precision/recall/F1 (an item is found when it is aligned with a gold item) and
//!   depth accuracy (aligned items at the gold level);
//! - rows that are not tasks: extracted items that are one of the gold's `not_items`;
//! - 责任单位 precision/recall/F1 over units (responsible ∪ lead ∪ support), compared after
//!   removing punctuation and spaces; units of unaligned items count as misses or extras;
//! - due dates precision/recall/F1, counted the same way;
//! - categories with the classifier trained without the document (leave one document out):
//!   accuracy over the gold items that have a category, and the share left 待定.
//!
//! The gold is plain data passed in; nothing here reads the environment.

use super::classifier::{self, Example, Model};
use crate::error::{Error, Result};
use crate::extract::Extracted;
use crate::extract::Vocabulary;
use crate::intake::Limits;
use serde::Deserialize;
use std::path::Path;

/// One gold document.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// plan, notice, report, bulletin or table.
    pub kind: String,
    /// Title, issuer, date, 文号 and year.
    pub meta: GoldMeta,
    /// The items in document order.
    pub items: Vec<GoldItem>,
    /// Lines that look like items but are not tasks.
    #[serde(default)]
    pub not_items: Vec<String>,
}

/// A gold document's metadata.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldMeta {
    /// The document's title.
    #[serde(default)]
    pub title: Option<String>,
    /// 发文机关.
    #[serde(default)]
    pub issuer: Option<String>,
    /// 成文日期, YYYY-MM-DD.
    #[serde(default)]
    pub date: Option<String>,
    /// 文号.
    #[serde(default)]
    pub doc_number: Option<String>,
    /// The year the plan is for.
    #[serde(default)]
    pub year: Option<i32>,
}

/// A gold item.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldItem {
    /// The marker as printed ("" when unnumbered).
    #[serde(default)]
    pub marker: String,
    /// Depth in the document, 1 = top.
    pub level: u8,
    /// The item's short title.
    pub title: String,
    /// Units or roles that do it.
    #[serde(default)]
    pub responsible: Vec<String>,
    /// 牵头 units.
    #[serde(default)]
    pub lead: Vec<String>,
    /// 配合 units.
    #[serde(default)]
    pub support: Vec<String>,
    /// Time expressions as written.
    #[serde(default)]
    pub timing: Vec<String>,
    /// Deadlines, YYYY-MM-DD.
    #[serde(default)]
    pub due: Vec<String>,
    /// Category id, or none.
    #[serde(default)]
    pub category: Option<String>,
}

/// Counts of a precision/recall measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    /// Found and right.
    pub tp: usize,
    /// Found but not in the gold.
    pub fp: usize,
    /// In the gold but not found.
    pub fn_: usize,
}

impl Prf {
    /// Precision (1 when nothing was found and nothing was to be found).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Prf) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    /// Count two sets (already normalized, without duplicates).
    fn count(&mut self, found: &[String], gold: &[String]) {
        let tp = found.iter().filter(|f| gold.contains(f)).count();
        self.tp += tp;
        self.fp += found.len() - tp;
        self.fn_ += gold.len() - tp;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The figures of one document (or of all, added up).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// The document's name (file stem), or 合计.
    pub name: String,
    /// Documents counted.
    pub docs: usize,
    /// Outline items found, against the gold items.
    pub outline: Prf,
    /// Aligned items at the gold's depth.
    pub depth_right: usize,
    /// Extracted items that are one of the gold's not-items.
    pub not_tasks: usize,
    /// Extracted items in all.
    pub extracted: usize,
    /// 责任单位.
    pub units: Prf,
    /// Due dates.
    pub due: Prf,
    /// Gold items with a category that were aligned.
    pub cat_total: usize,
    /// Of those, given the gold's category.
    pub cat_right: usize,
    /// Of those, left 待定 (no category).
    pub cat_pending: usize,
    /// Documents whose plan year is the gold's.
    pub year_right: usize,
    /// Documents whose kind is the gold's.
    pub kind_right: usize,
}

impl Score {
    /// Depth accuracy over aligned items.
    pub fn depth(&self) -> f64 {
        ratio(self.depth_right, self.outline.tp)
    }
    /// Share of extracted items that are not tasks.
    pub fn not_task_rate(&self) -> f64 {
        if self.extracted == 0 {
            0.0
        } else {
            self.not_tasks as f64 / self.extracted as f64
        }
    }
    /// Category accuracy over the items given a category (待定 left out).
    pub fn cat_accuracy(&self) -> f64 {
        ratio(self.cat_right, self.cat_total - self.cat_pending)
    }
    /// Category accuracy with 待定 counted as wrong.
    pub fn cat_accuracy_all(&self) -> f64 {
        ratio(self.cat_right, self.cat_total)
    }
    /// Share of items left 待定.
    pub fn pending_rate(&self) -> f64 {
        if self.cat_total == 0 {
            0.0
        } else {
            self.cat_pending as f64 / self.cat_total as f64
        }
    }
    fn add(&mut self, o: &Score) {
        self.docs += o.docs;
        self.outline.add(o.outline);
        self.depth_right += o.depth_right;
        self.not_tasks += o.not_tasks;
        self.extracted += o.extracted;
        self.units.add(o.units);
        self.due.add(o.due);
        self.cat_total += o.cat_total;
        self.cat_right += o.cat_right;
        self.cat_pending += o.cat_pending;
        self.year_right += o.year_right;
        self.kind_right += o.kind_right;
    }
}

/// One difference between the extraction and the gold, for `--errors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// The document.
    pub doc: String,
    /// What differs, in Chinese.
    pub what: String,
}

/// The figures of a corpus: per document, the total, and the differences.
#[derive(Debug, Clone, Default)]
pub struct CorpusScore {
    /// Per document, in name order.
    pub docs: Vec<Score>,
    /// All documents added up.
    pub total: Score,
    /// Every difference found.
    pub misses: Vec<Miss>,
    /// Every leave-one-document-out category prediction of an aligned gold item.
    pub categories: Vec<CatRecord>,
}

/// Text compared without punctuation, spaces or marks: letters and digits only.
pub fn norm(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// How alike an extracted item is to a gold item, 0..=1: 1 when one title opens the other
/// (or the extracted text opens with the gold title), else the Dice coefficient of their
/// character bigrams.
fn similarity(gold_title: &str, title: &str, text: &str) -> f64 {
    let (g, t) = (norm(gold_title), norm(title));
    if g.is_empty() || t.is_empty() {
        return 0.0;
    }
    let short = g.chars().count().min(t.chars().count());
    if g == t || (short >= 4 && (g.starts_with(&t) || t.starts_with(&g))) {
        return 1.0;
    }
    let x = norm(text);
    if g.chars().count() >= 4 && x.starts_with(&g) {
        return 1.0;
    }
    let bigrams = |s: &str| -> Vec<(char, char)> {
        let cs: Vec<char> = s.chars().collect();
        let mut v: Vec<(char, char)> = cs.windows(2).map(|w| (w[0], w[1])).collect();
        v.sort_unstable();
        v
    };
    let (a, b) = (bigrams(&g), bigrams(&t));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Below this similarity an extracted item is not the gold item.
const MATCH: f64 = 0.5;

/// Align extracted items with gold items in order (the alignment of greatest total
/// similarity, pairs below [`MATCH`] not allowed): for each gold item, the extracted one.
fn align(gold: &[GoldItem], ex: &Extracted) -> Vec<Option<usize>> {
    let (n, m) = (gold.len(), ex.items.len());
    let sim: Vec<Vec<f64>> = gold
        .iter()
        .map(|g| {
            ex.items
                .iter()
                .map(|t| {
                    let s = similarity(&g.title, &t.title, &t.text);
                    // The same marker makes a pair likelier (and breaks ties).
                    let bonus = if !g.marker.is_empty() && norm(&g.marker) == norm(&t.marker) {
                        0.01
                    } else {
                        0.0
                    };
                    if s >= MATCH {
                        s + bonus
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let pair = if sim[i][j] > 0.0 {
                sim[i][j] + best[i + 1][j + 1]
            } else {
                0.0
            };
            best[i][j] = pair.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut out = vec![None; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if sim[i][j] > 0.0 && (best[i][j] - (sim[i][j] + best[i + 1][j + 1])).abs() < 1e-9 {
            out[i] = Some(j);
            i += 1;
            j += 1;
        } else if (best[i][j] - best[i + 1][j]).abs() < 1e-9 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

fn units_of(lists: [&[String]; 3]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lists {
        for u in l {
            let u = norm(u);
            if !u.is_empty() && !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

/// The units an extracted item's own text names (inherited ones are the parent's: the gold
/// lists only what the item's own text says).
fn own_units(t: &crate::extract::Task) -> Vec<String> {
    if t.inherited {
        Vec::new()
    } else {
        units_of([&t.responsible, &t.lead, &t.support])
    }
}

/// The deadlines of an extracted item: the dates of its timings that do not recur (the gold
/// lists concrete deadlines only, 每月/每季度 none).
fn dues_of(t: &crate::extract::Task) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in t
        .timing
        .iter()
        .filter(|x| !x.recurring)
        .flat_map(|x| &x.due)
    {
        if !out.contains(d) {
            out.push(d.clone());
        }
    }
    out
}

fn gold_dues(g: &GoldItem) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in &g.due {
        if !out.contains(d) {
            out.push(d.clone());
        }
    }
    out
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        out.push('…');
    }
    out
}

/// Score one extracted document against its gold. `categories` are the categories given
/// to the extracted items (by a model trained without this document), one per item, None
/// for 待定; when absent the items' own categories are used.
pub fn score_doc(
    name: &str,
    gold: &Gold,
    ex: &Extracted,
    categories: Option<&[Option<String>]>,
    misses: &mut Vec<Miss>,
) -> Score {
    score_aligned(name, gold, ex, &align(&gold.items, ex), categories, misses)
}

/// [`score_doc`] with the gold items already aligned (`pairs`, from [`align`]).
fn score_aligned(
    name: &str,
    gold: &Gold,
    ex: &Extracted,
    pairs: &[Option<usize>],
    categories: Option<&[Option<String>]>,
    misses: &mut Vec<Miss>,
) -> Score {
    let mut s = Score {
        name: name.to_string(),
        docs: 1,
        extracted: ex.items.len(),
        ..Score::default()
    };
    let miss = |misses: &mut Vec<Miss>, what: String| {
        misses.push(Miss {
            doc: name.to_string(),
            what,
        })
    };
    let mut taken = vec![false; ex.items.len()];
    for (g, p) in gold.items.iter().zip(pairs) {
        let gold_units = units_of([&g.responsible, &g.lead, &g.support]);
        let gold_due = gold_dues(g);
        let Some(j) = *p else {
            s.outline.fn_ += 1;
            s.units.fn_ += gold_units.len();
            s.due.fn_ += gold_due.len();
            miss(misses, format!("未找到：{} {}", g.marker, short(&g.title)));
            continue;
        };
        taken[j] = true;
        let t = &ex.items[j];
        s.outline.tp += 1;
        if t.level == g.level {
            s.depth_right += 1;
        } else {
            miss(
                misses,
                format!(
                    "层级：{} 应为 {}，提取为 {}",
                    short(&g.title),
                    g.level,
                    t.level
                ),
            );
        }
        let found = own_units(t);
        let before = s.units;
        s.units.count(&found, &gold_units);
        if s.units.fp != before.fp || s.units.fn_ != before.fn_ {
            miss(
                misses,
                format!(
                    "责任单位：{} 应为 {:?}，提取为 {:?}",
                    short(&g.title),
                    gold_units,
                    found
                ),
            );
        }
        let dues = dues_of(t);
        let before = s.due;
        s.due.count(&dues, &gold_due);
        if s.due.fp != before.fp || s.due.fn_ != before.fn_ {
            miss(
                misses,
                format!(
                    "时限：{} 应为 {:?}（{:?}），提取为 {:?}",
                    short(&g.title),
                    gold_due,
                    g.timing,
                    dues
                ),
            );
        }
        if let Some(gc) = &g.category {
            s.cat_total += 1;
            let pc: Option<&str> = match categories {
                Some(c) => c.get(j).and_then(|x| x.as_deref()),
                None => Some(t.category.as_str()).filter(|c| !c.is_empty()),
            };
            match pc {
                None => s.cat_pending += 1,
                Some(c) if c == gc => s.cat_right += 1,
                Some(c) => miss(
                    misses,
                    format!("类别：{} 应为 {gc}，判为 {c}", short(&g.title)),
                ),
            }
        }
    }
    let not_items: Vec<String> = gold.not_items.iter().map(|l| norm(l)).collect();
    for (j, t) in ex.items.iter().enumerate() {
        if taken[j] {
            continue;
        }
        s.outline.fp += 1;
        s.units.fp += own_units(t).len();
        s.due.fp += dues_of(t).len();
        let text = norm(&t.text);
        let not_task = !text.is_empty()
            && not_items
                .iter()
                .any(|l| !l.is_empty() && (l.contains(&text) || text.contains(l.as_str())));
        if not_task {
            s.not_tasks += 1;
            miss(misses, format!("非任务行被当作事项：{}", short(&t.text)));
        } else {
            miss(
                misses,
                format!("多出的事项：{} {}", t.marker, short(&t.title)),
            );
        }
    }
    let kind = serde_json::to_value(ex.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if kind == gold.kind {
        s.kind_right += 1;
    } else {
        miss(
            misses,
            format!("文档类型：应为 {}，识别为 {kind}", gold.kind),
        );
    }
    if ex.year == gold.meta.year {
        s.year_right += 1;
    } else {
        miss(
            misses,
            format!("年度：应为 {:?}，识别为 {:?}", gold.meta.year, ex.year),
        );
    }
    s
}

/// One corpus document: its name, its gold and its text file.
struct Entry {
    name: String,
    gold: Gold,
    doc: std::path::PathBuf,
}

fn entries(dir: &Path) -> Result<Vec<Entry>> {
    let gold_dir = dir.join("gold");
    let docs_dir = dir.join("docs");
    if !gold_dir.is_dir() || !docs_dir.is_dir() {
        return Err(Error::file(
            dir,
            "不是评测语料文件夹：其中应有 docs（原文 .txt）和 gold（标注 .json）两个文件夹",
        ));
    }
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&gold_dir)
        .map_err(|e| Error::io(&gold_dir, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::file(&gold_dir, "文件夹中没有 .json 标注文件"));
    }
    let mut out = Vec::new();
    for f in files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&f).map_err(|e| Error::io(&f, &e))?;
        let gold: Gold = serde_json::from_str(&text).map_err(|e| {
            Error::file(
                &f,
                format!(
                    "标注格式不对（第{}行第{}列）：应为含 kind、meta、items 的 JSON",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        let doc = docs_dir.join(format!("{name}.txt"));
        if !doc.is_file() {
            return Err(Error::file(&doc, "找不到与标注同名的原文 .txt 文件"));
        }
        out.push(Entry { name, gold, doc });
    }
    Ok(out)
}

/// The category choices of a document's items by `model`: the likeliest category and its
/// calibrated probability, per item.
pub type Categorizer<'a> = dyn Fn(&Extracted, &Model) -> Vec<(String, f64)> + 'a;

/// One leave-one-document-out prediction of a gold item with a category: its calibrated
/// probability and whether it was right (for choosing the 待定 threshold).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CatRecord {
    /// The calibrated probability of the predicted category.
    pub confidence: f64,
    /// Whether it is the gold's.
    pub right: bool,
}

/// The corpus's own examples, per document: each gold item with a category, with the text
/// of the extracted item it is aligned with (its title alone when none is).
fn examples_of(docs: &[Read]) -> Vec<Vec<Example>> {
    docs.iter()
        .map(
            |Read {
                 entry: e,
                 ex,
                 pairs,
             }| {
                e.gold
                    .items
                    .iter()
                    .zip(pairs.iter().copied())
                    .filter_map(|(g, p)| {
                        let cat = g.category.clone()?;
                        let text = p.map_or_else(|| g.title.clone(), |j| ex.items[j].text.clone());
                        Some(Example {
                            category: cat,
                            title: g.title.clone(),
                            text,
                            origin: e.name.clone(),
                        })
                    })
                    .collect()
            },
        )
        .collect()
}

/// The labelled examples of a corpus folder (for training): every gold item with a
/// category, with the extracted text of its item.
pub fn corpus_examples(v: &Vocabulary, dir: &Path, limits: &Limits) -> Result<Vec<Example>> {
    Ok(examples_of(&read_corpus(v, dir, limits)?)
        .into_iter()
        .flatten()
        .collect())
}

/// A corpus document read: its entry, its extraction and the alignment of its gold items.
struct Read {
    entry: Entry,
    ex: Extracted,
    pairs: Vec<Option<usize>>,
}

/// Read, extract and align every document of a corpus folder, once.
fn read_corpus(v: &Vocabulary, dir: &Path, limits: &Limits) -> Result<Vec<Read>> {
    entries(dir)?
        .into_iter()
        .map(|entry| {
            let ex = super::read_plan(v, &entry.doc, None, limits)?;
            let pairs = align(&entry.gold.items, &ex);
            Ok(Read { entry, ex, pairs })
        })
        .collect()
}

/// Score every document of a corpus folder. `labels` are the project's own labelled
/// examples (the seeds); for each document the classifier is trained on them and on the
/// gold categories of the other documents, and `categorize` gives the document's items
/// their categories with that model.
pub fn score_corpus(
    v: &Vocabulary,
    dir: &Path,
    labels: &[Example],
    limits: &Limits,
    categorize: &Categorizer<'_>,
    pending_below: f64,
) -> Result<CorpusScore> {
    let docs = read_corpus(v, dir, limits)?;
    let examples = examples_of(&docs);
    let mut out = CorpusScore {
        total: Score {
            name: "合计".into(),
            ..Score::default()
        },
        ..CorpusScore::default()
    };
    for (
        k,
        Read {
            entry: e,
            ex,
            pairs,
        },
    ) in docs.iter().enumerate()
    {
        let mut train: Vec<Example> = labels.to_vec();
        for (i, ex) in examples.iter().enumerate() {
            if i != k {
                train.extend(ex.iter().cloned());
            }
        }
        let model = classifier::train(v, &train, classifier::ALPHA).model();
        let choices = categorize(ex, &model);
        let cats: Vec<Option<String>> = choices
            .iter()
            .map(|(c, p)| (*p >= pending_below).then(|| c.clone()))
            .collect();
        for (g, &j) in e.gold.items.iter().zip(pairs) {
            if let (Some(gc), Some(j)) = (&g.category, j) {
                if let Some((c, p)) = choices.get(j) {
                    out.categories.push(CatRecord {
                        confidence: *p,
                        right: c == gc,
                    });
                }
            }
        }
        let s = score_aligned(&e.name, &e.gold, ex, pairs, Some(&cats), &mut out.misses);
        out.total.add(&s);
        out.docs.push(s);
    }
    Ok(out)
}

/// Category accuracy (over the decided) and the share left 待定, for each threshold.
pub fn threshold_table(records: &[CatRecord], thresholds: &[f64]) -> String {
    let mut s = String::from("待定阈值\t已定准确率\t待定比例\n");
    for &t in thresholds {
        let decided: Vec<&CatRecord> = records.iter().filter(|r| r.confidence >= t).collect();
        let right = decided.iter().filter(|r| r.right).count();
        s.push_str(&format!(
            "{t:.2}\t{:.3}\t{:.1}%\n",
            ratio(right, decided.len()),
            100.0 * (records.len() - decided.len()) as f64 / records.len().max(1) as f64
        ));
    }
    s
}

/// The figures as a table, one row a document and the total, in Chinese.
pub fn report(c: &CorpusScore) -> String {
    let mut s = String::new();
    s.push_str("文档\t要点(标注/提取/对上)\t提纲P/R/F1\t层级\t非任务行\t责任单位P/R/F1\t时限P/R/F1\t类别(对/总/待定)\t年度\t类型\n");
    let f3 = |x: f64| format!("{x:.2}");
    for d in c.docs.iter().chain(std::iter::once(&c.total)) {
        s.push_str(&format!(
            "{}\t{}/{}/{}\t{}/{}/{}\t{}\t{}\t{}/{}/{}\t{}/{}/{}\t{}/{}/{}\t{}/{}\t{}/{}\n",
            d.name,
            d.outline.tp + d.outline.fn_,
            d.extracted,
            d.outline.tp,
            f3(d.outline.precision()),
            f3(d.outline.recall()),
            f3(d.outline.f1()),
            f3(d.depth()),
            d.not_tasks,
            f3(d.units.precision()),
            f3(d.units.recall()),
            f3(d.units.f1()),
            f3(d.due.precision()),
            f3(d.due.recall()),
            f3(d.due.f1()),
            d.cat_right,
            d.cat_total,
            d.cat_pending,
            d.year_right,
            d.docs,
            d.kind_right,
            d.docs,
        ));
    }
    let t = &c.total;
    s.push_str(&format!(
        "\n合计：提纲 F1 {:.3}，层级准确率 {:.3}，非任务行 {:.1}%（{}/{}），责任单位 F1 {:.3}，时限 F1 {:.3}，类别准确率 {:.3}（待定计为错：{:.3}；待定 {:.1}%），年度 {}/{}，文档类型 {}/{}\n",
        t.outline.f1(),
        t.depth(),
        100.0 * t.not_task_rate(),
        t.not_tasks,
        t.extracted,
        t.units.f1(),
        t.due.f1(),
        t.cat_accuracy(),
        t.cat_accuracy_all(),
        100.0 * t.pending_rate(),
        t.year_right,
        t.docs,
        t.kind_right,
        t.docs,
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_align_by_prefix_and_bigrams() {
        assert_eq!(
            similarity("强化政治监督", "强化政治监督，推动落实", ""),
            1.0
        );
        assert_eq!(similarity("加强日常监督", "完全无关的内容", ""), 0.0);
        assert!(similarity("深化以案促改工作", "深化以案促改", "") >= 0.99);
    }

    #[test]
    fn counts_of_sets() {
        let mut p = Prf::default();
        p.count(&["a".into(), "b".into()], &["b".into(), "c".into()]);
        assert_eq!((p.tp, p.fp, p.fn_), (1, 1, 1));
        assert!((p.f1() - 0.5).abs() < 1e-9);
    }
}
