//! Normalization: surface variants of one term become its canonical form.
//!
//! Three layers, each idempotent:
//! - characters ([`chars`]): full-width letters and digits become half-width, half-width
//!   punctuation between Chinese characters becomes full-width, straight and mismatched
//!   quotation marks are repaired, stray spaces go;
//! - terms ([`term`]): a slot entry (责任主体 …) equal to a variant of the canonical terms
//!   ([`Canon`]: `corpora/lexicons/canonical.txt` and the user's additions, held by the
//!   [`Vocabulary`]) becomes the canonical term (党组主体责任 → 党委（党组）主体责任);
//! - text ([`text`]): every variant inside a longer text is replaced (leftmost-longest), for
//!   comparing items (merging), not for display.
//!
//! Lists lose their duplicates after normalization ([`list`]).

pub use crate::extract::canon::Canon;
use crate::extract::Vocabulary;
pub use crate::text::normalize_chars as chars;

/// Normalize a list of terms and drop the duplicates (first occurrence kept).
pub fn list(v: &Vocabulary, items: &[String]) -> Vec<String> {
    let c = v.canon();
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        let t = c.term(i);
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Normalize free-text entries (titles, measures): characters only, duplicates dropped.
pub fn sentences(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        let t = chars(i);
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The canonical form of a term (see [`Canon::term`]).
pub fn term(v: &Vocabulary, s: &str) -> String {
    v.canon().term(s)
}

/// A text with every variant replaced (see [`Canon::text`]).
pub fn text(v: &Vocabulary, s: &str) -> String {
    v.canon().text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_become_one_term() {
        let v = Vocabulary::builtin();
        assert_eq!(term(v, "党组主体责任"), "党委（党组）主体责任");
        assert_eq!(term(v, "党委(党组)主体责任"), "党委（党组）主体责任");
        assert_eq!(term(v, "党委（党组）主体责任"), "党委（党组）主体责任");
        assert_eq!(term(v, "主体责任"), "党委（党组）主体责任");
        assert_eq!(term(v, "红红脸、出出汗"), "红脸出汗");
        assert_eq!(term(v, "班子成员“一岗双责”"), "班子成员一岗双责");
        assert_eq!(term(v, "明查暗访"), "明察暗访");
        assert_eq!(term(v, "乡村振兴"), "乡村振兴");
    }

    #[test]
    fn characters_are_repaired() {
        assert_eq!(chars("推动“１＋Ｘ”监督机制"), "推动“1＋X”监督机制");
        assert_eq!(chars("坚决做到”两个维护”"), "坚决做到“两个维护”");
        assert_eq!(chars("做到\"两个维护\"(试行)"), "做到“两个维护”（试行）");
        assert_eq!(chars("  强化 政治监督 "), "强化政治监督");
        assert_eq!(chars("Excel 表格"), "Excel表格");
        // Idempotent.
        let once = chars("用好\"红脸出汗\"清单, 坚持");
        assert_eq!(chars(&once), once);
    }

    #[test]
    fn text_variants_replaced_inside_sentences() {
        let v = Vocabulary::builtin();
        assert_eq!(
            text(v, "经常性开展红红脸、出出汗，压实党组主体责任"),
            "经常性开展红脸出汗，压实党委（党组）主体责任"
        );
        assert_eq!(
            text(v, "严查享乐主义和奢靡之风问题"),
            "严查享乐主义、奢靡之风问题"
        );
    }

    #[test]
    fn lists_lose_duplicates() {
        let v = Vocabulary::builtin();
        let got = list(
            v,
            &[
                "党组主体责任".to_string(),
                "党委（党组）主体责任".to_string(),
                "明察暗访".to_string(),
                "明查暗访".to_string(),
                " 明察暗访".to_string(),
            ],
        );
        assert_eq!(got, vec!["党委（党组）主体责任", "明察暗访"]);
    }
}
