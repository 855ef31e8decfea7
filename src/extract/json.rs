//! The JSON contract of extraction: `{"documents": [...]}` of [`Extracted`], as
//! `jiandu extract` prints it and the web workbench serves it.

use super::Extracted;
use crate::error::{Error, Result};

/// The JSON of `extract`: `{"documents": [...]}`, pretty-printed, serialized straight from
/// the records (no intermediate value tree).
pub fn documents_json(docs: &[Extracted]) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    write_documents_json(docs, &mut v)?;
    Ok(v)
}

/// Write the JSON of `extract` (see [`documents_json`]) to `w`, ending in a newline.
pub fn write_documents_json(docs: &[Extracted], mut w: impl std::io::Write) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        documents: &'a [Extracted],
    }
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Pretty::default());
    serde::Serialize::serialize(&Out { documents: docs }, &mut ser)
        .map_err(|e| Error::msg(format!("生成 JSON 失败：{e}")))?;
    w.write_all(b"\n")
        .map_err(|e| Error::msg(format!("写入失败：{e}")))
}

/// serde_json's pretty layout (two-space indent), byte for byte, with each line break and
/// its indent written at once: serde_json's `PrettyFormatter` writes the indent one level at
/// a time, millions of small writes for a big plan.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// ",\n" (or "\n" before a first entry) and the indent of the current depth, in one write.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        const BREAK: &[u8] = b",\n                                                                ";
        // "\n…" is BREAK without its comma.
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(&BREAK[from..2])?;
                (0..self.depth).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// Open an array or object: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Close an array or object, on a line of its own when something was in it.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(v: &impl serde::Serialize) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
        v.serialize(&mut ser).expect("serializes");
        String::from_utf8(out).expect("UTF-8")
    }

    /// The fast layout is serde_json's pretty layout, byte for byte.
    #[test]
    fn layout_equals_serde_jsons_pretty() {
        let plan = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpora/plans/004_17309b67fbf1a13d.txt"
        );
        let ex = crate::model::read_plan(
            crate::extract::Vocabulary::builtin(),
            std::path::Path::new(plan),
            None,
            &Default::default(),
        )
        .expect("seed plan");
        assert!(ex.items.len() > 30);
        let expect = serde_json::to_string_pretty(&ex).expect("serializes");
        assert_eq!(pretty(&ex), expect);
        // Empty and nested containers, and nesting deeper than the one-write indent.
        let mut deep = serde_json::json!({"a": [], "b": {}, "c": [[], {}, [1, [2, {"d": null}]]]});
        for _ in 0..40 {
            deep = serde_json::json!([deep, {"k": [deep.clone()]}]);
            if deep.to_string().len() > 1 << 20 {
                break;
            }
        }
        let mut nested = serde_json::json!("x");
        for _ in 0..50 {
            nested = serde_json::json!({"n": [nested]});
        }
        for v in [deep, nested, serde_json::json!([]), serde_json::json!({})] {
            assert_eq!(
                pretty(&v),
                serde_json::to_string_pretty(&v).expect("serializes")
            );
        }
    }
}
