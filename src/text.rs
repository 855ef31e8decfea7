//! Text rules shared by every stage that reads or lays out Chinese text: outline markers
//! (一、 （一） 1． ① 第一章 …) and Chinese numerals, sentence ends, titles and 文号, and
//! character widths. One definition each, so that a .txt and a PDF agree on where an item
//! starts and a sentence ends.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

/// The kind of marker an item was opened by. Items of one kind are siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerKind {
    /// 第一章, 第二部分 …
    Chapter,
    /// 一、 二、 …
    ChineseComma,
    /// （一） (一) …
    ChineseParen,
    /// 1． 1. 1、 …
    Arabic,
    /// 1.1 / 1.1.1 followed by a space, with the number of parts.
    ArabicMulti(u8),
    /// （1） (1) …
    ArabicParen,
    /// 1） 1) … (a number with a closing bracket only).
    ArabicHalfParen,
    /// ① ② …
    Circled,
    /// An unnumbered short heading line.
    Heading,
    /// A paragraph opening with a lead phrase ("构建监督闭环。").
    Lead,
    /// An inline enumeration inside a paragraph: 一是… 二是…, 一要… 二要…
    Inline,
    /// A table row that heads the rows after it (a 一、 row, a task split into steps).
    Group,
    /// A table row: one task.
    Row,
    /// A table row continuing the task row above (the task's cells span both): one part
    /// of that task, nested under it.
    RowPart,
}

/// A recognised marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Its style.
    pub kind: MarkerKind,
    /// The number it stands for.
    pub number: u32,
    /// Its length in characters, including a following space.
    pub len: usize,
}

/// Value of a Chinese numeral of up to 99 (一 … 十, 十一 … 九十九); `None` otherwise.
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|v| v as u32)
    };
    // At most three characters, without allocating.
    let mut cs = ['\0'; 3];
    let mut len = 0;
    for c in s.chars() {
        if len == 3 {
            return None;
        }
        cs[len] = c;
        len += 1;
    }
    match &cs[..len] {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a).filter(|&v| v > 0),
        ['十', b] => digit(*b).filter(|&v| v > 0).map(|v| 10 + v),
        [a, '十'] => digit(*a).filter(|&v| v > 1).map(|v| v * 10),
        [a, '十', b] => Some(digit(*a).filter(|&v| v > 1)? * 10 + digit(*b).filter(|&v| v > 0)?),
        _ => None,
    }
}

/// The Chinese numeral for 1..=99.
pub fn chinese_numeral(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => D[0].to_string(),
        1..=9 => D[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[(n - 10) as usize]),
        _ if n.is_multiple_of(10) && n < 100 => format!("{}十", D[(n / 10) as usize]),
        _ if n < 100 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

/// [`chinese_numeral`] of 0..100, made once (inline enumerations ask at every sentence).
pub(crate) fn numeral_of(n: u32) -> std::borrow::Cow<'static, str> {
    static NUMERALS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let all = NUMERALS.get_or_init(|| (0..100).map(chinese_numeral).collect());
    match all.get(n as usize) {
        Some(s) => s.as_str().into(),
        None => chinese_numeral(n).into(),
    }
}

fn is_cn_digit(c: char) -> bool {
    "〇一二三四五六七八九十".contains(c)
}

pub(crate) fn ascii_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// Characters after which a number at the start of a line is a quantity, not a marker.
const UNIT_AFTER_NUMBER: &str = "年月日号时分秒万亿元角个件人次项条家所倍%％岁名位批天周km米亩吨";

/// Recognise an outline marker at the start of `text`.
///
/// A number at the start of a line is a marker only when a separator follows it: "2022年…",
/// "2024.3", "1.5倍" and "10万元" open no items.
pub fn marker(text: &str) -> Option<Marker> {
    // Most paragraphs open with text: decided before any copy.
    let c0 = text.chars().next()?;
    if !(('\u{2460}'..='\u{2473}').contains(&c0)
        || matches!(c0, '第' | '（' | '(')
        || is_cn_digit(c0)
        || ascii_digit(c0).is_some())
    {
        return None;
    }
    let cs: Vec<char> = text.chars().take(16).collect();
    let first = *cs.first()?;
    // ① … ⑳
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        let len = 1 + usize::from(cs.get(1).is_some_and(|c| is_space(*c)));
        return Some(Marker {
            kind: MarkerKind::Circled,
            number: first as u32 - 0x2460 + 1,
            len,
        });
    }
    // 第一章 / 第一部分
    if first == '第' {
        let n: String = cs[1..].iter().take_while(|c| is_cn_digit(**c)).collect();
        let rest: String = cs[1 + n.chars().count()..].iter().collect();
        if let Some(num) = chinese_number(&n) {
            for unit in ["章", "部分", "篇"] {
                if rest.starts_with(unit) {
                    let mut len = 1 + n.chars().count() + unit.chars().count();
                    while cs
                        .get(len)
                        .is_some_and(|c| is_space(*c) || *c == '、' || *c == '：')
                    {
                        len += 1;
                    }
                    return Some(Marker {
                        kind: MarkerKind::Chapter,
                        number: num,
                        len,
                    });
                }
            }
        }
        return None;
    }
    // （一） (一) （1） (1)
    if first == '（' || first == '(' {
        let inner: String = cs[1..]
            .iter()
            .take_while(|c| **c != '）' && **c != ')')
            .collect();
        let n = inner.chars().count();
        if n == 0 || n > 3 || cs.len() <= n + 1 {
            return None;
        }
        let mut len = n + 2;
        while cs.get(len).is_some_and(|c| is_space(*c)) {
            len += 1;
        }
        if let Some(num) = chinese_number(&inner) {
            return Some(Marker {
                kind: MarkerKind::ChineseParen,
                number: num,
                len,
            });
        }
        let digits: Option<Vec<u32>> = inner.chars().map(ascii_digit).collect();
        let num = digits?.iter().fold(0, |a, d| a * 10 + d);
        return (num > 0 && num < 200).then_some(Marker {
            kind: MarkerKind::ArabicParen,
            number: num,
            len,
        });
    }
    // 一、 十一、
    if is_cn_digit(first) {
        let n: String = cs.iter().take_while(|c| is_cn_digit(**c)).collect();
        let k = n.chars().count();
        let sep = *cs.get(k)?;
        if !matches!(sep, '、' | '．' | '.' | '，') {
            return None;
        }
        // "三、四月份" is a list of months, not item 三.
        let after: String = cs[k + 1..].iter().collect();
        if cs.get(k + 1).is_some_and(|c| is_cn_digit(*c))
            && after
                .trim_start_matches(is_cn_digit)
                .starts_with(['月', '季', '年', '个'])
        {
            return None;
        }
        if sep == '，' {
            return None;
        }
        let num = chinese_number(&n)?;
        let mut len = k + 1;
        while cs.get(len).is_some_and(|c| is_space(*c)) {
            len += 1;
        }
        return Some(Marker {
            kind: MarkerKind::ChineseComma,
            number: num,
            len,
        });
    }
    // 1． 1. 1、 1.1 …
    if ascii_digit(first).is_some() {
        let mut parts: Vec<u32> = vec![0];
        let mut i = 0;
        let mut digits_in_part = 0;
        while let Some(&c) = cs.get(i) {
            if let Some(d) = ascii_digit(c) {
                let last = parts.last_mut()?;
                *last = *last * 10 + d;
                digits_in_part += 1;
                if digits_in_part > 3 {
                    return None;
                }
            } else if matches!(c, '.' | '．') && digits_in_part > 0 {
                parts.push(0);
                digits_in_part = 0;
            } else {
                break;
            }
            i += 1;
        }
        let next = cs.get(i).copied();
        if parts.iter().any(|&p| p >= 100) {
            return None;
        }
        let trailing_dot = digits_in_part == 0 && parts.len() > 1;
        let numbers: Vec<u32> = if trailing_dot {
            parts[..parts.len() - 1].to_vec()
        } else {
            parts.clone()
        };
        if numbers.is_empty() || numbers.contains(&0) {
            return None;
        }
        let mut len = i;
        // 1） 1): a closing bracket only.
        if numbers.len() == 1 && !trailing_dot && matches!(next, Some('）' | ')')) {
            len += 1;
            // Text must follow.
            cs.get(len)?;
            while cs.get(len).is_some_and(|c| is_space(*c)) {
                len += 1;
            }
            return Some(Marker {
                kind: MarkerKind::ArabicHalfParen,
                number: numbers[0],
                len,
            });
        }
        if numbers.len() == 1 {
            // "1." / "1．" (the dot was consumed), or "1、"
            if !trailing_dot {
                if next != Some('、') {
                    return None;
                }
                len += 1;
            }
            let after = cs.get(len).copied();
            // "1. 5倍" is rare; "1.5倍" has no trailing dot and was rejected above.
            if after.is_none_or(|c| UNIT_AFTER_NUMBER.contains(c) && !trailing_dot) {
                return None;
            }
            while cs.get(len).is_some_and(|c| is_space(*c)) {
                len += 1;
            }
            return Some(Marker {
                kind: MarkerKind::Arabic,
                number: numbers[0],
                len,
            });
        }
        // 1.1 / 1.1. followed by a space: a decimal outline. "2024.3" and "1.5倍" have no space.
        if !next.is_some_and(is_space) {
            return None;
        }
        while cs.get(len).is_some_and(|c| is_space(*c)) {
            len += 1;
        }
        return Some(Marker {
            kind: MarkerKind::ArabicMulti(numbers.len().min(9) as u8),
            number: *numbers.last()?,
            len,
        });
    }
    None
}

/// Sentence-final punctuation.
pub fn is_final_punct(c: char) -> bool {
    matches!(
        c,
        '。' | '；' | '！' | '？' | '：' | ';' | '!' | '?' | ':' | '…'
    )
}

/// Whether a line ends a sentence: its last character, looking through closing quotes and
/// brackets, is sentence-final punctuation ([`is_final_punct`]).
pub fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '”' | '’' | '"' | '\'' | '）' | ')' | '」' | '』' | '》')
    });
    t.chars().next_back().is_some_and(is_final_punct)
}

/// Words a document's title ends with (its genre).
pub const GENRES: &[&str] = &[
    "通知", "意见", "方案", "要点", "细则", "清单", "报告", "通报", "办法", "规定", "决定", "计划",
    "安排", "规划", "纪要", "总结", "函", "批复", "制度", "规则", "任务", "分工", "台账", "评论",
];

/// Whether a line is a 文号: 国办发〔2018〕123号, X纪发〔2024〕5号.
pub fn is_doc_number(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    (4..=30).contains(&n)
        && t.ends_with('号')
        && t.contains(['〔', '﹝', '[', '【', '（', '('])
        && t.chars().filter(|c| c.is_ascii_digit()).count() >= 4
        && !t.contains(['，', '。', '：'])
}

/// A title line and the 文号 printed after it ("…的通知 国能综通安全〔2021〕108号", the
/// space often lost), when there is one.
pub fn split_doc_number(text: &str) -> (&str, Option<&str>) {
    for g in GENRES {
        if let Some(k) = text.rfind(g) {
            let rest = text[k + g.len()..].trim();
            if !rest.is_empty() && is_doc_number(rest) {
                return (text[..k + g.len()].trim_end(), Some(rest));
            }
        }
    }
    (text, None)
}

/// Whether a line ends as a title does: with its genre (通知, 意见 …) or a 文号 after it.
pub fn ends_like_title(text: &str) -> bool {
    let t = text.trim_end();
    split_doc_number(t).1.is_some() || GENRES.iter().any(|g| t.ends_with(g))
}

/// Whether a character is a CJK ideograph or full-width punctuation.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0x20000..=0x3FFFF
        | 0x2014 | 0x2018..=0x201D | 0x2026)
}

/// Repair curly double quotes: they alternate “ ” in order, and a quote left open at the end
/// of a title is closed. ("”两个维护”" → "“两个维护”").
pub fn fix_quotes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 3);
    let mut open = false;
    let mut rest = s;
    // Both quotes are E2 80 9C/9D in UTF-8: copy the stretches between them whole.
    while let Some(k) = memchr::memchr(0xE2, rest.as_bytes()) {
        let q = &rest.as_bytes()[k..];
        if q.len() >= 3 && q[1] == 0x80 && (q[2] == 0x9C || q[2] == 0x9D) {
            out.push_str(&rest[..k]);
            out.push(if open { '”' } else { '“' });
            open = !open;
            rest = &rest[k + 3..];
        } else {
            // Another character starting with E2 (—, …): copied with its stretch.
            let n = rest[k..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..k + n]);
            rest = &rest[k + n..];
        }
    }
    out.push_str(rest);
    if open {
        out.push('”');
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '“' | '”')
}

/// Character-level normalization: full-width ASCII letters and digits → half-width;
/// `( ) , ; : ? !` next to a Chinese character → full-width; straight quotes `"` → “ ”;
/// unbalanced “ ” repaired; full-width and stray spaces removed between Chinese characters;
/// ends trimmed.
pub fn normalize_chars(s: &str) -> String {
    let v: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    for (k, &c) in v.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(|p| v.get(p)).copied();
        let next = v.get(k + 1).copied();
        let near_cjk = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
        let mapped = match c {
            '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            '(' if near_cjk => '（',
            ')' if near_cjk => '）',
            ',' if near_cjk => '，',
            ';' if near_cjk => '；',
            ':' if near_cjk => '：',
            '?' if near_cjk => '？',
            '!' if near_cjk => '！',
            '"' => '“',
            '\u{3000}' | ' ' | '\t' if prev.is_none_or(is_cjk) || next.is_none_or(is_cjk) => {
                continue
            }
            _ => c,
        };
        out.push(mapped);
    }
    fix_quotes(&out)
}

/// Percent-encode UTF-8 text, keeping ASCII letters, digits and the bytes of `keep` (for
/// file URLs and `filename*=UTF-8''…` headers).
pub fn percent_encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undo [`percent_encode`]: `%XX` becomes its byte; anything else, a stray `%` included,
/// stays as it is.
pub fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Terminal cell widths: CJK characters take two cells, so aligned columns are measured in
/// cells, not characters.
/// Pad or cut `s` to exactly `width` terminal cells (CJK characters are two cells wide).
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            if w < width {
                out.push('…');
            }
            break;
        }
        out.push(c);
        w += cw;
    }
    let w = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One marker rule for every reader: a .txt and a PDF agree (a PDF once continued a
    /// paragraph at "第二章" and a .txt ignored "3）").
    #[test]
    fn markers_every_reader_shares() {
        for (text, kind, number) in [
            ("一、总体要求", MarkerKind::ChineseComma, 1),
            ("（二）加强监督", MarkerKind::ChineseParen, 2),
            ("3．紧跟", MarkerKind::Arabic, 3),
            ("3）落实", MarkerKind::ArabicHalfParen, 3),
            ("12) 落实", MarkerKind::ArabicHalfParen, 12),
            ("第二章 监督检查", MarkerKind::Chapter, 2),
        ] {
            let m = marker(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((m.kind, m.number), (kind, number), "{text}");
        }
        for text in [
            "2022年工作",
            "2024.3完成",
            "1.5倍",
            "10万元",
            "3）",
            "一是加强",
        ] {
            assert!(marker(text).is_none(), "{text}");
        }
        assert!(ends_sentence("要求如下：”"));
        assert!(ends_sentence("做好工作。）"));
        assert!(!ends_sentence("加强对重点领域的"));
    }

    #[test]
    fn percent_encoding_round_trips() {
        let name = "谈话 名单%2.xlsx";
        let encoded = percent_encode(name, b".");
        assert_eq!(encoded, "%E8%B0%88%E8%AF%9D%20%E5%90%8D%E5%8D%95%252.xlsx");
        assert_eq!(percent_decode(&encoded), name.as_bytes());
        assert_eq!(percent_decode("100%"), b"100%");
        assert_eq!(percent_decode("%zz"), b"%zz");
    }
}
