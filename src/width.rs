//! Terminal cell widths: CJK characters take two cells, so aligned columns are measured in
//! cells, not characters. Used by every stage that prints a table on a terminal.

use unicode_width::UnicodeWidthStr;

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
