//! The counter files earlier versions kept beside a batch's output, read so that the
//! ledger can take them over.
//!
//! 文号 are handed out by the ledger's database now ([`crate::model::ledger::Ledger::assign_numbers`]):
//! one sequence per 代字 and year shared by `render`, `batch` and every process using the
//! same ledger. A folder numbered by an earlier version has a counter file; the first batch
//! into that folder gives its entries to the ledger (once), so rows keep their numbers and
//! new numbers continue after them. The file itself is left as it is.
//!
//! File format, one line per entry, tab-separated (⇥ is a tab): `next⇥代字⇥年⇥N` (the next free
//! number) and `row⇥代字⇥年⇥N⇥key` (a number handed out).

use crate::error::{Error, Result};
use crate::model::ledger::CounterEntry;
use std::path::Path;

/// The name of the counter file in the output folder.
pub const COUNTER_FILE: &str = ".jiandu-文号计数.txt";

/// The entries of a counter file's text; lines of another shape are skipped.
pub fn parse(text: &str) -> Vec<CounterEntry> {
    let mut out = Vec::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        match parts.as_slice() {
            ["next", code, year, n] => {
                if let (Ok(year), Ok(next)) = (year.parse(), n.parse::<u32>()) {
                    out.push(CounterEntry::Next {
                        code: code.to_string(),
                        year,
                        next,
                    });
                }
            }
            ["row", code, year, n, key] => {
                if let (Ok(year), Ok(serial)) = (year.parse(), n.parse::<u32>()) {
                    out.push(CounterEntry::Row {
                        code: code.to_string(),
                        year,
                        serial,
                        key: key.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The counter file of `dir`, if it has one: its full path and its entries.
pub fn read(dir: &Path) -> Result<Option<(String, Vec<CounterEntry>)>> {
    let path = dir.join(COUNTER_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let full = std::fs::canonicalize(&path).unwrap_or(path);
            Ok(Some((
                full.to_string_lossy().into_owned(),
                parse(&String::from_utf8_lossy(&bytes)),
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&path, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_files_of_earlier_versions_read_back() {
        let text = "# jiandu 文号计数\nnext\t青纪谈\t2022\t4\nrow\t青纪谈\t2022\t1\t7-abc\nrow\tx\tbad\t1\tk\n";
        assert_eq!(
            parse(text),
            vec![
                CounterEntry::Next {
                    code: "青纪谈".into(),
                    year: 2022,
                    next: 4
                },
                CounterEntry::Row {
                    code: "青纪谈".into(),
                    year: 2022,
                    serial: 1,
                    key: "7-abc".into()
                }
            ]
        );
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).unwrap().is_none());
        std::fs::write(dir.path().join(COUNTER_FILE), text).unwrap();
        let (source, entries) = read(dir.path()).unwrap().unwrap();
        assert!(source.ends_with(COUNTER_FILE), "{source}");
        assert_eq!(entries.len(), 2);
    }
}
