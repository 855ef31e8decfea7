//! The 文书台账 and the 文号 sequences, in the same database as the 整改台账.
//!
//! Every 文号 jiandu hands out comes from one sequence per 代字 and year, shared by
//! `render` and `batch` and by every process that uses the same ledger: numbers are handed
//! out inside an `IMMEDIATE` transaction, so two processes numbering at once wait for each
//! other and never give one number twice. Each number is kept with a key of what it went to
//! (a row's content, a data file's content), so making the same document again gives it the
//! number it had. The counter files earlier versions kept beside a batch's output
//! (`.jiandu-文号计数.txt`) are taken over the first time their folder is used: their numbers
//! enter the sequence, the file is left as it was and noted as taken over.
//!
//! The 文书台账 records every instrument issued when asked to (`--ledger`): 文号, kind,
//! person or unit, issuer, 成文日期, the values it was filled with, and each output file
//! with its SHA-256 and size. Recording the same file again adds nothing.

use rusqlite::{params, OptionalExtension, Transaction};

use super::{db_error, Ledger};
use crate::error::{Error, Result};
use crate::model::progress::Day;

/// The tables schema version 2 adds (all new: nothing of version 1 changes).
pub(super) const SCHEMA_V2: &str = "BEGIN IMMEDIATE;
     CREATE TABLE IF NOT EXISTS number (
         code TEXT NOT NULL,
         year INTEGER NOT NULL,
         serial INTEGER NOT NULL,
         key TEXT NOT NULL,
         at TEXT NOT NULL,
         PRIMARY KEY (code, year, serial),
         UNIQUE (code, year, key)
     );
     CREATE TABLE IF NOT EXISTS series (
         code TEXT NOT NULL,
         year INTEGER NOT NULL,
         next INTEGER NOT NULL,
         PRIMARY KEY (code, year)
     );
     CREATE TABLE IF NOT EXISTS counter_import (
         source TEXT PRIMARY KEY,
         entries INTEGER NOT NULL,
         at TEXT NOT NULL
     );
     CREATE TABLE IF NOT EXISTS issued (
         id INTEGER PRIMARY KEY,
         doc_number TEXT NOT NULL,
         kind TEXT NOT NULL,
         subject TEXT NOT NULL,
         issuer TEXT NOT NULL,
         issue_date TEXT,
         data TEXT NOT NULL,
         recorded TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS issued_number ON issued (doc_number);
     CREATE TABLE IF NOT EXISTS issued_file (
         id INTEGER PRIMARY KEY,
         issued INTEGER NOT NULL REFERENCES issued(id),
         path TEXT NOT NULL,
         sha256 TEXT NOT NULL,
         bytes INTEGER NOT NULL,
         recorded TEXT NOT NULL,
         UNIQUE (path, sha256)
     );
     CREATE INDEX IF NOT EXISTS issued_file_hash ON issued_file (sha256);
     PRAGMA user_version = 2;
     COMMIT;";

/// A request for a 文号: the series and the key of what gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRequest {
    /// 代字, e.g. `青纪谈`.
    pub code: String,
    /// The year in 〔〕.
    pub year: i32,
    /// A key of what the number goes to (a row's content), so that making it again gives
    /// it the same number.
    pub key: String,
}

/// One entry of an old counter file, to take over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterEntry {
    /// The next free number of a series.
    Next {
        /// 代字.
        code: String,
        /// Year.
        year: i32,
        /// The next free number.
        next: u32,
    },
    /// A number handed out.
    Row {
        /// 代字.
        code: String,
        /// Year.
        year: i32,
        /// The number.
        serial: u32,
        /// The key of the row it went to.
        key: String,
    },
}

/// An old counter file to take over, named by `source` (its full path).
#[derive(Debug, Clone, Copy)]
pub struct Counter<'a> {
    /// Where it is: recorded so that it is taken over once.
    pub source: &'a str,
    /// What it holds.
    pub entries: &'a [CounterEntry],
}

/// The numbers handed out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assigned {
    /// One number per request, in order.
    pub serials: Vec<u32>,
    /// How many numbers of an old counter file entered the ledger this time (0 when there
    /// was none, or it was taken over before).
    pub taken_over: usize,
    /// Numbers of the old counter file that the ledger had already given to something
    /// else: kept as the ledger has them.
    pub conflicts: usize,
}

/// One output file of an issued instrument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedFile {
    /// Its full path.
    pub path: String,
    /// SHA-256 of its bytes, in lower-case hex.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl IssuedFile {
    /// The record of a file of `bytes` written to `path`.
    pub fn of(path: &str, bytes: &[u8]) -> IssuedFile {
        IssuedFile {
            path: path.to_string(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
        }
    }
}

/// SHA-256 of `bytes` in lower-case hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// An instrument issued, as the 文书台账 records it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    /// 文号 (empty when the instrument has none).
    pub doc_number: String,
    /// The kind of instrument (谈话通知书 …).
    pub kind: String,
    /// The person or unit it is for.
    pub subject: String,
    /// The issuing office.
    pub issuer: String,
    /// 成文日期.
    pub issue_date: Option<Day>,
    /// The values it was filled with, as JSON (so that a recommendation can be entered in
    /// the 整改台账 from its output files later).
    pub data: String,
    /// Its output files.
    pub files: Vec<IssuedFile>,
}

/// An issued instrument read back, with when it was recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedRow {
    /// What was recorded.
    pub issued: Issued,
    /// The day it was recorded (ISO).
    pub recorded: String,
}

impl IssuedRow {
    /// The record as `jiandu ledger issued --json` prints it (keys in Chinese, as the
    /// 文书台账 sheet names its columns).
    pub fn to_json(&self) -> serde_json::Value {
        let i = &self.issued;
        serde_json::json!({
            "文号": i.doc_number,
            "文种": i.kind,
            "对象": i.subject,
            "发文机关": i.issuer,
            "成文日期": i.issue_date.map(Day::iso),
            "记入日期": self.recorded,
            "文件": i.files.iter().map(|f| serde_json::json!({
                "路径": f.path,
                "SHA-256": f.sha256,
                "字节数": f.bytes,
            })).collect::<Vec<_>>(),
        })
    }
}

/// What [`Ledger::record_issued`] added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recorded {
    /// Instruments new to the ledger.
    pub instruments: usize,
    /// Files new to the ledger.
    pub files: usize,
}

/// The next free number of a series: above every number handed out and the series' floor.
fn next_free(tx: &Transaction, code: &str, year: i32) -> rusqlite::Result<u32> {
    let used: Option<i64> = tx.query_row(
        "SELECT MAX(serial) FROM number WHERE code = ?1 AND year = ?2",
        params![code, year],
        |r| r.get(0),
    )?;
    let floor: Option<i64> = tx
        .query_row(
            "SELECT next FROM series WHERE code = ?1 AND year = ?2",
            params![code, year],
            |r| r.get(0),
        )
        .optional()?;
    Ok((used.unwrap_or(0) + 1).max(floor.unwrap_or(1)).max(1) as u32)
}

fn set_floor(tx: &Transaction, code: &str, year: i32, next: u32) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO series (code, year, next) VALUES (?1, ?2, ?3)
         ON CONFLICT (code, year) DO UPDATE SET next = MAX(next, excluded.next)",
        params![code, year, next],
    )?;
    Ok(())
}

/// Take over an old counter file, once. Returns (numbers taken over, conflicts).
fn take_over(tx: &Transaction, counter: Counter, today: Day) -> rusqlite::Result<(usize, usize)> {
    let seen: Option<i64> = tx
        .query_row(
            "SELECT entries FROM counter_import WHERE source = ?1",
            [counter.source],
            |r| r.get(0),
        )
        .optional()?;
    if seen.is_some() {
        return Ok((0, 0));
    }
    let (mut taken, mut conflicts) = (0, 0);
    for e in counter.entries {
        match e {
            CounterEntry::Next { code, year, next } => set_floor(tx, code, *year, *next)?,
            CounterEntry::Row {
                code,
                year,
                serial,
                key,
            } => {
                let n = tx.execute(
                    "INSERT OR IGNORE INTO number (code, year, serial, key, at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![code, year, serial, key, today.iso()],
                )?;
                if n == 1 {
                    taken += 1;
                } else {
                    let same: Option<String> = tx
                        .query_row(
                            "SELECT key FROM number WHERE code = ?1 AND year = ?2 AND serial = ?3",
                            params![code, year, serial],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if same.as_deref() != Some(key.as_str()) {
                        conflicts += 1;
                    }
                }
                set_floor(tx, code, *year, serial + 1)?;
            }
        }
    }
    tx.execute(
        "INSERT INTO counter_import (source, entries, at) VALUES (?1, ?2, ?3)",
        params![counter.source, counter.entries.len() as i64, today.iso()],
    )?;
    Ok((taken, conflicts))
}

impl Ledger {
    /// Hand out a 文号 serial for each request, in order, in one transaction: a key that
    /// has a number gets it again; others get the next free number of their series (at
    /// least `start`, when given). An old counter file, when given, is taken over first
    /// (once per source).
    pub fn assign_numbers(
        &mut self,
        requests: &[NumberRequest],
        start: Option<u32>,
        counter: Option<Counter>,
        today: Day,
    ) -> Result<Assigned> {
        let path = self.path.clone();
        let fail = |e| db_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let (taken_over, conflicts) = match counter {
            Some(c) => take_over(&tx, c, today).map_err(fail)?,
            None => (0, 0),
        };
        let mut serials = Vec::with_capacity(requests.len());
        {
            let mut find = tx
                .prepare_cached(
                    "SELECT serial FROM number WHERE code = ?1 AND year = ?2 AND key = ?3",
                )
                .map_err(fail)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO number (code, year, serial, key, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(fail)?;
            // The next free number of each series, looked up once.
            let mut next: std::collections::HashMap<(String, i32), u32> = Default::default();
            for r in requests {
                let had: Option<i64> = find
                    .query_row(params![r.code, r.year, r.key], |x| x.get(0))
                    .optional()
                    .map_err(fail)?;
                if let Some(n) = had {
                    serials.push(n as u32);
                    continue;
                }
                let slot = match next.entry((r.code.clone(), r.year)) {
                    std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        let free = next_free(&tx, &r.code, r.year).map_err(fail)?;
                        v.insert(free.max(start.unwrap_or(0)))
                    }
                };
                let n = *slot;
                *slot += 1;
                insert
                    .execute(params![r.code, r.year, n, r.key, today.iso()])
                    .map_err(fail)?;
                serials.push(n);
            }
        }
        tx.commit().map_err(fail)?;
        Ok(Assigned {
            serials,
            taken_over,
            conflicts,
        })
    }

    /// The numbers of a series handed out, with the keys they went to, by number.
    pub fn numbers(&self, code: &str, year: i32) -> Result<Vec<(u32, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT serial, key FROM number WHERE code = ?1 AND year = ?2 ORDER BY serial")
            .map_err(|e| self.fail(e))?;
        let rows = st
            .query_map(params![code, year], |r| {
                Ok((r.get::<_, i64>(0)? as u32, r.get(1)?))
            })
            .map_err(|e| self.fail(e))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(|e| self.fail(e))
    }

    /// Record instruments issued and their files, in one transaction. An instrument
    /// already recorded (same 文号, kind and values) gets only its new files; a file already
    /// recorded (same path and content) is not recorded again.
    pub fn record_issued(&mut self, docs: &[Issued], today: Day) -> Result<Recorded> {
        let path = self.path.clone();
        let fail = |e| db_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let mut out = Recorded::default();
        {
            let mut find = tx
                .prepare_cached(
                    "SELECT id FROM issued WHERE doc_number = ?1 AND kind = ?2 AND data = ?3",
                )
                .map_err(fail)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO issued (doc_number, kind, subject, issuer, issue_date, data, recorded)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(fail)?;
            let mut file = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO issued_file (issued, path, sha256, bytes, recorded)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(fail)?;
            for d in docs {
                let id: i64 = match find
                    .query_row(params![d.doc_number, d.kind, d.data], |r| r.get(0))
                    .optional()
                    .map_err(fail)?
                {
                    Some(id) => id,
                    None => {
                        insert
                            .execute(params![
                                d.doc_number,
                                d.kind,
                                d.subject,
                                d.issuer,
                                d.issue_date.map(Day::iso),
                                d.data,
                                today.iso()
                            ])
                            .map_err(fail)?;
                        out.instruments += 1;
                        tx.last_insert_rowid()
                    }
                };
                for f in &d.files {
                    out.files += file
                        .execute(params![id, f.path, f.sha256, f.bytes as i64, today.iso()])
                        .map_err(fail)?;
                }
            }
        }
        tx.commit().map_err(fail)?;
        Ok(out)
    }

    /// Every instrument recorded, oldest first, with its files.
    pub fn issued(&self) -> Result<Vec<IssuedRow>> {
        self.issued_where("", &[])
    }

    /// The instrument a file with this SHA-256 was recorded for, if any.
    pub fn issued_by_hash(&self, sha256: &str) -> Result<Option<IssuedRow>> {
        Ok(self
            .issued_where(
                "WHERE i.id IN (SELECT issued FROM issued_file WHERE sha256 = ?1)",
                &[&sha256],
            )?
            .into_iter()
            .next())
    }

    fn issued_where(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<IssuedRow>> {
        let fail = |e| self.fail(e);
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT i.id, i.doc_number, i.kind, i.subject, i.issuer, i.issue_date, i.data,
                        i.recorded, f.path, f.sha256, f.bytes
                 FROM issued i LEFT JOIN issued_file f ON f.issued = i.id
                 {filter} ORDER BY i.id, f.id"
            ))
            .map_err(fail)?;
        let mut rows = st.query(args).map_err(fail)?;
        let mut out: Vec<(i64, IssuedRow)> = Vec::new();
        while let Some(r) = rows.next().map_err(fail)? {
            let id: i64 = r.get(0).map_err(fail)?;
            if out.last().is_none_or(|(last, _)| *last != id) {
                let date: Option<String> = r.get(5).map_err(fail)?;
                out.push((
                    id,
                    IssuedRow {
                        issued: Issued {
                            doc_number: r.get(1).map_err(fail)?,
                            kind: r.get(2).map_err(fail)?,
                            subject: r.get(3).map_err(fail)?,
                            issuer: r.get(4).map_err(fail)?,
                            issue_date: date.as_deref().and_then(Day::parse),
                            data: r.get(6).map_err(fail)?,
                            files: Vec::new(),
                        },
                        recorded: r.get(7).map_err(fail)?,
                    },
                ));
            }
            let path: Option<String> = r.get(8).map_err(fail)?;
            if let (Some(path), Some((_, row))) = (path, out.last_mut()) {
                row.issued.files.push(IssuedFile {
                    path,
                    sha256: r.get(9).map_err(fail)?,
                    bytes: r.get::<_, i64>(10).map_err(fail)? as u64,
                });
            }
        }
        Ok(out.into_iter().map(|(_, r)| r).collect())
    }
}

/// The error for a file that no instrument of the ledger was made into.
pub fn not_issued(path: &std::path::Path) -> Error {
    Error::file(
        path,
        "文书台账中没有这个文件（只有用 --ledger 生成的文书才记入台账；文件生成后改动过也对不上）",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Day {
        Day::new(2022, 3, 1).expect("date")
    }

    fn req(key: &str) -> NumberRequest {
        NumberRequest {
            code: "青纪谈".into(),
            year: 2022,
            key: key.into(),
        }
    }

    #[test]
    fn numbers_continue_and_keys_keep_theirs() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut l = Ledger::open(&dir.path().join("l.db")).expect("open");
        let mut get = |keys: &[&str], start| {
            let reqs: Vec<_> = keys.iter().map(|k| req(k)).collect();
            l.assign_numbers(&reqs, start, None, day())
                .expect("assign")
                .serials
        };
        assert_eq!(get(&["a", "b"], None), vec![1, 2]);
        assert_eq!(get(&["c", "a"], None), vec![3, 1]);
        assert_eq!(get(&["d"], Some(10)), vec![10]);
        assert_eq!(get(&["e"], Some(5)), vec![11]);
        let other = NumberRequest {
            year: 2023,
            ..req("a")
        };
        assert_eq!(
            l.assign_numbers(&[other], None, None, day())
                .expect("a")
                .serials,
            vec![1]
        );
        assert_eq!(
            l.numbers("青纪谈", 2022).expect("n"),
            vec![
                (1, "a".to_string()),
                (2, "b".to_string()),
                (3, "c".to_string()),
                (10, "d".to_string()),
                (11, "e".to_string())
            ]
        );
    }

    #[test]
    fn an_old_counter_file_is_taken_over_once() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut l = Ledger::open(&dir.path().join("l.db")).expect("open");
        // The ledger already gave 1 to "x".
        l.assign_numbers(&[req("x")], None, None, day()).expect("x");
        let entries = vec![
            CounterEntry::Row {
                code: "青纪谈".into(),
                year: 2022,
                serial: 1,
                key: "old-1".into(),
            },
            CounterEntry::Row {
                code: "青纪谈".into(),
                year: 2022,
                serial: 2,
                key: "old-2".into(),
            },
            CounterEntry::Next {
                code: "青纪谈".into(),
                year: 2022,
                next: 7,
            },
        ];
        let c = Counter {
            source: "/a/.jiandu-文号计数.txt",
            entries: &entries,
        };
        let a = l
            .assign_numbers(&[req("old-2"), req("new")], None, Some(c), day())
            .expect("take over");
        assert_eq!(a.serials, vec![2, 7]);
        assert_eq!((a.taken_over, a.conflicts), (1, 1));
        // A second time the file is not read again.
        let a = l
            .assign_numbers(&[req("newer")], None, Some(c), day())
            .expect("again");
        assert_eq!((a.serials, a.taken_over), (vec![8], 0));
    }

    #[test]
    fn issued_files_are_recorded_once_and_found_by_hash() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut l = Ledger::open(&dir.path().join("l.db")).expect("open");
        let doc = Issued {
            doc_number: "青纪谈〔2022〕1号".into(),
            kind: "谈话通知书".into(),
            subject: "王建国".into(),
            issuer: "中共青山县纪委监委".into(),
            issue_date: Some(day()),
            data: "{\"name\":\"王建国\"}".into(),
            files: vec![
                IssuedFile::of("/out/1.pdf", b"%PDF-1.7 one"),
                IssuedFile::of("/out/1.docx", b"PK docx"),
            ],
        };
        assert_eq!(
            l.record_issued(std::slice::from_ref(&doc), day())
                .expect("r"),
            Recorded {
                instruments: 1,
                files: 2
            }
        );
        assert_eq!(
            l.record_issued(std::slice::from_ref(&doc), day())
                .expect("r"),
            Recorded::default()
        );
        let all = l.issued().expect("list");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].issued, doc);
        let hash = sha256_hex(b"PK docx");
        assert_eq!(
            l.issued_by_hash(&hash)
                .expect("h")
                .map(|r| r.issued.subject),
            Some("王建国".to_string())
        );
        assert!(l
            .issued_by_hash(&sha256_hex(b"other"))
            .expect("h")
            .is_none());
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
