//! Outline: text blocks → the numbered tree of a plan.
//!
//! Official plans number their items with the markers of GB/T 9704 §7.3.3 (一、 （一） 1． （1）
//! ①) but mix them freely: levels are skipped, numbering runs straight across sections, a
//! level may be written with unnumbered short headings, items may be paragraphs that open
//! with a lead phrase ("构建监督闭环。"), and a paragraph may enumerate inline (一是…二是…).
//!
//! The level of an item is its depth in *this* document: marker styles are pushed on a stack
//! in the order the document first nests them, and a marker style already on the stack closes
//! everything below it. So `level` never depends on which marker a level happens to use.
//!
//! Spans are in **characters** (Unicode scalar values) of the block's text, the unit jieba-rs
//! reports token positions in; they are used consistently throughout jiandu.

use crate::intake::Block;
use serde::Serialize;

use crate::text::{ascii_digit, fix_quotes, numeral_of, GENRES};
pub use crate::text::{
    chinese_number, chinese_numeral, ends_like_title, is_doc_number, is_final_punct, marker,
    split_doc_number, Marker, MarkerKind,
};

/// A numbered (or lead-phrase) item of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Depth in this document's outline, 1 = top.
    pub level: u8,
    /// The marker's style.
    pub kind: MarkerKind,
    /// The marker as written ("一、", "（三）", "1．", "一是"), "" for headings and lead phrases.
    pub marker: String,
    /// The number the marker stands for (1 for 一、, 0 when unnumbered).
    pub number: u32,
    /// The heading or lead phrase without marker and final 。
    pub title: String,
    /// The item's own text without its marker: its paragraph (or its part of one, for inline
    /// items) and the unnumbered paragraphs that follow it, joined by newlines.
    pub text: String,
    /// Index of the enclosing item in [`Outline::items`].
    pub parent: Option<usize>,
    /// The block (paragraph) the item starts in.
    pub block: usize,
    /// Character span of the item within that block, marker included.
    pub start: usize,
    /// End of the span (exclusive), in characters.
    pub end: usize,
    /// The last block whose text belongs to this item.
    pub last_block: usize,
}

/// A line left out of the outline: it looks like an item but is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotItem {
    /// The block (paragraph), counted from 0.
    #[serde(skip)]
    pub block: usize,
    /// The line as written.
    pub text: String,
    /// Why it is no item, in Chinese: 主送机关, 附件说明, 落款, 成文日期, 结束语, 联系方式,
    /// 抄送, 文号, 副标题, 署名, 印发说明.
    pub reason: &'static str,
}

/// A plan's outline.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outline {
    /// The document title, when the first block is one.
    pub title: Option<String>,
    /// The lines left out of the outline, in document order.
    pub not_items: Vec<NotItem>,
    /// Blocks before the first item (preamble) that are not the title.
    pub preamble: Vec<usize>,
    /// Blocks after the items that speak of them all: a 通报's closing comment
    /// ("中央纪委国家监委指出，…"), part of no item.
    pub closing: Vec<usize>,
    /// Items in document order.
    pub items: Vec<Item>,
}

/// The lead phrase of a paragraph, if it opens with one: a short first sentence ending in
/// 。 (at most one comma, no copula), such as "构建监督闭环" or "压实主体责任，做到同向发力".
/// Returns the phrase without its 。 and its length in characters including the 。.
pub fn lead_phrase(text: &str) -> Option<(String, usize)> {
    // A task title names an action; a sentence opening with a number ("2022年，…") does not.
    if text
        .chars()
        .next()
        .is_some_and(|c| ascii_digit(c).is_some())
    {
        return None;
    }
    let mut commas = 0;
    let mut depth = 0i32;
    for (i, (at, c)) in text.char_indices().enumerate() {
        match c {
            '。' | '！' if depth <= 0 => {
                // The phrase is the text before this character (i characters).
                let phrase = &text[..at];
                if !(2..=24).contains(&i) || commas > 1 || is_statement(phrase) {
                    return None;
                }
                return Some((phrase.to_string(), i + 1));
            }
            '，' | ',' => commas += 1,
            '；' | '：' | '？' => return None,
            '《' | '（' | '(' => depth += 1,
            '》' | '）' | ')' => depth -= 1,
            _ => {}
        }
        if i > 30 {
            return None;
        }
    }
    None
}

/// Whether a short sentence states something ("…的关键是…") rather than naming a task.
fn is_statement(s: &str) -> bool {
    // A copula that is not part of an inline marker (一是) or a fixed word (但是, 还是…).
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '是'
            && prev.is_some_and(|p| !"一二三四五六七八九十但还就总凡要于只真实若".contains(p))
            && chars.peek() != Some(&'否')
        {
            return true;
        }
        prev = Some(c);
    }
    s.contains("的关键")
}

/// The title of a marked paragraph's text (after the marker): the lead phrase, or the whole
/// text when it is a heading line, or its first sentence (cut at a comma when long).
pub fn title_of(text: &str) -> String {
    if let Some((lead, _)) = lead_phrase(text) {
        return lead;
    }
    head_of(
        first_sentence(text).trim_end_matches(['：', ':']),
        TITLE_MAX,
    )
}

/// The text up to its first sentence-final mark.
fn first_sentence(text: &str) -> &str {
    text.split(['。', '；', '！', '？', ';'])
        .next()
        .unwrap_or_default()
}

/// A title from a first sentence: the whole sentence, never cut inside a phrase. Only a
/// sentence longer than `max` characters is cut, at its last clause break (， ： 、) within
/// them, or whole when it has none.
fn head_of(first: &str, max: usize) -> String {
    if first.chars().nth(max).is_none() {
        return first.to_string();
    }
    let within = &first[..byte_at(first, max)];
    match within.rfind(['，', '：', ',']) {
        Some(k) if within[..k].chars().count() >= 8 => within[..k].to_string(),
        _ => first.to_string(),
    }
}

/// The byte offset of character `n` of `s` (its length when `s` is shorter).
fn byte_at(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Whether a block is an unnumbered short heading: short (at most 36 characters: a
/// commentary's two-clause headings reach 31), without final punctuation, and not a date or
/// signature.
fn is_plain_heading(text: &str) -> bool {
    let n = text.chars().count();
    if !(4..=36).contains(&n) {
        return false;
    }
    let last = text.chars().next_back().unwrap_or('。');
    if is_final_punct(last) || matches!(last, '，' | '、' | ',' | '）' | ')' | '”' | '"') && n > 24
    {
        return false;
    }
    if matches!(last, '，' | '、' | ',') {
        return false;
    }
    if text.starts_with("附件") || text.contains("年") && text.ends_with('日') {
        return false;
    }
    let han = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    han * 10 >= n * 7 && !text.contains('。')
}

/// An inline enumeration inside a paragraph: the start (in characters) of each "一是",
/// "二是" … ("一要"…) in order, with its number and marker.
pub fn inline_markers(text: &str) -> Vec<(usize, u32, String)> {
    // Every enumeration starts with 一是 or 一要: most paragraphs are done with here.
    if !text
        .match_indices('一')
        .any(|(i, c)| text[i + c.len()..].starts_with(['是', '要']))
    {
        return Vec::new();
    }
    let cs: Vec<char> = text.chars().collect();
    let mut found: Vec<(usize, u32, String)> = Vec::new();
    for suffix in ['是', '要'] {
        let mut expect = 1;
        let mut hits = Vec::new();
        let mut i = 0;
        while i + 1 < cs.len() {
            let at_start = i == 0
                || matches!(cs[i - 1], '。' | '；' | '：' | '！' | '？' | ';' | ':')
                || (cs[i - 1] == '，' && expect > 1);
            if at_start {
                let numeral = numeral_of(expect);
                let nlen = numeral.chars().count();
                let matches = cs[i..].iter().take(nlen).copied().eq(numeral.chars())
                    && cs.get(i + nlen) == Some(&suffix);
                if matches {
                    hits.push((i, expect, format!("{numeral}{suffix}")));
                    expect += 1;
                    i += nlen + 1;
                    continue;
                }
            }
            i += 1;
        }
        if hits.len() >= 2 && hits.len() > found.len() {
            found = hits;
        }
    }
    found
}

/// Sentence-final punctuation that allows a lead phrase before the inline item's own text.
fn inline_title(text: &str) -> String {
    head_of(first_sentence(text), TITLE_MAX)
}

/// Titles longer than this many characters are cut at a clause break.
const TITLE_MAX: usize = 100;

/// Characters `start..end` of `s`.
fn slice_chars(s: &str, start: usize, end: usize) -> &str {
    let a = byte_at(s, start);
    let rest = &s[a..];
    &rest[..byte_at(rest, end.saturating_sub(start))]
}

/// Whether a paragraph opens as a 通报's closing comment does: "中央纪委国家监委指出，",
/// "市纪委监委强调，" — the issuer's word on all the cases.
fn closes_cases(text: &str) -> bool {
    let head: String = text.chars().take(24).collect();
    ["指出，", "指出：", "强调，", "强调："]
        .iter()
        .any(|w| head.contains(w))
}

/// Parse the outline of a document's blocks.
pub fn parse(blocks: &[Block]) -> Outline {
    let mut out = Outline {
        // About one item per block (inline items add some).
        items: Vec::with_capacity(blocks.len()),
        ..Outline::default()
    };
    // (kind, item index) for each open level.
    let mut stack: Vec<(MarkerKind, usize)> = Vec::new();
    // Whether the document uses unnumbered headings at all (decided on the first one seen).
    let mut started = false;
    let matter = front_and_back(blocks);
    out.title = matter.title;
    // A document without a single numbered item: its lead-phrase paragraphs are its items
    // from the start; a 通报 of cases has one case a paragraph, between its opening and its
    // closing comment ("…指出，").
    let numbered = blocks
        .iter()
        .any(|b| b.fields.is_some() || marker(&b.text).is_some());
    if !numbered {
        started = true;
    }
    // The paragraphs other than the front and back matter, listed only for such a 通报.
    let bulletin = out.title.as_deref().is_some_and(|t| t.contains("通报"));
    let body: Vec<usize> = if !numbered && bulletin {
        (0..blocks.len())
            .filter(|&i| !matter.skip.iter().any(|(k, _)| *k == i))
            .collect()
    } else {
        Vec::new()
    };
    let cases: Vec<usize> = if body.len() >= 3 {
        let last = *body.last().unwrap_or(&0);
        let closing = blocks[last]
            .text
            .chars()
            .take(20)
            .collect::<String>()
            .contains("指出");
        let end = if closing { body.len() - 1 } else { body.len() };
        body[1..end].to_vec()
    } else {
        Vec::new()
    };
    let mut skip = matter.skip.into_iter().peekable();
    for (bi, block) in blocks.iter().enumerate() {
        let text = block.text.as_str();
        let nchars = text.chars().count();
        if skip.peek().is_some_and(|(b, _)| *b == bi) {
            if let Some((_, Some(reason))) = skip.next() {
                out.not_items.push(NotItem {
                    block: bi,
                    text: text.to_string(),
                    reason,
                });
            }
            continue;
        }
        // What opens an item here, if anything: (kind, marker text, number, marker length).
        let opened = if let Some(f) = &block.fields {
            // A row of a plan kept as a table is one task, or heads the rows after it.
            let kind = if f.group {
                MarkerKind::Group
            } else if f.part {
                MarkerKind::RowPart
            } else {
                MarkerKind::Row
            };
            let mtext = f.number.clone().unwrap_or_default();
            let number = mtext
                .trim_matches(|c: char| !c.is_alphanumeric())
                .parse()
                .ok()
                .or_else(|| chinese_number(mtext.trim_matches(|c: char| !c.is_alphanumeric())))
                .unwrap_or(0);
            Some((kind, mtext, number, 0))
        } else if let Some(m) = marker(text) {
            let mtext = slice_chars(text, 0, m.len).trim_end().to_string();
            Some((m.kind, mtext, m.number, m.len))
        } else if is_plain_heading(text)
            && blocks
                .get(bi + 1)
                .is_some_and(|b| b.fields.is_some() || !is_plain_heading(&b.text))
        {
            Some((MarkerKind::Heading, String::new(), 0, 0))
        } else if cases.contains(&bi)
            || (started
                && lead_phrase(text).is_some_and(|(_, len)| nchars > len)
                && inline_markers(text).is_empty())
        {
            Some((MarkerKind::Lead, String::new(), 0, 0))
        } else {
            None
        };
        let Some((kind, mtext, number, mlen)) = opened else {
            // A 通报's closing comment speaks of all its cases: it ends the last one.
            if bulletin && !stack.is_empty() && closes_cases(text) {
                stack.clear();
                out.closing.push(bi);
                continue;
            }
            if stack.is_empty() && !out.closing.is_empty() {
                out.closing.push(bi);
                continue;
            }
            // Unnumbered body text: belongs to the innermost open item, or the preamble.
            match stack.last() {
                Some(&(_, idx)) => {
                    let item = &mut out.items[idx];
                    item.text.push('\n');
                    item.text.push_str(text);
                    item.last_block = bi;
                    for &(_, up) in stack.iter().rev().skip(1) {
                        out.items[up].last_block = bi;
                    }
                }
                None => out.preamble.push(bi),
            }
            // Inline enumerations in body text become children of the innermost item.
            if let Some(&(_, idx)) = stack.last() {
                add_inline(&mut out, text, bi, 0, idx);
            }
            continue;
        };
        started = true;
        // Lead-phrase items are leaves: any marker closes them.
        while stack.last().is_some_and(|(k, _)| *k == MarkerKind::Lead) && kind != MarkerKind::Lead
        {
            stack.pop();
        }
        // A table's task rows are leaves: a heading after them is no child of theirs.
        if !matches!(kind, MarkerKind::Row | MarkerKind::RowPart) {
            while stack
                .last()
                .is_some_and(|(k, _)| matches!(k, MarkerKind::Row | MarkerKind::RowPart))
            {
                stack.pop();
            }
        }
        if let Some(pos) = stack.iter().position(|(k, _)| *k == kind) {
            stack.truncate(pos);
        } else if kind == MarkerKind::Heading {
            // An unnumbered heading is never nested inside a lead-phrase or inline item.
            while stack
                .last()
                .is_some_and(|(k, _)| matches!(k, MarkerKind::Lead))
            {
                stack.pop();
            }
        }
        let body = &text[byte_at(text, mlen)..];
        let title = fix_quotes(title_of(body).trim());
        let parent = stack.last().map(|&(_, i)| i);
        let idx = out.items.len();
        out.items.push(Item {
            level: stack.len() as u8 + 1,
            kind,
            marker: mtext,
            number,
            title,
            text: body.to_string(),
            parent,
            block: bi,
            start: 0,
            end: nchars,
            last_block: bi,
        });
        for &(_, up) in &stack {
            out.items[up].last_block = bi;
        }
        stack.push((kind, idx));
        add_inline(&mut out, body, bi, mlen, idx);
    }
    out
}

/// Add the inline enumeration of `text` (which starts at character `offset` of block `bi`)
/// as children of item `parent`.
fn add_inline(out: &mut Outline, text: &str, bi: usize, offset: usize, parent: usize) {
    let hits = inline_markers(text);
    if hits.is_empty() {
        return;
    }
    let n = text.chars().count();
    let level = out.items[parent].level + 1;
    for (k, (start, number, mtext)) in hits.iter().enumerate() {
        let end = hits.get(k + 1).map_or(n, |h| h.0);
        let mlen = mtext.chars().count();
        let body = slice_chars(text, start + mlen, end);
        out.items.push(Item {
            level,
            kind: MarkerKind::Inline,
            marker: mtext.clone(),
            number: *number,
            title: fix_quotes(inline_title(body).trim()),
            text: body.trim_end().to_string(),
            parent: Some(parent),
            block: bi,
            start: offset + start,
            end: offset + end,
            last_block: bi,
        });
    }
}

/// The front and back matter of a document: its title, and the blocks that are no items —
/// (block, reason), in order; reason None for the title's own lines.
struct Matter {
    title: Option<String>,
    skip: Vec<(usize, Option<&'static str>)>,
}

/// Whether a line is only a date: 2024年3月1日, 二〇二四年三月一日.
pub fn is_date_line(text: &str) -> bool {
    let t = text.trim().trim_start_matches('（').trim_end_matches('）');
    let n = t.chars().count();
    if !(8..=14).contains(&n) || !t.ends_with('日') {
        return false;
    }
    let (Some(y), Some(m)) = (t.find('年'), t.find('月')) else {
        return false;
    };
    y < m
        && t.chars()
            .all(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九十年月日".contains(c))
}

/// Why a line anywhere in the document is no item, by its own shape.
fn shape_reason(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let bare = t.trim_end_matches(['。', '！', '.', '！']);
    if matches!(
        bare,
        "特此通知" | "特此通报" | "特此报告" | "此复" | "特此函告" | "特此批复" | "专此报告"
    ) {
        return Some("结束语");
    }
    if [
        "联系人",
        "联系电话",
        "联系方式",
        "联系邮箱",
        "电子邮箱",
        "邮箱：",
        "电话：",
        "传真：",
        "邮编：",
    ]
    .iter()
    .any(|p| t.starts_with(p))
    {
        return Some("联系方式");
    }
    if t.starts_with("抄送") {
        return Some("抄送");
    }
    if t.starts_with("（此件") || t.starts_with("(此件") {
        return Some("印发说明");
    }
    if t.starts_with("附件") && t.chars().count() <= 60 && !t.contains('。') {
        return Some("附件说明");
    }
    None
}

/// The front and back matter of a document.
fn front_and_back(blocks: &[Block]) -> Matter {
    let mut m = Matter {
        title: None,
        skip: Vec::new(),
    };
    let n = blocks.len();
    let plain = |b: &Block| b.fields.is_none();
    // Front: the lines before the first item or body paragraph.
    let mut front = 0;
    while front < n.min(8) {
        let b = &blocks[front];
        let t = b.text.trim();
        if !plain(b) || marker(t).is_some() {
            break;
        }
        let n = t.chars().count();
        let body = t.contains('。') || (n > 60 && t.contains(['，', '；'])) || n > 100;
        let addressee = (t.ends_with('：') || t.ends_with(':')) && !body;
        if body && !addressee {
            break;
        }
        front += 1;
        if addressee {
            break;
        }
    }
    // A single short line directly followed by an item, shaped like the document's other
    // headings, is a heading, not a title.
    // What opens an item: a marker's kind, or a table row.
    let opener = |b: &Block| -> Option<Option<MarkerKind>> {
        if b.fields.is_some() {
            Some(None)
        } else {
            marker(&b.text).map(|m| Some(m.kind))
        }
    };
    if front == 1 && n > 1 && opener(&blocks[1]).is_some() {
        let t = blocks[0].text.trim();
        let kind = opener(&blocks[1]);
        let like_later = (2..n.saturating_sub(1)).any(|i| {
            plain(&blocks[i])
                && marker(&blocks[i].text).is_none()
                && is_plain_heading(&blocks[i].text)
                && opener(&blocks[i + 1]) == kind
        });
        if like_later && !GENRES.iter().any(|g| t.ends_with(g)) {
            front = 0;
        }
    }
    if front == n {
        // A document of one short paragraph and nothing else: no front matter.
        front = 0;
    }
    let mut title_lines: Vec<usize> = Vec::new();
    for i in 0..front {
        let t = blocks[i].text.trim();
        let reason = if is_doc_number(t) {
            Some("文号")
        } else if t.ends_with('：') || t.ends_with(':') {
            Some("主送机关")
        } else if let Some(r) = shape_reason(t) {
            Some(r)
        } else if title_lines.is_empty() && is_title_line(t) {
            title_lines.push(i);
            None
        } else if i > 0
            && title_lines.last() == Some(&(i - 1))
            && title_lines.len() < 3
            && !GENRES.iter().any(|g| {
                title_lines
                    .iter()
                    .map(|&k| blocks[k].text.trim())
                    .collect::<String>()
                    .ends_with(g)
            })
            && GENRES
                .iter()
                .any(|g| t.ends_with(g) || t.contains(&format!("{g} ")))
        {
            // A title printed on two or three lines.
            title_lines.push(i);
            None
        } else if t.contains("网站") || t.contains("记者") || t.contains("通讯员") {
            Some("署名")
        } else {
            Some("副标题")
        };
        m.skip.push((i, reason));
    }
    if !title_lines.is_empty() {
        let joined: String = title_lines.iter().map(|&k| blocks[k].text.trim()).collect();
        m.title = Some(fix_quotes(&joined));
    }
    // Anywhere: lines that are no items by their shape; a line under 附件： that names a form.
    let mut in_attachments = false;
    for (i, b) in blocks.iter().enumerate().skip(front) {
        let t = b.text.trim();
        if !plain(b) {
            in_attachments = false;
            continue;
        }
        let reason = shape_reason(t).or_else(|| {
            (in_attachments && !is_date_line(t) && t.chars().count() <= 60 && !t.contains('。'))
                .then_some("附件说明")
        });
        in_attachments = reason == Some("附件说明");
        if let Some(r) = reason {
            m.skip.push((i, Some(r)));
        }
    }
    // Back: the 成文日期 and the 落款 lines just before it.
    for i in (front..n).rev().take(8) {
        let t = blocks[i].text.trim();
        if plain(&blocks[i]) && is_date_line(t) && !m.skip.iter().any(|(k, _)| *k == i) {
            m.skip.push((i, Some("成文日期")));
            let mut k = i;
            while k > front && i - k < 3 {
                k -= 1;
                let s = blocks[k].text.trim();
                if !plain(&blocks[k])
                    || marker(s).is_some()
                    || s.chars().count() > 40
                    || s.chars().next_back().is_some_and(is_final_punct)
                {
                    break;
                }
                // The issuer under a list of attachments was taken for one more of them.
                let attached = m
                    .skip
                    .iter()
                    .position(|&(j, r)| j == k && r == Some("附件说明") && !s.starts_with("附件"));
                match attached {
                    Some(at) => m.skip[at].1 = Some("落款"),
                    None if m.skip.iter().any(|(j, _)| *j == k) => break,
                    None => m.skip.push((k, Some("落款"))),
                }
            }
            break;
        }
    }
    m.skip.sort_by_key(|(i, _)| *i);
    m.skip.dedup_by_key(|(i, _)| *i);
    m
}

fn is_title_line(text: &str) -> bool {
    // A 文号 printed after the title on its line does not count.
    let text = split_doc_number(text).0;
    let n = text.chars().count();
    n <= 50 && !text.chars().next_back().is_some_and(is_final_punct) && !text.contains('。')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines left out of the items, with why.
    fn reasons(o: &Outline) -> Vec<(&str, &'static str)> {
        o.not_items
            .iter()
            .map(|n| (n.text.as_str(), n.reason))
            .collect()
    }

    fn blocks_of(text: &str) -> Vec<Block> {
        text.lines().map(Block::para).collect()
    }

    /// A notice as offices print it: 文号, a title over two lines, 主送, body, items, an
    /// attachment list, 特此通知, contact line, 落款 and 成文日期. Only the items are items.
    #[test]
    fn front_and_back_matter_are_no_items() {
        let text = "X纪办发〔2024〕7号\n中共X县纪委办公室关于开展\n2024年度作风建设专项检查的通知\n各乡镇纪委，县直各单位：\n为深入贯彻落实中央八项规定精神，现就有关事项通知如下。\n一、检查内容\n重点检查违规吃喝问题。\n二、工作要求\n各单位要于6月20日前报送自查报告。\n附件：1．自查情况统计表\n2．问题线索登记表\n特此通知。\n联系人：王某，电话：1234567\n中共X县纪委办公室\n2024年3月1日";
        let o = parse(&blocks_of(text));
        assert_eq!(
            o.title.as_deref(),
            Some("中共X县纪委办公室关于开展2024年度作风建设专项检查的通知")
        );
        let titles: Vec<&str> = o.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, vec!["检查内容", "工作要求"]);
        // The last item's text ends with its own paragraph: nothing after it spills in.
        assert_eq!(
            o.items[1].text,
            "工作要求\n各单位要于6月20日前报送自查报告。"
        );
        let reasons = reasons(&o);
        assert_eq!(
            reasons,
            vec![
                ("X纪办发〔2024〕7号", "文号"),
                ("各乡镇纪委，县直各单位：", "主送机关"),
                ("附件：1．自查情况统计表", "附件说明"),
                ("2．问题线索登记表", "附件说明"),
                ("特此通知。", "结束语"),
                ("联系人：王某，电话：1234567", "联系方式"),
                ("中共X县纪委办公室", "落款"),
                ("2024年3月1日", "成文日期"),
            ]
        );
    }

    /// After an attachment list, the issuer and a date in Chinese numerals are the 落款 and
    /// the 成文日期, not more attachments.
    #[test]
    fn the_signature_after_one_attachment() {
        let text = "中共X县纪委关于报送整改情况的通知\n各乡镇纪委：\n一、各单位要于5月10日前报送整改情况。\n二、各单位要明确联系人。\n附件：1．整改情况统计表\n2．问题清单\n中共X县纪委\n二〇二四年四月三日";
        let o = parse(&blocks_of(text));
        let reasons = reasons(&o);
        assert_eq!(
            reasons,
            vec![
                ("各乡镇纪委：", "主送机关"),
                ("附件：1．整改情况统计表", "附件说明"),
                ("2．问题清单", "附件说明"),
                ("中共X县纪委", "落款"),
                ("二〇二四年四月三日", "成文日期"),
            ]
        );
        assert_eq!(o.items.len(), 2);
    }

    /// A list whose first line is a heading like its others, not the document's title.
    #[test]
    fn a_first_heading_like_the_others_is_no_title() {
        let text = "组织领导责任\n（1）研究部署党风廉政建设工作。\n（2）签订责任书。\n监督管理责任\n（1）开展廉政谈话。";
        let o = parse(&blocks_of(text));
        assert_eq!(o.title, None);
        let shape: Vec<(u8, &str)> = o
            .items
            .iter()
            .map(|i| (i.level, i.title.as_str()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (1, "组织领导责任"),
                (2, "研究部署党风廉政建设工作"),
                (2, "签订责任书"),
                (1, "监督管理责任"),
                (2, "开展廉政谈话"),
            ]
        );
    }

    /// A commentary's or report's unnumbered headings are lines of their own, some of them
    /// long ("深挖根源、找准症结，重拳纠治干部群众反映强烈的形式主义官僚主义", 31 characters).
    #[test]
    fn long_heading_lines_of_an_unnumbered_report() {
        let text = "某市纪委监委上半年作风建设工作情况\n\
            上半年，全市纪检监察机关持续纠治“四风”。\n\
            以永远在路上的韧劲，坚决落实中央八项规定精神\n\
            全市共查处享乐主义、奢靡之风问题120起，处理180人。\n\
            深挖根源、找准症结，重拳纠治干部群众反映强烈的形式主义官僚主义\n\
            各地紧盯加重基层负担现象，持续纠治文山会海。\n";
        let o = parse(&blocks_of(text));
        let titles: Vec<&str> = o.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "以永远在路上的韧劲，坚决落实中央八项规定精神",
                "深挖根源、找准症结，重拳纠治干部群众反映强烈的形式主义官僚主义",
            ]
        );
    }

    fn kinds(s: &str) -> Option<(MarkerKind, u32, usize)> {
        marker(s).map(|m| (m.kind, m.number, m.len))
    }

    #[test]
    fn markers() {
        use MarkerKind::*;
        assert_eq!(kinds("一、立足职责"), Some((ChineseComma, 1, 2)));
        assert_eq!(kinds("十一、加强"), Some((ChineseComma, 11, 3)));
        assert_eq!(kinds("二十一、加强"), Some((ChineseComma, 21, 4)));
        assert_eq!(kinds("（一）坚定"), Some((ChineseParen, 1, 3)));
        assert_eq!(kinds("(十四)从严"), Some((ChineseParen, 14, 4)));
        assert_eq!(kinds("（一) 坚定"), Some((ChineseParen, 1, 4)));
        assert_eq!(kinds("1．紧跟"), Some((Arabic, 1, 2)));
        assert_eq!(kinds("17．强化"), Some((Arabic, 17, 3)));
        assert_eq!(kinds("1. 紧跟"), Some((Arabic, 1, 3)));
        assert_eq!(kinds("1、紧跟"), Some((Arabic, 1, 2)));
        assert_eq!(kinds("１．紧跟"), Some((Arabic, 1, 2)));
        assert_eq!(kinds("（1）紧跟"), Some((ArabicParen, 1, 3)));
        assert_eq!(kinds("①强化"), Some((Circled, 1, 1)));
        assert_eq!(kinds("1.2 强化"), Some((ArabicMulti(2), 2, 4)));
        assert_eq!(kinds("第二章 总则"), Some((Chapter, 2, 4)));
    }

    #[test]
    fn numbers_that_are_not_markers() {
        for s in [
            "2022年派驻纪检监察组",
            "2024.3起施行",
            "1.5倍以上",
            "10万元以下",
            "2022",
            "三、四月份开展",
            "一是同级监督",
            "一方面",
            "（注：略）",
            "100. 超过",
            "3个月内完成",
            "十分重要",
        ] {
            assert_eq!(marker(s), None, "{s}");
        }
    }

    #[test]
    fn chinese_numerals_round_trip() {
        for n in 1..100 {
            assert_eq!(chinese_number(&chinese_numeral(n)), Some(n), "{n}");
        }
    }

    #[test]
    fn lead_phrases() {
        assert_eq!(
            lead_phrase("构建监督闭环。建立健全").map(|l| l.0),
            Some("构建监督闭环".into())
        );
        assert_eq!(
            lead_phrase("压实主体责任，做到同向发力。派驻").map(|l| l.0),
            Some("压实主体责任，做到同向发力".into())
        );
        assert_eq!(
            lead_phrase("切实推动政治监督的关键是创新监督方式方法。在用好"),
            None
        );
        assert_eq!(
            lead_phrase("派驻监督是党和国家自我监督的制度设计，是坚定不移全面从严治党的重要载体。"),
            None
        );
        assert_eq!(
            lead_phrase("坚持力度不减、久久为功，坚持纠树并举、查建并用，坚持系统施治。"),
            None
        );
    }

    #[test]
    fn inline() {
        let t = "一是同级监督存在困难。派驻。二是体量不均衡。有的。三是消极被动。";
        let hits = inline_markers(t);
        assert_eq!(hits.iter().map(|h| h.1).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(hits[1].0, 14);
        assert!(inline_markers("统一是关键。").is_empty());
    }

    #[test]
    fn quotes() {
        assert_eq!(fix_quotes("坚决做到”两个维护”"), "坚决做到“两个维护”");
        assert_eq!(fix_quotes("锲而不舍纠治“四风"), "锲而不舍纠治“四风”");
        // Other characters that share the first byte of the quotes pass through.
        assert_eq!(fix_quotes("——”一把手”…‘两个’"), "——“一把手”…‘两个’");
        assert_eq!(fix_quotes("”"), "“”");
        assert_eq!(fix_quotes(""), "");
    }

    #[test]
    fn nesting_follows_the_document() {
        let blocks: Vec<Block> = [
            "2022年工作要点",
            "一、总体",
            "1．甲项。内容",
            "2．乙项。内容",
            "二、其次",
            "3．丙项。内容",
            "（1）细项。内容",
        ]
        .into_iter()
        .map(Block::para)
        .collect();
        let o = parse(&blocks);
        assert_eq!(o.title.as_deref(), Some("2022年工作要点"));
        let got: Vec<(u8, &str, Option<usize>)> = o
            .items
            .iter()
            .map(|i| (i.level, i.title.as_str(), i.parent))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "总体", None),
                (2, "甲项", Some(0)),
                (2, "乙项", Some(0)),
                (1, "其次", None),
                (2, "丙项", Some(3)),
                (3, "细项", Some(4)),
            ]
        );
    }
}
