//! Extraction: outline items → tasks with their slots (measures, responsible parties,
//! targets, methods, areas, timing, regulations), via jieba tokens and the lexicons in
//! `corpora/lexicons/`.
//!
//! Each item is segmented once (with part-of-speech tags); every slot is read off that one
//! token list. Spans are in characters of the source paragraph, like jieba-rs's positions.

pub mod canon;
pub mod dict;
pub mod doer;
pub mod json;
pub mod lexicon;
pub mod meta;
pub mod segment;
pub mod timing;
pub mod userdata;
pub mod vocabulary;

use crate::intake::Document;
use crate::outline::{MarkerKind, Outline};
use rayon::prelude::*;
use segment::Pos;
use serde::Serialize;
pub use timing::Timing;
pub use vocabulary::Vocabulary;

/// Where an item stands in its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The paragraph, counted from 1 as a reader counts (for a spreadsheet: the block; the
    /// row is in [`Task::row`]).
    pub paragraph: usize,
    /// Start, in characters of that paragraph.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
}

/// One item of a plan with its slots: the record of `jiandu extract --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// Stable id: a short hash of the file name and the item's place in the outline
    /// (`a1b2c3d4-2.5` is the fifth item under the second top-level item).
    pub id: String,
    /// Depth in the document's own outline, 1 = top.
    pub level: u8,
    /// The marker as written; "" for unnumbered headings and lead phrases.
    pub marker: String,
    /// Heading or lead phrase without marker and final 。
    pub title: String,
    /// Id of the enclosing item.
    pub parent: Option<String>,
    /// The item's text without its marker.
    pub text: String,
    /// 具体措施: sentences that open with a verb.
    pub measures: Vec<String>,
    /// 责任主体: every unit or role the item's own text (or its table row) names as doing it,
    /// 牵头 and 配合 included; a child naming none takes its parent's (see `inherited`).
    pub responsible: Vec<String>,
    /// 牵头单位, where the text says who leads.
    pub lead: Vec<String>,
    /// 配合单位, where the text says who supports.
    pub support: Vec<String>,
    /// Duty formulas the item invokes (主体责任, 一岗双责): duties, not doers.
    pub duty: Vec<String>,
    /// Whether `responsible` was taken from the enclosing item (the item names no one).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
    /// 监督对象.
    pub targets: Vec<String>,
    /// 监督方式.
    pub methods: Vec<String>,
    /// 重点领域.
    pub areas: Vec<String>,
    /// 时限/频次 with due dates.
    pub timing: Vec<Timing>,
    /// Regulations cited, with their 《》.
    pub regulations: Vec<String>,
    /// Whether the item is a task to do: false in a report or a bulletin, whose items tell
    /// what was done or found.
    pub is_task: bool,
    /// Category id of `corpora/taxonomy` (filled by the model stage; "" until then, and when
    /// the classifier is too unsure: then `null` in the JSON, with `candidates`).
    #[serde(serialize_with = "null_if_empty")]
    pub category: String,
    /// The two likeliest categories when the classifier is too unsure to choose (待定).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// Where the item starts in the source.
    pub span: Span,
    /// Page of a PDF, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Row of a spreadsheet, when the plan is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// Byte ranges of the tokens of `text`, kept so that later stages (the classifier) do
    /// not segment the item again. Not part of the JSON. In 32 bits: half the memory of a
    /// pair of `usize` over millions of tokens (see [`span32`]).
    #[serde(skip)]
    pub tokens: Vec<(u32, u32)>,
}

/// One document's items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extracted {
    /// The file as named by the user.
    pub source: String,
    /// The document's title (its first line when that is a title, else the file name).
    pub title: String,
    /// What the document is: plan, notice, report, bulletin or table.
    pub kind: meta::Kind,
    /// 发文机关, from the 落款 or the title ("X关于…").
    pub issuer: Option<String>,
    /// 成文日期, YYYY-MM-DD.
    pub date: Option<String>,
    /// 文号.
    pub doc_number: Option<String>,
    /// The year the plan is for: `--year`, else from its title, 文号 or 成文日期.
    pub year: Option<i32>,
    /// Items, flat, in document order.
    pub items: Vec<Task>,
    /// The lines left out of the items (主送, 附件, 落款, 成文日期, 特此通知 …), with why.
    pub not_items: Vec<crate::outline::NotItem>,
}

fn null_if_empty<S: serde::Serializer>(s: &str, ser: S) -> Result<S::Ok, S::Error> {
    if s.is_empty() {
        ser.serialize_none()
    } else {
        ser.serialize_str(s)
    }
}

/// FNV-1a, for short stable ids (no randomness, same on every machine).
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The file name part of a source path, for ids and the 来源 column.
pub fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

/// Extract the tasks of a read and outlined document. `year` overrides the year found in
/// the document's first lines. The outline is consumed: its items' texts move into the tasks
/// rather than being copied.
pub fn extract(
    v: &Vocabulary,
    doc: &Document,
    mut outline: Outline,
    year: Option<i32>,
) -> Extracted {
    let fname = file_name(&doc.source);
    let prefix = format!("{:08x}", fnv1a(fname) as u32);
    // The file's hash and the place in the outline: sibling ordinals joined by dots (a
    // child's id is its parent's and its ordinal).
    let mut ids: Vec<String> = Vec::with_capacity(outline.items.len());
    let mut child_count: Vec<usize> = vec![0; outline.items.len()];
    let mut top_count = 0;
    for item in &outline.items {
        let id = match item.parent {
            Some(p) => {
                child_count[p] += 1;
                format!("{}.{}", ids[p], child_count[p])
            }
            None => {
                top_count += 1;
                format!("{prefix}-{top_count}")
            }
        };
        ids.push(id);
    }
    // A table whose task column names a unit in some rows ("县农粮局" beside its 考核内容):
    // in those rows the unit does the task the measures column names.
    let mut row_units: Vec<Option<Vec<String>>> = vec![None; outline.items.len()];
    for (i, item) in outline.items.iter_mut().enumerate() {
        if item.kind != MarkerKind::Row {
            continue;
        }
        let Some(f) = &doc.blocks[item.block].fields else {
            continue;
        };
        if f.responsible.is_some() || f.lead.is_some() || f.support.is_some() {
            continue;
        }
        let Some(m) = f
            .measures
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        else {
            continue;
        };
        if let Some(units) = doer::units_only(v, &item.title) {
            item.title = crate::outline::title_of(m.lines().next().unwrap_or(m));
            row_units[i] = Some(units);
        }
    }
    let mut title = outline
        .title
        .clone()
        .unwrap_or_else(|| fname.rsplit_once('.').map_or(fname, |(s, _)| s).to_string());
    let meta = meta::of(&outline, &title);
    let year = year.or_else(|| {
        // Paragraphs, and a table's other cells after them.
        let mut lines: Vec<&str> = doc
            .blocks
            .iter()
            .take(400)
            .map(|b| b.text.as_str())
            .collect();
        for f in doc
            .blocks
            .iter()
            .take(400)
            .filter_map(|b| b.fields.as_ref())
        {
            lines.extend(f.measures.as_deref());
            lines.extend(f.deadline.as_deref());
        }
        let tail: Vec<&str> = doc
            .blocks
            .iter()
            .rev()
            .take(6)
            .rev()
            .map(|b| b.text.as_str())
            .collect();
        let mut all = lines;
        if doc.blocks.len() > 400 {
            all.extend(tail);
        }
        // The year the document states (title, 文号, 成文日期); else, for a plan, the year
        // its text names most often, and for a report or a 通报, which narrate earlier
        // years, the date its file is named by ("通报20240912.docx"); else a year in the
        // file's name ("2024年工作要点.docx").
        let name = file_name(&doc.source);
        let counted = || timing::counted_year(&all);
        let named = || timing::year_in_file_name(name);
        let dated = || timing::date_in_file_name(name);
        timing::stated_year(&all).or_else(|| {
            if meta.kind.has_tasks() {
                counted().or_else(named).or_else(dated)
            } else {
                dated().or_else(counted).or_else(named)
            }
        })
    });
    let reading = meta::reading(meta.kind, &title);
    let how = HowToRead { v, year, reading };
    // Items enclosing inline items (一是…二是…): where their own text sits in the whole.
    let mut enclosing: Vec<(usize, Enclosed)> = Vec::new();
    let n = outline.items.len();
    // The units each table row's measures cell works with ("与县环保局、县水文站共同推进…").
    let mut partners: Vec<Vec<String>> = Vec::with_capacity(n);
    // Every item is read on its own (its text and its row's cells), so chunks of items are
    // read in parallel; the results come back in document order.
    let chunks: Vec<Vec<ReadItem>> = (0..n)
        .step_by(CHUNK)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|start| {
            let range = start..(start + CHUNK).min(n);
            let (owns, encloses): (Vec<std::borrow::Cow<'_, str>>, Vec<Option<Enclosed>>) =
                range.clone().map(|i| own_text(&outline, i)).unzip();
            // A chunk's texts are cut one after another, while the dictionary is in the cache.
            let cuts: Vec<Vec<segment::Token<'_>>> = owns.iter().map(|o| v.tokens(o)).collect();
            range
                .zip(encloses)
                .enumerate()
                .map(|(k, (i, enclosed))| {
                    let item = &outline.items[i];
                    let block = &doc.blocks[item.block];
                    let (task, with) =
                        read_item(&how, item, block, &owns[k], &cuts[k], row_units[i].as_ref());
                    let task = Task {
                        id: ids[i].clone(),
                        level: item.level,
                        // Marker, title and text are moved in below.
                        marker: String::new(),
                        title: String::new(),
                        parent: item.parent.map(|p| ids[p].clone()),
                        text: String::new(),
                        span: Span {
                            paragraph: item.block + 1,
                            start: item.start,
                            end: item.end,
                        },
                        page: block.origin.page,
                        row: block.origin.row,
                        ..task
                    };
                    (task, enclosed, with)
                })
                .collect()
        })
        .collect();
    let mut items: Vec<Task> = Vec::with_capacity(n);
    for (i, (task, enclosed, with)) in chunks.into_iter().flatten().enumerate() {
        let item = &mut outline.items[i];
        items.push(Task {
            marker: std::mem::take(&mut item.marker),
            title: std::mem::take(&mut item.title),
            text: std::mem::take(&mut item.text),
            ..task
        });
        if let Some(e) = enclosed {
            enclosing.push((i, e));
        }
        partners.push(with);
    }
    // The tokens of an enclosing item's whole text (the classifier reads them) are its own
    // tokens and its inline items' tokens, placed where they sit: the text is not cut again.
    // Inner items first, so that a nested enclosing item is complete before its parent.
    for (i, e) in enclosing.into_iter().rev() {
        let map = |a: u32| {
            let a = a as usize;
            e.own_to_text.get(a).copied().unwrap_or(a)
        };
        let mut all: Vec<(u32, u32)> = items[i]
            .tokens
            .iter()
            .map(|&(a, b)| span32(map(a), map(b - 1) + 1))
            .collect();
        for &(c, at) in &e.children {
            all.extend(
                items[c]
                    .tokens
                    .iter()
                    .map(|&(a, b)| span32(a as usize + at, b as usize + at)),
            );
        }
        all.sort_unstable();
        items[i].tokens = all;
    }
    let parents: Vec<Option<usize>> = outline.items.iter().map(|i| i.parent).collect();
    let parts: Vec<bool> = outline
        .items
        .iter()
        .map(|i| i.kind == MarkerKind::RowPart)
        .collect();
    inherit(&mut items, &parents, &parts);
    // A row's partners take part in the task beside its unit column's units (its own or,
    // for a part of a row, the unit cell it shares): a row without a unit says nothing of
    // who answers for it, so its partners are not made its doers.
    for (task, with) in items.iter_mut().zip(partners) {
        if task.responsible.is_empty() || task.inherited {
            continue;
        }
        for u in with {
            if !task.responsible.contains(&u) {
                task.support.push(u.clone());
                task.responsible.push(u);
            }
        }
    }
    if let Some(n) = meta::doc_number_in(&title) {
        title = title.trim_end_matches(n.as_str()).trim_end().to_string();
    }
    if !meta.kind.has_tasks() {
        // A report's or a bulletin's items tell what was done: their dates are no deadlines.
        for t in &mut items {
            t.is_task = false;
            for x in &mut t.timing {
                x.due.clear();
            }
        }
    }
    // A standing duty starts when the document is issued: "每季度末" in a notice of 4月13日
    // falls first on 6月30日, not on the 3月31日 already past when it was written.
    if let Some(issued) = meta.date.as_deref() {
        for x in items
            .iter_mut()
            .flat_map(|t| t.timing.iter_mut())
            .filter(|x| x.recurring)
        {
            if x.due.iter().any(|d| d.as_str() >= issued) {
                x.due.retain(|d| d.as_str() >= issued);
            }
        }
    }
    Extracted {
        source: doc.source.clone(),
        title,
        kind: meta.kind,
        issuer: meta.issuer,
        date: meta.date,
        doc_number: meta.doc_number,
        year,
        items,
        not_items: std::mem::take(&mut outline.not_items),
    }
}

/// What every item of a document is read with: the words, the document's year and how its
/// text names doers.
#[derive(Clone, Copy)]
struct HowToRead<'v> {
    v: &'v Vocabulary,
    year: Option<i32>,
    reading: doer::Reading,
}

/// An item as read in parallel: its task (without marker, title and text), where its own
/// text sits in its whole text when it encloses inline items, and its row's partners.
type ReadItem = (Task, Option<Enclosed>, Vec<String>);

/// Read one item: the slots of its own text, and what its table row's cells say (units,
/// deadline, measures). Also returns the units its measures cell works with
/// ("与县环保局、县水文站共同推进…"), which take part only once inheritance is done.
fn read_item(
    how: &HowToRead<'_>,
    item: &crate::outline::Item,
    block: &crate::intake::Block,
    own: &str,
    cut: &[segment::Token<'_>],
    row_units: Option<&Vec<String>>,
) -> (Task, Vec<String>) {
    let HowToRead { v, year, reading } = *how;
    let mut task = slots(v, own, cut, &item.title, year, reading);
    let mut partners = Vec::new();
    let Some(fields) = &block.fields else {
        return (task, partners);
    };
    if fields.responsible.is_some() || fields.lead.is_some() || fields.support.is_some() {
        // The table's own columns are authoritative.
        task.responsible.clear();
    }
    if let Some(r) = &fields.responsible {
        add_cell_units(r, None, &mut task.responsible);
    }
    if let Some(units) = row_units {
        task.responsible = units.clone();
    }
    if let Some(r) = &fields.lead {
        add_cell_units(r, Some(&mut task.lead), &mut task.responsible);
    }
    if let Some(r) = &fields.support {
        add_cell_units(r, Some(&mut task.support), &mut task.responsible);
    }
    if let Some(d) = &fields.deadline {
        let mut found = timing::find_in_cell(v, d, year);
        if found.is_empty() {
            found.push(Timing::new(d.clone(), Vec::new()));
        }
        timing::merge(&mut task.timing, found);
    }
    if let Some(m) = &fields.measures {
        partners = doer::partners(v, m);
        for line in m
            .split(['\n', '；'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            task.measures.push(line.to_string());
        }
        timing::merge(&mut task.timing, timing::find(v, &v.tokens(m), m, year));
    }
    (task, partners)
}

/// Add the units named in a table cell ("县纪委监委、县委办", "县委宣传部 县教育局" gives each) to
/// `role` (牵头 or 配合, when the column says so) and to `responsible`, without duplicates.
fn add_cell_units(cell: &str, mut role: Option<&mut Vec<String>>, responsible: &mut Vec<String>) {
    for part in cell
        .split(['、', '，', '；', ',', ';', '\n', ' ', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if let Some(list) = role.as_deref_mut() {
            if !list.iter().any(|x| x == part) {
                list.push(part.to_string());
            }
        }
        if !responsible.iter().any(|x| x == part) {
            responsible.push(part.to_string());
        }
    }
}

/// What a child takes from its parent when its own text says nothing of it: the doers
/// (marked `inherited`), and a deadline written in the parent's heading ("（6月25日前）",
/// "第一阶段（3月1日—4月30日）"). A table row continuing its parent row (`parts`) shares the
/// parent's unit cell, which spans both: the units are its own, not inherited.
fn inherit(items: &mut [Task], parents: &[Option<usize>], parts: &[bool]) {
    for i in 0..items.len() {
        let Some(p) = parents.get(i).copied().flatten() else {
            continue;
        };
        if p >= i {
            continue;
        }
        if items[i].responsible.is_empty() && !items[p].responsible.is_empty() {
            let (lead, support, resp) = (
                items[p].lead.clone(),
                items[p].support.clone(),
                items[p].responsible.clone(),
            );
            let t = &mut items[i];
            t.responsible = resp;
            t.lead = lead;
            t.support = support;
            t.inherited = !parts.get(i).copied().unwrap_or(false);
        }
        let own_due = items[i]
            .timing
            .iter()
            .any(|t| !t.due.is_empty() && !t.recurring);
        if !own_due {
            let from_heading: Vec<Timing> = items[p]
                .timing
                .iter()
                .filter(|t| !t.due.is_empty() && !t.recurring && items[p].title.contains(&t.text))
                .cloned()
                .collect();
            timing::merge(&mut items[i].timing, from_heading);
        }
    }
}

/// Items cut per chunk (see [`extract`]).
const CHUNK: usize = 16;

/// An item's own text: its text without the inline items it encloses, and where those sit.
fn own_text(outline: &Outline, i: usize) -> (std::borrow::Cow<'_, str>, Option<Enclosed>) {
    let item = &outline.items[i];
    let inline = |c: &crate::outline::Item| c.parent == Some(i) && c.kind == MarkerKind::Inline;
    // Most items enclose no inline items: their own text is their text, not copied.
    if !outline.items[i + 1..]
        .iter()
        .take_while(|c| c.level > item.level)
        .any(inline)
    {
        return (item.text.as_str().into(), None);
    }
    let mut own = item.text.clone();
    let mut own_to_text: Vec<usize> = Vec::new();
    let mut children = Vec::new();
    let mut from = 0;
    for (k, child) in outline.items[i + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, c)| c.level > item.level)
        .filter(|(_, c)| inline(c))
    {
        // An inline item's text follows its marker ("二是"), after the items before it.
        let found =
            inline_at(&own, from, &child.marker, &child.text).or_else(|| own.find(&child.text));
        if let Some(pos) = found {
            from = pos;
            if own_to_text.is_empty() {
                own_to_text = (0..=item.text.len()).collect();
            }
            children.push((i + 1 + k, own_to_text[pos]));
            own.replace_range(pos..pos + child.text.len(), "");
            own_to_text.drain(pos..pos + child.text.len());
        }
    }
    let enclosed = (!children.is_empty()).then_some(Enclosed {
        own_to_text,
        children,
    });
    (own.into(), enclosed)
}

/// The byte offset in `own`, at or after `from`, of `text` right after `marker`: found by the
/// marker's first character, without building a substring searcher for a long text.
fn inline_at(own: &str, from: usize, marker: &str, text: &str) -> Option<usize> {
    let first = marker.chars().next()?;
    own.get(from..)?
        .match_indices(first)
        .map(|(p, _)| from + p + marker.len())
        .find(|&p| {
            own.get(p - marker.len()..p) == Some(marker)
                && own.get(p..).is_some_and(|rest| rest.starts_with(text))
        })
}

/// Where an enclosing item's own text and its inline items sit in its whole text.
struct Enclosed {
    /// Byte offset in the whole text of each byte offset of the own text (and its end).
    own_to_text: Vec<usize>,
    /// The inline items: index and byte offset in the whole text.
    children: Vec<(usize, usize)>,
}

/// Fill the slots of one item from its text and the text's tokens.
fn slots(
    v: &Vocabulary,
    text: &str,
    tokens: &[segment::Token<'_>],
    title: &str,
    year: Option<i32>,
    reading: doer::Reading,
) -> Task {
    let [duty_words, targets, methods, areas] =
        if lexicon::text_has_quotes(text) && lexicon::has_quotes(tokens) {
            lexicon::find_slots(v, &lexicon::without_quotes(tokens))
        } else {
            lexicon::find_slots(v, tokens)
        };
    // The responsible lexicon's duty formulas are duties; its unit names count only where the
    // text has them as doers (found by `doer`).
    let duty: Vec<String> = duty_words
        .into_iter()
        .filter(|w| doer::is_duty(w))
        .collect();
    let doers = doer::find_as(v, text, reading);
    // Measures: each sentence that opens (after modifiers) with a verb, except the title.
    let mut measures = Vec::new();
    let mut sentence_start = 0;
    for (k, t) in tokens.iter().enumerate() {
        let last = k + 1 == tokens.len();
        let ends = matches!(t.word, "。" | "；" | "！" | "？" | "\n" | ";" | "!" | "?");
        if !(ends || last) {
            continue;
        }
        let sentence = &tokens[sentence_start..=k];
        sentence_start = k + 1;
        let Some(first) = sentence.first() else {
            continue;
        };
        let (from, to) = (first.byte_start, t.byte_end);
        let stext = text
            .get(from..to)
            .unwrap_or_default()
            .trim()
            .trim_end_matches(['。', '；', '！', '？', ';', '!', '?'])
            .trim();
        if stext.is_empty()
            || stext.chars().nth(3).is_none()
            || (stext.len() == title.len() && crate::text::fix_quotes(stext) == title)
        {
            continue;
        }
        // "各单位要对照检查内容开展自查": a doer and a modal, then the action.
        if opens_with_action(v, sentence, stext) || doer::opens_with_subject(v, stext) {
            measures.push(crate::text::fix_quotes(stext));
        }
    }
    Task {
        id: String::new(),
        level: 0,
        marker: String::new(),
        title: String::new(),
        parent: None,
        text: String::new(),
        measures,
        responsible: doers.responsible,
        lead: doers.lead,
        support: doers.support,
        duty,
        inherited: false,
        targets,
        methods,
        areas,
        timing: timing::find(v, tokens, text, year),
        regulations: if text.contains('《') {
            regulations(tokens)
        } else {
            Vec::new()
        },
        is_task: true,
        category: String::new(),
        candidates: Vec::new(),
        span: Span {
            paragraph: 0,
            start: 0,
            end: 0,
        },
        page: None,
        row: None,
        tokens: byte_ranges(tokens),
    }
}

/// The byte ranges of tokens within the string they were cut from.
fn byte_ranges(tokens: &[segment::Token<'_>]) -> Vec<(u32, u32)> {
    tokens
        .iter()
        .map(|t| span32(t.byte_start, t.byte_end))
        .collect()
}

/// A byte range in 32 bits. An item's text is far below 4 GiB (reading limits see to it);
/// were it not, the range would point past the text and be skipped, never misread.
pub fn span32(start: usize, end: usize) -> (u32, u32) {
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    (n(start), n(end))
}

/// Whether a sentence opens with an action: after modifiers (切实, 进一步 …) and time words
/// (每半年 …), a measure verb of the lexicon or a verb by jieba's part-of-speech tags, or a
/// prepositional phrase ("对驻在单位开展…") followed by a measure verb in the same clause.
/// Only the sentence's head (its first clause, at most 24 characters) is tagged.
fn opens_with_action(v: &Vocabulary, tokens: &[segment::Token<'_>], sentence: &str) -> bool {
    let lex = v.lexicons();
    // Decided by the lexicons alone in most sentences, without tagging.
    let skip = |w: &str| {
        matches!(w, "“" | "”" | "\"" | " ")
            || lex.modifiers.contains(w)
            || lex.timing.contains(w)
            || timing_word(w)
    };
    if let Some(h) = tokens.iter().find(|t| !skip(t.word)) {
        if lex.measures.contains(h.word) {
            return true;
        }
    }
    // The head: the tokens of the first clause, within its first 24 characters. Each word's
    // part of speech is looked up (and remembered) rather than the head being cut again.
    let head_chars = sentence
        .chars()
        .take_while(|c| !matches!(c, '，' | ','))
        .take(24)
        .count();
    let s0 = tokens.first().map_or(0, |t| t.start);
    let mut rest = tokens
        .iter()
        .take_while(|t| t.end - s0 <= head_chars)
        .filter(|t| !matches!(t.word, "“" | "”" | "\"" | " "))
        .map(|t| (t.word, v.pos_of(t.word)))
        .skip_while(|&(w, pos)| {
            lex.modifiers.contains(w)
                || matches!(pos, Pos::Adverb | Pos::Conjunction | Pos::Time)
                || lex.timing.contains(w)
                || timing_word(w)
        });
    match rest.next() {
        Some((w, _)) if lex.measures.contains(w) => true,
        Some((_, Pos::Preposition)) => rest.take(12).any(|(w, _)| lex.measures.contains(w)),
        Some((w, pos)) => pos == Pos::Verb && w.chars().count() >= 2,
        None => false,
    }
}

/// Whether a word is a frequency or time such as 每半年, 每年, 年底前 (which may open a measure).
fn timing_word(w: &str) -> bool {
    w.starts_with('每') || w.starts_with('按') || w.ends_with("前") || w.ends_with("季度")
}

/// Titles in 《》, with their brackets, in order, without duplicates.
fn regulations(tokens: &[segment::Token<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for t in tokens {
        for c in t.word.chars() {
            match c {
                '《' => {
                    if depth == 0 {
                        cur.clear();
                    }
                    depth += 1;
                    cur.push(c);
                }
                '》' if depth > 0 => {
                    cur.push(c);
                    depth -= 1;
                    if depth == 0 && cur.chars().count() > 2 && !out.contains(&cur) {
                        out.push(cur.clone());
                    }
                }
                _ if depth > 0 => {
                    cur.push(c);
                    if cur.chars().count() > 80 {
                        depth = 0;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 通报 narrates the years of its cases; the date its file is named by is its own. A
    /// plan named by the day it was saved is for the year its text names.
    #[test]
    fn the_year_of_a_bulletin_and_of_a_plan() {
        let read = |name: &str, text: &str| {
            let doc = Document {
                source: name.into(),
                blocks: text.lines().map(crate::intake::Block::para).collect(),
            };
            extract(
                Vocabulary::builtin(),
                &doc,
                crate::outline::parse(&doc.blocks),
                None,
            )
        };
        let bulletin = "县纪委监委公开通报三起违反中央八项规定精神典型问题\n近日，县纪委监委对3起典型问题进行公开通报。具体如下：\n1.县农业农村局原局长张某某违规收受礼品礼金问题。2019年至2023年，张某某多次收受礼品。2023年8月，张某某受到党内警告处分。\n2.某镇原党委书记李某某违规吃喝问题。2022年至2023年，李某某多次接受宴请。2023年10月，李某某受到党内严重警告处分。";
        let b = read("通报20240912.txt", bulletin);
        assert!(!b.kind.has_tasks(), "{:?}", b.kind);
        assert_eq!(b.year, Some(2024));
        // Without a dated name, the year the text names most.
        assert_eq!(read("通报.txt", bulletin).year, Some(2023));
        let plan = "工作要点\n一、强化政治监督\n（一）2025年6月底前完成专项检查。\n（二）2025年底前开展“回头看”。";
        let p = read("工作要点20241220.txt", plan);
        assert!(p.kind.has_tasks(), "{:?}", p.kind);
        assert_eq!(p.year, Some(2025));
    }

    /// A standing duty's dates start at the document's 成文日期; a deadline keeps its date.
    #[test]
    fn recurring_dates_start_when_the_document_is_issued() {
        let text = "中共X县纪委关于报送工作进展的通知\n各乡镇纪委：\n一、各单位要于每季度末报送工作进展情况。\n二、各单位要于每月5日前报送廉政信息。\n三、各单位要于3月31日前报送年度计划。\n中共X县纪委\n2024年4月13日";
        let doc = Document {
            source: "notice.txt".into(),
            blocks: text.lines().map(crate::intake::Block::para).collect(),
        };
        let ex = extract(
            Vocabulary::builtin(),
            &doc,
            crate::outline::parse(&doc.blocks),
            None,
        );
        assert_eq!(ex.date.as_deref(), Some("2024-04-13"));
        let dues: Vec<Vec<&str>> = ex
            .items
            .iter()
            .map(|t| {
                t.timing
                    .iter()
                    .flat_map(|x| x.due.iter().map(String::as_str))
                    .collect()
            })
            .collect();
        assert_eq!(dues[0], vec!["2024-06-30", "2024-09-30", "2024-12-31"]);
        assert_eq!(dues[1].first(), Some(&"2024-05-05"));
        assert_eq!(dues[1].len(), 8);
        assert_eq!(dues[2], vec!["2024-03-31"]);
    }

    /// Every item's tokens (those of enclosing items put together from their own text and
    /// their inline items) tile its whole text in order.
    #[test]
    fn tokens_tile_each_item_text() {
        let plan = include_str!("../../corpora/plans/004_17309b67fbf1a13d.txt");
        let doc = Document {
            source: "plan.txt".into(),
            blocks: plan
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(crate::intake::Block::para)
                .collect(),
        };
        let outline = crate::outline::parse(&doc.blocks);
        let ex = extract(Vocabulary::builtin(), &doc, outline, None);
        let mut enclosing = 0;
        for (i, t) in ex.items.iter().enumerate() {
            let joined: String = t
                .tokens
                .iter()
                .map(|&(a, b)| &t.text[a as usize..b as usize])
                .collect();
            assert_eq!(joined, t.text, "item {i}");
            enclosing += usize::from(
                ex.items
                    .iter()
                    .any(|c| c.parent.as_ref() == Some(&t.id) && c.marker.ends_with('是')),
            );
        }
        assert!(enclosing > 0, "the plan has items with 一是…二是…");
    }

    #[test]
    fn slots_of_an_item() {
        let text = "紧跟重大部署。认真落实《监督执纪工作规则》《监督执法工作规定》，加强明察暗访。每半年对驻在单位开展一次全面从严治党主体责任落实情况检查。压紧压实党委（党组）主体责任、班子成员“一岗双责”，盯住“一把手”和领导班子，聚焦乡村振兴、安全生产。";
        let v = Vocabulary::builtin();
        let t = slots(
            v,
            text,
            &v.tokens(text),
            "紧跟重大部署",
            Some(2022),
            doer::Reading::Assigns,
        );
        assert_eq!(
            t.regulations,
            vec!["《监督执纪工作规则》", "《监督执法工作规定》"]
        );
        assert!(
            t.methods.contains(&"明察暗访".to_string()),
            "{:?}",
            t.methods
        );
        assert!(
            t.duty.contains(&"党委（党组）主体责任".to_string()),
            "{:?}",
            t.duty
        );
        assert!(
            t.duty.contains(&"班子成员一岗双责".to_string()),
            "{:?}",
            t.duty
        );
        assert!(t.targets.contains(&"一把手".to_string()), "{:?}", t.targets);
        assert!(
            t.targets.contains(&"领导班子".to_string()),
            "{:?}",
            t.targets
        );
        assert_eq!(t.areas, vec!["乡村振兴", "安全生产"]);
        assert_eq!(t.timing[0].due, vec!["2022-06-30", "2022-12-31"]);
        assert_eq!(t.measures.len(), 3, "{:?}", t.measures);
        assert!(t.measures[0].starts_with("认真落实《监督执纪工作规则》"));
    }
}
