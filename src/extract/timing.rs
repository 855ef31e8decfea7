//! Timing: frequencies and deadlines (时限/频次) found in an item's tokens, with due dates in
//! the plan's year.
//!
//! | written | due |
//! |---|---|
//! | 每半年 | June 30 and December 31 |
//! | 每季度, 按季度, 一季度一主题 | the four quarter ends |
//! | 每月 | the last day of every month |
//! | 每年, 年底前, 年内, 年末, 全年 | December 31 (全年: text only) |
//! | 上半年 / 下半年 | June 30 / December 31 |
//! | 一季度 / 第二季度 … (末/前) | that quarter's end |
//! | X月底前, X月前, X月份, X月末 | that month's last day |
//! | X月X日前 | that day |
//! | 长期坚持, 持续, 常态化, 重要时间节点 … (`corpora/lexicons/timing.txt`) | none; kept as text |

use super::lexicon::{CharMask, Lexicons};
use super::segment::Token;
use serde::Serialize;

/// One timing expression and the dates it makes due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timing {
    /// As written, e.g. "每半年", "6月底前".
    pub text: String,
    /// Due dates as `YYYY-MM-DD`, in order; empty when the expression has none or the year
    /// is unknown.
    pub due: Vec<String>,
}

/// Days in a month of the Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_end(year: Option<i32>, month: u32) -> Vec<String> {
    year.map(|y| vec![format!("{y:04}-{month:02}-{:02}", days_in_month(y, month))])
        .unwrap_or_default()
}

fn ends(year: Option<i32>, months: &[u32]) -> Vec<String> {
    months.iter().flat_map(|&m| month_end(year, m)).collect()
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
/// characters of the timing lexicon (the exact test follows).
fn may_open(c: char) -> bool {
    static MASK: std::sync::OnceLock<CharMask> = std::sync::OnceLock::new();
    MASK.get_or_init(|| {
        let lex = Lexicons::get();
        let firsts = lex.timing.entries.iter().filter_map(|e| e.chars().next());
        OPENERS.chars().chain(firsts).collect()
    })
    .may_contain(c)
}

/// Find the timing expressions in an item's tokens; `text` is the string they index.
pub fn find(tokens: &[Token<'_>], text: &str, year: Option<i32>) -> Vec<Timing> {
    // The text of tokens a..=b, by byte offsets.
    let span = |a: usize, b: usize| -> String {
        text.get(tokens[a].byte_start..tokens[b].byte_end)
            .unwrap_or_default()
            .to_string()
    };
    let word = |k: usize| tokens.get(k).map(|t| t.word);
    let lex = Lexicons::get();
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
        if !may_open(c0) {
            i += 1;
            continue;
        }
        if !(OPENERS.contains(c0) || lex.timing.contains(w)) {
            i += 1;
            continue;
        }
        let next = |k: usize| word(i + k).unwrap_or("");
        // X月 / X月底 / X月底前 / X月前 / X月份 / X月末 / X月X日前
        if let Some(m) = number(w).filter(|m| (1..=12).contains(m)) {
            let mut j = i + 1;
            let after = next(1);
            let month_word = matches!(
                after,
                "月" | "月底" | "月份" | "月末" | "月中" | "月初" | "月底前"
            );
            if month_word {
                j += 1;
                // X月X日前
                if let (Some(d), "日" | "号") = (number(next(2)), next(3)) {
                    if next(4) == "前" || next(4) == "之前" {
                        let due = year
                            .filter(|&y| d >= 1 && d <= days_in_month(y, m))
                            .map(|y| vec![format!("{y:04}-{m:02}-{d:02}")])
                            .unwrap_or_default();
                        push(Timing {
                            text: span(i, i + 4),
                            due,
                        });
                        i += 5;
                        continue;
                    }
                }
                let mut deadline = matches!(after, "月底" | "月份" | "月末" | "月底前");
                while matches!(word(j), Some("底" | "前" | "之前" | "底前" | "末")) {
                    deadline = true;
                    j += 1;
                }
                if deadline {
                    push(Timing {
                        text: span(i, j - 1),
                        due: month_end(year, m),
                    });
                    i = j;
                    continue;
                }
            }
        }
        let (text, due, used): (Option<String>, Vec<String>, usize) = match w {
            "每半年" | "半年" if w == "每半年" || word(i.wrapping_sub(1)) == Some("每") => {
                (Some("每半年".into()), ends(year, &[6, 12]), 1)
            }
            "每季度" | "按季度" | "每季" | "季报" => {
                (Some(w.into()), ends(year, &[3, 6, 9, 12]), 1)
            }
            "一季度一主题" => (Some(w.into()), ends(year, &[3, 6, 9, 12]), 1),
            "每月" => (Some(w.into()), ends(year, &(1..=12).collect::<Vec<_>>()), 1),
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
            "上半年" => (Some(w.into()), ends(year, &[6]), 1),
            "下半年" => (Some(w.into()), ends(year, &[12]), 1),
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
            push(Timing { text, due });
        }
        i += used;
    }
    out
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
    use crate::extract::segment::tokens;

    fn timings(text: &str, year: Option<i32>) -> Vec<(String, Vec<String>)> {
        find(&tokens(text), text, year)
            .into_iter()
            .map(|t| (t.text, t.due))
            .collect()
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
    }

    #[test]
    fn year() {
        assert_eq!(year_of(&["2022年派驻纪检监察组将以"]), Some(2022));
        assert_eq!(year_of(&["一、立足职责", "123456年"]), None);
        assert_eq!(year_of(&["中共XX县纪委2023年工作要点"]), Some(2023));
    }
}
