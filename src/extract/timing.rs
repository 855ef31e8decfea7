//! Timing: frequencies and deadlines (时限/频次) found in an item's tokens, with due dates in
//! the plan's year.
//!
//! | written | due |
//! |---|---|
//! | 每半年 | June 30 and December 31 |
//! | 每季度, 按季度, 一季度一主题 | the four quarter ends |
//! | 每月 | the last day of every month |
//! | 每月10日前 | the 10th of every month |
//! | 每年, 年底前, 年内, 年末, 全年 | December 31 (全年: text only) |
//! | 上半年 / 下半年 | June 30 / December 31 |
//! | 一季度 / 第二季度 … (末/前) | that quarter's end |
//! | X月底前, X月前, X月份, X月末 | that month's last day |
//! | X月X日前 | that day |
//! | 长期坚持, 持续, 常态化, 重要时间节点 … (`corpora/lexicons/timing.txt`) | none; kept as text |

use super::lexicon::CharMask;
use super::segment::Token;
use super::Vocabulary;
use serde::Serialize;

/// One timing expression and the dates it makes due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timing {
    /// As written, e.g. "每半年", "6月底前".
    pub text: String,
    /// Due dates as `YYYY-MM-DD`, in order; empty when the expression has none or the year
    /// is unknown.
    pub due: Vec<String>,
    /// Whether the dates recur (每月, 每季度, 每半年, 每年 …): each date is one occurrence of a
    /// standing duty, not a deadline by which the task is done.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub recurring: bool,
}

impl Timing {
    /// An expression and its dates.
    pub fn new(text: impl Into<String>, due: Vec<String>) -> Self {
        Timing {
            text: text.into(),
            due,
            recurring: false,
        }
    }
}

pub use crate::date::days_in_month;

fn month_end(year: Option<i32>, month: u32) -> Vec<String> {
    year.map(|y| vec![format!("{y:04}-{month:02}-{:02}", days_in_month(y, month))])
        .unwrap_or_default()
}

fn ends(year: Option<i32>, months: &[u32]) -> Vec<String> {
    months.iter().flat_map(|&m| month_end(year, m)).collect()
}

/// The day a monthly rule names right after 每月 ("10日前", "5日", "15号前"): the day and the
/// length in bytes of what names it.
fn monthly_day(after: &str) -> Option<(u32, usize)> {
    let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let day: u32 = after.get(..digits)?.parse().ok()?;
    let rest = &after[digits..];
    let unit = ['日', '号'].into_iter().find(|&u| rest.starts_with(u))?;
    let mut len = digits + unit.len_utf8();
    if rest[unit.len_utf8()..].starts_with('前') {
        len += '前'.len_utf8();
    }
    (1..=31).contains(&day).then_some((day, len))
}

/// Day `day` of every month of `year` (the month's last day where it has fewer).
fn days_of_months(year: Option<i32>, day: u32) -> Vec<String> {
    let Some(y) = year else {
        return Vec::new();
    };
    (1..=12)
        .map(|m| format!("{y:04}-{m:02}-{:02}", day.min(days_in_month(y, m))))
        .collect()
}

/// A number written in Arabic or Chinese digits (up to 99).
fn number(word: &str) -> Option<u32> {
    // Half- or full-width Arabic digits, read without allocating.
    let mut n: u32 = 0;
    let mut digits = 0;
    for c in word.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => {
                digits = 0;
                break;
            }
        };
        n = n.checked_mul(10)?.checked_add(d)?;
        digits += 1;
    }
    if digits > 0 {
        return Some(n);
    }
    crate::outline::chinese_number(word)
}

/// The characters that open a timing expression below: digits, 每, 按, 年, 上, 下, 半, the
/// Chinese numerals, 第, 季.
const OPENERS: &str = "0123456789０１２３４５６７８９每按年上下半一二三四五六七八九十第季";

/// Whether a token's first character may open a timing expression: [`OPENERS`] and the first
/// characters of the timing lexicon `timing` (the exact test follows).
fn may_open(c: char, timing: &CharMask) -> bool {
    static MASK: std::sync::OnceLock<CharMask> = std::sync::OnceLock::new();
    MASK.get_or_init(|| OPENERS.chars().collect())
        .may_contain(c)
        || timing.may_contain(c)
}

/// Find the timing expressions in an item's tokens; `text` is the string they index.
pub fn find(v: &Vocabulary, tokens: &[Token<'_>], text: &str, year: Option<i32>) -> Vec<Timing> {
    let word = |k: usize| tokens.get(k).map(|t| t.word);
    let lex = v.lexicons();
    let mut out: Vec<Timing> = Vec::new();
    let mut push = |t: Timing| {
        if !out.iter().any(|o| o.text == t.text) {
            out.push(t);
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        let w = tokens[i].word;
        // Most tokens cannot start a timing expression: skip them without allocating.
        let c0 = w.chars().next().unwrap_or(' ');
        if !may_open(c0, &lex.timing.firsts) {
            i += 1;
            continue;
        }
        if !(OPENERS.contains(c0) || lex.timing.contains(w)) {
            i += 1;
            continue;
        }
        let next = |k: usize| word(i + k).unwrap_or("");
        let (text, due, used): (Option<String>, Vec<String>, usize) = match w {
            "每半年" | "半年" if w == "每半年" || word(i.wrapping_sub(1)) == Some("每") => {
                (Some("每半年".into()), ends(year, &[6, 12]), 1)
            }
            "每季度" | "按季度" | "每季" | "季报" => {
                (Some(w.into()), ends(year, &[3, 6, 9, 12]), 1)
            }
            "一季度一主题" => (Some(w.into()), ends(year, &[3, 6, 9, 12]), 1),
            "每月" => match monthly_day(&text[tokens[i].byte_end..]) {
                // 每月10日前 / 每月5日: that day of every month.
                Some((day, len)) => {
                    let end = tokens[i].byte_end + len;
                    let used = tokens[i..]
                        .iter()
                        .take_while(|t| t.byte_start < end)
                        .count();
                    let rule = format!("每月{}", &text[tokens[i].byte_end..end]);
                    (Some(rule), days_of_months(year, day), used)
                }
                None => (Some(w.into()), ends(year, &(1..=12).collect::<Vec<_>>()), 1),
            },
            "每年" | "年底前" | "年内" | "年底" | "年末" | "年终" => {
                let t = if w == "年底" && next(1) == "前" {
                    "年底前".to_string()
                } else {
                    w.to_string()
                };
                let used = if t == "年底前" && w == "年底" {
                    2
                } else {
                    1
                };
                (Some(t), ends(year, &[12]), used)
            }
            // 上半年/下半年 as a deadline ("上半年完成", "下半年前"), not as the period a
            // report covers ("听取上半年工作汇报").
            "上半年" | "下半年" if half_year_deadline(word(i.wrapping_sub(1)), next(1)) => {
                let m = if w == "上半年" { 6 } else { 12 };
                (Some(w.into()), ends(year, &[m]), 1)
            }
            _ => match (w, next(1)) {
                ("每", "半") if next(2) == "年" => {
                    (Some("每半年".into()), ends(year, &[6, 12]), 3)
                }
                ("按" | "每", "季") if next(2) == "度" => {
                    (Some(format!("{w}季度")), ends(year, &[3, 6, 9, 12]), 3)
                }
                _ => {
                    // 一季度 / 第二季度 / 三季度末
                    let q = match w {
                        "一季度" | "第一季度" => Some(1),
                        "二季度" | "第二季度" => Some(2),
                        "三季度" | "第三季度" => Some(3),
                        "四季度" | "第四季度" => Some(4),
                        _ => None,
                    };
                    match q {
                        Some(q) if next(1) != "一" => (Some(w.into()), ends(year, &[q * 3]), 1),
                        _ if lex.timing.contains(w) => (Some(w.into()), Vec::new(), 1),
                        _ => (None, Vec::new(), 1),
                    }
                }
            },
        };
        if let Some(text) = text {
            let recurring =
                text.starts_with(['每', '按']) || text == "一季度一主题" || text == "季报";
            push(Timing {
                text,
                due,
                recurring,
            });
        }
        i += used;
    }
    if has_dated(text) {
        let ds = dates(&without_explanations(text), year, false);
        // "2024年底前" says more than the "年底前" found in it by word; a date found on its
        // own ("4月：签订协议" before "4月-12月") stays.
        out.retain(|o| {
            o.recurring
                || ds.iter().any(|t| t.text == o.text)
                || !ds.iter().any(|t| t.text.contains(o.text.as_str()))
        });
        merge(&mut out, ds);
    }
    out
}

/// The timing of a deadline cell of a table, where a bare month ("3月") is a deadline.
pub fn find_in_cell(v: &Vocabulary, cell: &str, year: Option<i32>) -> Vec<Timing> {
    let mut found = find(v, &v.tokens(cell), cell, year);
    merge(&mut found, dates(cell, year, true));
    found
}

/// Add timings to a list, leaving out those whose text is there already.
pub fn merge(into: &mut Vec<Timing>, more: impl IntoIterator<Item = Timing>) {
    for t in more {
        if !into.iter().any(|x| x.text == t.text) {
            into.push(t);
        }
    }
}

/// The dates written in a text: X月X日前, X月底前, X月上旬/中旬/下旬, X月前, X月份, X月末,
/// YYYY年X月…, 即日起至X月X日, X月至Y月 / X-Y月 (the end), YYYY年底前, 到YYYY年. A bare month
/// or day ("3月", "6月20日") is a date only in a deadline cell (`cell`), or after 于/至/到, or
/// followed by 完成/前/截止; dates in a clause that narrates the past (已, 曾, 以来, 去年,
/// 上年) and explicit years before the plan's are left out.
pub fn dates(text: &str, year: Option<i32>, cell: bool) -> Vec<Timing> {
    let cs: Vec<char> = text.chars().collect();
    let mut out: Vec<Timing> = Vec::new();
    // Where the last date taken ends, for the months listed after it.
    let mut listed_after: Option<usize> = None;
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c != '月' && c != '年' {
            i += 1;
            continue;
        }
        let Some((num, from)) = number_before(&cs, i) else {
            i += 1;
            continue;
        };
        if c == '年' {
            // YYYY年底前 / YYYY年底 / YYYY年内 / 到YYYY年 (the year's end).
            if !(1990..=2100).contains(&num) || i - from != 4 {
                i += 1;
                continue;
            }
            let after: String = cs[i + 1..(i + 3).min(cs.len())].iter().collect();
            let before = if from > 0 { cs[from - 1] } else { ' ' };
            let end = if after.starts_with("底前") {
                Some(i + 3)
            } else if after.starts_with('底') || after.starts_with('末') || after.starts_with('内')
            {
                Some(i + 2)
            } else if matches!(before, '到' | '至')
                && !matches!(cs.get(i + 1), Some(c) if c.is_ascii_digit() || *c == '第' || *c == '上' || *c == '下' || is_cn_digit(*c))
            {
                Some(i + 1)
            } else {
                None
            };
            if let Some(end) = end {
                if !narrates(&cs, from, end, year, Some(num as i32)) {
                    let y = num as i32;
                    out.push(Timing::new(
                        cs[from..end].iter().collect::<String>(),
                        vec![format!("{y:04}-12-31")],
                    ));
                }
                i = end;
                continue;
            }
            i += 1;
            continue;
        }
        // 月: the month, the year before it, a range before it, the day and suffix after.
        let m = num;
        if !(1..=12).contains(&m) {
            i += 1;
            continue;
        }
        let mut start = from;
        let mut explicit: Option<i32> = None;
        if start > 0 && cs[start - 1] == '年' {
            if let Some((y, yf)) = number_before(&cs, start - 1) {
                if (1990..=2100).contains(&y) && start - 1 - yf == 4 {
                    explicit = Some(y as i32);
                    start = yf;
                }
            }
        }
        // A range "X月至Y月", "X-Y月", "X～Y月", "X月X日至Y月Y日": this month is its end; the
        // range starts earlier, with its year.
        let mut ranged = false;
        if start > 0 && matches!(cs[start - 1], '至' | '-' | '—' | '–' | '~' | '～' | '到') {
            let mut k = start - 1;
            if cs[k] == '—' && k > 0 && cs[k - 1] == '—' {
                k -= 1;
            }
            // Past the start's day: "3月26日至".
            if k > 0 && matches!(cs[k - 1], '日' | '号') {
                if let Some((_, df)) = number_before(&cs, k - 1) {
                    k = df;
                }
            }
            if k > 0 {
                let mut e = k;
                if cs[e - 1] == '月' {
                    e -= 1;
                }
                if let Some((m0, f0)) = number_before(&cs, e) {
                    if (1..=12).contains(&m0) && m0 <= m {
                        ranged = true;
                        start = f0;
                        if start > 0 && cs[start - 1] == '年' {
                            if let Some((y, yf)) = number_before(&cs, start - 1) {
                                if (1990..=2100).contains(&y) && start - 1 - yf == 4 {
                                    explicit = Some(y as i32);
                                    start = yf;
                                }
                            }
                        }
                    }
                }
            }
            if !ranged && matches!(cs[start - 1], '至' | '到') {
                // 即日起至X月X日, 至X月底: a deadline.
                ranged = true;
            }
        }
        let mut j = i + 1;
        let mut day: Option<u32> = None;
        if let Some((d, dend)) = number_after(&cs, j) {
            if matches!(cs.get(dend), Some('日' | '号')) && (1..=31).contains(&d) {
                day = Some(d);
                j = dend + 1;
                // A time of day: 18：00, 18:00, 18时.
                if let Some((_, hend)) = number_after(&cs, j) {
                    if matches!(cs.get(hend), Some('：' | ':')) {
                        if let Some((_, mend)) = number_after(&cs, hend + 1) {
                            j = mend;
                        }
                    } else if matches!(cs.get(hend), Some('时' | '点')) {
                        j = hend + 1;
                    }
                }
            }
        }
        // The suffix.
        let rest: String = cs[j..(j + 3).min(cs.len())].iter().collect();
        let (suffix_len, part): (usize, Option<u32>) = if day.is_some() {
            match () {
                _ if rest.starts_with("之前") || rest.starts_with("以前") => (2, None),
                _ if rest.starts_with('前') => (1, None),
                _ => (0, None),
            }
        } else {
            match () {
                _ if rest.starts_with("底前") || rest.starts_with("末前") => (2, None),
                _ if rest.starts_with("初") => {
                    (1 + usize::from(rest[3..].starts_with('前')), Some(10))
                }
                _ if rest.starts_with("上旬") => {
                    (2 + usize::from(rest[6..].starts_with('前')), Some(10))
                }
                _ if rest.starts_with("中旬") => {
                    (2 + usize::from(rest[6..].starts_with('前')), Some(20))
                }
                _ if rest.starts_with("下旬") => {
                    (2 + usize::from(rest[6..].starts_with('前')), None)
                }
                _ if rest.starts_with("之前") || rest.starts_with("以前") => (2, None),
                _ if rest.starts_with('底')
                    || rest.starts_with('末')
                    || rest.starts_with('前')
                    || rest.starts_with('份') =>
                {
                    (1, None)
                }
                _ => (0, None),
            }
        };
        let end = j + suffix_len;
        // The start of a range ("1月至4月", "3-5月"): its end is the date.
        if suffix_len == 0
            && day.is_none()
            && matches!(
                cs.get(end),
                Some('至' | '-' | '—' | '–' | '~' | '～' | '到')
            )
            && cs
                .get(end + 1)
                .is_some_and(|c| c.is_ascii_digit() || is_cn_digit(*c) || *c == '—')
        {
            i = end + 1;
            continue;
        }
        let before = if start > 0 { cs[start - 1] } else { ' ' };
        let follows: String = cs[end..(end + 2).min(cs.len())].iter().collect();
        // A schedule: "3月：制定方案", "4-6月，开展检查" at the start of a clause.
        let schedule = day.is_none()
            && suffix_len == 0
            && matches!(cs.get(end), Some('：' | ':' | '，' | ' '))
            && (start == 0 || matches!(cs[start - 1], '，' | '。' | '；' | ' ' | '\n' | '：'));
        // A month in a list of months of which one is a deadline ("于6月、9月和12月底前",
        // "6月、9月和12月底前分别开展"): after a month taken as one, or before one.
        let listed = (matches!(before, '、' | '和' | '及' | '与')
            && listed_after == Some(start - 1))
            || (day.is_none() && suffix_len == 0 && list_ends_in_deadline(&cs, end));
        let deadline = suffix_len > 0
            || ranged
            || cell
            || schedule
            || listed
            || matches!(before, '于' | '至' | '到' | '在')
            || DEADLINE_VERBS.contains(&follows.as_str());
        // 份 alone ("3月份") is a deadline only where a bare month is.
        let bare_month = suffix_len == 1 && rest.starts_with('份');
        if !deadline
            || (bare_month && !(cell || ranged || matches!(before, '于' | '至' | '到' | '在')))
        {
            i = end.max(i + 1);
            continue;
        }
        // 每月X日前: recurring.
        let recurring = start > 0 && cs[start - 1] == '每' || (from > 0 && cs[from - 1] == '每');
        if recurring || narrates(&cs, start, end, year, explicit) || follows.starts_with("以来") {
            i = end.max(i + 1);
            continue;
        }
        let y = explicit.or(year);
        let due = y
            .map(|y| {
                let d = match (day, part) {
                    (Some(d), _) => d.min(days_in_month(y, m)),
                    (None, Some(p)) => p,
                    (None, None) => days_in_month(y, m),
                };
                vec![format!("{y:04}-{m:02}-{d:02}")]
            })
            .unwrap_or_default();
        out.push(Timing::new(cs[start..end].iter().collect::<String>(), due));
        listed_after = Some(end);
        i = end.max(i + 1);
    }
    out
}

/// What a bare month is followed by when it is a deadline ("3月完成", "6月召开").
const DEADLINE_VERBS: [&str; 10] = [
    "完成", "截止", "结束", "报送", "上报", "启动", "召开", "开展", "出台", "印发",
];

/// Whether the month ending at `end` opens a list of months whose last is a deadline: "6月、
/// 9月和12月底前", "6月、9月召开" (each of them due), not "6月、9月的检查".
fn list_ends_in_deadline(cs: &[char], mut end: usize) -> bool {
    while matches!(cs.get(end), Some('、' | '和' | '及' | '与')) {
        let Some((m, mend)) = number_after(cs, end + 1) else {
            return false;
        };
        if !(1..=12).contains(&m) || cs.get(mend) != Some(&'月') {
            return false;
        }
        let rest: String = cs[mend + 1..(mend + 3).min(cs.len())].iter().collect();
        if [
            "底", "末", "前", "初", "上旬", "中旬", "下旬", "之前", "以前",
        ]
        .iter()
        .any(|s| rest.starts_with(s))
            || DEADLINE_VERBS.contains(&rest.as_str())
        {
            return true;
        }
        // "12月20日前".
        if let Some((d, dend)) = number_after(cs, mend + 1) {
            return (1..=31).contains(&d)
                && matches!(cs.get(dend), Some('日' | '号'))
                && matches!(cs.get(dend + 1), Some('前'));
        }
        end = mend + 1;
    }
    false
}

/// The text with the brackets that spell out a standing rule's dates blanked out: in
/// "每季度末（分别在3月、6月、9月和12月底）" the months are the rule's, already its dues, and
/// not deadlines of their own. Blanked with spaces, so that nothing else moves.
fn without_explanations(text: &str) -> std::borrow::Cow<'_, str> {
    const RULES: [&str; 6] = ["每季度末", "每季度", "每季末", "每半年", "每月底", "每月末"];
    let mut out: Option<String> = None;
    let mut from = 0;
    while let Some(k) = text[from..].find('（').map(|k| k + from) {
        let close = text[k..].find('）').map(|c| c + k);
        let explains = RULES.iter().any(|r| text[..k].ends_with(r));
        match close {
            Some(c) if explains => {
                let o = out.get_or_insert_with(|| text.to_string());
                let inner = k + '（'.len_utf8()..c;
                let blank = " ".repeat(text[inner.clone()].len());
                o.replace_range(inner, &blank);
                from = c;
            }
            Some(c) => from = c,
            None => break,
        }
    }
    out.map_or(std::borrow::Cow::Borrowed(text), std::borrow::Cow::Owned)
}

/// Whether a text may hold a date: a 月 or 年 right after a digit or a Chinese numeral
/// (one pass, no allocation; most items have none).
fn has_dated(text: &str) -> bool {
    let mut prev = ' ';
    for c in text.chars() {
        if (c == '月' || c == '年')
            && (prev.is_ascii_digit() || is_cn_digit(prev) || ('０'..='９').contains(&prev))
        {
            return true;
        }
        prev = c;
    }
    false
}

/// Whether 上半年/下半年 between the tokens `before` and `after` is a deadline.
fn half_year_deadline(before: Option<&str>, after: &str) -> bool {
    let opens = before.is_none_or(|b| {
        matches!(
            b,
            "，" | "。" | "；" | "于" | "在" | "至" | "到" | "\n" | "年" | "（"
        )
    });
    opens || matches!(after, "前" | "内" | "完成" | "结束" | "底" | "末")
}

fn is_cn_digit(c: char) -> bool {
    "〇一二三四五六七八九十".contains(c)
}

/// The number written just before character `at` (Arabic digits, full-width digits or
/// Chinese numerals up to 99) and where it starts.
fn number_before(cs: &[char], at: usize) -> Option<(u32, usize)> {
    let mut k = at;
    while k > 0 && (cs[k - 1].is_ascii_digit() || ('０'..='９').contains(&cs[k - 1])) {
        k -= 1;
    }
    if k < at {
        let s: String = cs[k..at].iter().collect();
        return number(&s).map(|n| (n, k));
    }
    let mut k = at;
    while k > 0 && at - k < 3 && is_cn_digit(cs[k - 1]) {
        k -= 1;
    }
    if k < at {
        let s: String = cs[k..at].iter().collect();
        return crate::outline::chinese_number(&s).map(|n| (n, k));
    }
    None
}

/// The Arabic number starting at character `at`, and where it ends.
fn number_after(cs: &[char], at: usize) -> Option<(u32, usize)> {
    let mut k = at;
    while k < cs.len() && k - at < 4 && (cs[k].is_ascii_digit() || ('０'..='９').contains(&cs[k]))
    {
        k += 1;
    }
    if k == at {
        return None;
    }
    let s: String = cs[at..k].iter().collect();
    number(&s).map(|n| (n, k))
}

/// Whether the date at `start..end` narrates the past: a year before the plan's, or in a
/// clause with 已, 曾, 去年, 上年, or followed by 以来.
fn narrates(
    cs: &[char],
    start: usize,
    end: usize,
    year: Option<i32>,
    explicit: Option<i32>,
) -> bool {
    if let (Some(y), Some(e)) = (year, explicit) {
        if e < y {
            return true;
        }
    }
    let follows: String = cs[end..(end + 2).min(cs.len())].iter().collect();
    if follows == "以来" {
        return true;
    }
    let clause_start = cs[..start]
        .iter()
        .rposition(|c| matches!(c, '，' | '。' | '；' | '\n' | '！' | '？'))
        .map_or(0, |k| k + 1);
    let clause_end = cs[end..]
        .iter()
        .position(|c| matches!(c, '，' | '。' | '；' | '\n'))
        .map_or(cs.len(), |k| end + k);
    let clause: String = cs[clause_start..clause_end].iter().collect();
    [
        "已经",
        "已于",
        "已完成",
        "曾",
        "去年",
        "上年",
        "以来",
        "先后",
    ]
    .iter()
    .any(|w| clause.contains(w))
}

/// The year a file's name gives ("2024年纪检监察工作要点.docx", "要点_2023.txt"): a
/// four-digit year standing apart from other digits. Asked only when the text names none.
pub fn year_in_file_name(name: &str) -> Option<i32> {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut years = stem
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .filter_map(|run| run.parse::<i32>().ok())
        .filter(|y| (1990..=2100).contains(y));
    let first = years.next()?;
    // Two different years say nothing sure.
    years.all(|y| y == first).then_some(first)
}

/// The year of the whole dates in a file's name ("通报20240912.docx", "2024-09-12纪要.pdf",
/// "情况报告（2024.7.27）.docx"): a file saved under the day it was written. None when the
/// name holds none, or dates of different years.
pub fn date_in_file_name(name: &str) -> Option<i32> {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut years: Vec<i32> = crate::date::scan(stem)
        .into_iter()
        .filter_map(Result::ok)
        .map(|d| d.year)
        .collect();
    // Eight digits in a row that make a day: 20240912.
    for run in stem
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| r.len() == 8)
    {
        let part = |r: std::ops::Range<usize>| run[r].parse::<u32>().ok();
        if let (Some(y), Some(m), Some(d)) = (part(0..4), part(4..6), part(6..8)) {
            let y = y as i32;
            if (1990..=2100).contains(&y) && crate::date::Day::new(y, m, d).is_some() {
                years.push(y);
            }
        }
    }
    let first = *years.first()?;
    years.iter().all(|&y| y == first).then_some(first)
}

/// The year a document is for, from its paragraphs: the year in its title lines (those
/// before the 主送 line or the first sentence), else its 文号's (〔2021〕), else its 成文日期's
/// (a line that is only a date, near the end), else the year its text names most often
/// (outside 《》 titles and narration such as 以来), the latest on a tie.
pub fn plan_year(blocks: &[&str]) -> Option<i32> {
    stated_year(blocks).or_else(|| counted_year(blocks))
}

/// The year a document states as its own: in the title lines, the 文号 or the 成文日期.
pub fn stated_year(blocks: &[&str]) -> Option<i32> {
    let head: Vec<String> = blocks
        .iter()
        .take(3)
        .take_while(|b| {
            let b = b.trim();
            !(b.ends_with('：') || b.ends_with(':') || b.contains('。') || b.chars().count() > 60)
        })
        .map(|b| without_titles(b))
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    if let Some(y) = year_of(&head) {
        return Some(y);
    }
    for b in blocks.iter().take(6) {
        if let Some(y) = doc_number_year(b) {
            return Some(y);
        }
    }
    for b in blocks.iter().rev().take(6) {
        if let Some(y) = date_line_year(b) {
            return Some(y);
        }
    }
    None
}

/// The year a document's text names most often (its first 400 paragraphs).
pub fn counted_year(blocks: &[&str]) -> Option<i32> {
    // A year inside 《》 counts half: the title of another document ("学习《2016年度报告》")
    // or of one the plan makes ("制定《2017年培训计划》").
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for b in blocks.iter().take(400) {
        let cs: Vec<char> = b.chars().collect();
        let mut depth = 0;
        for i in 0..cs.len() {
            match cs[i] {
                '《' => depth += 1,
                '》' => depth -= 1,
                '年' if i >= 4 => {
                    let digits: String = cs[i - 4..i].iter().collect();
                    if i > 4 && cs[i - 5].is_ascii_digit() {
                        continue;
                    }
                    let Ok(y) = digits.parse::<i32>() else {
                        continue;
                    };
                    if !(1990..=2100).contains(&y) {
                        continue;
                    }
                    let after: String = cs[i + 1..(i + 3).min(cs.len())].iter().collect();
                    let after_day: String = cs[i + 1..(i + 10).min(cs.len())].iter().collect();
                    if after.starts_with("以来") || after_day.contains("以来") {
                        continue;
                    }
                    let w = if depth > 0 { 1 } else { 2 };
                    match counts.iter_mut().find(|(k, _)| *k == y) {
                        Some(c) => c.1 += w,
                        None => counts.push((y, w)),
                    }
                }
                _ => {}
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(y, _)| y)
}

/// A line without what stands in 《》 (the titles of other documents, with their own years).
fn without_titles(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '《' => depth += 1,
            '》' => depth -= 1,
            _ if depth <= 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The year of a 文号 in a line: 国办发〔2018〕123号, 〔2021〕, ﹝2021﹞, [2021], 【2021】.
fn doc_number_year(line: &str) -> Option<i32> {
    for open in ['〔', '﹝', '[', '【', '('] {
        let mut from = 0;
        while let Some(p) = line[from..].find(open) {
            let at = from + p + open.len_utf8();
            from = at;
            let digits: String = line[at..].chars().take(4).collect();
            let close = line[at..].chars().nth(4);
            if digits.chars().count() == 4
                && digits.chars().all(|c| c.is_ascii_digit())
                && matches!(close, Some('〕' | '﹞' | ']' | '】' | ')'))
                && line[at..].contains('号')
            {
                return digits.parse().ok().filter(|y| (1990..=2100).contains(y));
            }
        }
    }
    None
}

/// The year of a line that is only a date ("2021年12月6日"), as a 成文日期 is.
fn date_line_year(line: &str) -> Option<i32> {
    let t = line.trim();
    let (y, rest) = t.split_once('年')?;
    let y: i32 = y.parse().ok()?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    (m.parse::<u32>().is_ok() && d.parse::<u32>().is_ok() && (1990..=2100).contains(&y))
        .then_some(y)
}

/// The plan's year from its first lines: the first "20XX年" (or "20XX" in a title).
pub fn year_of(lines: &[&str]) -> Option<i32> {
    for line in lines.iter().take(5) {
        let cs: Vec<char> = line.chars().collect();
        for w in 0..cs.len().saturating_sub(3) {
            let digits: String = cs[w..w + 4].iter().collect();
            let before_digit = w > 0 && cs[w - 1].is_ascii_digit();
            if before_digit || !digits.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let after = cs.get(w + 4).copied();
            if after.is_some_and(|c| c.is_ascii_digit()) {
                continue;
            }
            let y: i32 = digits.parse().ok()?;
            if (1990..=2100).contains(&y)
                && matches!(after, Some('年') | Some('—') | Some('-') | None)
            {
                return Some(y);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token<'_>> {
        Vocabulary::builtin().tokens(text)
    }

    fn timings(text: &str, year: Option<i32>) -> Vec<(String, Vec<String>)> {
        find(Vocabulary::builtin(), &tokens(text), text, year)
            .into_iter()
            .map(|t| (t.text, t.due))
            .collect()
    }

    /// Every month of a list ending in a deadline is a deadline; the months spelling out a
    /// standing rule are the rule's.
    #[test]
    fn lists_of_months_and_the_months_of_a_rule() {
        let y = Some(2024);
        let got = timings("县纪委监委于6月、9月和12月底前分别开展一次督查", y);
        assert_eq!(
            got,
            vec![
                ("6月".to_string(), vec!["2024-06-30".to_string()]),
                ("9月".to_string(), vec!["2024-09-30".to_string()]),
                ("12月底前".to_string(), vec!["2024-12-31".to_string()]),
            ]
        );
        let got = timings("6月、9月和12月20日前报送自查报告", y);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["6月", "9月", "12月20日前"]);
        let got = timings("6月、9月召开座谈会", y);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["6月", "9月"]);
        // A list of months that ends in no deadline stays no deadline.
        assert_eq!(timings("总结6月、9月的检查情况", y), vec![]);
        let got = timings(
            "各单位每季度末（分别在3月、6月、9月和12月底）前报送监督情况",
            y,
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "每季度");
        assert_eq!(got[0].1.len(), 4);
        // Other brackets keep their dates.
        let got = timings("开展专项检查（6月底前完成）", y);
        assert_eq!(
            got,
            vec![("6月底前".to_string(), vec!["2024-06-30".to_string()])]
        );
    }

    /// 节点 alone is no time ("以季度为节点", "节点监督"); important or key moments are.
    #[test]
    fn moments_without_dates() {
        let y = Some(2024);
        assert_eq!(timings("以季度为节点，建立任务清单", y), vec![]);
        assert_eq!(timings("深化节点监督", y), vec![]);
        assert_eq!(
            timings("紧盯关键节点，落实节日纪律", y),
            vec![("关键节点".to_string(), vec![])]
        );
        assert_eq!(
            timings("在元旦春节等重要节点开展明察暗访", y),
            vec![("重要节点".to_string(), vec![])]
        );
    }

    #[test]
    fn rules() {
        let y = Some(2022);
        assert_eq!(
            timings("每半年对驻在单位开展一次检查", y),
            vec![(
                "每半年".into(),
                vec!["2022-06-30".into(), "2022-12-31".into()]
            )]
        );
        assert_eq!(
            timings("按季度确定监督主题", y)[0].1,
            vec!["2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31"]
        );
        assert_eq!(
            timings("年底前完成整改", y),
            vec![("年底前".into(), vec!["2022-12-31".into()])]
        );
        assert_eq!(
            timings("6月底前完成", y),
            vec![("6月底前".into(), vec!["2022-06-30".into()])]
        );
        assert_eq!(
            timings("9月前报送", y),
            vec![("9月前".into(), vec!["2022-09-30".into()])]
        );
        assert_eq!(timings("2月底前报送", Some(2024))[0].1, vec!["2024-02-29"]);
        assert_eq!(timings("长期坚持", y), vec![("长期坚持".into(), vec![])]);
        assert_eq!(
            timings("持续开展专项整治", y),
            vec![("持续".into(), vec![])]
        );
        assert_eq!(timings("每半年开展一次", None)[0].1, Vec::<String>::new());
        assert!(timings("提高1.5倍", y).is_empty());
        // 每月X日前: that day of every month (the month's last where it has fewer days).
        let monthly = timings("每月10日前报送工作进展", y);
        assert_eq!(monthly.len(), 1);
        assert_eq!(monthly[0].0, "每月10日前");
        assert_eq!(monthly[0].1.len(), 12);
        assert_eq!(monthly[0].1[0], "2022-01-10");
        assert_eq!(monthly[0].1[11], "2022-12-10");
        let end = timings("每月30日报送", y);
        assert_eq!(end[0].0, "每月30日");
        assert_eq!(end[0].1[1], "2022-02-28");
        assert!(
            find(
                Vocabulary::builtin(),
                &tokens("每月5日前报送"),
                "每月5日前报送",
                y
            )[0]
            .recurring
        );
        // 每月 alone: every month's last day.
        assert_eq!(timings("每月报送", y)[0].1[1], "2022-02-28");
    }

    #[test]
    fn years_of_documents() {
        // 文号 before a body that names another year.
        assert_eq!(
            plan_year(&[
                "X综〔2021〕108号",
                "关于做好今冬明春火灾防控工作的通知",
                "各单位：",
                "围绕2022年冬奥会，做好防控。"
            ]),
            Some(2021)
        );
        // The 成文日期 when the title has no year.
        assert_eq!(
            plan_year(&[
                "关于做好瓦斯治理工作的通知",
                "各单位：",
                "2016年以来发生事故3起。",
                "办公室",
                "2020年9月23日"
            ]),
            Some(2020)
        );
        // The title's year wins over a scope range in the text.
        assert_eq!(
            plan_year(&[
                "某县2019年监督检查工作方案",
                "对2016年1月1日以来的问题开展检查。"
            ]),
            Some(2019)
        );
        // Otherwise the year named most often, 《》 titles and 以来 left out.
        assert_eq!(
            plan_year(&[
                "工作任务",
                "学习《2016年度工作报告》",
                "开好2017年度总结会",
                "2017年底前完成"
            ]),
            Some(2017)
        );
    }

    #[test]
    fn deadline_forms() {
        let y = Some(2024);
        let dues = |t: &str| -> Vec<String> {
            find(Vocabulary::builtin(), &tokens(t), t, y)
                .into_iter()
                .filter(|x| !x.recurring)
                .flat_map(|x| x.due)
                .collect()
        };
        assert_eq!(dues("请于6月20日前报送"), vec!["2024-06-20"]);
        assert_eq!(dues("6月20日18：00前报送材料"), vec!["2024-06-20"]);
        assert_eq!(dues("9月30日前完成整改"), vec!["2024-09-30"]);
        assert_eq!(dues("7月中旬前完成"), vec!["2024-07-20"]);
        assert_eq!(dues("4月初前完成"), vec!["2024-04-10"]);
        assert_eq!(dues("3月至5月开展专项检查"), vec!["2024-05-31"]);
        assert_eq!(dues("即日起至10月31日"), vec!["2024-10-31"]);
        assert_eq!(dues("2025年3月31日前完成"), vec!["2025-03-31"]);
        assert_eq!(dues("2024年底前全部完成"), vec!["2024-12-31"]);
        assert_eq!(dues("到2027年，基本建成"), vec!["2027-12-31"]);
        // Narration and scope are no deadlines.
        assert!(dues("2016年1月1日以来发生的问题").is_empty());
        assert!(dues("2022年3月已完成整改").is_empty());
        assert!(dues("去年6月底前已开展检查").is_empty());
        // A recurring rule is not a deadline.
        assert!(dues("每月5日前报送").is_empty());
        // A bare month in running text is no deadline; in a deadline cell it is.
        assert!(dues("3月发生事故").is_empty());
        assert_eq!(dates("3月", y, true)[0].due, vec!["2024-03-31"]);
        assert_eq!(dates("4-12月", y, true)[0].due, vec!["2024-12-31"]);
        assert_eq!(dates("1月至4月", y, true).len(), 1);
        assert!(dues("听取上半年工作汇报").is_empty());
        assert_eq!(dues("上半年完成整改"), vec!["2024-06-30"]);
        assert_eq!(
            dues("总结验收（2025年3月26日至3月31日）"),
            vec!["2025-03-31"]
        );
        assert_eq!(
            dues("3月：制定方案 4月：组织实施"),
            vec!["2024-03-31", "2024-04-30"]
        );
        assert_eq!(
            dues("3月：协议草拟并送批；制订方案 4月：签订协议 4月-12月：开发模块，并运行"),
            vec!["2024-03-31", "2024-04-30", "2024-12-31"]
        );
    }

    #[test]
    fn year_from_file_name() {
        assert_eq!(year_in_file_name("2024年纪检监察工作要点.docx"), Some(2024));
        assert_eq!(year_in_file_name("要点_2023_定稿.txt"), Some(2023));
        assert_eq!(year_in_file_name("任务表20230315.xlsx"), None);
        assert_eq!(year_in_file_name("2022-2023对比.xlsx"), None);
        assert_eq!(year_in_file_name("工作要点.txt"), None);
    }

    #[test]
    fn dates_in_file_names() {
        assert_eq!(date_in_file_name("通报20240912.docx"), Some(2024));
        assert_eq!(date_in_file_name("2024-09-12会议纪要.pdf"), Some(2024));
        assert_eq!(date_in_file_name("情况报告（2024.7.27）.docx"), Some(2024));
        assert_eq!(date_in_file_name("2024年7月27日情况报告.docx"), Some(2024));
        // Not a day: a month 13, a serial number, a bare year.
        assert_eq!(date_in_file_name("编号20241301.docx"), None);
        assert_eq!(date_in_file_name("档案12345678.docx"), None);
        assert_eq!(date_in_file_name("2024年工作要点.docx"), None);
        // Two years: nothing sure.
        assert_eq!(date_in_file_name("20231229-20240105汇总.xlsx"), None);
    }

    #[test]
    fn year() {
        assert_eq!(year_of(&["2022年派驻纪检监察组将以"]), Some(2022));
        assert_eq!(year_of(&["一、立足职责", "123456年"]), None);
        assert_eq!(year_of(&["中共XX县纪委2023年工作要点"]), Some(2023));
    }
}
