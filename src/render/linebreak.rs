//! Our CJK line breaker: fits text into the GB/T 9704 grid (28 cells of 156 mm / 28 at
//! 16 pt) using glyph advances from the font, UAX #14 break opportunities, and the Chinese
//! line-breaking rules 行首禁则 (no line starts with closing punctuation) and 行尾禁则 (no line
//! ends with opening punctuation).
//!
//! When a line would start with a forbidden character the breaker either *pulls* that one
//! punctuation mark up onto the line (the line is then squeezed into the type area by the
//! writer, at most by [`Params::squeeze`]) or *pushes* the last character of the line down.
//! Runs without any break opportunity (long Latin words, long numbers, runs of punctuation)
//! are broken between characters so that nothing ever overflows the type area.
//!
//! Invariants (tested on hostile strings): the lines, concatenated, are exactly the input —
//! no character is lost, duplicated or reordered — and no line's width (without trailing
//! whitespace) exceeds the available width plus the allowed squeeze.

use unicode_linebreak::{linebreaks, BreakOpportunity};

/// Characters that may not begin a line (行首禁则).
pub const NO_LINE_START: &str = "，。、；：？！）》」』”’〕】〉］｝,.;:?!)]}%％·…—～~";

/// Characters that may not end a line (行尾禁则).
pub const NO_LINE_END: &str = "（《「『“‘〔【〈［｛([{";

/// Whether `c` may not begin a line.
pub fn no_start(c: char) -> bool {
    NO_LINE_START.contains(c)
}

/// Whether `c` may not end a line.
pub fn no_end(c: char) -> bool {
    NO_LINE_END.contains(c)
}

/// Layout parameters for one paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Width available to every line, in points.
    pub width: f32,
    /// Indent of the first line, in points (two cells for body paragraphs).
    pub first_indent: f32,
    /// How far a line may be over `width` when one closing punctuation mark is pulled up
    /// onto it; the writer squeezes such a line back into `width`.
    pub squeeze: f32,
}

/// One line: a byte range of the paragraph text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character (including trailing whitespace and `\n`).
    pub end: usize,
    /// Sum of the character widths, without trailing whitespace, in points.
    pub width: f32,
    /// Number of characters drawn (without trailing whitespace).
    pub visible: usize,
    /// Whether the line ends the paragraph or a forced (`\n`) break; such lines are not
    /// justified.
    pub last: bool,
    /// Indent of this line (the first line's indent, or 0).
    pub indent: f32,
}

impl Line {
    /// The text of the line within `text`.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Break `text` into lines. `width_of` gives each character's width in points (advance plus
/// any grid tracking). An empty text gives no lines.
pub fn break_lines(text: &str, width_of: impl Fn(char) -> f32, p: Params) -> Vec<Line> {
    break_lines_at(text, |_, c| width_of(c), p)
}

/// Like [`break_lines`], for text whose runs are set in different fonts: `width_at` gets
/// each character's byte offset as well.
pub fn break_lines_at(text: &str, width_at: impl Fn(usize, char) -> f32, p: Params) -> Vec<Line> {
    break_core(text, width_at, p, &|_| true)
}

/// The breaker itself; `may_break(byte)` can forbid further break opportunities (inside
/// words, for titles).
fn break_core(
    text: &str,
    width_at: impl Fn(usize, char) -> f32,
    p: Params,
    may_break: &dyn Fn(usize) -> bool,
) -> Vec<Line> {
    let chars: Vec<(usize, char, f32)> = text
        .char_indices()
        .map(|(i, c)| {
            let w = if c == '\n' || c == '\r' {
                0.0
            } else {
                width_at(i, c).max(0.0)
            };
            (i, c, w)
        })
        .collect();
    let n = chars.len();
    if n == 0 {
        return Vec::new();
    }
    // allowed[k]: a break is allowed before char k (k in 1..n); mandatory[k] likewise.
    let mut allowed = vec![false; n + 1];
    let mut mandatory = vec![false; n + 1];
    {
        let mut ci = 0usize;
        for (byte, op) in linebreaks(text) {
            while ci < n && chars[ci].0 < byte {
                ci += 1;
            }
            let k = if byte >= text.len() { n } else { ci };
            match op {
                BreakOpportunity::Mandatory => mandatory[k] = true,
                BreakOpportunity::Allowed => allowed[k] = true,
            }
        }
    }
    // Our own rules on top of UAX #14, and a break is always allowed right after `\n`.
    for k in 1..n {
        if chars[k - 1].1 == '\n' {
            mandatory[k] = true;
        }
        if no_start(chars[k].1) || no_end(chars[k - 1].1) || !may_break(chars[k].0) {
            allowed[k] = false;
        }
    }

    let is_ws = |c: char| c.is_whitespace();
    let mut lines = Vec::new();
    let mut i = 0usize;
    while i < n {
        let indent = if lines.is_empty() {
            p.first_indent
        } else {
            0.0
        };
        let avail = (p.width - indent).max(0.0);
        // The furthest end k such that chars[i..k] (without trailing whitespace) fits.
        let mut k = i;
        let mut acc = 0.0f32;
        let mut hard = None;
        while k < n {
            if k > i && mandatory[k] {
                hard = Some(k);
                break;
            }
            let (_, c, w) = chars[k];
            if !is_ws(c) && acc + w > avail + 1e-3 {
                break;
            }
            acc += w;
            k += 1;
        }
        let end = if let Some(h) = hard {
            h
        } else if k >= n {
            n
        } else {
            choose_break(&chars, &allowed, i, k, avail, p.squeeze)
        };
        let end = end.max(i + 1).min(n);
        let last = end >= n || mandatory[end];
        let (width, visible) = measure(&chars[i..end]);
        lines.push(Line {
            start: chars[i].0,
            end: if end >= n { text.len() } else { chars[end].0 },
            width,
            visible,
            last,
            indent,
        });
        i = end;
    }
    lines
}

/// Width and count of the characters drawn, without trailing whitespace.
fn measure(chars: &[(usize, char, f32)]) -> (f32, usize) {
    let visible = chars
        .iter()
        .rposition(|&(_, c, _)| !c.is_whitespace())
        .map_or(0, |p| p + 1);
    (chars[..visible].iter().map(|&(_, _, w)| w).sum(), visible)
}

/// Pick the end of a line starting at `i` when chars `i..k` fit and char `k` does not.
fn choose_break(
    chars: &[(usize, char, f32)],
    allowed: &[bool],
    i: usize,
    k: usize,
    avail: f32,
    squeeze: f32,
) -> usize {
    let n = chars.len();
    let width = |a: usize, b: usize| chars[a..b].iter().map(|&(_, _, w)| w).sum::<f32>();
    // Pull: the overflow is a short run of closing punctuation up to a break opportunity,
    // and squeezing absorbs it.
    let mut b2 = k;
    while b2 < n && no_start(chars[b2].1) && b2 - k < 2 {
        b2 += 1;
    }
    if b2 > k && (b2 == n || allowed[b2]) && width(i, b2) <= avail + squeeze + 1e-3 && b2 - i >= 2 {
        return b2;
    }
    // The last opportunity that fits (this pushes characters down when needed).
    if let Some(b) = (i + 1..=k).rev().find(|&b| allowed[b]) {
        return b;
    }
    // No opportunity at all (a long Latin word, number or punctuation run): break between
    // characters, still keeping 禁则 where the run allows it.
    let mut b = k.max(i + 1);
    let mut steps = 0;
    while b > i + 1 && steps < 2 && b < n && (no_start(chars[b].1) || no_end(chars[b - 1].1)) {
        b -= 1;
        steps += 1;
    }
    if b < n && (no_start(chars[b].1) || no_end(chars[b - 1].1)) {
        b = k.max(i + 1);
    }
    b
}

/// Common words for title breaking (`corpora/title-dict.txt`, from Python jieba's dictionary).
const TITLE_DICT: &str = include_str!("../../corpora/title-dict.txt");
/// The domain dictionary, so that fixed formulas are never split across title lines.
const DOMAIN_DICT: &str = include_str!("../../corpora/dict.txt");

/// Byte offsets inside `text` where a word (by jieba's segmentation) ends and the next
/// begins: the only places a title may break.
pub fn word_boundaries(text: &str) -> Vec<usize> {
    static JIEBA: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
    // A small dictionary (the 40,000 commonest words plus the domain dictionary), which loads
    // in milliseconds: rendering one instrument must not wait for jieba's full dictionary.
    let jieba = JIEBA.get_or_init(|| {
        let mut words = std::io::BufReader::new(TITLE_DICT.as_bytes());
        let mut j =
            jieba_rs::Jieba::with_dict(&mut words).unwrap_or_else(|_| jieba_rs::Jieba::empty());
        for line in DOMAIN_DICT.lines().filter(|l| !l.starts_with('#')) {
            let mut parts = line.split_whitespace();
            if let Some(w) = parts.next() {
                j.add_word(w, parts.next().and_then(|f| f.parse().ok()), None);
            }
        }
        j
    });
    jieba
        .cut(text, true)
        .iter()
        .map(|t| t.byte_end)
        .filter(|&e| e < text.len())
        .collect()
}

/// Break a title into balanced lines: as many lines as the greedy breaker needs, but each
/// as even as possible (GB/T 9704: a trapezoid or diamond, words kept whole: lines break
/// only between words, unless a word is longer than a line).
pub fn break_balanced(text: &str, width_of: impl Fn(char) -> f32, width: f32) -> Vec<Line> {
    // A title that fits on one line needs no word boundaries (and no dictionary load).
    let fits = !text.contains('\n') && text.chars().map(&width_of).sum::<f32>() <= width;
    let bounds = if fits {
        Vec::new()
    } else {
        word_boundaries(text)
    };
    let may_break = |b: usize| bounds.binary_search(&b).is_ok();
    let p = Params {
        width,
        first_indent: 0.0,
        squeeze: 0.0,
    };
    let run = |p: Params| break_core(text, |_, c| width_of(c), p, &may_break);
    let greedy = run(p);
    let count = greedy.len();
    if count <= 1 || greedy.iter().filter(|l| l.last).count() > 1 {
        return greedy;
    }
    // Shrink the width while the line count stays the same.
    let (mut lo, mut hi) = (width / count as f32, width);
    let mut best = greedy;
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        let cand = run(Params { width: mid, ..p });
        if cand.len() == count {
            hi = mid;
            best = cand;
        } else {
            lo = mid;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: f32 = 15.8;

    fn w(c: char) -> f32 {
        if c.is_ascii() {
            CELL / 2.0
        } else {
            CELL
        }
    }

    fn body() -> Params {
        Params {
            width: 28.0 * CELL,
            first_indent: 2.0 * CELL,
            squeeze: CELL,
        }
    }

    /// Check the invariants and return the lines' texts.
    fn check(text: &str, p: Params) -> Vec<String> {
        let lines = break_lines(text, w, p);
        let joined: String = lines.iter().map(|l| l.text(text)).collect();
        assert_eq!(joined, text, "characters lost, duplicated or reordered");
        let mut prev_end = 0;
        for (n, l) in lines.iter().enumerate() {
            assert_eq!(l.start, prev_end, "gap or overlap before line {n}");
            prev_end = l.end;
            let avail = p.width - l.indent;
            let over = l.width - avail;
            assert!(
                over <= p.squeeze + 1e-3,
                "line {n} too wide by {over}: {:?}",
                l.text(text)
            );
            if over > 1e-3 {
                // Only a pulled closing mark may overflow, and only into the squeeze.
                let last = l.text(text).trim_end().chars().last().unwrap_or(' ');
                assert!(
                    no_start(last),
                    "line {n} overflows without pulled punctuation"
                );
            }
            assert!(!l.text(text).is_empty());
        }
        assert_eq!(prev_end, text.len());
        lines.iter().map(|l| l.text(text).to_string()).collect()
    }

    #[test]
    fn empty_text_gives_no_lines() {
        assert!(break_lines("", w, body()).is_empty());
    }

    #[test]
    fn fills_28_cells_after_indent() {
        let text = "一".repeat(60);
        let lines = check(&text, body());
        assert_eq!(
            lines.iter().map(|l| l.chars().count()).collect::<Vec<_>>(),
            [26, 28, 6]
        );
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 26 characters then a comma: the comma would start line 2.
        let text = format!("{}，{}。", "二".repeat(26), "三".repeat(40));
        let lines = check(&text, body());
        for l in &lines[1..] {
            let first = l.chars().next().unwrap_or(' ');
            assert!(!no_start(first), "line starts with {first}: {l}");
        }
        // Pulled: the comma stays on line 1, squeezed in.
        assert!(lines[0].ends_with('，'), "{lines:?}");
    }

    #[test]
    fn push_when_two_marks_do_not_fit_the_squeeze() {
        let text = format!("{}。”{}", "四".repeat(26), "五".repeat(5));
        let p = Params {
            squeeze: CELL / 2.0,
            ..body()
        };
        let lines = check(&text, p);
        let first = lines[1].chars().next().unwrap_or(' ');
        assert!(!no_start(first), "{lines:?}");
        // One 四 was pushed down with the marks.
        assert_eq!(lines[0].chars().count(), 25, "{lines:?}");
    }

    #[test]
    fn no_line_ends_with_opening_punctuation() {
        for pos in 20..30 {
            let text = format!(
                "{}（{}）{}",
                "六".repeat(pos),
                "七".repeat(4),
                "八".repeat(30)
            );
            let lines = check(&text, body());
            for l in &lines[..lines.len() - 1] {
                let last = l.chars().last().unwrap_or(' ');
                assert!(!no_end(last), "line ends with {last}: {lines:?}");
            }
        }
    }

    #[test]
    fn hostile_strings_keep_every_character() {
        let long_word = "Supercalifragilisticexpialidocious".repeat(4);
        let long_num = "1234567890".repeat(12);
        let only_punct = "，。、；：？！）》」』”’〕】".repeat(6);
        let open_punct = "（《「『“‘〔【".repeat(8);
        let mixed = "2022年3月5日X纪建〔2022〕3号abc def，ghi。".repeat(5);
        let spaces = "   a  b    c   ".repeat(20);
        let newlines = "甲\n\n乙，\n丙".to_string();
        for t in [
            long_word, long_num, only_punct, open_punct, mixed, spaces, newlines,
        ] {
            for p in [
                body(),
                Params {
                    width: 3.0 * CELL,
                    first_indent: 0.0,
                    squeeze: 0.0,
                },
                Params {
                    width: 1.0 * CELL,
                    first_indent: 0.0,
                    squeeze: 0.0,
                },
            ] {
                check(&t, p);
            }
        }
    }

    #[test]
    fn long_latin_word_breaks_inside() {
        let text = "x".repeat(100);
        let lines = check(&text, body());
        // 26 cells = 52 half-width letters on line 1, then 56.
        assert_eq!(lines[0].len(), 52);
        assert_eq!(lines[1].len(), 48);
    }

    #[test]
    fn mixed_widths_measure_ascii_as_half() {
        let text = format!("{}{}", "9".repeat(52), "中");
        let lines = check(&text, body());
        assert_eq!(lines.len(), 2, "{lines:?}");
    }

    #[test]
    fn newline_forces_break_and_marks_last() {
        let text = "甲乙\n丙丁";
        let lines = break_lines(text, w, body());
        assert_eq!(lines.len(), 2);
        assert!(lines[0].last && lines[1].last);
        assert_eq!(lines[0].visible, 2);
    }

    #[test]
    fn balanced_title_lines() {
        let text = "关于进一步加强农村集体“三资”管理和规范村级小微权力运行的纪检监察建议书";
        let lines = break_balanced(text, |c| w(c) * 22.0 / 16.0, 28.0 * CELL);
        assert_eq!(lines.len(), 2);
        let a = lines[0].text(text).chars().count();
        let b = lines[1].text(text).chars().count();
        assert!(a >= b && a - b <= 2, "{a} {b}");
        let joined: String = lines.iter().map(|l| l.text(text)).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn titles_break_between_words() {
        // 34 characters at 22 pt: two lines of about 17; a naive balance would split a word.
        let text = "关于开展违规收送礼品礼金问题专项整治工作情况的纪检监察建议书";
        let lines = break_balanced(text, |c| w(c) * 22.0 / 16.0, 28.0 * CELL);
        assert_eq!(lines.len(), 2);
        let bounds = word_boundaries(text);
        assert!(
            bounds.contains(&lines[0].end),
            "{:?} {bounds:?}",
            lines[0].text(text)
        );
        // Domain terms are words of their own: a title never breaks inside 纪检监察建议书 or
        // 两个维护, but does break between the words around them.
        assert!(word_boundaries("纪检监察建议书").is_empty());
        assert!(word_boundaries("两个维护").is_empty());
        let t = "关于开展专项整治的纪检监察建议书";
        let b = word_boundaries(t);
        assert!(
            b.contains(&"关于".len()) && b.contains(&t.find("纪检").unwrap()),
            "{b:?}"
        );
    }
}
